/*
 * check_e2e_alembic.c - the Alembic front end against real Alembic
 *
 * For each script folder in tests/alembic/ (built by the Makefile into
 * build/tests/migrate-alembic-NAME), tests/alembic/difftest.py applies the
 * folder with Debian's Alembic 1.8 / SQLAlchemy 1.4 and with our migrator to
 * two fresh databases and compares: `upgrade heads --sql` statement by
 * statement, pg_dump --schema-only after every revision, at the heads and
 * after downgrade base, and hand-over in both directions with `current`
 * agreeing. Any difference fails the case with the diff.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void difftest(const char *name)
{
	char folder[256], bin[512];
	snprintf(folder, sizeof folder, "tests/alembic/%s", name);
	snprintf(bin, sizeof bin, "%s/tests/migrate-alembic-%s", tu_build_dir(), name);
	char *argv[] = { "/usr/bin/python3", "tests/alembic/difftest.py", folder, bin, NULL };
	char *out, *err;
	int rc = tu_run(argv, NULL, &out, &err);
	ck_assert_msg(rc == 0, "difftest %s: exit %d\n%s%s", name, rc, out, err);
	ck_assert_msg(strstr(out, "same as Alembic") != NULL, "%s", out);
	free(out);
	free(err);
}

/* Every op, type and constraint form of the issue on a linear history. */
START_TEST(ops_match_alembic)
{
	difftest("ops");
}
END_TEST

/* Branches, a merge, depends_on, enums, batch blocks, an autocommit block,
 * and build-time evaluation (loops, helpers, f-strings, dialect checks). */
START_TEST(evaluated_scripts_match_alembic)
{
	difftest("evald");
}
END_TEST

/* Forms found in public histories (tests/alembic/realworld.py measures
 * them): schemas, sa.Index in create_table, inline checks, text()
 * parameters, logging, partitioned tables. */
START_TEST(real_world_forms_match_alembic)
{
	difftest("reach");
}
END_TEST

/* env.py's target_metadata has a naming convention (every key form and
 * token), retort.ini the same: unnamed constraints and indexes, op.f(),
 * drop_constraint through %(constraint_name)s, truncation, batch blocks. */
START_TEST(naming_convention_matches_alembic)
{
	difftest("naming");
}
END_TEST

/* Application settings declared in retort.ini [constants] and, for real
 * Alembic, held by a stand-in module (app/config.py): 'if', 'not', 'and',
 * 'or', conditional expressions, comparisons and comprehensions on them. */
START_TEST(declared_constants_match_alembic)
{
	difftest("consts");
}
END_TEST

/* Issue 10, part 2: what is static, as real Alembic writes it: create_table's
 * return value in bulk_insert; SQLAlchemy expressions (comparisons,
 * and_/or_/not_, in_/is_/isnot, arithmetic, sa.func, sa.literal) in checks,
 * defaults, partial indexes, computed columns and where(); execute(...,
 * execution_options=None); sa.update/insert/delete(t); non-native enums
 * with their CHECK; sequences; DefaultClause; other dialects' types and
 * branches; print; application enum classes declared in retort.ini. */
START_TEST(static_forms_match_alembic)
{
	difftest("static");
}
END_TEST

/* upgrade(op, ...) with env.py passing Alembic's op, and a dialect test
 * on str(bind.engine.url) (online only: Alembic's --sql has no URL). */
START_TEST(op_parameter_matches_alembic)
{
	difftest("sig");
}
END_TEST

/*
 * Issue 8, item 19: real Alembic's autogenerate, run against a database our
 * migrator upgraded, proposes nothing about retort's tables (its history
 * log lives in schema retort, which autogenerate does not look at).
 */
START_TEST(autogenerate_ignores_our_tables)
{
	char bin[512];
	snprintf(bin, sizeof bin, "%s/tests/migrate-linear", tu_build_dir());
	char *argv[] = { "/usr/bin/python3", "tests/alembic/autogen.py", bin, NULL };
	char *out, *err;
	int rc = tu_run(argv, NULL, &out, &err);
	ck_assert_msg(rc == 0, "autogen.py: exit %d\n%s%s", rc, out, err);
	ck_assert_msg(strstr(out, "autogenerate leaves retort's tables alone") != NULL, "%s", out);
	free(out);
	free(err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_alembic");
	TCase *tc = tcase_create("difftest");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, ops_match_alembic);
	tcase_add_test(tc, evaluated_scripts_match_alembic);
	tcase_add_test(tc, real_world_forms_match_alembic);
	tcase_add_test(tc, naming_convention_matches_alembic);
	tcase_add_test(tc, declared_constants_match_alembic);
	tcase_add_test(tc, static_forms_match_alembic);
	tcase_add_test(tc, op_parameter_matches_alembic);
	tcase_add_test(tc, autogenerate_ignores_our_tables);
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
