/*
 * check_e2e_hostile.c - the migrator under valgrind, and passwords that
 * never show
 *
 * valgrind: build/migrate (the example) runs a full upgrade/downgrade
 * cycle, and a failing migration, under memcheck; a leak (definite or
 * indirect) or a memory error makes valgrind exit 99 instead of the
 * migrator's own status. Skipped, saying so, without valgrind or in an
 * ASan build (the two do not mix; 'make asan-test' checks leaks its way).
 *
 * Passwords: a role with a distinctive password, given through
 * DATABASE_URL, DB_PASSWORD and alembic.ini in turn; every command the
 * migrator lists (each also with --help), offline runs and the error paths
 * (wrong password, unreachable server, malformed URLs, a failing statement)
 * run, and no byte of any output may hold the password.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

#define ROLE "hostile_pw"
#define PASSWORD "Zq9Sekr1tHostile"
#define DB "hostile_pw_db"

static void assert_rc(const struct e2e_run *r, int want, const char *what)
{
	ck_assert_msg(r->rc == want, "%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", what,
		      r->rc, want, r->out, r->err);
}

static char *migrator_path(const char *fixture)
{
	static char bin[512];

	if (strcmp(fixture, "example") == 0)
		snprintf(bin, sizeof(bin), "%s/migrate", tu_build_dir());
	else
		snprintf(bin, sizeof(bin), "%s/tests/migrate-%s", tu_build_dir(), fixture);
	return bin;
}

/* ---- valgrind ------------------------------------------------------------ */

/* valgrind's path, or NULL when it is not installed. */
static const char *find_valgrind(void)
{
	static char path[1024];
	const char *p = getenv("PATH");

	for (p = p ? p : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(path, sizeof(path), "%.*s/valgrind", (int)n, p);
		if (n && access(path, X_OK) == 0)
			return path;
		p += n + (p[n] == ':');
	}
	return NULL;
}

static bool valgrind_usable(void)
{
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "check_e2e_hostile: skipped the valgrind test: this is an ASan build\n");
	return false;
#endif
	if (!find_valgrind()) {
		fprintf(stderr, "check_e2e_hostile: skipped the valgrind test: valgrind is not "
			"installed (apt-get install valgrind)\n");
		return false;
	}
	return true;
}

/* Runs FIXTURE's migrator with args under memcheck against database db. */
static struct e2e_run under_valgrind(const char *fixture, const char *db, char *const args[])
{
	char *argv[32];
	char dbvar[256];
	size_t n = 0;

	argv[n++] = (char *)find_valgrind();
	argv[n++] = "-q";
	argv[n++] = "--leak-check=full";
	argv[n++] = "--errors-for-leak-kinds=definite,indirect";
	argv[n++] = "--error-exitcode=99";
	argv[n++] = migrator_path(fixture);
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(dbvar, sizeof(dbvar), "PGDATABASE=%s", db);
	char *env[] = { dbvar, NULL };
	struct e2e_run r;
	r.rc = tu_run(argv, env, &r.out, &r.err);
	return r;
}

START_TEST(valgrind_full_cycle)
{
	if (!valgrind_usable())
		return;
	e2e_createdb("hostile_vg");
	static char *const steps[][4] = {
		{ "upgrade", "head", NULL },
		{ "current", "--verbose", NULL },
		{ "history", "-i", NULL },
		{ "downgrade", "base", NULL },
		{ "upgrade", "head", "--sql", NULL },
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct e2e_run r = under_valgrind("example", "hostile_vg", steps[i]);
		assert_rc(&r, 0, steps[i][0]);
		ck_assert_msg(strstr(r.err, "==") == NULL, "valgrind reported:\n%s", r.err);
		e2e_run_free(&r);
	}
	char *got = e2e_query("hostile_vg", "SELECT count(*) FROM alembic_version");
	ck_assert_str_eq(got, "0");
	free(got);
}
END_TEST

/* The error path frees what it allocated too. */
START_TEST(valgrind_failed_migration)
{
	if (!valgrind_usable())
		return;
	e2e_createdb("hostile_vg_fail");
	static char *const up[] = { "upgrade", "head", NULL };
	struct e2e_run r = under_valgrind("failing", "hostile_vg_fail", up);
	assert_rc(&r, 5, "failing upgrade");
	ck_assert_msg(strstr(r.err, "==") == NULL, "valgrind reported:\n%s", r.err);
	e2e_run_free(&r);
}
END_TEST

/* ---- passwords ----------------------------------------------------------- */

/* One kind of configuration carrying the password. */
struct source {
	const char *name;
	char *env[8];
};

static char url_var[600], port_var[64], ini_var[600];

static void setup_sources(struct source *src)
{
	const char *port = getenv("RETORT_TEST_PGPORT");
	char path[512], ini[1024];

	snprintf(url_var, sizeof(url_var),
		 "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "@127.0.0.1:%s/" DB, port);
	snprintf(port_var, sizeof(port_var), "DB_PORT=%s", port);
	snprintf(path, sizeof(path), "%s/tests/hostile-alembic.ini", tu_build_dir());
	snprintf(ini, sizeof(ini),
		 "[alembic]\nscript_location = alembic\n"
		 "sqlalchemy.url = postgresql+psycopg2://" ROLE ":" PASSWORD "@127.0.0.1:%s/" DB "\n",
		 port);
	tu_write_file(path, ini);
	snprintf(ini_var, sizeof(ini_var), "ALEMBIC_CONFIG=%s", path);

	src[0] = (struct source){ "DATABASE_URL", { url_var, "PGHOST=", "PGPORT=", NULL } };
	src[1] = (struct source){ "DB_*", { "DB_USER=" ROLE, "DB_PASSWORD=" PASSWORD,
					    "DB_HOST=127.0.0.1", port_var, "DB_NAME=" DB,
					    "PGHOST=", "PGPORT=", NULL } };
	src[2] = (struct source){ "alembic.ini", { ini_var, "PGHOST=", "PGPORT=", NULL } };
}

static void setup_role(void)
{
	e2e_exec("postgres",
		 "DO $$ BEGIN CREATE ROLE " ROLE " LOGIN SUPERUSER PASSWORD '" PASSWORD "'; "
		 "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
	e2e_createdb(DB);
}

static int n_runs;

/* Runs the migrator and fails if the password shows anywhere in its output. */
static struct e2e_run run_checked(const char *fixture, char *const env[], char *const args[],
				  const char *what)
{
	char *argv[32], *fullenv[16];
	size_t n = 0, k = 0;

	argv[n++] = migrator_path(fixture);
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fullenv[k++] = "PGDATABASE=";
	for (size_t i = 0; env[i] && k < 15; i++)
		fullenv[k++] = env[i];
	fullenv[k] = NULL;

	struct e2e_run r;
	r.rc = tu_run(argv, fullenv, &r.out, &r.err);
	n_runs++;
	/* Also a part of it: a message may quote a token of the URL. */
	static const char *const secret[] = { PASSWORD, "Sekr1t", "%s3kr", "S3kr" };
	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
		ck_assert_msg(strstr(r.out, secret[i]) == NULL, "%s: the password is on stdout:\n%s",
			      what, r.out);
		ck_assert_msg(strstr(r.err, secret[i]) == NULL, "%s: the password is on stderr:\n%s",
			      what, r.err);
	}
	return r;
}

/* The commands `migrate --help` lists. */
static size_t list_commands(char names[][32], size_t max)
{
	char *args[] = { "--help", NULL };
	char *env[] = { NULL };
	struct e2e_run r = run_checked("example", env, args, "--help");
	size_t n = 0;

	assert_rc(&r, 0, "--help");
	const char *p = strstr(r.out, "\nCommands:\n");
	ck_assert_ptr_nonnull(p);
	for (p = strchr(p + 1, '\n') + 1; *p == ' ' && n < max; p = strchr(p, '\n') + 1) {
		if (sscanf(p, " %31s", names[n]) == 1)
			n++;
	}
	e2e_run_free(&r);
	return n;
}

START_TEST(password_in_no_output)
{
	struct source src[3];
	char cmds[32][32];

	setup_role();
	setup_sources(src);
	size_t n_cmds = list_commands(cmds, 32);
	ck_assert_uint_ge(n_cmds, 10);

	for (size_t s = 0; s < 3; s++) {
		char *const *env = src[s].env;
		struct e2e_run r;
		char what[256];

		/* Every command's help, and each command as an operator would run it. */
		for (size_t i = 0; i < n_cmds; i++) {
			char *help[] = { cmds[i], "--help", NULL };
			snprintf(what, sizeof(what), "%s: %.32s --help", src[s].name, cmds[i]);
			r = run_checked("example", env, help, what);
			assert_rc(&r, 0, what);
			e2e_run_free(&r);
			char *bare[] = { cmds[i], NULL };
			snprintf(what, sizeof(what), "%s: %.32s", src[s].name, cmds[i]);
			r = run_checked("example", env, bare, what);
			e2e_run_free(&r);
		}
		static char *const runs[][6] = {
			{ "upgrade", "head", NULL },
			{ "current", "--verbose", NULL },
			{ "history", "--verbose", "-i", NULL },
			{ "check", NULL },
			{ "show", "head", NULL },
			{ "heads", "--verbose", NULL },
			{ "branches", "--verbose", NULL },
			{ "version", NULL },
			{ "stamp", "base", NULL },
			{ "stamp", "head", NULL },
			{ "downgrade", "-1", NULL },
			{ "upgrade", "head", "--sql", NULL },
			{ "downgrade", "head:base", "--sql", NULL },
			{ "downgrade", "base", NULL },
			{ "upgrade", "nosuchrev", NULL },
			{ "--bogus-option", NULL },
		};
		for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
			snprintf(what, sizeof(what), "%s: %s %s", src[s].name, runs[i][0],
				 runs[i][1] ? runs[i][1] : "");
			r = run_checked("example", env, runs[i], what);
			if (i < 14)
				assert_rc(&r, 0, what);
			e2e_run_free(&r);
		}
		/* A failing statement reports the server's words, not the connection's. */
		static char *const up[] = { "upgrade", "head", NULL };
		snprintf(what, sizeof(what), "%s: failing upgrade", src[s].name);
		e2e_exec(DB, "DROP TABLE IF EXISTS alembic_version");
		r = run_checked("failing", env, up, what);
		assert_rc(&r, 5, what);
		e2e_run_free(&r);
		e2e_exec(DB, "DROP TABLE IF EXISTS alembic_version, widgets CASCADE");
	}
	/* 3 sources x (2 per command + 16 runs + 1 failing) plus the listing. */
	ck_assert_int_eq(n_runs, 1 + 3 * (2 * (int)n_cmds + 17));
}
END_TEST

START_TEST(password_in_no_error)
{
	const char *port = getenv("RETORT_TEST_PGPORT");
	char bad[16][600];
	size_t n = 0;

	setup_role();
	/* Wrong password; nothing listening; URLs libpq or we refuse. */
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "x@127.0.0.1:%s/" DB, port);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "@127.0.0.1:1/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "@no-such-host.invalid/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "@127.0.0.1:port/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "%%zz@127.0.0.1/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE ":" PASSWORD "@[::1/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE "@127.0.0.1:%s/" DB "?password=" PASSWORD "x", port);
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE "@127.0.0.1/" DB "?password=" PASSWORD "&bogus=1");
	snprintf(bad[n++], 600, "DATABASE_URL=postgresql://" ROLE "@127.0.0.1/" DB "?password=" PASSWORD "%%zz");
	snprintf(bad[n++], 600, "DATABASE_URL=mysql://" ROLE ":" PASSWORD "@127.0.0.1/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=" ROLE ":" PASSWORD "@127.0.0.1/" DB);
	snprintf(bad[n++], 600, "DATABASE_URL=host=127.0.0.1 password=" PASSWORD " bogus=1");
	snprintf(bad[n++], 600, "DATABASE_URL=host=127.0.0.1 port=1 password='" PASSWORD "'");
	static char *const cmds[][3] = {
		{ "upgrade", "head", NULL }, { "current", NULL }, { "check", NULL },
		{ "wait", "--timeout=1s", NULL },
	};
	for (size_t i = 0; i < n; i++) {
		char *env[] = { bad[i], "PGHOST=", "PGPORT=", NULL };
		for (size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
			char what[700];
			snprintf(what, sizeof(what), "%.600s %.32s", bad[i], cmds[c][0]);
			struct e2e_run r = run_checked("example", env, cmds[c], what);
			/* 'wait' only waits for a server that answers, as pg_isready. */
			if (strcmp(cmds[c][0], "wait") != 0)
				ck_assert_msg(r.rc != 0, "%s: exit 0", what);
			e2e_run_free(&r);
		}
	}

	/* DB_PASSWORD wrong, and an unreachable server. */
	char db_port[64];
	snprintf(db_port, sizeof(db_port), "DB_PORT=%s", port);
	char *env1[] = { "DB_USER=" ROLE, "DB_PASSWORD=" PASSWORD "x", "DB_HOST=127.0.0.1", db_port,
			 "DB_NAME=" DB, "PGHOST=", "PGPORT=", NULL };
	char *env2[] = { "DB_USER=" ROLE, "DB_PASSWORD=" PASSWORD, "DB_HOST=127.0.0.1", "DB_PORT=1",
			 "DB_NAME=" DB, "PGHOST=", "PGPORT=", NULL };
	char *const up[] = { "upgrade", "head", NULL };
	struct e2e_run r = run_checked("example", env1, up, "DB_PASSWORD wrong");
	assert_rc(&r, 4, "DB_PASSWORD wrong");
	e2e_run_free(&r);
	r = run_checked("example", env2, up, "DB_PORT unreachable");
	assert_rc(&r, 4, "DB_PORT unreachable");
	e2e_run_free(&r);

	/* alembic.ini with a wrong password, and a malformed URL in it. */
	char path[512], ini[1024], config[600];
	snprintf(path, sizeof(path), "%s/tests/hostile-bad-alembic.ini", tu_build_dir());
	snprintf(config, sizeof(config), "ALEMBIC_CONFIG=%s", path);
	char *env3[] = { config, "PGHOST=", "PGPORT=", NULL };
	static const char *const urls[] = {
		"postgresql://" ROLE ":" PASSWORD "x@127.0.0.1:%s/" DB,
		"postgresql://" ROLE ":" PASSWORD "@127.0.0.1:%s:/" DB "?sslmode=bogus",
		"postgresql://" ROLE ":" PASSWORD "@127.0.0.1:%s/" DB "%%(nosuch)s",
	};
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		char url[300];
		snprintf(url, sizeof(url), urls[i], port);
		snprintf(ini, sizeof(ini), "[alembic]\nsqlalchemy.url = %s\n", url);
		tu_write_file(path, ini);
		r = run_checked("example", env3, up, url);
		ck_assert_msg(r.rc != 0, "%s: exit 0", url);
		e2e_run_free(&r);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hostile (end to end)");
	TCase *tc = tcase_create("valgrind");

	/* memcheck runs a program some 20-50 times slower. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, valgrind_full_cycle);
	tcase_add_test(tc, valgrind_failed_migration);
	suite_add_tcase(s, tc);

	tc = tcase_create("passwords");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, password_in_no_output);
	tcase_add_test(tc, password_in_no_error);
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
