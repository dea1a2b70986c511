/*
 * fuzz_emit.c - emit.c's round trip: any bytes in, the same bytes out
 *
 * The input becomes one revision: "message\0label\0sql" (missing parts are
 * empty). The emitted C is then read back by a small C lexer that fails on
 * anything a compiler would take differently from what emit.c meant: a byte
 * outside printable ASCII, an unterminated comment or string, a comment
 * opened inside a comment, a trigraph, a line break inside a literal. The
 * decoded literals (adjacent pieces joined) must hold the statement, message
 * and label byte for byte.
 */
#include "fuzz.h"
#include "emit.h"

struct emit_lits {
	char **v;
	size_t *len;
	size_t n, cap;
};

static int emit_octal(int c)
{
	return c >= '0' && c <= '7';
}

/* Reads one literal body after its opening quote; NULL when malformed. */
static const char *emit_literal(const char *p, struct strbuf *sb)
{
	for (;;) {
		char c = *p++;
		if (c == '"')
			return p;
		if (c == '\0' || c == '\n')
			return NULL;
		if (c == '?' && *p == '?')
			return NULL;
		if (c != '\\') {
			sb_addch(sb, c);
			continue;
		}
		c = *p++;
		switch (c) {
		case 'n': sb_addch(sb, '\n'); break;
		case 't': sb_addch(sb, '\t'); break;
		case '\\': case '"': case '?': case '\'': sb_addch(sb, c); break;
		default:
			if (!emit_octal(c) || !emit_octal(p[0]) || !emit_octal(p[1]))
				return NULL;
			sb_addch(sb, (c - '0') * 64 + (p[0] - '0') * 8 + (p[1] - '0'));
			p += 2;
		}
	}
}

static void emit_lex(const char *c, struct emit_lits *out)
{
	struct strbuf lit = STRBUF_INIT;
	bool in_lit = false;

	for (const char *p = c; *p; p++)
		if (!((*p >= 0x20 && *p < 0x7f) || *p == '\n' || *p == '\t'))
			abort();
	for (const char *p = c; *p;) {
		if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				abort();
			for (const char *q = p + 2; q < e; q++)
				if ((q[0] == '/' && q[1] == '*') || (q[0] == '?' && q[1] == '?'))
					abort();
			p = e + 2;
			continue;
		}
		if (*p == '"') {
			p = emit_literal(p + 1, &lit);
			if (!p)
				abort();
			in_lit = true;
			continue;
		}
		if (*p == '\'')
			abort(); /* emit.c writes no character constants */
		if (in_lit && *p != ' ' && *p != '\t' && *p != '\n') {
			if (out->n == out->cap) {
				out->cap = out->cap ? 2 * out->cap : 16;
				out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
				out->len = xrealloc(out->len, out->cap * sizeof(*out->len));
			}
			out->len[out->n] = lit.len;
			out->v[out->n++] = sb_detach(&lit);
			in_lit = false;
		}
		p++;
	}
	if (in_lit)
		abort();
	sb_release(&lit);
}

static void emit_expect(const struct emit_lits *l, const char *s, size_t n)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->len[i] == n && memcmp(l->v[i], s, n) == 0)
			return;
	abort();
}

#ifdef FUZZ_NO_ENTRY
static int fuzz_emit_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	struct src_file f;
	struct rev r, *revs[1] = { &r };
	struct stmt st;
	struct rev_ref label;
	struct strbuf out = STRBUF_INIT;
	struct emit_lits lits = { 0 };
	const char *parts[3] = { "", "", "" };
	size_t lens[3] = { 0, 0, 0 }, k = 0;

	fuzz_quiet();
	fuzz_file(&f, "versions/fuzz.sql", data, size);
	for (size_t i = 0, b = 0; i <= size && k < 3; i++) {
		if (i == size || (f.text[i] == '\0' && k < 2)) {
			parts[k] = f.text + b;
			lens[k++] = i - b;
			b = i + 1;
		}
	}
	if (k < 3) {      /* no separator: all of it is the statement */
		parts[2] = f.text;
		lens[2] = size;
		parts[0] = parts[1] = "";
		lens[0] = lens[1] = 0;
	}
	memset(&r, 0, sizeof(r));
	r.file = &f;
	r.id = "fuzz1";
	r.message = parts[0];
	r.create_date = "";
	r.transactional = true;
	st = (struct stmt){ (size_t)(parts[2] - f.text), 0, parts[2], lens[2] };
	r.up = (struct stmt_list){ &st, 1, 1, true };
	label = (struct rev_ref){ parts[1], 0 };
	if (lens[1])
		r.labels = (struct rev_refs){ &label, 1, 1 };

	emit_c(&out, revs, 1, parts[0]);
	emit_lex(out.buf, &lits);
	emit_expect(&lits, parts[2], lens[2]);
	emit_expect(&lits, "fuzz1", 5);
	emit_expect(&lits, parts[0], strlen(parts[0]));
	if (lens[1])
		emit_expect(&lits, parts[1], strlen(parts[1]));
	for (size_t i = 0; i < lits.n; i++)
		free(lits.v[i]);
	free(lits.v);
	free(lits.len);
	sb_release(&out);
	free((char *)f.text);
	return 0;
}
