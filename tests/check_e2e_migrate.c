/*
 * check_e2e_migrate.c - every migrator command end to end on a real cluster
 *
 * Each case gets a fresh database and runs a real migrator built from a
 * fixture folder in tests/fixtures/, then looks at the database itself.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "testutil.h"

/* ---- linear history -------------------------------------------------------- */

START_TEST(upgrade_head_then_noop)
{
	e2e_createdb("lin_up");
	struct e2e_run r = RUN("linear", "lin_up", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade  -> a1a1a1a1a1a1, create accounts\n");
	ck_assert_contains(r.err, "Finished upgrade  -> a1a1a1a1a1a1 in ");
	ck_assert_contains(r.err, "Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, add email with backfill\n");
	ck_assert_contains(r.err, "Finished upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2 in ");
	ck_assert_contains(r.err, "Running upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3, index email\n");
	ck_assert_contains(r.err, "Finished upgrade b2b2b2b2b2b2 -> c3c3c3c3c3c3 in ");
	ck_assert_str_eq(r.out, "");
	e2e_run_free(&r);
	e2e_assert_version("lin_up", "c3c3c3c3c3c3");
	e2e_assert_query("lin_up", "SELECT string_agg(name || '|' || email, ' ' ORDER BY id) FROM accounts",
		     "it's; a test|it's; a test@example.com dollar; 'quoted'|dollar; 'quoted'@example.com");
	e2e_assert_query("lin_up", "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_accounts_email'", "1");

	/* A second run has nothing to do and changes nothing. */
	char *before = e2e_schema("lin_up");
	r = RUN("linear", "lin_up", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "Running upgrade");
	ck_assert_contains(r.err, "nothing to do");
	e2e_run_free(&r);
	char *after = e2e_schema("lin_up");
	ck_assert_str_eq(before, after);
	e2e_assert_query("lin_up", "SELECT count(*) FROM accounts", "2");
	free(before), free(after);
}
END_TEST

START_TEST(relative_and_partial_targets)
{
	e2e_createdb("lin_rel");
	struct e2e_run r = RUN("linear", "lin_rel", "upgrade", "+2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("lin_rel", "b2b2b2b2b2b2");

	RUN_OK("linear", "lin_rel", "upgrade", "c3");
	e2e_assert_version("lin_rel", "c3c3c3c3c3c3");

	r = RUN("linear", "lin_rel", "downgrade", "-1");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running downgrade c3c3c3c3c3c3 -> b2b2b2b2b2b2, index email\n");
	ck_assert_contains(r.err, "Finished downgrade c3c3c3c3c3c3 -> b2b2b2b2b2b2 in ");
	e2e_run_free(&r);
	e2e_assert_version("lin_rel", "b2b2b2b2b2b2");
	e2e_assert_query("lin_rel", "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_accounts_email'", "0");

	RUN_OK("linear", "lin_rel", "downgrade", "a1a1a1a1a1a1");
	e2e_assert_version("lin_rel", "a1a1a1a1a1a1");
	e2e_assert_query("lin_rel", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'", "0");

	RUN_OK("linear", "lin_rel", "downgrade", "base");
	e2e_assert_version("lin_rel", "");
	e2e_assert_query("lin_rel", "SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'", "0");

	RUN_OK("linear", "lin_rel", "upgrade", "a1a1a1a1a1a1+1");
	e2e_assert_version("lin_rel", "b2b2b2b2b2b2");
}
END_TEST

START_TEST(bad_targets)
{
	e2e_createdb("lin_bad");
	struct e2e_run r = RUN("linear", "lin_bad", "upgrade", "zzz");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "zzz");
	e2e_run_free(&r);

	r = RUN("linear", "lin_bad", "upgrade");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "try 'migrate-linear upgrade --help'");
	e2e_run_free(&r);

	r = RUN("linear", "lin_bad", "frobnicate");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "unknown command 'frobnicate'");
	e2e_run_free(&r);

	r = RUN("linear", "lin_bad", "downgrade", "-1");
	e2e_assert_rc(&r, 8);
	e2e_run_free(&r);
	e2e_assert_query("lin_bad", "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'", "0");
}
END_TEST

START_TEST(current_history_heads_show)
{
	e2e_createdb("lin_rep");
	struct e2e_run r = RUN("linear", "lin_rep", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "");
	e2e_run_free(&r);

	RUN_OK("linear", "lin_rep", "upgrade", "b2b2");
	r = RUN("linear", "lin_rep", "current");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "b2b2b2b2b2b2\n");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "history");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out,
			 "b2b2b2b2b2b2 -> c3c3c3c3c3c3 (head), index email\n"
			 "a1a1a1a1a1a1 -> b2b2b2b2b2b2, add email with backfill\n"
			 "<base> -> a1a1a1a1a1a1, create accounts\n");
	e2e_run_free(&r);

	r = RUN("linear", "lin_rep", "history", "-i", "-r", "current:");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out,
			 "b2b2b2b2b2b2 -> c3c3c3c3c3c3 (head), index email\n"
			 "a1a1a1a1a1a1 -> b2b2b2b2b2b2 (current), add email with backfill\n");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "history", "--verbose", "-r", "a1a1a1a1a1a1:a1a1a1a1a1a1");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out,
			 "Rev: a1a1a1a1a1a1\n"
			 "Parent: <base>\n"
			 "Path: versions/a1_create_accounts.sql\n"
			 "\n"
			 "    create accounts\n"
			 "    \n"
			 "    Revision ID: a1a1a1a1a1a1\n"
			 "    Revises: \n"
			 "    Create Date: 2026-11-01 10:00:00\n"
			 "\n");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "heads");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "c3c3c3c3c3c3 (head)\n");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "show", "c3");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "Rev: c3c3c3c3c3c3 (head)\n");
	ck_assert_contains(r.out, "-- upgrade\n-- versions/c3_index.sql:7\n"
				  "CREATE INDEX idx_accounts_email ON accounts (email);\n");
	ck_assert_contains(r.out, "-- downgrade\n-- versions/c3_index.sql:10\nDROP INDEX idx_accounts_email;\n");
	e2e_run_free(&r);

	r = RUN("linear", NULL, "version");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "revisions:  3\n");
	ck_assert_contains(r.out, "heads:      c3c3c3c3c3c3\n");
	ck_assert_contains(r.out, "digest:     ");
	e2e_run_free(&r);
}
END_TEST

START_TEST(check_exit_codes)
{
	e2e_createdb("lin_chk");
	struct e2e_run r = RUN("linear", "lin_chk", "check");
	e2e_assert_rc(&r, 6);
	ck_assert_contains(r.out, "3 pending revisions:\n  a1a1a1a1a1a1, create accounts\n");
	e2e_run_free(&r);

	RUN_OK("linear", "lin_chk", "upgrade", "head");
	RUN_OK("linear", "lin_chk", "check");

	/* A newer release migrated the database: refuse, name the revision. */
	e2e_exec("lin_chk", "UPDATE alembic_version SET version_num = 'f00dfeed0000'");
	r = RUN("linear", "lin_chk", "check");
	e2e_assert_rc(&r, 7);
	ck_assert_contains(r.err, "'f00dfeed0000'");
	e2e_run_free(&r);
	r = RUN("linear", "lin_chk", "upgrade", "head");
	e2e_assert_rc(&r, 7);
	e2e_run_free(&r);
	e2e_assert_version("lin_chk", "f00dfeed0000");
}
END_TEST

START_TEST(stamp_and_purge)
{
	e2e_createdb("lin_stamp");
	struct e2e_run r = RUN("linear", "lin_stamp", "stamp", "b2b2b2b2b2b2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("lin_stamp", "b2b2b2b2b2b2");
	e2e_assert_query("lin_stamp", "SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'", "0");

	RUN_OK("linear", "lin_stamp", "stamp", "head");
	e2e_assert_version("lin_stamp", "c3c3c3c3c3c3");

	RUN_OK("linear", "lin_stamp", "stamp", "base");
	e2e_assert_version("lin_stamp", "");

	e2e_exec("lin_stamp", "INSERT INTO alembic_version VALUES ('unknown00000')");
	r = RUN("linear", "lin_stamp", "stamp", "a1a1a1a1a1a1");
	e2e_assert_rc(&r, 7);
	e2e_run_free(&r);
	RUN_OK("linear", "lin_stamp", "stamp", "--purge", "a1a1a1a1a1a1");
	e2e_assert_version("lin_stamp", "a1a1a1a1a1a1");
}
END_TEST

/* The offline script, applied by psql, builds the schema an online run builds. */
START_TEST(offline_matches_online)
{
	e2e_createdb("lin_on");
	e2e_createdb("lin_off");
	struct e2e_run r = RUN("linear", "lin_on", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	r = RUN("linear", NULL, "upgrade", "head", "--sql");
	e2e_assert_rc(&r, 0);
	ck_assert_msg(strncmp(r.out, "BEGIN;\n\nCREATE TABLE alembic_version (\n", 39) == 0, "%s", r.out);
	ck_assert_contains(r.out, "-- Running upgrade  -> a1a1a1a1a1a1\n\n");
	ck_assert_contains(r.out, "INSERT INTO alembic_version (version_num) VALUES ('a1a1a1a1a1a1');\n");
	ck_assert_contains(r.out, "UPDATE alembic_version SET version_num='b2b2b2b2b2b2' "
				  "WHERE alembic_version.version_num = 'a1a1a1a1a1a1';\n");
	ck_assert_msg(strcmp(r.out + strlen(r.out) - 9, "COMMIT;\n\n") == 0, "%s", r.out);
	ck_assert_int_eq(e2e_psql("lin_off", r.out), 0);
	e2e_run_free(&r);

	char *on = e2e_schema("lin_on"), *off = e2e_schema("lin_off");
	ck_assert_str_eq(on, off);
	free(on), free(off);
	e2e_assert_version("lin_off", "c3c3c3c3c3c3");

	/* Downgrade offline needs a range; with one it reverts what it says. */
	r = RUN("linear", NULL, "downgrade", "base", "--sql");
	e2e_assert_rc(&r, 2);
	e2e_run_free(&r);
	r = RUN("linear", NULL, "downgrade", "c3c3c3c3c3c3:a1a1a1a1a1a1", "--sql");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.out, "CREATE TABLE alembic_version");
	ck_assert_int_eq(e2e_psql("lin_off", r.out), 0);
	e2e_run_free(&r);
	e2e_assert_version("lin_off", "a1a1a1a1a1a1");
	RUN_OK("linear", "lin_on", "downgrade", "a1a1a1a1a1a1");
	on = e2e_schema("lin_on"), off = e2e_schema("lin_off");
	ck_assert_str_eq(on, off);
	free(on), free(off);

	/* A range that starts mid-way continues from there. */
	r = RUN("linear", NULL, "upgrade", "a1a1a1a1a1a1:head", "--sql");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.out, "-> a1a1a1a1a1a1");
	ck_assert_int_eq(e2e_psql("lin_off", r.out), 0);
	e2e_run_free(&r);
	e2e_assert_version("lin_off", "c3c3c3c3c3c3");
}
END_TEST

/* ---- configuration ------------------------------------------------------------ */

static char *url(const char *fmt_user_pw_db)
{
	static char buf[512];
	snprintf(buf, sizeof(buf), fmt_user_pw_db, getenv("RETORT_TEST_PGPORT"));
	return buf;
}

START_TEST(config_sources)
{
	e2e_createdb("cfg_url");
	/* SQLAlchemy's URL with a driver, over TCP with a password. */
	char dburl[600];
	snprintf(dburl, sizeof(dburl), "DATABASE_URL=%s",
		 url("postgresql+psycopg2://postgres:postgres@127.0.0.1:%s/cfg_url"));
	char *env1[] = { dburl, "PGHOST=", "PGPORT=", NULL };
	struct e2e_run r = e2e_migrate("linear", NULL, env1, "upgrade", "a1a1", (char *)NULL);
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("cfg_url", "a1a1a1a1a1a1");

	/* DB_* with a database name holding a space and a quote. */
	e2e_createdb("cfg 'db");
	char port[64];
	snprintf(port, sizeof(port), "DB_PORT=%s", getenv("RETORT_TEST_PGPORT"));
	char *env2[] = { "DB_USER=postgres", "DB_PASSWORD=postgres", "DB_HOST=127.0.0.1", port,
			 "DB_NAME=cfg 'db", "PGHOST=", "PGPORT=", NULL };
	r = e2e_migrate("linear", NULL, env2, "upgrade", "head", (char *)NULL);
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("cfg 'db", "c3c3c3c3c3c3");

	/* DATABASE_URL wins over DB_*. */
	char *env3[] = { dburl, "DB_USER=postgres", "DB_PASSWORD=postgres", "DB_HOST=127.0.0.1",
			 port, "DB_NAME=cfg 'db", "PGHOST=", "PGPORT=", NULL };
	r = e2e_migrate("linear", NULL, env3, "current", (char *)NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "a1a1a1a1a1a1\n");
	e2e_run_free(&r);

	/* alembic.ini named by -c. */
	char ini[600], path[256];
	snprintf(path, sizeof(path), "%s/tests/cfg-alembic.ini", tu_build_dir());
	snprintf(ini, sizeof(ini), "[alembic]\nscript_location = alembic\nsqlalchemy.url = %s\n",
		 url("postgresql://postgres:postgres@127.0.0.1:%s/cfg_url"));
	tu_write_file(path, ini);
	char *env4[] = { "PGHOST=", "PGPORT=", NULL };
	r = e2e_migrate("linear", NULL, env4, "-c", path, "current", (char *)NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "a1a1a1a1a1a1\n");
	e2e_run_free(&r);
}
END_TEST

START_TEST(password_never_printed)
{
	char dburl[600];
	snprintf(dburl, sizeof(dburl), "DATABASE_URL=%s",
		 url("postgresql://postgres:Sekr1t-pw@127.0.0.1:%s/postgres"));
	char *env[] = { dburl, NULL };
	struct e2e_run r = e2e_migrate("linear", NULL, env, "upgrade", "head", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "cannot connect to");
	ck_assert_lacks(r.err, "Sekr1t");
	ck_assert_lacks(r.out, "Sekr1t");
	e2e_run_free(&r);

	char *env2[] = { "DB_USER=postgres", "DB_PASSWORD=Sekr1t-pw", "DB_HOST=127.0.0.1",
			 "DB_PORT=1", NULL };
	r = e2e_migrate("linear", NULL, env2, "current", (char *)NULL);
	e2e_assert_rc(&r, 4);
	ck_assert_lacks(r.err, "Sekr1t");
	e2e_run_free(&r);
}
END_TEST

/* ---- failures ------------------------------------------------------------------ */

START_TEST(failure_rolls_back_everything)
{
	e2e_createdb("fail_all");
	struct e2e_run r = RUN("failing", "fail_all", "upgrade", "head");
	e2e_assert_rc(&r, 5);
	/* The failing statement's own file, line and column, and the server's words. */
	ck_assert_contains(r.err, "Running upgrade f1f1f1f1f1f1 -> f2f2f2f2f2f2, breaks on purpose\n"
				  "Failed upgrade f1f1f1f1f1f1 -> f2f2f2f2f2f2 after ");
	ck_assert_contains(r.err, " ms\nversions/f2_bad.sql:10:8: ERROR:  42703: column \"nmae\" does not exist\n");
	ck_assert_contains(r.err, "hint: Perhaps you meant to reference the column \"widgets.name\".\n");
	ck_assert_contains(r.err, "rolled back");
	ck_assert_contains(r.err, "the database is at base");
	e2e_run_free(&r);
	/* Not even the first revision, nor the version table, survives. */
	e2e_assert_query("fail_all", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "0");
}
END_TEST

START_TEST(failure_keeps_earlier_commits)
{
	e2e_createdb("fail_one");
	struct e2e_run r = RUN("failing", "fail_one", "upgrade", "f1f1");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	char *before = e2e_schema("fail_one");

	r = RUN("failing", "fail_one", "upgrade", "head");
	e2e_assert_rc(&r, 5);
	ck_assert_contains(r.err, "the database is at f1f1f1f1f1f1");
	e2e_run_free(&r);
	char *after = e2e_schema("fail_one");
	ck_assert_str_eq(before, after);
	e2e_assert_version("fail_one", "f1f1f1f1f1f1");
	e2e_assert_query("fail_one", "SELECT name FROM widgets", "one");
	free(before), free(after);

	/* Per-migration transactions commit what succeeded before the failure. */
	e2e_createdb("fail_per");
	r = RUN("failing", "fail_per", "upgrade", "head", "--transaction-per-migration");
	e2e_assert_rc(&r, 5);
	e2e_run_free(&r);
	e2e_assert_version("fail_per", "f1f1f1f1f1f1");
	e2e_assert_query("fail_per", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'widgets' AND column_name = 'size'", "0");
}
END_TEST

/*
 * One op.execute string may hold several statements: the version-table
 * change after them is still found and checked (found by the real-world
 * measurement of issue 3, where such a step failed with "changed 0").
 */
START_TEST(several_statements_in_one)
{
	e2e_createdb("multi");
	struct e2e_run r = RUN("multistmt", "multi", "upgrade", "m1m1m1m1m1m1");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	RUN_OK("multistmt", "multi", "upgrade", "head");
	e2e_assert_version("multi", "m2m2m2m2m2m2");
	e2e_assert_query("multi", "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)", "0");
	RUN_OK("multistmt", "multi", "downgrade", "-1");
	e2e_assert_version("multi", "m1m1m1m1m1m1");
	e2e_assert_query("multi", "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)", "4");
}
END_TEST

/* ---- non-transactional revisions ---------------------------------------------- */

START_TEST(non_transactional_revision)
{
	e2e_createdb("ntx_on");
	struct e2e_run r = RUN("nontx", "ntx_on", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("ntx_on", "0a0000000003");
	e2e_assert_query("ntx_on", "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes "
			       "WHERE tablename = 'events' AND indexname LIKE 'idx%'",
		     "idx_events_at,idx_events_kind");

	/* n3 has no downgrade section: refuse before touching anything. */
	r = RUN("nontx", "ntx_on", "downgrade", "-1");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "0a0000000003");
	e2e_run_free(&r);
	e2e_assert_version("ntx_on", "0a0000000003");

	r = RUN("nontx", NULL, "upgrade", "head", "--sql");
	e2e_assert_rc(&r, 0);
	/* The "running" row commits before the first statement, as online. */
	ck_assert_contains(r.out, "COMMIT;\n\n-- Running upgrade 0a0000000001 -> 0a0000000002\n\n"
				  "INSERT INTO pg_temp.retort_log (");
	ck_assert_contains(r.out, "SELECT '0a0000000002', 'up', 'running', 'sha256-v2', ");
	ck_assert_contains(r.out, "'statements versions/n2.sql:7:1 to versions/n2.sql:8:1'\n"
				  "FROM (SELECT pg_catalog.statement_timestamp() AS s, pg_catalog.clock_timestamp() AS f) AS t;\n\n"
				  "CREATE INDEX CONCURRENTLY idx_events_kind ON events (kind);\n\n");
	ck_assert_contains(r.out, "BEGIN;\n\n-- Running upgrade 0a0000000002 -> 0a0000000003\n\n");
	e2e_createdb("ntx_off");
	ck_assert_int_eq(e2e_psql("ntx_off", r.out), 0);
	e2e_run_free(&r);
	char *on = e2e_schema("ntx_on"), *off = e2e_schema("ntx_off");
	ck_assert_str_eq(on, off);
	free(on), free(off);
	static const char *const rows = "SELECT string_agg(revision || ' ' || status, ',' ORDER BY id) "
					"FROM retort.\"public.alembic_version\"";
	on = e2e_query("ntx_on", rows), off = e2e_query("ntx_off", rows);
	ck_assert_str_eq(on, off);
	ck_assert_str_eq(on, "0a0000000001 ok,0a0000000002 running,0a0000000002 ok,0a0000000003 ok");
	free(on), free(off);

	r = RUN("nontx", "ntx_on", "downgrade", "0a0000000002");
	e2e_assert_rc(&r, 8);
	e2e_run_free(&r);
}
END_TEST

/* ---- branches, merges, dependencies ------------------------------------------- */

START_TEST(branches_and_merges)
{
	e2e_createdb("br");
	struct e2e_run r = RUN("branchy", "br", "upgrade", "head");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "multiple heads");
	e2e_run_free(&r);

	RUN_OK("branchy", "br", "upgrade", "2000000000aa");
	e2e_assert_version("br", "2000000000aa");

	/* A second branch from the same parent: a second row. */
	RUN_OK("branchy", "br", "upgrade", "3000000000bb");
	e2e_assert_version("br", "2000000000aa,3000000000bb");

	/* LABEL@head is the head that descends from the label: here the merge. */
	r = RUN("branchy", "br", "upgrade", "alpha@head");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade 2000000000aa, 3000000000bb -> 4000000000cc, merge alpha and beta\n");
	ck_assert_contains(r.err, "Finished upgrade 2000000000aa, 3000000000bb -> 4000000000cc in ");
	e2e_run_free(&r);
	e2e_assert_version("br", "4000000000cc");

	RUN_OK("branchy", "br", "upgrade", "heads");
	e2e_assert_version("br", "4000000000cc,5000000000dd");
	e2e_assert_query("br", "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM "
			   "information_schema.columns WHERE table_name = 'things'", "a,ab,b,id");

	r = RUN("branchy", "br", "heads");
	e2e_assert_rc(&r, 0);
	/* The merge inherits both labels, as `alembic heads` shows. */
	ck_assert_str_eq(r.out, "4000000000cc (alpha, beta) (head)\n5000000000dd (other) (head)\n");
	e2e_run_free(&r);

	r = RUN("branchy", "br", "branches");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "1000000000aa (branchpoint)\n"
				"             -> 2000000000aa (alpha)\n"
				"             -> 3000000000bb (beta)\n\n");
	e2e_run_free(&r);

	/*
	 * Unmerge: downgrading the merge brings its parents back, except
	 * 2000000000aa, which 5000000000dd depends on and so implies.
	 */
	RUN_OK("branchy", "br", "downgrade", "3000000000bb");
	e2e_assert_version("br", "3000000000bb,5000000000dd");

	RUN_OK("branchy", "br", "downgrade", "base");
	e2e_assert_version("br", "");
	/* The version table and its history log stay (issue 4). */
	e2e_assert_query("br", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
			   "AND tablename NOT IN ('alembic_version', 'alembic_version_log')", "0");

	/* A dependency pulls in the branch it depends on. */
	RUN_OK("branchy", "br", "upgrade", "other@head");
	e2e_assert_version("br", "5000000000dd");
	e2e_assert_query("br", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'things' AND column_name = 'a'", "1");
}
END_TEST

/* ---- the example --------------------------------------------------------------- */

/*
 * Issue 8, item 22: a real `pg_dump --schema-only` (with its \\restrict and
 * \\unrestrict lines, and its set_config('search_path', '', false)) as the
 * first revision. The runtime's own statements name their schema, so the
 * version table and the log are found whatever the dump did to the session.
 */
START_TEST(pg_dump_output_as_a_revision)
{
	e2e_createdb("mg_dump");
	struct e2e_run r = RUN("pgdump", "mg_dump", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("mg_dump", "d2d2d2d2d2d2");
	e2e_assert_query("mg_dump", "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_class c "
			 "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop' AND c.relkind IN ('r', 'v')",
			 "customer_totals,customers,orders");
	e2e_assert_query("mg_dump", "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'shop' "
			 "AND table_name = 'customers' AND column_name = 'name'", "1");
	RUN_OK("pgdump", "mg_dump", "downgrade", "base");
	e2e_assert_version("mg_dump", "");
	e2e_assert_query("mg_dump", "SELECT count(*) FROM pg_namespace WHERE nspname = 'shop'", "0");
	RUN_OK("pgdump", "mg_dump", "upgrade", "d1d1");
	RUN_OK("pgdump", "mg_dump", "stamp", "head");
	e2e_assert_version("mg_dump", "d2d2d2d2d2d2");
	RUN_OK("pgdump", "mg_dump", "check");
}
END_TEST

START_TEST(example_full_cycle)
{
	e2e_createdb("example");
	struct e2e_run r = RUN("example", "example", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	char *schema = e2e_schema("example");
	char *heads = e2e_query("example", "SELECT string_agg(version_num, ',') FROM alembic_version");

	RUN_OK("example", "example", "downgrade", "-1");
	RUN_OK("example", "example", "upgrade", "head");
	RUN_OK("example", "example", "check");
	char *again = e2e_schema("example");
	ck_assert_str_eq(schema, again);
	e2e_assert_query("example", "SELECT string_agg(version_num, ',') FROM alembic_version", heads);

	/* All the way down and up again. */
	RUN_OK("example", "example", "downgrade", "base");
	e2e_assert_version("example", "");
	RUN_OK("example", "example", "upgrade", "head");
	free(again);
	again = e2e_schema("example");
	ck_assert_str_eq(schema, again);
	free(schema), free(again), free(heads);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("migrate (end to end)");
	TCase *tc = tcase_create("linear");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, upgrade_head_then_noop);
	tcase_add_test(tc, relative_and_partial_targets);
	tcase_add_test(tc, bad_targets);
	tcase_add_test(tc, current_history_heads_show);
	tcase_add_test(tc, check_exit_codes);
	tcase_add_test(tc, stamp_and_purge);
	tcase_add_test(tc, offline_matches_online);
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, config_sources);
	tcase_add_test(tc, password_never_printed);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, failure_rolls_back_everything);
	tcase_add_test(tc, failure_keeps_earlier_commits);
	tcase_add_test(tc, non_transactional_revision);
	tcase_add_test(tc, several_statements_in_one);
	suite_add_tcase(s, tc);

	tc = tcase_create("graph");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, branches_and_merges);
	tcase_add_test(tc, example_full_cycle);
	tcase_add_test(tc, pg_dump_output_as_a_revision);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
