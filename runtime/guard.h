/*
 * guard.h - what every writing command does before and after its work
 *
 * upgrade, downgrade, stamp, repair and resolve all run the same way:
 *
 *   connect; arm the signal handlers; take the migration lock (lock.h);
 *   only then read the version table and the history log, so that a
 *   second migrator that waited sees the first one's work; refuse when a
 *   revision is dirty, one counted as applied never ran, or an applied
 *   revision was edited (ledger.h); set
 *   lock_timeout / statement_timeout when asked; ... the command's work ...;
 *   when it ended well, record the log's digest row (ledger.h); release the
 *   lock, disarm, disconnect.
 *
 * The options for all this are shared too (GUARD_OPTIONS, guard_option()).
 */
#ifndef RT_GUARD_H
#define RT_GUARD_H

#include "db.h"
#include "ledger.h"

struct guard_opts {
	bool no_lock;               /* --no-lock */
	long lock_timeout_ms;       /* --lock-timeout; -1: wait without limit */
	bool ignore_checksums;      /* --ignore-checksums */
	long db_lock_timeout_ms;    /* --db-lock-timeout; -1: the server's */
	long statement_timeout_ms;  /* --statement-timeout; -1: the server's */
};

enum {
	OPT_LOCK_TIMEOUT = 0x200,   /* clear of every command's own options */
	OPT_NO_LOCK,
	OPT_IGNORE_CHECKSUMS,
	OPT_DB_LOCK_TIMEOUT,
	OPT_STATEMENT_TIMEOUT,
};

/* Entries for a command's struct option array. */
#define GUARD_OPTIONS \
	{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT }, \
	{ "no-lock", no_argument, NULL, OPT_NO_LOCK }, \
	{ "ignore-checksums", no_argument, NULL, OPT_IGNORE_CHECKSUMS }, \
	{ "db-lock-timeout", required_argument, NULL, OPT_DB_LOCK_TIMEOUT }, \
	{ "statement-timeout", required_argument, NULL, OPT_STATEMENT_TIMEOUT }

void guard_opts_init(struct guard_opts *o);
/*
 * Takes `opt` (from cli_getopt) when it is one of GUARD_OPTIONS. Returns
 * 1 when it was, 0 when it is not ours, or -1 after a usage error.
 */
int guard_option(struct guard_opts *o, const struct cli *c, const char *cmd, int opt,
		 const char *arg);
/* Help lines for GUARD_OPTIONS. */
void guard_help(FILE *fp);

/* What a command may skip. */
enum {
	GUARD_ALLOW_UNKNOWN = 1,    /* stamp --purge: an unknown row is the point */
	GUARD_ALLOW_DIRTY = 2,      /* resolve: dirty and never-ran revisions */
	GUARD_SKIP_CHECKSUMS = 4,   /* repair */
};

struct guard {
	struct db d;
	unsigned *heads;            /* the version table, read under the lock */
	size_t n_heads;
	bool vt_exists;
	struct ledger lg;
	char *by;                   /* applied_by expression for log rows */
	int read_rc;                /* db_read_heads(): RT_EXIT_UNKNOWN passes with ALLOW_UNKNOWN */
};

/* Connects and runs the checks. Returns an exit code; guard_close() anyway. */
int guard_open(struct guard *g, const struct cli *c, const struct guard_opts *o, unsigned flags);

/*
 * Turns `rc` into RT_EXIT_INTERRUPTED when a signal stopped the run, saying
 * so; after a lost connection, reconnects to say where the database stands.
 */
int guard_finish(struct guard *g, const struct cli *c, int rc);

void guard_close(struct guard *g);

/* "the database is at a, b" / "... at base (no revision applied)", to fp. */
void guard_say_where(FILE *fp, const struct cli *c, const unsigned *heads, size_t n);

#endif
