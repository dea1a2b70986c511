/*
 * pyparse.c - recursive descent over pylex tokens, one function per
 * construct with its rule on the first line (as lua's lparser.c)
 *
 * A syntax error is reported once, at its token, and ends the parse
 * (longjmp back to pyparse_module): what follows a syntax error is noise.
 */
#include "pyparse.h"

#include <assert.h>
#include <setjmp.h>
#include <string.h>

#include "pylex.h"

struct parser {
	struct arena *a;
	const struct src_file *f;
	struct pylex lx;
	struct pytoken t, ahead;   /* current token, and one of lookahead */
	bool have_ahead;
	jmp_buf *fail;
	unsigned depth;            /* nested expressions (see nest()) */
	struct livebuf **live;     /* f-string buffers in use, released on failure */
};

/* A heap buffer a parse builds text in while it may still fail: its link
 * lives in the arena, so that the longjmp of a syntax error finds and
 * releases it (buf_open ... buf_close, nested as calls are). */
struct livebuf {
	struct strbuf sb;
	struct livebuf *next;
};

static struct strbuf *buf_open(struct parser *p)
{
	struct livebuf *lb = arena_alloc(p->a, sizeof *lb);
	struct strbuf init = STRBUF_INIT;

	lb->sb = init;
	lb->next = *p->live;
	*p->live = lb;
	return &lb->sb;
}

static void buf_close(struct parser *p, struct strbuf *sb)
{
	struct livebuf *lb = *p->live;

	assert(&lb->sb == sb);
	*p->live = lb->next;
	sb_release(sb);
}

static const char *const kind_names[] = {
#define X(k) #k,
	X_PYNODES
#undef X
};

const char *pyparse_kind_name(enum pyk k)
{
	return kind_names[k];
}

static void advance(struct parser *p)
{
	if (p->have_ahead) {
		p->t = p->ahead;
		p->have_ahead = false;
	} else {
		pylex_next(&p->lx, &p->t);
	}
	if (p->t.kind == PT_ERROR)
		longjmp(*p->fail, 1);
}

static const struct pytoken *peek(struct parser *p)
{
	if (!p->have_ahead) {
		pylex_next(&p->lx, &p->ahead);
		p->have_ahead = true;
		if (p->ahead.kind == PT_ERROR)
			longjmp(*p->fail, 1);
	}
	return &p->ahead;
}

static bool tok_is(const struct parser *p, const struct pytoken *t, const char *text)
{
	size_t n = strlen(text);
	return (t->kind == PT_OP || t->kind == PT_NAME) && t->end - t->off == n &&
	       memcmp(p->f->text + t->off, text, n) == 0;
}

/* The current token is the operator or keyword `text`. */
static bool is(const struct parser *p, const char *text)
{
	return tok_is(p, &p->t, text);
}

static bool accept(struct parser *p, const char *text)
{
	if (!is(p, text))
		return false;
	advance(p);
	return true;
}

static const char *tok_desc(struct parser *p)
{
	switch (p->t.kind) {
	case PT_EOF: return "end of file";
	case PT_NEWLINE: return "end of line";
	case PT_INDENT: return "indentation";
	case PT_DEDENT: return "end of block";
	default:
		return arena_printf(p->a, "'%.*s'", (int)(p->t.end - p->t.off), p->f->text + p->t.off);
	}
}

static _Noreturn void syntax_error(struct parser *p, const char *expected)
{
	diag_at(DIAG_ERROR, p->f, p->t.off, "invalid syntax: expected %s, found %s", expected,
		tok_desc(p));
	longjmp(*p->fail, 1);
}

/* One more level of nested expression: brackets, unary operators, 'not',
 * conditional expressions, lambdas. CPython refuses 200 nested brackets;
 * past our limit the C stack of parser and evaluator would not be
 * bounded. Paired with unnest(). */
static void nest(struct parser *p)
{
	if (++p->depth <= PYPARSE_MAX_DEPTH)
		return;
	diag_at(DIAG_ERROR, p->f, p->t.off, "expression nested too deeply: more than %d levels",
		PYPARSE_MAX_DEPTH);
	diag_hint("split it into names assigned one after the other");
	longjmp(*p->fail, 1);
}

static void unnest(struct parser *p)
{
	p->depth--;
}

static void expect(struct parser *p, const char *text)
{
	if (!accept(p, text))
		syntax_error(p, arena_printf(p->a, "'%s'", text));
}

static const char *const keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break",
	"class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
	"from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
	"pass", "raise", "return", "try", "while", "with", "yield",
};

static bool is_keyword_tok(const struct parser *p, const struct pytoken *t)
{
	if (t->kind != PT_NAME)
		return false;
	for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (tok_is(p, t, keywords[i]))
			return true;
	return false;
}

static bool at_name(const struct parser *p)
{
	return p->t.kind == PT_NAME && !is_keyword_tok(p, &p->t);
}

static struct pynode *node(struct parser *p, enum pyk k, size_t off)
{
	struct pynode *n = arena_alloc(p->a, sizeof *n);
	n->kind = k;
	n->off = off;
	return n;
}

/* Growable node lists built on the heap, then copied into the arena. */
struct nodelist {
	struct pynode **v;
	size_t n, cap;
};

static void nl_add(struct parser *p, struct nodelist *l, struct pynode *x)
{
	arena_grow(p->a, &l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = x;
}

struct namelist {
	const char **v;
	size_t n, cap;
};

static void names_add(struct parser *p, struct namelist *l, const char *s)
{
	arena_grow(p->a, &l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static const char *tok_text(struct parser *p)
{
	return arena_strndup(p->a, p->f->text + p->t.off, p->t.end - p->t.off);
}

static const char *expect_name(struct parser *p)
{
	if (!at_name(p))
		syntax_error(p, "a name");
	const char *s = tok_text(p);
	advance(p);
	return s;
}

static struct pynode *test(struct parser *p);
static struct pynode *expr_bin(struct parser *p, int limit);
static struct pynode *star_expr(struct parser *p);
static struct pynode *testlist(struct parser *p, bool star);
static struct pynode *block(struct parser *p);
static void fstring_parts(struct parser *p, struct nodelist *parts, const struct pytoken *t,
			  size_t begin, size_t end);

/* ---- atoms --------------------------------------------------------------- */

/* strings: STRING+ (adjacent literals concatenate; any f-string makes an FSTR) */
static struct pynode *strings(struct parser *p)
{
	size_t off = p->t.off;
	struct nodelist parts = { 0 };
	bool any_f = false;
	unsigned flags = 0;

	while (p->t.kind == PT_STRING) {
		struct pytoken t = p->t;
		flags |= t.strflags;
		if (t.strflags & PYSTR_F) {
			any_f = true;
			fstring_parts(p, &parts, &t, t.body, t.body_end);
		} else {
			struct pynode *s = node(p, PY_STR, t.off);
			s->s = pylex_string(p->a, p->f, &t, &s->len);
			if (!s->s)
				longjmp(*p->fail, 1);
			s->flag = t.strflags;
			nl_add(p, &parts, s);
		}
		advance(p);
	}
	if (!any_f) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < parts.n; i++)
			sb_add(&sb, parts.v[i]->s, parts.v[i]->len);
		struct pynode *s = node(p, PY_STR, off);
		s->len = sb.len;
		s->s = arena_strndup(p->a, sb.buf ? sb.buf : "", sb.len);
		s->flag = flags & ~PYSTR_TRIPLE;
		sb_release(&sb);
		return s;
	}
	struct pynode *fs = node(p, PY_FSTR, off);
	fs->v = parts.v;
	fs->n = parts.n;
	return fs;
}

/* Where an f-string field's expression ends: at '!', ':', '=' or '}' outside
 * brackets and quotes. */
static size_t field_end(const char *s, size_t i, size_t end)
{
	int depth = 0;
	while (i < end) {
		char c = s[i];
		if (c == '\'' || c == '"') {
			char q = c;
			for (i++; i < end && s[i] != q; i++)
				if (s[i] == '\\')
					i++;
			i++;
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && depth > 0)
			depth--;
		else if (depth == 0 && (c == '}' || c == ':' ||
					(c == '!' && i + 1 < end && s[i + 1] != '=') ||
					(c == '=' && i + 1 < end && s[i + 1] == '}')))
			return i;
		i++;
	}
	return end;
}

/* Parses f->text[begin, end) as one expression with a parser of its own. */
static struct pynode *sub_expression(struct parser *p, size_t begin, size_t end)
{
	struct parser sub = { .a = p->a, .f = p->f, .fail = p->fail, .depth = p->depth };
	pylex_init(&sub.lx, p->f, begin, end, true);
	advance(&sub);
	struct pynode *e = testlist(&sub, true);
	if (sub.t.kind != PT_EOF)
		syntax_error(&sub, "the end of the f-string field");
	return e;
}

/* fstring: (literal | '{{' | '}}' | '{' expr ['!' conv] [':' fstring] '}')* */
static void fstring_parts(struct parser *p, struct nodelist *parts, const struct pytoken *t,
			  size_t begin, size_t end)
{
	const char *s = p->f->text;
	size_t i = begin, lit = begin;
	struct strbuf *sb = buf_open(p);

	/* Literal runs are decoded as a plain string of the same prefix. */
#define FLUSH_LITERAL(upto) do { \
		if ((upto) > lit) { \
			struct pytoken piece = *t; \
			size_t len_; \
			piece.body = lit; \
			piece.body_end = (upto); \
			piece.strflags &= ~PYSTR_F; \
			char *v_ = pylex_string(p->a, p->f, &piece, &len_); \
			if (!v_) \
				longjmp(*p->fail, 1); \
			sb_add(sb, v_, len_); \
		} \
	} while (0)

	while (i < end) {
		if ((s[i] == '{' || s[i] == '}') && i + 1 < end && s[i + 1] == s[i]) {
			FLUSH_LITERAL(i + 1);
			i += 2;
			lit = i;
			continue;
		}
		if (s[i] == '}') {
			diag_at(DIAG_ERROR, p->f, i, "invalid syntax: single '}' in an f-string");
			longjmp(*p->fail, 1);
		}
		if (s[i] != '{') {
			i++;
			continue;
		}
		FLUSH_LITERAL(i);
		if (sb->len) {
			struct pynode *l = node(p, PY_STR, lit);
			l->len = sb->len;
			l->s = arena_strndup(p->a, sb->buf, sb->len);
			nl_add(p, parts, l);
			sb_reset(sb);
		}
		size_t start = i + 1, e = field_end(s, start, end);
		struct pynode *fld = node(p, PY_FIELD, start);
		fld->a = sub_expression(p, start, e);
		i = e;
		if (i < end && s[i] == '=') {
			diag_at(DIAG_ERROR, p->f, i, "the f-string '=' specifier is not supported");
			longjmp(*p->fail, 1);
		}
		if (i < end && s[i] == '!') {
			fld->s = arena_strndup(p->a, s + i + 1, 1);
			i += 2;
		}
		if (i < end && s[i] == ':') {
			/* The spec runs to the matching '}' and may hold fields itself. */
			size_t sp = i + 1, k = sp;
			int depth = 0;
			while (k < end && (s[k] != '}' || depth > 0)) {
				if (s[k] == '{')
					depth++;
				else if (s[k] == '}')
					depth--;
				k++;
			}
			struct nodelist spec = { 0 };
			fstring_parts(p, &spec, t, sp, k);
			fld->b = node(p, PY_FSTR, sp);
			fld->b->v = spec.v;
			fld->b->n = spec.n;
			i = k;
		}
		if (i >= end || s[i] != '}') {
			diag_at(DIAG_ERROR, p->f, start - 1, "invalid syntax: f-string field without its '}'");
			longjmp(*p->fail, 1);
		}
		nl_add(p, parts, fld);
		i++;
		lit = i;
	}
	FLUSH_LITERAL(end);
#undef FLUSH_LITERAL
	if (sb->len) {
		struct pynode *l = node(p, PY_STR, lit);
		l->len = sb->len;
		l->s = arena_strndup(p->a, sb->buf, sb->len);
		nl_add(p, parts, l);
	}
	buf_close(p, sb);
}

static struct pynode *targets(struct parser *p);

/* comp_clauses: ('for' targets 'in' or_test ('if' or_test)*)+ */
static struct pynode *comprehension(struct parser *p, const char *kind, size_t off,
				    struct pynode *elt, struct pynode *val)
{
	struct pynode *c = node(p, PY_COMP, off);
	struct nodelist cl = { 0 };

	c->s = kind;
	c->a = elt;
	c->b = val;
	while (is(p, "for") || is(p, "async")) {
		struct pynode *f = node(p, PY_COMPFOR, p->t.off);
		accept(p, "async");
		expect(p, "for");
		f->a = targets(p);
		expect(p, "in");
		f->b = expr_bin(p, -1);
		nl_add(p, &cl, f);
		while (is(p, "if")) {
			struct pynode *i = node(p, PY_COMPIF, p->t.off);
			advance(p);
			i->a = expr_bin(p, -1);
			nl_add(p, &cl, i);
		}
	}
	c->v = cl.v;
	c->n = cl.n;
	return c;
}

/* paren: '(' [yield | testlist_comp] ')' */
static struct pynode *paren(struct parser *p)
{
	size_t off = p->t.off;
	expect(p, "(");
	if (accept(p, ")")) {
		struct pynode *t = node(p, PY_TUPLE, off);
		return t;
	}
	if (is(p, "yield")) {
		struct pynode *y = node(p, PY_OTHEREXPR, p->t.off);
		y->s = "yield";
		while (!is(p, ")"))
			advance(p);
		advance(p);
		return y;
	}
	struct pynode *first = star_expr(p);
	if (is(p, "for") || is(p, "async")) {
		struct pynode *c = comprehension(p, "gen", off, first, NULL);
		expect(p, ")");
		return c;
	}
	if (!is(p, ",")) {
		expect(p, ")");
		return first;
	}
	struct nodelist l = { 0 };
	nl_add(p, &l, first);
	while (accept(p, ",")) {
		if (is(p, ")"))
			break;
		nl_add(p, &l, star_expr(p));
	}
	expect(p, ")");
	struct pynode *t = node(p, PY_TUPLE, off);
	t->v = l.v, t->n = l.n;
	return t;
}

/* list: '[' [testlist_comp] ']' */
static struct pynode *list_display(struct parser *p)
{
	size_t off = p->t.off;
	struct nodelist l = { 0 };

	expect(p, "[");
	if (!is(p, "]")) {
		struct pynode *first = star_expr(p);
		if (is(p, "for") || is(p, "async")) {
			struct pynode *c = comprehension(p, "list", off, first, NULL);
			expect(p, "]");
			return c;
		}
		nl_add(p, &l, first);
		while (accept(p, ",")) {
			if (is(p, "]"))
				break;
			nl_add(p, &l, star_expr(p));
		}
	}
	expect(p, "]");
	struct pynode *n = node(p, PY_LIST, off);
	n->v = l.v, n->n = l.n;
	return n;
}

/* dict_or_set: '{' [(test ':' test | '**' expr) (',' ...)* | testlist | comp] '}' */
static struct pynode *brace_display(struct parser *p)
{
	size_t off = p->t.off;
	struct nodelist k = { 0 }, v = { 0 };
	bool is_dict = true, first = true;

	expect(p, "{");
	while (!is(p, "}")) {
		if (accept(p, "**")) {
			nl_add(p, &k, NULL);
			nl_add(p, &v, expr_bin(p, 0));
		} else {
			struct pynode *key = star_expr(p);
			if (first && !is(p, ":"))
				is_dict = false;
			if (is_dict) {
				expect(p, ":");
				struct pynode *val = test(p);
				if (first && (is(p, "for") || is(p, "async"))) {
					struct pynode *c = comprehension(p, "dict", off, key, val);
					expect(p, "}");
					return c;
				}
				nl_add(p, &k, key);
				nl_add(p, &v, val);
			} else {
				if (first && (is(p, "for") || is(p, "async"))) {
					struct pynode *c = comprehension(p, "set", off, key, NULL);
					expect(p, "}");
					return c;
				}
				nl_add(p, &k, key);
			}
		}
		first = false;
		if (!accept(p, ","))
			break;
	}
	expect(p, "}");
	struct pynode *n = node(p, is_dict ? PY_DICT : PY_SET, off);
	n->v = k.v, n->n = k.n;
	n->w = v.v, n->nw = v.n;
	return n;
}

/* atom: NAME | NUMBER | STRING+ | None | True | False | '...' | paren | list | dict_or_set */
static struct pynode *atom(struct parser *p)
{
	size_t off = p->t.off;
	struct pynode *n;

	switch (p->t.kind) {
	case PT_STRING:
		return strings(p);
	case PT_NUMBER:
		n = node(p, PY_NUM, off);
		n->s = tok_text(p);
		advance(p);
		return n;
	case PT_NAME:
		if (is(p, "None") || is(p, "True") || is(p, "False")) {
			n = node(p, PY_CONST, off);
			n->s = tok_text(p);
			advance(p);
			return n;
		}
		if (is(p, "await")) {
			n = node(p, PY_OTHEREXPR, off);
			n->s = "await";
			advance(p);
			n->a = atom(p);
			return n;
		}
		n = node(p, PY_NAME, off);
		n->s = expect_name(p);
		return n;
	case PT_OP:
		if (is(p, "("))
			return paren(p);
		if (is(p, "["))
			return list_display(p);
		if (is(p, "{"))
			return brace_display(p);
		if (is(p, "...")) {
			n = node(p, PY_CONST, off);
			n->s = "...";
			advance(p);
			return n;
		}
		break;
	default:
		break;
	}
	syntax_error(p, "an expression");
}

/* arglist: (test | test '=' test | '*' test | '**' test | test comp_for) (',' ...)* */
static struct pynode *call_args(struct parser *p, struct pynode *callee)
{
	struct pynode *c = node(p, PY_CALL, callee->off);
	struct nodelist pos = { 0 }, kwv = { 0 };
	struct namelist kwn = { 0 };

	c->a = callee;
	expect(p, "(");
	while (!is(p, ")")) {
		if (is(p, "*") || is(p, "**")) {
			struct pynode *s = node(p, PY_STARRED, p->t.off);
			bool dbl = is(p, "**");
			s->s = dbl ? "**" : "*";
			advance(p);
			s->a = test(p);
			if (dbl) {
				names_add(p, &kwn, NULL);
				nl_add(p, &kwv, s);
			} else {
				nl_add(p, &pos, s);
			}
		} else if (at_name(p) && tok_is(p, peek(p), "=")) {
			names_add(p, &kwn, tok_text(p));
			advance(p);
			advance(p);
			nl_add(p, &kwv, test(p));
		} else {
			struct pynode *arg = test(p);
			if (is(p, "for") || is(p, "async"))
				arg = comprehension(p, "gen", arg->off, arg, NULL);
			nl_add(p, &pos, arg);
		}
		if (!accept(p, ","))
			break;
	}
	expect(p, ")");
	c->v = pos.v, c->n = pos.n;
	c->w = kwv.v, c->nw = kwv.n;
	c->names = kwn.v, c->nnames = kwn.n;
	return c;
}

/* subscript: '[' (test | [test] ':' [test] [':' [test]]) (',' ...)* ']' */
static struct pynode *subscript(struct parser *p, struct pynode *obj)
{
	struct pynode *s = node(p, PY_SUBSCRIPT, obj->off);
	struct nodelist idx = { 0 };

	s->a = obj;
	expect(p, "[");
	do {
		if (is(p, "]"))
			break;
		size_t off = p->t.off;
		struct pynode *lo = NULL;
		if (!is(p, ":"))
			lo = test(p);
		if (is(p, ":")) {
			struct pynode *sl = node(p, PY_SLICE, off);
			advance(p);
			sl->a = lo;
			if (!is(p, ":") && !is(p, "]") && !is(p, ","))
				sl->b = test(p);
			if (accept(p, ":") && !is(p, "]") && !is(p, ","))
				sl->c = test(p);
			lo = sl;
		}
		nl_add(p, &idx, lo);
	} while (accept(p, ","));
	expect(p, "]");
	if (idx.n == 1) {
		s->b = idx.v[0];
	} else {
		s->b = node(p, PY_TUPLE, obj->off);
		s->b->v = idx.v, s->b->n = idx.n;
	}
	return s;
}

/* primary: atom ('.' NAME | '(' arglist ')' | '[' subscript ']')* */
static struct pynode *primary(struct parser *p)
{
	struct pynode *e = atom(p);
	for (;;) {
		if (is(p, ".")) {
			advance(p);
			struct pynode *at = node(p, PY_ATTR, e->off);
			at->a = e;
			at->s = expect_name(p);
			e = at;
		} else if (is(p, "(")) {
			e = call_args(p, e);
		} else if (is(p, "[")) {
			e = subscript(p, e);
		} else {
			return e;
		}
	}
}

/* power: primary ['**' factor]; factor: ('+' | '-' | '~') factor | power */
static struct pynode *factor(struct parser *p)
{
	if (is(p, "-") || is(p, "+") || is(p, "~")) {
		struct pynode *u = node(p, PY_UNARY, p->t.off);
		u->s = tok_text(p);
		advance(p);
		nest(p);
		u->a = factor(p);
		unnest(p);
		return u;
	}
	struct pynode *e = primary(p);
	if (is(p, "**")) {
		struct pynode *b = node(p, PY_BINOP, e->off);
		advance(p);
		b->s = "**";
		b->a = e;
		nest(p);
		b->b = factor(p);
		unnest(p);
		return b;
	}
	return e;
}

/* Binary operators by precedence, loosest first (as lua's subexpr). */
static const struct {
	const char *op;
	int prec;
} binops[] = {
	{ "or", 1 }, { "and", 2 },
	{ "==", 4 }, { "!=", 4 }, { "<", 4 }, { ">", 4 }, { "<=", 4 }, { ">=", 4 },
	{ "in", 4 }, { "not", 4 }, { "is", 4 },
	{ "|", 5 }, { "^", 6 }, { "&", 7 }, { "<<", 8 }, { ">>", 8 },
	{ "+", 9 }, { "-", 9 },
	{ "*", 10 }, { "/", 10 }, { "//", 10 }, { "%", 10 }, { "@", 10 },
};

static int binop_prec(struct parser *p)
{
	if (p->t.kind != PT_OP && p->t.kind != PT_NAME)
		return 0;
	for (size_t i = 0; i < sizeof binops / sizeof *binops; i++)
		if (is(p, binops[i].op)) {
			/* "not" binds as an operator only in "not in". */
			if (strcmp(binops[i].op, "not") == 0 && !tok_is(p, peek(p), "in"))
				return 0;
			return binops[i].prec;
		}
	return 0;
}

/* expr_bin: ['not'] operand (binop operand)*, climbing precedences above
 * `limit`: -1 is a whole or_test, 3 the operand of 'not', 0 a target or a
 * starred operand (no comparisons, no boolean operators) */
static struct pynode *expr_bin(struct parser *p, int limit)
{
	int lim = limit < 0 ? 0 : limit == 0 ? 4 : limit;
	struct pynode *l;

	if (lim <= 3 && is(p, "not")) {
		l = node(p, PY_UNARY, p->t.off);
		advance(p);
		l->s = "not";
		nest(p);
		l->a = expr_bin(p, 3);
		unnest(p);
	} else {
		l = factor(p);
	}
	for (;;) {
		int prec = binop_prec(p);
		if (prec <= lim)
			return l;
		const char *op = tok_text(p);
		advance(p);
		if (strcmp(op, "not") == 0) {
			expect(p, "in");
			op = "not in";
		} else if (strcmp(op, "is") == 0 && accept(p, "not")) {
			op = "is not";
		}
		struct pynode *r = expr_bin(p, prec);
		enum pyk k = prec <= 2 ? PY_BOOLOP : prec == 4 ? PY_COMPARE : PY_BINOP;
		struct pynode *b = node(p, k, l->off);
		b->s = op;
		b->a = l;
		b->b = r;
		/* a < b < c means a < b and b < c */
		while (k == PY_COMPARE && binop_prec(p) == 4) {
			const char *op2 = tok_text(p);
			advance(p);
			if (strcmp(op2, "not") == 0) {
				expect(p, "in");
				op2 = "not in";
			} else if (strcmp(op2, "is") == 0 && accept(p, "not")) {
				op2 = "is not";
			}
			struct pynode *c2 = node(p, PY_COMPARE, r->off);
			c2->s = op2;
			c2->a = r;
			c2->b = r = expr_bin(p, 4);
			struct pynode *and = node(p, PY_BOOLOP, l->off);
			and->s = "and";
			and->a = b;
			and->b = c2;
			b = and;
		}
		l = b;
	}
}

/* lambda: 'lambda' [params] ':' test */
static struct pynode *lambda(struct parser *p)
{
	struct pynode *l = node(p, PY_LAMBDA, p->t.off);
	expect(p, "lambda");
	while (!is(p, ":")) {
		if (p->t.kind == PT_NEWLINE || p->t.kind == PT_EOF)
			syntax_error(p, "':'");
		advance(p);
	}
	advance(p);
	l->a = test(p);
	return l;
}

/* test: or_test ['if' or_test 'else' test] | lambda | NAME ':=' test */
static struct pynode *test_(struct parser *p);

static struct pynode *test(struct parser *p)
{
	nest(p);
	struct pynode *e = test_(p);
	unnest(p);
	return e;
}

static struct pynode *test_(struct parser *p)
{
	if (is(p, "lambda"))
		return lambda(p);
	struct pynode *e = expr_bin(p, -1);
	if (is(p, ":=")) {
		struct pynode *w = node(p, PY_OTHEREXPR, p->t.off);
		advance(p);
		w->s = "':=' (assignment expression)";
		w->a = test(p);
		return w;
	}
	if (is(p, "if")) {
		struct pynode *c = node(p, PY_IFEXP, e->off);
		advance(p);
		c->a = e;
		c->b = expr_bin(p, -1);
		expect(p, "else");
		c->c = test(p);
		return c;
	}
	return e;
}

/* star_expr: '*' expr | test */
static struct pynode *star_expr(struct parser *p)
{
	if (is(p, "*")) {
		struct pynode *s = node(p, PY_STARRED, p->t.off);
		advance(p);
		s->s = "*";
		s->a = expr_bin(p, 0);
		return s;
	}
	return test(p);
}

static bool ends_testlist(struct parser *p)
{
	return p->t.kind == PT_NEWLINE || p->t.kind == PT_EOF || is(p, "=") || is(p, ")") ||
	       is(p, ":") || is(p, ";") || is(p, "]") || is(p, "}") || is(p, "in") ||
	       (p->t.kind == PT_OP && p->t.end - p->t.off >= 2 &&
		p->f->text[p->t.end - 1] == '=' && !is(p, "==") && !is(p, "<=") &&
		!is(p, ">=") && !is(p, "!="));
}

/* testlist: star_expr (',' star_expr)* [','] (a tuple when there is a comma) */
static struct pynode *testlist(struct parser *p, bool star)
{
	size_t off = p->t.off;
	struct pynode *first = star ? star_expr(p) : test(p);
	if (!is(p, ","))
		return first;
	struct nodelist l = { 0 };
	nl_add(p, &l, first);
	while (accept(p, ",")) {
		if (ends_testlist(p))
			break;
		nl_add(p, &l, star ? star_expr(p) : test(p));
	}
	struct pynode *t = node(p, PY_TUPLE, off);
	t->v = l.v, t->n = l.n;
	return t;
}

/* targets: expr (',' expr)* [','] (as after 'for') */
static struct pynode *targets(struct parser *p)
{
	size_t off = p->t.off;
	struct nodelist l = { 0 };
	bool comma = false;  /* 'for x, in' unpacks a 1-tuple */
	do {
		if (is(p, "in"))
			break;
		nl_add(p, &l, is(p, "*") ? star_expr(p) : expr_bin(p, 0));
	} while ((comma = accept(p, ",")));
	if (l.n == 1 && !comma)
		return l.v[0];
	struct pynode *t = node(p, PY_TUPLE, off);
	t->v = l.v, t->n = l.n;
	return t;
}

/* ---- statements ------------------------------------------------------------ */

static struct pynode *statement(struct parser *p, struct nodelist *out);

static void end_simple(struct parser *p)
{
	if (p->t.kind == PT_EOF)
		return;
	if (p->t.kind != PT_NEWLINE)
		syntax_error(p, "the end of the statement");
	advance(p);
}

/* dotted_name: NAME ('.' NAME)* */
static const char *dotted_name(struct parser *p)
{
	struct strbuf *sb = buf_open(p);
	sb_addstr(sb, expect_name(p));
	while (accept(p, ".")) {
		sb_addch(sb, '.');
		sb_addstr(sb, expect_name(p));
	}
	const char *s = arena_strdup(p->a, sb->buf);
	buf_close(p, sb);
	return s;
}

/* import_stmt: 'import' dotted_name ['as' NAME] (',' dotted_name ['as' NAME])* */
static struct pynode *import_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_IMPORT, p->t.off);
	struct namelist mods = { 0 }, as = { 0 };
	expect(p, "import");
	do {
		names_add(p, &mods, dotted_name(p));
		names_add(p, &as, accept(p, "as") ? expect_name(p) : NULL);
	} while (accept(p, ","));
	n->names = mods.v, n->names2 = as.v, n->nnames = mods.n;
	return n;
}

/* from_stmt: 'from' ('.'* dotted_name | '.'+) 'import' ('*' | '(' names ')' | names) */
static struct pynode *from_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_FROM, p->t.off);
	struct strbuf *mod = buf_open(p);
	struct namelist names = { 0 }, as = { 0 };

	expect(p, "from");
	while (is(p, ".") || is(p, "...")) {
		sb_addstr(mod, is(p, ".") ? "." : "...");
		advance(p);
	}
	if (!is(p, "import"))
		sb_addstr(mod, dotted_name(p));
	n->s = arena_strdup(p->a, mod->buf ? mod->buf : "");
	buf_close(p, mod);
	expect(p, "import");
	if (accept(p, "*")) {
		names_add(p, &names, "*");
		names_add(p, &as, NULL);
	} else {
		bool par = accept(p, "(");
		do {
			if (par && is(p, ")"))
				break;
			names_add(p, &names, expect_name(p));
			names_add(p, &as, accept(p, "as") ? expect_name(p) : NULL);
		} while (accept(p, ","));
		if (par)
			expect(p, ")");
	}
	n->names = names.v, n->names2 = as.v, n->nnames = names.n;
	return n;
}

/* other_simple: ('raise' | 'del' | 'assert' | 'global' | 'nonlocal') ... */
static struct pynode *other_simple(struct parser *p)
{
	struct pynode *n = node(p, PY_OTHERSTMT, p->t.off);
	n->s = tok_text(p);
	while (p->t.kind != PT_NEWLINE && p->t.kind != PT_EOF && !is(p, ";"))
		advance(p);
	return n;
}

/* simple_stmt: expr_stmt | return | import | from | pass | break | continue | other */
static struct pynode *simple_stmt(struct parser *p)
{
	size_t off = p->t.off;
	struct pynode *n;

	if (accept(p, "pass"))
		return node(p, PY_PASS, off);
	if (accept(p, "break"))
		return node(p, PY_BREAK, off);
	if (accept(p, "continue"))
		return node(p, PY_CONTINUE, off);
	if (is(p, "import"))
		return import_stmt(p);
	if (is(p, "from"))
		return from_stmt(p);
	if (is(p, "return")) {
		n = node(p, PY_RETURN, off);
		advance(p);
		if (p->t.kind != PT_NEWLINE && p->t.kind != PT_EOF && !is(p, ";"))
			n->a = testlist(p, true);
		return n;
	}
	if (is(p, "raise") || is(p, "del") || is(p, "assert") || is(p, "global") ||
	    is(p, "nonlocal") || is(p, "yield"))
		return other_simple(p);

	/* expr_stmt: testlist (annassign | augassign testlist | ('=' testlist)*) */
	struct pynode *e = testlist(p, true);
	if (is(p, ":")) {
		n = node(p, PY_ANNASSIGN, off);
		advance(p);
		n->a = e;
		n->b = test(p);
		if (accept(p, "="))
			n->c = testlist(p, true);
		return n;
	}
	if (p->t.kind == PT_OP && p->t.end - p->t.off >= 2 && p->f->text[p->t.end - 1] == '=' &&
	    !is(p, "==") && !is(p, "<=") && !is(p, ">=") && !is(p, "!=")) {
		n = node(p, PY_AUGASSIGN, off);
		n->s = tok_text(p);
		advance(p);
		n->a = e;
		n->b = testlist(p, true);
		return n;
	}
	if (!is(p, "=")) {
		n = node(p, PY_EXPR, off);
		n->a = e;
		return n;
	}
	struct nodelist tg = { 0 };
	n = node(p, PY_ASSIGN, off);
	while (accept(p, "=")) {
		nl_add(p, &tg, e);
		e = testlist(p, true);
	}
	n->v = tg.v, n->n = tg.n;
	n->a = e;
	return n;
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void simple_stmts(struct parser *p, struct nodelist *out)
{
	do {
		if (p->t.kind == PT_NEWLINE)
			break;
		nl_add(p, out, simple_stmt(p));
	} while (accept(p, ";"));
	end_simple(p);
}

/* suite: simple_stmts | NEWLINE INDENT statement+ DEDENT */
static struct pynode *suite(struct parser *p)
{
	struct pynode *b = node(p, PY_BLOCK, p->t.off);
	struct nodelist l = { 0 };

	expect(p, ":");
	if (p->t.kind != PT_NEWLINE) {
		simple_stmts(p, &l);
	} else {
		advance(p);
		if (p->t.kind != PT_INDENT)
			syntax_error(p, "an indented block");
		advance(p);
		while (p->t.kind != PT_DEDENT && p->t.kind != PT_EOF)
			statement(p, &l);
		if (p->t.kind == PT_DEDENT)
			advance(p);
	}
	b->v = l.v, b->n = l.n;
	return b;
}

/* if_stmt: 'if' test suite ('elif' test suite)* ['else' suite] */
static struct pynode *if_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_IF, p->t.off);
	advance(p);  /* 'if' or 'elif' */
	n->a = test(p);
	struct pynode *body = suite(p);
	n->v = body->v, n->n = body->n;
	if (is(p, "elif")) {
		struct pynode *e = if_stmt(p);
		n->w = arena_alloc(p->a, sizeof *n->w);
		n->w[0] = e;
		n->nw = 1;
	} else if (accept(p, "else")) {
		struct pynode *e = suite(p);
		n->w = e->v, n->nw = e->n;
	}
	return n;
}

/* for_stmt: 'for' targets 'in' testlist suite ['else' suite] */
static struct pynode *for_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_FOR, p->t.off);
	expect(p, "for");
	n->a = targets(p);
	expect(p, "in");
	n->b = testlist(p, true);
	struct pynode *body = suite(p);
	n->v = body->v, n->n = body->n;
	if (accept(p, "else")) {
		struct pynode *e = suite(p);
		n->w = e->v, n->nw = e->n;
	}
	return n;
}

/* with_stmt: 'with' test ['as' expr] (',' test ['as' expr])* suite */
static struct pynode *with_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_WITH, p->t.off);
	struct nodelist ctx = { 0 }, as = { 0 };
	expect(p, "with");
	do {
		nl_add(p, &ctx, test(p));
		nl_add(p, &as, accept(p, "as") ? expr_bin(p, 0) : NULL);
	} while (accept(p, ","));
	n->v = ctx.v, n->n = ctx.n;
	n->w = as.v, n->nw = as.n;
	n->c = suite(p);
	return n;
}

/* parameters: '(' [NAME [':' test] ['=' test] | '*' [NAME] | '**' NAME | '/'] (',' ...)* ')' */
static void parameters(struct parser *p, struct pynode *def)
{
	struct namelist names = { 0 };
	struct nodelist defaults = { 0 };

	expect(p, "(");
	while (!is(p, ")")) {
		const char *prefix = "";
		if (accept(p, "/"))
			goto next;
		if (accept(p, "**"))
			prefix = "**";
		else if (accept(p, "*"))
			prefix = "*";
		if (*prefix && (is(p, ",") || is(p, ")")))
			goto next;  /* bare '*': keyword-only parameters follow */
		names_add(p, &names, arena_printf(p->a, "%s%s", prefix, expect_name(p)));
		if (accept(p, ":"))
			(void)test(p);
		nl_add(p, &defaults, accept(p, "=") ? test(p) : NULL);
next:
		if (!accept(p, ","))
			break;
	}
	expect(p, ")");
	def->names = names.v, def->nnames = names.n;
	def->w = defaults.v, def->nw = defaults.n;
}

/* funcdef: 'def' NAME parameters ['->' test] suite */
static struct pynode *funcdef(struct parser *p)
{
	struct pynode *n = node(p, PY_DEF, p->t.off);
	expect(p, "def");
	n->s = expect_name(p);
	parameters(p, n);
	if (accept(p, "->"))
		n->b = test(p);
	struct pynode *body = suite(p);
	n->v = body->v, n->n = body->n;
	return n;
}

/* classdef: 'class' NAME ['(' [arglist] ')'] suite */
static struct pynode *classdef(struct parser *p)
{
	struct pynode *n = node(p, PY_CLASS, p->t.off);
	expect(p, "class");
	n->s = expect_name(p);
	if (is(p, "(")) {
		struct pynode *dummy = node(p, PY_NAME, n->off);
		struct pynode *c = call_args(p, dummy);
		n->w = c->v, n->nw = c->n;
	}
	struct pynode *body = suite(p);
	n->v = body->v, n->n = body->n;
	return n;
}

/* try_stmt: 'try' suite (('except' [test ['as' NAME]] suite)+ ['else' suite]
 *           ['finally' suite] | 'finally' suite) -- parsed, never run */
static struct pynode *try_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_OTHERSTMT, p->t.off);
	n->s = "try";
	expect(p, "try");
	n->c = suite(p);
	while (is(p, "except")) {
		advance(p);
		accept(p, "*");
		if (!is(p, ":")) {
			(void)test(p);
			if (accept(p, "as"))
				(void)expect_name(p);
			else if (accept(p, ","))
				(void)test(p);
		}
		(void)suite(p);
	}
	if (accept(p, "else"))
		(void)suite(p);
	if (accept(p, "finally"))
		(void)suite(p);
	return n;
}

/* while_stmt: 'while' test suite ['else' suite] -- parsed, never run */
static struct pynode *while_stmt(struct parser *p)
{
	struct pynode *n = node(p, PY_OTHERSTMT, p->t.off);
	n->s = "while";
	expect(p, "while");
	(void)test(p);
	n->c = suite(p);
	if (accept(p, "else"))
		(void)suite(p);
	return n;
}

/* decorated: ('@' test NEWLINE)+ (funcdef | classdef) */
static struct pynode *decorated(struct parser *p)
{
	size_t off = p->t.off;
	while (accept(p, "@")) {
		(void)test(p);
		end_simple(p);
	}
	struct pynode *d;
	if (is(p, "def"))
		d = funcdef(p);
	else if (is(p, "class"))
		d = classdef(p);
	else
		syntax_error(p, "'def' or 'class' after a decorator");
	d->flag |= PYN_DECORATED;
	d->off = off;
	return d;
}

/* statement: compound_stmt | simple_stmts */
static struct pynode *statement(struct parser *p, struct nodelist *out)
{
	struct pynode *n = NULL;
	if (p->t.kind == PT_INDENT)
		syntax_error(p, "a statement (unexpected indent)");
	if (is(p, "if"))
		n = if_stmt(p);
	else if (is(p, "for"))
		n = for_stmt(p);
	else if (is(p, "with"))
		n = with_stmt(p);
	else if (is(p, "def"))
		n = funcdef(p);
	else if (is(p, "class"))
		n = classdef(p);
	else if (is(p, "try"))
		n = try_stmt(p);
	else if (is(p, "while"))
		n = while_stmt(p);
	else if (is(p, "@"))
		n = decorated(p);
	else if (is(p, "async")) {
		n = node(p, PY_OTHERSTMT, p->t.off);
		n->s = "async";
		advance(p);
		struct nodelist dummy = { 0 };
		(void)statement(p, &dummy);
	}
	if (n) {
		nl_add(p, out, n);
		return n;
	}
	simple_stmts(p, out);
	return NULL;
}

/* block: statement* EOF */
static struct pynode *block(struct parser *p)
{
	struct pynode *b = node(p, PY_BLOCK, p->t.off);
	struct nodelist l = { 0 };
	while (p->t.kind != PT_EOF) {
		if (p->t.kind == PT_NEWLINE) {
			advance(p);
			continue;
		}
		statement(p, &l);
	}
	b->v = l.v, b->n = l.n;
	return b;
}

unsigned pyparse_module(struct arena *a, const struct src_file *f, struct pymodule *out)
{
	jmp_buf fail;
	struct livebuf **live = arena_alloc(a, sizeof *live);
	struct parser p = { .a = a, .f = f, .fail = &fail, .live = live };
	unsigned before = diag_errors();
	size_t begin = 0;

	if (f->len >= 3 && memcmp(f->text, "\xef\xbb\xbf", 3) == 0)
		begin = 3;
	memset(out, 0, sizeof *out);
	out->f = f;
	out->body = node(&p, PY_BLOCK, 0);
	pylex_init(&p.lx, f, begin, f->len, false);
	*live = NULL;
	if (setjmp(fail)) {
		for (struct livebuf *l = *live; l; l = l->next)
			sb_release(&l->sb);
		unsigned n = diag_errors() - before;
		return n ? n : 1;
	}
	advance(&p);
	out->body = block(&p);
	if (out->body->n && out->body->v[0]->kind == PY_EXPR && out->body->v[0]->a->kind == PY_STR) {
		out->docstring = out->body->v[0]->a->s;
		out->doc_off = out->body->v[0]->off;
	}
	return diag_errors() - before;
}

/* ---- dump ---------------------------------------------------------------- */

static void dump_node(const struct pynode *n, struct strbuf *out);

static void dump_list(struct pynode *const *v, size_t n, struct strbuf *out)
{
	sb_addch(out, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addch(out, ' ');
		dump_node(v[i], out);
	}
	sb_addch(out, ']');
}

static void dump_node(const struct pynode *n, struct strbuf *out)
{
	if (!n) {
		sb_addstr(out, "_");
		return;
	}
	sb_addf(out, "(%s", kind_names[n->kind]);
	if (n->kind == PY_STR) {
		sb_addstr(out, " '");
		for (size_t i = 0; i < n->len; i++) {
			unsigned char c = (unsigned char)n->s[i];
			if (c == '\n')
				sb_addstr(out, "\\n");
			else if (c < 0x20)
				sb_addf(out, "\\x%02x", c);
			else
				sb_addch(out, c);
		}
		sb_addch(out, '\'');
	} else if (n->s) {
		sb_addf(out, " %s", n->s);
	}
	for (size_t i = 0; i < n->nnames; i++)
		sb_addf(out, " %s%s%s", n->names[i] ? n->names[i] : "**",
			n->names2 && n->names2[i] ? " as " : "",
			n->names2 && n->names2[i] ? n->names2[i] : "");
	if (n->a) {
		sb_addch(out, ' ');
		dump_node(n->a, out);
	}
	if (n->b) {
		sb_addch(out, ' ');
		dump_node(n->b, out);
	}
	if (n->c) {
		sb_addch(out, ' ');
		dump_node(n->c, out);
	}
	if (n->n) {
		sb_addch(out, ' ');
		dump_list(n->v, n->n, out);
	}
	if (n->nw) {
		sb_addch(out, ' ');
		dump_list(n->w, n->nw, out);
	}
	sb_addch(out, ')');
}

void pyparse_dump(const struct pymodule *m, struct strbuf *out)
{
	for (size_t i = 0; i < m->body->n; i++) {
		dump_node(m->body->v[i], out);
		sb_addch(out, '\n');
	}
}
