/*
 * exec.h - carry out a plan: online against the database, or offline as a
 * script for psql
 *
 * Both modes walk the plan the same way, so the offline script holds the
 * same statements in the same transactions as an online run:
 *   - a run is one transaction (Alembic's default on PostgreSQL), or one per
 *     revision with per_migration;
 *   - a `Transactional: false` revision, and any statement flagged
 *     RT_STMT_AUTOCOMMIT, runs outside a transaction, alone, between the
 *     transactional segments around it;
 *   - online, a revision's statements and its version-table change go to
 *     the server as one simple-query round trip.
 */
#ifndef RT_EXEC_H
#define RT_EXEC_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "plan.h"

struct exec {
	const struct cli *c;
	struct db *db;               /* online; NULL offline */
	FILE *out;                   /* offline: where the script goes */
	const struct vt_names *vt;
	bool per_migration;          /* --transaction-per-migration */
	bool create_vt;              /* create the version table first */
	bool in_txn;                 /* internal */
	FILE *errs;                  /* internal: a failing step's report */
};

/* Returns an exit code; on failure the database is rolled back and the
 * message says where it stands. */
int exec_plan(struct exec *e, const struct plan *p);

/* Runs only version-table changes from `from` heads to p->heads (stamp). */
int exec_stamp(struct exec *e, const unsigned *from, size_t n_from, const struct plan *p);

#endif
