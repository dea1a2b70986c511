/*
 * sqlhdr.c - reads a native .sql migration: header lines, then sections
 *
 * One pass of the lexer over the whole file: "--" comments before the first
 * marker are header lines, a marker line switches the section, and every
 * other token goes to the statement splitter of the current section. So a
 * "-- migrate:downgrade" line inside a dollar-quoted body stays SQL.
 */
#include "sqlhdr.h"

#include <stdbool.h>
#include <string.h>

#include "sqllex.h"
#include "revid.h"
#include "nearest.h"

#define X_HEADER_KEYS \
	X(MESSAGE,       "Message") \
	X(REVISION_ID,   "Revision ID") \
	X(REVISES,       "Revises") \
	X(CREATE_DATE,   "Create Date") \
	X(BRANCH_LABELS, "Branch Labels") \
	X(DEPENDS_ON,    "Depends On") \
	X(TRANSACTIONAL, "Transactional") \
	X(REPLACES,      "Replaces")

enum hdr_key {
#define X(k, name) KEY_##k,
	X_HEADER_KEYS
#undef X
	KEY_COUNT
};

static const char *const key_name[] = {
#define X(k, name) name,
	X_HEADER_KEYS
#undef X
};

enum { KEY_MAX = 32 };   /* longer "Words:" prefixes are prose, not keys */

enum section { SEC_HEADER, SEC_UP, SEC_DOWN };
enum marker { MARK_NONE, MARK_UP, MARK_DOWN, MARK_BAD };

/* Scratch state of one file. */
struct hdr {
	struct arena *a;
	const struct src_file *f;
	struct rev *r;
	size_t begin;                 /* after any BOM */
	bool seen[KEY_COUNT];
	size_t key_off[KEY_COUNT];
	bool suggested[KEY_COUNT];    /* a misspelt key already pointed here */
	bool have_sql;                /* SQL in the header area, at sql_off */
	size_t sql_off;
	bool bad_marker;
	size_t up_off, down_off;
	/* Lines of key_off[] and up_off/down_off, worked out once: a file can
	 * repeat a key or marker a million times, each a scan from the start. */
	unsigned key_line[KEY_COUNT], up_line, down_line;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static bool is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive equality of s[0, n) with the NUL-terminated w. */
static bool eq_nocase(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n && w[i]; i++)
		if (lower(s[i]) != lower(w[i]))
			return false;
	return i == n && !w[i];
}

/* The line of `off`, cached in *line (0: not yet known). */
static unsigned line_of(const struct src_file *f, size_t off, unsigned *line)
{
	unsigned col;

	if (!*line)
		src_linecol(f, off, line, &col);
	return *line;
}

/* ---- bytes --------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s[0, n), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		len = 2;
	} else if (c < 0xf0) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;              /* overlong */
		else if (c == 0xed)
			hi = 0x9f;              /* surrogates */
	} else if (c < 0xf5) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;              /* overlong */
		else if (c == 0xf4)
			hi = 0x8f;              /* beyond U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Reports the first NUL byte and the first invalid UTF-8 sequence, once each. */
static void check_bytes(const struct src_file *f, size_t begin)
{
	const unsigned char *s = (const unsigned char *)f->text;
	bool nul = false, bad = false;
	size_t i = begin;

	while (i < f->len && !(nul && bad)) {
		size_t n = utf8_seq(s + i, f->len - i);

		if (s[i] == 0 && !nul) {
			nul = true;
			diag_at(DIAG_ERROR, f, i, "unexpected NUL byte");
		} else if (n == 0 && !bad) {
			bad = true;
			diag_at(DIAG_ERROR, f, i, "invalid UTF-8 byte 0x%02x", s[i]);
			diag_hint("migration files must be UTF-8");
		}
		i += n ? n : 1;
	}
}

/* ---- header values ------------------------------------------------------- */

/* Checks a revision id (or label) at file offset `off`; true when valid. */
static bool check_name(struct hdr *h, enum hdr_key key, const char *s, size_t n,
		       size_t off)
{
	return revid_check(h->f, off, true, key == KEY_BRANCH_LABELS, key_name[key], s, n);
}

/* A comma-separated list; empty or "None" is an empty list. */
static void parse_list(struct hdr *h, enum hdr_key key, const char *v, size_t n,
		       size_t off, struct rev_refs *out)
{
	size_t i = 0;

	if (n == 0 || eq_nocase(v, n, "none"))
		return;
	for (;;) {
		size_t b = i, e;

		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (b < e && is_blank(v[b]))
			b++;
		while (e > b && is_blank(v[e - 1]))
			e--;
		if (check_name(h, key, v + b, e - b, off + b)) {
			arena_grow(h->a, &out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = (struct rev_ref){
				.id = arena_strndup(h->a, v + b, e - b), .off = off + b };
		}
		if (i == n)
			break;
		i++;
	}
}

/* A list of ids separated by blanks or commas. */
static void parse_ids(struct hdr *h, enum hdr_key key, const char *v, size_t n,
		      size_t off, struct rev_refs *out)
{
	size_t i = 0;

	while (i < n) {
		while (i < n && (is_blank(v[i]) || v[i] == ','))
			i++;
		size_t b = i;
		while (i < n && !is_blank(v[i]) && v[i] != ',')
			i++;
		if (i == b)
			break;
		if (check_name(h, key, v + b, i - b, off + b)) {
			arena_grow(h->a, &out->v, &out->cap, out->n + 1, sizeof(*out->v));
			out->v[out->n++] = (struct rev_ref){
				.id = arena_strndup(h->a, v + b, i - b), .off = off + b };
		}
	}
}

static void parse_bool(struct hdr *h, const char *v, size_t n, size_t off)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (eq_nocase(v, n, yes[i])) {
			h->r->transactional = true;
			return;
		}
		if (eq_nocase(v, n, no[i])) {
			h->r->transactional = false;
			return;
		}
	}
	diag_at(DIAG_ERROR, h->f, off, "invalid value '%.*s' for 'Transactional'",
		(int)n, v);
	diag_hint("use true or false");
}

static void set_value(struct hdr *h, enum hdr_key key, const char *v, size_t n,
		      size_t off)
{
	struct rev *r = h->r;

	switch (key) {
	case KEY_MESSAGE:
		r->message = arena_strndup(h->a, v, n);
		break;
	case KEY_CREATE_DATE:
		r->create_date = arena_strndup(h->a, v, n);
		break;
	case KEY_REVISION_ID:
		r->id = arena_strndup(h->a, v, n);
		r->id_off = off;
		check_name(h, key, v, n, off);
		break;
	case KEY_REVISES:
		parse_list(h, key, v, n, off, &r->parents);
		break;
	case KEY_DEPENDS_ON:
		parse_list(h, key, v, n, off, &r->depends);
		break;
	case KEY_BRANCH_LABELS:
		parse_list(h, key, v, n, off, &r->labels);
		break;
	case KEY_TRANSACTIONAL:
		parse_bool(h, v, n, off);
		break;
	case KEY_REPLACES:
		/* Space-separated, as `retort squash` writes it: a baseline may
		 * stand for hundreds of ids. */
		parse_ids(h, key, v, n, off, &r->replaces);
		break;
	case KEY_COUNT:
		break;
	}
}

/* ---- header lines -------------------------------------------------------- */

static void unknown_key(struct hdr *h, const char *key, size_t n, const char *norm,
			size_t off)
{
	size_t best = 0, best_d = (size_t)-1;

	for (size_t k = 0; k < KEY_COUNT; k++) {
		/* norm is lower case: so must the key be. */
		char kn[KEY_MAX + 1];
		size_t i = 0;
		for (; key_name[k][i] && i < KEY_MAX; i++)
			kn[i] = lower(key_name[k][i]);
		kn[i] = '\0';
		size_t d = nearest_distance(norm, kn);
		if (d < best_d)
			best = k, best_d = d;
	}
	diag_at(DIAG_ERROR, h->f, off, "unknown header key '%.*s'", (int)n, key);
	if (best_d <= 2 || best_d * 3 <= strlen(key_name[best])) {
		diag_hint("did you mean '%s'?", key_name[best]);
		h->suggested[best] = true;
	} else {
		diag_hint("header keys are Message, Revision ID, Revises, Create Date, "
			  "Branch Labels, Depends On, Transactional and Replaces; other comments "
			  "must not start with 'Word:'");
	}
}

/*
 * A "-- Key: value" line: one to three words of letters, then a colon. An
 * unknown key is an error unless text follows the colon directly, so that
 * "-- http://..." stays a free-text comment; so does any other comment.
 */
static void header_line(struct hdr *h, const struct sqllex *lx)
{
	const char *s = lx->text + lx->tok;
	size_t n = lx->tok_end - lx->tok, i = 2, ks, ke, words = 0, vb, ve;
	char norm[KEY_MAX + 1];
	size_t nn = 0;

	while (i < n && is_blank(s[i]))
		i++;
	ks = i;
	for (;;) {
		if (i == n || !is_alpha(s[i]))
			return;
		if (nn && nn < KEY_MAX)
			norm[nn++] = ' ';
		while (i < n && is_alpha(s[i])) {
			if (nn < KEY_MAX)
				norm[nn++] = lower(s[i]);
			i++;
		}
		ke = i;
		words++;
		while (i < n && is_blank(s[i]))
			i++;
		if (i < n && s[i] == ':')
			break;
		if (words == 3)
			return;
	}
	if (ke - ks > KEY_MAX)
		return;
	norm[nn] = '\0';
	vb = i + 1;
	ve = n;
	while (vb < ve && is_blank(s[vb]))
		vb++;
	while (ve > vb && is_blank(s[ve - 1]))
		ve--;

	size_t off = lx->tok + ks;
	enum hdr_key key = KEY_COUNT;
	for (size_t k = 0; k < KEY_COUNT; k++)
		if (eq_nocase(norm, nn, key_name[k]))
			key = (enum hdr_key)k;
	if (key == KEY_COUNT) {
		if (vb == i + 1 && vb < n)
			return;         /* "Word:text", as in a URL */
		unknown_key(h, s + ks, ke - ks, norm, off);
		return;
	}
	if (h->seen[key]) {
		diag_at(DIAG_ERROR, h->f, off, "duplicate header key '%s'", key_name[key]);
		diag_detail("first given on line %u",
			    line_of(h->f, h->key_off[key], &h->key_line[key]));
		return;
	}
	h->seen[key] = true;
	h->key_off[key] = off;
	set_value(h, key, s + vb, ve - vb, lx->tok + vb);
}

/* ---- markers ------------------------------------------------------------- */

static enum marker marker(struct hdr *h, const struct sqllex *lx)
{
	const char *s = lx->text + lx->tok;
	size_t n = lx->tok_end - lx->tok, i = 2, name, j, k;
	enum marker m = MARK_BAD;

	while (i < n && is_blank(s[i]))
		i++;
	if (n - i < 8 || !eq_nocase(s + i, 8, "migrate:"))
		return MARK_NONE;
	name = j = i + 8;
	while (j < n && (is_alpha(s[j]) || is_digit(s[j]) || s[j] == '_' || s[j] == '-'))
		j++;
	for (k = n; k > 0 && is_blank(s[k - 1]); k--)
		;
	if (eq_nocase(s + name, j - name, "upgrade"))
		m = MARK_UP;
	else if (eq_nocase(s + name, j - name, "downgrade"))
		m = MARK_DOWN;
	if (!sqllex_at_line_start(lx)) {
		diag_at(DIAG_ERROR, h->f, lx->tok, "'-- migrate:' marker must start a line");
		h->bad_marker = true;
		return MARK_BAD;
	}
	if (m == MARK_BAD) {
		diag_at(DIAG_ERROR, h->f, lx->tok, "unknown marker '%.*s'",
			(int)(k > 64 ? 64 : k), s);
		diag_hint("the markers are '-- migrate:upgrade' and '-- migrate:downgrade'");
		h->bad_marker = true;
		return MARK_BAD;
	}
	while (j < n && is_blank(s[j]))
		j++;
	if (j < n)
		diag_at(DIAG_ERROR, h->f, lx->tok + j, "unexpected text after '-- migrate:%s'",
			m == MARK_UP ? "upgrade" : "downgrade");
	return m;
}

/* Switches to the section a marker opens, checking order and repeats. */
static void open_section(struct hdr *h, enum marker m, size_t off)
{
	struct stmt_list *l = m == MARK_UP ? &h->r->up : &h->r->down;
	size_t *first = m == MARK_UP ? &h->up_off : &h->down_off;
	unsigned *first_line = m == MARK_UP ? &h->up_line : &h->down_line;
	const char *name = m == MARK_UP ? "upgrade" : "downgrade";

	if (h->have_sql && !h->r->up.present && !h->r->down.present) {
		diag_at(DIAG_ERROR, h->f, h->sql_off,
			"statement before the first '-- migrate:' marker");
		diag_hint("only '-- Key: value' header lines and comments may come "
			  "before '-- migrate:upgrade'");
	}
	if (l->present) {
		diag_at(DIAG_ERROR, h->f, off, "duplicate '-- migrate:%s' marker", name);
		diag_detail("first given on line %u", line_of(h->f, *first, first_line));
		return;
	}
	if (m == MARK_DOWN && !h->r->up.present) {
		diag_at(DIAG_ERROR, h->f, off,
			"'-- migrate:downgrade' marker before '-- migrate:upgrade'");
		diag_hint("the upgrade section comes first");
		h->bad_marker = true;
	}
	l->present = true;
	*first = off;
}

/* ---- the file ------------------------------------------------------------ */

static void check_required(struct hdr *h)
{
	if (!h->seen[KEY_REVISION_ID] && !h->suggested[KEY_REVISION_ID]) {
		diag_at(DIAG_ERROR, h->f, h->begin, "missing 'Revision ID' header");
		diag_hint("add a line '-- Revision ID: <id>' before '-- migrate:upgrade'");
	}
	if (!h->seen[KEY_REVISES] && !h->suggested[KEY_REVISES]) {
		diag_at(DIAG_ERROR, h->f, h->begin, "missing 'Revises' header");
		diag_hint("add a line '-- Revises: <parent id>', or '-- Revises: None' "
			  "for a first revision");
	}
}

unsigned sqlhdr_parse(struct arena *a, const struct src_file *f, struct rev *r)
{
	unsigned errors0 = diag_errors();
	struct hdr h = { .a = a, .f = f, .r = r };
	enum section sec = SEC_HEADER;
	struct sqllex lx;
	struct sqlsplit sp;
	enum sqltok t;

	r->file = f;
	r->id = "";
	r->id_off = 0;
	r->message = "";
	r->create_date = "";
	r->parents = (struct rev_refs){ 0 };
	r->depends = (struct rev_refs){ 0 };
	r->labels = (struct rev_refs){ 0 };
	r->replaces = (struct rev_refs){ 0 };
	r->transactional = true;
	r->up = (struct stmt_list){ 0 };
	r->down = (struct stmt_list){ 0 };

	if (f->len >= 3 && memcmp(f->text, "\xef\xbb\xbf", 3) == 0)
		h.begin = 3;
	check_bytes(f, h.begin);

	sqllex_init(&lx, f, h.begin, f->len);
	sqlsplit_init(&sp, a, f, &r->up);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t == SQLTOK_LINE_COMMENT) {
			enum marker m = marker(&h, &lx);
			if (m == MARK_UP || m == MARK_DOWN) {
				if (sec != SEC_HEADER)
					sqlsplit_finish(&sp);
				open_section(&h, m, lx.tok);
				sec = m == MARK_UP ? SEC_UP : SEC_DOWN;
				sqlsplit_init(&sp, a, f, sec == SEC_UP ? &r->up : &r->down);
				continue;
			}
			if (sec == SEC_HEADER && m == MARK_NONE)
				header_line(&h, &lx);
			continue;
		}
		if (sec != SEC_HEADER) {
			sqlsplit_feed(&sp, &lx, t);
			continue;
		}
		if (t != SQLTOK_SPACE && t != SQLTOK_BLOCK_COMMENT && !h.have_sql) {
			h.have_sql = true;
			h.sql_off = lx.tok;
		}
	}
	if (sec != SEC_HEADER)
		sqlsplit_finish(&sp);

	/* An unterminated quote ran to the end and may have hidden a marker. */
	if (!r->up.present && !h.bad_marker && lx.errors == 0) {
		diag_at(DIAG_ERROR, f, h.have_sql ? h.sql_off : f->len,
			"missing '-- migrate:upgrade' marker");
		diag_hint(h.have_sql ? "put a line '-- migrate:upgrade' before the first statement"
				     : "put a line '-- migrate:upgrade' before the statements");
	}
	check_required(&h);
	return diag_errors() - errors0;
}
