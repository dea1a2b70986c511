/*
 * report.h - revisions as Alembic prints them (history, heads, current, show)
 *
 * Pure formatting over a `struct rt_set`, so that output lines up with
 * `alembic history` and friends for anyone reading both. It needs neither
 * libpq nor the database: the generator's `retort heads` / `retort history`
 * build an rt_set in memory from the folder and print through this same
 * code, so the two cannot drift apart.
 */
#ifndef RT_REPORT_H
#define RT_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "migration.h"

/* Graph facts the formatter needs, computed once (linear in the graph). */
struct report {
	const struct rt_set *s;
	unsigned char *is_head;       /* per revision: nothing revises or depends on it */
	unsigned char *is_effective;  /* nothing revises it, something depends on it */
	unsigned char *is_branchpoint;/* revised by more than one revision */
	unsigned char *is_current;    /* NULL: do not indicate */
	unsigned *kid_off, *kids;     /* children by Revises, ascending (CSR) */
	/* Branch labels, own then inherited (Alembic's _add_branches), CSR. */
	unsigned *label_off;
	const char **labels;
	/*
	 * Optional, per revision: Depends On as written (a label stays a label,
	 * as Alembic prints it). NULL: the ids of rt_revision.depends.
	 */
	const char *const *const *depends_written;
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

/*
 * Alembic's get_all_current: the revisions the rows cur[] imply applied
 * (dependencies included) that no applied revision revises. Writes them,
 * ascending, to out[] (room for n_revisions); returns how many.
 */
size_t report_all_current(const struct rt_set *s, const unsigned *cur, size_t n_cur,
			  unsigned *out);

#endif
