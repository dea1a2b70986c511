/*
 * e2e.h - helpers for suites that run real migrators against the cluster
 * scripts/run-tests.sh started (PGHOST, PGPORT, PGUSER in the environment)
 */
#ifndef E2E_H
#define E2E_H

#include <libpq-fe.h>

/* Drops and creates database `name`. */
void e2e_createdb(const char *name);
/* First column of the first row of `sql` in `db` ("" when no row; rows
 * joined by ',' when several). Caller frees. Fails the test on error. */
char *e2e_query(const char *db, const char *sql);
/* Runs SQL in `db`, failing the test on error. */
void e2e_exec(const char *db, const char *sql);
/* Output of `pg_dump --schema-only` of `db`, comments stripped. Caller frees. */
char *e2e_schema(const char *db);

/* A migrator run: exit status and what it printed. */
struct e2e_run {
	int rc;
	char *out, *err;
};

/*
 * Runs build/tests/migrate-FIXTURE (or build/migrate for "example") against
 * database `db` (through PGDATABASE; NULL leaves it unset) with args ...,
 * NULL-terminated. `env` adds variables ("K=V", "K=" unsets), may be NULL.
 */
struct e2e_run e2e_migrate(const char *fixture, const char *db, char *const env[], ...);
void e2e_run_free(struct e2e_run *r);
/* Pipes `script` into psql for `db` with ON_ERROR_STOP; returns its status. */
int e2e_psql(const char *db, const char *script);

/* A migrator run with no extra environment: RUN("linear", "db", "upgrade", "head"). */
#define RUN(fixture, db, ...) e2e_migrate(fixture, db, NULL, __VA_ARGS__, (char *)NULL)
/* The same, failing the test (both outputs shown) unless it exits 0. */
#define RUN_OK(fixture, db, ...) \
	do { \
		struct e2e_run ok_ = RUN(fixture, db, __VA_ARGS__); \
		e2e_assert_rc(&ok_, 0); \
		e2e_run_free(&ok_); \
	} while (0)

#define ck_assert_contains(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "expected '%s' in:\n%s", (needle), (hay))
#define ck_assert_lacks(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) == NULL, "did not expect '%s' in:\n%s", (needle), (hay))

/* Fails the test unless `sql` in `db` gives `want` (rows joined by ','). */
void e2e_assert_query(const char *db, const char *sql, const char *want);
/* The rows of alembic_version, sorted and joined by ','. */
void e2e_assert_version(const char *db, const char *want);
/* Fails the test, showing both outputs, unless the run exited `want`. */
void e2e_assert_rc(const struct e2e_run *r, int want);

#endif
