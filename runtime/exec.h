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
 *   - online, a revision's statements, its version-table change and its
 *     history-log row go to the server as one simple-query round trip.
 *
 * Online, each revision's "Running upgrade a -> b, message" line goes to
 * stderr before it runs (not under --quiet); with --verbose, each
 * statement's "path:line:col: first line" as it starts. On a terminal the line shows the time elapsed
 * while a statement runs and ends with the duration; elsewhere (a log) a
 * "Still running" line names the running statement every
 * RETORT_PROGRESS_INTERVAL (30s), and a "Finished" or "Failed" line follows.
 *
 * A revision whose statements commit one by one (`Transactional: false`,
 * or with RT_STMT_AUTOCOMMIT statements) first commits a "running" log row;
 * the row that ends it follows. A run that dies inside it (killed, its
 * connection cut, the server restarted) leaves that row newest, and the
 * revision dirty. One that fails over a live connection records it as dirty
 * with the statements that ran, or as "failed" when none did; a signal
 * (signals.h) stops the run between or during statements.
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
	bool create_log;             /* create the history log first */
	const char *by;              /* applied_by expression (ledger_by_expr) */
	bool verbose;                /* name each statement as it starts (--verbose) */
	/* internal */
	bool in_txn;
	FILE *errs;                  /* a failing step's report */
	double step_t0;              /* when the current step began */
	FILE *done;                  /* its statements committed so far ... */
	char *done_text;             /* ... as "path:line:col, ..." */
	size_t done_len;
	char failed_at[1024];        /* where the failing statement is */
	bool running;                /* the step's "running" row is committed */
	bool running_pending;        /* ... is in the open transaction */
	/* progress on stderr (README "Output") */
	bool tty;                    /* stderr is a terminal: one line, redrawn */
	FILE *info;                  /* stderr, or nothing under --quiet (cli_info) */
	double tick_ms;              /* between progress reports */
	double next_tick;            /* when the next one is due */
	bool line_open;              /* tty: the step's line awaits its end */
	char what[2300];             /* "upgrade a -> b" */
	const char *message;         /* the step's revision message */
	PQnoticeReceiver notice_next; /* the receiver db.c set */
};

/*
 * Returns an exit code; on failure the database is rolled back and the
 * message says where it stands: RT_EXIT_SQL, RT_EXIT_CONNECT when the
 * connection was lost, RT_EXIT_INTERRUPTED after SIGINT/SIGTERM.
 */
int exec_plan(struct exec *e, const struct plan *p);

/*
 * Runs only version-table changes from `from` heads to p->heads, in one
 * transaction with `extra` (SQL, may be NULL). With `log_stamp`, every
 * revision that becomes applied or not applied gets a "stamp" log row.
 */
int exec_stamp(struct exec *e, const unsigned *from, size_t n_from, const struct plan *p,
	       const char *extra, bool log_stamp);

#endif
