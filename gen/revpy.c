/*
 * revpy.c - render and create a new revision as an Alembic .py script
 */
#include "revpy.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "folder.h"
#include "graph.h"
#include "py/pyrev.h"
#include "sql/sqllex.h"

/* Alembic 1.8's templates/generic/script.py.mako, byte for byte. */
static const char generic_template[] =
	"\"\"\"${message}\n"
	"\n"
	"Revision ID: ${up_revision}\n"
	"Revises: ${down_revision | comma,n}\n"
	"Create Date: ${create_date}\n"
	"\n"
	"\"\"\"\n"
	"from alembic import op\n"
	"import sqlalchemy as sa\n"
	"${imports if imports else \"\"}\n"
	"\n"
	"# revision identifiers, used by Alembic.\n"
	"revision = ${repr(up_revision)}\n"
	"down_revision = ${repr(down_revision)}\n"
	"branch_labels = ${repr(branch_labels)}\n"
	"depends_on = ${repr(depends_on)}\n"
	"\n"
	"\n"
	"def upgrade() -> None:\n"
	"    ${upgrades if upgrades else \"pass\"}\n"
	"\n"
	"\n"
	"def downgrade() -> None:\n"
	"    ${downgrades if downgrades else \"pass\"}\n";

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool revpy_wanted(struct arena *a, const char *dir, struct rev *const *revs, size_t n)
{
	bool sql = false;
	for (size_t i = 0; i < n; i++) {
		if (has_suffix(revs[i]->file->path, ".py"))
			return true;
		sql = true;
	}
	return !sql && access(arena_printf(a, "%s/script.py.mako", dir), F_OK) == 0;
}

/* ---- Python literals ---------------------------------------------------- */

/* One byte inside a str literal quoted with q, escaped as repr() does. */
static void py_escape(struct strbuf *sb, unsigned char c, char q)
{
	if (c == '\\' || c == (unsigned char)q)
		sb_addf(sb, "\\%c", c);
	else if (c == '\n')
		sb_addstr(sb, "\\n");
	else if (c == '\r')
		sb_addstr(sb, "\\r");
	else if (c == '\t')
		sb_addstr(sb, "\\t");
	else if (c < 0x20 || c == 0x7f)
		sb_addf(sb, "\\x%02x", c);
	else
		sb_addch(sb, c);
}

/* A str literal as Python's repr() writes it (quote ' unless the text holds
 * ' and no "). */
static void py_repr(struct strbuf *sb, const char *s, size_t n)
{
	char q = memchr(s, '\'', n) && !memchr(s, '"', n) ? '"' : '\'';
	sb_addch(sb, q);
	for (size_t i = 0; i < n; i++)
		py_escape(sb, (unsigned char)s[i], q);
	sb_addch(sb, q);
}

static bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned c = *p++;
		int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 && c >= 0xc2 ? 1 : (c & 0xf0) == 0xe0 ? 2
			 : (c & 0xf8) == 0xf0 && c <= 0xf4 ? 3 : -1;
		if (more < 0 || e - p < more)
			return false;
		for (int i = 0; i < more; i++)
			if ((*p++ & 0xc0) != 0x80)
				return false;
	}
	return true;
}

/* \w as SQLAlchemy's bind regex sees it (any byte past ASCII is part of a
 * letter here). */
static bool word_ch(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c >= 0x80;
}

/*
 * One line of a statement as a "..." literal. Alembic runs a string as
 * text(string), where ':name' is a bound parameter unless written '\:name'
 * (TextClause's regex, which knows nothing of SQL quotes): such colons get
 * their backslash, so the statement runs as written.
 */
static void sql_literal(struct strbuf *sb, const char *all, const char *s, size_t n)
{
	sb_addch(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ':' && i + 1 < n && word_ch((unsigned char)s[i + 1])) {
			unsigned char prev = s + i > all ? (unsigned char)s[i - 1] : 0;
			size_t e = i + 1;
			while (e < n && word_ch((unsigned char)s[e]))
				e++;
			if (prev != ':' && prev != '\\' && !word_ch(prev) && (e == n || s[e] != ':'))
				sb_addstr(sb, "\\\\");
		}
		py_escape(sb, c, '"');
	}
	sb_addch(sb, '"');
}

/* Appends one op.execute() for sql[0, n), its lines at `ind`. */
static void op_execute(struct strbuf *sb, const char *sql, size_t n, const char *ind)
{
	const char *nl = memchr(sql, '\n', n);
	if (!nl) {
		sb_addstr(sb, "op.execute(");
		sql_literal(sb, sql, sql, n);
		sb_addch(sb, ')');
		return;
	}
	sb_addstr(sb, "op.execute(");
	for (const char *p = sql, *e = sql + n; p < e;) {
		const char *q = memchr(p, '\n', (size_t)(e - p));
		size_t len = q ? (size_t)(q - p) + 1 : (size_t)(e - p);
		sb_addf(sb, "\n%s    ", ind);
		sql_literal(sb, sql, p, len);
		p += len;
	}
	sb_addf(sb, "\n%s)", ind);
}

/* Appends "-- x" comment lines of sql[b, e) as "# x" lines. */
static void comments(struct strbuf *sb, const char *sql, size_t b, size_t e, const char *ind, bool *first)
{
	for (size_t i = b; i < e;) {
		size_t j = i;
		while (j < e && sql[j] != '\n')
			j++;
		size_t k = i;
		while (k < j && (sql[k] == ' ' || sql[k] == '\t'))
			k++;
		if (j - k >= 2 && sql[k] == '-' && sql[k + 1] == '-') {
			k += 2;
			while (k < j && sql[k] == ' ')
				k++;
			sb_addf(sb, "%s%s# %.*s", *first ? "" : "\n", *first ? "" : ind, (int)(j - k), sql + k);
			*first = false;
		}
		i = j + 1;
	}
}

/*
 * The body of upgrade() or downgrade() for `sql`: one op.execute() per
 * statement, its comments as Python comments, the first line unindented
 * (the template indents it). Returns NULL after reporting why.
 */
static const char *python_body(struct arena *a, const char *sql, bool non_tx, const char *what)
{
	struct src_file f = { .path = what, .text = sql, .len = strlen(sql) };
	struct stmt_list l = { 0 };

	if (!utf8_valid(sql, f.len)) {
		diag_plain(DIAG_ERROR, what, "the SQL is not valid UTF-8, which a Python script cannot hold");
		return NULL;
	}
	if (sqllex_split(a, &f, 0, f.len, &l))
		return NULL;
	for (size_t i = 0; i < l.n; i++) {
		const char *bs = strstr(l.v[i].sql, "\\:");
		if (bs) {
			diag_at(DIAG_ERROR, &f, l.v[i].off + (size_t)(bs - l.v[i].sql),
				"'\\:' in a statement: Alembic's text() would run it as ':'");
			diag_hint("write this revision as a .sql file");
			return NULL;
		}
	}
	const char *ind = non_tx ? "        " : "    ";
	struct strbuf sb = STRBUF_INIT;
	bool first = true;
	size_t prev = 0;
	if (non_tx) {
		sb_addstr(&sb, "with op.get_context().autocommit_block():");
		first = false;
	}
	for (size_t i = 0; i < l.n; i++) {
		comments(&sb, sql, prev, l.v[i].off, ind, &first);
		size_t n = l.v[i].len;
		const char *s = l.v[i].sql;
		while (n && (s[n - 1] == ';' || s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' ||
			     s[n - 1] == '\r'))
			n--;
		sb_addf(&sb, "%s%s", first ? "" : "\n", first ? "" : ind);
		first = false;
		op_execute(&sb, s, n, ind);
		prev = l.v[i].off + l.v[i].len;
	}
	comments(&sb, sql, prev, f.len, ind, &first);
	if (non_tx && l.n == 0)
		sb_addf(&sb, "\n%spass", ind);
	const char *r = first ? "" : arena_strdup(a, sb.buf);
	sb_release(&sb);
	return r;
}

/* ---- the template's values ---------------------------------------------- */

enum mk { MV_NONE, MV_STR, MV_TUPLE, MV_DATE };

struct mval {
	enum mk k;
	const char *s;              /* MV_STR, MV_DATE */
	const char *const *v;       /* MV_TUPLE */
	size_t n;
};

struct mvars {
	const char *names[9];
	struct mval vals[9];
	size_t n;
};

static void var(struct mvars *mv, const char *name, struct mval v)
{
	mv->names[mv->n] = name;
	mv->vals[mv->n++] = v;
}

/* Alembic's tuple_rev_as_scalar: None, 'a' or ('a', 'b'). */
static struct mval scalar(const char *const *v, size_t n)
{
	if (n == 0)
		return (struct mval){ MV_NONE, NULL, NULL, 0 };
	if (n == 1)
		return (struct mval){ MV_STR, v[0], NULL, 0 };
	return (struct mval){ MV_TUPLE, NULL, v, n };
}

static void val_str(struct strbuf *sb, const struct mval *v, bool repr)
{
	switch (v->k) {
	case MV_NONE: sb_addstr(sb, "None"); break;
	case MV_DATE: sb_addstr(sb, v->s); break;
	case MV_STR:
		if (repr)
			py_repr(sb, v->s, strlen(v->s));
		else
			sb_addstr(sb, v->s);
		break;
	case MV_TUPLE:
		sb_addch(sb, '(');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_addstr(sb, ", ");
			py_repr(sb, v->v[i], strlen(v->v[i]));
		}
		sb_addstr(sb, v->n == 1 ? ",)" : ")");
		break;
	}
}

static bool truthy(const struct mval *v)
{
	return v->k == MV_DATE || (v->k == MV_STR && *v->s) || (v->k == MV_TUPLE && v->n);
}

/* ---- the Mako subset ---------------------------------------------------- */

struct mako {
	struct arena *a;
	const struct src_file *f;
	const struct mvars *vars;
	const char *p, *end;        /* the expression being read */
	bool bad;
};

static const char HINT_MAKO[] =
	"retort renders ${name}, ${repr(name)}, ${name if name else \"text\"}, the filters comma, n, str "
	"and trim, '% if name:' / '% elif name:' / '% else:' / '% endif' lines, '##' comments and "
	"<%text>; simplify the template to those";

static void mako_error(struct mako *m, const char *at, const char *fmt, const char *arg)
{
	if (m->bad)
		return;
	m->bad = true;
	diag_at(DIAG_ERROR, m->f, (size_t)(at - m->f->text), fmt, arg);
	diag_hint("%s", HINT_MAKO);
}

static void skip_ws(struct mako *m)
{
	while (m->p < m->end && (*m->p == ' ' || *m->p == '\t' || *m->p == '\n'))
		m->p++;
}

static bool ident_ch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The next name, or NULL (nothing consumed). */
static const char *name(struct mako *m, size_t *len)
{
	skip_ws(m);
	const char *s = m->p;
	while (m->p < m->end && ident_ch(*m->p) && !(m->p == s && *m->p >= '0' && *m->p <= '9'))
		m->p++;
	*len = (size_t)(m->p - s);
	return *len ? s : NULL;
}

static bool word(struct mako *m, const char *w)
{
	skip_ws(m);
	size_t n = strlen(w);
	if ((size_t)(m->end - m->p) >= n && !memcmp(m->p, w, n) &&
	    (m->p + n == m->end || !ident_ch(m->p[n]))) {
		m->p += n;
		return true;
	}
	return false;
}

static bool punct(struct mako *m, char c)
{
	skip_ws(m);
	if (m->p < m->end && *m->p == c) {
		m->p++;
		return true;
	}
	return false;
}

static const struct mval *lookup(struct mako *m, const char *s, size_t n)
{
	for (size_t i = 0; i < m->vars->n; i++)
		if (strlen(m->vars->names[i]) == n && !memcmp(m->vars->names[i], s, n))
			return &m->vars->vals[i];
	mako_error(m, s, "'%s' is not a variable Alembic passes to script.py.mako, or not one "
		   "retort renders", arena_strndup(m->a, s, n));
	return NULL;
}

/* primary: NAME | None | "string" | repr(NAME) | str(NAME) */
static struct mval primary(struct mako *m)
{
	struct mval none = { MV_NONE, NULL, NULL, 0 };
	skip_ws(m);
	const char *at = m->p;
	if (m->p < m->end && (*m->p == '"' || *m->p == '\'')) {
		char q = *m->p++;
		struct strbuf sb = STRBUF_INIT;
		while (m->p < m->end && *m->p != q) {
			if (*m->p == '\\') {
				mako_error(m, m->p, "%s", "escapes in a string of the template are not supported");
				break;
			}
			sb_addch(&sb, *m->p++);
		}
		if (m->p == m->end)
			mako_error(m, at, "%s", "unterminated string in the template");
		m->p++;
		struct mval v = { MV_STR, arena_strdup(m->a, sb.buf ? sb.buf : ""), NULL, 0 };
		sb_release(&sb);
		return v;
	}
	size_t n;
	const char *s = name(m, &n);
	if (!s) {
		mako_error(m, at, "%s", "expression not supported in the template");
		return none;
	}
	if ((n == 4 && !memcmp(s, "repr", 4)) || (n == 3 && !memcmp(s, "str", 3))) {
		bool repr = n == 4;
		if (!punct(m, '(')) {
			mako_error(m, m->p, "%s", "expected '(' in the template");
			return none;
		}
		const char *in = name(m, &n);
		if (!in) {
			mako_error(m, m->p, "%s", "expression not supported in the template");
			return none;
		}
		const struct mval *v = lookup(m, in, n);
		if (!punct(m, ')'))
			mako_error(m, m->p, "%s", "expected ')' in the template");
		if (!v)
			return none;
		if (repr && v->k == MV_DATE) {
			mako_error(m, in, "%s", "repr(create_date) is not supported in the template");
			return none;
		}
		struct strbuf sb = STRBUF_INIT;
		val_str(&sb, v, repr);
		struct mval r = { MV_STR, arena_strdup(m->a, sb.buf ? sb.buf : ""), NULL, 0 };
		sb_release(&sb);
		return r;
	}
	if (n == 4 && !memcmp(s, "None", 4))
		return none;
	const struct mval *v = lookup(m, s, n);
	return v ? *v : none;
}

/* test: [not] primary */
static bool test(struct mako *m)
{
	bool neg = word(m, "not");
	struct mval v = primary(m);
	return truthy(&v) != neg;
}

/* Renders the expression of ${...} into out. */
static void expression(struct mako *m, struct strbuf *out)
{
	struct mval v = primary(m);
	if (word(m, "if")) {
		bool t = test(m);
		if (!word(m, "else")) {
			mako_error(m, m->p, "%s", "expected 'else' in the template");
			return;
		}
		struct mval e = primary(m);
		if (!t)
			v = e;
	}
	bool comma = false, trim = false;
	if (punct(m, '|')) {
		do {
			size_t n;
			const char *f = name(m, &n);
			if (f && n == 5 && !memcmp(f, "comma", 5))
				comma = true;
			else if (f && n == 4 && !memcmp(f, "trim", 4))
				trim = true;
			else if (!f || !((n == 1 && *f == 'n') || (n == 3 && !memcmp(f, "str", 3))))
				mako_error(m, f ? f : m->p, "filter '%s' is not supported in the template",
					   f ? arena_strndup(m->a, f, n) : "");
		} while (punct(m, ','));
	}
	skip_ws(m);
	if (m->p != m->end)
		mako_error(m, m->p, "%s", "expression not supported in the template");
	if (m->bad)
		return;
	struct strbuf sb = STRBUF_INIT;
	if (comma && v.k == MV_TUPLE) {
		for (size_t i = 0; i < v.n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", v.v[i]);
	} else if (!(comma && v.k == MV_NONE)) {
		val_str(&sb, &v, false);
	}
	const char *s = sb.buf ? sb.buf : "";
	size_t n = sb.len;
	if (trim) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
	}
	sb_add(out, s, n);
	sb_release(&sb);
}

/* The '}' closing the ${ at p (strings may hold one), or NULL. */
static const char *close_brace(const char *p, const char *end)
{
	char q = 0;
	for (; p < end; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '}') {
			return p;
		} else if (*p == '{') {
			return NULL;
		}
	}
	return NULL;
}

enum { MAX_DEPTH = 32 };

static int render(struct arena *a, const struct src_file *f, const struct mvars *vars, struct strbuf *out)
{
	struct mako m = { .a = a, .f = f, .vars = vars };
	const char *p = f->text, *end = f->text + f->len;
	/* % if nesting: whether this level's text is taken, whether one of its
	 * branches was, whether the enclosing level is taken. */
	struct { bool take, taken, outer; } st[MAX_DEPTH];
	size_t depth = 0;
	bool take = true;

	while (p < end && !m.bad) {
		/* At the start of a line: control lines and comments. */
		const char *q = p;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '%' && (q + 1 == end || q[1] != '%')) {
			const char *eol = memchr(q, '\n', (size_t)(end - q));
			eol = eol ? eol : end;
			m.p = q + 1;
			m.end = eol;
			while (m.end > m.p && (m.end[-1] == ' ' || m.end[-1] == '\r' || m.end[-1] == '\t'))
				m.end--;
			bool colon = m.end > m.p && m.end[-1] == ':';
			if (colon)
				m.end--;
			if (word(&m, "if") && colon) {
				if (depth == MAX_DEPTH) {
					mako_error(&m, q, "%s", "'% if' nested too deeply in the template");
					break;
				}
				st[depth].outer = take;
				bool t = test(&m);
				st[depth].take = take && t;
				st[depth].taken = t;
				take = st[depth++].take;
			} else if (depth && word(&m, "elif") && colon) {
				bool t = test(&m);
				st[depth - 1].take = st[depth - 1].outer && !st[depth - 1].taken && t;
				st[depth - 1].taken |= t;
				take = st[depth - 1].take;
			} else if (depth && word(&m, "else") && colon) {
				st[depth - 1].take = st[depth - 1].outer && !st[depth - 1].taken;
				st[depth - 1].taken = true;
				take = st[depth - 1].take;
			} else if (depth && word(&m, "endif") && !colon) {
				take = st[--depth].outer;
			} else {
				mako_error(&m, q, "'%s' control line is not supported in the template",
					   arena_strndup(a, q, (size_t)(eol - q)));
				break;
			}
			skip_ws(&m);
			if (m.p != m.end)
				mako_error(&m, m.p, "%s", "control line not supported in the template");
			p = eol < end ? eol + 1 : end;
			continue;
		}
		if (q + 1 < end && q[0] == '#' && q[1] == '#') {
			const char *eol = memchr(q, '\n', (size_t)(end - q));
			p = eol ? eol + 1 : end;
			continue;
		}
		if (q < end && *q == '%') /* "%%" at the start of a line: one '%' */
			p = q + 1;
		/* The rest of the line. */
		while (p < end && !m.bad) {
			if (*p == '\\' && p + 1 < end && p[1] == '\n') {
				p += 2;
				break;
			}
			if (*p == '$' && p + 1 < end && p[1] == '{') {
				const char *e = close_brace(p + 2, end);
				if (!e) {
					mako_error(&m, p, "%s", "'${' without its '}' in the template");
					break;
				}
				m.p = p + 2;
				m.end = e;
				if (take)
					expression(&m, out);
				else {
					struct strbuf dummy = STRBUF_INIT;
					expression(&m, &dummy);
					sb_release(&dummy);
				}
				p = e + 1;
				continue;
			}
			if (*p == '<' && p + 1 < end && p[1] == '%') {
				if ((size_t)(end - p) >= 7 && !memcmp(p, "<%text>", 7)) {
					const char *e = strstr(p + 7, "</%text>");
					if (!e) {
						mako_error(&m, p, "%s", "'<%text>' without '</%text>' in the template");
						break;
					}
					if (take)
						sb_add(out, p + 7, (size_t)(e - p - 7));
					p = e + 8;
					continue;
				}
				const char *e = p + 2;
				while (e < end && (ident_ch(*e) || *e == '!' || *e == '.'))
					e++;
				mako_error(&m, p, "'%s' is not supported in the template",
					   arena_strndup(a, p, (size_t)(e - p)));
				break;
			}
			bool nl = *p == '\n';
			if (take)
				sb_addch(out, *p);
			p++;
			if (nl)
				break;
		}
	}
	if (!m.bad && depth) {
		diag_plain(DIAG_ERROR, f->path, "'%% if' without its '%% endif' in the template");
		return -1;
	}
	return m.bad ? -1 : 0;
}

/* ---- file name and date ------------------------------------------------- */

struct ini_alembic {
	struct arena *a;
	const char *file_template;
};

static int on_ini(void *user, const char *section, const char *key, const char *value)
{
	struct ini_alembic *ia = user;
	if (!strcmp(section, "alembic") && !strcmp(key, "file_template"))
		ia->file_template = arena_strdup(ia->a, value);
	return 1;
}

/* alembic.ini's file_template: DIR's own, else the one of DIR's parent
 * (alembic init puts alembic.ini next to the folder). */
static const char *file_template(struct arena *a, const char *dir, const char **ini_path)
{
	const char *paths[2] = { arena_printf(a, "%s/alembic.ini", dir),
				 arena_printf(a, "%s/../alembic.ini", dir) };
	for (int i = 0; i < 2; i++) {
		struct ini_alembic ia = { a, NULL };
		if (ini_parse(paths[i], on_ini, &ia) < 0)
			continue;
		*ini_path = paths[i];
		return ia.file_template;
	}
	return NULL;
}

/* ConfigParser's interpolation ("%%" is "%"), then Python's "%" with
 * Alembic's names, as _rev_path() formats file_template. */
static const char *file_name(struct arena *a, const char *raw, const char *ini, const char *rev,
			     const char *slug, const struct tm *tm, long long epoch)
{
	struct strbuf t = STRBUF_INIT, sb = STRBUF_INIT;
	for (const char *p = raw; *p; p++) {
		if (*p == '%' && p[1] != '%') {
			diag_plain(DIAG_ERROR, ini, "file_template = %s: '%%' not doubled (ConfigParser reads "
				   "'%%%%' as one '%%')", raw);
			goto bad;
		}
		sb_addch(&t, *p);
		p += *p == '%';
	}
	for (const char *p = t.buf ? t.buf : ""; *p; p++) {
		if (*p != '%') {
			sb_addch(&sb, *p);
			continue;
		}
		if (p[1] == '%') {
			sb_addch(&sb, '%');
			p++;
			continue;
		}
		const char *nm = p + 2, *e = p[1] == '(' ? strchr(nm, ')') : NULL;
		if (!e)
			goto unknown;
		const char *spec = e + 1;
		size_t sl = strspn(spec, "-+ #.0123456789");
		char conv = spec[sl];
		if (sl > 8 || !conv || !strchr("sdi", conv))
			goto unknown;
		size_t len = (size_t)(e - nm);
		const char *sv = NULL;
		long long iv = 0;
		if (len == 3 && !memcmp(nm, "rev", 3)) sv = rev;
		else if (len == 4 && !memcmp(nm, "slug", 4)) sv = slug;
		else if (len == 5 && !memcmp(nm, "epoch", 5)) iv = epoch;
		else if (len == 4 && !memcmp(nm, "year", 4)) iv = tm->tm_year + 1900;
		else if (len == 5 && !memcmp(nm, "month", 5)) iv = tm->tm_mon + 1;
		else if (len == 3 && !memcmp(nm, "day", 3)) iv = tm->tm_mday;
		else if (len == 4 && !memcmp(nm, "hour", 4)) iv = tm->tm_hour;
		else if (len == 6 && !memcmp(nm, "minute", 6)) iv = tm->tm_min;
		else if (len == 6 && !memcmp(nm, "second", 6)) iv = tm->tm_sec;
		else
			goto unknown;
		if ((sv && conv != 's') || (sl && conv == 's'))
			goto unknown;
		if (sv) {
			sb_addstr(&sb, sv);
		} else {
			char fmt[16], buf[64];
			snprintf(fmt, sizeof fmt, "%%%.*slld", (int)sl, spec);
			snprintf(buf, sizeof buf, fmt, iv);
			sb_addstr(&sb, buf);
		}
		p = spec + sl;
	}
	if (!sb.len || strchr(sb.buf, '/')) {
		diag_plain(DIAG_ERROR, ini, "file_template = %s gives '%s', not a file name in versions/",
			   raw, sb.buf ? sb.buf : "");
		goto bad;
	}
	const char *r = arena_printf(a, "%s.py", sb.buf);
	sb_release(&t);
	sb_release(&sb);
	return r;
unknown:
	diag_plain(DIAG_ERROR, ini, "file_template = %s: retort knows %%%%(rev)s, %%%%(slug)s, "
		   "%%%%(epoch)s and %%%%(year)d, %%%%(month).2d, %%%%(day).2d, %%%%(hour).2d, "
		   "%%%%(minute).2d, %%%%(second).2d (with a width or precision)", raw);
bad:
	sb_release(&t);
	sb_release(&sb);
	return NULL;
}

/* ---- write -------------------------------------------------------------- */

const char *revpy_write(struct arena *a, const char *dir, struct rev *const *revs, size_t n,
			const struct revfile_spec *s, const char *up, const char *down, bool non_tx)
{
	struct timespec ts;
	struct tm tm;
	char date[48];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(date, 32, "%Y-%m-%d %H:%M:%S", &tm);
	/* str(datetime.now()): microseconds unless there are none. */
	if (ts.tv_nsec / 1000)
		snprintf(date + strlen(date), sizeof date - strlen(date), ".%06d", (int)(ts.tv_nsec / 1000));

	struct mvars mv = { 0 };
	var(&mv, "up_revision", (struct mval){ MV_STR, s->rev_id, NULL, 0 });
	var(&mv, "down_revision", scalar(s->parents, s->n_parents));
	var(&mv, "branch_labels", s->n_labels ? (struct mval){ MV_TUPLE, NULL, s->labels, s->n_labels }
					      : (struct mval){ MV_NONE, NULL, NULL, 0 });
	var(&mv, "depends_on", scalar(s->depends, s->n_depends));
	var(&mv, "message", (struct mval){ MV_STR, s->message, NULL, 0 });
	var(&mv, "create_date", (struct mval){ MV_DATE, date, NULL, 0 });
	var(&mv, "imports", (struct mval){ MV_STR, "", NULL, 0 });
	const char *body[2] = { "pass", "pass" };
	const char *sql[2] = { up, down };
	for (int i = 0; i < 2; i++) {
		if (!sql[i])
			continue;
		body[i] = python_body(a, sql[i], non_tx, i ? "the autogenerated downgrade"
							   : "the autogenerated upgrade");
		if (!body[i])
			return NULL;
		if (!*body[i])
			body[i] = "pass";
	}
	var(&mv, "upgrades", (struct mval){ MV_STR, body[0], NULL, 0 });
	var(&mv, "downgrades", (struct mval){ MV_STR, body[1], NULL, 0 });

	struct src_file tf = { .path = arena_printf(a, "%s/script.py.mako", dir) };
	char *text;
	if (folder_slurp(a, tf.path, &text, &tf.len) == 0) {
		tf.text = text;
	} else if (errno == ENOENT) {
		tf.path = "Alembic's generic script.py.mako";
		tf.text = generic_template;
		tf.len = strlen(generic_template);
	} else {
		diag_plain(DIAG_ERROR, NULL, "cannot read '%s': %s", tf.path, strerror(errno));
		return NULL;
	}
	struct strbuf out = STRBUF_INIT;
	if (render(a, &tf, &mv, &out)) {
		sb_release(&out);
		return NULL;
	}

	const char *ini = NULL, *ft = file_template(a, dir, &ini);
	const char *slug = revfile_slug(a, s->message);
	const char *name = ft ? file_name(a, ft, ini, s->rev_id, slug, &tm, (long long)ts.tv_sec)
			      : arena_printf(a, "%s_%s.py", s->rev_id, slug);
	if (!name) {
		sb_release(&out);
		return NULL;
	}

	/* What Alembic reads, retort must compile: the folder stays one. */
	struct src_file *f = arena_alloc(a, sizeof *f);
	f->path = arena_printf(a, "%s/versions/%s", dir, name);
	f->text = arena_strndup(a, out.buf ? out.buf : "", out.len);
	f->len = out.len;
	struct rev *r = arena_alloc(a, sizeof *r);
	r->file = f;
	unsigned errors = pyrev_parse(a, pyrev_config(a, dir), f, r);
	if (!errors && strcmp(r->id, s->rev_id) != 0) {
		diag_plain(DIAG_ERROR, tf.path, "the rendered script sets revision = '%s', not '%s'",
			   r->id, s->rev_id);
		errors++;
	}
	if (!errors) {
		struct rev **all = arena_alloc(a, (n + 2) * sizeof *all);
		memcpy(all, revs, n * sizeof *all);
		all[n] = r;
		errors = graph_order(a, all, n + 1);
	}
	if (errors) {
		diag_detail("the new revision was not written");
		sb_release(&out);
		return NULL;
	}
	int rc = revfile_create(f->path, out.buf, out.len);
	sb_release(&out);
	return rc ? NULL : f->path;
}
