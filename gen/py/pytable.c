/*
 * pytable.c - table and column operations: create_table, add_column, alter_column
 *
 * Each mirrors alembic/ddl/base.py and postgresql.py, with the CREATE TABLE
 * of DDLCompiler.visit_create_table and the comments it adds.
 */
#include "pyopsint.h"

#include <string.h>

/* ---- operations ------------------------------------------------------------------- */

void pytable_emit(struct pyeval *ev, size_t off, const char *sql)
{
	if (sql)
		pyeval_emit(ev, off, sql);
}

/* The table part of a column's label, which the default naming convention
 * ix_%(column_0_label)s uses: "schema_table" when the table has a schema
 * (dots of the schema become '_'), else "table". */
static void emit_comment_column(struct pyeval *ev, const char *table, const char *col, struct pyval *c, size_t off)
{
	const char *lit = c && c->k != PV_NONE ? pyops_literal(ev, c, off) : "NULL";
	if (lit)
		pytable_emit(ev, off, arena_printf(pyeval_arena(ev), "COMMENT ON COLUMN %s.%s IS %s", table,
						   pyops_quote(ev, col), lit));
}

/* A foreign key with use_alter: CREATE TABLE leaves it out (the compiler's
 * create_table_constraints on a dialect that supports ALTER), and Alembic's
 * create_table adds no ALTER for it: the revision adds it itself, if at all.
 * add_column writes a column's foreign keys as ALTERs whatever the flag. */
static bool fk_use_alter(struct pyeval *ev, const struct pyval *o)
{
	return (pv_is_obj(o, "sa.ForeignKey") || pv_is_obj(o, "sa.ForeignKeyConstraint")) &&
	       pyarg_bool_arg(ev, o, -1, "use_alter", false);
}

static const char *const create_table_kwargs[] = { "schema", "comment", "info", "keep_existing",
	"extend_existing", "quote", "prefixes", "postgresql_partition_by", "postgresql_inherits",
	"postgresql_tablespace",
	"postgresql_ignore_search_path",  /* reflection only: no DDL */
	NULL };

static size_t pkc_n(const struct pyval *pkc)
{
	return pkc ? pkc->n : 0;
}

/* The CHECK of a column's non-native Enum, or NULL when it has none. */
static const char *enum_check(struct pyeval *ev, const struct column *c)
{
	if (!c->ti.ck_in)
		return NULL;
	struct arena *a = pyeval_arena(ev);
	return arena_printf(a, "%sCHECK (%s IN %s)",
			    c->ti.ck_name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, c->ti.ck_name)) : "",
			    pyops_quote(ev, c->name), c->ti.ck_in);
}

void pytable_op_create_table(struct pyeval *ev, const struct pyval *call, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	const char *tname = pyarg_str_arg(ev, call, 0, "table_name", true, off, "create_table");
	const char *schema = pyarg_str_arg(ev, call, -1, "schema", false, off, "create_table");
	if (!tname || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, create_table_kwargs, "create_table"))
		return;
	if (pyarg_arg(call, -1, "prefixes")) {
		pyeval_error(ev, pyarg_arg(call, -1, "prefixes")->off, "create_table prefixes are not supported");
		return;
	}
	const char *table = pyquote_qtable(ev, schema, tname);
	struct column *cols = arena_alloc(a, (call->n + 1) * sizeof *cols);
	const struct pyval **cons = arena_alloc(a, (call->n + 1) * sizeof *cons);
	const struct pyval **idx = arena_alloc(a, (call->n + 1) * sizeof *idx);
	size_t nc = 0, ncons = 0, nidx = 0;
	const struct pyval *pkc = NULL;

	for (size_t i = 1; i < call->n; i++) {
		const struct pyval *o = call->v[i];
		if (pv_is_obj(o, "sa.Column")) {
			if (!pycolumn_parse_column(ev, o, &cols[nc++]))
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
				diag_hint("%s", pyquote_HINT);
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
					if (!pyarg_arg(cols[k].obj, -1, "nullable"))
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
							   pyarg_arg(cons[i], 0, "columns") : NULL;
					for (size_t j = 0; fc && (fc->k == PV_LIST || fc->k == PV_TUPLE) && j < fc->n; j++)
						if (fc->v[j]->k == PV_STR && !strcmp(fc->v[j]->s, cols[k].name))
							off_ = true;
				}
				if (!off_ && pycolumn_autoinc_ok(&cols[k], explicit_true))
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
				pytype_emit_create_enum(ev, en, off);
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
		const char *spec = pycolumn_column_spec(ev, &cols[k], &cols[k] == autoinc);
		if (!spec)
			goto out;
		sb_addf(&sb, "%s\n\t%s", first ? "" : ",", spec);
		first = false;
		/* A column's own checks follow its spec (DDLCompiler.visit_create_column). */
		for (size_t i = 0; i < cols[k].n_checks; i++) {
			const char *c = pyconstraint_table_constraint(ev, cols[k].checks[i], &tab);
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
			if (!(name = pyconstraint_constraint_name(ev, pkc, &t)) && pyeval_failed(ev))
				goto out;
		} else if (!pyconstraint_conv_name(ev, &t, NULL, false, off, &name)) {
			goto out;
		}
		sb_addf(&sb, ",\n\t%sPRIMARY KEY (%s)",
			name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
			pyarg_join_quoted(ev, pk, npk));
	}
	/* Explicit constraints in creation order, then those the columns make
	 * while the table is built (per column: unique, then foreign keys). */
	for (size_t i = 0; i < ncons; i++) {
		if (fk_use_alter(ev, cons[i]))
			continue;
		const char *c = pyconstraint_table_constraint(ev, cons[i], &tab);
		if (!c)
			goto out;
		sb_addf(&sb, ",\n\t%s", c);
	}
	for (size_t k = 0; k < nc; k++) {
		if (cols[k].unique && !cols[k].index) {
			struct convtarget t = { .kind = PYCONV_UQ, .table = tname, .schema = schema,
						.cols = &colnames[k], .keys = &colkeys[k], .n = 1 };
			const char *name;
			if (!pyconstraint_conv_name(ev, &t, NULL, false, cols[k].obj->off, &name))
				goto out;
			sb_addf(&sb, ",\n\t%sUNIQUE (%s)", name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
				pyops_quote(ev, cols[k].name));
		}
		if (enum_check(ev, &cols[k]))
			sb_addf(&sb, ",\n\t%s", enum_check(ev, &cols[k]));
		for (size_t i = 0; i < cols[k].n_fks; i++) {
			struct pyval *fo = cols[k].fkobjs[i];
			struct pyval *target = pyarg_arg(fo, 0, "column");
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
			if (!pyconstraint_split_target(ev, target->s, &f.reftable, &f.refcols[0], fo->off))
				goto out;
			/* Named as the column joins the table: its own and earlier columns resolve. */
			struct convtarget upto = tab, t;
			upto.n = k + 1;
			pyconstraint_fk_target(ev, &t, &upto, f.cols, 1, &target->s);
			t.keys = &colkeys[k];
			if (!(f.name = pyconstraint_constraint_name(ev, fo, &t)) && pyeval_failed(ev))
				goto out;
			sb_addf(&sb, ",\n\t%s", pyconstraint_fk_clause(ev, &f));
		}
	}
	sb_addstr(&sb, "\n)");
	/* PGDDLCompiler.post_create_table, in its order. */
	struct pyval *inh = pyarg_arg(call, -1, "postgresql_inherits");
	if (inh && inh->k != PV_NONE) {
		size_t n;
		const char **names = pyarg_names_arg(ev, inh, &n, "postgresql_inherits");
		if (!names)
			goto out;
		sb_addf(&sb, "\n INHERITS ( %s )", pyarg_join_quoted(ev, names, n));
	}
	const char *part = pyarg_str_arg(ev, call, -1, "postgresql_partition_by", false, off, "create_table");
	if (part)
		sb_addf(&sb, "\n PARTITION BY %s", part);
	const char *tsp = pyarg_str_arg(ev, call, -1, "postgresql_tablespace", false, off, "create_table");
	if (tsp)
		sb_addf(&sb, "\n TABLESPACE %s", pyops_quote(ev, tsp));
	if (pyeval_failed(ev))
		goto out;
	pytable_emit(ev, off, sb.buf);
	for (size_t k = 0; k < nc; k++)
		if (cols[k].index) {
			const char *iname = pyconstraint_unnamed_index(ev, tname, schema, &colnames[k], &colkeys[k], 1, cols[k].obj->off);
			if (!iname)
				goto out;
			pytable_emit(ev, off, arena_printf(a, "CREATE %sINDEX %s ON %s (%s)", cols[k].unique ? "UNIQUE " : "",
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
		pyindex_op_create_index(ev, ixo, ix->off, NULL, NULL);
	}
	if (pyeval_failed(ev))
		goto out;
	struct pyval *tc = pyarg_arg(call, -1, "comment");
	if (tc && tc->k != PV_NONE) {
		const char *lit = pyops_literal(ev, tc, off);
		if (lit)
			pytable_emit(ev, off, arena_printf(a, "COMMENT ON TABLE %s IS %s", table, lit));
	}
	for (size_t k = 0; k < nc; k++)
		if (cols[k].comment)
			emit_comment_column(ev, table, cols[k].name, cols[k].comment, off);
out:
	sb_release(&sb);
}

void pytable_op_add_column(struct pyeval *ev, const struct pyval *call, size_t off,
			   const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;
	const char *tname = btable ? btable : pyarg_str_arg(ev, call, 0, "table_name", true, off, "add_column");
	struct pyval *co = pyarg_arg(call, p + 1, "column");
	const char *schema = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "add_column");
	struct column c;
	static const char *const known[] = { "table_name", "column", "schema", "insert_before", "insert_after", NULL };
	if (!tname || !co || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, known, "add_column"))
		return;
	if (!pycolumn_parse_column(ev, co, &c))
		return;
	const char *table = pyquote_qtable(ev, schema, tname);
	bool autoinc = c.pk && pycolumn_autoinc_ok(&c, c.autoinc && c.autoinc->k == PV_BOOL && c.autoinc->i) &&
		       !(c.autoinc && c.autoinc->k == PV_BOOL && !c.autoinc->i);
	const char *spec = pycolumn_column_spec(ev, &c, autoinc);
	if (!spec)
		return;
	/* Constraints given to the Column itself follow its spec, as
	 * alembic.ddl.base.add_column writes them. */
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "ALTER TABLE %s ADD COLUMN %s", table, spec);
	/* The operation's table holds this column alone. */
	struct convtarget tab = { .table = tname, .schema = schema, .cols = &c.name, .keys = &c.key, .n = 1 };
	for (size_t i = 0; i < c.n_checks; i++) {
		const char *k = pyconstraint_table_constraint(ev, c.checks[i], &tab);
		if (!k) {
			sb_release(&sb);
			return;
		}
		sb_addf(&sb, " %s", k);
	}
	pytable_emit(ev, off, sb.buf);
	sb_release(&sb);
	if (c.unique && !c.index) {
		struct convtarget t = tab;
		const char *name;
		t.kind = PYCONV_UQ;
		if (!pyconstraint_conv_name(ev, &t, NULL, false, co->off, &name))
			return;
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %sUNIQUE (%s)", table,
						   name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "",
						   pyops_quote(ev, c.name)));
	}
	if (enum_check(ev, &c))
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s", table, enum_check(ev, &c)));
	for (size_t i = 0; i < c.n_fks; i++) {
		struct pyval *target = pyarg_arg(c.fkobjs[i], 0, "column");
		struct fk f = { .obj = c.fkobjs[i], .n = 1 };
		f.cols = &c.name;
		f.refcols = arena_alloc(a, sizeof *f.refcols);
		if (!target || target->k != PV_STR ||
		    !pyconstraint_split_target(ev, target->s, &f.reftable, &f.refcols[0], c.fkobjs[i]->off))
			return;
		struct convtarget t;
		pyconstraint_fk_target(ev, &t, &tab, f.cols, 1, &target->s);
		t.keys = &c.key;
		if (!(f.name = pyconstraint_constraint_name(ev, c.fkobjs[i], &t)) && pyeval_failed(ev))
			return;
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s", table, pyconstraint_fk_clause(ev, &f)));
	}
	if (c.index) {
		const char *iname = pyconstraint_unnamed_index(ev, tname, schema, &c.name, &c.key, 1, co->off);
		if (!iname)
			return;
		pytable_emit(ev, off, arena_printf(a, "CREATE %sINDEX %s ON %s (%s)", c.unique ? "UNIQUE " : "",
						   pyops_quote(ev, iname), table, pyops_quote(ev, c.name)));
	}
	if (c.comment)
		emit_comment_column(ev, table, c.name, c.comment, off);
}

void pytable_op_alter_column(struct pyeval *ev, const struct pyval *call, size_t off,
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
	const char *tname = btable ? btable : pyarg_str_arg(ev, call, 0, "table_name", true, off, "alter_column");
	const char *col = pyarg_str_arg(ev, call, p + 1, "column_name", true, off, "alter_column");
	const char *schema = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "alter_column");
	if (!tname || !col || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, known, "alter_column"))
		return;
	const char *table = pyquote_qtable(ev, schema, tname);
	const char *qcol = pyops_quote(ev, col);
	struct pyval *type = pyarg_arg(call, -1, "type_");
	struct pyval *using = pyarg_arg(call, -1, "postgresql_using");
	if (type && type->k != PV_NONE) {
		struct typeinfo ti = { 0 };
		if (!pytype_type_sql(ev, type, &ti, off))
			return;
		if (ti.ck_in) {
			pyeval_error(ev, type->off, "alter_column to a non-native Enum with create_constraint=True is not supported");
			diag_hint("add the CHECK with op.create_check_constraint() and create_constraint=False");
			return;
		}
		const char *u = NULL;
		if (using && using->k != PV_NONE && !(u = pyops_sql(ev, using, off)))
			return;
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s", table, qcol, ti.sql,
						   u ? " USING " : "", u ? u : ""));
	} else if (using && using->k != PV_NONE) {
		pyeval_error(ev, using->off, "postgresql_using must be used with the type_ parameter");
		return;
	}
	struct pyval *nl = pyarg_arg(call, -1, "nullable");
	if (nl && nl->k != PV_NONE)
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s %s", table, qcol,
						   pyeval_truth(ev, nl, "nullable") ? "DROP NOT NULL" : "SET NOT NULL"));
	struct pyval *sd = pyarg_arg(call, -1, "server_default");
	if (sd && !(sd->k == PV_BOOL && !sd->i)) {
		if (pv_is_obj(sd, "sa.Identity") || pv_is_obj(sd, "sa.Computed")) {
			pyeval_error(ev, sd->off, "altering a column to '%s' is not supported", sd->s);
			return;
		}
		if (sd->k == PV_NONE) {
			pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", table, qcol));
		} else {
			const char *d = pycolumn_server_default_sql(ev, sd);
			if (!d)
				return;
			pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", table, qcol, d));
		}
	}
	struct pyval *cm = pyarg_arg(call, -1, "comment");
	if (cm && !(cm->k == PV_BOOL && !cm->i))
		emit_comment_column(ev, table, col, cm, off);
	const char *nn = pyarg_str_arg(ev, call, -1, "new_column_name", false, off, "alter_column");
	if (nn)
		pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s RENAME %s TO %s", table, qcol, pyops_quote(ev, nn)));
}
