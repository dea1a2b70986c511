/*
 * check_rt_json.c - the JSON writer behind --json (runtime/json.c)
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* json_str(s) as text. Caller frees. */
static char *str_json(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	json_str(fp, s);
	fclose(fp);
	return buf;
}

static const struct {
	const char *in, *want;
} cases[] = {
	{ "", "\"\"" },
	{ "plain id_09", "\"plain id_09\"" },
	{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
	{ "back\\slash", "\"back\\\\slash\"" },
	{ "line\nbreak\r\ttab", "\"line\\nbreak\\r\\ttab\"" },
	{ "bell\a esc\x1b del\x7f", "\"bell\\u0007 esc\\u001b del\\u007f\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x98\"" },
	/* Not UTF-8: a lone continuation byte, an overlong '/', a surrogate, a cut sequence. */
	{ "a\x80z", "\"a\\ufffdz\"" },
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },
	{ "end\xe2\x82", "\"end\\ufffd\\ufffd\"" },
	{ "/slash</script>", "\"/slash</script>\"" },
};

START_TEST(escapes_strings)
{
	char *got = str_json(cases[_i].in);
	ck_assert_str_eq(got, cases[_i].want);
	free(got);
}
END_TEST

/* Two revisions, the second a merge with a label and a dependency. */
static const unsigned parents_b[] = { 0 };
static const unsigned depends_b[] = { 0 };
static const char *const labels_b[] = { "lab\"el" };
static const struct rt_revision revs[] = {
	{ .id = "a1", .message = "first", .create_date = "", .path = "versions/a1.sql",
	  .sha256 = "aa", .checksum = "sha256-v1:bb", .transactional = 1 },
	{ .id = "b2", .message = "second\tone", .create_date = "2026-01-02 03:04:05",
	  .path = "versions/b2.sql", .sha256 = "cc", .checksum = "sha256-v1:dd", .transactional = 0,
	  .n_parents = 1, .parents = parents_b, .n_depends = 1, .depends = depends_b,
	  .n_labels = 1, .labels = labels_b },
};
static const struct rt_set set = { RT_FORMAT, "retort test", "ee", 2, revs };

START_TEST(writes_a_revision)
{
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	unsigned cur[] = { 1 };

	ck_assert_int_eq(report_init(&r, &set), 0);
	FILE *fp = open_memstream(&buf, &len);
	json_revision(fp, &r, 0);
	fputc('\n', fp);
	report_set_current(&r, cur, 1);
	json_revision(fp, &r, 1);
	fputc('\n', fp);
	json_ids(fp, &set, cur, 1);
	fclose(fp);
	report_free(&r);
	ck_assert_str_eq(buf,
		"{\"revision\":\"a1\",\"message\":\"first\",\"parents\":[],\"depends_on\":[],"
		"\"branch_labels\":[],\"create_date\":\"\",\"path\":\"versions/a1.sql\","
		"\"sha256\":\"aa\",\"checksum\":\"sha256-v1:bb\",\"transactional\":true,"
		"\"is_head\":false,\"is_branchpoint\":false,\"is_merge\":false}\n"
		"{\"revision\":\"b2\",\"message\":\"second\\tone\",\"parents\":[\"a1\"],"
		"\"depends_on\":[\"a1\"],\"branch_labels\":[\"lab\\\"el\"],"
		"\"create_date\":\"2026-01-02 03:04:05\",\"path\":\"versions/b2.sql\","
		"\"sha256\":\"cc\",\"checksum\":\"sha256-v1:dd\",\"transactional\":false,"
		"\"is_head\":true,\"is_branchpoint\":false,\"is_merge\":false,\"is_current\":true}\n"
		"[\"b2\"]");
	free(buf);
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("json");
	tcase_add_loop_test(tc, escapes_strings, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, writes_a_revision);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(json_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
