/*
 * sqllex.re - PostgreSQL lexer and statement splitter (re2c)
 *
 * Token rules follow psql's src/fe_utils/psqlscan.l with
 * standard_conforming_strings on. Every state has an explicit end rule and a
 * catch-all; input is read through a bounds-checked YYPEEK, so a section
 * can end anywhere in the file and NUL bytes inside it are plain bytes. A
 * failed match backs up at most once over what it read (a closing '$', or
 * blanks after a quote that no second quote follows), so the scan is linear.
 */
#include "sqllex.h"

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

	space       = [ \t\n\r\f\v];
	hspace      = [ \t\f\v];
	newline     = [\n\r];
	comment     = "--" [^\n\r]*;

	special_ws  = space+ | comment newline;
	horiz_ws    = hspace | comment;
	ws_newline  = horiz_ws* newline special_ws*;
	quotecont   = ws_newline "'";

	ident_start = [A-Za-z_\x80-\xff];
	ident_cont  = [A-Za-z_0-9$\x80-\xff];
	identifier  = ident_start ident_cont*;
	dolq_start  = [A-Za-z_\x80-\xff];
	dolq_cont   = [A-Za-z_0-9\x80-\xff];
	dolqdelim   = "$" (dolq_start dolq_cont*)? "$";
	dolqfailed  = "$" dolq_start dolq_cont*;
	param       = "$" [0-9]+;
	number      = [0-9]+ identifier?;

	xqstart     = [bBxXnN]? "'";
	xestart     = [eE] "'";
	xusstart    = [uU] "&'";
	xdstart     = "\"";
	xuistart    = [uU] "&\"";
	xcstart     = "/*";
*/

typedef const unsigned char *cursor;

static void unterminated(struct sqllex *lx, const char *what)
{
	lx->errors++;
	if (lx->f)
		diag_at(DIAG_ERROR, lx->f, lx->tok, "unterminated %s", what);
}

/* After a closing quote: psql joins 'a'<newline>'b' into one literal. */
static cursor quote_continues(cursor cur, cursor lim)
{
	cursor mar = cur;

	(void)mar;
	/*!re2c
		quotecont { return cur; }
		*         { return NULL; }
		$         { return NULL; }
	*/
}

/* Body of '...' (or E'...' when `esc`): returns the end of the literal. */
static cursor scan_string(struct sqllex *lx, cursor cur, cursor lim, bool esc)
{
	cursor mar = cur, next;

	(void)mar;
	for (;;) {
		if (esc) {
			/*!re2c
				[^'\\]+    { continue; }
				"''"       { continue; }
				"\\" [^]   { continue; }
				"\\"       { continue; }
				"'"        { goto closed; }
				*          { continue; }
				$          { goto eof; }
			*/
		} else {
			/*!re2c
				[^']+      { continue; }
				"''"       { continue; }
				"'"        { goto closed; }
				*          { continue; }
				$          { goto eof; }
			*/
		}
closed:
		next = quote_continues(cur, lim);
		if (!next)
			return cur;
		cur = next;
	}
eof:
	unterminated(lx, "quoted string");
	return lim;
}

static cursor scan_qident(struct sqllex *lx, cursor cur, cursor lim)
{
	cursor mar = cur;

	(void)mar;
	for (;;) {
		/*!re2c
			[^"]+      { continue; }
			"\"\""     { continue; }
			"\""       { return cur; }
			*          { continue; }
			$          { break; }
		*/
	}
	unterminated(lx, "quoted identifier");
	return lim;
}

/* Body of a dollar quote opened by delim[0, dlen). */
static cursor scan_dollar(struct sqllex *lx, cursor cur, cursor lim,
			  cursor delim, size_t dlen)
{
	cursor mar = cur, t;

	(void)mar;
	for (;;) {
		t = cur;
		/*!re2c
			[^$]+      { continue; }
			dolqdelim  {
				if ((size_t)(cur - t) == dlen && memcmp(t, delim, dlen) == 0)
					return cur;
				/* The closing '$' may open the real delimiter. */
				cur--;
				continue;
			}
			dolqfailed { continue; }
			"$"        { continue; }
			*          { continue; }
			$          { break; }
		*/
	}
	unterminated(lx, "dollar-quoted string");
	return lim;
}

/* Body of a comment opened by slash-star; these nest in PostgreSQL. */
static cursor scan_comment(struct sqllex *lx, cursor cur, cursor lim)
{
	cursor mar = cur;
	size_t depth = 1;

	(void)mar;
	for (;;) {
		/*!re2c
			xcstart    { depth++; continue; }
			"*" "/"    { if (--depth == 0) return cur; continue; }
			[^*/]+     { continue; }
			*          { continue; }
			$          { break; }
		*/
	}
	unterminated(lx, "/* comment");
	return lim;
}

void sqllex_init(struct sqllex *lx, const struct src_file *f, size_t begin, size_t end)
{
	if (end > f->len)
		end = f->len;
	if (begin > end)
		begin = end;
	*lx = (struct sqllex){ .f = f, .text = f->text, .pos = begin, .end = end,
			       .tok = begin, .tok_end = begin, .line0 = begin };
}

void sqllex_init_quiet(struct sqllex *lx, const char *text, size_t len)
{
	*lx = (struct sqllex){ .text = text, .end = len };
}

enum sqltok sqllex_next(struct sqllex *lx)
{
	cursor base = (cursor)lx->text;
	cursor cur = base + lx->pos, lim = base + lx->end, tok = cur, mar = cur;
	enum sqltok t;

	(void)mar;
	lx->tok = lx->pos;
	/*!re2c
		$          { t = SQLTOK_EOF; goto done; }
		space+     { t = SQLTOK_SPACE; goto done; }
		comment    { t = SQLTOK_LINE_COMMENT; goto done; }
		xcstart    {
			t = SQLTOK_BLOCK_COMMENT;
			cur = scan_comment(lx, cur, lim);
			goto done;
		}
		xqstart | xusstart {
			t = SQLTOK_STRING;
			cur = scan_string(lx, cur, lim, false);
			goto done;
		}
		xestart    {
			t = SQLTOK_STRING;
			cur = scan_string(lx, cur, lim, true);
			goto done;
		}
		xdstart | xuistart {
			t = SQLTOK_QIDENT;
			cur = scan_qident(lx, cur, lim);
			goto done;
		}
		dolqdelim  {
			t = SQLTOK_DOLLAR;
			cur = scan_dollar(lx, cur, lim, tok, (size_t)(cur - tok));
			goto done;
		}
		param      { t = SQLTOK_OTHER; goto done; }
		identifier { t = SQLTOK_IDENT; goto done; }
		number     { t = SQLTOK_OTHER; goto done; }
		"("        { t = SQLTOK_LPAREN; goto done; }
		")"        { t = SQLTOK_RPAREN; goto done; }
		";"        { t = SQLTOK_SEMI; goto done; }
		"\\"       { t = SQLTOK_BACKSLASH; goto done; }
		*          { t = SQLTOK_OTHER; goto done; }
	*/
done:
	lx->pos = (size_t)(cur - base);
	lx->tok_end = lx->pos;
	return t;
}

void sqllex_skip_line(struct sqllex *lx)
{
	const char *nl = memchr(lx->text + lx->pos, '\n', lx->end - lx->pos);

	lx->pos = nl ? (size_t)(nl - lx->text) : lx->end;
}

bool sqllex_at_line_start(const struct sqllex *lx)
{
	size_t i = lx->tok;

	while (i > lx->line0 && strchr(" \t\f\v", lx->text[i - 1]) && lx->text[i - 1])
		i--;
	return i == lx->line0 || lx->text[i - 1] == '\n' || lx->text[i - 1] == '\r';
}

/* ---- statements ---------------------------------------------------------- */

static bool word_is(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n && w[i]; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[i])
			return false;
	}
	return i == n && !w[i];
}

void sqlsplit_init(struct sqlsplit *sp, struct arena *a, const struct src_file *f,
		   struct stmt_list *out)
{
	*sp = (struct sqlsplit){ .a = a, .f = f, .out = out };
}

static void begin_stmt(struct sqlsplit *sp, const struct sqllex *lx)
{
	if (sp->in_stmt)
		return;
	sp->in_stmt = true;
	sp->start = lx->tok;
	sp->paren = sp->begin_depth = sp->n_ident = 0;
	memset(sp->idents, 0, sizeof(sp->idents));
}

static void end_stmt(struct sqlsplit *sp)
{
	struct stmt_list *l = sp->out;
	struct stmt *s;

	arena_grow(sp->a, &l->v, &l->cap, l->n + 1, sizeof(*l->v));
	s = &l->v[l->n++];
	s->off = sp->start;
	s->flags = 0;
	s->len = sp->last - sp->start;
	s->sql = arena_strndup(sp->a, sp->f->text + sp->start, s->len);
	sp->in_stmt = false;
}

/*
 * psql's heuristic for SQL-standard function bodies: once a statement has
 * started CREATE [OR REPLACE] FUNCTION|PROCEDURE, BEGIN (and CASE within it)
 * opens a block that END closes, and ';' inside a block does not split.
 */
static void track_ident(struct sqlsplit *sp, const char *s, size_t n)
{
	static const char *const lead[] = { "create", "function", "procedure", "or", "replace" };
	const char *id = sp->idents;

	if (sp->n_ident < sizeof(sp->idents)) {
		for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]); i++)
			if (word_is(s, n, lead[i]))
				sp->idents[sp->n_ident] = lead[i][0];
		sp->n_ident++;
	}
	if (id[0] != 'c' || sp->paren > 0)
		return;
	if (!(id[1] == 'f' || id[1] == 'p' ||
	      (id[1] == 'o' && id[2] == 'r' && (id[3] == 'f' || id[3] == 'p'))))
		return;
	if (word_is(s, n, "begin"))
		sp->begin_depth++;
	else if (word_is(s, n, "case") && sp->begin_depth > 0)
		sp->begin_depth++;
	else if (word_is(s, n, "end") && sp->begin_depth > 0)
		sp->begin_depth--;
}

/*
 * pg_dump (17.6, 16.10, 15.14 and later) brackets its output with
 * "\restrict KEY" and "\unrestrict KEY" lines, KEY alphanumeric, which only
 * stop psql from running meta-commands a hostile server slipped into the
 * dump. They run nothing, so exactly these lines are skipped: at the start
 * of a line, one space, the key, the end of the line.
 */
static bool pg_dump_restrict(const struct sqllex *lx, const char *s, size_t n)
{
	size_t i = lx->tok + 1 + n, k = 0;

	if (lx->tok > lx->line0 && lx->text[lx->tok - 1] != '\n' && lx->text[lx->tok - 1] != '\r')
		return false;
	if (!(n == 8 && memcmp(s, "restrict", 8) == 0) && !(n == 10 && memcmp(s, "unrestrict", 10) == 0))
		return false;
	if (i >= lx->end || lx->text[i] != ' ')
		return false;
	for (i++; i < lx->end; i++, k++) {
		char c = lx->text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			break;
	}
	if (i < lx->end && lx->text[i] == '\r')
		i++;
	return k > 0 && (i == lx->end || lx->text[i] == '\n');
}

static void meta_command(struct sqlsplit *sp, struct sqllex *lx)
{
	const char *s = lx->text + lx->tok + 1;
	size_t n = 0;

	while (n < 32 && lx->tok + 1 + n < lx->end && (unsigned char)s[n] > ' ' &&
	       s[n] != '\\' && s[n] != 0x7f)
		n++;
	if (pg_dump_restrict(lx, s, n)) {
		sqllex_skip_line(lx);
		return;
	}
	sp->errors++;
	diag_at(DIAG_ERROR, sp->f, lx->tok, "unexpected psql meta-command '\\%.*s'",
		(int)n, s);
	diag_hint("psql meta-commands are not supported; write plain SQL");
	sqllex_skip_line(lx);
}

void sqlsplit_feed(struct sqlsplit *sp, struct sqllex *lx, enum sqltok t)
{
	switch (t) {
	case SQLTOK_EOF:
	case SQLTOK_SPACE:
	case SQLTOK_LINE_COMMENT:
	case SQLTOK_BLOCK_COMMENT:
		return;
	case SQLTOK_SEMI:
		if (!sp->in_stmt)
			return;
		sp->last = lx->tok_end;
		if (sp->paren == 0 && sp->begin_depth == 0)
			end_stmt(sp);
		return;
	case SQLTOK_BACKSLASH:
		if (!sp->in_stmt) {
			meta_command(sp, lx);
			return;
		}
		break;
	case SQLTOK_LPAREN:
		begin_stmt(sp, lx);
		sp->paren++;
		break;
	case SQLTOK_RPAREN:
		begin_stmt(sp, lx);
		if (sp->paren > 0)
			sp->paren--;
		break;
	case SQLTOK_IDENT:
		begin_stmt(sp, lx);
		track_ident(sp, lx->text + lx->tok, lx->tok_end - lx->tok);
		break;
	case SQLTOK_STRING:
	case SQLTOK_QIDENT:
	case SQLTOK_DOLLAR:
	case SQLTOK_OTHER:
		break;
	}
	begin_stmt(sp, lx);
	sp->last = lx->tok_end;
}

void sqlsplit_finish(struct sqlsplit *sp)
{
	if (sp->in_stmt)
		end_stmt(sp);
}

unsigned sqllex_split(struct arena *a, const struct src_file *f, size_t begin,
		      size_t end, struct stmt_list *out)
{
	struct sqllex lx;
	struct sqlsplit sp;
	enum sqltok t;

	sqllex_init(&lx, f, begin, end);
	sqlsplit_init(&sp, a, f, out);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF)
		sqlsplit_feed(&sp, &lx, t);
	sqlsplit_finish(&sp);
	return lx.errors + sp.errors;
}

void sqllex_normalize(const char *sql, size_t len, struct strbuf *sb)
{
	struct sqllex lx;
	enum sqltok t;
	size_t start = sb->len;
	bool gap = false;

	sb_add(sb, "", 0);
	sqllex_init_quiet(&lx, sql, len);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t == SQLTOK_SPACE || t == SQLTOK_LINE_COMMENT ||
		    t == SQLTOK_BLOCK_COMMENT) {
			gap = true;
			continue;
		}
		if (gap && sb->len > start)
			sb_addch(sb, ' ');
		gap = false;
		/* A CRLF checkout of the same file is no edit: inside literals and
		 * dollar bodies too, CRLF counts as LF. */
		for (size_t i = lx.tok, b = lx.tok; i <= lx.tok_end; i++) {
			if (i == lx.tok_end || (sql[i] == '\r' && i + 1 < lx.tok_end &&
						sql[i + 1] == '\n')) {
				sb_add(sb, sql + b, i - b);
				b = i + 1;
			}
		}
	}
}

/* PostgreSQL's operator characters (scan.l's op_chars), and ':' for "::" and ":=". */
static bool op_char(const char *s, size_t n)
{
	return n == 1 && s[0] && strchr("~!@#^&|`?+-*/%<>=:", s[0]) != NULL;
}

void sqllex_canon(const char *sql, size_t len, struct strbuf *sb)
{
	struct sqllex lx;
	enum sqltok t;
	size_t start = sb->len, semi_from = (size_t)-1;
	bool gap = false, prev_op = false;

	sb_add(sb, "", 0);
	sqllex_init_quiet(&lx, sql, len);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t == SQLTOK_SPACE || t == SQLTOK_LINE_COMMENT ||
		    t == SQLTOK_BLOCK_COMMENT) {
			gap = true;
			continue;
		}
		bool op = t == SQLTOK_OTHER && op_char(sql + lx.tok, lx.tok_end - lx.tok);
		if (t != SQLTOK_SEMI)
			semi_from = (size_t)-1;
		else if (semi_from == (size_t)-1)
			semi_from = sb->len;
		if (sb->len > start && !(op && prev_op && !gap))
			sb_addch(sb, ' ');
		gap = false;
		prev_op = op;
		for (size_t i = lx.tok, b = lx.tok; i <= lx.tok_end; i++) {
			if (i == lx.tok_end || (sql[i] == '\r' && i + 1 < lx.tok_end &&
						sql[i + 1] == '\n')) {
				sb_add(sb, sql + b, i - b);
				b = i + 1;
			}
		}
	}
	if (semi_from != (size_t)-1) {
		sb->len = semi_from;
		sb->buf[sb->len] = '\0';
	}
}
