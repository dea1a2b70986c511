/*
 * check_e2e_install.c - retort installed, and `retort build` from anywhere
 *
 * `make test` stages the installed layout in $B/prefix (test-bins). These
 * cases run `retort build` from temporary directories outside the tree, on
 * folders there, with that runtime, with one installed by `make install
 * DESTDIR=`, and with the one in the .deb `make deb` writes (built once,
 * unpacked with dpkg-deb -x); the migrators built run against the suite's
 * cluster. One static build is compared with `make release`'s bytes.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * Settings of the caller that must not reach retort build or make. CFLAGS
 * stays: under make asan-test the runtime is built with sanitizers, and
 * retort build links with $CFLAGS as make does.
 */
static char *const clean_env[] = {
	"MAKEFLAGS=", "MFLAGS=", "MAKELEVEL=", "MAKEOVERRIDES=", "CC=", "LDFLAGS=",
	"RELEASE=", "MIGRATIONS=", "MIGRATOR=", "RETORT_PREFIX=", NULL,
};

/* Runs `cmd` with /bin/sh; returns its status, stdout and stderr in *out. */
static int sh(const char *cmd, char **out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *o, *e;
	int rc = tu_run(argv, clean_env, &o, &e);
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

static char *root, *tmp, *retort, *prefix;

static void setup(void)
{
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof(cwd)) != NULL);
	root = strdup(cwd);
	const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	tmp = fmt("%s/retort-install-XXXXXX", t);
	ck_assert(mkdtemp(tmp) != NULL);
	retort = fmt("%s/%s/retort", root, tu_build_dir());
	prefix = fmt("%s/%s/prefix", root, tu_build_dir());
}

static void teardown(void)
{
	char *cmd = fmt("rm -rf '%s'", tmp);
	free(sh_ok(cmd));
	free(cmd), free(root), free(tmp), free(retort), free(prefix);
}

/* A project outside the tree: TMP/proj/NAME holding tests/fixtures/linear. */
static void project(const char *name)
{
	char *cmd = fmt("mkdir -p '%s/proj/%s' && cp -r '%s/tests/fixtures/linear/versions' "
			"'%s/proj/%s/'", tmp, name, root, tmp, name);
	free(sh_ok(cmd));
	free(cmd);
}

/* Runs the migrator TMP/proj/BIN against `db` and checks it is at `want`. */
static void upgrade_and_check(const char *bin, const char *db, const char *want)
{
	e2e_createdb(db);
	char *cmd = fmt("cd '%s/proj' && PGDATABASE=%s ./%s upgrade head && "
			"PGDATABASE=%s ./%s current", tmp, db, bin, db, bin);
	char *out = sh_ok(cmd);
	ck_assert_contains(out, want);
	free(out), free(cmd);
	e2e_assert_version(db, want);
}

static const char linear_head[] = "c3c3c3c3c3c3";

START_TEST(build_in_a_project_outside_the_tree)
{
	project("db");
	char *cmd = fmt("cd '%s/proj' && RETORT_PREFIX='%s' '%s' build db -o migrate --release r7",
			tmp, prefix, retort);
	free(sh_ok(cmd));
	free(cmd);
	cmd = fmt("'%s/proj/migrate' version", tmp);
	char *out = sh_ok(cmd);
	ck_assert_contains(out, "release:    r7\n");
	/* Not in a git checkout: an everyday build's date is unknown. */
	ck_assert_contains(out, "built:      unknown\n");
	free(out), free(cmd);
	upgrade_and_check("migrate", "install_build", linear_head);
}
END_TEST

START_TEST(static_build_is_make_release_byte_for_byte)
{
	/* test-bins made $B/release/migrate from migrations/, release "dev". */
	char *bin = fmt("%s/m", tmp);
	char *cmd = fmt("cd '%s' && RETORT_PREFIX='%s' '%s' build '%s/migrations' --static -o m",
			tmp, prefix, retort, root);
	free(sh_ok(cmd));
	free(cmd);
	char *rel = fmt("%s/%s/release/migrate", root, tu_build_dir());
	size_t la, lb;
	char *a = tu_read_file(bin, &la), *b = tu_read_file(rel, &lb);
	ck_assert(a && b);
	ck_assert_msg(la == lb && memcmp(a, b, la) == 0, "%s (%zu bytes) differs from %s (%zu bytes)",
		      bin, la, rel, lb);
	free(a), free(b), free(rel), free(bin);
}
END_TEST

START_TEST(init_then_revision_then_build)
{
	char *cmd = fmt("mkdir -p '%s/proj' && cd '%s/proj' && '%s' init db", tmp, tmp, retort);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "db/versions\ndb/retort.ini\ndb/script.sql.tmpl\n");
	free(out), free(cmd);

	/* The folder is ready for revision; what it writes builds and runs. */
	cmd = fmt("cd '%s/proj' && '%s' revision db -m 'add t' --rev-id 0b0b0b0b0b0b && "
		  "sed -i 's/^-- migrate:upgrade$/&\\nCREATE TABLE install_t (id int);/' "
		  "db/versions/0b0b0b0b0b0b_add_t.sql && "
		  "RETORT_PREFIX='%s' '%s' build db -o migrate", tmp, retort, prefix, retort);
	out = sh_ok(cmd);
	ck_assert_contains(out, "db/versions/0b0b0b0b0b0b_add_t.sql\n");
	free(out), free(cmd);
	upgrade_and_check("migrate", "install_init", "0b0b0b0b0b0b");
	e2e_assert_query("install_init", "SELECT to_regclass('install_t') IS NOT NULL", "t");

	/* Never over a folder that is there. */
	cmd = fmt("cd '%s/proj' && '%s' init db", tmp, retort);
	ck_assert_int_eq(sh(cmd, &out), 1);
	ck_assert_contains(out, "error: 'db' is already a migration folder");
	free(out), free(cmd);
}
END_TEST

START_TEST(folder_from_alembic_ini)
{
	project("alembic");
	char *ini = fmt("%s/proj/alembic.ini", tmp);
	tu_write_file(ini, "[alembic]\nscript_location = %(here)s/alembic\n");
	char *cmd = fmt("cd '%s/proj' && RETORT_PREFIX='%s' '%s' build -o migrate", tmp, prefix,
			retort);
	free(sh_ok(cmd));
	free(cmd);
	upgrade_and_check("migrate", "install_ini", linear_head);

	/* Diagnostics name files as the folder was typed (here by alembic.ini). */
	char *bad = fmt("%s/proj/alembic/versions/bad.py", tmp);
	tu_write_file(bad, "revision = 'e'\n");
	cmd = fmt("cd '%s/proj' && RETORT_PREFIX='%s' '%s' build -o migrate", tmp, prefix, retort);
	char *out;
	ck_assert_int_eq(sh(cmd, &out), 1);
	const char *want = "alembic/versions/bad.py:1:1: error: the script does not set";
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "expected '%s' first in:\n%s", want, out);
	free(out), free(cmd);
	ck_assert_int_eq(unlink(bad), 0);
	free(bad);

	/* A package resource is not a folder: refused, with the way out. */
	tu_write_file(ini, "[alembic]\nscript_location = myapp:migrations\n");
	cmd = fmt("cd '%s/proj' && '%s' build -o migrate", tmp, retort);
	ck_assert_int_eq(sh(cmd, &out), 1);
	ck_assert_contains(out, "'myapp:migrations' is not a plain directory");
	ck_assert_contains(out, "hint: name the migration folder on the command line");
	free(out), free(cmd), free(ini);
}
END_TEST

START_TEST(missing_runtime_or_compiler_says_what_to_install)
{
	project("db");
	char *out;
	char *cmd = fmt("cd '%s/proj' && echo old >migrate && RETORT_PREFIX='%s/none' '%s' build db"
			" -o migrate", tmp, tmp, retort);
	ck_assert_int_eq(sh(cmd, &out), 1);
	ck_assert_contains(out, "error: retort's runtime library '");
	ck_assert_contains(out, "/none/lib/retort/libretort.a' not found");
	ck_assert_contains(out, "hint: install retort with 'make install'");
	free(out), free(cmd);

	cmd = fmt("cd '%s/proj' && CC=no-such-cc RETORT_PREFIX='%s' '%s' build db -o migrate",
		  tmp, prefix, retort);
	ck_assert_int_eq(sh(cmd, &out), 1);
	ck_assert_contains(out, "error: cannot run 'no-such-cc': No such file or directory");
	ck_assert_contains(out, "hint: CC='no-such-cc' names no program");
	free(out), free(cmd);

	/* Neither failure touched the old file. */
	cmd = fmt("%s/proj/migrate", tmp);
	size_t len;
	char *old = tu_read_file(cmd, &len);
	ck_assert_str_eq(old, "old\n");
	free(old), free(cmd);
}
END_TEST

/* Every path `make install` writes, under PREFIX. */
static const char *const installed[] = {
	"bin/retort", "lib/retort/libretort.a", "lib/retort/libretort-static.a",
	"lib/retort/nogss.o", "lib/retort/buildinfo.c", "include/retort/migration.h",
	"include/retort/buildinfo.h", "share/man/man1/retort.1",
	"share/man/man1/retort-migrator.1", "share/doc/retort/README.md",
	"share/doc/retort/docs/commands.md", "share/doc/retort/docs/install.md",
};

START_TEST(make_install_then_uninstall)
{
	char *cmd = fmt("make -C '%s' --no-print-directory B='%s' install DESTDIR='%s/dest'"
			" PREFIX=/opt/r", root, tu_build_dir(), tmp);
	free(sh_ok(cmd));
	free(cmd);
	for (size_t i = 0; i < sizeof installed / sizeof *installed; i++) {
		char *p = fmt("%s/dest/opt/r/%s", tmp, installed[i]);
		ck_assert_msg(access(p, F_OK) == 0, "%s not installed", p);
		free(p);
	}
	/* Without RETORT_PREFIX: the runtime beside the installed retort. */
	project("db");
	cmd = fmt("cd '%s/proj' && '%s/dest/opt/r/bin/retort' build db -o migrate", tmp, tmp);
	free(sh_ok(cmd));
	free(cmd);
	upgrade_and_check("migrate", "install_make", linear_head);

	cmd = fmt("make -C '%s' --no-print-directory B='%s' uninstall DESTDIR='%s/dest'"
		  " PREFIX=/opt/r && find '%s/dest' -type f", root, tu_build_dir(), tmp, tmp);
	char *out = sh_ok(cmd);
	ck_assert_str_eq(out, "");
	free(out), free(cmd);
}
END_TEST

START_TEST(deb_package_installs_and_builds)
{
	char *cmd = fmt("make -C '%s' --no-print-directory B='%s' deb", root, tu_build_dir());
	char *deb = sh_ok(cmd);
	free(cmd);
	deb[strcspn(deb, "\n")] = '\0';
	ck_assert_msg(strstr(deb, "/retort_") && strstr(deb, ".deb"), "make deb printed '%s'", deb);
	char *path = deb[0] == '/' ? strdup(deb) : fmt("%s/%s", root, deb);

	cmd = fmt("dpkg-deb --field '%s' Package Depends", path);
	char *out = sh_ok(cmd);
	ck_assert_contains(out, "Package: retort\n");
	const char *needs[] = { "libssl3", "libinih1", "gcc | c-compiler", "libc6-dev",
				"libpq-dev", "libinih-dev", "libssl-dev",
				"postgresql-server-dev-" };
	for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
		ck_assert_contains(out, needs[i]);
	free(out), free(cmd);

	cmd = fmt("dpkg-deb --contents '%s'", path);
	out = sh_ok(cmd);
	ck_assert_contains(out, "root/root");
	for (size_t i = 0; i < sizeof installed / sizeof *installed; i++) {
		/* Man pages compressed, as Debian wants them. */
		bool page = strstr(installed[i], "/man1/") != NULL;
		char *p = fmt(" ./usr/%s%s\n", installed[i], page ? ".gz" : "");
		ck_assert_contains(out, p);
		free(p);
	}
	free(out), free(cmd);

	/* Unpacked as dpkg would, then used from a project elsewhere. */
	project("db");
	cmd = fmt("dpkg-deb -x '%s' '%s/root' && cd '%s/proj' && '%s/root/usr/bin/retort' build db"
		  " -o migrate", path, tmp, tmp, tmp);
	free(sh_ok(cmd));
	free(cmd);
	upgrade_and_check("migrate", "install_deb", linear_head);
	free(path), free(deb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("install (end to end)");
	TCase *tc = tcase_create("install");
	tcase_add_checked_fixture(tc, setup, teardown);
	/* Compiler and linker runs, a few each. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, build_in_a_project_outside_the_tree);
	tcase_add_test(tc, static_build_is_make_release_byte_for_byte);
	tcase_add_test(tc, init_then_revision_then_build);
	tcase_add_test(tc, folder_from_alembic_ini);
	tcase_add_test(tc, missing_runtime_or_compiler_says_what_to_install);
	tcase_add_test(tc, make_install_then_uninstall);
	tcase_add_test(tc, deb_package_installs_and_builds);
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
