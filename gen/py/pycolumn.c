/*
 * pycolumn.c - sa.Column: its arguments, and the column specification it renders
 *
 * DDLCompiler.get_column_specification: type, default, identity, computed,
 * NOT NULL, in SQLAlchemy's order.
 */
#include "pyopsint.h"

#include <string.h>

/* ---- columns ------------------------------------------------------------------ */

static const char *const column_kwargs[] = {
	"type_", "name", "nullable", "primary_key", "server_default", "default", "unique", "index",
	"comment", "autoincrement", "onupdate", "server_onupdate", "key", "info", "doc", "quote",
	"system", "_proxies", NULL,
};

bool pycolumn_parse_column(struct pyeval *ev, const struct pyval *o, struct column *col)
{
	memset(col, 0, sizeof *col);
	col->obj = o;
	if (!pv_is_obj(o, "sa.Column")) {
		pyeval_error(ev, o->off, "expected an sa.Column, found '%s'", pyeval_describe(ev, o));
		return false;
	}
	if (!pyarg_check_kwargs(ev, o, column_kwargs, "sa.Column"))
		return false;
	size_t i = 0;
	struct pyval *seq = NULL, *dflt = NULL;
	if (o->n && o->v[0]->k == PV_STR) {
		col->name = o->v[0]->s;
		i = 1;
	} else if (pyarg_arg(o, -1, "name") && pyarg_arg(o, -1, "name")->k == PV_STR) {
		col->name = pyarg_arg(o, -1, "name")->s;
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
		} else if (pv_is_obj(x, "sa.Sequence")) {
			/* The column's default: not SERIAL, unless optional
			 * (create_table does not make the sequence, as in Alembic). */
			seq = x;
		} else if (pv_is_obj(x, "sa.DefaultClause")) {
			dflt = x;
		} else if (pv_is_obj(x, "sa.FetchedValue")) {
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
		col->type = pyarg_arg(o, -1, "type_");
	if (!col->type) {
		pyeval_error(ev, o->off, "column '%s' has no type", col->name);
		diag_hint("give the column its type: SQLAlchemy copies a foreign key's type only with the application's metadata");
		return false;
	}
	col->key = pyarg_str_arg(ev, o, -1, "key", false, o->off, "sa.Column");
	if (!col->key)
		col->key = col->name;
	col->pk = pyarg_bool_arg(ev, o, -1, "primary_key", false);
	struct pyval *nl = pyarg_arg(o, -1, "nullable");
	col->nullable = nl ? pyeval_truth(ev, nl, "nullable") : !col->pk;
	if (col->identity && !nl)
		col->nullable = false;
	col->unique = pyarg_bool_arg(ev, o, -1, "unique", false);
	col->index = pyarg_bool_arg(ev, o, -1, "index", false);
	struct pyval *d = pyarg_arg(o, -1, "default");
	col->has_default = d && d->k != PV_NONE;
	if (seq && !pyarg_bool_arg(ev, seq, -1, "optional", false))
		col->has_default = true;
	col->server_default = dflt ? dflt : pyarg_arg(o, -1, "server_default");
	if (col->server_default && col->server_default->k == PV_NONE)
		col->server_default = NULL;
	col->comment = pyarg_arg(o, -1, "comment");
	if (col->comment && col->comment->k == PV_NONE)
		col->comment = NULL;
	col->autoinc = pyarg_arg(o, -1, "autoincrement");
	if (col->autoinc && col->autoinc->k == PV_STR && !strcmp(col->autoinc->s, "auto"))
		col->autoinc = NULL;
	col->ignore_fk = col->autoinc && col->autoinc->k == PV_STR && !strcmp(col->autoinc->s, "ignore_fk");
	return pytype_type_sql(ev, col->type, &col->ti, o->off);
}

const char *pycolumn_server_default_sql(struct pyeval *ev, struct pyval *d)
{
	if (pv_is_obj(d, "sa.DefaultClause") && pyarg_arg(d, 0, "arg") && d->n == 1 && !d->nw)
		d = pyarg_arg(d, 0, "arg");  /* server_default='x' is DefaultClause('x') */
	if (d->k == PV_STR)
		return pyquote_quote_lit(ev, d->s, d->len);
	if (d->k == PV_OBJ || d->k == PV_SQL)
		return pyexec_ddl_sql(ev, d, d->off);
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
		struct pyval *v = pyarg_arg(id, -1, opts[i][0]);
		if (v && v->k == PV_INT) {
			if (sb.len)
				sb_addch(&sb, ' ');
			sb_addf(&sb, opts[i][1], v->i);
		}
	}
	if (pyarg_arg(id, -1, "nominvalue") && pyeval_truth(ev, pyarg_arg(id, -1, "nominvalue"), "nominvalue"))
		sb_addf(&sb, "%sNO MINVALUE", sb.len ? " " : "");
	if (pyarg_arg(id, -1, "nomaxvalue") && pyeval_truth(ev, pyarg_arg(id, -1, "nomaxvalue"), "nomaxvalue"))
		sb_addf(&sb, "%sNO MAXVALUE", sb.len ? " " : "");
	struct pyval *cache = pyarg_arg(id, -1, "cache");
	if (cache && cache->k == PV_INT)
		sb_addf(&sb, "%sCACHE %lld", sb.len ? " " : "", cache->i);
	struct pyval *cycle = pyarg_arg(id, -1, "cycle");
	if (cycle && cycle->k != PV_NONE)
		sb_addf(&sb, "%s%s", sb.len ? " " : "", pyeval_truth(ev, cycle, "cycle") ? "CYCLE" : "NO CYCLE");
	const char *r = arena_printf(pyeval_arena(ev), "GENERATED %s AS IDENTITY%s%s%s",
				     pyarg_bool_arg(ev, id, 0, "always", false) ? "ALWAYS" : "BY DEFAULT",
				     sb.len ? " (" : "", sb.len ? sb.buf : "", sb.len ? ")" : "");
	sb_release(&sb);
	return r;
}

/* DDLCompiler.get_column_specification as PGDDLCompiler overrides it. */
const char *pycolumn_column_spec(struct pyeval *ev, const struct column *c, bool autoinc)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addstr(&sb, pyops_quote(ev, c->name));
	if (c->pk && autoinc && !c->identity && !c->has_default) {
		sb_addstr(&sb, c->ti.aff == AFF_BIGINT ? " BIGSERIAL" :
			  c->ti.aff == AFF_SMALLINT ? " SMALLSERIAL" : " SERIAL");
	} else {
		sb_addf(&sb, " %s", c->ti.sql);
		if (c->server_default) {
			const char *d = pycolumn_server_default_sql(ev, c->server_default);
			if (!d) {
				sb_release(&sb);
				return NULL;
			}
			sb_addf(&sb, " DEFAULT %s", d);
		}
	}
	if (c->computed) {
		struct pyval *e = pyarg_arg(c->computed, 0, "sqltext");
		struct pyval *p = pyarg_arg(c->computed, 1, "persisted");
		const char *sql = e ? pyexec_ddl_sql(ev, e, c->computed->off) : NULL;
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
bool pycolumn_autoinc_ok(const struct column *c, bool explicit_true)
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
