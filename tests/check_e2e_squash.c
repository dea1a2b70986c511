/*
 * check_e2e_squash.c - retort squash against the suite's cluster
 *
 * tests/squash/adopt/ is a history that does not build: b2b2 is a Python
 * backfill that reads rows back. c3c3 branches off a1a1 and d4d4 merges the
 * two; e5e5 comes after. at_rev.sql is what those revisions did to a real
 * database, with Alembic's version table at d4d4. Squashing up to d4d4 from
 * that database must give a folder that builds, on which a fresh database
 * and the old one end at the same schema, while a database at a replaced id
 * is refused. Each case works on its own copy of the folder in a temporary
 * directory and builds its migrator with make, as check_e2e_build.c does.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
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

static char *root, *tmp, *dev_env;

/* make's settings from the caller (B, CFLAGS of an ASan build) stay; these go. */
static int sh(const char *cmd, char **out)
{
	char *const env[] = { "MIGRATIONS=", "MIGRATOR=", "RELEASE=", "SOURCE_DATE_EPOCH=",
			      "HOSTCC=", "CC=", NULL };
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };
	char *o, *e;
	int rc = tu_run(argv, env, &o, &e);
	*out = fmt("%s%s", o, e);
	free(o), free(e);
	return rc;
}

static void sh_ok(const char *cmd)
{
	char *out;
	int rc = sh(cmd, &out);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s", cmd, rc, out);
	free(out);
}

static int retort(char **out, char **err, ...)
{
	char *argv[32];
	char *bin = fmt("%s/retort", tu_build_dir());
	int n = 0;
	va_list ap;
	argv[n++] = bin;
	va_start(ap, err);
	for (char *a; n < 31 && (a = va_arg(ap, char *));)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	char *const env[] = { dev_env, NULL };
	int rc = tu_run(argv, env, out, err);
	free(bin);
	return rc;
}

#define RETORT(out, err, ...) retort(out, err, __VA_ARGS__, (char *)NULL)

static char *url(const char *db)
{
	return fmt("postgresql://postgres@/%s?host=%s&port=%s", db, getenv("PGHOST"),
		   getenv("PGPORT"));
}

static void setup(void)
{
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof cwd) != NULL);
	root = strdup(cwd);
	tmp = fmt("%s/retort-squash-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert(mkdtemp(tmp) != NULL);
	dev_env = fmt("RETORT_DEV_URL=postgresql://postgres@/postgres?host=%s&port=%s",
		      getenv("PGHOST"), getenv("PGPORT"));
	char *cmd = fmt("cp -R '%s/tests/squash/adopt' '%s/adopt'", root, tmp);
	sh_ok(cmd);
	free(cmd);
}

static void teardown(void)
{
	char *cmd = fmt("rm -rf '%s'", tmp);
	sh_ok(cmd);
	free(cmd), free(root), free(tmp), free(dev_env);
}

static bool exists(const char *rel)
{
	char *p = fmt("%s/%s", tmp, rel);
	bool r = access(p, F_OK) == 0;
	free(p);
	return r;
}

/* A database where at_rev.sql ran, its version row then set to `at`. */
static void db_at(const char *db, const char *at)
{
	char *path = fmt("%s/tests/squash/adopt/at_rev.sql", root);
	char *sql = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(sql);
	e2e_createdb(db);
	ck_assert_int_eq(e2e_psql(db, sql), 0);
	char *set = fmt("UPDATE alembic_version SET version_num = '%s'", at);
	e2e_exec(db, set);
	free(set), free(sql), free(path);
}

START_TEST(uncompilable_history_squashed_from_a_database_at_rev)
{
	char *dir = fmt("%s/adopt", tmp), *out, *err;
	db_at("squash_at_rev", "d4d4");
	db_at("squash_wrong", "c3c3");
	char *at_rev = url("squash_at_rev"), *wrong = url("squash_wrong");

	/* b2b2 does not compile: its schema cannot be built here. */
	int rc = RETORT(&out, &err, "squash", dir, "--to", "d4d4");
	ck_assert_msg(rc == 1, "no --from-url: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "b2_backfill_email.py:20:16: error: reading the result of 'execute'");
	ck_assert_contains(err, "1 revision up to 'd4d4' does not compile");
	ck_assert_contains(err, "hint: pass --from-url");
	free(out), free(err);
	/* A database at another revision has another schema. */
	rc = RETORT(&out, &err, "squash", dir, "--to", "d4d4", "--from-url", wrong);
	ck_assert_msg(rc == 1, "wrong revision: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "the database of --from-url is at 'c3c3', not at 'd4d4'");
	free(out), free(err);
	ck_assert(exists("adopt/versions/b2_backfill_email.py"));
	ck_assert(!exists("adopt/squashed"));

	rc = RETORT(&out, &err, "squash", dir, "--to", "d4d4", "--from-url", at_rev);
	ck_assert_msg(rc == 0, "squash: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "/adopt/versions/d4d4_merge_email_and_orders.sql\n");
	ck_assert_contains(err, "b2_backfill_email.py does not compile; it is replaced");
	ck_assert_contains(err, "squashed 4 revisions up to 'd4d4'");
	free(out), free(err);
	char *path = fmt("%s/versions/d4d4_merge_email_and_orders.sql", dir);
	char *base = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(base);
	ck_assert_contains(base, "-- Revision ID: d4d4\n-- Revises:\n");
	ck_assert_contains(base, "-- Branch Labels: shop\n");
	ck_assert_contains(base, "-- Replaces: a1a1 ");
	ck_assert_contains(base, " b2b2");
	ck_assert_contains(base, " c3c3");
	ck_assert_contains(base, "CREATE TABLE public.users");
	ck_assert_contains(base, "email character varying(200)");
	ck_assert_contains(base, "CREATE INDEX orders_user_id ON public.orders");
	free(base), free(path);
	static const char *const moved[] = { "a1_users.py", "b2_backfill_email.py",
					     "c3_orders.sql", "d4_merge.sql" };
	for (size_t i = 0; i < 4; i++) {
		char *v = fmt("adopt/versions/%s", moved[i]), *s = fmt("adopt/squashed/%s", moved[i]);
		ck_assert_msg(!exists(v) && exists(s), "%s not moved", moved[i]);
		free(v), free(s);
	}
	ck_assert(exists("adopt/versions/e5_note.sql"));

	/* The new folder builds. */
	char *cmd = fmt("cd '%s' && make -C '%s' --no-print-directory MIGRATIONS='%s' "
			"MIGRATOR=tests/migrate-squash-adopt", tmp, root, dir);
	sh_ok(cmd);
	free(cmd);

	/* A fresh database gets the baseline, then e5e5. */
	e2e_createdb("squash_fresh");
	RUN_OK("squash-adopt", "squash_fresh", "upgrade", "head");
	e2e_assert_version("squash_fresh", "e5e5");
	/* The database at d4d4 upgrades as before, then is at head. */
	RUN_OK("squash-adopt", "squash_at_rev", "upgrade", "head");
	e2e_assert_version("squash_at_rev", "e5e5");
	RUN_OK("squash-adopt", "squash_at_rev", "upgrade", "head");
	e2e_assert_query("squash_at_rev", "SELECT count(email) FROM users", "2");
	/* Both paths end at the same schema. */
	char *fresh = url("squash_fresh");
	rc = RETORT(&out, &err, "diff", "--from", fresh, "--to", at_rev);
	ck_assert_msg(rc == 0, "the two paths differ: %d\n%s\n%s", rc, out, err);
	free(out), free(err);

	/* A database at a replaced id is refused, naming the baseline. */
	db_at("squash_replaced", "b2b2");
	struct e2e_run r = RUN("squash-adopt", "squash_replaced", "upgrade", "head");
	e2e_assert_rc(&r, 7);
	ck_assert_contains(r.err, "the database is at revision 'b2b2', which was squashed into "
			   "the baseline 'd4d4'");
	ck_assert_contains(r.err, "earlier release");
	e2e_run_free(&r);
	e2e_assert_version("squash_replaced", "b2b2");
	e2e_assert_query("squash_replaced", "SELECT count(*) FROM pg_attribute "
			 "WHERE attrelid = 'orders'::regclass AND attname = 'note'", "0");

	/* A revision naming a replaced id gets the baseline named. */
	path = fmt("%s/versions/f6_late.sql", dir);
	tu_write_file(path, "-- Revision ID: f6f6\n-- Revises: c3c3\n\n-- migrate:upgrade\n"
		      "SELECT 1;\n");
	rc = RETORT(&out, &err, "heads", dir);
	ck_assert_msg(rc == 1, "heads: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "'c3c3' was squashed into the baseline 'd4d4'");
	free(out), free(err), free(path);
	free(fresh), free(at_rev), free(wrong), free(dir);
}
END_TEST

START_TEST(branch_off_the_squashed_history_is_refused)
{
	char *dir = fmt("%s/adopt", tmp), *out, *err;
	/* f6f6 branches off c3c3, below d4d4, and is not below d4d4. */
	char *path = fmt("%s/versions/f6_side.sql", dir);
	tu_write_file(path, "-- Revision ID: f6f6\n-- Revises: c3c3\n\n-- migrate:upgrade\n"
		      "SELECT 1;\n");
	db_at("squash_branch", "d4d4");
	char *at_rev = url("squash_branch");
	int rc = RETORT(&out, &err, "squash", dir, "--to", "d4d4", "--from-url", at_rev);
	ck_assert_msg(rc == 1, "branch: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "f6_side.sql:2:13: error: revision 'f6f6' revises 'c3c3', which "
			   "squashing up to 'd4d4' would replace");
	ck_assert(exists("adopt/versions/c3_orders.sql"));
	ck_assert(!exists("adopt/squashed"));
	free(out), free(err);
	free(path), free(at_rev), free(dir);
}
END_TEST

/*
 * A history that compiles needs no database: it is applied to a scratch
 * one. A database migrated by the old migrator logged d4d4's own checksum;
 * the baseline's differs, and that is no edit.
 */
START_TEST(compiling_history_squashed_without_from_url)
{
	char *dir = fmt("%s/adopt", tmp), *out, *err;
	/* b2b2 rewritten in the static subset: the whole history builds. */
	char *path = fmt("%s/versions/b2_backfill_email.py", dir);
	tu_write_file(path, "\"\"\"email\n\nRevision ID: b2b2\nRevises: a1a1\n\"\"\"\n"
		      "from alembic import op\nimport sqlalchemy as sa\n\n"
		      "revision = 'b2b2'\ndown_revision = 'a1a1'\n\n\n"
		      "def upgrade():\n"
		      "    op.add_column('users', sa.Column('email', sa.String(length=200)))\n"
		      "    op.execute(\"UPDATE users SET email = name || '@example.com'\")\n\n\n"
		      "def downgrade():\n    op.drop_column('users', 'email')\n");
	char *cmd = fmt("cd '%s' && make -C '%s' --no-print-directory MIGRATIONS='%s' "
			"MIGRATOR=tests/migrate-squash-old", tmp, root, dir);
	sh_ok(cmd);
	free(cmd);
	e2e_createdb("squash_old");
	RUN_OK("squash-old", "squash_old", "upgrade", "d4d4");

	char *old = fmt("%s/old", tmp);
	int rc = RETORT(&out, &err, "squash", dir, "--to", "d4d4", "--move-to", old);
	ck_assert_msg(rc == 0, "squash: %d\n%s\n%s", rc, out, err);
	/* The backfill's rows are not schema: said, not dropped silently. */
	ck_assert_contains(err, "b2_backfill_email.py writes rows (UPDATE): the baseline creates "
			   "the schema only");
	free(out), free(err);
	cmd = fmt("cd '%s' && make -C '%s' --no-print-directory MIGRATIONS='%s' "
		  "MIGRATOR=tests/migrate-squash-new", tmp, root, dir);
	sh_ok(cmd);
	free(cmd);
	struct e2e_run r = RUN("squash-new", "squash_old", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "changed after revision");
	e2e_run_free(&r);
	e2e_assert_version("squash_old", "e5e5");
	ck_assert(exists("old/d4_merge.sql"));
	free(path), free(dir), free(old);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_squash");
	TCase *tc = tcase_create("squash");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, uncompilable_history_squashed_from_a_database_at_rev);
	tcase_add_test(tc, branch_off_the_squashed_history_is_refused);
	tcase_add_test(tc, compiling_history_squashed_without_from_url);
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
