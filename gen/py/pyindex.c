/*
 * pyindex.c - index and constraint operations: create/drop index, create_foreign_key, ...
 *
 * create_index (expressions, postgresql_* options), drop_index and the
 * create_*_constraint operations, as Alembic 1.8 writes them.
 */
#include "pyopsint.h"

#include <string.h>

static const char *index_expr(struct pyeval *ev, struct pyval *x, size_t off)
{
	if (x->k == PV_STR)
		return pyops_quote(ev, x->s);
	return pyops_sql(ev, x, off);
}

void pyindex_op_create_index(struct pyeval *ev, const struct pyval *call, size_t off,
			     const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	static const char *const known[] = {
		"index_name", "table_name", "columns", "schema", "unique", "postgresql_where",
		"postgresql_using", "postgresql_concurrently", "postgresql_include", "postgresql_ops",
		"postgresql_with", "postgresql_nulls_not_distinct", "if_not_exists", "quote", "info", NULL,
	};
	const char *tname = btable ? btable : pyarg_str_arg(ev, call, 1, "table_name", true, off, "create_index");
	struct pyval *cols = pyarg_arg(call, btable ? 1 : 2, "columns");
	const char *schema = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "create_index");
	if (!tname || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, known, "create_index"))
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
		else if (pv_is_obj(x, "sa.text") && pyarg_arg(x, 0, "text") && pyarg_arg(x, 0, "text")->k == PV_STR)
			t.cols[t.n++] = pyarg_arg(x, 0, "text")->s;
	}
	struct pyval *nv = pyarg_arg(call, 0, "index_name");
	if ((!nv || nv->k == PV_NONE) && !pyconstraint_conv_declared(ev)) {
		pyeval_error(ev, off, "create_index with no index name (None) takes its name from the naming "
			     "convention of env.py's target_metadata, and retort.ini declares none");
		diag_hint("declare it in a [naming_convention] section of retort.ini (ix = ix_%%(column_0_label)s "
			  "is SQLAlchemy's default), or write the name: op.f('ix_%s_<column>')", tname);
		return;
	}
	const char *name = pyconstraint_ddl_name(ev, call, 0, "index_name", false, off, "create_index", &t);
	if (pyeval_failed(ev))
		return;
	if (!name) {
		pyeval_error(ev, off, "an index without a name, and the naming convention of %s has no 'ix': "
			     "Alembic fails", pyeval_types(ev)->path);
		diag_hint("name the index, or add ix = ix_%%(column_0_label)s to [naming_convention]");
		return;
	}
	struct pyval *ops = pyarg_arg(call, -1, "postgresql_ops");
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE %sINDEX %s%s ON %s ", pyarg_bool_arg(ev, call, -1, "unique", false) ? "UNIQUE " : "",
		pyarg_bool_arg(ev, call, -1, "postgresql_concurrently", false) ? "CONCURRENTLY " : "",
		pyops_quote(ev, name), pyquote_qtable(ev, schema, tname));
	const char *using = pyarg_str_arg(ev, call, -1, "postgresql_using", false, off, "create_index");
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
		if (pv_is_obj(cols->v[i], "sa.text") && pyarg_arg(cols->v[i], 0, "text") &&
		    pyarg_arg(cols->v[i], 0, "text")->k == PV_STR)
			key = pyarg_arg(cols->v[i], 0, "text")->s;
		if (ops && ops->k == PV_DICT && key)
			for (size_t k = 0; k < ops->n; k++)
				if (ops->v[k]->k == PV_STR && !strcmp(ops->v[k]->s, key) && ops->w[k]->k == PV_STR)
					sb_addf(&sb, " %s", ops->w[k]->s);
	}
	sb_addch(&sb, ')');
	struct pyval *inc = pyarg_arg(call, -1, "postgresql_include");
	if (inc) {
		size_t n;
		const char **names = pyarg_names_arg(ev, inc, &n, "postgresql_include");
		if (!names)
			goto out;
		sb_addf(&sb, " INCLUDE (%s)", pyarg_join_quoted(ev, names, n));
	}
	/* SQLAlchemy 2.0 (PostgreSQL 15): None writes nothing. */
	struct pyval *nnd = pyarg_arg(call, -1, "postgresql_nulls_not_distinct");
	if (nnd && nnd->k != PV_NONE)
		sb_addstr(&sb, pyeval_truth(ev, nnd, "postgresql_nulls_not_distinct") ? " NULLS NOT DISTINCT"
										       : " NULLS DISTINCT");
	struct pyval *with = pyarg_arg(call, -1, "postgresql_with");
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
	struct pyval *where = pyarg_arg(call, -1, "postgresql_where");
	if (where && where->k != PV_NONE) {
		const char *w = pyexec_ddl_sql(ev, where, off);
		if (!w)
			goto out;
		sb_addf(&sb, " WHERE %s", w);
	}
	pytable_emit(ev, off, sb.buf);
	(void)a;
out:
	sb_release(&sb);
}

void pyindex_op_drop_index(struct pyeval *ev, const struct pyval *call, size_t off,
			   const char *btable, const char *bschema)
{
	/* The index's other options (Alembic passes them to sa.Index) do not
	 * change DROP INDEX. */
	static const char *const known[] = { "index_name", "table_name", "schema",
		"postgresql_concurrently", "if_exists", "unique", "postgresql_using", "postgresql_where",
		"postgresql_ops", "postgresql_include", "postgresql_with", "postgresql_nulls_not_distinct",
		"quote", "info", NULL };
	const char *schema = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "drop_index");
	const char *tname = btable ? btable : pyarg_str_arg(ev, call, 1, "table_name", false, off, "drop_index");
	/* DropIndexOp.to_index: an Index on column "x" of the table ("no_table"
	 * without one), which an ix convention with %(constraint_name)s renames. */
	static const char *const x[] = { "x" };
	struct convtarget t = { .kind = PYCONV_IX, .table = tname ? tname : "no_table", .schema = schema,
				.cols = (const char **)x, .n = 1 };
	const char *name = pyconstraint_ddl_name(ev, call, 0, "index_name", true, off, "drop_index", &t);
	if (!name || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, known, "drop_index"))
		return;
	pytable_emit(ev, off, arena_printf(pyeval_arena(ev), "DROP INDEX %s%s",
					   pyarg_bool_arg(ev, call, -1, "postgresql_concurrently", false) ? "CONCURRENTLY " : "",
					   pyquote_qtable(ev, schema, name)));
}

void pyindex_op_create_fk(struct pyeval *ev, const struct pyval *call, size_t off,
			  const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	static const char *const known[] = {
		"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols",
		"onupdate", "ondelete", "deferrable", "initially", "match", "source_schema",
		"referent_schema", "postgresql_not_valid", "use_alter", NULL,  /* use_alter: ALTER anyway */
	};
	int p = btable ? -1 : 0;
	const char *src = btable ? btable : pyarg_str_arg(ev, call, 1, "source_table", true, off, "create_foreign_key");
	const char *ref = pyarg_str_arg(ev, call, p + 2, "referent_table", true, off, "create_foreign_key");
	struct fk f = { .obj = (struct pyval *)call };
	size_t n2 = 0;
	f.cols = pyarg_names_arg(ev, pyarg_arg(call, p + 3, "local_cols"), &f.n, "local_cols");
	f.refcols = pyarg_names_arg(ev, pyarg_arg(call, p + 4, "remote_cols"), &n2, "remote_cols");
	if (!src || !ref || !f.cols || !f.refcols || pyeval_failed(ev) ||
	    !pyarg_check_kwargs(ev, call, known, "create_foreign_key"))
		return;
	if (n2 != f.n) {
		pyeval_error(ev, off, "create_foreign_key needs as many remote_cols as local_cols");
		return;
	}
	const char *sschema = btable ? bschema : pyarg_str_arg(ev, call, -1, "source_schema", false, off, "create_foreign_key");
	const char *rschema = pyarg_str_arg(ev, call, -1, "referent_schema", false, off, "create_foreign_key");
	f.reftable = pyquote_qtable(ev, rschema, ref);
	/* schemaobj.foreign_key_constraint makes the referent table first: all resolves. */
	struct convtarget t = { .kind = PYCONV_FK, .table = src, .schema = sschema, .cols = f.cols, .n = f.n,
				.reftable = ref, .refcols = f.refcols };
	f.name = pyconstraint_ddl_name(ev, call, 0, "constraint_name", false, off, "create_foreign_key", &t);
	if (pyeval_failed(ev))
		return;
	const char *clause = pyconstraint_fk_clause(ev, &f);
	pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s%s", pyquote_qtable(ev, sschema, src), clause,
					   pyarg_bool_arg(ev, call, -1, "postgresql_not_valid", false) ? " NOT VALID" : ""));
}

void pyindex_op_simple_constraint(struct pyeval *ev, const char *kind, const struct pyval *call, size_t off,
				  const char *btable, const char *bschema)
{
	struct arena *a = pyeval_arena(ev);
	int p = btable ? -1 : 0;
	static const char *const known[] = { "constraint_name", "table_name", "columns", "condition",
		"schema", "deferrable", "initially", "postgresql_not_valid", "postgresql_nulls_not_distinct", NULL };
	const char *tname = btable ? btable : pyarg_str_arg(ev, call, 1, "table_name", true, off, kind);
	if (pyarg_arg(call, -1, "postgresql_nulls_not_distinct") && strcmp(kind, "create_unique_constraint")) {
		pyeval_error(ev, pyarg_arg(call, -1, "postgresql_nulls_not_distinct")->off,
			     "keyword argument 'postgresql_nulls_not_distinct' of %s is not supported", kind);
		return;
	}
	const char *schema = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, kind);
	if (!tname || pyeval_failed(ev) || !pyarg_check_kwargs(ev, call, known, kind))
		return;
	struct convtarget t = { .table = tname, .schema = schema };
	const char *body;
	if (!strcmp(kind, "create_check_constraint")) {
		struct pyval *cond = pyarg_arg(call, p + 2, "condition");
		const char *sql = cond ? pyexec_ddl_sql(ev, cond, off) : NULL;
		if (!sql)
			return;
		body = arena_printf(a, "CHECK (%s)", sql);
		t.kind = PYCONV_CK;
		if (cond->k != PV_STR && !pv_is_obj(cond, "sa.text") && pyconstraint_conv_of(ev, PYCONV_CK) &&
		    strstr(pyconstraint_conv_of(ev, PYCONV_CK), "column_")) {
			pyeval_error(ev, cond->off, "a naming convention's column tokens on a check of an SQL "
				     "expression are not supported");
			diag_hint("name the constraint, or write its condition as a string");
			return;
		}
	} else {
		size_t n;
		const char **cols = pyarg_names_arg(ev, pyarg_arg(call, p + 2, "columns"), &n, kind);
		if (!cols)
			return;
		body = arena_printf(a, "%s (%s)", kind[7] == 'u' ? arena_printf(a, "UNIQUE%s", pyconstraint_nulls_distinct(ev, call))
							       : "PRIMARY KEY", pyarg_join_quoted(ev, cols, n));
		t.kind = kind[7] == 'u' ? PYCONV_UQ : PYCONV_PK;
		t.cols = cols;
		t.n = n;
	}
	const char *name = pyconstraint_ddl_name(ev, call, 0, "constraint_name", false, off, kind, &t);
	if (pyeval_failed(ev))
		return;
	const char *prefix = name ? arena_printf(a, "CONSTRAINT %s ", pyops_quote(ev, name)) : "";
	pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s ADD %s%s%s%s", pyquote_qtable(ev, schema, tname), prefix, body,
					   pyconstraint_deferrable_sql(ev, call),
					   pyarg_bool_arg(ev, call, -1, "postgresql_not_valid", false) ? " NOT VALID" : ""));
}
