/*
 * revid.h - the one rule for revision ids and branch labels, for every
 * front end
 *
 * Ids and labels are pasted into SQL (the version table) and C strings, and
 * typed on command lines: a revision id holds letters, digits and '_', a
 * branch label also '-' and '.'. Both front ends check every id they read
 * (revision, down_revision / Revises, depends_on, branch_labels) here.
 */
#ifndef GEN_REVID_H
#define GEN_REVID_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Checks s[0, n) (it may hold NUL bytes) written at `off` of f; reports the
 * problem and returns false when it is not valid. `label`: a branch label.
 * `key` names the field in messages ("Revises", "down_revision").
 * `exact`: s is the file's text at off, so the first bad byte is pointed
 * at; otherwise (a Python literal with escapes) the literal is. */
bool revid_check(const struct src_file *f, size_t off, bool exact, bool label, const char *key,
		 const char *s, size_t n);

#endif
