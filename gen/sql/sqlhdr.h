/*
 * sqlhdr.h - the native .sql front end: header lines and sections
 *
 * A native migration is
 *
 *     -- Revision ID: 3f2a9c1b7d4e
 *     -- Revises: 1a2b3c4d5e6f        (None or empty: a base; a,b: a merge)
 *     -- Message: ..., Create Date, Branch Labels, Depends On, Transactional
 *
 *     -- migrate:upgrade
 *     statements;
 *     -- migrate:downgrade          (optional)
 *     statements;
 *
 * Header keys are case-insensitive. Markers count only as a "--" comment
 * starting a line outside any quote or comment (the lexer decides).
 */
#ifndef GEN_SQLHDR_H
#define GEN_SQLHDR_H

#include "arena.h"
#include "diag.h"
#include "rev.h"

/* Parses one native migration file into *r (r->file = f). Reports every
 * problem through diag_at; returns the number of errors found in this file.
 * Leaves r->sha256 and the graph fields alone. */
unsigned sqlhdr_parse(struct arena *a, const struct src_file *f, struct rev *r);

#endif
