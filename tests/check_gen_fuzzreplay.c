/*
 * check_gen_fuzzreplay.c - every fuzz input kept in the tree, replayed
 *
 * The libFuzzer targets of tests/fuzz/ are included here without their
 * entry point, and each seed (its seed directories, as tests/fuzz/run.sh
 * names them) and each input that once crashed a target
 * (tests/fuzz/regressions/TARGET/) runs through its
 * target in a child process, so that a crash names the file. 'make test'
 * replays them in a plain build, 'make asan-test' under ASan and UBSan.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUZZ_NO_ENTRY
#include "fuzz/fuzz_emit.c"
#include "fuzz/fuzz_graph.c"
#include "fuzz/fuzz_lint.c"
#include "fuzz/fuzz_py.c"
#include "fuzz/fuzz_sqlhdr.c"
#include "fuzz/fuzz_sqllex.c"

#include "testutil.h"

/* Seeds beyond a target's own: the project's migration files, read in place. */
enum { OWN_ONLY, WITH_EXAMPLE, WITH_FIXTURES, WITH_ALEMBIC };

struct target {
	const char *name;
	int (*one)(const uint8_t *data, size_t size);
	const char *corpus; /* tests/fuzz/corpus/CORPUS */
	int more;
};

/* Keep in step with seed_dirs() in tests/fuzz/run.sh. */
static const struct target targets[] = {
	{ "fuzz_emit", fuzz_emit_one, "fuzz_emit", WITH_EXAMPLE },
	{ "fuzz_graph", fuzz_graph_one, "fuzz_graph", OWN_ONLY },
	{ "fuzz_py", fuzz_py_one, "py", WITH_ALEMBIC },
	{ "fuzz_lint", fuzz_lint_one, "sql", WITH_FIXTURES },
	{ "fuzz_sqlhdr", fuzz_sqlhdr_one, "sql", WITH_FIXTURES },
	{ "fuzz_sqllex", fuzz_sqllex_one, "sql", WITH_FIXTURES },
};

enum { N_TARGETS = sizeof(targets) / sizeof(targets[0]) };

/* Runs `path` through `t` in a child; returns how many files it ran (0 or 1). */
static int replay_file(const struct target *t, const char *path)
{
	size_t len;
	char *data = tu_read_file(path, &len);

	ck_assert_msg(data != NULL, "cannot read '%s'", path);
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		t->one((const uint8_t *)data, len);
		free(data);
		exit(0);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	free(data);
	if (WIFSIGNALED(status))
		ck_abort_msg("%s crashed on '%s' (signal %d)", t->name, path, WTERMSIG(status));
	ck_assert_msg(WEXITSTATUS(status) == 0, "%s failed on '%s' (exit %d)", t->name, path,
		      WEXITSTATUS(status));
	return 1;
}

/* Replays every file of `dir`; returns their number. */
static int replay_dir(const struct target *t, const char *dir)
{
	char path[512];
	int n = 0;

	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n += replay_file(t, path);
	}
	closedir(d);
	return n;
}

START_TEST(replay_corpus)
{
	const struct target *t = &targets[_i];

	char dir[256];

	/* An empty seed corpus means the path is wrong, not that all is well. */
	snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", t->corpus);
	ck_assert_int_gt(replay_dir(t, dir), 0);
	if (t->more >= WITH_EXAMPLE)
		ck_assert_int_gt(replay_dir(t, "migrations/versions"), 0);
	if (t->more >= WITH_FIXTURES) {
		DIR *d = opendir("tests/fixtures");
		ck_assert_ptr_nonnull(d);
		for (struct dirent *de; (de = readdir(d)) != NULL;) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(dir, sizeof(dir), "tests/fixtures/%.200s/versions", de->d_name);
			replay_dir(t, dir);
		}
		closedir(d);
	}
	if (t->more >= WITH_ALEMBIC) {
		/* tests/alembic/NAME/versions and tests/py/NAME/versions */
		static const char *const roots[] = { "tests/alembic", "tests/py" };
		for (size_t r = 0; r < sizeof roots / sizeof *roots; r++) {
			int n = 0;
			DIR *d = opendir(roots[r]);
			ck_assert_ptr_nonnull(d);
			for (struct dirent *de; (de = readdir(d)) != NULL;) {
				if (de->d_name[0] == '.')
					continue;
				snprintf(dir, sizeof(dir), "%s/%.200s/versions", roots[r], de->d_name);
				n += replay_dir(t, dir);
			}
			closedir(d);
			ck_assert_int_gt(n, 0);
		}
	}
	snprintf(dir, sizeof(dir), "tests/fuzz/regressions/%s", t->name);
	replay_dir(t, dir);
}
END_TEST

/* The targets themselves must be able to fail: a broken invariant aborts. */
START_TEST(targets_check_invariants)
{
	static const char ok[] = "-- Revision ID: a1\n-- Revises: None\n-- migrate:upgrade\nSELECT 1;\n";

	ck_assert_int_eq(fuzz_sqlhdr_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
	ck_assert_int_eq(fuzz_graph_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
	ck_assert_int_eq(fuzz_sqllex_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
	ck_assert_int_eq(fuzz_emit_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
	static const char py[] = "revision = 'a1'\ndown_revision = None\n"
				 "from alembic import op\ndef upgrade():\n    op.drop_table('t')\n";
	ck_assert_int_eq(fuzz_py_one((const uint8_t *)py, sizeof(py) - 1), 0);
	/* Twice in one process: the parser once freed its memory after each folder. */
	ck_assert_int_eq(fuzz_lint_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
	ck_assert_int_eq(fuzz_lint_one((const uint8_t *)ok, sizeof(ok) - 1), 0);
}
END_TEST

START_TEST(emit_lexer_rejects_bad_c)
{
	struct emit_lits l = { 0 };

	/* A literal the lexer reads back, pieces joined across lines. */
	emit_lex("x = \"a\\n\"\n\t\"\\101\\?\" ;", &l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0], "a\nA?");
	free(l.v[0]);
	free(l.v);
	free(l.len);
}
END_TEST

START_TEST(emit_lexer_aborts_on_nested_comment)
{
	struct emit_lits l = { 0 };

	emit_lex("/* a /* b */", &l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fuzzreplay");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, replay_corpus, 0, N_TARGETS);
	tcase_add_test(tc, targets_check_invariants);
	tcase_add_test(tc, emit_lexer_rejects_bad_c);
	tcase_add_test_raise_signal(tc, emit_lexer_aborts_on_nested_comment, SIGABRT);
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
