/*
 * check_e2e_docs.c - the docs cannot rot
 *
 * tests/docs/mdcheck.py does the reading: every relative link and #anchor
 * of README.md and the docs/ pages resolves, and every ```sh block runs. Each
 * page runs in its own empty directory outside the tree, against its own
 * database of the suite's cluster, with the installed layout make test
 * stages ($B/prefix: retort, its runtime) first on PATH and nothing of the
 * tree's build/ in reach, as a user's shell would be. Blocks marked
 * ```sh no-run REASON are listed, with their count, in the suite's output.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

static glob_t pages;

static void find_pages(void)
{
	if (glob("docs/*.md", 0, NULL, &pages) != 0) {
		fprintf(stderr, "check_e2e_docs: no docs/*.md here\n");
		exit(EXIT_FAILURE);
	}
}

/* python3 tests/docs/mdcheck.py MODE README.md docs/ pages */
static int mdcheck_all(const char *mode, char **out)
{
	char **argv = calloc(pages.gl_pathc + 5, sizeof *argv);
	ck_assert(argv != NULL);
	size_t n = 0;
	argv[n++] = "/usr/bin/python3";
	argv[n++] = "tests/docs/mdcheck.py";
	argv[n++] = (char *)mode;
	argv[n++] = "README.md";
	for (size_t i = 0; i < pages.gl_pathc; i++)
		argv[n++] = pages.gl_pathv[i];
	char *err;
	int rc = tu_run(argv, NULL, out, &err);
	ck_assert_msg(err[0] == '\0' || rc != 0, "mdcheck %s wrote to stderr:\n%s", mode, err);
	if (rc != 0) {
		char *both;
		ck_assert(asprintf(&both, "%s%s", *out, err) >= 0);
		free(*out);
		*out = both;
	}
	free(err), free(argv);
	return rc;
}

START_TEST(links_and_anchors_resolve)
{
	char *out;
	int rc = mdcheck_all("links", &out);
	ck_assert_msg(rc == 0, "%s", out);
	free(out);
}
END_TEST

/* Says which blocks are not run, and why: make test's output shows it. */
START_TEST(blocks_not_run_are_listed)
{
	char *out;
	int rc = mdcheck_all("skipped", &out);
	ck_assert_msg(rc == 0, "%s", out);
	printf("shell blocks marked no-run:\n%s", out);
	fflush(stdout);
	free(out);
}
END_TEST

/* Page _i: README.md, then the docs/ pages in name order. */
START_TEST(shell_blocks_run)
{
	const char *page = _i == 0 ? "README.md" : pages.gl_pathv[_i - 1];
	char cwd[4096];
	ck_assert(getcwd(cwd, sizeof cwd) != NULL);
	const char *t = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *dir, *db, *path, *prefix;
	ck_assert(asprintf(&dir, "%s/retort-docs-XXXXXX", t) >= 0);
	ck_assert(mkdtemp(dir) != NULL);

	/* A database per page: docs_readme, docs_install, ... */
	const char *base = strrchr(page, '/') ? strrchr(page, '/') + 1 : page;
	ck_assert(asprintf(&db, "docs_%.*s", (int)strcspn(base, "."), base) >= 0);
	for (char *p = db; *p; p++)
		*p = *p == '-' ? '_' : (char)(*p | 0x20);
	e2e_createdb(db);

	const char *b = tu_build_dir();
	ck_assert(asprintf(&prefix, "%s%s%s/prefix", b[0] == '/' ? "" : cwd, b[0] == '/' ? "" : "/",
			   b) >= 0);
	ck_assert(asprintf(&path, "PATH=%s/bin:%s", prefix, getenv("PATH")) >= 0);
	char *pgdb, *home, *abspage;
	ck_assert(asprintf(&pgdb, "PGDATABASE=%s", db) >= 0);
	ck_assert(asprintf(&home, "HOME=%s", dir) >= 0);
	ck_assert(asprintf(&abspage, "%s/%s", cwd, page) >= 0);
	/* A user's shell: git knows who they are; no make of ours around. */
	char *env[] = {
		path, pgdb, home, "GIT_AUTHOR_NAME=Docs Test", "GIT_AUTHOR_EMAIL=docs@example.com",
		"GIT_COMMITTER_NAME=Docs Test", "GIT_COMMITTER_EMAIL=docs@example.com",
		"MAKEFLAGS=", "MFLAGS=", "MAKELEVEL=", "MAKEOVERRIDES=", "RETORT_PREFIX=",
		"CC=", "LDFLAGS=", "RELEASE=", "MIGRATIONS=", "MIGRATOR=", "SOURCE_DATE_EPOCH=",
		NULL,
	};
	char *argv[] = { "/usr/bin/python3", "tests/docs/mdcheck.py", "run", abspage, dir, NULL };
	char *out, *err;
	int rc = tu_run(argv, env, &out, &err);
	ck_assert_msg(rc == 0, "%s: exit %d\n%s%s", page, rc, out, err);
	free(out), free(err);

	char *rm[] = { "/bin/rm", "-rf", dir, NULL };
	ck_assert_int_eq(tu_run(rm, NULL, &out, &err), 0);
	free(out), free(err);
	free(dir), free(db), free(path), free(prefix), free(pgdb), free(home), free(abspage);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("docs (end to end)");
	TCase *tc = tcase_create("docs");
	/* Pages build migrators: a few compiler and linker runs each. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, links_and_anchors_resolve);
	tcase_add_test(tc, blocks_not_run_are_listed);
	tcase_add_loop_test(tc, shell_blocks_run, 0, (int)pages.gl_pathc + 1);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	find_pages();
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	globfree(&pages);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
