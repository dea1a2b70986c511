/*
 * pyconstraint.c - constraints and naming conventions
 *
 * Foreign key, primary key, unique and check clauses, and the names
 * target_metadata's naming_convention (retort.ini) gives them, following
 * sqlalchemy/sql/naming.py, truncation included.
 */
#include "pyopsint.h"

#include <string.h>

#include <openssl/evp.h>

/* ---- constraints -------------------------------------------------------------- */

const char *pyconstraint_deferrable_sql(struct pyeval *ev, const struct pyval *o)
{
	struct pyval *d = pyarg_arg(o, -1, "deferrable");
	const char *ini = pyarg_str_arg(ev, o, -1, "initially", false, o->off, "constraint");
	const char *r = "";
	if (d && d->k != PV_NONE)
		r = pyeval_truth(ev, d, "deferrable") ? " DEFERRABLE" : " NOT DEFERRABLE";
	if (ini)
		r = arena_printf(pyeval_arena(ev), "%s INITIALLY %s", r, ini);
	return r;
}

const char *pyconstraint_fk_clause(struct pyeval *ev, const struct fk *f)
{
	struct arena *a = pyeval_arena(ev);
	struct strbuf sb = STRBUF_INIT;
	const struct pyval *o = f->obj;
	if (f->name)
		sb_addf(&sb, "CONSTRAINT %s ", pyops_quote(ev, f->name));
	sb_addf(&sb, "FOREIGN KEY(%s) REFERENCES %s (%s)", pyarg_join_quoted(ev, f->cols, f->n), f->reftable,
		pyarg_join_quoted(ev, f->refcols, f->n));
	const char *match = pyarg_str_arg(ev, o, -1, "match", false, o->off, "foreign key");
	const char *del = pyarg_str_arg(ev, o, -1, "ondelete", false, o->off, "foreign key");
	const char *upd = pyarg_str_arg(ev, o, -1, "onupdate", false, o->off, "foreign key");
	if (match)
		sb_addf(&sb, " MATCH %s", match);
	if (del)
		sb_addf(&sb, " ON DELETE %s", del);
	if (upd)
		sb_addf(&sb, " ON UPDATE %s", upd);
	sb_addstr(&sb, pyconstraint_deferrable_sql(ev, o));
	const char *r = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return r;
}

/* "table.col" or "schema.table.col" of sa.ForeignKey */
bool pyconstraint_split_target(struct pyeval *ev, const char *spec, const char **table, const char **col, size_t off)
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
	*table = d2 ? pyquote_qtable(ev, arena_strndup(a, t, (size_t)(d2 - t)), d2 + 1) : pyops_quote(ev, t);
	return true;
}

static const char *convention_name(struct pyeval *ev, const char *name);
static const char *label_prefix(struct pyeval *ev, const char *schema, const char *table);
static size_t name_chars(const char *s, size_t upto, size_t *cut);

/* ---- naming conventions ------------------------------------------------------ */


/* target_metadata's convention for a kind: retort.ini's when declared,
 * else SQLAlchemy's DEFAULT_NAMING_CONVENTION (ix only). */
const char *pyconstraint_conv_of(struct pyeval *ev, enum pyconv k)
{
	const struct pytypemap *m = pyeval_types(ev);
	if (m && m->conv_declared)
		return m->conv[k];
	return k == PYCONV_IX ? "ix_%(column_0_label)s" : NULL;
}

bool pyconstraint_conv_declared(struct pyeval *ev)
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
bool pyconstraint_conv_name(struct pyeval *ev, const struct convtarget *t, const char *given, bool given_conv,
			    size_t off, const char **out)
{
	*out = given;
	const char *conv = t && !given_conv ? pyconstraint_conv_of(ev, t->kind) : NULL;
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

/* The name argument of an op or a constraint object, through pyconstraint_conv_name(). */
const char *pyconstraint_ddl_name(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool required,
				  size_t off, const char *what, const struct convtarget *t)
{
	const char *name = pyarg_str_arg(ev, call, pos, kw, required, off, what);
	struct pyval *v = pyarg_arg(call, pos, kw);
	const char *r;
	if (pyeval_failed(ev))
		return NULL;
	if (!pyconstraint_conv_name(ev, t, name, name && (v->flag & PVF_CONV), v && v->k != PV_NONE ? v->off : off, &r))
		return NULL;
	return r;
}

const char *pyconstraint_constraint_name(struct pyeval *ev, const struct pyval *o, const struct convtarget *t)
{
	return pyconstraint_ddl_name(ev, o, -1, "name", false, o->off, o->s, t);
}

/* postgresql_nulls_not_distinct of a unique constraint, as SQLAlchemy 2.0
 * writes it (PostgreSQL 15): " NULLS [NOT] DISTINCT", nothing for None. */
const char *pyconstraint_nulls_distinct(struct pyeval *ev, const struct pyval *o)
{
	struct pyval *v = pyarg_arg(o, -1, "postgresql_nulls_not_distinct");
	if (!v || v->k == PV_NONE)
		return "";
	return pyeval_truth(ev, v, "postgresql_nulls_not_distinct") ? " NULLS NOT DISTINCT" : " NULLS DISTINCT";
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
void pyconstraint_fk_target(struct pyeval *ev, struct convtarget *t, const struct convtarget *tab, const char **cols,
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
const char *pyconstraint_table_constraint(struct pyeval *ev, const struct pyval *o, const struct convtarget *tab)
{
	struct arena *a = pyeval_arena(ev);
	struct convtarget t = { .table = tab->table, .schema = tab->schema };
	const char *name;
	if (pv_is_obj(o, "sa.UniqueConstraint") || pv_is_obj(o, "sa.PrimaryKeyConstraint")) {
		struct pyval list = { .k = PV_LIST, .v = o->v, .n = o->n, .off = o->off };
		size_t n;
		const char **cols = pyarg_names_arg(ev, &list, &n, o->s);
		if (!cols && o->n)
			return NULL;
		t.kind = o->s[3] == 'U' ? PYCONV_UQ : PYCONV_PK;
		t.cols = cols;
		t.n = n;
		if (!(name = pyconstraint_constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return arena_printf(a, "%s%s (%s)%s", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				    o->s[3] == 'U' ? arena_printf(a, "UNIQUE%s", pyconstraint_nulls_distinct(ev, o)) : "PRIMARY KEY",
				    pyarg_join_quoted(ev, cols, n), pyconstraint_deferrable_sql(ev, o));
	}
	if (pv_is_obj(o, "sa.CheckConstraint")) {
		struct pyval *e = pyarg_arg(o, 0, "sqltext");
		const char *sql = e ? pyexec_ddl_sql(ev, e, o->off) : NULL;
		if (!sql)
			return NULL;
		/* A check's columns come from its expression: none for text. */
		t.kind = PYCONV_CK;
		if (e->k != PV_STR && !pv_is_obj(e, "sa.text") && pyconstraint_conv_of(ev, PYCONV_CK) &&
		    strstr(pyconstraint_conv_of(ev, PYCONV_CK), "column_")) {
			pyeval_error(ev, e->off, "a naming convention's column tokens on a check of an SQL "
				     "expression are not supported");
			diag_hint("name the constraint, or write its condition as a string");
			return NULL;
		}
		if (!(name = pyconstraint_constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return arena_printf(a, "%sCHECK (%s)%s", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				    sql, pyconstraint_deferrable_sql(ev, o));
	}
	if (pv_is_obj(o, "sa.ForeignKeyConstraint")) {
		struct fk f = { .obj = (struct pyval *)o };
		f.cols = pyarg_names_arg(ev, pyarg_arg(o, 0, "columns"), &f.n, "ForeignKeyConstraint columns");
		struct pyval *refs = pyarg_arg(o, 1, "refcolumns");
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
			if (!pyconstraint_split_target(ev, refs->v[i]->s, &f.reftable, &f.refcols[i], refs->v[i]->off))
				return NULL;
			specs[i] = refs->v[i]->s;
		}
		pyconstraint_fk_target(ev, &t, tab, f.cols, f.n, specs);
		if (!(f.name = pyconstraint_constraint_name(ev, o, &t)) && pyeval_failed(ev))
			return NULL;
		return pyconstraint_fk_clause(ev, &f);
	}
	pyeval_error(ev, o->off, "'%s' in create_table is not supported", pyeval_describe(ev, o));
	return NULL;
}

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
const char *pyconstraint_unnamed_index(struct pyeval *ev, const char *table, const char *schema, const char **cols,
				       const char **keys, size_t n, size_t off)
{
	struct convtarget t = { .kind = PYCONV_IX, .table = table, .schema = schema, .cols = cols, .keys = keys,
				.n = n };
	const char *name;
	if (!pyconstraint_conv_name(ev, &t, NULL, false, off, &name))
		return NULL;
	if (!name) {
		pyeval_error(ev, off, "an index without a name, and the naming convention of %s has no 'ix': "
			     "Alembic fails", pyeval_types(ev)->path);
		diag_hint("name the index, or add ix = ix_%%(column_0_label)s to [naming_convention]");
	}
	return name;
}
