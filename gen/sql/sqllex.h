/*
 * sqllex.h - PostgreSQL tokens and statement splitting for native .sql files
 *
 * The lexer follows psql's rules (src/fe_utils/psqlscan.l), assuming
 * standard_conforming_strings = on: it knows every kind of quote and comment,
 * so a ';' or a "-- migrate:" line inside one of them is not mistaken for
 * anything. It only splits; it does not parse.
 *
 * The splitter groups tokens into statements as psql does: a ';' ends a
 * statement unless it is inside parentheses or inside the BEGIN ATOMIC ... END
 * body of CREATE [OR REPLACE] FUNCTION|PROCEDURE.
 */
#ifndef GEN_SQLLEX_H
#define GEN_SQLLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "rev.h"

/* Splits f->text[begin, end) into statements appended to *out (arena-allocated,
 * arena_grow). Errors go through diag_at. Returns the number of errors. */
unsigned sqllex_split(struct arena *a, const struct src_file *f, size_t begin,
		      size_t end, struct stmt_list *out);

/* Checksum normalisation, version 1 (sha256-v1; frozen, databases keep its
 * checksums): appends sql's token stream to sb with comments dropped, each
 * run of whitespace/comments between tokens folded to one space, no leading
 * or trailing space; string literals, quoted identifiers and dollar bodies
 * kept byte-exact but for CRLF, which counts as LF everywhere. Whether there
 * was a gap still counts: "text) ;" and "text);" differ. */
void sqllex_normalize(const char *sql, size_t len, struct strbuf *sb);

/*
 * Checksum normalisation, version 2 (sha256-v2), the one definition of
 * "what runs, not how it is written": appends sql's tokens to sb, one space
 * between any two, whatever stood between them in the file (nothing,
 * whitespace, comments, line breaks). Literal, quoted identifier, dollar
 * body and identifier bytes are kept exactly (CRLF counts as LF, so a
 * Windows checkout is no edit). Two refinements keep it exact where this
 * lexer's tokens are finer than PostgreSQL's: operator characters written
 * together stay together ("<=" is not "< ="), and the statement's final
 * ';' (or ';;') is dropped, so "x);", "x) ;" and "x)" are the same.
 * The output lexes back to the same tokens, so distinct token streams give
 * distinct text.
 */
void sqllex_canon(const char *sql, size_t len, struct strbuf *sb);

/* ---- token level, shared with sqlhdr.c ----------------------------------- */

enum sqltok {
	SQLTOK_EOF,
	SQLTOK_SPACE,         /* a run of whitespace */
	SQLTOK_LINE_COMMENT,  /* "--" up to, not including, the line break */
	SQLTOK_BLOCK_COMMENT, /* nested slash-star comment */
	SQLTOK_STRING,        /* '', E'', U&'', B'', X'', N'' with continuations */
	SQLTOK_QIDENT,        /* "" or U&"" */
	SQLTOK_DOLLAR,        /* $tag$ ... $tag$ */
	SQLTOK_IDENT,
	SQLTOK_SEMI,
	SQLTOK_LPAREN,
	SQLTOK_RPAREN,
	SQLTOK_BACKSLASH,
	SQLTOK_OTHER,         /* numbers, operators, parameters, anything else */
};

/*
 * Scanner over text[begin, end). An unterminated quote or comment is reported
 * (when `f` is set) at its start, counted in `errors`, and returned as a token
 * running to `end`. NUL bytes are ordinary bytes here.
 */
struct sqllex {
	const struct src_file *f; /* NULL: report nothing */
	const char *text;
	size_t pos, end;
	size_t tok, tok_end;      /* the last token: text[tok, tok_end) */
	size_t line0;             /* where scanning began, taken as a line start */
	unsigned errors;
};

void sqllex_init(struct sqllex *lx, const struct src_file *f, size_t begin, size_t end);
/* Same without a file, for text that is not reported on. */
void sqllex_init_quiet(struct sqllex *lx, const char *text, size_t len);
enum sqltok sqllex_next(struct sqllex *lx);
/* Moves to the start of the next line (psql meta-commands end at the line's end). */
void sqllex_skip_line(struct sqllex *lx);
/* Whether only blanks stand between the start of the line and the token. */
bool sqllex_at_line_start(const struct sqllex *lx);

/* Statement splitting state, fed one token at a time. */
struct sqlsplit {
	struct arena *a;
	const struct src_file *f;
	struct stmt_list *out;
	bool in_stmt;
	size_t start, last;       /* statement's first byte, end of its last token */
	unsigned paren, begin_depth;
	unsigned n_ident;
	char idents[4];           /* first letters of CREATE OR REPLACE FUNCTION... */
	unsigned errors;
};

void sqlsplit_init(struct sqlsplit *sp, struct arena *a, const struct src_file *f,
		   struct stmt_list *out);
/* Feeds the token lx has just returned (may skip the rest of a line in lx). */
void sqlsplit_feed(struct sqlsplit *sp, struct sqllex *lx, enum sqltok t);
/* Ends the section: a statement without ';' still counts. */
void sqlsplit_finish(struct sqlsplit *sp);

#endif
