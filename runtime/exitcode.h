/*
 * exitcode.h - the migrator's exit codes
 *
 * Stable and documented (docs/commands.md, "Exit codes"): scripts and init containers
 * branch on them, so never renumber one. The X-macro keeps the enum and the
 * table printed by --help in step.
 */
#ifndef RT_EXITCODE_H
#define RT_EXITCODE_H

#define RT_EXIT_CODES(X) \
	X(EXIT_OK,       0, "success (check: the database is at the heads)") \
	X(EXIT_FAIL,     1, "unexpected failure (out of memory, I/O error, server misbehaving)") \
	X(EXIT_USAGE,    2, "bad command line") \
	X(EXIT_CONFIG,   3, "bad configuration (DATABASE_URL, alembic.ini, ...)") \
	X(EXIT_CONNECT,  4, "cannot connect to the database, or lost the connection mid-run") \
	X(EXIT_SQL,      5, "a migration statement failed; its transaction was rolled back") \
	X(EXIT_BEHIND,   6, "check: revisions are pending") \
	X(EXIT_UNKNOWN,  7, "the database is at a revision this migrator does not know, or one a squash baseline replaced") \
	X(EXIT_REVISION, 8, "the target revision cannot be resolved or reached") \
	X(EXIT_LOCK_TIMEOUT, 9, "--lock-timeout expired while another migrator held the migration lock") \
	X(EXIT_CHECKSUM, 10, "an applied revision was edited since it ran (checksum mismatch)") \
	X(EXIT_DIRTY,    11, "a non-transactional revision failed or was killed part-way: run 'resolve' first") \
	X(EXIT_WAIT_TIMEOUT, 12, "wait: the database did not accept connections within --timeout") \
	X(EXIT_NEVER_RAN, 13, "a revision the version table counts as applied never ran (inserted below applied ones): see 'resolve'") \
	X(EXIT_FLEET,   14, "fleet: some targets failed or were not run (the summary lists them)") \
	X(EXIT_INTERRUPTED, 130, "interrupted by SIGINT or SIGTERM: the running statement was cancelled, the transaction rolled back")

enum rt_exit {
#define X(name, code, text) RT_##name = code,
	RT_EXIT_CODES(X)
#undef X
};

#endif
