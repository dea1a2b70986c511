/*
 * diag.h - compiler-style diagnostics for migration files
 *
 * Every message about a migration file goes through diag_at(), which prints
 *
 *     versions/x.sql:12:3: error: unterminated dollar-quoted string
 *        12 | $body$ SELECT 1;
 *           | ^
 *
 * Positions are byte offsets into the file; line and column are worked out
 * only when printing (columns count bytes, 1-based). Extra facts and advice go
 * on their own "detail:" and "hint:" lines via diag_detail()/diag_hint(),
 * which attach to the message printed just before.
 */
#ifndef GEN_DIAG_H
#define GEN_DIAG_H

#include <stdio.h>
#include <stddef.h>

/* A migration file read into memory. `text` has a NUL after `len` bytes. */
struct src_file {
	const char *path; /* as shown to the user: "DIR/versions/x.sql", DIR as typed */
	const char *text;
	size_t len;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

/* Where diagnostics go (stderr unless a test redirects it). */
extern FILE *diag_stream;

void diag_at(enum diag_level level, const struct src_file *f, size_t off,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A message about the folder or the command, not a position in a file. */
void diag_plain(enum diag_level level, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "hint: did you mean '--NAME'?" when an option of `opts` (ended by a NULL
 * name) is near the unknown long option `arg`; else nothing.
 */
struct option;
void diag_option_hint(const char *arg, const struct option *opts);

/* The text of the hint just printed, when the last line printed was a
 * hint (and shown); else NULL. */
const char *diag_last_hint(void);

/* Errors reported since start-up (or the last diag_reset). */
unsigned diag_errors(void);
void diag_reset(void);

/* 1-based line and byte column of `off` in `f`. */
void src_linecol(const struct src_file *f, size_t off, unsigned *line, unsigned *col);

#endif
