/*
 * pyops.c - Alembic operations as SQLAlchemy 1.4 + Alembic 1.8 write them
 * for PostgreSQL
 *
 * Each function mirrors the Alembic implementation of one operation and the
 * SQLAlchemy compiler methods it reaches (DDLCompiler, PGDDLCompiler,
 * PGTypeCompiler, alembic/ddl/base.py and postgresql.py), in their order:
 * the differential test compares our statements with Alembic's --sql output
 * token for token.
 */
#include "pyops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static const char HINT[] =
	"rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")";

/* The PostgreSQL dialect's RESERVED_WORDS, sorted. */
static const char *const reserved[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "binary", "both", "case", "cast", "check", "collate",
	"column", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp", "current_user",
	"default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
	"fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
	"ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
	"leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "new",
	"not", "notnull", "null", "of", "off", "offset", "old", "on", "only", "or", "order",
	"outer", "over", "overlaps", "placing", "primary", "references", "returning", "right",
	"select", "session_user", "similar", "some", "symmetric", "table", "then", "to",
	"trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
	"where", "window", "with",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* IdentifierPreparer._requires_quotes */
static bool requires_quotes(const char *s)
{
	char lc[256];
	size_t n = strlen(s);
	if (!n || n >= sizeof lc)
		return true;
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '$')
		return true;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			return true;
		if (c && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$'))
			return true;
		lc[i] = c;
	}
	const char *key = lc;
	return bsearch(&key, reserved, sizeof reserved / sizeof *reserved, sizeof *reserved, cmp_str) != NULL;
}

const char *pyops_quote(struct pyeval *ev, const char *name)
{
	if (!requires_quotes(name))
		return name;
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			sb_addch(&sb, '"');
		sb_addch(&sb, *p);
	}
	sb_addch(&sb, '"');
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

static const char *qtable(struct pyeval *ev, const char *schema, const char *name)
{
	if (schema)
		return arena_printf(pyeval_arena(ev), "%s.%s", pyops_quote(ev, schema), pyops_quote(ev, name));
	return pyops_quote(ev, name);
}

static const char *quote_lit(struct pyeval *ev, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			sb_addch(&sb, '\'');
		sb_addch(&sb, s[i]);
	}
	sb_addch(&sb, '\'');
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

const char *pyops_literal(struct pyeval *ev, const struct pyval *v, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	switch (v->k) {
	case PV_NONE: return "NULL";
	case PV_BOOL: return v->i ? "true" : "false";
	case PV_INT: return arena_printf(a, "%lld", v->i);
	case PV_FLOAT: return v->s;
	case PV_STR: return quote_lit(ev, v->s, v->len);
	case PV_ENUMMEMBER: return quote_lit(ev, v->s, strlen(v->s));
	case PV_SQL: return v->s;
	default:
		pyeval_error(ev, v->off ? v->off : off, "'%s' is not a literal value known at build time",
			     pyeval_describe(ev, v));
		diag_hint("%s", HINT);
		return NULL;
	}
}

/* ---- argument helpers ------------------------------------------------------ */

static struct pyval *arg(const struct pyval *call, int pos, const char *kw)
{
	return pv_arg(call, pos, kw);
}

static const char *str_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw,
			   bool required, size_t off, const char *what)
{
	struct pyval *v = arg(call, pos, kw);
	if (!v || v->k == PV_NONE) {
		if (required)
			pyeval_error(ev, off, "%s needs '%s'", what, kw);
		return NULL;
	}
	if (v->k != PV_STR) {
		pyeval_error(ev, v->off, "'%s' of %s must be a string known at build time, not '%s'",
			     kw, what, pyeval_describe(ev, v));
		return NULL;
	}
	return v->s;
}

static bool bool_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool dflt)
{
	struct pyval *v = arg(call, pos, kw);
	return v ? pyeval_truth(ev, v, kw) : dflt;
}

/* Rejects keyword arguments this op does not know, so nothing is dropped silently. */
static bool check_kwargs(struct pyeval *ev, const struct pyval *call, const char *const *known,
			 const char *what)
{
	for (size_t i = 0; i < call->nw; i++) {
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (call->kw[i] && !strcmp(call->kw[i], *k))
				ok = true;
		if (!ok) {
			pyeval_error(ev, call->w[i]->off, "keyword argument '%s' of %s is not supported",
				     call->kw[i] ? call->kw[i] : "**", what);
			return false;
		}
	}
	return true;
}

/* A list of column names: a list/tuple of strings (or one string). */
static const char **names_arg(struct pyeval *ev, struct pyval *v, size_t *n, const char *what)
{
	struct arena *a = pyeval_arena(ev);
	if (!v) {
		*n = 0;
		return NULL;
	}
	if (v->k == PV_STR) {
		const char **r = arena_alloc(a, sizeof *r);
		r[0] = v->s;
		*n = 1;
		return r;
	}
	if (v->k != PV_LIST && v->k != PV_TUPLE) {
		pyeval_error(ev, v->off, "%s must be a list of column names", what);
		return NULL;
	}
	const char **r = arena_alloc(a, (v->n + 1) * sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		struct pyval *x = v->v[i];
		if (pv_is_obj(x, "sa.column") && arg(x, 0, "text"))
			x = arg(x, 0, "text");
		if (x->k != PV_STR) {
			pyeval_error(ev, x->off, "%s must name columns with strings, not '%s'", what,
				     pyeval_describe(ev, x));
			return NULL;
		}
		r[i] = x->s;
	}
	*n = v->n;
	return r;
}

static const char *join_quoted(struct pyeval *ev, const char **names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addstr(&sb, ", ");
		sb_addstr(&sb, pyops_quote(ev, names[i]));
	}
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf ? sb.buf : "");
	sb_release(&sb);
	return r;
}

/* ---- SQL expressions ------------------------------------------------------- */

/* ANSI functions SQLAlchemy renders without parentheses. */
static const char *const ansi_funcs[] = {
	"current_date", "current_time", "current_timestamp", "current_user", "localtime",
	"localtimestamp", "session_user", "user",
};

static const char *render_func(struct pyeval *ev, const struct pyval *v, size_t off)
{
	const char *name = v->s + 5;
	for (size_t i = 0; i < sizeof ansi_funcs / sizeof *ansi_funcs; i++)
		if (!strcmp(name, ansi_funcs[i]) && v->n == 0) {
			char *u = arena_strdup(pyeval_arena(ev), name);
			for (char *p = u; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 32);
			return u;
		}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s(", name);
	for (size_t i = 0; i < v->n; i++) {
		const char *x = pyops_sql(ev, v->v[i], off);
		if (!x) {
			sb_release(&sb);
			return NULL;
		}
		sb_addf(&sb, "%s%s", i ? ", " : "", x);
	}
	sb_addch(&sb, ')');
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

static const char *core_stmt(struct pyeval *ev, const struct pyval *v, size_t off);

static bool word_ch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

/* The value bound to parameter `name` (the last .bindparams() wins), or NULL. */
static const struct pyval *bind_value(const struct pyval *text, const char *name, size_t len)
{
	const struct pyval *found = NULL;
	for (size_t i = 0; i < text->nw; i++) {
		if (!text->kw[i] || strcmp(text->kw[i], "__binds__"))
			continue;
		const struct pyval *b = text->w[i];
		for (size_t k = 0; k < b->nw; k++)
			if (b->kw[k] && strlen(b->kw[k]) == len && !strncmp(b->kw[k], name, len))
				found = b->w[k];
	}
	return found;
}

/* SQLAlchemy's text(): ':name' is a bound parameter where the colon does
 * not follow ':', a word character or a backslash, and no ':' follows the
 * name (TextClause._bind_params_regex, which knows nothing of SQL quoting);
 * '\:' is a literal colon. Values are written in as literals, as Alembic's
 * --sql does with literal_binds; only scalars: anything else would need
 * the driver's adaptation. A parameter without a value is an error, as it
 * is when SQLAlchemy executes the statement. */
static const char *text_sql(struct pyeval *ev, const struct pyval *v, const char *t)
{
	struct strbuf sb = STRBUF_INIT;
	const char *r = NULL;
	for (const char *p = t; *p;) {
		if (p[0] == '\\' && p[1] == ':') {
			sb_addch(&sb, ':');
			p += 2;
			continue;
		}
		if (p[0] == ':' && word_ch(p[1]) && (p == t || (p[-1] != ':' && p[-1] != '\\' && !word_ch(p[-1])))) {
			const char *e = p + 1;
			while (word_ch(*e))
				e++;
			if (*e != ':') {
				const struct pyval *x = bind_value(v, p + 1, (size_t)(e - p - 1));
				if (!x) {
					pyeval_error(ev, v->off, "sa.text() parameter ':%.*s' has no value known at build time",
						     (int)(e - p - 1), p + 1);
					diag_hint("give it with .bindparams(%.*s=...) or in the execute() parameters",
						  (int)(e - p - 1), p + 1);
					goto out;
				}
				if (x->k != PV_STR && x->k != PV_INT && x->k != PV_FLOAT && x->k != PV_BOOL &&
				    x->k != PV_NONE) {
					pyeval_error(ev, x->off, "parameter ':%.*s' is '%.60s', not a string, number, "
						     "boolean or None", (int)(e - p - 1), p + 1, pyeval_describe(ev, x));
					diag_hint("%s", HINT);
					goto out;
				}
				const char *lit = pyops_literal(ev, x, v->off);
				if (!lit)
					goto out;
				sb_addstr(&sb, lit);
				p = e;
				continue;
			}
			sb_add(&sb, p, (size_t)(e - p));
			p = e;
			continue;
		}
		sb_addch(&sb, *p++);
	}
	r = arena_strdup(pyeval_arena(ev), sb.buf ? sb.buf : "");
out:
	sb_release(&sb);
	return r;
}

const char *pyops_sql(struct pyeval *ev, const struct pyval *v, size_t off)
{
	if (v->k == PV_STR)
		return v->s;
	if (v->k == PV_SQL)
		return v->s;
	if (pv_is_obj(v, "sa.text")) {
		struct pyval *t = arg(v, 0, "text");
		if (!t || t->k != PV_STR) {
			pyeval_error(ev, v->off, "sa.text() needs a string known at build time");
			return NULL;
		}
		return text_sql(ev, v, t->s);
	}
	if ((pv_is_obj(v, "sa.CreateSchema") || pv_is_obj(v, "sa.DropSchema")) && arg(v, 0, "name") &&
	    arg(v, 0, "name")->k == PV_STR && v->nw == 0 && v->n == 1)
		return arena_printf(pyeval_arena(ev), "%s SCHEMA %s", v->s[3] == 'C' ? "CREATE" : "DROP",
				    pyops_quote(ev, arg(v, 0, "name")->s));
	if (v->k == PV_OBJ && !strncmp(v->s, "func.", 5))
		return render_func(ev, v, off);
	if (pv_is_obj(v, "sa.null"))
		return "NULL";
	if (pv_is_obj(v, "sa.true"))
		return "true";
	if (pv_is_obj(v, "sa.false"))
		return "false";
	if (pv_is_obj(v, "sa.column"))
		return pyops_quote(ev, arg(v, 0, "text")->s);
	if (pv_is_obj(v, "sa.literal_column") && arg(v, 0, "text") && arg(v, 0, "text")->k == PV_STR)
		return arg(v, 0, "text")->s;
	if (v->k == PV_OBJ && !strncmp(v->s, "core.", 5))
		return core_stmt(ev, v, off);
	if (v->k == PV_INT || v->k == PV_FLOAT || v->k == PV_BOOL || v->k == PV_NONE)
		return pyops_literal(ev, v, off);
	pyeval_error(ev, v->off ? v->off : off, "'%s' is not SQL that retort can render at build time",
		     pyeval_describe(ev, v));
	diag_hint("%s", HINT);
	return NULL;
}

/* UPDATE/INSERT/DELETE built with sa.table(...) and literal values. */
static const char *core_stmt(struct pyeval *ev, const struct pyval *v, size_t off)
{
	const struct pyval *t = v->self;
	const char *table = qtable(ev, str_arg(ev, t, -1, "schema", false, off, "sa.table"),
				   arg(t, 0, "name")->s);
	struct strbuf sb = STRBUF_INIT;
	struct pyval *values = NULL;
	struct strbuf where = STRBUF_INIT;

	for (size_t i = 0; i < v->nw; i++) {
		if (!strcmp(v->kw[i], "values"))
			values = v->w[i];
		else if (!strcmp(v->kw[i], "where")) {
			if (where.len)
				sb_addstr(&where, " AND ");
			sb_addstr(&where, v->w[i]->s);
		}
	}
	const char *kind = v->s + 5;
	if (!strcmp(kind, "update")) {
		sb_addf(&sb, "UPDATE %s SET ", table);
		if (!values || !values->n) {
			pyeval_error(ev, v->off, "update() without values()");
			goto fail;
		}
		for (size_t i = 0; i < values->n; i++) {
			struct pyval *k = values->v[i];
			const char *col = k->k == PV_STR ? pyops_quote(ev, k->s) : NULL;
			if (k->k == PV_SQL) {
				const char *dot = strrchr(k->s, '.');
				col = dot ? dot + 1 : k->s;
			}
			const char *val = values->w[i]->k == PV_SQL ? values->w[i]->s : pyops_sql(ev, values->w[i], off);
			if (!col || !val)
				goto fail;
			if (values->w[i]->k == PV_STR)
				val = quote_lit(ev, values->w[i]->s, values->w[i]->len);
			else if (values->w[i]->k == PV_SQL && (values->w[i]->flag & PVF_GROUPED))
				val = arena_printf(pyeval_arena(ev), "(%s)", val);
			sb_addf(&sb, "%s%s=%s", i ? ", " : "", col, val);
		}
	} else if (!strcmp(kind, "insert")) {
		if (!values || !values->n) {
			pyeval_error(ev, v->off, "insert() without values()");
			goto fail;
		}
		struct strbuf vals = STRBUF_INIT;
		sb_addf(&sb, "INSERT INTO %s (", table);
		for (size_t i = 0; i < values->n; i++) {
			const char *l = pyops_literal(ev, values->w[i], off);
			if (!l || values->v[i]->k != PV_STR) {
				sb_release(&vals);
				goto fail;
			}
			sb_addf(&sb, "%s%s", i ? ", " : "", pyops_quote(ev, values->v[i]->s));
			sb_addf(&vals, "%s%s", i ? ", " : "", l);
		}
		sb_addf(&sb, ") VALUES (%s)", vals.buf);
		sb_release(&vals);
	} else {
		sb_addf(&sb, "DELETE FROM %s", table);
	}
	if (where.len)
		sb_addf(&sb, " WHERE %s", where.buf);
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	sb_release(&where);
	return r;
fail:
	sb_release(&sb);
	sb_release(&where);
	return NULL;
}

/* ---- types ------------------------------------------------------------------- */

enum affinity { AFF_OTHER, AFF_INT, AFF_BIGINT, AFF_SMALLINT, AFF_NUMERIC };

struct enuminfo {
	const char *name;        /* quoted, schema-qualified */
	const char **values;
	size_t n;
	bool create;             /* create_type */
	size_t off;
};

struct typeinfo {
	const char *sql;
	enum affinity aff;
	struct enuminfo *enums[8];
	size_t n_enums;
};

static const struct {
	const char *name;   /* after "sa." or "pg." */
	const char *sql;
	enum affinity aff;
} simple_types[] = {
	{ "Integer", "INTEGER", AFF_INT }, { "INTEGER", "INTEGER", AFF_INT }, { "INT", "INTEGER", AFF_INT },
	{ "BigInteger", "BIGINT", AFF_BIGINT }, { "BIGINT", "BIGINT", AFF_BIGINT },
	{ "SmallInteger", "SMALLINT", AFF_SMALLINT }, { "SMALLINT", "SMALLINT", AFF_SMALLINT },
	{ "Text", "TEXT", AFF_OTHER }, { "TEXT", "TEXT", AFF_OTHER }, { "UnicodeText", "TEXT", AFF_OTHER },
	{ "Boolean", "BOOLEAN", AFF_OTHER }, { "BOOLEAN", "BOOLEAN", AFF_OTHER },
	{ "Date", "DATE", AFF_OTHER }, { "DATE", "DATE", AFF_OTHER },
	{ "JSON", "JSON", AFF_OTHER }, { "JSONB", "JSONB", AFF_OTHER },
	{ "UUID", "UUID", AFF_OTHER }, { "INET", "INET", AFF_OTHER }, { "CIDR", "CIDR", AFF_OTHER },
	{ "MACADDR", "MACADDR", AFF_OTHER }, { "MONEY", "MONEY", AFF_OTHER }, { "OID", "OID", AFF_OTHER },
	{ "REGCLASS", "REGCLASS", AFF_OTHER }, { "TSVECTOR", "TSVECTOR", AFF_OTHER },
	{ "HSTORE", "HSTORE", AFF_OTHER }, { "BYTEA", "BYTEA", AFF_OTHER },
	{ "LargeBinary", "BYTEA", AFF_OTHER }, { "LargeBinary", "BYTEA", AFF_OTHER },
	{ "BLOB", "BYTEA", AFF_OTHER }, { "PickleType", "BYTEA", AFF_OTHER },
	{ "REAL", "REAL", AFF_NUMERIC }, { "DOUBLE_PRECISION", "DOUBLE PRECISION", AFF_NUMERIC },
	{ "INT4RANGE", "INT4RANGE", AFF_OTHER }, { "INT8RANGE", "INT8RANGE", AFF_OTHER },
	{ "NUMRANGE", "NUMRANGE", AFF_OTHER }, { "DATERANGE", "DATERANGE", AFF_OTHER },
	{ "TSRANGE", "TSRANGE", AFF_OTHER }, { "TSTZRANGE", "TSTZRANGE", AFF_OTHER },
};

static const char *lookup_typemap(struct pyeval *ev, const char *name)
{
	const struct pytypemap *m = pyeval_types(ev);
	const char *last = strrchr(name, '.');
	last = last ? last + 1 : name;
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return m->sql[i];
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->name[i], last))
			return m->sql[i];
	return NULL;
}

static bool enum_values(struct pyeval *ev, const struct pyval *t, struct enuminfo *e, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	struct pyval *first = t->n ? t->v[0] : NULL;
	const char *name = str_arg(ev, t, -1, "name", false, off, "Enum");
	const char *schema = str_arg(ev, t, -1, "schema", false, off, "Enum");
	if (pyeval_failed(ev))
		return false;
	if (first && first->k == PV_ENUMCLASS) {
		struct pyval *vc = arg(t, -1, "values_callable");
		struct pyval *list = first;
		if (vc) {
			pyeval_error(ev, vc->off, "Enum values_callable is not supported");
			diag_hint("list the values: sa.Enum('a', 'b', name='...')");
			return false;
		}
		e->n = list->n;
		e->values = arena_alloc(a, (list->n + 1) * sizeof *e->values);
		for (size_t i = 0; i < list->n; i++)
			e->values[i] = list->v[i]->s;
		if (!name) {
			char *lc = arena_strdup(a, first->s);
			for (char *p = lc; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			name = lc;
		}
	} else {
		e->n = t->n;
		e->values = arena_alloc(a, (t->n + 1) * sizeof *e->values);
		for (size_t i = 0; i < t->n; i++) {
			if (t->v[i]->k != PV_STR) {
				pyeval_error(ev, t->v[i]->off, "Enum values must be strings known at build time");
				return false;
			}
			e->values[i] = t->v[i]->s;
		}
	}
	if (!name) {
		pyeval_error(ev, t->off, "PostgreSQL ENUM type requires a name");
		diag_hint("add name='...' to the Enum");
		return false;
	}
	e->name = qtable(ev, schema, name);
	e->create = bool_arg(ev, t, -1, "create_type", true);
	e->off = t->off;
	return true;
}

/* The SQL of a column type; fills ti (affinity, named enums to create). */
static bool type_sql(struct pyeval *ev, const struct pyval *t, struct typeinfo *ti, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	ti->aff = AFF_OTHER;
	if (!t || (t->k != PV_REF && t->k != PV_OBJ)) {
		pyeval_error(ev, t ? t->off : off, "'%s' is not a column type", t ? pyeval_describe(ev, t) : "?");
		return false;
	}
	const char *c = t->k == PV_REF ? pyeval_canon(ev, t->s) : t->s;
	bool std = !strncmp(c, "sa.", 3) || !strncmp(c, "pg.", 3);
	const char *n = std ? c + 3 : c;
	if (t->k == PV_REF && std) {
		/* sa.Integer written without parentheses */
		struct pyval *o = arena_alloc(a, sizeof *o);
		*o = *t;
		o->k = PV_OBJ;
		o->n = o->nw = 0;
		t = o;
	} else if (t->k == PV_REF && !std) {
		const char *m = lookup_typemap(ev, c);
		if (m) {
			ti->sql = m;
			return true;
		}
	}
	if (std) {
		for (size_t i = 0; i < sizeof simple_types / sizeof *simple_types; i++)
			if (!strcmp(simple_types[i].name, n)) {
				ti->sql = simple_types[i].sql;
				ti->aff = simple_types[i].aff;
				return true;
			}
		if (!strcmp(n, "String") || !strcmp(n, "Unicode") || !strcmp(n, "VARCHAR") ||
		    !strcmp(n, "NVARCHAR") || !strcmp(n, "CHAR") || !strcmp(n, "NCHAR")) {
			struct pyval *len = arg(t, 0, "length");
			const char *coll = str_arg(ev, t, 1, "collation", false, off, n);
			const char *base = n[0] == 'C' || !strcmp(n, "NCHAR") ? "CHAR" : "VARCHAR";
			if (len && len->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld)", base, len->i);
			else
				ti->sql = base;
			if (coll)
				ti->sql = arena_printf(a, "%s COLLATE \"%s\"", ti->sql, coll);
			return true;
		}
		if (!strcmp(n, "Numeric") || !strcmp(n, "NUMERIC") || !strcmp(n, "DECIMAL")) {
			struct pyval *p = arg(t, 0, "precision"), *s = arg(t, 1, "scale");
			const char *base = n[0] == 'D' ? "DECIMAL" : "NUMERIC";
			ti->aff = AFF_NUMERIC;
			if (p && p->k == PV_INT && s && s->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld, %lld)", base, p->i, s->i);
			else if (p && p->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld)", base, p->i);
			else
				ti->sql = base;
			return true;
		}
		if (!strcmp(n, "Float") || !strcmp(n, "FLOAT")) {
			struct pyval *p = arg(t, 0, "precision");
			ti->aff = AFF_NUMERIC;
			ti->sql = p && p->k == PV_INT && p->i ? arena_printf(a, "FLOAT(%lld)", p->i) : "FLOAT";
			return true;
		}
		if (!strcmp(n, "DateTime") || !strcmp(n, "TIMESTAMP") || !strcmp(n, "Time") || !strcmp(n, "TIME")) {
			bool tz = bool_arg(ev, t, 0, "timezone", false);
			struct pyval *p = arg(t, -1, "precision");
			const char *base = n[0] == 'T' && n[1] == 'I' && n[2] == 'M' && n[3] == 'E' && !n[4] ? "TIME" :
					   !strcmp(n, "Time") ? "TIME" : "TIMESTAMP";
			ti->sql = arena_printf(a, "%s%s %s TIME ZONE", base,
					       p && p->k == PV_INT ? arena_printf(a, "(%lld)", p->i) : "",
					       tz ? "WITH" : "WITHOUT");
			return true;
		}
		if (!strcmp(n, "Interval") || !strcmp(n, "INTERVAL")) {
			const char *fields = str_arg(ev, t, -1, "fields", false, off, n);
			struct pyval *p = arg(t, std && c[0] == 'p' ? 0 : -1, "precision");
			if (c[0] == 's') {
				fields = NULL;
				p = arg(t, -1, "second_precision");
			}
			ti->sql = arena_printf(a, "INTERVAL%s%s%s", fields ? " " : "", fields ? fields : "",
					       p && p->k == PV_INT ? arena_printf(a, " (%lld)", p->i) : "");
			return true;
		}
		if (!strcmp(n, "BIT")) {
			struct pyval *l = arg(t, 0, "length");
			bool varying = bool_arg(ev, t, 1, "varying", false);
			if (varying)
				ti->sql = l && l->k == PV_INT ? arena_printf(a, "BIT VARYING(%lld)", l->i) : "BIT VARYING";
			else
				ti->sql = arena_printf(a, "BIT(%lld)", l && l->k == PV_INT ? l->i : 1);
			return true;
		}
		if (!strcmp(n, "ARRAY")) {
			struct pyval *item = arg(t, 0, "item_type");
			struct pyval *dims = arg(t, -1, "dimensions");
			struct typeinfo inner = { 0 };
			if (!type_sql(ev, item, &inner, off))
				return false;
			long long nd = dims && dims->k == PV_INT ? dims->i : 1;
			struct strbuf sb = STRBUF_INIT;
			const char *coll = strstr(inner.sql, " COLLATE");
			size_t base = coll ? (size_t)(coll - inner.sql) : strlen(inner.sql);
			sb_add(&sb, inner.sql, base);
			for (long long i = 0; i < nd; i++)
				sb_addstr(&sb, "[]");
			sb_addstr(&sb, inner.sql + base);
			ti->sql = arena_strdup(a, sb.buf);
			sb_release(&sb);
			for (size_t i = 0; i < inner.n_enums && ti->n_enums < 8; i++)
				ti->enums[ti->n_enums++] = inner.enums[i];
			return true;
		}
		if (!strcmp(n, "Enum") || !strcmp(n, "ENUM")) {
			struct enuminfo *e = arena_alloc(a, sizeof *e);
			if (!enum_values(ev, t, e, off))
				return false;
			if (!bool_arg(ev, t, -1, "native_enum", true)) {
				struct pyval *len = arg(t, -1, "length");
				size_t m = 0;
				for (size_t i = 0; i < e->n; i++)
					if (strlen(e->values[i]) > m)
						m = strlen(e->values[i]);
				if (len && len->k == PV_INT)
					m = (size_t)len->i;
				if (bool_arg(ev, t, -1, "create_constraint", false)) {
					pyeval_error(ev, t->off, "non-native Enum with create_constraint=True is not supported");
					return false;
				}
				ti->sql = arena_printf(a, "VARCHAR(%zu)", m);
				return true;
			}
			ti->sql = e->name;
			if (ti->n_enums < 8)
				ti->enums[ti->n_enums++] = e;
			return true;
		}
		if (!strcmp(n, "TypeDecorator") || !strcmp(n, "PickleType") || !strcmp(n, "Sequence")) {
			pyeval_error(ev, t->off, "'%s' is not a column type retort renders", c);
			return false;
		}
	}
	const char *m = lookup_typemap(ev, c);
	if (m) {
		ti->sql = m;
		if (!strcmp(m, "INTEGER"))
			ti->aff = AFF_INT;
		else if (!strcmp(m, "BIGINT"))
			ti->aff = AFF_BIGINT;
		return true;
	}
	const struct pytypemap *tm = pyeval_types(ev);
	const char *last = strrchr(c, '.');
	pyeval_error(ev, t->off, "column type '%s' has no SQL mapping", c);
	if (std)
		diag_detail("retort does not know this SQLAlchemy type");
	diag_hint("add '%s = <SQL type>' to the [types] section of %s", last ? last + 1 : c,
		  tm && tm->path ? tm->path : "retort.ini in the migration folder");
	return false;
}

/* ---- columns ------------------------------------------------------------------ */

struct fk {
	const char **cols, **refcols;
	size_t n;
	const char *reftable;   /* quoted, maybe schema-qualified */
	const char *name;
	struct pyval *obj;      /* for ondelete, onupdate, deferrable, ... */
	unsigned order;
};

struct column {
	const char *name;
	const char *key;         /* key=, else the name: %(column_0_key)s */
	const struct pyval *obj;
	struct pyval *type;
	struct typeinfo ti;
	bool nullable, pk, unique, index, has_default, ignore_fk;
	struct pyval *autoinc;   /* NULL: "auto" */
	struct pyval *server_default;
	struct pyval *comment;
	struct pyval *identity, *computed;
	struct pyval *checks[4];
	size_t n_checks;
	struct pyval *fkobjs[4];
	size_t n_fks;
};

static const char *const column_kwargs[] = {
	"type_", "name", "nullable", "primary_key", "server_default", "default", "unique", "index",
	"comment", "autoincrement", "onupdate", "server_onupdate", "key", "info", "doc", "quote",
	"system", "_proxies", NULL,
};

static bool parse_column(struct pyeval *ev, const struct pyval *o, struct column *col)
{
	memset(col, 0, sizeof *col);
	col->obj = o;
	if (!pv_is_obj(o, "sa.Column")) {
		pyeval_error(ev, o->off, "expected an sa.Column, found '%s'", pyeval_describe(ev, o));
		return false;
	}
	if (!check_kwargs(ev, o, column_kwargs, "sa.Column"))
		return false;
	size_t i = 0;
	if (o->n && o->v[0]->k == PV_STR) {
		col->name = o->v[0]->s;
		i = 1;
	} else if (arg(o, -1, "name") && arg(o, -1, "name")->k == PV_STR) {
		col->name = arg(o, -1, "name")->s;
	} else {
		pyeval_error(ev, o->off, "sa.Column needs its name as a string");
		return false;
	}
	for (; i < o->n; i++) {
		struct pyval *x = o->v[i];
		if (pv_is_obj(x, "sa.ForeignKey")) {
			if (col->n_fks < 4)
				col->fkobjs[col->n_fks++] = x;
		} else if (pv_is_obj(x, "sa.Identity")) {
			col->identity = x;
		} else if (pv_is_obj(x, "sa.Computed")) {
			col->computed = x;
		} else if (pv_is_obj(x, "sa.CheckConstraint")) {
			if (col->n_checks < 4)
				col->checks[col->n_checks++] = x;
		} else if (pv_is_obj(x, "sa.Sequence") || pv_is_obj(x, "sa.FetchedValue") ||
			   pv_is_obj(x, "sa.DefaultClause")) {
			pyeval_error(ev, x->off, "'%s' in a column is not supported", x->s);
			return false;
		} else if (!col->type) {
			col->type = x;
		} else {
			pyeval_error(ev, x->off, "unexpected argument '%s' of sa.Column", pyeval_describe(ev, x));
			return false;
		}
	}
	if (!col->type)
		col->type = arg(o, -1, "type_");
	if (!col->type) {
		pyeval_error(ev, o->off, "column '%s' has no type", col->name);
		diag_hint("give the column its type: SQLAlchemy copies a foreign key's type only with the application's metadata");
		return false;
	}
	col->key = str_arg(ev, o, -1, "key", false, o->off, "sa.Column");
	if (!col->key)
		col->key = col->name;
	col->pk = bool_arg(ev, o, -1, "primary_key", false);
	struct pyval *nl = arg(o, -1, "nullable");
	col->nullable = nl ? pyeval_truth(ev, nl, "nullable") : !col->pk;
	if (col->identity && !nl)
		col->nullable = false;
	col->unique = bool_arg(ev, o, -1, "unique", false);
	col->index = bool_arg(ev, o, -1, "index", false);
	struct pyval *d = arg(o, -1, "default");
	col->has_default = d && d->k != PV_NONE;
	col->server_default = arg(o, -1, "server_default");
	if (col->server_default && col->server_default->k == PV_NONE)
		col->server_default = NULL;
	col->comment = arg(o, -1, "comment");
	if (col->comment && col->comment->k == PV_NONE)
		col->comment = NULL;
	col->autoinc = arg(o, -1, "autoincrement");
	if (col->autoinc && col->autoinc->k == PV_STR && !strcmp(col->autoinc->s, "auto"))
		col->autoinc = NULL;
	col->ignore_fk = col->autoinc && col->autoinc->k == PV_STR && !strcmp(col->autoinc->s, "ignore_fk");
	return type_sql(ev, col->type, &col->ti, o->off);
}

static const char *server_default_sql(struct pyeval *ev, struct pyval *d)
{
	if (d->k == PV_STR)
		return quote_lit(ev, d->s, d->len);
	if (d->k == PV_OBJ || d->k == PV_SQL)
		return pyops_sql(ev, d, d->off);
	pyeval_error(ev, d->off, "server_default must be a string or sa.text(), not '%s'", pyeval_describe(ev, d));
	return NULL;
}

static const char *identity_sql(struct pyeval *ev, const struct pyval *id)
{
	struct strbuf sb = STRBUF_INIT;
	static const char *const opts[][2] = {
		{ "increment", "INCREMENT BY %lld" }, { "start", "START WITH %lld" },
		{ "minvalue", "MINVALUE %lld" }, { "maxvalue", "MAXVALUE %lld" },
	};
	for (size_t i = 0; i < 4; i++) {
		struct pyval *v = arg(id, -1, opts[i][0]);
		if (v && v->k == PV_INT) {
			if (sb.len)
				sb_addch(&sb, ' ');
			sb_addf(&sb, opts[i][1], v->i);
		}
	}
	if (arg(id, -1, "nominvalue") && pyeval_truth(ev, arg(id, -1, "nominvalue"), "nominvalue"))
		sb_addf(&sb, "%sNO MINVALUE", sb.len ? " " : "");
	if (arg(id, -1, "nomaxvalue") && pyeval_truth(ev, arg(id, -1, "nomaxvalue"), "nomaxvalue"))
		sb_addf(&sb, "%sNO MAXVALUE", sb.len ? " " : "");
	struct pyval *cache = arg(id, -1, "cache");
	if (cache && cache->k == PV_INT)
		sb_addf(&sb, "%sCACHE %lld", sb.len ? " " : "", cache->i);
	struct pyval *cycle = arg(id, -1, "cycle");
	if (cycle && cycle->k != PV_NONE)
		sb_addf(&sb, "%s%s", sb.len ? " " : "", pyeval_truth(ev, cycle, "cycle") ? "CYCLE" : "NO CYCLE");
	const char *r = arena_printf(pyeval_arena(ev), "GENERATED %s AS IDENTITY%s%s%s",
				     bool_arg(ev, id, 0, "always", false) ? "ALWAYS" : "BY DEFAULT",
				     sb.len ? " (" : "", sb.len ? sb.buf : "", sb.len ? ")" : "");
	sb_release(&sb);
	return r;
}

/* DDLCompiler.get_column_specification as PGDDLCompiler overrides it. */
static const char *column_spec(struct pyeval *ev, const struct column *c, bool autoinc)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addstr(&sb, pyops_quote(ev, c->name));
	if (c->pk && autoinc && !c->identity && !c->has_default) {
		sb_addstr(&sb, c->ti.aff == AFF_BIGINT ? " BIGSERIAL" :
			  c->ti.aff == AFF_SMALLINT ? " SMALLSERIAL" : " SERIAL");
	} else {
		sb_addf(&sb, " %s", c->ti.sql);
		if (c->server_default) {
			const char *d = server_default_sql(ev, c->server_default);
			if (!d) {
				sb_release(&sb);
				return NULL;
			}
			sb_addf(&sb, " DEFAULT %s", d);
		}
	}
	if (c->computed) {
		struct pyval *e = arg(c->computed, 0, "sqltext");
		struct pyval *p = arg(c->computed, 1, "persisted");
		const char *sql = e ? pyops_sql(ev, e, c->computed->off) : NULL;
		if (!sql) {
			sb_release(&sb);
			return NULL;
		}
		if (p && p->k != PV_NONE && !pyeval_truth(ev, p, "persisted")) {
			pyeval_error(ev, p->off, "PostgreSQL computed columns must be persisted");
			sb_release(&sb);
			return NULL;
		}
		sb_addf(&sb, " GENERATED ALWAYS AS (%s) STORED", sql);
	}
	if (c->identity)
		sb_addf(&sb, " %s", identity_sql(ev, c->identity));
	if (!c->nullable && !c->identity)
		sb_addstr(&sb, " NOT NULL");
	else if (c->nullable && c->identity)
		sb_addstr(&sb, " NULL");
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

/* PrimaryKeyConstraint._autoincrement_column */
static bool autoinc_ok(const struct column *c, bool explicit_true)
{
	if (c->ti.aff == AFF_OTHER)
		return false;
	if (explicit_true)
		return true;
	if (c->has_default)
		return false;
	if (c->server_default && !c->identity)
		return false;
	if (c->n_fks && !c->ignore_fk)
		return false;
	return true;
}

/* ---- constraints -------------------------------------------------------------- */

static const char *deferrable_sql(struct pyeval *ev, const struct pyval *o)
{
	struct pyval *d = arg(o, -1, "deferrable");
	const char *ini = str_arg(ev, o, -1, "initially", false, o->off, "constraint");
	const char *r = "";
	if (d && d->k != PV_NONE)
		r = pyeval_truth(ev, d, "deferrable") ? " DEFERRABLE" : " NOT DEFERRABLE";
	if (ini)
		r = arena_printf(pyeval_arena(ev), "%s INITIALLY %s", r, ini);
	return r;
}

static const char *fk_clause(struct pyeval *ev, const struct fk *f)
{
	struct arena *a = pyeval_arena(ev);
	struct strbuf sb = STRBUF_INIT;
	const struct pyval *o = f->obj;
	if (f->name)
		sb_addf(&sb, "CONSTRAINT %s ", pyops_quote(ev, f->name));
	sb_addf(&sb, "FOREIGN KEY(%s) REFERENCES %s (%s)", join_quoted(ev, f->cols, f->n), f->reftable,
		join_quoted(ev, f->refcols, f->n));
	const char *match = str_arg(ev, o, -1, "match", false, o->off, "foreign key");
	const char *del = str_arg(ev, o, -1, "ondelete", false, o->off, "foreign key");
	const char *upd = str_arg(ev, o, -1, "onupdate", false, o->off, "foreign key");
	if (match)
		sb_addf(&sb, " MATCH %s", match);
	if (del)
		sb_addf(&sb, " ON DELETE %s", del);
	if (upd)
		sb_addf(&sb, " ON UPDATE %s", upd);
	sb_addstr(&sb, deferrable_sql(ev, o));
	const char *r = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return r;
}

/* "table.col" or "schema.table.col" of sa.ForeignKey */
static bool split_target(struct pyeval *ev, const char *spec, const char **table, const char **col, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	const char *dot = strrchr(spec, '.');
	if (!dot) {
		pyeval_error(ev, off, "foreign key target '%s' is not 'table.column'", spec);
		return false;
	}
	*col = arena_strdup(a, dot + 1);
	const char *t = arena_strndup(a, spec, (size_t)(dot - spec));
	const char *d2 = strrchr(t, '.');
	*table = d2 ? qtable(ev, arena_strndup(a, t, (size_t)(d2 - t)), d2 + 1) : pyops_quote(ev, t);
	return true;
}

static const char *convention_name(struct pyeval *ev, const char *name);
static const char *label_prefix(struct pyeval *ev, const char *schema, const char *table);
static size_t name_chars(const char *s, size_t upto, size_t *cut);

/* ---- naming conventions ------------------------------------------------------ */

/* What a naming convention sees of one constraint or index (the
 * ConventionDict of sqlalchemy/sql/naming.py): its table, its columns in
 * order (a foreign key's local ones), and for a foreign key what it refers to. */
struct convtarget {
	enum pyconv kind;
	const char *table, *schema;   /* unquoted */
	const char **cols;
	const char **keys;            /* the columns' keys; NULL: their names */
	size_t n;
	const char *reftable;         /* fk: the referred table's name, unquoted */
	const char **refcols;         /* fk: NULL when SQLAlchemy cannot resolve them yet */
	bool noelements;              /* fk of drop_constraint: a constraint without columns */
};

/* target_metadata's convention for a kind: retort.ini's when declared,
 * else SQLAlchemy's DEFAULT_NAMING_CONVENTION (ix only). */
static const char *conv_of(struct pyeval *ev, enum pyconv k)
{
	const struct pytypemap *m = pyeval_types(ev);
	if (m && m->conv_declared)
		return m->conv[k];
	return k == PYCONV_IX ? "ix_%(column_0_label)s" : NULL;
}

static bool conv_declared(struct pyeval *ev)
{
	const struct pytypemap *m = pyeval_types(ev);
	return m && m->conv_declared;
}

/* One %(column_X_attr)s value, or joined over all columns for the N forms. */
static bool conv_column_token(struct pyeval *ev, const struct convtarget *t, const char *tok, const char *conv,
			      struct strbuf *out, size_t off)
{
	bool referred = !strncmp(tok, "referred_", 9);
	const char *p = tok + (referred ? 9 : 0) + 7;
	char *end;
	unsigned long idx = strtoul(p, &end, 10);
	bool multi = false;
	const char *sep = "";
	if (*end == 'N') {
		multi = true, end++;
	} else if (!strncmp(end, "_N", 2)) {
		multi = true, sep = "_", end += 2;
	}
	const char *attr = end + 1;   /* name, key or label */
	if (referred && (t->kind != PYCONV_FK || !t->refcols || t->noelements)) {
		if (t->kind == PYCONV_FK && t->noelements && multi)
			return true;   /* joined over no elements: "" */
		pyeval_error(ev, off, "naming convention '%s' needs %%(%s)s, which SQLAlchemy cannot resolve here: "
			     "Alembic fails", conv, tok);
		diag_detail(t->kind != PYCONV_FK ? "only a foreign key refers to columns" :
			    "the referred table is not in the operation's MetaData when the foreign key is named");
		diag_hint("name the constraint, with op.f('...') for the name Alembic would give it");
		return false;
	}
	const char **names = referred ? t->refcols : !strcmp(attr, "key") && t->keys ? t->keys : t->cols;
	size_t from = multi ? 0 : idx, to = multi ? t->n : idx + 1;
	if (!multi && idx >= t->n) {
		if (referred) {
			pyeval_error(ev, off, "naming convention '%s': the foreign key has no column %lu: Alembic fails",
				     conv, idx);
			return false;
		}
		return true;   /* _column_X: IndexError gives "" */
	}
	for (size_t i = from; i < to; i++) {
		if (i > from)
			sb_addstr(out, sep);
		if (!strcmp(attr, "label"))
			sb_addf(out, "%s_%s", label_prefix(ev, t->schema, t->table), names[i]);
		else
			sb_addstr(out, names[i]);
	}
	return true;
}

/* convention % ConventionDict(...); NULL after an error. */
static const char *conv_format(struct pyeval *ev, const char *conv, const struct convtarget *t,
			       const char *given, size_t off)
{
	struct strbuf sb = STRBUF_INIT;
	const char *r = NULL;
	for (const char *p = conv; *p; p++) {
		if (*p != '%') {
			sb_addch(&sb, *p);
			continue;
		}
		if (p[1] == '%') {
			sb_addch(&sb, '%');
			p++;
			continue;
		}
		const char *e = strchr(p, ')');   /* checked when retort.ini was read */
		const char *tok = arena_strndup(pyeval_arena(ev), p + 2, (size_t)(e - p - 2));
		p = e + 1;
		if (!strcmp(tok, "table_name")) {
			sb_addstr(&sb, t->table);
		} else if (!strcmp(tok, "constraint_name")) {
			if (!given) {
				pyeval_error(ev, off, "naming convention '%s' includes %%(constraint_name)s, which needs "
					     "the constraint to be named: Alembic fails", conv);
				diag_hint("give the constraint a name");
				goto out;
			}
			sb_addstr(&sb, given);
		} else if (!strcmp(tok, "referred_table_name")) {
			if (t->kind != PYCONV_FK || t->noelements) {
				pyeval_error(ev, off, "naming convention '%s' needs %%(referred_table_name)s, which "
					     "this %s has not: Alembic fails", conv,
					     t->kind == PYCONV_FK ? "foreign key of drop_constraint" : "constraint");
				goto out;
			}
			sb_addstr(&sb, t->reftable);
		} else if (!conv_column_token(ev, t, tok, conv, &sb, off)) {
			goto out;
		}
	}
	r = arena_strdup(pyeval_arena(ev), sb.buf ? sb.buf : "");
out:
	sb_release(&sb);
	return r;
}

/* The name SQLAlchemy gives a constraint or index on attaching it to its
 * table (naming._constraint_name_for_table), then renders
 * (_truncate_and_render_maxlen_name): a name made by the convention or
 * marked by op.f() and longer than 63 characters is shortened with an md5
 * suffix; any other such name is refused, as SQLAlchemy refuses it
 * (PostgreSQL would silently cut it). `given` NULL: unnamed; *out NULL:
 * still unnamed. False after an error. */
static bool conv_name(struct pyeval *ev, const struct convtarget *t, const char *given, bool given_conv,
		      size_t off, const char **out)
{
	*out = given;
	const char *conv = t && !given_conv ? conv_of(ev, t->kind) : NULL;
	if (conv && (!given || strstr(conv, "constraint_name"))) {
		const char *n = conv_format(ev, conv, t, given, off);
		if (!n)
			return false;
		*out = convention_name(ev, n);
		return true;
	}
	if (!given || name_chars(given, 0, NULL) <= 63)
		return true;
	if (given_conv) {
		*out = convention_name(ev, given);
		return true;
	}
	pyeval_error(ev, off, "name '%s' is longer than PostgreSQL's 63 bytes: SQLAlchemy refuses it", given);
	diag_hint("shorten it, or wrap it in op.f() to have SQLAlchemy shorten it with a hash");
	return false;
}

/* The name argument of an op or a constraint object, through conv_name(). */
static const char *ddl_name(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool required,
			    size_t off, const char *what, const struct convtarget *t)
{
	const char *name = str_arg(ev, call, pos, kw, required, off, what);
	struct pyval *v = arg(call, pos, kw);
	const char *r;
	if (pyeval_failed(ev))
		return NULL;
	if (!conv_name(ev, t, name, name && (v->flag & PVF_CONV), v && v->k != PV_NONE ? v->off : off, &r))
		return NULL;
	return r;
}

static const char *constraint_name(struct pyeval *ev, const struct pyval *o, const struct convtarget *t)
{
	return ddl_name(ev, o, -1, "name", false, o->off, o->s, t);
}

/* One table-level constraint object as it appears inside CREATE TABLE. */
/* A foreign key target 'table.col' / 'schema.table.col': the table's name
 * and schema, unquoted (fk.target_fullname as ConventionDict splits it). */
static void target_parts(struct pyeval *ev, const char *spec, const char **schema, const char **table,
			 const char **col)
{
	struct arena *a = pyeval_arena(ev);
	const char *dot = strrchr(spec, '.');
	const char *t = dot ? arena_strndup(a, spec, (size_t)(dot - spec)) : spec;
	const char *d2 = strrchr(t, '.');
	*col = dot ? dot + 1 : spec;
	*table = d2 ? d2 + 1 : t;
	*schema = d2 ? arena_strndup(a, t, (size_t)(d2 - t)) : NULL;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* A foreign key's convention target on table `tab` (whose columns so far
 * are tab->cols): SQLAlchemy names it on attaching it, when only a key to
 * its own table (already holding the column) resolves; Alembic adds the
 * other tables it refers to afterwards. */
static void fk_target(struct pyeval *ev, struct convtarget *t, const struct convtarget *tab, const char **cols,
		      size_t n, const char *const *specs)
{
	struct arena *a = pyeval_arena(ev);
	*t = (struct convtarget){ .kind = PYCONV_FK, .table = tab->table, .schema = tab->schema, .cols = cols, .n = n };
	const char **refcols = arena_alloc(a, (n + 1) * sizeof *refcols);
	bool resolved = true;
	for (size_t i = 0; i < n; i++) {
		const char *sch, *tbl;
		target_parts(ev, specs[i], &sch, &tbl, &refcols[i]);
		if (i == 0)
			t->reftable = tbl;
		bool found = false;
		for (size_t k = 0; k < tab->n; k++)
			if (!strcmp(tab->cols[k], refcols[i]))
				found = true;
		if (!found || strcmp(tbl, tab->table) || !same_str(sch, tab->schema))
			resolved = false;
	}
	t->refcols = resolved ? refcols : NULL;
}

/* One table-level constraint object as it appears inside CREATE TABLE (or
 * after a column of add_column); `tab` is its table and columns, for the
 * naming convention. */
static const char *table_constraint(struct pyeval *ev, const struct pyval *o, const struct convtarget *tab)
{
	struct arena *a = pyeval_arena(ev);
	struct convtarget t = { .table = tab->table, .schema = tab->schema };
	const char *name;
	if (pv_is_obj(o, "sa.UniqueConstraint") || pv_is_obj(o, "sa.PrimaryKeyConstraint")) {
		struct pyval list = { .k = PV_LIST, .v = o->v, .n = o->n, .off = o->off };
		size_t n;
		const char **cols = names_arg(ev, &list, &n, o->s);
		if (!cols && o->n)
			return NULL;
		t.kind = o->s[3] == 'U' ? PYCONV_UQ : PYCONV_PK;
		t.cols = cols;
		t.n = n;
		if (!(name = constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return arena_printf(a, "%s%s (%s)%s", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				    o->s[3] == 'U' ? "UNIQUE" : "PRIMARY KEY", join_quoted(ev, cols, n), deferrable_sql(ev, o));
	}
	if (pv_is_obj(o, "sa.CheckConstraint")) {
		struct pyval *e = arg(o, 0, "sqltext");
		const char *sql = e ? pyops_sql(ev, e, o->off) : NULL;
		if (!sql)
			return NULL;
		/* A check's columns come from its expression: none for text. */
		t.kind = PYCONV_CK;
		if (e->k != PV_STR && !pv_is_obj(e, "sa.text") && conv_of(ev, PYCONV_CK) &&
		    strstr(conv_of(ev, PYCONV_CK), "column_")) {
			pyeval_error(ev, e->off, "a naming convention's column tokens on a check of an SQL "
				     "expression are not supported");
			diag_hint("name the constraint, or write its condition as a string");
			return NULL;
		}
		if (!(name = constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return arena_printf(a, "%sCHECK (%s)%s", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				    sql, deferrable_sql(ev, o));
	}
	if (pv_is_obj(o, "sa.ForeignKeyConstraint")) {
		struct fk f = { .obj = (struct pyval *)o };
		f.cols = names_arg(ev, arg(o, 0, "columns"), &f.n, "ForeignKeyConstraint columns");
		struct pyval *refs = arg(o, 1, "refcolumns");
		if (!f.cols || !refs || (refs->k != PV_LIST && refs->k != PV_TUPLE) || refs->n != f.n) {
			pyeval_error(ev, o->off, "ForeignKeyConstraint needs as many 'table.column' targets as columns");
			return NULL;
		}
		f.refcols = arena_alloc(a, (f.n + 1) * sizeof *f.refcols);
		const char **specs = arena_alloc(a, (f.n + 1) * sizeof *specs);
		for (size_t i = 0; i < f.n; i++) {
			if (refs->v[i]->k != PV_STR) {
				pyeval_error(ev, refs->v[i]->off, "foreign key target must be a string 'table.column'");
				return NULL;
			}
			if (!split_target(ev, refs->v[i]->s, &f.reftable, &f.refcols[i], refs->v[i]->off))
				return NULL;
			specs[i] = refs->v[i]->s;
		}
		fk_target(ev, &t, tab, f.cols, f.n, specs);
		if (!(f.name = constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return fk_clause(ev, &f);
	}
	pyeval_error(ev, o->off, "'%s' in create_table is not supported", pyeval_describe(ev, o));
	return NULL;
}

/* ---- enums ---------------------------------------------------------------------- */

static void emit_create_enum(struct pyeval *ev, const struct enuminfo *e, size_t off)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE TYPE %s AS ENUM (", e->name);
	for (size_t i = 0; i < e->n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", quote_lit(ev, e->values[i], strlen(e->values[i])));
	sb_addch(&sb, ')');
	pyeval_emit(ev, off, sb.buf);
	sb_release(&sb);
}

void pyops_enum(struct pyeval *ev, const struct pyval *type, bool create, bool checkfirst, size_t off)
{
	struct enuminfo e;
	if (!enum_values(ev, type, &e, off))
		return;
	if (create && !checkfirst) {
		emit_create_enum(ev, &e, off);
	} else if (create) {
		/* checkfirst: Alembic asks the database first; one statement does both. */
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "DO $retort$ BEGIN IF to_regtype(%s) IS NULL THEN CREATE TYPE %s AS ENUM (",
			quote_lit(ev, e.name, strlen(e.name)), e.name);
		for (size_t i = 0; i < e.n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", quote_lit(ev, e.values[i], strlen(e.values[i])));
		sb_addstr(&sb, "); END IF; END $retort$");
		pyeval_emit(ev, off, sb.buf);
		sb_release(&sb);
	} else {
		pyeval_emit(ev, off, arena_printf(pyeval_arena(ev), "DROP TYPE %s%s",
						  checkfirst ? "IF EXISTS " : "", e.name));
	}
}

/* ---- operations ------------------------------------------------------------------- */

static void emit(struct pyeval *ev, size_t off, const char *sql)
{
	if (sql)
		pyeval_emit(ev, off, sql);
}

/* The table part of a column's label, which the default naming convention
 * ix_%(column_0_label)s uses: "schema_table" when the table has a schema
 * (dots of the schema become '_'), else "table". */
static const char *label_prefix(struct pyeval *ev, const char *schema, const char *table)
{
	if (!schema)
		return table;
	char *s = arena_printf(pyeval_arena(ev), "%s_%s", schema, table);
	for (char *p = s; *p && p < s + strlen(schema); p++)
		if (*p == '.')
			*p = '_';
	return s;
}

/* Python's len() of a UTF-8 name: SQLAlchemy counts characters. */
static size_t name_chars(const char *s, size_t upto, size_t *cut)
{
	size_t n = 0;
	for (const char *p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80) {
			if (n == upto && cut)
				*cut = (size_t)(p - s);
			n++;
		}
	return n;
}

/* _truncate_and_render_maxlen_name for a conv() name: name[:55] + "_" +
 * the last 4 hex digits of its md5. */
static const char *convention_name(struct pyeval *ev, const char *name)
{
	size_t cut = 0;
	if (name_chars(name, 55, &cut) <= 63)
		return name;
	unsigned char md[16];
	unsigned n = 16;
	EVP_Digest(name, strlen(name), md, &n, EVP_md5(), NULL);
	return arena_printf(pyeval_arena(ev), "%.*s_%02x%02x", (int)cut, name, md[14], md[15]);
}

/* The name of an index made without one (Column(index=True),
 * create_index(None, ...)): the ix convention's; without one SQLAlchemy
 * cannot write CREATE INDEX. NULL after an error. */
static const char *unnamed_index(struct pyeval *ev, const char *table, const char *schema, const char **cols,
				 const char **keys, size_t n, size_t off)
{
	struct convtarget t = { .kind = PYCONV_IX, .table = table, .schema = schema, .cols = cols, .keys = keys,
				.n = n };
	const char *name;
	if (!conv_name(ev, &t, NULL, false, off, &name))
		return NULL;
	if (!name) {
		pyeval_error(ev, off, "an index without a name, and the naming convention of %s has no 'ix': "
			     "Alembic fails", pyeval_types(ev)->path);
		diag_hint("name the index, or add ix = ix_%%(column_0_label)s to [naming_convention]");
	}
	return name;
}

static void emit_comment_column(struct pyeval *ev, const char *table, const char *col, struct pyval *c, size_t off)
{
	const char *lit = c && c->k != PV_NONE ? pyops_literal(ev, c, off) : "NULL";
	if (lit)
		emit(ev, off, arena_printf(pyeval_arena(ev), "COMMENT ON COLUMN %s.%s IS %s", table,
					   pyops_quote(ev, col), lit));
}

/* A foreign key with use_alter: CREATE TABLE leaves it out (the compiler's
 * create_table_constraints on a dialect that supports ALTER), and Alembic's
 * create_table adds no ALTER for it: the revision adds it itself, if at all.
 * add_column writes a column's foreign keys as ALTERs whatever the flag. */
static bool fk_use_alter(struct pyeval *ev, const struct pyval *o)
{
	return (pv_is_obj(o, "sa.ForeignKey") || pv_is_obj(o, "sa.ForeignKeyConstraint")) &&
	       bool_arg(ev, o, -1, "use_alter", false);
}

static const char *const create_table_kwargs[] = { "schema", "comment", "info", "keep_existing",
	"extend_existing", "quote", "prefixes", "postgresql_partition_by", "postgresql_inherits",
	"postgresql_tablespace",
	"postgresql_ignore_search_path",  /* reflection only: no DDL */
	NULL };

static void op_create_index(struct pyeval *ev, const struct pyval *call, size_t off,
			    const char *btable, const char *bschema);

static size_t pkc_n(const struct pyval *pkc)
{
	return pkc ? pkc->n : 0;
}

static void op_create_table(struct pyeval *ev, const struct pyval *call, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	const char *tname = str_arg(ev, call, 0, "table_name", true, off, "create_table");
	const char *schema = str_arg(ev, call, -1, "schema", false, off, "create_table");
	if (!tname || pyeval_failed(ev) || !check_kwargs(ev, call, create_table_kwargs, "create_table"))
		return;
	if (arg(call, -1, "prefixes")) {
		pyeval_error(ev, arg(call, -1, "prefixes")->off, "create_table prefixes are not supported");
		return;
	}
	const char *table = qtable(ev, schema, tname);
	struct column *cols = arena_alloc(a, (call->n + 1) * sizeof *cols);
	const struct pyval **cons = arena_alloc(a, (call->n + 1) * sizeof *cons);
	const struct pyval **idx = arena_alloc(a, (call->n + 1) * sizeof *idx);
	size_t nc = 0, ncons = 0, nidx = 0;
	const struct pyval *pkc = NULL;

	for (size_t i = 1; i < call->n; i++) {
		const struct pyval *o = call->v[i];
		if (pv_is_obj(o, "sa.Column")) {
			if (!parse_column(ev, o, &cols[nc++]))
				return;
		} else if (pv_is_obj(o, "sa.PrimaryKeyConstraint")) {
			pkc = o;
		} else if (pv_is_obj(o, "sa.UniqueConstraint") || pv_is_obj(o, "sa.CheckConstraint") ||
			   pv_is_obj(o, "sa.ForeignKeyConstraint")) {
			cons[ncons++] = o;
		} else if (pv_is_obj(o, "sa.Index")) {
			idx[nidx++] = o;
		} else {
			pyeval_error(ev, o->off, "'%s' in create_table is not supported", pyeval_describe(ev, o));
			if (o->k == PV_OBJ && (o->flag & PVF_APP))
				diag_hint("%s", HINT);
			return;
		}
	}
	/* The primary key: an explicit constraint, else the flagged columns. */
	const char **pk = arena_alloc(a, (nc + pkc_n(pkc) + 1) * sizeof *pk);
	const char **pkkeys = arena_alloc(a, (nc + pkc_n(pkc) + 1) * sizeof *pkkeys);
	size_t npk = 0;
	if (pkc) {
		for (size_t i = 0; i < pkc->n; i++) {
			if (pkc->v[i]->k != PV_STR) {
				pyeval_error(ev, pkc->v[i]->off, "PrimaryKeyConstraint columns must be strings");
				return;
			}
			pkkeys[npk] = pkc->v[i]->s;
			pk[npk++] = pkc->v[i]->s;
			for (size_t k = 0; k < nc; k++)
				if (!strcmp(cols[k].name, pkc->v[i]->s)) {
					if (!arg(cols[k].obj, -1, "nullable"))
						cols[k].nullable = false;
					cols[k].pk = true;
				}
		}
	} else {
		for (size_t k = 0; k < nc; k++)
			if (cols[k].pk) {
				pkkeys[npk] = cols[k].key;
				pk[npk++] = cols[k].name;
			}
	}
	/* The autoincrement column. */
	struct column *autoinc = NULL;
	if (npk == 1) {
		for (size_t k = 0; k < nc; k++)
			if (!strcmp(cols[k].name, pk[0])) {
				struct pyval *ai = cols[k].autoinc;
				bool explicit_true = ai && ai->k == PV_BOOL && ai->i;
				bool off_ = ai && ai->k == PV_BOOL && !ai->i;
				/* A table-level ForeignKeyConstraint gives the column
				 * a foreign key too (Column.foreign_keys): no SERIAL. */
				for (size_t i = 0; i < ncons && !explicit_true && !cols[k].ignore_fk; i++) {
					struct pyval *fc = pv_is_obj(cons[i], "sa.ForeignKeyConstraint") ?
							   arg(cons[i], 0, "columns") : NULL;
					for (size_t j = 0; fc && (fc->k == PV_LIST || fc->k == PV_TUPLE) && j < fc->n; j++)
						if (fc->v[j]->k == PV_STR && !strcmp(fc->v[j]->s, cols[k].name))
							off_ = true;
				}
				if (!off_ && autoinc_ok(&cols[k], explicit_true))
					autoinc = &cols[k];
			}
	} else {
		for (size_t k = 0; k < nc; k++)
			if (cols[k].pk && cols[k].autoinc && cols[k].autoinc->k == PV_BOOL && cols[k].autoinc->i)
				autoinc = &cols[k];
	}
	/* Enum types first, once per name: Alembic's DDL runner keeps a memo
	 * of the types it made (ENUM._check_for_name_in_memos). */
	for (size_t k = 0; k < nc; k++)
		for (size_t e = 0; e < cols[k].ti.n_enums; e++) {
			struct enuminfo *en = cols[k].ti.enums[e];
			if (en->create && !pyeval_memo(ev, en->name))
				emit_create_enum(ev, en, off);
		}

	/* The table's columns, for the naming convention. */
	const char **colnames = arena_alloc(a, (nc + 1) * sizeof *colnames);
	const char **colkeys = arena_alloc(a, (nc + 1) * sizeof *colkeys);
	for (size_t k = 0; k < nc; k++)
		colnames[k] = cols[k].name, colkeys[k] = cols[k].key;
	struct convtarget tab = { .table = tname, .schema = schema, .cols = colnames, .n = nc };
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE TABLE %s (", table);
	bool first = true;
	for (size_t k = 0; k < nc; k++) {
		const char *spec = column_spec(ev, &cols[k], &cols[k] == autoinc);
		if (!spec)
			goto out;
		sb_addf(&sb, "%s\n\t%s", first ? "" : ",", spec);
		first = false;
		/* A column's own checks follow its spec (DDLCompiler.visit_create_column). */
		for (size_t i = 0; i < cols[k].n_checks; i++) {
			const char *c = table_constraint(ev, cols[k].checks[i], &tab);
			if (!c)
				goto out;
			sb_addf(&sb, " %s", c);
		}
	}
	if (npk) {
		struct convtarget t = { .kind = PYCONV_PK, .table = tname, .schema = schema, .cols = pk, .keys = pkkeys,
					.n = npk };
		const char *name = NULL;
		if (pkc) {
			if (!(name = constraint_name(ev, pkc, &t)) && pyeval_failed(ev))
				goto out;
		} else if (!conv_name(ev, &t, NULL, false, off, &name)) {
			goto out;
		}
		sb_addf(&sb, ",\n\t%sPRIMARY KEY (%s)",
			name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
			join_quoted(ev, pk, npk));
	}
	/* Explicit constraints in creation order, then those the columns make
	 * while the table is built (per column: unique, then foreign keys). */
	for (size_t i = 0; i < ncons; i++) {
		if (fk_use_alter(ev, cons[i]))
			continue;
		const char *c = table_constraint(ev, cons[i], &tab);
		if (!c)
			goto out;
		sb_addf(&sb, ",\n\t%s", c);
	}
	for (size_t k = 0; k < nc; k++) {
		if (cols[k].unique && !cols[k].index) {
			struct convtarget t = { .kind = PYCONV_UQ, .table = tname, .schema = schema,
						.cols = &colnames[k], .keys = &colkeys[k], .n = 1 };
			const char *name;
			if (!conv_name(ev, &t, NULL, false, cols[k].obj->off, &name))
				goto out;
			sb_addf(&sb, ",\n\t%sUNIQUE (%s)", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				pyops_quote(ev, cols[k].name));
		}
		for (size_t i = 0; i < cols[k].n_fks; i++) {
			struct pyval *fo = cols[k].fkobjs[i];
			struct pyval *target = arg(fo, 0, "column");
			if (fk_use_alter(ev, fo))
				continue;
			struct fk f = { .obj = fo, .n = 1 };
			f.cols = arena_alloc(a, sizeof *f.cols);
			f.refcols = arena_alloc(a, sizeof *f.refcols);
			f.cols[0] = cols[k].name;
			if (!target || target->k != PV_STR) {
				pyeval_error(ev, fo->off, "sa.ForeignKey needs a 'table.column' string");
				goto out;
			}
			if (!split_target(ev, target->s, &f.reftable, &f.refcols[0], fo->off))
				goto out;
			/* Named as the column joins the table: its own and earlier columns resolve. */
			struct convtarget upto = tab, t;
			upto.n = k + 1;
			fk_target(ev, &t, &upto, f.cols, 1, &target->s);
			t.keys = &colkeys[k];
			if (!(f.name = constraint_name(ev, fo, &t)) && pyeval_failed(ev))
				goto out;
			sb_addf(&sb, ",\n\t%s", fk_clause(ev, &f));
		}
	}
	sb_addstr(&sb, "\n)");
	/* PGDDLCompiler.post_create_table, in its order. */
	struct pyval *inh = arg(call, -1, "postgresql_inherits");
	if (inh && inh->k != PV_NONE) {
		size_t n;
		const char **names = names_arg(ev, inh, &n, "postgresql_inherits");
		if (!names)
			goto out;
		sb_addf(&sb, "\n INHERITS ( %s )", join_quoted(ev, names, n));
	}
	const char *part = str_arg(ev, call, -1, "postgresql_partition_by", false, off, "create_table");
	if (part)
		sb_addf(&sb, "\n PARTITION BY %s", part);
	const char *tsp = str_arg(ev, call, -1, "postgresql_tablespace", false, off, "create_table");
	if (tsp)
		sb_addf(&sb, "\n TABLESPACE %s", pyops_quote(ev, tsp));
	if (pyeval_failed(ev))
		goto out;
	emit(ev, off, sb.buf);
	for (size_t k = 0; k < nc; k++)
		if (cols[k].index) {
			const char *iname = unnamed_index(ev, tname, schema, &colnames[k], &colkeys[k], 1, cols[k].obj->off);
			if (!iname)
				goto out;
			emit(ev, off, arena_printf(a, "CREATE %sINDEX %s ON %s (%s)", cols[k].unique ? "UNIQUE " : "",
						   pyops_quote(ev, iname), table, pyops_quote(ev, cols[k].name)));
		}
	/* sa.Index(name, *columns, **kw) of the table: Alembic's create_table
	 * creates table.indexes after the table, as op.create_index would. */
	for (size_t i = 0; i < nidx && !pyeval_failed(ev); i++) {
		const struct pyval *ix = idx[i];
		struct pyval **args = arena_alloc(a, 3 * sizeof *args);
		struct pyval *cl = arena_alloc(a, sizeof *cl);
		struct pyval *tn = arena_alloc(a, sizeof *tn);
		struct pyval *ixo = arena_alloc(a, sizeof *ixo);
		if (!ix->n) {
			pyeval_error(ev, ix->off, "sa.Index needs a name and columns");
			goto out;
		}
		for (size_t c = 1; ix->v[0]->k == PV_NONE && c < ix->n; c++)
			if (ix->v[c]->k != PV_STR) {
				/* Index.columns holds no expression: not as create_index names it. */
				pyeval_error(ev, ix->v[c]->off, "an unnamed sa.Index on an expression is not supported");
				diag_hint("name the index");
				goto out;
			}
		cl->k = PV_LIST;
		cl->v = ix->v + 1;
		cl->n = ix->n - 1;
		cl->off = ix->off;
		tn->k = PV_STR;
		tn->s = tname;
		tn->len = strlen(tname);
		args[0] = ix->v[0];
		args[1] = tn;
		args[2] = cl;
		*ixo = *ix;
		ixo->v = args;
		ixo->n = 3;
		if (schema) {
			struct pyval *sv = arena_alloc(a, sizeof *sv);
			sv->k = PV_STR;
			sv->s = schema;
			sv->len = strlen(schema);
			ixo->kw = arena_alloc(a, (ix->nw + 1) * sizeof *ixo->kw);
			ixo->w = arena_alloc(a, (ix->nw + 1) * sizeof *ixo->w);
			if (ix->nw) {  /* NULL arrays when empty: no memcpy (UBSan) */
				memcpy(ixo->kw, ix->kw, ix->nw * sizeof *ixo->kw);
				memcpy(ixo->w, ix->w, ix->nw * sizeof *ixo->w);
			}
			ixo->kw[ix->nw] = "schema";
			ixo->w[ix->nw] = sv;
			ixo->nw = ix->nw + 1;
		}
		op_create_index(ev, ixo, ix->off, NULL, NULL);
	}
	if (pyeval_failed(ev))
		goto out;
	struct pyval *tc = arg(call, -1, "comment");
	if (tc && tc->k != PV_NONE) {
		const char *lit = pyops_literal(ev, tc, off);
		if (lit)
			emit(ev, off, arena_printf(a, "COMMENT ON TABLE %s IS %s", table, lit));
	}
	for (size_t k = 0; k < nc; k++)
		if (cols[k].comment)
			emit_comment_column(ev, table, cols[k].name, cols[k].comment, off);
out:
	sb_release(&sb);
}

static void op_add_column(struct pyeval *ev, const struct pyval *call, size_t off,
			  const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;
	const char *tname = btable ? btable : str_arg(ev, call, 0, "table_name", true, off, "add_column");
	struct pyval *co = arg(call, p + 1, "column");
	const char *schema = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "add_column");
	struct column c;
	static const char *const known[] = { "table_name", "column", "schema", "insert_before", "insert_after", NULL };
	if (!tname || !co || pyeval_failed(ev) || !check_kwargs(ev, call, known, "add_column"))
		return;
	if (!parse_column(ev, co, &c))
		return;
	const char *table = qtable(ev, schema, tname);
	bool autoinc = c.pk && autoinc_ok(&c, c.autoinc && c.autoinc->k == PV_BOOL && c.autoinc->i) &&
		       !(c.autoinc && c.autoinc->k == PV_BOOL && !c.autoinc->i);
	const char *spec = column_spec(ev, &c, autoinc);
	if (!spec)
		return;
	/* Constraints given to the Column itself follow its spec, as
	 * alembic.ddl.base.add_column writes them. */
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "ALTER TABLE %s ADD COLUMN %s", table, spec);
	/* The operation's table holds this column alone. */
	struct convtarget tab = { .table = tname, .schema = schema, .cols = &c.name, .keys = &c.key, .n = 1 };
	for (size_t i = 0; i < c.n_checks; i++) {
		const char *k = table_constraint(ev, c.checks[i], &tab);
		if (!k) {
			sb_release(&sb);
			return;
		}
		sb_addf(&sb, " %s", k);
	}
	emit(ev, off, sb.buf);
	sb_release(&sb);
	if (c.unique && !c.index) {
		struct convtarget t = tab;
		const char *name;
		t.kind = PYCONV_UQ;
		if (!conv_name(ev, &t, NULL, false, co->off, &name))
			return;
		emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %sUNIQUE (%s)", table,
					   name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
					   pyops_quote(ev, c.name)));
	}
	for (size_t i = 0; i < c.n_fks; i++) {
		struct pyval *target = arg(c.fkobjs[i], 0, "column");
		struct fk f = { .obj = c.fkobjs[i], .n = 1 };
		f.cols = &c.name;
		f.refcols = arena_alloc(a, sizeof *f.refcols);
		if (!target || target->k != PV_STR ||
		    !split_target(ev, target->s, &f.reftable, &f.refcols[0], c.fkobjs[i]->off))
			return;
		struct convtarget t;
		fk_target(ev, &t, &tab, f.cols, 1, &target->s);
		t.keys = &c.key;
		if (!(f.name = constraint_name(ev, c.fkobjs[i], &t)) && pyeval_failed(ev))
			return;
		emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s", table, fk_clause(ev, &f)));
	}
	if (c.index) {
		const char *iname = unnamed_index(ev, tname, schema, &c.name, &c.key, 1, co->off);
		if (!iname)
			return;
		emit(ev, off, arena_printf(a, "CREATE %sINDEX %s ON %s (%s)", c.unique ? "UNIQUE " : "",
					   pyops_quote(ev, iname), table, pyops_quote(ev, c.name)));
	}
	if (c.comment)
		emit_comment_column(ev, table, c.name, c.comment, off);
}

static void op_alter_column(struct pyeval *ev, const struct pyval *call, size_t off,
			    const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;
	static const char *const known[] = {
		"table_name", "column_name", "nullable", "comment", "server_default", "new_column_name",
		"type_", "existing_type", "existing_server_default", "existing_nullable",
		"existing_comment", "schema", "postgresql_using", "autoincrement",
		"existing_autoincrement", "insert_before", "insert_after",
		"default",  /* Alembic's alter_column ignores it (a Python-side default) */
		NULL,
	};
	const char *tname = btable ? btable : str_arg(ev, call, 0, "table_name", true, off, "alter_column");
	const char *col = str_arg(ev, call, p + 1, "column_name", true, off, "alter_column");
	const char *schema = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "alter_column");
	if (!tname || !col || pyeval_failed(ev) || !check_kwargs(ev, call, known, "alter_column"))
		return;
	const char *table = qtable(ev, schema, tname);
	const char *qcol = pyops_quote(ev, col);
	struct pyval *type = arg(call, -1, "type_");
	struct pyval *using = arg(call, -1, "postgresql_using");
	if (type && type->k != PV_NONE) {
		struct typeinfo ti = { 0 };
		if (!type_sql(ev, type, &ti, off))
			return;
		const char *u = NULL;
		if (using && using->k != PV_NONE && !(u = pyops_sql(ev, using, off)))
			return;
		emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s", table, qcol, ti.sql,
					   u ? " USING " : "", u ? u : ""));
	} else if (using && using->k != PV_NONE) {
		pyeval_error(ev, using->off, "postgresql_using must be used with the type_ parameter");
		return;
	}
	struct pyval *nl = arg(call, -1, "nullable");
	if (nl && nl->k != PV_NONE)
		emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s %s", table, qcol,
					   pyeval_truth(ev, nl, "nullable") ? "DROP NOT NULL" : "SET NOT NULL"));
	struct pyval *sd = arg(call, -1, "server_default");
	if (sd && !(sd->k == PV_BOOL && !sd->i)) {
		if (pv_is_obj(sd, "sa.Identity") || pv_is_obj(sd, "sa.Computed")) {
			pyeval_error(ev, sd->off, "altering a column to '%s' is not supported", sd->s);
			return;
		}
		if (sd->k == PV_NONE) {
			emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", table, qcol));
		} else {
			const char *d = server_default_sql(ev, sd);
			if (!d)
				return;
			emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", table, qcol, d));
		}
	}
	struct pyval *cm = arg(call, -1, "comment");
	if (cm && !(cm->k == PV_BOOL && !cm->i))
		emit_comment_column(ev, table, col, cm, off);
	const char *nn = str_arg(ev, call, -1, "new_column_name", false, off, "alter_column");
	if (nn)
		emit(ev, off, arena_printf(a, "ALTER TABLE %s RENAME %s TO %s", table, qcol, pyops_quote(ev, nn)));
}

static const char *index_expr(struct pyeval *ev, struct pyval *x, size_t off)
{
	if (x->k == PV_STR)
		return pyops_quote(ev, x->s);
	return pyops_sql(ev, x, off);
}

static void op_create_index(struct pyeval *ev, const struct pyval *call, size_t off,
			    const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	static const char *const known[] = {
		"index_name", "table_name", "columns", "schema", "unique", "postgresql_where",
		"postgresql_using", "postgresql_concurrently", "postgresql_include", "postgresql_ops",
		"postgresql_with", "if_not_exists", "quote", "info", NULL,
	};
	const char *tname = btable ? btable : str_arg(ev, call, 1, "table_name", true, off, "create_index");
	struct pyval *cols = arg(call, btable ? 1 : 2, "columns");
	const char *schema = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "create_index");
	if (!tname || pyeval_failed(ev) || !check_kwargs(ev, call, known, "create_index"))
		return;
	if (!cols || (cols->k != PV_LIST && cols->k != PV_TUPLE && cols->k != PV_STR)) {
		pyeval_error(ev, cols ? cols->off : off, "create_index needs a list of columns");
		return;
	}
	struct pyval one = { .k = PV_LIST, .v = &cols, .n = 1 };
	if (cols->k == PV_STR)
		cols = &one;
	/* The index's columns as the convention sees them: Alembic makes a
	 * column of each name and of each text() (_textual_index_column). */
	struct convtarget t = { .kind = PYCONV_IX, .table = tname, .schema = schema, .n = 0 };
	t.cols = arena_alloc(a, (cols->n + 1) * sizeof *t.cols);
	for (size_t i = 0; i < cols->n; i++) {
		struct pyval *x = cols->v[i];
		if (x->k == PV_STR)
			t.cols[t.n++] = x->s;
		else if (pv_is_obj(x, "sa.text") && arg(x, 0, "text") && arg(x, 0, "text")->k == PV_STR)
			t.cols[t.n++] = arg(x, 0, "text")->s;
	}
	struct pyval *nv = arg(call, 0, "index_name");
	if ((!nv || nv->k == PV_NONE) && !conv_declared(ev)) {
		pyeval_error(ev, off, "create_index with no index name (None) takes its name from the naming "
			     "convention of env.py's target_metadata, and retort.ini declares none");
		diag_hint("declare it in a [naming_convention] section of retort.ini (ix = ix_%%(column_0_label)s "
			  "is SQLAlchemy's default), or write the name: op.f('ix_%s_<column>')", tname);
		return;
	}
	const char *name = ddl_name(ev, call, 0, "index_name", false, off, "create_index", &t);
	if (pyeval_failed(ev))
		return;
	if (!name) {
		pyeval_error(ev, off, "an index without a name, and the naming convention of %s has no 'ix': "
			     "Alembic fails", pyeval_types(ev)->path);
		diag_hint("name the index, or add ix = ix_%%(column_0_label)s to [naming_convention]");
		return;
	}
	struct pyval *ops = arg(call, -1, "postgresql_ops");
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE %sINDEX %s%s ON %s ", bool_arg(ev, call, -1, "unique", false) ? "UNIQUE " : "",
		bool_arg(ev, call, -1, "postgresql_concurrently", false) ? "CONCURRENTLY " : "",
		pyops_quote(ev, name), qtable(ev, schema, tname));
	const char *using = str_arg(ev, call, -1, "postgresql_using", false, off, "create_index");
	if (using)
		sb_addf(&sb, "USING %s ", using);
	sb_addch(&sb, '(');
	for (size_t i = 0; i < cols->n; i++) {
		const char *e = index_expr(ev, cols->v[i], off);
		if (!e)
			goto out;
		sb_addf(&sb, "%s%s", i ? ", " : "", e);
		/* postgresql_ops is keyed by column name; Alembic gives an
		 * sa.text() expression its text as key (_textual_index_element). */
		const char *key = cols->v[i]->k == PV_STR ? cols->v[i]->s : NULL;
		if (pv_is_obj(cols->v[i], "sa.text") && arg(cols->v[i], 0, "text") &&
		    arg(cols->v[i], 0, "text")->k == PV_STR)
			key = arg(cols->v[i], 0, "text")->s;
		if (ops && ops->k == PV_DICT && key)
			for (size_t k = 0; k < ops->n; k++)
				if (ops->v[k]->k == PV_STR && !strcmp(ops->v[k]->s, key) && ops->w[k]->k == PV_STR)
					sb_addf(&sb, " %s", ops->w[k]->s);
	}
	sb_addch(&sb, ')');
	struct pyval *inc = arg(call, -1, "postgresql_include");
	if (inc) {
		size_t n;
		const char **names = names_arg(ev, inc, &n, "postgresql_include");
		if (!names)
			goto out;
		sb_addf(&sb, " INCLUDE (%s)", join_quoted(ev, names, n));
	}
	struct pyval *with = arg(call, -1, "postgresql_with");
	if (with && with->k == PV_DICT && with->n) {
		sb_addstr(&sb, " WITH (");
		for (size_t k = 0; k < with->n; k++) {
			size_t l1;
			(void)l1;
			sb_addf(&sb, "%s%s = %s", k ? ", " : "", pyeval_describe(ev, with->v[k]),
				pyeval_describe(ev, with->w[k]));
		}
		sb_addch(&sb, ')');
	}
	struct pyval *where = arg(call, -1, "postgresql_where");
	if (where && where->k != PV_NONE) {
		const char *w = pyops_sql(ev, where, off);
		if (!w)
			goto out;
		sb_addf(&sb, " WHERE %s", w);
	}
	emit(ev, off, sb.buf);
	(void)a;
out:
	sb_release(&sb);
}

static void op_drop_index(struct pyeval *ev, const struct pyval *call, size_t off,
			  const char *btable, const char *bschema)
{
	/* The index's other options (Alembic passes them to sa.Index) do not
	 * change DROP INDEX. */
	static const char *const known[] = { "index_name", "table_name", "schema",
		"postgresql_concurrently", "if_exists", "unique", "postgresql_using", "postgresql_where",
		"postgresql_ops", "postgresql_include", "postgresql_with", "quote", "info", NULL };
	const char *schema = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "drop_index");
	const char *tname = btable ? btable : str_arg(ev, call, 1, "table_name", false, off, "drop_index");
	/* DropIndexOp.to_index: an Index on column "x" of the table ("no_table"
	 * without one), which an ix convention with %(constraint_name)s renames. */
	static const char *const x[] = { "x" };
	struct convtarget t = { .kind = PYCONV_IX, .table = tname ? tname : "no_table", .schema = schema,
				.cols = (const char **)x, .n = 1 };
	const char *name = ddl_name(ev, call, 0, "index_name", true, off, "drop_index", &t);
	if (!name || pyeval_failed(ev) || !check_kwargs(ev, call, known, "drop_index"))
		return;
	emit(ev, off, arena_printf(pyeval_arena(ev), "DROP INDEX %s%s",
				   bool_arg(ev, call, -1, "postgresql_concurrently", false) ? "CONCURRENTLY " : "",
				   qtable(ev, schema, name)));
}

static void op_create_fk(struct pyeval *ev, const struct pyval *call, size_t off,
			 const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	static const char *const known[] = {
		"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols",
		"onupdate", "ondelete", "deferrable", "initially", "match", "source_schema",
		"referent_schema", "postgresql_not_valid", "use_alter", NULL,  /* use_alter: ALTER anyway */
	};
	int p = btable ? -1 : 0;
	const char *src = btable ? btable : str_arg(ev, call, 1, "source_table", true, off, "create_foreign_key");
	const char *ref = str_arg(ev, call, p + 2, "referent_table", true, off, "create_foreign_key");
	struct fk f = { .obj = (struct pyval *)call };
	size_t n2 = 0;
	f.cols = names_arg(ev, arg(call, p + 3, "local_cols"), &f.n, "local_cols");
	f.refcols = names_arg(ev, arg(call, p + 4, "remote_cols"), &n2, "remote_cols");
	if (!src || !ref || !f.cols || !f.refcols || pyeval_failed(ev) ||
	    !check_kwargs(ev, call, known, "create_foreign_key"))
		return;
	if (n2 != f.n) {
		pyeval_error(ev, off, "create_foreign_key needs as many remote_cols as local_cols");
		return;
	}
	const char *sschema = btable ? bschema : str_arg(ev, call, -1, "source_schema", false, off, "create_foreign_key");
	const char *rschema = str_arg(ev, call, -1, "referent_schema", false, off, "create_foreign_key");
	f.reftable = qtable(ev, rschema, ref);
	/* schemaobj.foreign_key_constraint makes the referent table first: all resolves. */
	struct convtarget t = { .kind = PYCONV_FK, .table = src, .schema = sschema, .cols = f.cols, .n = f.n,
				.reftable = ref, .refcols = f.refcols };
	f.name = ddl_name(ev, call, 0, "constraint_name", false, off, "create_foreign_key", &t);
	if (pyeval_failed(ev))
		return;
	const char *clause = fk_clause(ev, &f);
	emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s%s", qtable(ev, sschema, src), clause,
				   bool_arg(ev, call, -1, "postgresql_not_valid", false) ? " NOT VALID" : ""));
}

static void op_simple_constraint(struct pyeval *ev, const char *kind, const struct pyval *call, size_t off,
				 const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;
	static const char *const known[] = { "constraint_name", "table_name", "columns", "condition",
		"schema", "deferrable", "initially", "postgresql_not_valid", NULL };
	const char *tname = btable ? btable : str_arg(ev, call, 1, "table_name", true, off, kind);
	const char *schema = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, kind);
	if (!tname || pyeval_failed(ev) || !check_kwargs(ev, call, known, kind))
		return;
	struct convtarget t = { .table = tname, .schema = schema };
	const char *body;
	if (!strcmp(kind, "create_check_constraint")) {
		struct pyval *cond = arg(call, p + 2, "condition");
		const char *sql = cond ? pyops_sql(ev, cond, off) : NULL;
		if (!sql)
			return;
		body = arena_printf(a, "CHECK (%s)", sql);
		t.kind = PYCONV_CK;
		if (cond->k != PV_STR && !pv_is_obj(cond, "sa.text") && conv_of(ev, PYCONV_CK) &&
		    strstr(conv_of(ev, PYCONV_CK), "column_")) {
			pyeval_error(ev, cond->off, "a naming convention's column tokens on a check of an SQL "
				     "expression are not supported");
			diag_hint("name the constraint, or write its condition as a string");
			return;
		}
	} else {
		size_t n;
		const char **cols = names_arg(ev, arg(call, p + 2, "columns"), &n, kind);
		if (!cols)
			return;
		body = arena_printf(a, "%s (%s)", kind[7] == 'u' ? "UNIQUE" : "PRIMARY KEY", join_quoted(ev, cols, n));
		t.kind = kind[7] == 'u' ? PYCONV_UQ : PYCONV_PK;
		t.cols = cols;
		t.n = n;
	}
	const char *name = ddl_name(ev, call, 0, "constraint_name", false, off, kind, &t);
	if (pyeval_failed(ev))
		return;
	const char *prefix = name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "";
	emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s%s%s%s", qtable(ev, schema, tname), prefix, body,
				   deferrable_sql(ev, call),
				   bool_arg(ev, call, -1, "postgresql_not_valid", false) ? " NOT VALID" : ""));
}

static void op_bulk_insert(struct pyeval *ev, const struct pyval *call, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	struct pyval *t = arg(call, 0, "table");
	struct pyval *rows = arg(call, 1, "rows");
	if (!t || !pv_is_obj(t, "sa.table") || !arg(t, 0, "name") || arg(t, 0, "name")->k != PV_STR) {
		pyeval_error(ev, t ? t->off : off, "bulk_insert needs a table made by sa.table('name', sa.column(...), ...)");
		return;
	}
	if (!rows || (rows->k != PV_LIST && rows->k != PV_TUPLE)) {
		pyeval_error(ev, rows ? rows->off : off, "bulk_insert needs a literal list of rows");
		return;
	}
	const char *schema = str_arg(ev, t, -1, "schema", false, off, "sa.table");
	const char *table = qtable(ev, schema, arg(t, 0, "name")->s);
	for (size_t r = 0; r < rows->n; r++) {
		struct pyval *row = rows->v[r];
		if (row->k != PV_DICT) {
			pyeval_error(ev, row->off, "a bulk_insert row must be a literal dict");
			return;
		}
		struct strbuf cols = STRBUF_INIT, vals = STRBUF_INIT;
		bool firstc = true;
		/* In the table's column order, as SQLAlchemy compiles the INSERT. */
		for (size_t c = 1; c < t->n; c++) {
			struct pyval *co = t->v[c];
			if (!pv_is_obj(co, "sa.column") || !arg(co, 0, "text") || arg(co, 0, "text")->k != PV_STR) {
				pyeval_error(ev, co->off, "sa.table columns must be sa.column('name', type)");
				sb_release(&cols), sb_release(&vals);
				return;
			}
			const char *cn = arg(co, 0, "text")->s;
			for (size_t k = 0; k < row->n; k++) {
				if (row->v[k]->k != PV_STR || strcmp(row->v[k]->s, cn))
					continue;
				const char *lit = pyops_literal(ev, row->w[k], off);
				if (!lit) {
					sb_release(&cols), sb_release(&vals);
					return;
				}
				sb_addf(&cols, "%s%s", firstc ? "" : ", ", pyops_quote(ev, cn));
				sb_addf(&vals, "%s%s", firstc ? "" : ", ", lit);
				firstc = false;
			}
		}
		for (size_t k = 0; k < row->n; k++) {
			bool known = false;
			for (size_t c = 1; c < t->n; c++)
				if (row->v[k]->k == PV_STR && !strcmp(arg(t->v[c], 0, "text")->s, row->v[k]->s))
					known = true;
			if (!known) {
				pyeval_error(ev, row->v[k]->off, "bulk_insert row key '%s' is not a column of the table",
					     pyeval_describe(ev, row->v[k]));
				sb_release(&cols), sb_release(&vals);
				return;
			}
		}
		emit(ev, off, arena_printf(a, "INSERT INTO %s (%s) VALUES (%s)", table, cols.buf ? cols.buf : "",
					   vals.buf ? vals.buf : ""));
		sb_release(&cols), sb_release(&vals);
	}
}

static const char *const op_names[] = {
	"add_column", "alter_column", "bulk_insert", "create_check_constraint", "create_foreign_key",
	"create_index", "create_primary_key", "create_table", "create_table_comment",
	"create_unique_constraint", "drop_column", "drop_constraint", "drop_index", "drop_table",
	"drop_table_comment", "execute", "rename_table",
};

bool pyops_known(const char *name, bool batch)
{
	for (size_t i = 0; i < sizeof op_names / sizeof *op_names; i++)
		if (!strcmp(op_names[i], name))
			return !batch || (strcmp(name, "create_table") && strcmp(name, "drop_table") &&
					  strcmp(name, "bulk_insert") && strcmp(name, "rename_table") &&
					  strcmp(name, "execute"));
	return false;
}

void pyops_call(struct pyeval *ev, const char *name, const struct pyval *call, size_t off,
		const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;

	if (pyeval_failed(ev))
		return;
	if (!strcmp(name, "execute")) {
		struct pyval *x = arg(call, 0, "sqltext");
		if (!x) {
			pyeval_error(ev, off, "op.execute needs SQL");
			return;
		}
		if (arg(call, -1, "execution_options") || call->n > 1) {
			pyeval_error(ev, off, "op.execute with execution options is not supported");
			return;
		}
		/* Alembic runs a string as text(string): its ':name' are
		 * parameters and '\:' a colon, as for sa.text(). */
		const char *sql = x->k == PV_STR ? text_sql(ev, x, x->s) : pyops_sql(ev, x, off);
		if (sql)
			emit(ev, off, sql);
	} else if (!strcmp(name, "create_table")) {
		op_create_table(ev, call, off);
	} else if (!strcmp(name, "drop_table")) {
		const char *t = str_arg(ev, call, 0, "table_name", true, off, "drop_table");
		const char *s = str_arg(ev, call, -1, "schema", false, off, "drop_table");
		if (t && call->n > 1) {
			pyeval_error(ev, call->v[1]->off, "drop_table with columns is not supported");
			return;
		}
		if (t)
			emit(ev, off, arena_printf(a, "DROP TABLE %s", qtable(ev, s, t)));
	} else if (!strcmp(name, "rename_table")) {
		const char *o = str_arg(ev, call, 0, "old_table_name", true, off, "rename_table");
		const char *n = str_arg(ev, call, 1, "new_table_name", true, off, "rename_table");
		const char *s = str_arg(ev, call, -1, "schema", false, off, "rename_table");
		if (o && n)
			emit(ev, off, arena_printf(a, "ALTER TABLE %s RENAME TO %s", qtable(ev, s, o), pyops_quote(ev, n)));
	} else if (!strcmp(name, "add_column")) {
		op_add_column(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_column")) {
		const char *t = btable ? btable : str_arg(ev, call, 0, "table_name", true, off, "drop_column");
		const char *c = str_arg(ev, call, p + 1, "column_name", true, off, "drop_column");
		const char *s = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "drop_column");
		if (t && c)
			emit(ev, off, arena_printf(a, "ALTER TABLE %s DROP COLUMN %s", qtable(ev, s, t), pyops_quote(ev, c)));
	} else if (!strcmp(name, "alter_column")) {
		op_alter_column(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_index")) {
		op_create_index(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_index")) {
		op_drop_index(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_foreign_key")) {
		op_create_fk(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_unique_constraint") || !strcmp(name, "create_primary_key") ||
		   !strcmp(name, "create_check_constraint")) {
		op_simple_constraint(ev, name, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_constraint")) {
		struct pyval *cn = arg(call, 0, "constraint_name");
		if (cn && cn->k == PV_NONE) {
			/* SQLAlchemy cannot write DROP CONSTRAINT without a name:
			 * autogenerate leaves these in downgrades. */
			pyeval_alembic_fails(ev, off, "drop_constraint with no constraint name (None)");
			return;
		}
		const char *t = btable ? btable : str_arg(ev, call, 1, "table_name", true, off, "drop_constraint");
		const char *s = btable ? bschema : str_arg(ev, call, -1, "schema", false, off, "drop_constraint");
		const char *ty = str_arg(ev, call, p + 2, "type_", false, off, "drop_constraint");
		/* schemaobj.generic_constraint: a constraint of the type, without
		 * columns; type_=None makes a plain Constraint, no convention's. */
		struct convtarget ct = { .table = t, .schema = s, .noelements = true };
		bool typed = ty && (!strcmp(ty, "foreignkey") || !strcmp(ty, "primary") || !strcmp(ty, "unique") ||
				    !strcmp(ty, "check"));
		if (ty && !typed) {
			pyeval_error(ev, arg(call, p + 2, "type_")->off, "type_ '%s' of drop_constraint is not one of "
				     "'foreignkey', 'primary', 'unique', 'check' or None: Alembic fails", ty);
			return;
		}
		if (typed)
			ct.kind = ty[0] == 'f' ? PYCONV_FK : ty[0] == 'p' ? PYCONV_PK : ty[0] == 'u' ? PYCONV_UQ : PYCONV_CK;
		const char *c = t ? ddl_name(ev, call, 0, "constraint_name", true, off, "drop_constraint",
					     typed ? &ct : NULL) : NULL;
		if (c && t)
			emit(ev, off, arena_printf(a, "ALTER TABLE %s DROP CONSTRAINT %s", qtable(ev, s, t), pyops_quote(ev, c)));
	} else if (!strcmp(name, "create_table_comment") || !strcmp(name, "drop_table_comment")) {
		const char *t = str_arg(ev, call, 0, "table_name", true, off, name);
		const char *s = str_arg(ev, call, -1, "schema", false, off, name);
		struct pyval *cm = name[0] == 'c' ? arg(call, 1, "comment") : NULL;
		const char *lit = cm ? pyops_literal(ev, cm, off) : "NULL";
		if (t && lit)
			emit(ev, off, arena_printf(a, "COMMENT ON TABLE %s IS %s", qtable(ev, s, t), lit));
	} else if (!strcmp(name, "bulk_insert")) {
		op_bulk_insert(ev, call, off);
	} else {
		pyeval_error(ev, off, "operation '%s' is not supported by retort", name);
		diag_hint("%s", HINT);
	}
}
