/*
 * parse.c - every statement through PostgreSQL's own parser (libpg_query)
 */
#include "lint/parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>

#include "sqllex.h"

/*
 * Statements no rule looks inside: only their syntax is checked, through
 * the JSON entry point whose output is thrown away (libpg_query's protobuf
 * form costs about five times as much to build and unpack). SELECT is here
 * unless it may call set_config(), which the session-setting rule reads.
 */
static const char *const check_only[] = {
	"call", "copy", "delete", "do", "grant", "insert", "merge", "notify",
	"revoke", "select", "table", "update", "values", "with",
};

static bool only_checked(const char *sql, size_t len)
{
	struct sqllex lx;
	enum sqltok t;

	sqllex_init_quiet(&lx, sql, len);
	do
		t = sqllex_next(&lx);
	while (t == SQLTOK_SPACE || t == SQLTOK_LINE_COMMENT || t == SQLTOK_BLOCK_COMMENT);
	if (t != SQLTOK_IDENT)
		return false;
	size_t n = lx.tok_end - lx.tok;
	for (size_t i = 0; i < sizeof check_only / sizeof *check_only; i++) {
		if (strlen(check_only[i]) != n || strncasecmp(sql + lx.tok, check_only[i], n))
			continue;
		if (strcmp(check_only[i], "select") && strcmp(check_only[i], "with"))
			return true;
		/* set_config(..., false) changes the session. */
		for (size_t k = lx.tok_end; k + 10 <= len; k++)
			if (strncasecmp(sql + k, "set_config", 10) == 0)
				return false;
		return true;
	}
	return false;
}

size_t lint_cursor_byte(const char *sql, size_t len, int cursorpos)
{
	size_t off = 0;

	if (cursorpos <= 1)
		return 0;
	/* Characters, not bytes: skip UTF-8 continuation bytes. */
	for (int chars = 1; off < len && chars < cursorpos; chars++) {
		off++;
		while (off < len && ((unsigned char)sql[off] & 0xC0) == 0x80)
			off++;
	}
	/* "at end of input" points past the last character. */
	if (off >= len && len > 0) {
		off = len - 1;
		while (off > 0 && ((unsigned char)sql[off] & 0xC0) == 0x80)
			off--;
	}
	return off;
}

static int failed(struct lint_parsed *p, const char *sql, size_t len, PgQueryError *e)
{
	p->error = true;
	p->message = strdup(e->message ? e->message : "syntax error");
	if (!p->message)
		abort();
	p->err_off = lint_cursor_byte(sql, len, e->cursorpos);
	return -1;
}

/* Whether libpg_query has set itself up (pg_query_exit() crashes otherwise). */
static bool started;

int lint_parse(const char *sql, size_t len, struct lint_parsed *p)
{
	int rc = 0;

	started = true;
	memset(p, 0, sizeof *p);
	if (only_checked(sql, len)) {
		PgQueryParseResult r = pg_query_parse(sql);
		if (r.error)
			rc = failed(p, sql, len, r.error);
		pg_query_free_parse_result(r);
		return rc;
	}
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(sql);
	if (r.error) {
		rc = failed(p, sql, len, r.error);
	} else {
		p->tree = pg_query__parse_result__unpack(NULL, r.parse_tree.len,
							 (const uint8_t *)r.parse_tree.data);
		if (!p->tree)
			abort(); /* libpg_query's own output: cannot be malformed */
	}
	pg_query_free_protobuf_parse_result(r);
	return rc;
}

void lint_parsed_free(struct lint_parsed *p)
{
	if (p->tree)
		pg_query__parse_result__free_unpacked(p->tree, NULL);
	free(p->message);
	memset(p, 0, sizeof *p);
}

void lint_parse_end(void)
{
	if (started)
		pg_query_exit();
	started = false;
}
