/*
 * pyexec.c - op.execute() and op.bulk_insert(): text, Core statements, rows
 *
 * sa.text() with its bound parameters, table().insert()/update()/delete()
 * as SQLAlchemy compiles them with literal binds, and bulk_insert rows.
 */
#include "pyopsint.h"

#include <string.h>

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
		/* a string argument is a bound value, rendered as a literal */
		const char *x = v->v[i]->k == PV_STR ? pyquote_quote_lit(ev, v->v[i]->s, v->v[i]->len)
						     : pyops_sql(ev, v->v[i], off);
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
const char *pyexec_text_sql(struct pyeval *ev, const struct pyval *v, const char *t)
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
					diag_hint("%s", pyquote_HINT);
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

/* An SQL expression in DDL (a check, a partial index, a computed column, a
 * server default): SQLAlchemy writes its columns without their table
 * there (include_table=False), which retort's rendering of t.c.x cannot
 * undo: refused, with sa.column() as the way out. */
const char *pyexec_ddl_sql(struct pyeval *ev, const struct pyval *v, size_t off)
{
	if (v->k == PV_SQL && (v->sqk & SQK_QUALIFIED)) {
		pyeval_error(ev, v->off ? v->off : off, "a table's column (t.c.name) in DDL is not supported");
		diag_hint("write the column as sa.column('name'), or the expression as sa.text()");
		return NULL;
	}
	return pyops_sql(ev, v, off);
}

/* sa.schema.CreateSequence(sa.Sequence(...)) / DropSequence, as
 * SQLAlchemy 1.4 writes them (START WITH 1 when no start is given). */
static const char *sequence_ddl(struct pyeval *ev, const struct pyval *v, size_t off)
{
	static const char *const known[] = { "name", "start", "increment", "minvalue", "maxvalue",
		"nominvalue", "nomaxvalue", "cycle", "schema", "cache", "order", "metadata", "optional",
		"quote", "quote_schema", "for_update", NULL };
	static const char *const opts[][2] = {
		{ "increment", "INCREMENT BY %lld" }, { "start", "START WITH %lld" },
		{ "minvalue", "MINVALUE %lld" }, { "maxvalue", "MAXVALUE %lld" },
	};
	struct pyval *sq = v->v[0];
	bool create = v->s[3] == 'C';
	if (!pv_is_obj(sq, "sa.Sequence") || !pyarg_check_kwargs(ev, sq, known, "sa.Sequence"))
		goto bad;
	const char *name = pyarg_str_arg(ev, sq, 0, "name", true, off, "sa.Sequence");
	const char *schema = pyarg_str_arg(ev, sq, -1, "schema", false, off, "sa.Sequence");
	if (!name)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s SEQUENCE %s", create ? "CREATE" : "DROP", pyquote_qtable(ev, schema, name));
	for (size_t k = 0; create && k < sizeof opts / sizeof *opts; k++) {
		struct pyval *x = pyarg_arg(sq, k == 1 ? 1 : -1, opts[k][0]);
		if (k == 1 && (!x || x->k == PV_NONE)) {
			sb_addstr(&sb, " START WITH 1");
			continue;
		}
		if (!x || x->k == PV_NONE)
			continue;
		if (x->k != PV_INT) {
			sb_release(&sb);
			goto bad;
		}
		sb_addch(&sb, ' ');
		sb_addf(&sb, opts[k][1], x->i);
	}
	static const char *const flags[][2] = { { "nominvalue", "NO MINVALUE" }, { "nomaxvalue", "NO MAXVALUE" } };
	for (size_t k = 0; create && k < 2; k++)  /* written when given at all, as SQLAlchemy does */
		if (pyarg_arg(sq, -1, flags[k][0]) && pyarg_arg(sq, -1, flags[k][0])->k != PV_NONE)
			sb_addf(&sb, " %s", flags[k][1]);
	struct pyval *cache = pyarg_arg(sq, -1, "cache");
	if (create && cache && cache->k == PV_INT)
		sb_addf(&sb, " CACHE %lld", cache->i);
	else if (create && cache && cache->k != PV_NONE) {
		sb_release(&sb);
		goto bad;
	}
	struct pyval *cycle = pyarg_arg(sq, -1, "cycle");
	if (create && cycle && cycle->k != PV_NONE)
		sb_addstr(&sb, pyeval_truth(ev, cycle, "cycle") ? " CYCLE" : " NO CYCLE");
	if (pyarg_arg(sq, -1, "order") && pyarg_arg(sq, -1, "order")->k != PV_NONE) {
		sb_release(&sb);
		goto bad;  /* ORDER is not PostgreSQL */
	}
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
bad:
	if (!pyeval_failed(ev)) {
		pyeval_error(ev, v->off ? v->off : off, "'%s' is not SQL that retort can render at build time",
			     pyeval_describe(ev, v));
		diag_hint("%s", pyquote_HINT);
	}
	return NULL;
}

const char *pyops_sql(struct pyeval *ev, const struct pyval *v, size_t off)
{
	if (v->k == PV_STR)
		return v->s;
	if (v->k == PV_SQL)
		return v->s;
	if (pv_is_obj(v, "sa.text")) {
		struct pyval *t = pyarg_arg(v, 0, "text");
		if (!t || t->k != PV_STR) {
			pyeval_error(ev, v->off, "sa.text() needs a string known at build time");
			return NULL;
		}
		return pyexec_text_sql(ev, v, t->s);
	}
	if ((pv_is_obj(v, "sa.CreateSchema") || pv_is_obj(v, "sa.DropSchema")) && pyarg_arg(v, 0, "name") &&
	    pyarg_arg(v, 0, "name")->k == PV_STR && v->nw == 0 && v->n == 1)
		return arena_printf(pyeval_arena(ev), "%s SCHEMA %s", v->s[3] == 'C' ? "CREATE" : "DROP",
				    pyops_quote(ev, pyarg_arg(v, 0, "name")->s));
	if ((pv_is_obj(v, "sa.CreateSequence") || pv_is_obj(v, "sa.DropSequence")) && v->n == 1 && !v->nw)
		return sequence_ddl(ev, v, off);
	if (v->k == PV_OBJ && !strncmp(v->s, "func.", 5))
		return render_func(ev, v, off);
	if (pv_is_obj(v, "sa.null"))
		return "NULL";
	if (pv_is_obj(v, "sa.true"))
		return "true";
	if (pv_is_obj(v, "sa.false"))
		return "false";
	if (pv_is_obj(v, "sa.column"))
		return pyops_quote(ev, pyarg_arg(v, 0, "text")->s);
	if (pv_is_obj(v, "sa.Column") && v->n == 1 && !v->nw && v->v[0]->k == PV_STR)
		return pyops_quote(ev, v->v[0]->s);  /* a bare Column('x') in an expression */
	if (pv_is_obj(v, "sa.literal_column") && pyarg_arg(v, 0, "text") && pyarg_arg(v, 0, "text")->k == PV_STR)
		return pyarg_arg(v, 0, "text")->s;
	if (pv_is_obj(v, "sa.literal") && pyarg_arg(v, 0, "value") && v->nw == 0 && v->n == 1)
		return pyops_literal(ev, pyarg_arg(v, 0, "value"), off);
	if (v->k == PV_OBJ && !strncmp(v->s, "core.", 5))
		return core_stmt(ev, v, off);
	if (v->k == PV_INT || v->k == PV_FLOAT || v->k == PV_BOOL || v->k == PV_NONE)
		return pyops_literal(ev, v, off);
	pyeval_error(ev, v->off ? v->off : off, "'%s' is not SQL that retort can render at build time",
		     pyeval_describe(ev, v));
	diag_hint("%s", pyquote_HINT);
	return NULL;
}

/* .values() in the order of the table's columns, as SQLAlchemy writes the
 * SET and INSERT lists (crud._scan_cols); a key that is no column of the
 * table is an error, as in SQLAlchemy. NULL after an error. */
static struct pyval *table_order(struct pyeval *ev, const struct pyval *t, struct pyval *values)
{
	struct arena *a = pyeval_arena(ev);
	struct pyval *d = arena_alloc(a, sizeof *d);
	*d = *values;
	d->v = arena_alloc(a, (values->n + 1) * sizeof *d->v);
	d->w = arena_alloc(a, (values->n + 1) * sizeof *d->w);
	d->n = 0;
	bool *used = arena_alloc(a, (values->n + 1) * sizeof *used);
	for (size_t c = 1; c < t->n; c++) {
		struct pyval *cn = pv_is_obj(t->v[c], "sa.column") ? pyarg_arg(t->v[c], 0, "text") :
				   pv_is_obj(t->v[c], "sa.Column") ? pyarg_arg(t->v[c], 0, "name") : NULL;
		if (!cn || cn->k != PV_STR)
			continue;
		const char *q = pyops_quote(ev, cn->s);
		for (size_t i = 0; i < values->n; i++) {
			struct pyval *k = values->v[i];
			const char *kn = k->k == PV_STR ? pyops_quote(ev, k->s) : NULL;
			if (k->k == PV_SQL)
				kn = strrchr(k->s, '.') ? strrchr(k->s, '.') + 1 : k->s;
			if (!used[i] && kn && !strcmp(kn, q)) {
				used[i] = true;
				d->v[d->n] = k;
				d->w[d->n++] = values->w[i];
			}
		}
	}
	for (size_t i = 0; i < values->n; i++)
		if (!used[i]) {
			pyeval_error(ev, values->v[i]->off ? values->v[i]->off : values->off,
				     "'%s' in values() is not a column of the table", pyeval_describe(ev, values->v[i]));
			diag_hint("name it in the table's sa.column(...) list");
			return NULL;
		}
	return d;
}

/* UPDATE/INSERT/DELETE built with sa.table(...) and literal values. */
static const char *core_stmt(struct pyeval *ev, const struct pyval *v, size_t off)
{
	const struct pyval *t = v->self;
	const char *table = pyquote_qtable(ev, pyarg_str_arg(ev, t, -1, "schema", false, off, "sa.table"),
					   pyarg_arg(t, 0, "name")->s);
	struct strbuf sb = STRBUF_INIT;
	struct pyval *values = NULL;
	struct strbuf where = STRBUF_INIT;

	for (size_t i = 0; i < v->nw; i++) {
		if (!strcmp(v->kw[i], "values"))
			values = v->w[i];
		else if (!strcmp(v->kw[i], "where")) {
			/* the last holds them all (pyattr.c joins them) */
			where.len = 0;
			sb_addstr(&where, v->w[i]->s);
		}
	}
	const char *kind = v->s + 5;
	if (values && values->n && !(values = table_order(ev, t, values)))
		goto fail;
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
				val = pyquote_quote_lit(ev, values->w[i]->s, values->w[i]->len);
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

void pyexec_op_bulk_insert(struct pyeval *ev, const struct pyval *call, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	struct pyval *t = pyarg_arg(call, 0, "table");
	struct pyval *rows = pyarg_arg(call, 1, "rows");
	if (!t || !pv_is_obj(t, "sa.table") || !pyarg_arg(t, 0, "name") || pyarg_arg(t, 0, "name")->k != PV_STR) {
		pyeval_error(ev, t ? t->off : off, "bulk_insert needs a table made by sa.table('name', sa.column(...), ...)");
		return;
	}
	if (!rows || (rows->k != PV_LIST && rows->k != PV_TUPLE)) {
		pyeval_error(ev, rows ? rows->off : off, "bulk_insert needs a literal list of rows");
		return;
	}
	const char *schema = pyarg_str_arg(ev, t, -1, "schema", false, off, "sa.table");
	const char *table = pyquote_qtable(ev, schema, pyarg_arg(t, 0, "name")->s);
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
			if (!pv_is_obj(co, "sa.column") || !pyarg_arg(co, 0, "text") || pyarg_arg(co, 0, "text")->k != PV_STR) {
				pyeval_error(ev, co->off, "sa.table columns must be sa.column('name', type)");
				sb_release(&cols), sb_release(&vals);
				return;
			}
			const char *cn = pyarg_arg(co, 0, "text")->s;
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
				if (row->v[k]->k == PV_STR && !strcmp(pyarg_arg(t->v[c], 0, "text")->s, row->v[k]->s))
					known = true;
			if (!known) {
				pyeval_error(ev, row->v[k]->off, "bulk_insert row key '%s' is not a column of the table",
					     pyeval_describe(ev, row->v[k]));
				sb_release(&cols), sb_release(&vals);
				return;
			}
		}
		pytable_emit(ev, off, arena_printf(a, "INSERT INTO %s (%s) VALUES (%s)", table, cols.buf ? cols.buf : "",
						   vals.buf ? vals.buf : ""));
		sb_release(&cols), sb_release(&vals);
	}
}
