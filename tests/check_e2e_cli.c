/*
 * check_e2e_cli.c - the command line people expect, from both binaries
 *
 * Colour only on terminals (a pty through script(1)) and never under
 * NO_COLOR or TERM=dumb, --color to say otherwise; --quiet and --verbose on
 * the migrator; did-you-mean for commands, options and revisions; the
 * generator's heads/history --json identical to the migrator's; every
 * command that takes DIR reading alembic.ini's script_location without one.
 * Messages are compared whole.
 */
/* asprintf */
#define _GNU_SOURCE
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "testutil.h"

#define RED "\033[1;31m"
#define YELLOW "\033[1;33m"
#define CYAN "\033[1;36m"
#define GREEN "\033[1;32m"
#define OFF "\033[0m"

/* A terminal that takes colour, whatever the suite's environment says. */
static char *const tty_env[] = { "TERM=xterm", "NO_COLOR=", NULL };

static const char *retort_path(void)
{
	static char path[PATH_MAX];
	if (!path[0]) {
		char rel[PATH_MAX];
		snprintf(rel, sizeof rel, "%s/retort", tu_build_dir());
		ck_assert_ptr_nonnull(realpath(rel, path));
	}
	return path;
}

/* build/retort with args (NULL-ended) and extra environment `env`. */
static struct e2e_run retort_env(char *const env[], ...)
{
	char *argv[32];
	int n = 0;
	va_list ap;
	struct e2e_run r;

	argv[n++] = (char *)retort_path();
	va_start(ap, env);
	for (char *a; (a = va_arg(ap, char *)) != NULL && n < 31;)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	r.rc = tu_run(argv, env, &r.out, &r.err);
	return r;
}
#define RETORT(...) retort_env(NULL, __VA_ARGS__, (char *)NULL)

/* `cmd` run by sh on a pseudo-terminal (script(1)): what the terminal showed. */
static char *on_tty(const char *cmd, char *const env[])
{
	char ts[PATH_MAX], *out, *err;
	snprintf(ts, sizeof ts, "%s/tests/cli-typescript", tu_build_dir());
	/* util-linux's script(1), in Debian's essential bsdutils. */
	char *argv[] = { "/usr/bin/script", "-qec", (char *)cmd, ts, NULL };
	tu_run(argv, env, &out, &err);
	free(err);
	/* The terminal turns "\n" into "\r\n". */
	size_t k = 0;
	for (size_t i = 0; out[i]; i++)
		if (out[i] != '\r')
			out[k++] = out[i];
	out[k] = '\0';
	return out;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	va_start(ap, f);
	ck_assert(vasprintf(&s, f, ap) >= 0);
	va_end(ap);
	return s;
}

START_TEST(colour_with_color_always_and_never)
{
	char *const no_color[] = { "NO_COLOR=1", NULL };
	/* An explicit --color=always outranks NO_COLOR, as no-color.org asks. */
	struct e2e_run r = e2e_migrate("linear", NULL, no_color, "--color=always", "upgrade",
				       "hed", "--sql", (char *)NULL);
	e2e_assert_rc(&r, 8);
	ck_assert_str_eq(r.err, "migrate-linear: " RED "error:" OFF
			 " can't locate revision identified by 'hed'\n"
			 CYAN "hint:" OFF " did you mean 'head'?\n");
	e2e_run_free(&r);
	/* Not a terminal: no colour by default. */
	r = RUN("linear", NULL, "upgrade", "hed", "--sql");
	ck_assert_str_eq(r.err, "migrate-linear: error: can't locate revision identified by 'hed'\n"
			 "hint: did you mean 'head'?\n");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "--color=sometimes", "heads");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "migrate-linear: error: '--color=sometimes': --color takes auto, "
			 "always or never\ntry 'migrate-linear --help'\n");
	e2e_run_free(&r);

	/* The generator: warnings yellow, notes and hints cyan, errors red. */
	r = RETORT("--color=always", "lint", "tests/fixtures/linear");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "tests/fixtures/linear/versions/c3_index.sql:7:1: " YELLOW "warning:"
			   OFF " CREATE INDEX without CONCURRENTLY");
	ck_assert_contains(r.err, "tests/fixtures/linear/versions/b2_add_email.sql:7:1: " CYAN "note:"
			   OFF " this revision locks");
	ck_assert_contains(r.err, "\n" CYAN "hint:" OFF " CREATE INDEX CONCURRENTLY");
	e2e_run_free(&r);
	char *bad = fmt("%s/tests/cli-bad/versions/a.sql", tu_build_dir());
	tu_write_file(bad, "-- Mesage: x\n");
	*strstr(bad, "/versions/") = '\0';
	r = RETORT("heads", bad, "--color=always");
	e2e_assert_rc(&r, 1);
	char *want = fmt("%s/versions/a.sql:1:4: " RED "error:" OFF " unknown header key 'Mesage'\n"
			 "    1 | -- Mesage: x\n      |    ^\n" CYAN "hint:" OFF " did you mean 'Message'?\n",
			 bad);
	ck_assert_contains(r.err, want);
	free(want), free(bad);
	e2e_run_free(&r);
	r = RETORT("lint", "tests/fixtures/linear", "--color=never");
	ck_assert_lacks(r.err, "\033[");
	e2e_run_free(&r);
	r = RETORT("--color=bright", "heads");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: '--color=bright': --color takes auto, always or never\n"
			 "try 'retort --help'\n");
	e2e_run_free(&r);
}
END_TEST

START_TEST(colour_on_terminals_unless_no_color_or_dumb)
{
	char *mig = fmt("%s/tests/migrate-linear upgrade hed --sql", tu_build_dir());
	const char *coloured = "migrate-linear: " RED "error:" OFF
			       " can't locate revision identified by 'hed'\n"
			       CYAN "hint:" OFF " did you mean 'head'?\n";
	const char *plain = "migrate-linear: error: can't locate revision identified by 'hed'\n"
			    "hint: did you mean 'head'?\n";
	char *const no_color[] = { "TERM=xterm", "NO_COLOR=1", NULL };
	char *const empty_no_color[] = { "TERM=xterm", "NO_COLOR=", NULL };
	char *const dumb[] = { "TERM=dumb", "NO_COLOR=", NULL };

	char *out = on_tty(mig, tty_env);
	ck_assert_str_eq(out, coloured);
	free(out);
	out = on_tty(mig, no_color);
	ck_assert_str_eq(out, plain);
	free(out);
	/* no-color.org: an empty NO_COLOR is as good as none. */
	out = on_tty(mig, empty_no_color);
	ck_assert_str_eq(out, coloured);
	free(out);
	out = on_tty(mig, dumb);
	ck_assert_str_eq(out, plain);
	free(out);
	char *never = fmt("%s --color=never", mig);
	out = on_tty(never, tty_env);
	ck_assert_str_eq(out, plain);
	free(out), free(never), free(mig);

	char *gen = fmt("%s histroy", retort_path());
	out = on_tty(gen, tty_env);
	ck_assert_str_eq(out, "retort: unknown command 'histroy'\n"
			 CYAN "hint:" OFF " did you mean 'history'?\ntry 'retort --help'\n");
	free(out);
	out = on_tty(gen, no_color);
	ck_assert_str_eq(out, "retort: unknown command 'histroy'\n"
			 "hint: did you mean 'history'?\ntry 'retort --help'\n");
	free(out), free(gen);
}
END_TEST

START_TEST(running_lines_quiet_and_verbose)
{
	e2e_createdb("cli1");
	struct e2e_run r = RUN("linear", "cli1", "--color=always", "upgrade", "a1a1");
	e2e_assert_rc(&r, 0);
	ck_assert_msg(strncmp(r.err, GREEN "Running" OFF " upgrade  -> a1a1a1a1a1a1, create accounts\n"
			      "Finished upgrade  -> a1a1a1a1a1a1 in ", 86) == 0, "%s", r.err);
	e2e_run_free(&r);

	/* Each statement's place as it starts (not on a terminal: no redraws). */
	r = RUN("linear", "cli1", "upgrade", "b2b2", "--verbose");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2, add email with backfill\n"
			   "  versions/b2_add_email.sql:7:1: ALTER TABLE accounts ADD COLUMN email varchar(255);\n"
			   "  versions/b2_add_email.sql:8:1: UPDATE accounts SET email = lower(name) || "
			   "'@example.com' WHERE email IS ...\n"
			   "  versions/b2_add_email.sql:9:1: CREATE FUNCTION touch_email() RETURNS trigger "
			   "LANGUAGE plpgsql AS $fn$\n"
			   "Finished upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2 in ");
	e2e_run_free(&r);

	/* --quiet: nothing but errors, exit codes unchanged. */
	r = RUN("linear", "cli1", "-q", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);
	r = RUN("linear", "cli1", "upgrade", "head", "--quiet");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);
	e2e_assert_version("cli1", "c3c3c3c3c3c3");
	r = RUN("linear", "cli1", "--quiet", "downgrade", "base", "-v");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);
	e2e_assert_version("cli1", "");
	r = RUN("linear", "cli1", "--quiet", "stamp", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);

	e2e_createdb("cli2");
	struct e2e_run loud = RUN("failing", "cli2", "upgrade", "head");
	e2e_createdb("cli2");
	r = RUN("failing", "cli2", "upgrade", "head", "-q");
	e2e_assert_rc(&r, loud.rc);
	ck_assert_int_eq(r.rc, 5);
	ck_assert_lacks(r.err, "Running");
	ck_assert_contains(r.err, "versions/f2_bad.sql:10:8: ERROR:  42703: column \"nmae\" does not exist\n");
	ck_assert_contains(loud.err, "Running upgrade f1f1f1f1f1f1 -> f2f2f2f2f2f2");
	e2e_run_free(&r);
	e2e_run_free(&loud);
}
END_TEST

START_TEST(did_you_mean_everywhere)
{
	struct e2e_run r = RUN("linear", NULL, "heads", "--jsno");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "migrate-linear: error: unknown option '--jsno'\n"
			 "hint: did you mean '--json'?\ntry 'migrate-linear heads --help'\n");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "--cofnig=x", "heads");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "migrate-linear: error: unknown option '--cofnig=x'\n"
			 "hint: did you mean '--config'?\ntry 'migrate-linear --help'\n");
	e2e_run_free(&r);
	r = RUN("linear", NULL, "history", "-r");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "migrate-linear: error: option '-r' needs a value\n"
			 "try 'migrate-linear history --help'\n");
	e2e_run_free(&r);
	/* A typo in a partial id, and in a full one; equally near ones all named. */
	r = RUN("linear", NULL, "upgrade", "c3c3c3c4", "--sql");
	e2e_assert_rc(&r, 8);
	ck_assert_str_eq(r.err, "migrate-linear: error: can't locate revision identified by 'c3c3c3c4'\n"
			 "hint: did you mean 'c3c3c3c3c3c3'?\n");
	e2e_run_free(&r);
	r = RUN("branchy", NULL, "upgrade", "0000000000aa", "--sql");
	e2e_assert_rc(&r, 8);
	ck_assert_str_eq(r.err, "migrate-branchy: error: can't locate revision identified by "
			 "'0000000000aa'\nhint: did you mean '1000000000aa' or '2000000000aa'?\n");
	e2e_run_free(&r);

	r = RETORT("histroy");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: unknown command 'histroy'\nhint: did you mean 'history'?\n"
			 "try 'retort --help'\n");
	e2e_run_free(&r);
	r = RETORT("upgade", "head");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: unknown command 'upgade'\nhint: did you mean 'upgrade'? It is "
			 "a command of the migrator retort builds: 'retort build DIR -o migrate', "
			 "then 'migrate upgrade'\ntry 'retort --help'\n");
	e2e_run_free(&r);
	r = RETORT("lint", "tests/fixtures/linear", "--wreror");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: lint: unknown option '--wreror'\n"
			 "hint: did you mean '--werror'?\ntry 'retort --help'\n");
	e2e_run_free(&r);
	r = RETORT("build", "--relase", "x");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: build: unknown option '--relase'\n"
			 "hint: did you mean '--release'?\ntry 'retort build --help'\n");
	e2e_run_free(&r);
	r = RETORT("check", "--schmea", "x");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.err, "retort: check: unknown option '--schmea'\n"
			 "hint: did you mean '--schema'?\ntry 'retort --help'\n");
	e2e_run_free(&r);
	r = RETORT("lint", "tests/fixtures/linear", "--frobnicate");
	ck_assert_str_eq(r.err, "retort: lint: unknown option '--frobnicate'\ntry 'retort --help'\n");
	e2e_run_free(&r);
}
END_TEST

/* The generator's heads/history --json are the migrator's, byte for byte. */
START_TEST(generator_json_is_the_migrators)
{
	static const char *const fixtures[] = { "linear", "branchy", "merge3dep", "nontx" };
	static const char *const cmds[][2] = {
		{ "heads", NULL }, { "heads", "--resolve-dependencies" }, { "history", NULL },
	};
	for (size_t f = 0; f < sizeof fixtures / sizeof *fixtures; f++) {
		char *dir = fmt("tests/fixtures/%s", fixtures[f]);
		for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
			struct e2e_run g = cmds[c][1]
				? RETORT(cmds[c][0], dir, "--json", cmds[c][1])
				: RETORT(cmds[c][0], dir, "--json");
			struct e2e_run m = cmds[c][1]
				? RUN(fixtures[f], NULL, cmds[c][0], "--json", cmds[c][1])
				: RUN(fixtures[f], NULL, cmds[c][0], "--json");
			e2e_assert_rc(&g, 0);
			e2e_assert_rc(&m, 0);
			ck_assert_msg(strncmp(m.out, "{\"", 2) == 0, "%s", m.out);
			ck_assert_msg(strcmp(g.out, m.out) == 0, "%s %s --json:\n  retort:  %s  migrator: %s",
				      fixtures[f], cmds[c][0], g.out, m.out);
			e2e_run_free(&g);
			e2e_run_free(&m);
		}
		free(dir);
	}
}
END_TEST

/* Runs `retort ARGS` (a shell word list) in `dir`; returns its run. */
static struct e2e_run in_dir(const char *dir, const char *args)
{
	char *cmd = fmt("cd '%s' && exec '%s' %s", dir, retort_path(), args);
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct e2e_run r;
	r.rc = tu_run(argv, NULL, &r.out, &r.err);
	free(cmd);
	return r;
}

START_TEST(dir_from_alembic_ini)
{
	char *dir = fmt("%s/tests/cli-ini", tu_build_dir());
	char *rm = fmt("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	ck_assert_int_eq(system(rm), 0);
	free(rm);

	/* No alembic.ini: the error says what to do. */
	struct e2e_run r = in_dir(dir, "heads");
	e2e_assert_rc(&r, 1);
	ck_assert_str_eq(r.err, "retort: error: no DIR given, and no alembic.ini here to find it in\n"
			 "hint: name the migration folder, e.g. 'retort heads alembic'\n");
	e2e_run_free(&r);

	char *ini = fmt("%s/alembic.ini", dir);
	tu_write_file(ini, "[alembic]\nscript_location = %(here)s/db\n");
	free(ini);
	r = in_dir(dir, "init db");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = in_dir(dir, "revision -m first --rev-id aaaa1111aaaa");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "db/versions/aaaa1111aaaa_first.sql\n");
	e2e_run_free(&r);
	r = in_dir(dir, "revision -m second --rev-id bbbb2222bbbb");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = in_dir(dir, "revision -m side --rev-id cccc3333cccc --head aaaa1111aaaa --splice");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = in_dir(dir, "heads");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "bbbb2222bbbb (head)\ncccc3333cccc (head)\n");
	e2e_run_free(&r);
	/* merge: the first argument is a revision, not a folder. */
	r = in_dir(dir, "merge -m join heads --rev-id dddd4444dddd");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, "db/versions/dddd4444dddd_join.sql\n");
	e2e_run_free(&r);
	r = in_dir(dir, "history");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out,
			 "bbbb2222bbbb, cccc3333cccc -> dddd4444dddd (head) (mergepoint), join\n"
			 "aaaa1111aaaa -> cccc3333cccc, side\n"
			 "aaaa1111aaaa -> bbbb2222bbbb, second\n"
			 "<base> -> aaaa1111aaaa (branchpoint), first\n");
	e2e_run_free(&r);
	r = in_dir(dir, "heads --json");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "\"path\":\"versions/dddd4444dddd_join.sql\"");
	e2e_run_free(&r);
	r = in_dir(dir, "lint");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = in_dir(dir, "compile -o out.c");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	char *c = fmt("%s/out.c", dir);
	char *text = tu_read_file(c, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_contains(text, "\"dddd4444dddd\"");
	free(text), free(c);

	/* Paths in diagnostics as alembic.ini gives the folder. */
	char *bad = fmt("%s/db/versions/eeee_bad.sql", dir);
	tu_write_file(bad, "-- Message: bad\n-- Revision ID: eeee5555eeee\n-- Revises: dddd4444dddd\n"
		      "-- Colour: red\n\n-- migrate:upgrade\nSELECT 1;\n");
	free(bad);
	r = in_dir(dir, "heads");
	e2e_assert_rc(&r, 1);
	ck_assert_contains(r.err, "db/versions/eeee_bad.sql:4:4: error: unknown header key 'Colour'\n");
	e2e_run_free(&r);
	free(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("command line (end to end)");
	TCase *tc = tcase_create("cli");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, colour_with_color_always_and_never);
	tcase_add_test(tc, colour_on_terminals_unless_no_color_or_dumb);
	tcase_add_test(tc, running_lines_quiet_and_verbose);
	tcase_add_test(tc, did_you_mean_everywhere);
	tcase_add_test(tc, generator_json_is_the_migrators);
	tcase_add_test(tc, dir_from_alembic_ini);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
