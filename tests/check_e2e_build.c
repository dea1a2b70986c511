/*
 * check_e2e_build.c - `make` builds migrators from what the folder holds
 *
 * These cases run make in this tree, into the suite's build directory, on
 * migration folders made in a temporary directory: the generator and the
 * runtime are already built (make test-bins), so each make builds one small
 * migrator, or nothing. The migrators it builds are mostly asked `heads`
 * and `version`, which need no database; one runs against the suite's
 * cluster. Also here: what the built-in revision template writes, and
 * that `make bench` builds every migrator it runs.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

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

/* make's settings from the caller (B, CFLAGS of an ASan build) stay; these go. */
static char *const make_env[] = {
	"MIGRATIONS=", "MIGRATOR=", "RELEASE=", "SOURCE_DATE_EPOCH=", "HOSTCC=", "CC=", NULL,
};

/* Runs `cmd` with /bin/sh; returns its status, stdout and stderr in *out. */
static int sh(const char *cmd, char **out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *o, *e;
	int rc = tu_run(argv, make_env, &o, &e);
	*out = fmt("%s%s", o, e);
	size_t len = strlen(*out);
	if (rc != 0 && len > 3000)
		memmove(*out, *out + len - 3000, 3001);
	free(o), free(e);
	return rc;
}

static char *sh_ok(const char *cmd)
{
	char *out;
	int rc = sh(cmd, &out);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s", cmd, rc, out);
	return out;
}

static char *root, *tmp;

static void setup(void)
{
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	root = strdup(cwd);
	const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	tmp = fmt("%s/retort-build-XXXXXX", t);
	ck_assert(mkdtemp(tmp) != NULL);
}

static void teardown(void)
{
	char *cmd = fmt("rm -rf '%s'", tmp), *out = sh_ok(cmd);
	free(out), free(cmd), free(root), free(tmp);
}

/* Copies revisions of tests/fixtures/linear into TMP/FOLDER/versions. */
static void folder(const char *name, const char *files)
{
	char *cmd = fmt("mkdir -p '%s/%s/versions' && cd '%s/tests/fixtures/linear/versions' && "
			"cp %s '%s/%s/versions/'", tmp, name, root, files, tmp, name);
	free(sh_ok(cmd));
	free(cmd);
}

/*
 * Runs make from TMP, as a caller in another directory would: make -C
 * ROOT ARGS, building $B/tests/build-NAME. Returns what make printed.
 */
static char *make_in_tmp(const char *name, const char *args)
{
	char *cmd = fmt("cd '%s' && make -C '%s' --no-print-directory MIGRATOR=tests/build-%s %s",
			tmp, root, name, args);
	char *out = sh_ok(cmd);
	free(cmd);
	return out;
}

/* Output of the migrator build-NAME run with `args`. */
static char *ask(const char *name, const char *args)
{
	char *cmd = fmt("'%s/%s/tests/build-%s' %s", root, tu_build_dir(), name, args);
	char *out = sh_ok(cmd);
	free(cmd);
	return out;
}

static void assert_head(const char *name, const char *want)
{
	char *out = ask(name, "heads");
	ck_assert_contains(out, want);
	free(out);
}

/* Nothing compiled, generated or linked. */
static void assert_nothing_built(const char *out)
{
	static const char *const steps[] = { "  RE2C ", "  HOSTCC ", "  CC ", "  AR ", "  LINK ",
					     "  GEN ", NULL };
	for (size_t i = 0; steps[i]; i++)
		ck_assert_lacks(out, steps[i]);
}

/* Issue 8, item 5: make kept an earlier folder's migrations. */
START_TEST(migrations_follow_the_folder)
{
	folder("a", "a1_create_accounts.sql");
	folder("b", "a1_create_accounts.sql b2_add_email.sql");

	/* Relative folders are the caller's, not retort's. */
	free(make_in_tmp("follow", "MIGRATIONS=a"));
	assert_head("follow", "a1a1a1a1a1a1 (head)");

	/* Another folder for the same migrator. */
	free(make_in_tmp("follow", "MIGRATIONS=b"));
	assert_head("follow", "b2b2b2b2b2b2 (head)");

	/* A new file older than the last build (cp -p, tar x). */
	char *cmd = fmt("cp -p '%s/tests/fixtures/linear/versions/c3_index.sql' '%s/b/versions/' && "
			"touch -d 2001-01-01 '%s/b/versions/c3_index.sql'", root, tmp, tmp);
	free(sh_ok(cmd));
	free(cmd);
	free(make_in_tmp("follow", "MIGRATIONS=b"));
	assert_head("follow", "c3c3c3c3c3c3 (head)");

	/* Nothing changed: nothing is built. */
	char *out = make_in_tmp("follow", "MIGRATIONS=b");
	assert_nothing_built(out);
	free(out);

	/* A removed file is gone too. */
	cmd = fmt("rm '%s/b/versions/c3_index.sql'", tmp);
	free(sh_ok(cmd));
	free(cmd);
	free(make_in_tmp("follow", "MIGRATIONS=b"));
	assert_head("follow", "b2b2b2b2b2b2 (head)");
}
END_TEST

/* Issue 8, item 5: a RELEASE= change was ignored. */
START_TEST(release_name_follows_the_command_line)
{
	folder("a", "a1_create_accounts.sql");
	char *out;
	free(make_in_tmp("release", "MIGRATIONS=a RELEASE=v1.0.0"));
	out = ask("release", "version");
	ck_assert_contains(out, "release:    v1.0.0\n");
	free(out);
	free(make_in_tmp("release", "MIGRATIONS=a RELEASE=v1.0.1"));
	out = ask("release", "version");
	ck_assert_contains(out, "release:    v1.0.1\n");
	free(out);
	out = make_in_tmp("release", "MIGRATIONS=a RELEASE=v1.0.1");
	assert_nothing_built(out);
	free(out);
}
END_TEST

/* Issue 8, item 5: a relative MIGRATIONS= under make -C. */
START_TEST(relative_folder_without_pwd_is_refused)
{
	folder("a", "a1_create_accounts.sql");
	char *cmd = fmt("cd '%s' && env -u PWD make -C '%s' --no-print-directory "
			"MIGRATIONS=a MIGRATOR=tests/build-nopwd", tmp, root), *out;
	ck_assert_int_ne(sh(cmd, &out), 0);
	ck_assert_contains(out, "MIGRATIONS=a is relative");
	ck_assert_contains(out, "give an absolute path");
	free(out), free(cmd);
}
END_TEST

/* Issue 8, item 6: built: showed retort's own commit time. */
START_TEST(build_date_is_the_migrations)
{
	/* A project of its own, whose migrations were last committed in 2001. */
	char *cmd = fmt("cd '%s' && git init -q repo && mkdir -p repo/db/versions && "
			"cp '%s/tests/fixtures/linear/versions/a1_create_accounts.sql' repo/db/versions/ && "
			"cd repo && git add db && GIT_AUTHOR_DATE=2001-02-03T04:05:06Z "
			"GIT_COMMITTER_DATE=2001-02-03T04:05:06Z git -c user.name=t -c user.email=t@t "
			"commit -q -m migrations", tmp, root);
	free(sh_ok(cmd));
	free(cmd);
	free(make_in_tmp("date", "MIGRATIONS=repo/db"));
	char *out = ask("date", "version");
	ck_assert_contains(out, "built:      2001-02-03T04:05:06Z\n");
	free(out);

	/* SOURCE_DATE_EPOCH wins. */
	free(make_in_tmp("date", "MIGRATIONS=repo/db SOURCE_DATE_EPOCH=1000000000"));
	out = ask("date", "version");
	ck_assert_contains(out, "built:      2001-09-09T01:46:40Z\n");
	free(out);

	/* Never committed: no date to give, and no made-up one. */
	folder("loose", "a1_create_accounts.sql");
	free(make_in_tmp("date", "MIGRATIONS=loose"));
	out = ask("date", "version");
	ck_assert_contains(out, "built:      unknown\n");
	free(out);

	/* A release refuses to guess. */
	cmd = fmt("cd '%s' && make -C '%s' --no-print-directory MIGRATIONS=loose "
		  "MIGRATOR=build-loose release", tmp, root);
	ck_assert_int_ne(sh(cmd, &out), 0);
	ck_assert_contains(out, "no build date for a release");
	ck_assert_contains(out, "hint: commit the migrations, or set SOURCE_DATE_EPOCH");
	free(out), free(cmd);
}
END_TEST

/* Issue 8, item 24: make bench failed on a fresh clone. */
START_TEST(bench_builds_what_it_runs)
{
	/*
	 * A build directory holding what `make bench` builds first (the
	 * generator) and what is slow to rebuild (the runtime, release flavour
	 * too), copied with their times, and no migrator: as after `make bench`
	 * has built the generator in a fresh checkout. The bench builds its
	 * migrators and stops (timing takes minutes: bench/run.sh's knobs run
	 * it whole in seconds, by hand); every migrator bench.py runs is there.
	 * The chain is 5 revisions, not the default 20,000: building that took
	 * minutes on a loaded machine, past the suite's timeout.
	 */
	const char *b = tu_build_dir();
	char *cmd = fmt("mkdir -p '%s/b/release' && "
			"cp -a '%s/gen' '%s/rt' '%s/retort' '%s/libretort.a' '%s/b/' && "
			"cp -a '%s/release/rt' '%s/release/libretort.a' '%s/release/nogss.o' '%s/b/release/'",
			tmp, b, b, b, b, tmp, b, b, b, tmp);
	free(sh_ok(cmd));
	free(cmd);
	cmd = fmt("cd '%s' && B='%s/b' BENCH_N=3 BENCH_COMPILE_N=3 BENCH_CHAIN=5 BENCH_BUILD_ONLY=1 "
		  "bench/run.sh",
		  root, tmp);
	free(sh_ok(cmd));
	free(cmd);

	/* The binaries bench.py names, each answering. */
	cmd = fmt("cd '%s' && grep -o 'release/[a-z{}-]*' bench/bench.py | sort -u", root);
	char *names = sh_ok(cmd);
	free(cmd);
	ck_assert_contains(names, "release/migrate\n");
	ck_assert_contains(names, "release/bench-n{n}\n");
	cmd = fmt("'%s/b/release/migrate' --help && '%s/b/release/bench-n3' heads && "
		  "'%s/b/release/bench-chain5' heads", tmp, tmp, tmp);
	free(sh_ok(cmd));
	free(cmd), free(names);
}
END_TEST

/* Issue 8, item 23: an empty downgrade passed silently. */
START_TEST(new_revision_has_no_downgrade_until_written)
{
	/* `retort revision`, the upgrade filled in, the downgrade forgotten. */
	char *cmd = fmt("mkdir -p '%s/new/versions' && '%s/%s/retort' revision '%s/new' -m 'add t' "
			"--rev-id 0a0a0a0a0a0a >/dev/null && "
			"sed -i 's/^-- migrate:upgrade$/&\\nCREATE TABLE build_t (id int);/' "
			"'%s/new/versions/0a0a0a0a0a0a_add_t.sql'", tmp, root, tu_build_dir(), tmp, tmp);
	free(sh_ok(cmd));
	free(cmd);
	free(make_in_tmp("newrev", "MIGRATIONS=new"));

	e2e_createdb("build_newrev");
	cmd = fmt("PGDATABASE=build_newrev '%s/%s/tests/build-newrev' upgrade head", root,
		  tu_build_dir());
	free(sh_ok(cmd));
	free(cmd);
	e2e_assert_query("build_newrev", "SELECT to_regclass('build_t') IS NOT NULL", "t");

	/* Refused, not passed silently with the table left behind. */
	cmd = fmt("PGDATABASE=build_newrev '%s/%s/tests/build-newrev' downgrade base", root,
		  tu_build_dir());
	char *out;
	ck_assert_int_ne(sh(cmd, &out), 0);
	ck_assert_contains(out, "revision '0a0a0a0a0a0a'");
	ck_assert_contains(out, "has no downgrade section");
	free(out), free(cmd);
	e2e_assert_version("build_newrev", "0a0a0a0a0a0a");
}
END_TEST

/* The line of `out` that mentions `what`, up to its first space. */
static char *tool_for(const char *out, const char *what)
{
	const char *at = strstr(out, what);
	ck_assert_msg(at != NULL, "no '%s' in:\n%s", what, out);
	while (at > out && at[-1] != '\n')
		at--;
	return strndup(at, strcspn(at, " \n"));
}

/* Issue 8, item 5: HOSTCC defaulted to the target compiler. */
START_TEST(generator_is_built_for_this_machine)
{
	/*
	 * A cross compiler for the migrator does not build the generator
	 * (without the caller's make settings, which might name a HOSTCC).
	 */
	char *cmd = fmt("MAKEFLAGS= make -C '%s' --no-print-directory -n V=1 B='%s/b' CC=aarch64-linux-gnu-gcc "
			"'%s/b/gen/arena.o' '%s/b/rt/db.o'", root, tmp, tmp, tmp);
	char *out = sh_ok(cmd);
	char *gen = tool_for(out, "gen/arena.c"), *rt = tool_for(out, "runtime/db.c");
	ck_assert_str_eq(gen, "cc");
	ck_assert_str_eq(rt, "aarch64-linux-gnu-gcc");
	free(gen), free(rt), free(out), free(cmd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("build (end to end)");
	TCase *tc = tcase_create("make");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, migrations_follow_the_folder);
	tcase_add_test(tc, release_name_follows_the_command_line);
	tcase_add_test(tc, relative_folder_without_pwd_is_refused);
	tcase_add_test(tc, generator_is_built_for_this_machine);
	tcase_add_test(tc, build_date_is_the_migrations);
	tcase_add_test(tc, bench_builds_what_it_runs);
	tcase_add_test(tc, new_revision_has_no_downgrade_until_written);
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
