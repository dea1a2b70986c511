/*
 * parse.h - every statement through PostgreSQL's own parser (libpg_query)
 *
 * The statement splitter stays ours (sqllex.c); each statement it cut is
 * handed to libpg_query, PostgreSQL 15's grammar built as a library. A
 * statement some lint rule may look inside comes back as a typed tree
 * (libpg_query's protobuf form, unpacked by protobuf-c); any other one
 * (INSERT, CREATE FUNCTION, most of a downgrade, ...) is only parsed, which
 * costs a tenth as much. A syntax error comes back with its position as a
 * byte offset into the statement.
 */
#ifndef GEN_LINT_PARSE_H
#define GEN_LINT_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <pg_query/pg_query.pb-c.h>

struct lint_parsed {
	PgQuery__ParseResult *tree; /* NULL: only checked, or a syntax error */
	bool error;
	char *message;              /* the parser's message (malloc'd) */
	size_t err_off;             /* byte offset of the error in the statement */
};

/*
 * Whether some rule may look inside sql[0..len), an upgrade statement or
 * not (a downgrade's are judged by fewer rules): decided on its first words.
 */
bool lint_wants_tree(const char *sql, size_t len, bool upgrade);

/*
 * Parses sql[0..len) (NUL-terminated), into a tree or only checking it.
 * Returns 0, or -1 for a syntax error (described in *p). Free with
 * lint_parsed_free().
 */
int lint_parse(const char *sql, size_t len, bool tree, struct lint_parsed *p);
void lint_parsed_free(struct lint_parsed *p);

/*
 * The byte offset in sql[0..len) of the parser's cursor position: 1-based,
 * counted in characters (UTF-8), 0 when the parser gave none.
 */
size_t lint_cursor_byte(const char *sql, size_t len, int cursorpos);

#endif
