/*
 * pylex.re - Python tokenizer for Alembic revision scripts (re2c)
 *
 * Indentation is handled around the scanner, as CPython's tokenizer does:
 * at the start of a logical line outside brackets the leading blanks are
 * measured against a stack and turned into INDENT/DEDENT tokens; lines that
 * hold only blanks or a comment do not count. The scanner proper matches one
 * token at a time through a bounds-checked YYPEEK, so NUL bytes are errors,
 * never an early end.
 */
#include "pylex.h"

#include <string.h>

/*!re2c
	re2c:api = custom;
	re2c:api:style = free-form;
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYPEEK = "(cur < lim ? *cur : 0)";
	re2c:define:YYSKIP = "++cur;";
	re2c:define:YYBACKUP = "mar = cur;";
	re2c:define:YYRESTORE = "cur = mar;";
	re2c:define:YYLESSTHAN = "(lim - cur < @@)";
	re2c:yyfill:enable = 0;
	re2c:eof = 0;

	hspace     = [ \t\f];
	newline    = "\r\n" | "\n" | "\r";
	comment    = "#" [^\n\r]*;
	contline   = "\\" newline;

	name       = [A-Za-z_\x80-\xff] [A-Za-z_0-9\x80-\xff]*;

	digitpart  = [0-9] ("_"? [0-9])*;
	decint     = [1-9] ("_"? [0-9])* | "0"+ ("_"? "0")*;
	hexint     = "0" [xX] ("_"? [0-9a-fA-F])+;
	octint     = "0" [oO] ("_"? [0-7])+;
	binint     = "0" [bB] ("_"? [01])+;
	exponent   = [eE] [+-]? digitpart;
	pointfloat = digitpart? "." digitpart | digitpart ".";
	floatnum   = pointfloat exponent? | digitpart exponent;
	imagnum    = (floatnum | digitpart) [jJ];
	number     = decint | hexint | octint | binint | floatnum | imagnum;

	strprefix  = [rRuUfFbB] | [rR][bBfF] | [bBfF][rR];

	operator   = "**=" | "//=" | ">>=" | "<<=" | "..." | "->" | "**" | "//"
	           | "<<" | ">>" | "<=" | ">=" | "==" | "!=" | ":=" | "+=" | "-="
	           | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "@="
	           | [,:.;@=+\-*/%<>&|^~];
*/

typedef const unsigned char *cursor;

void pylex_init(struct pylex *lx, const struct src_file *f, size_t begin, size_t end, bool sub)
{
	memset(lx, 0, sizeof *lx);
	lx->f = f;
	lx->text = f->text;
	lx->pos = lx->begin = begin;
	lx->end = end;
	lx->bol = !sub;
	lx->depth = sub ? 1 : 0;
	lx->n_indent = 1;
}

static void lex_error(struct pylex *lx, size_t off, const char *msg)
{
	lx->errors++;
	diag_at(DIAG_ERROR, lx->f, off, "%s", msg);
}

/* Body of a string opened by `q` (1 or 3 quote characters): returns the
 * position of the closing quotes, or NULL when the string never ends. */
static cursor scan_string_body(cursor cur, cursor lim, unsigned char q, bool triple)
{
	for (;;) {
		if (cur >= lim)
			return NULL;
		unsigned char c = *cur;
		if (c == '\\') {
			cur += cur + 1 < lim ? 2 : 1;
			continue;
		}
		if (c == q) {
			if (!triple)
				return cur;
			if (lim - cur >= 3 && cur[1] == q && cur[2] == q)
				return cur;
		} else if (!triple && (c == '\n' || c == '\r')) {
			return NULL;
		}
		cur++;
	}
}

static unsigned prefix_flags(cursor p, cursor q)
{
	unsigned fl = 0;
	for (; p < q; p++) {
		switch (*p) {
		case 'r': case 'R': fl |= PYSTR_RAW; break;
		case 'b': case 'B': fl |= PYSTR_BYTES; break;
		case 'f': case 'F': fl |= PYSTR_F; break;
		default: break;
		}
	}
	return fl;
}

/* Scans one token starting at lx->pos (blanks already allowed before it). */
static void scan(struct pylex *lx, struct pytoken *t)
{
	cursor base = (cursor)lx->text;
	cursor lim = base + lx->end;
	cursor cur, mar, tok;

again:
	cur = base + lx->pos;
	mar = cur;
	tok = cur;
	t->off = lx->pos;
	t->strflags = 0;
	(void)mar;
	/*!re2c
		hspace+    { lx->pos = (size_t)(cur - base); goto again; }
		comment    { lx->pos = (size_t)(cur - base); goto again; }
		contline   { lx->pos = (size_t)(cur - base); goto again; }
		"\\"       {
			lex_error(lx, t->off, "a backslash continues a line only at its end");
			lx->pos = (size_t)(cur - base);
			t->kind = PT_ERROR;
			goto out;
		}
		newline    {
			lx->pos = (size_t)(cur - base);
			if (lx->depth > 0 || !lx->need_newline)
				goto again;
			t->kind = PT_NEWLINE;
			lx->bol = true;
			lx->need_newline = false;
			goto out;
		}
		strprefix? ['"] {
			unsigned char q = cur[-1];
			cursor open = cur - 1;
			bool triple = lim - open >= 3 && open[1] == q && open[2] == q;
			t->strflags = prefix_flags(tok, open);
			if (triple) {
				t->strflags |= PYSTR_TRIPLE;
				cur = open + 3;
			}
			cursor close = scan_string_body(cur, lim, q, triple);
			if (!close) {
				lex_error(lx, t->off, triple ? "unterminated triple-quoted string"
						     : "unterminated string");
				lx->pos = lx->end;
				t->kind = PT_ERROR;
				goto out;
			}
			t->body = (size_t)(cur - base);
			t->body_end = (size_t)(close - base);
			lx->pos = t->body_end + (triple ? 3 : 1);
			t->kind = PT_STRING;
			goto out;
		}
		number     { lx->pos = (size_t)(cur - base); t->kind = PT_NUMBER; goto out; }
		name       { lx->pos = (size_t)(cur - base); t->kind = PT_NAME; goto out; }
		[([{]      { lx->depth++; lx->pos = (size_t)(cur - base); t->kind = PT_OP; goto out; }
		[)\]}]     {
			if (lx->depth > 0)
				lx->depth--;
			lx->pos = (size_t)(cur - base);
			t->kind = PT_OP;
			goto out;
		}
		operator   { lx->pos = (size_t)(cur - base); t->kind = PT_OP; goto out; }
		$          { t->kind = PT_EOF; goto out; }
		[\x00]     {
			lex_error(lx, t->off, "NUL byte in a Python file");
			lx->pos = lx->end;
			t->kind = PT_ERROR;
			goto out;
		}
		*          {
			lex_error(lx, t->off, "unexpected character in Python source");
			lx->pos = (size_t)(cur - base);
			t->kind = PT_ERROR;
			goto out;
		}
	*/
out:
	t->end = lx->pos;
}

/* At the start of a logical line: measure its indentation. Returns false
 * when the line is blank or only a comment (skipped). */
static bool measure_line(struct pylex *lx, unsigned *col, unsigned *altcol)
{
	size_t p = lx->pos;
	unsigned c = 0, alt = 0;

	while (p < lx->end) {
		char ch = lx->text[p];
		if (ch == ' ') {
			c++;
			alt++;
		} else if (ch == '\t') {
			c = (c / 8 + 1) * 8;
			alt++;
		} else if (ch == '\f') {
			c = alt = 0;
		} else {
			break;
		}
		p++;
	}
	lx->pos = p;
	*col = c;
	*altcol = alt;
	if (p >= lx->end)
		return true;
	char ch = lx->text[p];
	if (ch == '#') {
		while (p < lx->end && lx->text[p] != '\n' && lx->text[p] != '\r')
			p++;
	}
	if (p < lx->end && (lx->text[p] == '\n' || lx->text[p] == '\r')) {
		p += lx->text[p] == '\r' && p + 1 < lx->end && lx->text[p + 1] == '\n' ? 2 : 1;
		lx->pos = p;
		return false;
	}
	if (p >= lx->end) {
		lx->pos = p;
		return true;
	}
	return true;
}

void pylex_next(struct pylex *lx, struct pytoken *t)
{
	t->body = t->body_end = 0;
	t->strflags = 0;
	if (lx->dedents) {
		lx->dedents--;
		t->kind = PT_DEDENT;
		t->off = t->end = lx->pos;
		return;
	}
	while (lx->bol && lx->depth == 0 && !lx->done) {
		unsigned col, alt;
		if (!measure_line(lx, &col, &alt))
			continue;
		lx->bol = false;
		if (lx->pos >= lx->end)
			break;
		unsigned top = lx->indent[lx->n_indent - 1];
		/* CPython's TabError: the indentation must compare the same with
		 * tabs of 8 columns and tabs of 1. */
		if ((col == top && alt != lx->altindent[lx->n_indent - 1]) ||
		    (col > top && alt <= lx->altindent[lx->n_indent - 1])) {
			lex_error(lx, lx->pos, "inconsistent use of tabs and spaces in indentation");
			t->kind = PT_ERROR;
			t->off = t->end = lx->pos;
			lx->pos = lx->end;
			return;
		}
		if (col > top) {
			if (lx->n_indent == PYLEX_MAX_INDENT) {
				lex_error(lx, lx->pos, "too many levels of indentation");
				t->kind = PT_ERROR;
				t->off = t->end = lx->pos;
				lx->pos = lx->end;
				return;
			}
			lx->altindent[lx->n_indent] = alt;
			lx->indent[lx->n_indent++] = col;
			t->kind = PT_INDENT;
			t->off = t->end = lx->pos;
			return;
		}
		if (col < top) {
			while (lx->n_indent > 1 && lx->indent[lx->n_indent - 1] > col) {
				lx->n_indent--;
				lx->dedents++;
			}
			if (lx->indent[lx->n_indent - 1] == col && lx->altindent[lx->n_indent - 1] != alt) {
				lex_error(lx, lx->pos, "inconsistent use of tabs and spaces in indentation");
				lx->dedents = 0;
				t->kind = PT_ERROR;
				t->off = t->end = lx->pos;
				lx->pos = lx->end;
				return;
			}
			if (lx->indent[lx->n_indent - 1] != col) {
				lex_error(lx, lx->pos, "unindent does not match any outer indentation level");
				lx->dedents = 0;
				t->kind = PT_ERROR;
				t->off = t->end = lx->pos;
				return;
			}
			lx->dedents--;
			t->kind = PT_DEDENT;
			t->off = t->end = lx->pos;
			return;
		}
	}
	if (lx->done) {
		t->kind = PT_EOF;
		t->off = t->end = lx->end;
		return;
	}
	scan(lx, t);
	if (t->kind == PT_EOF) {
		/* The last line may lack its line break; then unwind the blocks. */
		if (lx->depth > 0) {
			/* An open bracket: the parser reports the end of file. */
			lx->done = true;
			return;
		}
		if (lx->need_newline && lx->n_indent) {
			lx->need_newline = false;
			t->kind = PT_NEWLINE;
			return;
		}
		if (lx->n_indent > 1) {
			lx->dedents = lx->n_indent - 2;
			lx->n_indent = 1;
			t->kind = PT_DEDENT;
			return;
		}
		lx->done = true;
		return;
	}
	if (t->kind != PT_NEWLINE)
		lx->need_newline = true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void add_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		sb_addch(sb, (int)cp);
	} else if (cp < 0x800) {
		sb_addch(sb, (int)(0xc0 | (cp >> 6)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_addch(sb, (int)(0xe0 | (cp >> 12)));
		sb_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3f)));
	} else {
		sb_addch(sb, (int)(0xf0 | (cp >> 18)));
		sb_addch(sb, (int)(0x80 | ((cp >> 12) & 0x3f)));
		sb_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3f)));
		sb_addch(sb, (int)(0x80 | (cp & 0x3f)));
	}
}

char *pylex_string(struct arena *a, const struct src_file *f, const struct pytoken *t,
		   size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = f->text;
	size_t i = t->body, end = t->body_end;
	bool raw = t->strflags & PYSTR_RAW;

	while (i < end) {
		char c = s[i];
		if (c == '\r') {
			/* Python reads \r\n and \r as \n in source. */
			sb_addch(&sb, '\n');
			i += i + 1 < end && s[i + 1] == '\n' ? 2 : 1;
			continue;
		}
		if (c != '\\' || raw || i + 1 >= end) {
			if (c == '\\' && raw && i + 1 < end) {
				sb_add(&sb, s + i, 2);
				i += 2;
				continue;
			}
			sb_addch(&sb, c);
			i++;
			continue;
		}
		char e = s[i + 1];
		size_t at = i;
		i += 2;
		switch (e) {
		case '\n': break;
		case '\r': if (i < end && s[i] == '\n') i++; break;
		case '\\': sb_addch(&sb, '\\'); break;
		case '\'': sb_addch(&sb, '\''); break;
		case '"': sb_addch(&sb, '"'); break;
		case 'a': sb_addch(&sb, '\a'); break;
		case 'b': sb_addch(&sb, '\b'); break;
		case 'f': sb_addch(&sb, '\f'); break;
		case 'n': sb_addch(&sb, '\n'); break;
		case 'r': sb_addch(&sb, '\r'); break;
		case 't': sb_addch(&sb, '\t'); break;
		case 'v': sb_addch(&sb, '\v'); break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7': {
			unsigned v = (unsigned)(e - '0');
			for (int k = 0; k < 2 && i < end && s[i] >= '0' && s[i] <= '7'; k++)
				v = v * 8 + (unsigned)(s[i++] - '0');
			if (t->strflags & PYSTR_BYTES)
				sb_addch(&sb, (int)(v & 0xff));
			else
				add_utf8(&sb, v);
			break;
		}
		case 'x': case 'u': case 'U': {
			int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
			unsigned long v = 0;
			if ((t->strflags & PYSTR_BYTES) && e != 'x') {
				sb_add(&sb, s + at, 2);
				break;
			}
			for (int k = 0; k < n; k++) {
				int h = i < end ? hexval(s[i]) : -1;
				if (h < 0) {
					diag_at(DIAG_ERROR, f, at, "truncated '\\%c' escape in a string", e);
					sb_release(&sb);
					return NULL;
				}
				v = v * 16 + (unsigned long)h;
				i++;
			}
			if (v > 0x10ffff) {
				diag_at(DIAG_ERROR, f, at, "escape '\\%c' is not a valid character", e);
				sb_release(&sb);
				return NULL;
			}
			if (t->strflags & PYSTR_BYTES)
				sb_addch(&sb, (int)v);
			else
				add_utf8(&sb, v);
			break;
		}
		case 'N':
			diag_at(DIAG_ERROR, f, at, "named character escape '\\N{...}' is not supported");
			diag_hint("write the character itself");
			sb_release(&sb);
			return NULL;
		default:
			/* Python keeps unknown escapes as they are. */
			sb_add(&sb, s + at, 2);
			break;
		}
	}
	*len = sb.len;
	char *out = arena_strndup(a, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return out;
}

static const char *const tok_name[] = {
	[PT_EOF] = "EOF", [PT_NEWLINE] = "NEWLINE", [PT_INDENT] = "INDENT",
	[PT_DEDENT] = "DEDENT", [PT_NAME] = "NAME", [PT_NUMBER] = "NUMBER",
	[PT_STRING] = "STRING", [PT_OP] = "OP", [PT_ERROR] = "ERROR",
};

void pylex_dump(const struct src_file *f, struct strbuf *out)
{
	struct pylex lx;
	struct pytoken t;

	pylex_init(&lx, f, 0, f->len, false);
	do {
		pylex_next(&lx, &t);
		sb_addstr(out, tok_name[t.kind]);
		if (t.kind == PT_NAME || t.kind == PT_NUMBER || t.kind == PT_OP || t.kind == PT_STRING)
			sb_addf(out, " %.*s", (int)(t.end - t.off), f->text + t.off);
		sb_addch(out, '\n');
	} while (t.kind != PT_EOF && t.kind != PT_ERROR);
}
