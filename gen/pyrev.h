/*
 * pyrev.h - the Alembic front end: one versions/NAME.py script into a revision
 *
 * The script is lexed (pylex.re), parsed (pyparse.c) and evaluated at build
 * time (pyeval.c); its op.* calls become PostgreSQL statements (pyops.c).
 * Python never runs. A script's identifiers come from its module-level
 * names (revision, down_revision, branch_labels, depends_on), its message
 * and Create Date from its docstring, as Alembic reads them.
 */
#ifndef GEN_PYREV_H
#define GEN_PYREV_H

#include "arena.h"
#include "diag.h"
#include "rev.h"

/* Parses f (a file of folder `dir`) into *r. Reports every problem through
 * diag; returns the number of errors. Leaves r->sha256 and the graph
 * fields alone. Application types map through DIR/retort.ini [types]. */
unsigned pyrev_parse(struct arena *a, const char *dir, const struct src_file *f, struct rev *r);

#endif
