/*
 * parse.c - every statement through PostgreSQL's own parser (libpg_query)
 */
#include "lint/parse.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>

#include "sql/sqllex.h"

/*
 * libpg_query's parser without any output, for statements no rule looks
 * inside: building and unpacking the protobuf tree costs ten times the
 * parse itself. Declared in <pg_query/pg_query_internal.h>, which needs
 * PostgreSQL's server headers for its List and MemoryContext; the result is
 * three pointers, declared here alike.
 */
struct raw_result {
	void *tree;
	char *stderr_buffer;
	PgQueryError *error;
};
struct raw_result pg_query_raw_parse(const char *input);
void *pg_query_enter_memory_context(void);
void pg_query_exit_memory_context(void *ctx);
void pg_query_free_error(PgQueryError *error);

/* The identifier tokens of sql, lower-cased, up to n of them. */
static size_t first_words(const char *sql, size_t len, char words[][16], size_t n)
{
	struct sqllex lx;
	enum sqltok t;
	size_t k = 0;

	sqllex_init_quiet(&lx, sql, len);
	while (k < n && (t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t == SQLTOK_SPACE || t == SQLTOK_LINE_COMMENT || t == SQLTOK_BLOCK_COMMENT)
			continue;
		if (t != SQLTOK_IDENT)
			break;
		size_t w = lx.tok_end - lx.tok;
		if (w >= 16)
			w = 15;
		for (size_t i = 0; i < w; i++)
			words[k][i] = (char)(sql[lx.tok + i] | 0x20);
		words[k++][w] = '\0';
	}
	return k;
}

static bool in(const char *w, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(w, *set) == 0)
			return true;
	return false;
}

/*
 * Erring towards a tree. CREATE TABLE, the bulk of most folders and the
 * costliest tree, gets none: rules.c reads its name from the tokens and
 * parses it again only when a rule needs its columns.
 */
bool lint_wants_tree(const char *sql, size_t len, bool upgrade)
{
	static const char *const up_first[] = {
		"drop", "set", "reset", "vacuum", "reindex", "begin", "start", "commit",
		"end", "rollback", "abort", "prepare", "truncate", NULL,
	};
	static const char *const down_first[] = { "vacuum", "reindex", NULL };
	static const char *const created[] = {
		"table", "index", "database", "tablespace", NULL,
	};
	static const char *const in_down[] = { "database", "tablespace", "concurrently", NULL };
	static const char *const altered[] = { "table", "type", "system", NULL };
	char w[5][16];
	size_t n = first_words(sql, len, w, 5);

	if (n == 0)
		return true;
	if (strcmp(w[0], "create") == 0) {
		for (size_t i = 1; i < n; i++) {
			if (!upgrade && in(w[i], in_down))
				return true;
			if (upgrade && in(w[i], created))
				return strcmp(w[i], "table") != 0;
		}
		return false;
	}
	if (strcmp(w[0], "alter") == 0)
		return n > 1 && in(w[1], altered) && (upgrade || strcmp(w[1], "system") == 0);
	if (in(w[0], upgrade ? up_first : down_first))
		return true;
	/* A downgrade's DROP matters only when it cannot run in a transaction. */
	if (strcmp(w[0], "drop") == 0)
		for (size_t i = 1; i < n; i++)
			if (in(w[i], in_down))
				return true;
	/* SELECT set_config(..., false) changes the session. */
	if (upgrade && (strcmp(w[0], "select") == 0 || strcmp(w[0], "with") == 0))
		for (size_t k = 0; k + 10 <= len; k++)
			if (strncasecmp(sql + k, "set_config", 10) == 0)
				return true;
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

/*
 * libpg_query sets itself up on first use and keeps its memory contexts for
 * the thread; after pg_query_exit() it must not be used again, so that
 * happens once, at exit (before the leak checker's own exit handler).
 */
static bool started;

static void parse_exit(void)
{
	pg_query_exit();
}

int lint_parse(const char *sql, size_t len, bool tree, struct lint_parsed *p)
{
	int rc = 0;

	if (!started && atexit(parse_exit) != 0)
		abort();
	started = true;
	memset(p, 0, sizeof *p);
	if (!tree) {
		void *ctx = pg_query_enter_memory_context();
		struct raw_result r = pg_query_raw_parse(sql);
		if (r.error) {
			rc = failed(p, sql, len, r.error);
			pg_query_free_error(r.error);
		}
		free(r.stderr_buffer);
		pg_query_exit_memory_context(ctx);
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


