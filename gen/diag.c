/*
 * diag.c - the one place that prints diagnostics
 */
#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "color.h"
#include "nearest.h"

FILE *diag_stream;
static unsigned n_errors;

/*
 * At most DIAG_MAX_PER_FILE messages are shown per file, as compilers stop
 * after -fmax-errors: a hostile file can hold a million errors, and working
 * out the line of each (src_linecol scans from the start) made that take
 * minutes. Later ones are still counted. A file is known by its struct,
 * text and length.
 */
enum { DIAG_MAX_PER_FILE = 50 };
static struct {
	const struct src_file *f;
	const char *text;
	size_t len;
	unsigned shown;
} per_file;
static bool muted;  /* the last message was not shown: nor are its details */
static char last_hint[512];  /* the hint just printed ("" after anything else) */

static FILE *out(void)
{
	return diag_stream ? diag_stream : stderr;
}

void src_linecol(const struct src_file *f, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1;
	size_t bol = 0;

	if (off > f->len)
		off = f->len;
	for (size_t i = 0; i < off; i++)
		if (f->text[i] == '\n')
			l++, bol = i + 1;
	*line = l;
	*col = (unsigned)(off - bol) + 1;
}

static const char *level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : level == DIAG_WARNING ? "warning" : "note";
}

/* "error: " and the like, coloured on a terminal (color.h). */
static void level_label(enum diag_level level)
{
	enum color_role role = level == DIAG_ERROR ? COLOR_ERROR
			     : level == DIAG_WARNING ? COLOR_WARNING : COLOR_NOTE;
	fprintf(out(), "%s%s:%s ", color_start(out(), role), level_name(level), color_end(out()));
}

/* Prints the source line holding `off`, then a caret under it. */
static void show_line(const struct src_file *f, size_t off, unsigned line, unsigned col)
{
	size_t bol = off - (col - 1), eol = bol;

	while (eol < f->len && f->text[eol] != '\n' && f->text[eol] != '\r')
		eol++;
	/* A line of binary garbage or a huge one is no help to show. */
	if (eol - bol > 200)
		return;
	for (size_t i = bol; i < eol; i++) {
		unsigned char c = (unsigned char)f->text[i];
		if (c < 0x20 && c != '\t')
			return;
	}
	fprintf(out(), "%5u | %.*s\n      | ", line, (int)(eol - bol), f->text + bol);
	for (size_t i = bol; i < off; i++)
		fputc(f->text[i] == '\t' ? '\t' : ' ', out());
	fputs("^\n", out());
}

void diag_at(enum diag_level level, const struct src_file *f, size_t off,
	     const char *fmt, ...)
{
	unsigned line, col;
	va_list ap;

	last_hint[0] = '\0';
	if (level == DIAG_ERROR)
		n_errors++;
	if (per_file.f != f || per_file.text != f->text || per_file.len != f->len)
		per_file.f = f, per_file.text = f->text, per_file.len = f->len, per_file.shown = 0;
	muted = per_file.shown > DIAG_MAX_PER_FILE;
	if (muted)
		return;
	if (per_file.shown++ == DIAG_MAX_PER_FILE) {
		fprintf(out(), "%s: ", f->path);
		level_label(DIAG_NOTE);
		fprintf(out(), "more than %d problems; the rest are not shown\n", DIAG_MAX_PER_FILE);
		muted = true;
		return;
	}
	src_linecol(f, off, &line, &col);
	if (off > f->len)
		off = f->len;
	fprintf(out(), "%s:%u:%u: ", f->path, line, col);
	level_label(level);
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
	fputc('\n', out());
	show_line(f, off, line, col);
}

void diag_plain(enum diag_level level, const char *path, const char *fmt, ...)
{
	va_list ap;

	muted = false;
	last_hint[0] = '\0';
	if (path)
		fprintf(out(), "%s: ", path);
	level_label(level);
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
	fputc('\n', out());
	if (level == DIAG_ERROR)
		n_errors++;
}

static void vextra(const char *label, const char *fmt, va_list ap)
{
	last_hint[0] = '\0';
	if (muted)
		return;
	if (label[0] == 'h') {
		va_list aq;
		va_copy(aq, ap);
		vsnprintf(last_hint, sizeof last_hint, fmt, aq);
		va_end(aq);
	}
	bool hint = strcmp(label, "hint") == 0;
	fprintf(out(), "%s%s:%s ", hint ? color_start(out(), COLOR_NOTE) : "", label,
		hint ? color_end(out()) : "");
	vfprintf(out(), fmt, ap);
	fputc('\n', out());
}

void diag_detail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vextra("detail", fmt, ap);
	va_end(ap);
}

void diag_hint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vextra("hint", fmt, ap);
	va_end(ap);
}

void diag_option_hint(const char *arg, const struct option *opts)
{
	const char *near = nearest_option(arg, opts);
	if (near)
		diag_hint("did you mean '--%s'?", near);
}

const char *diag_last_hint(void)
{
	return last_hint[0] ? last_hint : NULL;
}

unsigned diag_errors(void)
{
	return n_errors;
}

void diag_reset(void)
{
	n_errors = 0;
	per_file.f = NULL;
	muted = false;
}
