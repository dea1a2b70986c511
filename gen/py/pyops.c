/*
 * pyops.c - Alembic operations as SQLAlchemy 1.4 + Alembic 1.8 write them
 * for PostgreSQL: the dispatch of op.NAME(...) to its renderer
 *
 * The renderer's stages are listed in pyopsint.h. Each function mirrors the Alembic implementation of one operation and the
 * SQLAlchemy compiler methods it reaches (DDLCompiler, PGDDLCompiler,
 * PGTypeCompiler, alembic/ddl/base.py and postgresql.py), in their order:
 * the differential test compares our statements with Alembic's --sql output
 * token for token.
 */
#include "pyopsint.h"

#include <string.h>

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
		struct pyval *x = pyarg_arg(call, 0, "sqltext");
		if (!x) {
			pyeval_error(ev, off, "op.execute needs SQL");
			return;
		}
		struct pyval *eo = pyarg_arg(call, 1, "execution_options");
		if (eo && eo->k != PV_NONE) {
			pyeval_error(ev, off, "op.execute with execution options is not supported");
			return;
		}
		/* Alembic runs a string as text(string): its ':name' are
		 * parameters and '\:' a colon, as for sa.text(). */
		const char *sql = x->k == PV_STR ? pyexec_text_sql(ev, x, x->s) : pyops_sql(ev, x, off);
		if (sql)
			pytable_emit(ev, off, sql);
	} else if (!strcmp(name, "create_table")) {
		pytable_op_create_table(ev, call, off);
	} else if (!strcmp(name, "drop_table")) {
		const char *t = pyarg_str_arg(ev, call, 0, "table_name", true, off, "drop_table");
		const char *s = pyarg_str_arg(ev, call, -1, "schema", false, off, "drop_table");
		if (t && call->n > 1) {
			pyeval_error(ev, call->v[1]->off, "drop_table with columns is not supported");
			return;
		}
		if (t)
			pytable_emit(ev, off, arena_printf(a, "DROP TABLE %s", pyquote_qtable(ev, s, t)));
	} else if (!strcmp(name, "rename_table")) {
		const char *o = pyarg_str_arg(ev, call, 0, "old_table_name", true, off, "rename_table");
		const char *n = pyarg_str_arg(ev, call, 1, "new_table_name", true, off, "rename_table");
		const char *s = pyarg_str_arg(ev, call, -1, "schema", false, off, "rename_table");
		if (o && n)
			pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s RENAME TO %s", pyquote_qtable(ev, s, o), pyops_quote(ev, n)));
	} else if (!strcmp(name, "add_column")) {
		pytable_op_add_column(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_column")) {
		const char *t = btable ? btable : pyarg_str_arg(ev, call, 0, "table_name", true, off, "drop_column");
		const char *c = pyarg_str_arg(ev, call, p + 1, "column_name", true, off, "drop_column");
		const char *s = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "drop_column");
		if (t && c)
			pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s DROP COLUMN %s", pyquote_qtable(ev, s, t), pyops_quote(ev, c)));
	} else if (!strcmp(name, "alter_column")) {
		pytable_op_alter_column(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_index")) {
		pyindex_op_create_index(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_index")) {
		pyindex_op_drop_index(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_foreign_key")) {
		pyindex_op_create_fk(ev, call, off, btable, bschema);
	} else if (!strcmp(name, "create_unique_constraint") || !strcmp(name, "create_primary_key") ||
		   !strcmp(name, "create_check_constraint")) {
		pyindex_op_simple_constraint(ev, name, call, off, btable, bschema);
	} else if (!strcmp(name, "drop_constraint")) {
		struct pyval *cn = pyarg_arg(call, 0, "constraint_name");
		if (cn && cn->k == PV_NONE) {
			/* SQLAlchemy cannot write DROP CONSTRAINT without a name:
			 * autogenerate leaves these in downgrades. */
			pyeval_alembic_fails(ev, off, "drop_constraint with no constraint name (None)");
			return;
		}
		const char *t = btable ? btable : pyarg_str_arg(ev, call, 1, "table_name", true, off, "drop_constraint");
		const char *s = btable ? bschema : pyarg_str_arg(ev, call, -1, "schema", false, off, "drop_constraint");
		const char *ty = pyarg_str_arg(ev, call, p + 2, "type_", false, off, "drop_constraint");
		/* schemaobj.generic_constraint: a constraint of the type, without
		 * columns; type_=None makes a plain Constraint, no convention's. */
		struct convtarget ct = { .table = t, .schema = s, .noelements = true };
		bool typed = ty && (!strcmp(ty, "foreignkey") || !strcmp(ty, "primary") || !strcmp(ty, "unique") ||
				    !strcmp(ty, "check"));
		if (ty && !typed) {
			pyeval_error(ev, pyarg_arg(call, p + 2, "type_")->off, "type_ '%s' of drop_constraint is not one of "
				     "'foreignkey', 'primary', 'unique', 'check' or None: Alembic fails", ty);
			return;
		}
		if (typed)
			ct.kind = ty[0] == 'f' ? PYCONV_FK : ty[0] == 'p' ? PYCONV_PK : ty[0] == 'u' ? PYCONV_UQ : PYCONV_CK;
		const char *c = t ? pyconstraint_ddl_name(ev, call, 0, "constraint_name", true, off, "drop_constraint",
							  typed ? &ct : NULL) : NULL;
		if (c && t)
			pytable_emit(ev, off, arena_printf(a, "ALTER TABLE %s DROP CONSTRAINT %s", pyquote_qtable(ev, s, t), pyops_quote(ev, c)));
	} else if (!strcmp(name, "create_table_comment") || !strcmp(name, "drop_table_comment")) {
		const char *t = pyarg_str_arg(ev, call, 0, "table_name", true, off, name);
		const char *s = pyarg_str_arg(ev, call, -1, "schema", false, off, name);
		struct pyval *cm = name[0] == 'c' ? pyarg_arg(call, 1, "comment") : NULL;
		const char *lit = cm ? pyops_literal(ev, cm, off) : "NULL";
		if (t && lit)
			pytable_emit(ev, off, arena_printf(a, "COMMENT ON TABLE %s IS %s", pyquote_qtable(ev, s, t), lit));
	} else if (!strcmp(name, "bulk_insert")) {
		pyexec_op_bulk_insert(ev, call, off);
	} else {
		pyeval_error(ev, off, "operation '%s' is not supported by retort", name);
		diag_hint("%s", pyquote_HINT);
	}
}
