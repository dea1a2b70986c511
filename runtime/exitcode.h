/*
 * exitcode.h - the migrator's exit codes
 *
 * Stable and documented (README "Exit codes"): scripts and init containers
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
	X(EXIT_CONNECT,  4, "cannot connect to the database") \
	X(EXIT_SQL,      5, "a migration statement failed; its transaction was rolled back") \
	X(EXIT_BEHIND,   6, "check: revisions are pending") \
	X(EXIT_UNKNOWN,  7, "the database is at a revision this migrator does not know") \
	X(EXIT_REVISION, 8, "the target revision cannot be resolved or reached")

enum rt_exit {
#define X(name, code, text) RT_##name = code,
	RT_EXIT_CODES(X)
#undef X
};

#endif
