/*
 * check_gen_sqlhdr.c - native .sql migration files: headers, markers, bytes
 *
 * Each case is a whole file in, and the dump of the struct rev out, followed
 * by the diagnostics exactly as printed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "rev.h"
#include "sql/sqlhdr.h"

#define S(lit) lit, sizeof(lit) - 1

struct hdr_case {
	const char *name;
	const char *text;
	size_t len;
	const char *want;
};

static void dump_refs(FILE *fp, const struct src_file *f, const char *name,
		      const struct rev_refs *refs)
{
	if (!refs->n)
		return;
	fprintf(fp, "%s:", name);
	for (size_t i = 0; i < refs->n; i++) {
		unsigned line, col;
		src_linecol(f, refs->v[i].off, &line, &col);
		fprintf(fp, " %s@%u:%u", refs->v[i].id, line, col);
	}
	fputc('\n', fp);
}

static void dump_section(FILE *fp, const struct src_file *f, const char *name,
			 const struct stmt_list *l)
{
	if (!l->present) {
		ck_assert_uint_eq(l->n, 0);
		return;
	}
	fprintf(fp, "%s: %zu\n", name, l->n);
	for (size_t i = 0; i < l->n; i++) {
		unsigned line, col;
		src_linecol(f, l->v[i].off, &line, &col);
		fprintf(fp, "  %u:%u [%s]\n", line, col, l->v[i].sql);
	}
}

/* Parses `text` as versions/t.sql and returns the dump (caller frees). */
static char *parse_dump(const char *text, size_t len)
{
	struct src_file f = { "versions/t.sql", text, len };
	struct arena a = { 0 };
	struct rev r;
	char *diag = NULL, *out = NULL;
	size_t diag_len = 0, out_len = 0;
	FILE *fp = open_memstream(&out, &out_len);
	unsigned errors, before = diag_errors();

	memset(&r, 0x5a, sizeof(r));
	diag_stream = open_memstream(&diag, &diag_len);
	errors = sqlhdr_parse(&a, &f, &r);
	fclose(diag_stream);
	diag_stream = NULL;
	ck_assert_uint_eq(errors, diag_errors() - before);
	ck_assert_ptr_eq(r.file, &f);
	/* Left for the caller and for graph.c. */
	ck_assert_uint_eq(r.sha256[0], 0x5a);
	ck_assert_uint_eq(r.index, (size_t)0x5a5a5a5a5a5a5a5aull);

	if (*r.id) {
		unsigned line, col;
		src_linecol(&f, r.id_off, &line, &col);
		fprintf(fp, "id: %s@%u:%u\n", r.id, line, col);
	}
	if (*r.message)
		fprintf(fp, "message: %s\n", r.message);
	if (*r.create_date)
		fprintf(fp, "date: %s\n", r.create_date);
	dump_refs(fp, &f, "revises", &r.parents);
	dump_refs(fp, &f, "depends", &r.depends);
	dump_refs(fp, &f, "labels", &r.labels);
	dump_refs(fp, &f, "replaces", &r.replaces);
	if (!r.transactional)
		fputs("transactional: false\n", fp);
	dump_section(fp, &f, "up", &r.up);
	dump_section(fp, &f, "down", &r.down);
	fputs(diag, fp);
	if (errors)
		fprintf(fp, "errors=%u\n", errors);
	fclose(fp);
	free(diag);
	arena_free(&a);
	return out;
}

#define HDR "-- Revision ID: a1\n-- Revises: None\n"

static const struct hdr_case hdr_cases[] = {
	{ "the example",
	  S("-- Message: Add new column to profiles\n"
	    "-- Revision ID: 3f2a9c1b7d4e\n"
	    "-- Revises: 1a2b3c4d5e6f\n"
	    "-- Create Date: 2026-11-23 10:00:00\n"
	    "-- Branch Labels: profiles\n"
	    "-- Depends On: 0a1b2c3d4e5f\n"
	    "-- Transactional: true\n"
	    "\n"
	    "-- migrate:upgrade\n"
	    "ALTER TABLE profiles ADD COLUMN new_field varchar;\n"
	    "UPDATE profiles SET new_field = 'default' WHERE new_field IS NULL;\n"
	    "\n"
	    "-- migrate:downgrade\n"
	    "ALTER TABLE profiles DROP COLUMN new_field;\n"),
	  "id: 3f2a9c1b7d4e@2:17\n"
	  "message: Add new column to profiles\n"
	  "date: 2026-11-23 10:00:00\n"
	  "revises: 1a2b3c4d5e6f@3:13\n"
	  "depends: 0a1b2c3d4e5f@6:16\n"
	  "labels: profiles@5:19\n"
	  "up: 2\n"
	  "  10:1 [ALTER TABLE profiles ADD COLUMN new_field varchar;]\n"
	  "  11:1 [UPDATE profiles SET new_field = 'default' WHERE new_field IS NULL;]\n"
	  "down: 1\n"
	  "  14:1 [ALTER TABLE profiles DROP COLUMN new_field;]\n" },
	{ "case-insensitive keys, spacing and lists",
	  S("--revision   id:a_1\n"
	    "--  REVISES :  b2 ,c3,d4  \n"
	    "-- branch labels: x-1, y.2\n"
	    "-- DEPENDS on: None\n"
	    "-- transactional: OFF\n"
	    "-- message:\n"
	    "-- a free comment, see http://example.com\n"
	    "/* a block comment; */\n"
	    "--MIGRATE:UPGRADE\n"
	    "SELECT 1\n"),
	  "id: a_1@1:17\n"
	  "revises: b2@2:16 c3@2:20 d4@2:23\n"
	  "labels: x-1@3:19 y.2@3:24\n"
	  "transactional: false\n"
	  "up: 1\n"
	  "  10:1 [SELECT 1]\n" },
	{ "a squash baseline's Replaces: blanks or commas between ids",
	  S(HDR "-- Replaces: b2  c3,d4 ,\te5\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "replaces: b2@3:14 c3@3:18 d4@3:21 e5@3:26\n"
	  "up: 0\n" },
	{ "a bad id in Replaces", S(HDR "-- Replaces: b2 c'3\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "replaces: b2@3:14\n"
	  "up: 0\n"
	  "versions/t.sql:3:18: error: invalid revision id 'c\\'3' in 'Replaces'\n"
	  "    3 | -- Replaces: b2 c'3\n"
	  "      |                  ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n"
	  "errors=1\n" },
	{ "transactional spellings", S(HDR "-- Transactional: No\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "transactional: false\n"
	  "up: 0\n" },
	{ "empty Revises is a base", S("-- Revision ID: a1\n-- Revises:\n-- migrate:upgrade\nSELECT 1;"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  4:1 [SELECT 1;]\n" },
	{ "downgrade present but empty",
	  S(HDR "-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\n-- nothing to undo\n"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  4:1 [SELECT 1;]\n"
	  "down: 0\n" },
	{ "marker ends a statement without ;",
	  S(HDR "-- migrate:upgrade\nSELECT 1\n  -- migrate:downgrade  \nSELECT 2"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  4:1 [SELECT 1]\n"
	  "down: 1\n"
	  "  6:1 [SELECT 2]\n" },
	{ "marker inside a dollar quote or comment is not a marker",
	  S(HDR "-- migrate:upgrade\n"
	    "CREATE FUNCTION f() RETURNS text AS $$\n"
	    "-- migrate:downgrade\n"
	    "SELECT 'x';\n"
	    "$$ LANGUAGE sql;\n"
	    "/*\n-- migrate:downgrade\n*/\n"
	    "SELECT '\n-- migrate:downgrade\n';\n"),
	  "id: a1@1:17\n"
	  "up: 2\n"
	  "  4:1 [CREATE FUNCTION f() RETURNS text AS $$\n"
	  "-- migrate:downgrade\n"
	  "SELECT 'x';\n"
	  "$$ LANGUAGE sql;]\n"
	  "  11:1 [SELECT '\n"
	  "-- migrate:downgrade\n"
	  "';]\n" },
	{ "BOM and CRLF",
	  S("\xef\xbb\xbf-- Revision ID: a1\r\n-- Revises: b2\r\n-- Message: hi there \r\n"
	    "\r\n-- migrate:upgrade\r\nSELECT 1;\r\nSELECT\r\n  2;\r\n-- migrate:downgrade\r\nSELECT 3\r\n"),
	  "id: a1@1:20\n"
	  "message: hi there\n"
	  "revises: b2@2:13\n"
	  "up: 2\n"
	  "  6:1 [SELECT 1;]\n"
	  "  7:1 [SELECT\r\n  2;]\n"
	  "down: 1\n"
	  "  10:1 [SELECT 3]\n" },
	{ "missing Revision ID and Revises", S("-- Message: m\n-- migrate:upgrade\n"),
	  "message: m\n"
	  "up: 0\n"
	  "versions/t.sql:1:1: error: missing 'Revision ID' header\n"
	  "    1 | -- Message: m\n"
	  "      | ^\n"
	  "hint: add a line '-- Revision ID: <id>' before '-- migrate:upgrade'\n"
	  "versions/t.sql:1:1: error: missing 'Revises' header\n"
	  "    1 | -- Message: m\n"
	  "      | ^\n"
	  "hint: add a line '-- Revises: <parent id>', or '-- Revises: None' for a first revision\n"
	  "errors=2\n" },
	{ "duplicate key", S(HDR "-- revision id: a2\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "up: 0\n"
	  "versions/t.sql:3:4: error: duplicate header key 'Revision ID'\n"
	  "    3 | -- revision id: a2\n"
	  "      |    ^\n"
	  "detail: first given on line 1\n"
	  "errors=1\n" },
	{ "unknown key with a hint",
	  S("-- Revison ID: a1\n-- Revises: None\n-- migrate:upgrade\n"),
	  "up: 0\n"
	  "versions/t.sql:1:4: error: unknown header key 'Revison ID'\n"
	  "    1 | -- Revison ID: a1\n"
	  "      |    ^\n"
	  "hint: did you mean 'Revision ID'?\n"
	  "errors=1\n" },
	{ "unknown key far from any", S(HDR "-- Author: me\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "up: 0\n"
	  "versions/t.sql:3:4: error: unknown header key 'Author'\n"
	  "    3 | -- Author: me\n"
	  "      |    ^\n"
	  "hint: header keys are Message, Revision ID, Revises, Create Date, Branch Labels, "
	  "Depends On, Transactional and Replaces; other comments must not start with 'Word:'\n"
	  "errors=1\n" },
	{ "bad values",
	  S("-- Revision ID: a 1\n-- Revises: b2,,c-3\n-- Transactional: maybe\n-- migrate:upgrade\n"),
	  "id: a 1@1:17\n"
	  "revises: b2@2:13\n"
	  "up: 0\n"
	  "versions/t.sql:1:18: error: invalid revision id 'a 1' in 'Revision ID'\n"
	  "    1 | -- Revision ID: a 1\n"
	  "      |                  ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n"
	  "versions/t.sql:2:16: error: empty revision id in 'Revises'\n"
	  "    2 | -- Revises: b2,,c-3\n"
	  "      |                ^\n"
	  "versions/t.sql:2:18: error: invalid revision id 'c-3' in 'Revises'\n"
	  "    2 | -- Revises: b2,,c-3\n"
	  "      |                  ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n"
	  "versions/t.sql:3:19: error: invalid value 'maybe' for 'Transactional'\n"
	  "    3 | -- Transactional: maybe\n"
	  "      |                   ^\n"
	  "hint: use true or false\n"
	  "errors=4\n" },
	{ "missing upgrade marker, no SQL", S(HDR "\n"),
	  "id: a1@1:17\n"
	  "versions/t.sql:4:1: error: missing '-- migrate:upgrade' marker\n"
	  "    4 | \n"
	  "      | ^\n"
	  "hint: put a line '-- migrate:upgrade' before the statements\n"
	  "errors=1\n" },
	{ "missing upgrade marker before SQL", S(HDR "CREATE TABLE t ();\n"),
	  "id: a1@1:17\n"
	  "versions/t.sql:3:1: error: missing '-- migrate:upgrade' marker\n"
	  "    3 | CREATE TABLE t ();\n"
	  "      | ^\n"
	  "hint: put a line '-- migrate:upgrade' before the first statement\n"
	  "errors=1\n" },
	{ "SQL before the marker", S(HDR "SELECT 1;\n-- migrate:upgrade\nSELECT 2;\n"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  5:1 [SELECT 2;]\n"
	  "versions/t.sql:3:1: error: statement before the first '-- migrate:' marker\n"
	  "    3 | SELECT 1;\n"
	  "      | ^\n"
	  "hint: only '-- Key: value' header lines and comments may come before '-- migrate:upgrade'\n"
	  "errors=1\n" },
	{ "marker problems",
	  S(HDR "-- migrate:upgrade now\nSELECT 1; -- migrate:downgrade\n"
	    "-- migrate:sideways\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  4:1 [SELECT 1;]\n"
	  "versions/t.sql:3:20: error: unexpected text after '-- migrate:upgrade'\n"
	  "    3 | -- migrate:upgrade now\n"
	  "      |                    ^\n"
	  "versions/t.sql:4:11: error: '-- migrate:' marker must start a line\n"
	  "    4 | SELECT 1; -- migrate:downgrade\n"
	  "      |           ^\n"
	  "versions/t.sql:5:1: error: unknown marker '-- migrate:sideways'\n"
	  "    5 | -- migrate:sideways\n"
	  "      | ^\n"
	  "hint: the markers are '-- migrate:upgrade' and '-- migrate:downgrade'\n"
	  "versions/t.sql:6:1: error: duplicate '-- migrate:upgrade' marker\n"
	  "    6 | -- migrate:upgrade\n"
	  "      | ^\n"
	  "detail: first given on line 3\n"
	  "errors=4\n" },
	{ "downgrade before upgrade",
	  S(HDR "-- migrate:downgrade\nDROP TABLE t;\n-- migrate:upgrade\nCREATE TABLE t ();\n"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  6:1 [CREATE TABLE t ();]\n"
	  "down: 1\n"
	  "  4:1 [DROP TABLE t;]\n"
	  "versions/t.sql:3:1: error: '-- migrate:downgrade' marker before '-- migrate:upgrade'\n"
	  "    3 | -- migrate:downgrade\n"
	  "      | ^\n"
	  "hint: the upgrade section comes first\n"
	  "errors=1\n" },
	{ "NUL byte, reported once", S(HDR "-- migrate:upgrade\nSELECT 1;\0\0\nSELECT 2;\n"),
	  "id: a1@1:17\n"
	  "up: 2\n"
	  "  4:1 [SELECT 1;]\n"
	  "  4:10 []\n"
	  "versions/t.sql:4:10: error: unexpected NUL byte\n"
	  "errors=1\n" },
	{ "invalid UTF-8, reported once", S(HDR "-- Message: caf\xe9 \xff\n-- migrate:upgrade\nSELECT '\xc0\xaf';\n"),
	  "id: a1@1:17\n"
	  "message: caf\xe9 \xff\n"
	  "up: 1\n"
	  "  5:1 [SELECT '\xc0\xaf';]\n"
	  "versions/t.sql:3:16: error: invalid UTF-8 byte 0xe9\n"
	  "    3 | -- Message: caf\xe9 \xff\n"
	  "      |                ^\n"
	  "hint: migration files must be UTF-8\n"
	  "errors=1\n" },
	{ "valid UTF-8 is fine", S(HDR "-- Message: caf\xc3\xa9 \xf0\x9f\x90\x98\n-- migrate:upgrade\n"),
	  "id: a1@1:17\n"
	  "message: caf\xc3\xa9 \xf0\x9f\x90\x98\n"
	  "up: 0\n" },
	{ "unterminated string hides the rest, one error",
	  S(HDR "-- migrate:upgrade\nSELECT 'oops;\n-- migrate:downgrade\nSELECT 1;\n"),
	  "id: a1@1:17\n"
	  "up: 1\n"
	  "  4:1 [SELECT 'oops;\n-- migrate:downgrade\nSELECT 1;\n]\n"
	  "versions/t.sql:4:8: error: unterminated quoted string\n"
	  "    4 | SELECT 'oops;\n"
	  "      |        ^\n"
	  "errors=1\n" },
	{ "several errors in one file",
	  S("-- Revision ID: a1\n-- Revison: x\n-- Message: one\n-- Message: two\n"
	    "-- migrate:upgrade\n\\i foo.sql\nSELECT $x$;\n"),
	  "id: a1@1:17\n"
	  "message: one\n"
	  "up: 1\n"
	  "  7:1 [SELECT $x$;\n]\n"
	  "versions/t.sql:2:4: error: unknown header key 'Revison'\n"
	  "    2 | -- Revison: x\n"
	  "      |    ^\n"
	  "hint: did you mean 'Revises'?\n"
	  "versions/t.sql:4:4: error: duplicate header key 'Message'\n"
	  "    4 | -- Message: two\n"
	  "      |    ^\n"
	  "detail: first given on line 3\n"
	  "versions/t.sql:6:1: error: unexpected psql meta-command '\\i'\n"
	  "    6 | \\i foo.sql\n"
	  "      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:7:8: error: unterminated dollar-quoted string\n"
	  "    7 | SELECT $x$;\n"
	  "      |        ^\n"
	  "errors=4\n" },
	{ "empty file", S(""),
	  "versions/t.sql:1:1: error: missing '-- migrate:upgrade' marker\n"
	  "    1 | \n"
	  "      | ^\n"
	  "hint: put a line '-- migrate:upgrade' before the statements\n"
	  "versions/t.sql:1:1: error: missing 'Revision ID' header\n"
	  "    1 | \n"
	  "      | ^\n"
	  "hint: add a line '-- Revision ID: <id>' before '-- migrate:upgrade'\n"
	  "versions/t.sql:1:1: error: missing 'Revises' header\n"
	  "    1 | \n"
	  "      | ^\n"
	  "hint: add a line '-- Revises: <parent id>', or '-- Revises: None' for a first revision\n"
	  "errors=3\n" },
};

START_TEST(test_parse)
{
	const struct hdr_case *c = &hdr_cases[_i];
	char *got = parse_dump(c->text, c->len);

	ck_assert_msg(strcmp(got, c->want) == 0, "case '%s':\n--- got\n%s--- want\n%s",
		      c->name, got, c->want);
	free(got);
}
END_TEST

/* Every prefix of a file with a bit of everything: no crash, no overread
 * (run under a sanitizer to see the latter), and always some answer. */
START_TEST(test_prefixes)
{
	static const char text[] =
		"\xef\xbb\xbf-- Revision ID: a1\r\n-- Revises: b,c\n-- Bogus Key: 1\n"
		"-- migrate:upgrade\nSELECT E'\\'', $t$ $$ $t$, \"q\"\"\" /* /* */ */;\n"
		"CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1; END;\n\\x\n"
		"-- migrate:downgrade\nSELECT U&'\xc3\xa9';";
	FILE *sink = fopen("/dev/null", "w");

	for (size_t n = 0; n < sizeof(text); n++) {
		char *copy = malloc(n + 1);
		struct src_file f = { "versions/t.sql", copy, n };
		struct arena a = { 0 };
		struct rev r;

		memcpy(copy, text, n);
		copy[n] = '\0';
		memset(&r, 0, sizeof(r));
		diag_stream = sink;
		unsigned before = diag_errors();
		unsigned errors = sqlhdr_parse(&a, &f, &r);
		diag_stream = NULL;
		ck_assert_uint_eq(errors, diag_errors() - before);
		ck_assert_uint_ge(errors, 1); /* the Bogus Key at least, or no marker */
		ck_assert_ptr_nonnull(r.id);
		ck_assert_ptr_nonnull(r.message);
		arena_free(&a);
		free(copy);
	}
	fclose(sink);
}
END_TEST

static Suite *sqlhdr_suite(void)
{
	Suite *s = suite_create("sqlhdr");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, sizeof(hdr_cases) / sizeof(hdr_cases[0]));
	tcase_add_test(tc, test_prefixes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sqlhdr_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
