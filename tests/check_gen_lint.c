/*
 * check_gen_lint.c - PostgreSQL's parser on every statement, and the linter
 *
 * Data-driven cases live in tests/lint/: CASE.expected holds exactly what
 * 'retort lint' prints (standard output, then standard error), and the
 * folder is the single file CASE.sql or CASE.py (as versions/CASE.*), or the
 * files of the directory CASE/: its .sql and .py files go to versions/, a
 * retort.ini to the folder, and a file 'args' holds extra arguments, one a
 * line. The exit status must be 1 exactly when an error was printed.
 *
 * RETORT_BLESS=1 rewrites the .expected files from what retort prints (read
 * the diff before keeping it).
 */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lint/parse.h"
#include "testutil.h"

#define LINT_DIR "tests/lint"

static char **cases;
static size_t n_cases;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_cases(void)
{
	DIR *d = opendir(LINT_DIR);
	size_t cap = 0;

	if (!d) {
		perror(LINT_DIR);
		exit(1);
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t len = strlen(de->d_name);
		if (len <= 9 || strcmp(de->d_name + len - 9, ".expected") != 0)
			continue;
		if (n_cases == cap) {
			cap = cap ? 2 * cap : 32;
			cases = realloc(cases, cap * sizeof(*cases));
		}
		cases[n_cases++] = strndup(de->d_name, len - 9);
	}
	closedir(d);
	qsort(cases, n_cases, sizeof(*cases), cmp_str);
}

static void run_rm(const char *dir)
{
	char *rm[] = { "/bin/rm", "-rf", (char *)dir, NULL };
	ck_assert_int_eq(tu_run(rm, NULL, NULL, NULL), 0);
}

/* A fresh folder $B/tests/lint/NAME with versions/; returns its path. */
static char *fresh_folder(const char *name)
{
	char *dir = malloc(1024), path[1100];

	snprintf(path, sizeof path, "%s/tests/lint", tu_build_dir());
	mkdir(path, 0777);
	snprintf(dir, 1024, "%s/tests/lint/%s", tu_build_dir(), name);
	run_rm(dir);
	ck_assert_int_eq(mkdir(dir, 0777), 0);
	snprintf(path, sizeof path, "%s/versions", dir);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	return dir;
}

static void copy(const char *from, const char *to)
{
	size_t len;
	char *data = tu_read_file(from, &len);
	ck_assert_msg(data != NULL, "cannot read '%s'", from);
	FILE *fp = fopen(to, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	free(data);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Copies the case into dir; returns the extra arguments (argv-style, in *args). */
static size_t copy_case(const char *name, const char *dir, char **args, size_t max_args)
{
	char src[512], dst[2048];
	const char *ext[] = { ".sql", ".py" };
	size_t n_args = 0;

	for (int i = 0; i < 2; i++) {
		snprintf(src, sizeof src, LINT_DIR "/%s%s", name, ext[i]);
		if (access(src, R_OK) == 0) {
			snprintf(dst, sizeof dst, "%s/versions/%s%s", dir, name, ext[i]);
			copy(src, dst);
			return 0;
		}
	}
	snprintf(src, sizeof src, LINT_DIR "/%s", name);
	DIR *d = opendir(src);
	ck_assert_msg(d != NULL, "case '%s' has no .sql, .py or directory", name);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		char file[1024];
		snprintf(file, sizeof file, "%s/%s", src, de->d_name);
		if (has_suffix(de->d_name, ".sql") || has_suffix(de->d_name, ".py")) {
			snprintf(dst, sizeof dst, "%s/versions/%s", dir, de->d_name);
			copy(file, dst);
		} else if (strcmp(de->d_name, "retort.ini") == 0) {
			snprintf(dst, sizeof dst, "%s/retort.ini", dir);
			copy(file, dst);
		} else if (strcmp(de->d_name, "args") == 0) {
			char *text = tu_read_file(file, NULL);
			for (char *tok = strtok(text, "\n"); tok && n_args < max_args; tok = strtok(NULL, "\n"))
				args[n_args++] = strdup(tok);
			free(text);
		}
	}
	closedir(d);
	return n_args;
}

START_TEST(lint_case)
{
	const char *name = cases[_i];
	char retort[512], path[1024];
	char *args[16];
	char *argv[24];
	size_t len;
	int argc = 0;

	char *dir = fresh_folder(name);
	size_t n_args = copy_case(name, dir, args, 16);
	snprintf(retort, sizeof retort, "%s/retort", tu_build_dir());
	argv[argc++] = retort;
	argv[argc++] = "lint";
	argv[argc++] = dir;
	for (size_t i = 0; i < n_args; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;

	char *out, *err;
	int rc = tu_run(argv, NULL, &out, &err);
	char *got = malloc(strlen(out) + strlen(err) + 1);
	strcpy(got, out);
	strcat(got, err);
	/* Paths show DIR as typed: keep what is typed from $B/tests/lint, NAME/... */
	size_t skip = strlen(dir) - strlen(name);
	char *w = got;
	for (const char *r = got; *r;) {
		if (strncmp(r, dir, strlen(dir)) == 0)
			r += skip;
		*w++ = *r++;
	}
	*w = '\0';
	snprintf(path, sizeof path, LINT_DIR "/%s.expected", name);
	if (getenv("RETORT_BLESS"))
		tu_write_file(path, got);
	char *want = tu_read_file(path, &len);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(strcmp(got, want) == 0, "case '%s': retort printed\n%s\nwanted\n%s", name,
		      got, want);
	bool errors = strstr(err, ": error: ") || strncmp(err, "error: ", 7) == 0 ||
		      strstr(err, "\nerror: ") ||
		      (strstr(out, "\"errors\": ") && !strstr(out, "\"errors\": 0,"));
	ck_assert_msg(rc == (errors ? 1 : 0), "case '%s': exit %d", name, rc);
	for (size_t i = 0; i < n_args; i++)
		free(args[i]);
	free(got);
	free(want);
	free(out);
	free(err);
	run_rm(dir);
	free(dir);
}
END_TEST

/* ---- compile: lint errors stop the build, warnings do not (unless --werror) ---- */

static int compile(const char *dir, const char *extra, char **err)
{
	char retort[512], out_c[1100];
	snprintf(retort, sizeof retort, "%s/retort", tu_build_dir());
	snprintf(out_c, sizeof out_c, "%s.c", dir);
	unlink(out_c);
	char *argv[] = { retort, "compile", (char *)dir, "-o", out_c, (char *)extra, NULL };
	int rc = tu_run(argv, NULL, NULL, err);
	ck_assert_int_eq(access(out_c, F_OK) == 0, rc == 0);
	/* Paths show DIR as typed; the cases check what follows it. */
	size_t skip = strlen(dir) + 1;
	char *w = *err;
	for (const char *r = *err; *r;) {
		if (strncmp(r, dir, strlen(dir)) == 0 && r[strlen(dir)] == '/')
			r += skip;
		*w++ = *r++;
	}
	*w = '\0';
	return rc;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[1100];
	snprintf(path, sizeof path, "%s/versions/%s", dir, name);
	tu_write_file(path, text);
}

START_TEST(compile_warns_and_builds)
{
	char *dir = fresh_folder("compile_warns"), *err;
	put(dir, "a.sql", "-- Revision ID: a\n-- Revises: None\n-- migrate:upgrade\n"
		"CREATE TABLE t (id int);\n");
	put(dir, "b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\n"
		"SET LOCAL lock_timeout = '1s';\nCREATE INDEX t_id ON t (id);\n");
	ck_assert_int_eq(compile(dir, NULL, &err), 0);
	ck_assert_pstr_eq(strstr(err, "versions/b.sql:5:1: warning: CREATE INDEX without "
				 "CONCURRENTLY"), err);
	free(err);
	/* --werror: the same warning is an error, and nothing is written. */
	ck_assert_int_eq(compile(dir, "--werror", &err), 1);
	ck_assert_pstr_eq(strstr(err, "versions/b.sql:5:1: error: CREATE INDEX without "
				 "CONCURRENTLY"), err);
	ck_assert_ptr_nonnull(strstr(err, "retort: 1 error\n"));
	free(err);
	run_rm(dir);
	free(dir);
}
END_TEST

START_TEST(compile_stops_on_syntax_error)
{
	char *dir = fresh_folder("compile_syntax"), *err;
	put(dir, "a.sql", "-- Revision ID: a\n-- Revises: None\n-- migrate:upgrade\n"
		"CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x intt DEFALT 1;\n");
	ck_assert_int_eq(compile(dir, NULL, &err), 1);
	ck_assert_str_eq(err, "versions/a.sql:5:33: error: syntax error at or near \"DEFALT\" "
			 "[syntax-error]\n"
			 "    5 | ALTER TABLE t ADD COLUMN x intt DEFALT 1;\n"
			 "      |                                 ^\n"
			 "retort: 1 error\n");
	free(err);
	run_rm(dir);
	free(dir);
}
END_TEST

/* Several statements rendered by one .py call, and its syntax error. */
START_TEST(compile_py_rendered_error)
{
	char *dir = fresh_folder("compile_py"), *err;
	put(dir, "p.py", "from alembic import op\nrevision = 'p'\ndown_revision = None\n\ndef upgrade():\n"
		"    op.execute(\"SELECT 1; SELEC 2\")\n\n\ndef downgrade():\n    pass\n");
	ck_assert_int_eq(compile(dir, NULL, &err), 1);
	ck_assert_str_eq(err, "versions/p.py:6:5: error: syntax error at or near \"SELEC\" "
			 "[syntax-error]\n"
			 "    6 |     op.execute(\"SELECT 1; SELEC 2\")\n"
			 "      |     ^\n"
			 "detail: in the SQL this call renders, at byte 11: SELECT 1; SELEC 2;\n"
			 "retort: 1 error\n");
	free(err);
	run_rm(dir);
	free(dir);
}
END_TEST

/* The parser counts characters; the file has bytes. */
START_TEST(cursor_counts_characters)
{
	const char *sql = "SELECT 'é€𝄞', 1 FROM WHERE;";
	size_t len = strlen(sql);
	ck_assert_uint_eq(lint_cursor_byte(sql, len, 0), 0);
	ck_assert_uint_eq(lint_cursor_byte(sql, len, 1), 0);
	/* "FROM" is character 17 and byte 22 (é 2, € 3, 𝄞 4 bytes). */
	ck_assert_uint_eq(lint_cursor_byte(sql, len, 17), 22);
	ck_assert_uint_eq(lint_cursor_byte(sql, len, 22), 27);
	ck_assert_uint_eq(lint_cursor_byte(sql, len, 1000), len - 1);

	struct lint_parsed p;
	ck_assert_int_eq(lint_parse(sql, len, true, &p), -1);
	ck_assert_str_eq(p.message, "syntax error at or near \"WHERE\"");
	ck_assert_uint_eq(p.err_off, 27);
	lint_parsed_free(&p);
}
END_TEST

static Suite *lint_suite(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("corpus");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, lint_case, 0, (int)n_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("compile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, compile_warns_and_builds);
	tcase_add_test(tc, compile_stops_on_syntax_error);
	tcase_add_test(tc, compile_py_rendered_error);
	tcase_add_test(tc, cursor_counts_characters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	load_cases();
	SRunner *sr = srunner_create(lint_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
