/*
 * ledger.h - the history log of a version table, and what it proves
 *
 * retort."<schema>.<version table>" (retort."public.alembic_version" by
 * default; a schema of its own, so that Alembic's autogenerate, which looks
 * at the default schema only, never proposes to drop it) gets one row per
 * revision a run upgrades, downgrades, stamps, repairs or resolves, in the
 * same transaction as the revision's version-table change. It is
 * append-only and Alembic ignores it, so the database can be handed back to
 * Alembic at any time.
 *
 * Rows say what happened (direction, status), what ran (the checksum of the
 * normalised statements, "sha256-v2" and its hex, kept apart so that a
 * future algorithm is never mistaken for an edit), when, for how long, by
 * whom and with which migrator release. Before a writing run, the newest
 * row of every applied revision is compared with what this migrator
 * carries: an edit to an applied revision is refused, and a revision that
 * stopped part-way outside a transaction ("dirty", or "running" with no row
 * after it) blocks every run until `resolve` records how it ended.
 */
#ifndef RT_LEDGER_H
#define RT_LEDGER_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "plan.h"

/*
 * The log table's DDL, ending ";\n": creates schema retort and the log when
 * absent, moving the rows of a log older migrators kept beside the version
 * table; offline with no schema configured, also the pg_temp.retort_log
 * view that vt_names.log names.
 */
void ledger_write_create(FILE *fp, const struct vt_names *n);

/* One row to append. */
struct ledger_entry {
	const struct rt_revision *rev;
	const char *direction; /* "up", "down", "stamp", "repair", "resolve" */
	const char *status;    /* "ok", "running", "dirty", "failed", "applied",
				  "not-applied" */
	double before_ms;      /* time spent on this revision before the round trip
				  that carries the row (started_at goes back by it) */
	const char *detail;    /* free text, or NULL */
};

/*
 * Writes the INSERT of one row, ending ";\n". `by` is the SQL expression
 * for applied_by, from ledger_by_expr().
 */
void ledger_write_insert(FILE *fp, const struct vt_names *n, const char *by,
			 const struct ledger_entry *en);

/*
 * The applied_by expression: current_user and this host's name online;
 * offline, the address psql connects from. Caller frees.
 */
char *ledger_by_expr(bool online);

/* The newest log row of one revision. */
struct ledger_row {
	bool present;
	char direction[17];
	char status[17];
	char algo[33];      /* "" when the row has no checksum */
	char checksum[129];
	char when[32];      /* finished_at, UTC */
	char *detail;       /* "" when none */
};

struct ledger {
	bool exists;             /* the log table is there (rows were read) */
	bool legacy;             /* ... beside the version table, where format-1
				    migrators kept it: ledger_write_create()
				    moves it (see ledger_needs_create) */
	struct ledger_row *rows; /* per revision of the set */
	unsigned n_rows;         /* the set's n_revisions */
	unsigned n_other;        /* rows about revisions this migrator lacks */
	bool other_dirty;        /* ... and one of them leaves its revision dirty */
	long long max_id;        /* the newest row's id as read, 0 for none */
};

/* Whether a writing run's first transaction must create (or move) the log. */
static inline bool ledger_needs_create(const struct ledger *lg)
{
	return !lg->exists || lg->legacy;
}

/* Reads the newest row of each revision. Returns an exit code. */
int ledger_load(struct db *d, const struct cli *c, struct ledger *lg);
void ledger_free(struct ledger *lg);

/*
 * Whether a revision's newest row leaves it dirty: "dirty" (it failed
 * part-way) or "running" (its migrator died inside it).
 */
bool ledger_is_dirty(const struct ledger_row *row);

/*
 * Refuses with RT_EXIT_DIRTY, naming each dirty revision and the statements
 * that ran, when one is; RT_EXIT_OK otherwise.
 */
int ledger_check_dirty(const struct cli *c, const struct ledger *lg);

/* How an applied revision compares with its newest log row. */
enum ledger_state {
	LEDGER_MATCH,      /* same algorithm, same checksum */
	LEDGER_UNVERIFIED, /* no row recording it as applied (Alembic applied it) */
	LEDGER_OTHER_ALGO, /* recorded with another checksum algorithm */
	LEDGER_MISMATCH,   /* edited since it was applied */
	LEDGER_DOWN_EDITED, /* same upgrade, edited downgrade (sha256-v2 rows) */
};
enum ledger_state ledger_state_of(const struct rt_revision *r, const struct ledger_row *row);

/*
 * Revisions applied when the version table holds heads[]: the heads and
 * everything they descend from. malloc'ed flags per revision.
 */
bool *ledger_applied(const struct rt_set *s, const unsigned *heads, size_t n_heads);

/*
 * Compares every applied revision's checksum with the log. A mismatch is an
 * error (RT_EXIT_CHECKSUM) naming both checksums and the file, or, with
 * `ignore`, a warning. Unverified revisions and other algorithms get one
 * note line each kind.
 */
int ledger_check_checksums(const struct cli *c, const struct ledger *lg, const unsigned *heads,
			   size_t n_heads, bool ignore);

/*
 * Refuses with RT_EXIT_NEVER_RAN, naming each revision that the version
 * table counts as applied but that never ran: it has no log row at all,
 * while an ancestor and an applied descendant of it have rows recording
 * them as applied (the log covers that stretch, so the revision was
 * inserted below, or moved below, revisions that had run). Revisions
 * applied before the log existed have no such ancestor and pass.
 */
int ledger_check_never_ran(const struct cli *c, const struct ledger *lg, const unsigned *heads,
			   size_t n_heads);
/* Whether revision `ix` is one of those. */
bool ledger_never_ran(const struct rt_set *s, const struct ledger *lg, const unsigned *heads,
		      size_t n_heads, unsigned ix);

/*
 * Before a downgrade: an edited downgrade of a revision the plan reverts is
 * an error (RT_EXIT_CHECKSUM), or with `ignore` a warning. The upgrade's
 * checksum guards upgrades; the downgrade's own guards running it.
 */
int ledger_check_downgrades(const struct cli *c, const struct ledger *lg, const struct plan *p,
			    bool ignore);

/*
 * For read-only commands (check): loads the log and runs the checks,
 * without refusing anything but with their exit codes. Flat in the number
 * of revisions when the log's digest row (below) vouches for the database:
 * then nothing can fail and no row is read.
 */
int ledger_verify(struct db *d, const struct cli *c, const unsigned *heads, size_t n_heads);

/*
 * For `current` over a fleet: only whether a revision is dirty, with
 * ledger_check_dirty()'s messages and exit code. Flat in the number of
 * revisions when the digest row stands (it vouches that no row is dirty).
 */
int ledger_verify_dirty(struct db *d, const struct cli *c);

/*
 * The digest row. A writing run that ends well, under the migration lock,
 * reads back the rows it added to the log (those after lg->max_id) and,
 * when the checks above would then find nothing to say (no dirty row, every
 * applied revision logged as applied with this migrator's sha256-v2
 * checksum), records in retort.digests, for this log: the digest of the
 * applied set (ledger_set_digest) and the log's newest id. A statement
 * trigger on the log deletes that row on any INSERT, UPDATE, DELETE or
 * TRUNCATE, so the row stands only while the log is exactly as the run
 * left it. `check` trusts it only when the trigger is in place, the newest
 * id is unchanged and the digest equals the one it computes from its own
 * revisions: an edited revision, another applied set (a stamp or a
 * downgrade by Alembic) or a touched log sends it to the full comparison.
 * Best effort: failing to write it only costs the next check its speed.
 */
void ledger_record_digest(struct db *d, const struct cli *c, struct ledger *lg);

/*
 * "applied-set-v1:" and the hex SHA-256 over "id\tchecksum\n" of every
 * applied revision, in the set's order; at the heads, that is the set's own
 * digest (rt_set.digest). `out` holds LEDGER_DIGEST_SIZE.
 */
#define LEDGER_DIGEST_SIZE (15 + 64 + 1)
bool ledger_set_digest(const struct rt_set *s, const bool *applied, char out[LEDGER_DIGEST_SIZE]);

#endif
