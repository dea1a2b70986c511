/*
 * check_gen_heads.c - mistakes `retort compile` catches at build time
 * (issue 4): several undeclared heads warn, naming them; ids longer than
 * the version column are refused
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static char dir[512];

/* A fresh folder named after the case, under the build directory. */
static void folder(const char *name)
{
	snprintf(dir, sizeof(dir), "%s/tests/heads-%d-%s", tu_build_dir(), (int)getpid(), name);
}

static void rev(const char *id, const char *revises, const char *labels)
{
	char path[700], text[512];
	snprintf(path, sizeof(path), "%s/versions/%s.sql", dir, id);
	snprintf(text, sizeof(text), "-- Revision ID: %s\n-- Revises: %s\n%s%s%s\n"
		 "-- migrate:upgrade\nSELECT 1;\n", id, revises,
		 labels ? "-- Branch Labels: " : "", labels ? labels : "", labels ? "\n" : "");
	tu_write_file(path, text);
}

/* Runs `retort compile` on the folder; returns its exit status, *err its stderr. */
static int compile(char **err)
{
	char bin[512], out[700];
	snprintf(bin, sizeof(bin), "%s/retort", tu_build_dir());
	snprintf(out, sizeof(out), "%s.c", dir);
	char *argv[] = { bin, "compile", dir, "-o", out, NULL };
	char *o;
	int rc = tu_run(argv, NULL, &o, err);
	free(o);
	return rc;
}

START_TEST(two_undeclared_heads_warn)
{
	char *err;
	folder("two");
	rev("aaaa", "", NULL);
	rev("bbbb", "aaaa", NULL);
	rev("cccc", "aaaa", NULL);
	ck_assert_int_eq(compile(&err), 0);
	char want[2048];
	snprintf(want, sizeof(want),
		 "warning: the folder has 2 heads that no branch label declares: 'bbbb', 'cccc'\n"
		 "detail: 'bbbb' is in %s/versions/bbbb.sql\n"
		 "detail: 'cccc' is in %s/versions/cccc.sql\n"
		 "hint: 'upgrade head' refuses several heads: merge them (retort merge %s -m MSG "
		 "bbbb cccc), or give each separate line its own 'Branch Labels'\n", dir, dir, dir);
	ck_assert_str_eq(err, want);
	free(err);
}
END_TEST

/* A labelled branch beside an unlabelled trunk is intended. */
START_TEST(labelled_branch_is_intended)
{
	char *err;
	folder("labelled");
	rev("aaaa", "", NULL);
	rev("bbbb", "aaaa", NULL);
	rev("cccc", "aaaa", "side");
	rev("dddd", "cccc", NULL); /* the label sits below the head */
	ck_assert_int_eq(compile(&err), 0);
	ck_assert_str_eq(err, "");
	free(err);

	/* A second branch off the labelled one shares its label: not declared. */
	rev("eeee", "cccc", NULL);
	ck_assert_int_eq(compile(&err), 0);
	ck_assert_ptr_nonnull(strstr(err, "warning: the folder has 3 heads that no branch label "
					  "declares: 'bbbb', 'dddd', 'eeee'\n"));
	free(err);
}
END_TEST

/* Independent bases each with their own label: Alembic's multi-base layout. */
START_TEST(labelled_bases_and_merged_heads)
{
	char *err;
	folder("bases");
	rev("aaaa", "", "one");
	rev("bbbb", "", "two");
	ck_assert_int_eq(compile(&err), 0);
	ck_assert_str_eq(err, "");
	free(err);

	folder("merged");
	rev("aaaa", "", NULL);
	rev("bbbb", "aaaa", NULL);
	rev("cccc", "aaaa", NULL);
	rev("dddd", "bbbb, cccc", NULL);
	ck_assert_int_eq(compile(&err), 0);
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

START_TEST(id_longer_than_the_version_column)
{
	char *err;
	folder("long");
	rev("a23456789012345678901234567890123", "", NULL);
	ck_assert_int_eq(compile(&err), 1);
	ck_assert_ptr_nonnull(strstr(err, "error: revision id 'a23456789012345678901234567890123' "
					  "is longer than 32 characters\n"));
	ck_assert_ptr_nonnull(strstr(err, "detail: alembic_version.version_num is VARCHAR(32)\n"));
	free(err);

	folder("exact");
	rev("a2345678901234567890123456789012", "", NULL);
	ck_assert_int_eq(compile(&err), 0);
	free(err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compile-time mistakes");
	TCase *tc = tcase_create("heads");
	tcase_add_test(tc, two_undeclared_heads_warn);
	tcase_add_test(tc, labelled_branch_is_intended);
	tcase_add_test(tc, labelled_bases_and_merged_heads);
	tcase_add_test(tc, id_longer_than_the_version_column);
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
