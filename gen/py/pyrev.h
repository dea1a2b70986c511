/*
 * pyrev.h - the Alembic front end: one versions/NAME.py script into a revision
 *
 * The script is lexed (pylex.re), parsed (pyparse.c) and evaluated at build
 * time (pyeval.h); its op.* calls become PostgreSQL statements (pyops.h).
 * Python never runs. A script's identifiers come from its module-level
 * names (revision, down_revision, branch_labels, depends_on), its message
 * and Create Date from its docstring, as Alembic reads them.
 */
#ifndef GEN_PYREV_H
#define GEN_PYREV_H

#include "arena.h"
#include "diag.h"
#include "rev.h"

struct pyconfig;

/* Reads DIR/retort.ini ([types], [constants]) once for the folder's .py
 * files, reporting its errors; no file: an empty configuration. */
const struct pyconfig *pyrev_config(struct arena *a, const char *dir);
/* Parses f into *r with the folder's configuration. Reports every problem
 * through diag; returns the number of errors. Leaves r->sha256 and the
 * graph fields alone. */
unsigned pyrev_parse(struct arena *a, const struct pyconfig *cfg, const struct src_file *f, struct rev *r);

#endif
