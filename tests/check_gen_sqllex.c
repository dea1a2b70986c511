/*
 * check_gen_sqllex.c - statement splitting and checksum normalisation
 *
 * Each case is SQL in, and the dump out: one "line:col [text]" per statement,
 * then the diagnostics exactly as printed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "sql/sqllex.h"

#define S(lit) lit, sizeof(lit) - 1

struct split_case {
	const char *name;
	const char *sql;
	size_t len;
	const char *want;
};

/* Splits `sql` as versions/t.sql and returns the dump (caller frees); NUL
 * bytes in statements show as <NUL>. */
static char *split_dump(const char *sql, size_t len)
{
	struct src_file f = { "versions/t.sql", sql, len };
	struct arena a = { 0 };
	struct stmt_list l = { 0 };
	char *diag = NULL, *out = NULL;
	size_t diag_len = 0, out_len = 0;
	FILE *fp = open_memstream(&out, &out_len);
	unsigned errors;

	diag_stream = open_memstream(&diag, &diag_len);
	errors = sqllex_split(&a, &f, 0, len, &l);
	fclose(diag_stream);
	diag_stream = NULL;
	for (size_t i = 0; i < l.n; i++) {
		unsigned line, col;
		src_linecol(&f, l.v[i].off, &line, &col);
		ck_assert_uint_eq(l.v[i].sql[l.v[i].len], '\0');
		ck_assert(memcmp(l.v[i].sql, sql + l.v[i].off, l.v[i].len) == 0);
		ck_assert_uint_eq(l.v[i].flags, 0);
		fprintf(fp, "%u:%u [", line, col);
		for (size_t j = 0; j < l.v[i].len; j++)
			if (l.v[i].sql[j])
				fputc(l.v[i].sql[j], fp);
			else
				fputs("<NUL>", fp);
		fputs("]\n", fp);
	}
	fputs(diag, fp);
	if (errors)
		fprintf(fp, "errors=%u\n", errors);
	fclose(fp);
	free(diag);
	arena_free(&a);
	return out;
}

static const struct split_case split_cases[] = {
	{ "simple", S("SELECT 1;\nSELECT 2;\n"),
	  "1:1 [SELECT 1;]\n"
	  "2:1 [SELECT 2;]\n" },
	{ "leading comments and empty statements", S("  -- c;\n/* x; */ SELECT 1 ; ;\n;"),
	  "2:10 [SELECT 1 ;]\n" },
	{ "doubled quotes", S("SELECT 'it''s; fine';\nSELECT '''';"),
	  "1:1 [SELECT 'it''s; fine';]\n"
	  "2:1 [SELECT '''';]\n" },
	{ "E string escapes", S("SELECT E'a\\'; b\\\\';SELECT e'\\\\';\nSELECT 3;"),
	  "1:1 [SELECT E'a\\'; b\\\\';]\n"
	  "1:20 [SELECT e'\\\\';]\n"
	  "2:1 [SELECT 3;]\n" },
	{ "backslash in standard string", S("SELECT 'a\\';SELECT 2;"),
	  "1:1 [SELECT 'a\\';]\n"
	  "1:13 [SELECT 2;]\n" },
	{ "E string continued on the next line",
	  S("SELECT E'a'\n'\\';';\nSELECT 2;"),
	  "1:1 [SELECT E'a'\n'\\';';]\n"
	  "3:1 [SELECT 2;]\n" },
	{ "U& B X N strings", S("SELECT U&'d\\0061t;', B'1;', X'f;', N'n;';\nSELECT 2;"),
	  "1:1 [SELECT U&'d\\0061t;', B'1;', X'f;', N'n;';]\n"
	  "2:1 [SELECT 2;]\n" },
	{ "dollar body with ; and '",
	  S("CREATE FUNCTION f() RETURNS int AS $$ SELECT 'x'; SELECT 1; $$ LANGUAGE sql;\nSELECT 2;"),
	  "1:1 [CREATE FUNCTION f() RETURNS int AS $$ SELECT 'x'; SELECT 1; $$ LANGUAGE sql;]\n"
	  "2:1 [SELECT 2;]\n" },
	{ "nested dollar tags",
	  S("DO $fn$\nBEGIN\n  EXECUTE $$ SELECT 1; $$;\nEND\n$fn$;\nSELECT 2;"),
	  "1:1 [DO $fn$\nBEGIN\n  EXECUTE $$ SELECT 1; $$;\nEND\n$fn$;]\n"
	  "6:1 [SELECT 2;]\n" },
	{ "dollar near misses in a body", S("SELECT $a$ $ab$ $a $1 $$ ; $a$;SELECT $$$$;"),
	  "1:1 [SELECT $a$ $ab$ $a $1 $$ ; $a$;]\n"
	  "1:32 [SELECT $$$$;]\n" },
	{ "$1 is a parameter", S("PREPARE p AS SELECT $1; SELECT $2;"),
	  "1:1 [PREPARE p AS SELECT $1;]\n"
	  "1:25 [SELECT $2;]\n" },
	{ "$ inside identifiers", S("SELECT a$$b; SELECT $a + 1;"),
	  "1:1 [SELECT a$$b;]\n"
	  "1:14 [SELECT $a + 1;]\n" },
	{ "quoted identifiers", S("SELECT 1 AS \"a;\"\"b\"; SELECT 2 AS U&\"c;\";"),
	  "1:1 [SELECT 1 AS \"a;\"\"b\";]\n"
	  "1:22 [SELECT 2 AS U&\"c;\";]\n" },
	{ "line comment with ; and quotes", S("SELECT 1 -- it's; \"here\n;\nSELECT 2;"),
	  "1:1 [SELECT 1 -- it's; \"here\n;]\n"
	  "3:1 [SELECT 2;]\n" },
	{ "nested block comments", S("SELECT /* a /* b */ ; ' */ 1;SELECT /*/ ; */ 2;"),
	  "1:1 [SELECT /* a /* b */ ; ' */ 1;]\n"
	  "1:30 [SELECT /*/ ; */ 2;]\n" },
	{ "parentheses", S("CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t);\nSELECT (1;"),
	  "1:1 [CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t);]\n"
	  "2:1 [SELECT (1;]\n" },
	{ "stray ) does not go negative", S("SELECT 1); SELECT (2);"),
	  "1:1 [SELECT 1);]\n"
	  "1:12 [SELECT (2);]\n" },
	{ "BEGIN ATOMIC",
	  S("CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;\nSELECT 3;"),
	  "1:1 [CREATE FUNCTION f() RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND;]\n"
	  "6:1 [SELECT 3;]\n" },
	{ "CASE inside BEGIN ATOMIC",
	  S("create or replace procedure p()\nbegin atomic\n  SELECT CASE WHEN true THEN 1 ELSE 2 END;\n  SELECT 3;\nend;\nSELECT 4;"),
	  "1:1 [create or replace procedure p()\nbegin atomic\n  SELECT CASE WHEN true THEN 1 ELSE 2 END;\n  SELECT 3;\nend;]\n"
	  "6:1 [SELECT 4;]\n" },
	{ "CASE outside BEGIN is not counted",
	  S("CREATE FUNCTION f(x int) RETURNS int RETURN CASE WHEN x > 0 THEN 1 END;\nSELECT 2;"),
	  "1:1 [CREATE FUNCTION f(x int) RETURNS int RETURN CASE WHEN x > 0 THEN 1 END;]\n"
	  "2:1 [SELECT 2;]\n" },
	{ "column named begin",
	  S("CREATE TABLE t (begin int, \"end\" int);\nBEGIN;\nSELECT 1;\nEND;"),
	  "1:1 [CREATE TABLE t (begin int, \"end\" int);]\n"
	  "2:1 [BEGIN;]\n"
	  "3:1 [SELECT 1;]\n"
	  "4:1 [END;]\n" },
	{ "begin as a parameter name of a function",
	  S("CREATE FUNCTION f(begin int) RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\nSELECT 2;"),
	  "1:1 [CREATE FUNCTION f(begin int) RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;]\n"
	  "2:1 [SELECT 2;]\n" },
	{ "last statement without ;", S("SELECT 1;\nSELECT 2 -- trailing\n  \n"),
	  "1:1 [SELECT 1;]\n"
	  "2:1 [SELECT 2]\n" },
	{ "CRLF", S("SELECT 1;\r\n-- c\r\nSELECT\r\n 'a';\r\nSELECT 3\r\n"),
	  "1:1 [SELECT 1;]\n"
	  "3:1 [SELECT\r\n 'a';]\n"
	  "5:1 [SELECT 3]\n" },
	{ "trigraph, */ and backslashes", S("SELECT 1 ?\?= 2 */ 3 \\ 4;\nSELECT '\\', E'\\\\', 5 \\;"),
	  "1:1 [SELECT 1 ?\?= 2 */ 3 \\ 4;]\n"
	  "2:1 [SELECT '\\', E'\\\\', 5 \\;]\n" },
	{ "only comments", S("-- a\n/* b */\n"), "" },
	{ "empty", S(""), "" },
	{ "NUL byte is an ordinary byte here", S("SELECT 1\0;SELECT '\0';"),
	  "1:1 [SELECT 1<NUL>;]\n"
	  "1:11 [SELECT '<NUL>';]\n" },
	{ "unterminated quoted string", S("SELECT 1;\nSELECT 'abc;\nSELECT 2;\n"),
	  "1:1 [SELECT 1;]\n"
	  "2:1 [SELECT 'abc;\nSELECT 2;\n]\n"
	  "versions/t.sql:2:8: error: unterminated quoted string\n"
	  "    2 | SELECT 'abc;\n"
	  "      |        ^\n"
	  "errors=1\n" },
	{ "unterminated E string", S("SELECT E'ab\\';"),
	  "1:1 [SELECT E'ab\\';]\n"
	  "versions/t.sql:1:8: error: unterminated quoted string\n"
	  "    1 | SELECT E'ab\\';\n"
	  "      |        ^\n"
	  "errors=1\n" },
	{ "unterminated E string ending in a backslash", S("SELECT E'ab\\"),
	  "1:1 [SELECT E'ab\\]\n"
	  "versions/t.sql:1:8: error: unterminated quoted string\n"
	  "    1 | SELECT E'ab\\\n"
	  "      |        ^\n"
	  "errors=1\n" },
	{ "unterminated quoted identifier", S("SELECT 1 AS \"x;"),
	  "1:1 [SELECT 1 AS \"x;]\n"
	  "versions/t.sql:1:13: error: unterminated quoted identifier\n"
	  "    1 | SELECT 1 AS \"x;\n"
	  "      |             ^\n"
	  "errors=1\n" },
	{ "unterminated dollar-quoted string", S("SELECT 1;\n\t$body$ SELECT 1; $bod$ $body\n"),
	  "1:1 [SELECT 1;]\n"
	  "2:2 [$body$ SELECT 1; $bod$ $body\n]\n"
	  "versions/t.sql:2:2: error: unterminated dollar-quoted string\n"
	  "    2 | \t$body$ SELECT 1; $bod$ $body\n"
	  "      | \t^\n"
	  "errors=1\n" },
	{ "unterminated comment", S("SELECT 1 /* a /* b */ c;\nSELECT 2;"),
	  "1:1 [SELECT 1]\n"
	  "versions/t.sql:1:10: error: unterminated /* comment\n"
	  "    1 | SELECT 1 /* a /* b */ c;\n"
	  "      |          ^\n"
	  "errors=1\n" },
	{ "psql meta-commands", S("\\i other.sql; SELECT 1;\nSELECT 2;\n  \\set x 1\n"),
	  "2:1 [SELECT 2;]\n"
	  "versions/t.sql:1:1: error: unexpected psql meta-command '\\i'\n"
	  "    1 | \\i other.sql; SELECT 1;\n"
	  "      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:3:3: error: unexpected psql meta-command '\\set'\n"
	  "    3 |   \\set x 1\n"
	  "      |   ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "errors=2\n" },
	/* Exactly pg_dump's lines (17.6, 16.10, 15.14 on) are skipped; nothing else. */
	{ "pg_dump restrict lines",
	  S("\\restrict 8JrdvzSbXOtbHVrCRfq0VnBvYlQfTxTa3ncvpAWuhiFBRcyDhbB5YBsLTNU4Ha6\n\n"
	    "SELECT pg_catalog.set_config('search_path', '', false);\n\n"
	    "\\unrestrict 8JrdvzSbXOtbHVrCRfq0VnBvYlQfTxTa3ncvpAWuhiFBRcyDhbB5YBsLTNU4Ha6\r\n"),
	  "3:1 [SELECT pg_catalog.set_config('search_path', '', false);]\n" },
	{ "restrict lookalikes", S("\\restrict\n\\restrict a-b\n \\restrict k\n\\Restrict k\n"
				   "\\restrict k x\n\\restrictk\n"),
	  "versions/t.sql:1:1: error: unexpected psql meta-command '\\restrict'\n"
	  "    1 | \\restrict\n      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:2:1: error: unexpected psql meta-command '\\restrict'\n"
	  "    2 | \\restrict a-b\n      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:3:2: error: unexpected psql meta-command '\\restrict'\n"
	  "    3 |  \\restrict k\n      |  ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:4:1: error: unexpected psql meta-command '\\Restrict'\n"
	  "    4 | \\Restrict k\n      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:5:1: error: unexpected psql meta-command '\\restrict'\n"
	  "    5 | \\restrict k x\n      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "versions/t.sql:6:1: error: unexpected psql meta-command '\\restrictk'\n"
	  "    6 | \\restrictk\n      | ^\n"
	  "hint: psql meta-commands are not supported; write plain SQL\n"
	  "errors=6\n" },
};

START_TEST(test_split)
{
	const struct split_case *c = &split_cases[_i];
	char *got = split_dump(c->sql, c->len);

	ck_assert_msg(strcmp(got, c->want) == 0, "case '%s':\n--- got\n%s--- want\n%s",
		      c->name, got, c->want);
	free(got);
}
END_TEST

START_TEST(test_split_range)
{
	const char *text = "-- migrate:upgrade\nSELECT 1; SELECT 2\n-- migrate:downgrade\nSELECT 3;\n";
	struct src_file f = { "versions/t.sql", text, strlen(text) };
	struct arena a = { 0 };
	struct stmt_list l = { 0 };
	const char *down = strstr(text, "-- migrate:downgrade");

	ck_assert_uint_eq(sqllex_split(&a, &f, 19, (size_t)(down - text), &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].sql, "SELECT 1;");
	ck_assert_uint_eq(l.v[0].off, 19);
	ck_assert_str_eq(l.v[1].sql, "SELECT 2");
	/* Appends to what is there. */
	ck_assert_uint_eq(sqllex_split(&a, &f, (size_t)(down - text) + 20, f.len, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[2].sql, "SELECT 3;");
	arena_free(&a);
}
END_TEST

/* A 4 MB statement in one piece, and 100000 short ones. */
START_TEST(test_split_long)
{
	size_t n = 4u << 20;
	char *text = malloc(n + 64);
	struct arena a = { 0 };
	struct stmt_list l = { 0 };
	struct src_file f = { "versions/t.sql", text, 0 };
	size_t len;

	memcpy(text, "SELECT $$", 9);
	memset(text + 9, 'x', n);
	memcpy(text + 9 + n, "$$;", 4);
	f.len = n + 12;
	ck_assert_uint_eq(sqllex_split(&a, &f, 0, f.len, &l), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.v[0].len, n + 12);
	free(text);

	len = 100000 * 10;
	text = malloc(len + 1);
	for (size_t i = 0; i < 100000; i++)
		memcpy(text + i * 10, "SELECT 1;\n", 10);
	text[len] = '\0';
	f = (struct src_file){ "versions/t.sql", text, len };
	l = (struct stmt_list){ 0 };
	ck_assert_uint_eq(sqllex_split(&a, &f, 0, f.len, &l), 0);
	ck_assert_uint_eq(l.n, 100000);
	ck_assert_uint_eq(l.v[99999].off, 999990);
	free(text);
	arena_free(&a);
}
END_TEST

/* Inputs that used to be easy to get wrong in hand-written lexers: many
 * openers and near-closers in a row must stay linear and in bounds. */
START_TEST(test_split_pathological)
{
	static const char *const unit[] = { "$", "/*", "'", "$a", "E'\\", "--", "(", "*/" };
	size_t n = 1u << 20;

	for (size_t u = 0; u < sizeof(unit) / sizeof(unit[0]); u++) {
		size_t ul = strlen(unit[u]), len = n / ul * ul;
		char *text = malloc(len + 1);
		struct arena a = { 0 };
		struct stmt_list l = { 0 };
		struct src_file f = { "versions/t.sql", text, len };
		FILE *sink = fopen("/dev/null", "w");

		for (size_t i = 0; i < len; i += ul)
			memcpy(text + i, unit[u], ul);
		text[len] = '\0';
		diag_stream = sink;
		sqllex_split(&a, &f, 0, len, &l);
		diag_stream = NULL;
		fclose(sink);
		ck_assert_uint_le(l.n, 1);
		free(text);
		arena_free(&a);
	}
}
END_TEST

/* ---- normalisation ------------------------------------------------------- */

static char *norm(const char *sql)
{
	struct strbuf sb = STRBUF_INIT;

	sqllex_normalize(sql, strlen(sql), &sb);
	return sb_detach(&sb);
}

struct norm_case {
	const char *sql, *want;
};

static const struct norm_case norm_cases[] = {
	{ "SELECT  1 -- c\n , /* x */ 2 ;", "SELECT 1 , 2 ;" },
	{ "  \n\tSELECT 1;  -- done\n", "SELECT 1;" },
	{ "a/*c*/b", "a b" },
	{ "SELECT 'a  b', \"x  y\", $q$ a  -- not a comment\n $q$, E'\\'  '", "SELECT 'a  b', \"x  y\", $q$ a  -- not a comment\n $q$, E'\\'  '" },
	{ "SELECT 'a'\n  'b';", "SELECT 'a'\n  'b';" },
	{ "-- only a comment", "" },
	{ "", "" },
	{ "SELECT 'open", "SELECT 'open" },
};

START_TEST(test_normalize)
{
	const struct norm_case *c = &norm_cases[_i];
	char *got = norm(c->sql);

	ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

START_TEST(test_normalize_same_and_different)
{
	char *a = norm("CREATE TABLE t (\n  id int, -- key\n  v text\n);");
	char *b = norm("CREATE  TABLE t ( /* new */ id int,\r\n v text );");
	char *c = norm("CREATE TABLE t ( id int, v text );");
	char *d = norm("INSERT INTO t VALUES ('a b');");
	char *e = norm("INSERT INTO t VALUES ('a  b');");

	ck_assert_str_eq(a, b);
	ck_assert_str_eq(b, c);
	ck_assert_str_ne(d, e);
	free(a), free(b), free(c), free(d), free(e);
}
END_TEST

/* sha256-v2's canonical text: tokens one space apart, final ';' dropped. */
static const struct norm_case canon_cases[] = {
	{ "CREATE TABLE t (\n  id int, -- key\n  v text\n) ;", "CREATE TABLE t ( id int , v text )" },
	{ "x<=y", "x <= y" },
	{ "x < = y", "x < = y" },
	{ "a::int", "a :: int" },
	{ "SELECT 'a  b', $q$ x\r\n $q$;;", "SELECT 'a  b' , $q$ x\n $q$" },
	{ "SELECT 'a'\n  'b'", "SELECT 'a'\n  'b'" },
	{ "BEGIN ATOMIC SELECT 1; END;", "BEGIN ATOMIC SELECT 1 ; END" },
	{ "-- only a comment", "" },
	{ ";", "" },
};

START_TEST(test_canon)
{
	const struct norm_case *c = &canon_cases[_i];
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, "X");
	sqllex_canon(c->sql, strlen(c->sql), &sb);
	ck_assert_str_eq(sb.buf + 1, c->want);
	sb_release(&sb);
}
END_TEST

START_TEST(test_normalize_appends)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, "X");
	sqllex_normalize(" SELECT 1 ", 10, &sb);
	ck_assert_str_eq(sb.buf, "XSELECT 1");
	sqllex_normalize("\0 1", 3, &sb);
	ck_assert_uint_eq(sb.len, 12);
	ck_assert(memcmp(sb.buf, "XSELECT 1\0 1", 12) == 0);
	sb_release(&sb);
}
END_TEST

static Suite *sqllex_suite(void)
{
	Suite *s = suite_create("sqllex");
	TCase *tc = tcase_create("split");

	tcase_add_loop_test(tc, test_split, 0, sizeof(split_cases) / sizeof(split_cases[0]));
	tcase_add_test(tc, test_split_range);
	tcase_add_test(tc, test_split_long);
	tcase_add_test(tc, test_split_pathological);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("normalize");
	tcase_add_loop_test(tc, test_normalize, 0, sizeof(norm_cases) / sizeof(norm_cases[0]));
	tcase_add_test(tc, test_normalize_same_and_different);
	tcase_add_test(tc, test_normalize_appends);
	tcase_add_loop_test(tc, test_canon, 0, sizeof(canon_cases) / sizeof(canon_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sqllex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
