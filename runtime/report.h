/*
 * report.h - revisions as Alembic prints them (history, heads, current, show)
 *
 * Pure formatting over the embedded set, so that output lines up with
 * `alembic history` and friends for anyone reading both.
 */
#ifndef RT_REPORT_H
#define RT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "migration.h"

/* Graph facts the formatter needs, computed once. */
struct report {
	const struct rt_set *s;
	unsigned char *is_head;       /* per revision */
	unsigned char *is_branchpoint;
	unsigned char *is_current;    /* NULL: do not indicate */
};

int report_init(struct report *r, const struct rt_set *s);
/* Marks the database's heads for " (current)". */
void report_set_current(struct report *r, const unsigned *cur, size_t n_cur);
void report_free(struct report *r);

enum {
	REPORT_PARENTS = 1,  /* "a -> b" */
	REPORT_BRANCHES = 2, /* " (label)" */
	REPORT_DOC = 4,      /* ", message" */
	REPORT_TREE = 8,     /* " (branchpoint)", " (mergepoint)" */
};

/* One line, Alembic's Script._head_only(). */
void report_line(FILE *fp, const struct report *r, unsigned ix, unsigned flags);
/* The verbose block, Alembic's Script.log_entry. */
void report_entry(FILE *fp, const struct report *r, unsigned ix);
/* Alembic's longdoc of a .sql revision: message, then its header facts. */
void report_longdoc(FILE *fp, const struct report *r, unsigned ix, const char *indent);

#endif
