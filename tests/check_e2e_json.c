/*
 * check_e2e_json.c - `--json` of version, current, heads, history and check
 *
 * The shapes are documented in docs/commands.md ("--json") and promised stable, so
 * every case compares the whole line. Checksums come from `show`, the build
 * facts from the text `version`: the JSON must say what the text says.
 */
/* vasprintf */
#define _GNU_SOURCE
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "testutil.h"

/* The value after "KEY" up to the end of its line in `text`. Caller frees. */
static char *field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	ck_assert_msg(p != NULL, "no '%s' in:\n%s", key, text);
	p += strlen(key);
	while (*p == ' ')
		p++;
	return strndup(p, strcspn(p, "\n"));
}

/* sprintf into a fresh buffer. */
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
 * One revision object as json_revision() writes it; `rest` is everything
 * after "transactional" (is_head, is_branchpoint, is_merge, is_current).
 */
static char *rev(const char *fixture, const char *id, const char *message, const char *parents,
		 const char *depends, const char *labels, const char *date, const char *path,
		 const char *rest)
{
	struct e2e_run r = RUN(fixture, NULL, "show", id);
	e2e_assert_rc(&r, 0);
	char *sha = field(r.out, "SHA-256:"), *cks = field(r.out, "Checksum:");
	char *s = fmt("{\"revision\":\"%s\",\"message\":\"%s\",\"parents\":[%s],\"depends_on\":[%s],"
		      "\"branch_labels\":[%s],\"create_date\":\"%s\",\"path\":\"%s\","
		      "\"sha256\":\"%s\",\"checksum\":\"%s\",\"transactional\":true,%s}",
		      id, message, parents, depends, labels, date, path, sha, cks, rest);
	free(sha), free(cks);
	e2e_run_free(&r);
	return s;
}

static char *linear_rev(int k, const char *rest)
{
	switch (k) {
	case 1:
		return rev("linear", "a1a1a1a1a1a1", "create accounts", "", "", "", "2026-11-01 10:00:00",
			   "versions/a1_create_accounts.sql", rest);
	case 2:
		return rev("linear", "b2b2b2b2b2b2", "add email with backfill", "\"a1a1a1a1a1a1\"", "",
			   "", "2026-11-02 10:00:00", "versions/b2_add_email.sql", rest);
	default:
		return rev("linear", "c3c3c3c3c3c3", "index email", "\"b2b2b2b2b2b2\"", "", "",
			   "2026-11-03 10:00:00", "versions/c3_index.sql", rest);
	}
}

/* The connection as the migrator describes it (user@host:port/db). */
static char *target(const char *db)
{
	struct e2e_run r = RUN("linear", db, "current", "--verbose");
	e2e_assert_rc(&r, 0);
	char *t = field(r.out, "Current revision(s) for");
	t[strlen(t) - 1] = '\0'; /* the ':' */
	e2e_run_free(&r);
	return t;
}

START_TEST(version_json_matches_text)
{
	struct e2e_run t = RUN("linear", NULL, "version");
	e2e_assert_rc(&t, 0);
	char *release = field(t.out, "release:"), *built = field(t.out, "built:");
	char *digest = field(t.out, "digest:"), *generator = field(t.out, "generator:");
	char *libpq = field(t.out, "libpq:");
	char *want = fmt("{\"release\":\"%s\",\"build_date\":\"%s\",\"digest\":\"%s\",\"revisions\":3,"
			 "\"heads\":[\"c3c3c3c3c3c3\"],\"generator\":\"%s\",\"format\":2,"
			 "\"libpq\":\"%s\",\"static\":false}\n",
			 release, built, digest, generator, libpq);
	struct e2e_run r = RUN("linear", NULL, "version", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	ck_assert_str_eq(r.err, "");
	ck_assert_int_eq((int)strlen(digest), 64);
	free(release), free(built), free(digest), free(generator), free(libpq), free(want);
	e2e_run_free(&t);
	e2e_run_free(&r);
}
END_TEST

START_TEST(heads_json_with_labels_merges_and_dependencies)
{
	char *merge = rev("branchy", "4000000000cc", "merge alpha and beta",
			  "\"2000000000aa\",\"3000000000bb\"", "", "", "", "versions/merge.sql",
			  "\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":true");
	char *other = rev("branchy", "5000000000dd", "independent base", "", "\"2000000000aa\"",
			  "\"other\"", "", "versions/other.sql",
			  "\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":false");
	char *want = fmt("{\"heads\":[%s,%s]}\n", merge, other);
	struct e2e_run r = RUN("branchy", NULL, "heads", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	/* Options mix: --verbose does not change the JSON. */
	r = RUN("branchy", NULL, "heads", "--json", "--verbose");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	free(merge), free(other), free(want);
}
END_TEST

START_TEST(history_json_newest_first_with_current)
{
	e2e_createdb("json_hist");
	struct e2e_run r = RUN("linear", "json_hist", "upgrade", "+2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	const char *tail[] = {
		"\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false",
		"\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false",
		"\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":false",
	};
	char *a = linear_rev(1, tail[0]), *b = linear_rev(2, tail[1]), *c = linear_rev(3, tail[2]);
	char *want = fmt("{\"revisions\":[%s,%s,%s]}\n", c, b, a);
	r = RUN("linear", NULL, "history", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	free(a), free(b), free(c), free(want);

	a = linear_rev(1, "\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false,\"is_current\":false");
	b = linear_rev(2, "\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false,\"is_current\":true");
	want = fmt("{\"revisions\":[%s,%s]}\n", b, a);
	r = RUN("linear", "json_hist", "history", "-r", ":current", "-i", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	free(a), free(b), free(want);
}
END_TEST

START_TEST(current_json_empty_then_at_head)
{
	e2e_createdb("json_cur");
	char *t = target("json_cur");
	char *want = fmt("{\"database\":\"%s\",\"version_table\":\"alembic_version\",\"version_table_schema\":\"\","
			 "\"version_table_exists\":false,\"current\":[]}\n", t);
	struct e2e_run r = RUN("linear", "json_cur", "current", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);
	free(want);

	RUN_OK("linear", "json_cur", "upgrade", "head");
	char *c = linear_rev(3, "\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":false");
	want = fmt("{\"database\":\"%s\",\"version_table\":\"alembic_version\",\"version_table_schema\":\"\","
		   "\"version_table_exists\":true,\"current\":[%s]}\n", t, c);
	r = RUN("linear", "json_cur", "current", "--json", "--verbose");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);
	free(c), free(want), free(t);
}
END_TEST

START_TEST(check_json_pending_up_to_date_unknown)
{
	e2e_createdb("json_chk");
	struct e2e_run r = RUN("linear", "json_chk", "upgrade", "+1");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	char *t = target("json_chk");
	const char *tail = "\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false";
	char *b = linear_rev(2, tail);
	char *c = linear_rev(3, "\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":false");
	char *want = fmt("{\"status\":\"pending\",\"database\":\"%s\",\"current\":[\"a1a1a1a1a1a1\"],"
			 "\"heads\":[\"c3c3c3c3c3c3\"],\"pending\":[%s,%s]}\n", t, b, c);
	r = RUN("linear", "json_chk", "check", "--json");
	e2e_assert_rc(&r, 6);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	free(want), free(b), free(c);

	RUN_OK("linear", "json_chk", "upgrade", "head");
	want = fmt("{\"status\":\"up_to_date\",\"database\":\"%s\",\"current\":[\"c3c3c3c3c3c3\"],"
		   "\"heads\":[\"c3c3c3c3c3c3\"],\"pending\":[]}\n", t);
	r = RUN("linear", "json_chk", "check", "--json");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.out, want);
	e2e_run_free(&r);
	free(want);

	/* A newer release's revision: the JSON says so, the message stays on stderr. */
	e2e_exec("json_chk", "UPDATE alembic_version SET version_num = 'ffffffffffff'");
	want = fmt("{\"status\":\"unknown_revision\",\"database\":\"%s\",\"current\":[],"
		   "\"heads\":[\"c3c3c3c3c3c3\"],\"pending\":[]}\n", t);
	r = RUN("linear", "json_chk", "check", "--json");
	e2e_assert_rc(&r, 7);
	ck_assert_str_eq(r.out, want);
	ck_assert_msg(strstr(r.err, "'ffffffffffff', which this migrator does not know") != NULL,
		      "%s", r.err);
	e2e_run_free(&r);
	free(want), free(t);
}
END_TEST

START_TEST(json_is_refused_where_it_is_not_offered)
{
	struct e2e_run r = RUN("linear", NULL, "show", "c3", "--json");
	e2e_assert_rc(&r, 2);
	ck_assert_str_eq(r.out, "");
	e2e_run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("--json (end to end)");
	TCase *tc = tcase_create("json");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, version_json_matches_text);
	tcase_add_test(tc, heads_json_with_labels_merges_and_dependencies);
	tcase_add_test(tc, history_json_newest_first_with_current);
	tcase_add_test(tc, current_json_empty_then_at_head);
	tcase_add_test(tc, check_json_pending_up_to_date_unknown);
	tcase_add_test(tc, json_is_refused_where_it_is_not_offered);
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
