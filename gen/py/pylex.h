/*
 * pylex.h - Python tokens for the Alembic front end (re2c)
 *
 * Follows Python's tokenizer where an Alembic script can tell: INDENT and
 * DEDENT from a stack of indentation columns (tabs to multiples of 8), no
 * NEWLINE inside brackets or after a backslash continuation, blank and
 * comment-only lines ignored. Strings of every form ('', "", triple-quoted,
 * with r/b/u/f prefixes) are one token each; their value is decoded on
 * demand by pylex_string(). f-strings stay one token: the parser splits them.
 */
#ifndef GEN_PYLEX_H
#define GEN_PYLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

enum pytok {
	PT_EOF,
	PT_NEWLINE,
	PT_INDENT,
	PT_DEDENT,
	PT_NAME,
	PT_NUMBER,
	PT_STRING,
	PT_OP,     /* punctuation and operators: text[off, end) */
	PT_ERROR,  /* already reported */
};

/* String prefix flags. */
#define PYSTR_RAW    0x1u
#define PYSTR_BYTES  0x2u
#define PYSTR_F      0x4u
#define PYSTR_TRIPLE 0x8u

struct pytoken {
	enum pytok kind;
	size_t off, end;          /* the token's bytes */
	unsigned strflags;        /* PYSTR_* for PT_STRING */
	size_t body, body_end;    /* PT_STRING: between the quotes */
};

enum { PYLEX_MAX_INDENT = 100 };

struct pylex {
	const struct src_file *f;
	const char *text;
	size_t pos, begin, end;
	unsigned depth;           /* open brackets: newlines do not count */
	unsigned indent[PYLEX_MAX_INDENT];
	unsigned altindent[PYLEX_MAX_INDENT]; /* the same with tabs as 1 column (TabError) */
	unsigned n_indent;
	unsigned dedents;         /* DEDENT tokens still to hand out */
	bool bol;                 /* at the start of a logical line */
	bool need_newline;        /* a token was returned since the last NEWLINE */
	bool done;
	unsigned errors;
};

/* Scans f->text[begin, end); `sub` scans an expression (an f-string field):
 * no INDENT/DEDENT/NEWLINE, as if inside brackets. */
void pylex_init(struct pylex *lx, const struct src_file *f, size_t begin, size_t end, bool sub);
void pylex_next(struct pylex *lx, struct pytoken *t);

/* Decodes a PT_STRING token's value into the arena (escapes applied unless
 * raw). Reports bad escapes; returns NULL after an error. */
char *pylex_string(struct arena *a, const struct src_file *f, const struct pytoken *t,
		   size_t *len);

/* For tests: one line per token ("NAME op", "INDENT", ...). */
void pylex_dump(const struct src_file *f, struct strbuf *out);

#endif
