/*
 * rules.c - what each lint rule looks for in a parsed statement
 *
 * The rules walk revisions in topological order and keep facts about what
 * the graph has done so far: which tables exist and which revision created
 * them, the declared type of each column, which CHECK (col IS NOT NULL)
 * constraints are validated. "An existing table" is one this revision did
 * not create: a file-by-file linter cannot tell a table created three
 * revisions ago (full of rows in production) from one created in this one.
 */
#include "lint/rules.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/sqllex.h"

const struct lint_rule_info lint_rules[LR__COUNT] = {
#define X(id, name, sev, summary) { name, sev, summary },
	LINT_RULES(X)
#undef X
};

int lint_rule_find(const char *name, size_t n)
{
	for (int i = 0; i < LR__COUNT; i++)
		if (strlen(lint_rules[i].name) == n && strncmp(lint_rules[i].name, name, n) == 0)
			return i;
	return -1;
}

/* ---- facts: a string-keyed hash table in the arena --------------------------- */

struct fact {
	const char *key;
	const struct rev *creator; /* tables, indexes: the revision that created it */
	bool fresh;                /* created by a revision of the same run (--since) */
	const struct stmt *def;    /* tables: the CREATE TABLE, its columns not yet read */
	const char *text;          /* columns: the type; checks: the column */
	bool valid;                /* not-null checks: validated */
};

struct session_set {
	struct lint_stmt at;
	size_t off;
	const char *name;
};

struct enum_value {
	const char *lit;           /* quoted as a literal: 'value' */
	const struct rev *rev;     /* the revision that added it */
	bool fresh;                /* in the same run (--since) */
};

struct lint_facts {
	struct arena *a;
	struct fact *v;
	size_t cap, n;
	struct strbuf key;

	/* The revision being judged. */
	const struct rev *rev;
	bool fresh;
	bool lock_timeout_set;
	bool lock_noted;           /* once a run: the fix is the run's option */
	struct session_set *sets;
	size_t n_sets, cap_sets;
	struct enum_value *enums;  /* added by ALTER TYPE ... ADD VALUE in a transaction */
	size_t n_enum, cap_enum;
	size_t live_enums;         /* those this revision's transaction may still hold */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static struct fact *slot(struct lint_facts *lf, const char *key)
{
	size_t i = (size_t)hash(key) & (lf->cap - 1);
	while (lf->v[i].key && strcmp(lf->v[i].key, key) != 0)
		i = (i + 1) & (lf->cap - 1);
	return &lf->v[i];
}

static struct fact *lookup(struct lint_facts *lf, const char *key)
{
	struct fact *f = slot(lf, key);
	return f->key ? f : NULL;
}

/* The fact for key, made when missing. Removal is by clearing `creator`. */
static struct fact *upsert(struct lint_facts *lf, const char *key)
{
	if (2 * (lf->n + 1) > lf->cap) {
		struct fact *old = lf->v;
		size_t old_cap = lf->cap;
		lf->cap = old_cap ? 2 * old_cap : 256;
		lf->v = arena_alloc(lf->a, lf->cap * sizeof *lf->v);
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key)
				*slot(lf, old[i].key) = old[i];
	}
	struct fact *f = slot(lf, key);
	if (!f->key) {
		f->key = arena_strdup(lf->a, key);
		lf->n++;
	}
	return f;
}

struct lint_facts *lint_facts_new(struct arena *a)
{
	struct lint_facts *lf = arena_alloc(a, sizeof *lf);
	lf->a = a;
	lf->cap = 256;
	lf->v = arena_alloc(a, lf->cap * sizeof *lf->v);
	return lf;
}

void lint_facts_end(struct lint_facts *lf)
{
	sb_release(&lf->key);
}

/* "KIND:a.b" in the scratch buffer. */
static const char *key2(struct lint_facts *lf, char kind, const char *a, const char *b)
{
	sb_reset(&lf->key);
	sb_addf(&lf->key, "%c:%s%s%s", kind, a, b ? "." : "", b ? b : "");
	return lf->key.buf;
}

/* ---- reading the tree ------------------------------------------------------------ */

static bool empty(const char *s)
{
	return !s || !*s;
}

/* A table's name as facts know it: "rel", or "schema.rel" outside public. */
static const char *rv_name(struct lint_facts *lf, const PgQuery__RangeVar *rv)
{
	if (!rv || empty(rv->relname))
		return NULL;
	if (empty(rv->schemaname) || strcmp(rv->schemaname, "public") == 0)
		return arena_strdup(lf->a, rv->relname);
	return arena_printf(lf->a, "%s.%s", rv->schemaname, rv->relname);
}

/* The same for a name given as a list of String nodes (DROP). */
static const char *list_name(struct lint_facts *lf, const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_LIST || !n->list->n_items)
		return NULL;
	size_t k = n->list->n_items;
	const PgQuery__Node *last = n->list->items[k - 1];
	if (last->node_case != PG_QUERY__NODE__NODE_STRING)
		return NULL;
	if (k >= 2) {
		const PgQuery__Node *schema = n->list->items[k - 2];
		if (schema->node_case == PG_QUERY__NODE__NODE_STRING &&
		    strcmp(schema->string->sval, "public") != 0)
			return arena_printf(lf->a, "%s.%s", schema->string->sval, last->string->sval);
	}
	return last->string->sval;
}

/* Whether the table was created by this revision (or, with --since, this run). */
static bool is_new(struct lint_facts *lf, const char *table)
{
	struct fact *f = table ? lookup(lf, key2(lf, 't', table, NULL)) : NULL;
	return f && f->creator && (f->creator == lf->rev || f->fresh);
}

static bool is_new_index(struct lint_facts *lf, const char *index)
{
	struct fact *f = index ? lookup(lf, key2(lf, 'i', index, NULL)) : NULL;
	return f && f->creator && (f->creator == lf->rev || f->fresh);
}

static void created(struct lint_facts *lf, char kind, const char *name)
{
	if (!name)
		return;
	struct fact *f = upsert(lf, key2(lf, kind, name, NULL));
	f->creator = lf->rev;
	f->fresh = lf->fresh;
	f->def = NULL;
}

static void dropped(struct lint_facts *lf, char kind, const char *name)
{
	struct fact *f = name ? lookup(lf, key2(lf, kind, name, NULL)) : NULL;
	if (f)
		f->creator = NULL;
}

/* A type as written, canonical enough to compare: "varchar(20)", "text". */
static const char *type_text(struct lint_facts *lf, const PgQuery__TypeName *t)
{
	struct strbuf sb = STRBUF_INIT;

	if (!t || !t->n_names)
		return NULL;
	const PgQuery__Node *last = t->names[t->n_names - 1];
	if (last->node_case != PG_QUERY__NODE__NODE_STRING)
		return NULL;
	sb_addstr(&sb, last->string->sval);
	for (size_t i = 0; i < t->n_typmods; i++) {
		const PgQuery__Node *m = t->typmods[i];
		if (m->node_case != PG_QUERY__NODE__NODE_A_CONST ||
		    m->a_const->val_case != PG_QUERY__A__CONST__VAL_IVAL) {
			sb_release(&sb);
			return NULL;
		}
		sb_addf(&sb, "%s%d", i ? "," : "(", m->a_const->ival->ival);
	}
	if (t->n_typmods)
		sb_addch(&sb, ')');
	if (t->n_array_bounds)
		sb_addstr(&sb, "[]");
	const char *s = arena_strdup(lf->a, sb.buf);
	sb_release(&sb);
	return s;
}

/* The first typmod of "name(n...)" when the base is `base`, 0 for none, -1 otherwise. */
static long typmod_of(const char *type, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(type, base, n) != 0)
		return -1;
	if (type[n] == '\0')
		return 0;
	if (type[n] != '(')
		return -1;
	return strtol(type + n + 1, NULL, 10);
}

/*
 * Whether changing a column from `from` to `to` keeps its bytes: PostgreSQL
 * then only checks, or does nothing (ATColumnChangeRequiresRewrite).
 */
static bool binary_widening(const char *from, const char *to)
{
	if (strcmp(from, to) == 0)
		return true;
	long f = typmod_of(from, "varchar"), t = typmod_of(to, "varchar");
	if ((f >= 0 || strcmp(from, "text") == 0) && (strcmp(to, "text") == 0 || t == 0))
		return true;
	if (f > 0 && t > 0)
		return t >= f;
	/* numeric(p,s) to numeric(p2,s) with p2 >= p, or to plain numeric. */
	f = typmod_of(from, "numeric"), t = typmod_of(to, "numeric");
	if (f >= 0 && t == 0)
		return true;
	if (f > 0 && t >= f) {
		const char *fs = strchr(from, ','), *ts = strchr(to, ',');
		return fs && ts ? strtol(fs + 1, NULL, 10) == strtol(ts + 1, NULL, 10) : !fs && !ts;
	}
	return false;
}

static bool is_func(const PgQuery__Node *n, const char *name)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_FUNC_CALL || !n->func_call->n_funcname)
		return false;
	const PgQuery__Node *last = n->func_call->funcname[n->func_call->n_funcname - 1];
	return last->node_case == PG_QUERY__NODE__NODE_STRING &&
	       strcmp(last->string->sval, name) == 0;
}

/* Functions whose default differs row by row: ADD COLUMN must rewrite. */
static const char *const volatile_funcs[] = {
	"clock_timestamp", "gen_random_uuid", "nextval", "random", "timeofday",
	"uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
};

/* The first volatile function called in an expression (a shallow walk). */
static const char *volatile_call(const PgQuery__Node *n, int depth)
{
	if (!n || depth > 32)
		return NULL;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_FUNC_CALL:
		for (size_t i = 0; i < sizeof volatile_funcs / sizeof *volatile_funcs; i++)
			if (is_func(n, volatile_funcs[i]))
				return volatile_funcs[i];
		for (size_t i = 0; i < n->func_call->n_args; i++) {
			const char *v = volatile_call(n->func_call->args[i], depth + 1);
			if (v)
				return v;
		}
		return NULL;
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return volatile_call(n->type_cast->arg, depth + 1);
	case PG_QUERY__NODE__NODE_A_EXPR:
		{
			const char *v = volatile_call(n->a_expr->lexpr, depth + 1);
			return v ? v : volatile_call(n->a_expr->rexpr, depth + 1);
		}
	case PG_QUERY__NODE__NODE_COALESCE_EXPR:
		for (size_t i = 0; i < n->coalesce_expr->n_args; i++) {
			const char *v = volatile_call(n->coalesce_expr->args[i], depth + 1);
			if (v)
				return v;
		}
		return NULL;
	default:
		return NULL;
	}
}

/* "col" of CHECK (col IS NOT NULL), else NULL. */
static const char *not_null_check(const PgQuery__Constraint *c)
{
	const PgQuery__Node *e = c->raw_expr;
	if (!e || e->node_case != PG_QUERY__NODE__NODE_NULL_TEST ||
	    e->null_test->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL)
		return NULL;
	const PgQuery__Node *arg = e->null_test->arg;
	if (!arg || arg->node_case != PG_QUERY__NODE__NODE_COLUMN_REF ||
	    arg->column_ref->n_fields != 1 ||
	    arg->column_ref->fields[0]->node_case != PG_QUERY__NODE__NODE_STRING)
		return NULL;
	return arg->column_ref->fields[0]->string->sval;
}

static bool has_option(PgQuery__Node *const *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i]->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(opts[i]->def_elem->defname, name) == 0)
			return true;
	return false;
}

/* ---- the rules -------------------------------------------------------------------- */

static bool is_py(const struct lint_stmt *s)
{
	size_t n = strlen(s->rev->file->path);
	return n > 3 && strcmp(s->rev->file->path + n - 3, ".py") == 0;
}

static const char *no_tx_hint(const struct lint_stmt *s)
{
	return is_py(s) ? "run it inside 'with op.get_context().autocommit_block():'"
			: "move it to a revision of its own with '-- Transactional: false' in its header";
}

static void needs_no_tx(const struct lint_stmt *s, const char *what)
{
	if (s->in_transaction)
		lint_report(s, LR_NEEDS_NO_TRANSACTION, 0, no_tx_hint(s),
			    "%s cannot run inside a transaction block", what);
}

/* A statement that blocks reads or writes of an existing table while it runs. */
static void blocks(struct lint_facts *lf, const struct lint_stmt *s, const char *table)
{
	if (lf->lock_timeout_set || lf->lock_noted || !table || is_new(lf, table) || !s->judged)
		return;
	lf->lock_noted = true;
	lint_report(s, LR_LOCK_TIMEOUT, 0,
		    "run the migrator with --db-lock-timeout (then turn this rule off in retort.ini's "
		    "[lint]), or begin the revision with SET LOCAL lock_timeout = '5s'",
		    "this revision locks existing table '%s' and sets no lock_timeout: queued "
		    "behind a long query, it blocks every query of the table (noted once a run)",
		    table);
}

static void check_index(struct lint_facts *lf, const struct lint_stmt *s, const PgQuery__IndexStmt *is)
{
	const char *table = rv_name(lf, is->relation);

	if (is->concurrent) {
		needs_no_tx(s, "CREATE INDEX CONCURRENTLY");
	} else if (table && !is_new(lf, table)) {
		lint_report(s, LR_REQUIRE_CONCURRENT_INDEX, 0,
			    "CREATE INDEX CONCURRENTLY, in a revision with '-- Transactional: false'",
			    "CREATE INDEX without CONCURRENTLY blocks writes to existing table '%s' "
			    "until the index is built", table);
		blocks(lf, s, table);
	}
	if (!empty(is->idxname) && is->relation)
		created(lf, 'i', !empty(is->relation->schemaname) &&
			strcmp(is->relation->schemaname, "public") != 0 ?
			arena_printf(lf->a, "%s.%s", is->relation->schemaname, is->idxname) :
			is->idxname);
}

static void check_drop(struct lint_facts *lf, const struct lint_stmt *s, const PgQuery__DropStmt *ds)
{
	if (ds->concurrent)
		needs_no_tx(s, "DROP INDEX CONCURRENTLY");
	for (size_t i = 0; i < ds->n_objects; i++) {
		const char *name = list_name(lf, ds->objects[i]);
		if (!name)
			continue;
		if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
			if (!is_new(lf, name)) {
				lint_report(s, LR_DROP_TABLE, 0,
					    "first release code that no longer uses it; drop it in a "
					    "later release",
					    "dropping table '%s' breaks the release still running", name);
				blocks(lf, s, name);
			}
			dropped(lf, 't', name);
		} else if (ds->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
			if (!ds->concurrent && !is_new_index(lf, name))
				lint_report(s, LR_REQUIRE_CONCURRENT_INDEX_DROP, 0,
					    "DROP INDEX CONCURRENTLY, in a revision with "
					    "'-- Transactional: false'",
					    "DROP INDEX without CONCURRENTLY locks the table of '%s' "
					    "against reads and writes", name);
			dropped(lf, 'i', name);
		}
	}
}

/* Records the declared columns; `replace`: over what later statements said. */
static void remember_columns(struct lint_facts *lf, const char *table, PgQuery__Node *const *elts,
			     size_t n, bool replace)
{
	for (size_t i = 0; i < n; i++) {
		if (elts[i]->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			continue;
		const PgQuery__ColumnDef *cd = elts[i]->column_def;
		const char *type = type_text(lf, cd->type_name);
		if (!type || empty(cd->colname))
			continue;
		struct fact *f = upsert(lf, key2(lf, 'c', table, cd->colname));
		if (replace || !f->text)
			f->text = type;
	}
}

static void check_add_column(struct lint_facts *lf, const struct lint_stmt *s, const char *table,
			     bool existing, const PgQuery__ColumnDef *cd)
{
	const char *type = type_text(lf, cd->type_name);
	if (type && !empty(cd->colname))
		upsert(lf, key2(lf, 'c', table, cd->colname))->text = type;
	if (!existing)
		return;
	const char *why = NULL;
	if (type && (strcmp(type, "serial") == 0 || strcmp(type, "bigserial") == 0 ||
		     strcmp(type, "smallserial") == 0 || strcmp(type, "serial4") == 0 ||
		     strcmp(type, "serial8") == 0 || strcmp(type, "serial2") == 0))
		why = arena_printf(lf->a, "a %s column takes nextval() for each row", type);
	for (size_t i = 0; i < cd->n_constraints; i++) {
		if (cd->constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		const PgQuery__Constraint *c = cd->constraints[i]->constraint;
		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT) {
			const char *f = volatile_call(c->raw_expr, 0);
			if (f && !why)
				why = arena_printf(lf->a, "its default calls volatile %s()", f);
		} else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY && !why) {
			why = "an identity column takes a value for each row";
		} else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED && !why) {
			why = "a stored generated column is computed for each row";
		} else if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
			   c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE) {
			lint_report(s, LR_CONSTRAINT_WITHOUT_INDEX, (size_t)c->location,
				    "add the column, CREATE UNIQUE INDEX CONCURRENTLY, then "
				    "ADD CONSTRAINT ... USING INDEX",
				    "adding column '%s' with a %s constraint builds its index while "
				    "'%s' is locked against reads and writes", cd->colname,
				    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ? "PRIMARY KEY"
											 : "UNIQUE",
				    table);
		}
	}
	if (why)
		lint_report(s, LR_VOLATILE_DEFAULT, (size_t)cd->location,
			    "add the column without the default, set the default, then backfill "
			    "existing rows in batches",
			    "adding column '%s' rewrites existing table '%s' under an exclusive lock: %s",
			    cd->colname, table, why);
}

static void check_constraint(struct lint_facts *lf, const struct lint_stmt *s, const char *table,
			     bool existing, const PgQuery__Constraint *c)
{
	size_t at = (size_t)c->location;

	switch (c->contype) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		if (existing && !c->skip_validation)
			lint_report(s, LR_CONSTRAINT_NOT_VALID, at,
				    "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later "
				    "statement or revision (it takes a lighter lock)",
				    "adding a %s constraint to existing table '%s' checks every row "
				    "while writes are blocked",
				    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN ? "FOREIGN KEY"
										       : "CHECK",
				    table);
		if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
			const char *col = not_null_check(c);
			if (col && !c->skip_validation)
				upsert(lf, key2(lf, 'n', table, col))->valid = true;
			else if (col && !empty(c->conname))
				upsert(lf, key2(lf, 'p', table, c->conname))->text =
					arena_strdup(lf->a, col);
		}
		break;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		if (existing && empty(c->indexname))
			lint_report(s, LR_CONSTRAINT_WITHOUT_INDEX, at,
				    "CREATE UNIQUE INDEX CONCURRENTLY first, then "
				    "ADD CONSTRAINT ... USING INDEX",
				    "adding a %s constraint to existing table '%s' builds its index "
				    "while the table is locked against reads and writes",
				    c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ? "PRIMARY KEY"
											: "UNIQUE",
				    table);
		break;
	default:
		break;
	}
}

/*
 * The declared type of table.col, reading the table's CREATE TABLE the
 * first time one of its columns is asked for (lint_check leaves it unparsed).
 */
static const char *column_type(struct lint_facts *lf, const char *table, const char *col)
{
	struct fact *t = lookup(lf, key2(lf, 't', table, NULL));
	if (t && t->creator && t->def) {
		const struct stmt *def = t->def;
		struct lint_parsed p;
		t->def = NULL;
		if (lint_parse(def->sql, def->len, true, &p) == 0 && p.tree && p.tree->n_stmts &&
		    p.tree->stmts[0]->stmt->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
			const PgQuery__CreateStmt *cs = p.tree->stmts[0]->stmt->create_stmt;
			remember_columns(lf, table, cs->table_elts, cs->n_table_elts, false);
		}
		lint_parsed_free(&p);
	}
	struct fact *f = lookup(lf, key2(lf, 'c', table, col));
	return f ? f->text : NULL;
}

static void check_alter_type(struct lint_facts *lf, const struct lint_stmt *s, const char *table,
			     bool existing, const PgQuery__AlterTableCmd *cmd)
{
	if (!cmd->def || cmd->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
		return;
	const PgQuery__ColumnDef *cd = cmd->def->column_def;
	const char *from = column_type(lf, table, cmd->name);
	const char *to = type_text(lf, cd->type_name);

	if (existing && !(from && to && !cd->raw_default && binary_widening(from, to))) {
		const char *hint = "add a column of the new type, backfill it in batches, then swap "
				   "(widening varchar(n), or to text, does not rewrite)";
		if (from && to)
			lint_report(s, LR_COLUMN_TYPE_REWRITE, 0, hint,
				    "changing column '%s' of existing table '%s' from %s to %s "
				    "rewrites the table under an exclusive lock", cmd->name, table,
				    from, to);
		else
			lint_report(s, LR_COLUMN_TYPE_REWRITE, 0, hint,
				    "changing the type of column '%s' of existing table '%s' may rewrite "
				    "the table under an exclusive lock", cmd->name, table);
	}
	if (to)
		upsert(lf, key2(lf, 'c', table, cmd->name))->text = to;
}

static void check_alter_table(struct lint_facts *lf, const struct lint_stmt *s,
			      const PgQuery__AlterTableStmt *at)
{
	const char *table = rv_name(lf, at->relation);

	if (!table || at->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	bool existing = !is_new(lf, table);
	for (size_t i = 0; i < at->n_cmds; i++) {
		if (at->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		const PgQuery__AlterTableCmd *cmd = at->cmds[i]->alter_table_cmd;
		const PgQuery__Node *def = cmd->def;
		switch (cmd->subtype) {
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
			if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				check_add_column(lf, s, table, existing, def->column_def);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
			if (existing)
				lint_report(s, LR_DROP_COLUMN, 0,
					    "first release code that no longer uses it; drop it in a "
					    "later release",
					    "dropping column '%s' of '%s' breaks the release still running",
					    cmd->name, table);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
			check_alter_type(lf, s, table, existing, cmd);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
			if (existing && !(lookup(lf, key2(lf, 'n', table, cmd->name)) &&
					  lookup(lf, key2(lf, 'n', table, cmd->name))->valid))
				lint_report(s, LR_SET_NOT_NULL, 0,
					    "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, "
					    "VALIDATE CONSTRAINT, then SET NOT NULL (it skips the scan)",
					    "SET NOT NULL on column '%s' of existing table '%s' scans every "
					    "row under an exclusive lock", cmd->name, table);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
			if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				check_constraint(lf, s, table, existing, def->constraint);
			break;
		case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint: {
			struct fact *p = lookup(lf, key2(lf, 'p', table, cmd->name));
			if (p && p->text)
				upsert(lf, key2(lf, 'n', table, p->text))->valid = true;
			continue; /* SHARE UPDATE EXCLUSIVE: reads and writes go on */
		}
		default:
			break;
		}
		blocks(lf, s, table);
	}
}

/*
 * The column facts of `from` ("c:", "n:", "p:" keys) under `to` as well: a
 * rename is rare, a walk over every fact is fine.
 */
static void rename_columns(struct lint_facts *lf, const char *from, const char *to)
{
	size_t n = strlen(from), cap = lf->cap;
	struct fact *v = lf->v;

	for (size_t i = 0; i < cap; i++) {
		const struct fact *f = &v[i];
		if (!f->key || !strchr("cnp", f->key[0]) || strncmp(f->key + 2, from, n) != 0 ||
		    f->key[2 + n] != '.')
			continue;
		struct fact copy = *f;
		char *key = arena_printf(lf->a, "%c:%s%s", copy.key[0], to, copy.key + 2 + n);
		struct fact *g = upsert(lf, key);
		g->text = copy.text;
		g->valid = copy.valid;
		/* upsert may have moved the table: start over on the new one. */
		if (lf->v != v) {
			rename_columns(lf, from, to);
			return;
		}
	}
}

static void check_rename(struct lint_facts *lf, const struct lint_stmt *s, const PgQuery__RenameStmt *rs)
{
	const char *table = rv_name(lf, rs->relation);

	if (!table)
		return;
	bool existing = !is_new(lf, table);
	if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
		if (existing)
			lint_report(s, LR_RENAME_TABLE, 0,
				    "create the new table or a view under the new name, move the code, "
				    "then drop the old one in a later release",
				    "renaming table '%s' to '%s' breaks the release still running",
				    table, rs->newname);
		struct fact *f = lookup(lf, key2(lf, 't', table, NULL));
		if (f && f->creator) {
			struct fact copy = *f;
			f->creator = NULL;
			struct fact *g = upsert(lf, key2(lf, 't', rs->newname, NULL));
			g->creator = copy.creator;
			g->fresh = copy.fresh;
			g->def = copy.def;
		}
		rename_columns(lf, table, rs->newname);
	} else if (rs->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN && existing) {
		lint_report(s, LR_RENAME_COLUMN, 0,
			    "add the new column, write both, backfill, move the code, then drop the "
			    "old column in a later release",
			    "renaming column '%s' of '%s' to '%s' breaks the release still running",
			    rs->subname, table, rs->newname);
	}
	if (existing)
		blocks(lf, s, table);
}

static void session_set(struct lint_facts *lf, const struct lint_stmt *s, const char *name, size_t off)
{
	arena_grow(lf->a, &lf->sets, &lf->cap_sets, lf->n_sets + 1, sizeof *lf->sets);
	lf->sets[lf->n_sets].at = *s;
	lf->sets[lf->n_sets].at.node = NULL;
	lf->sets[lf->n_sets].off = off;
	lf->sets[lf->n_sets++].name = arena_strdup(lf->a, name);
}

static void reset_setting(struct lint_facts *lf, const char *name)
{
	size_t k = 0;
	for (size_t i = 0; i < lf->n_sets; i++)
		if (name && strcasecmp(lf->sets[i].name, name) != 0)
			lf->sets[k++] = lf->sets[i];
	lf->n_sets = k;
}

static void check_set(struct lint_facts *lf, const struct lint_stmt *s, const PgQuery__VariableSetStmt *vs)
{
	const char *name = empty(vs->name) ? "" : vs->name;

	switch (vs->kind) {
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET:
		reset_setting(lf, name);
		return;
	case PG_QUERY__VARIABLE_SET_KIND__VAR_RESET_ALL:
		reset_setting(lf, NULL);
		return;
	default:
		break;
	}
	if (strcasecmp(name, "lock_timeout") == 0)
		lf->lock_timeout_set = true;
	if (vs->is_local || strcasecmp(name, "transaction") == 0)
		return;
	session_set(lf, s, name, 0);
}

/* SELECT set_config('name', value, false): a SET in disguise. */
static void check_select(struct lint_facts *lf, const struct lint_stmt *s, const PgQuery__SelectStmt *ss)
{
	for (size_t i = 0; i < ss->n_target_list; i++) {
		const PgQuery__Node *t = ss->target_list[i];
		if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET)
			continue;
		const PgQuery__Node *v = t->res_target->val;
		if (!is_func(v, "set_config") || v->func_call->n_args != 3)
			continue;
		const PgQuery__Node *local = v->func_call->args[2], *nm = v->func_call->args[0];
		if (local->node_case != PG_QUERY__NODE__NODE_A_CONST ||
		    local->a_const->val_case != PG_QUERY__A__CONST__VAL_BOOLVAL ||
		    local->a_const->boolval->boolval)
			continue;
		const char *name = "?";
		if (nm->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    nm->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
			name = nm->a_const->sval->sval;
		if (strcasecmp(name, "lock_timeout") == 0)
			lf->lock_timeout_set = true;
		session_set(lf, s, name, (size_t)v->func_call->location);
	}
}

/*
 * Whether a statement names, as a string literal, an enum value added in a
 * transaction that may still be open: this revision's, or (--since) that of
 * an earlier revision of the same run, which a run without
 * --transaction-per-migration shares.
 */
static void check_enum_use(struct lint_facts *lf, const struct lint_stmt *s)
{
	struct sqllex lx;
	enum sqltok t;

	if (!lf->live_enums || !s->in_transaction)
		return;
	sqllex_init_quiet(&lx, s->st->sql, s->st->len);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t != SQLTOK_STRING)
			continue;
		size_t n = lx.tok_end - lx.tok;
		for (size_t i = 0; i < lf->n_enum; i++) {
			const struct enum_value *e = &lf->enums[i];
			if ((e->rev != lf->rev && !e->fresh) || strlen(e->lit) != n ||
			    memcmp(e->lit, s->st->sql + lx.tok, n) != 0)
				continue;
			if (e->rev == lf->rev)
				lint_report(s, LR_ENUM_VALUE_SAME_TRANSACTION, lx.tok,
					    "use the value in a later revision, or add it in a "
					    "non-transactional revision",
					    "enum value %s was added by ALTER TYPE ... ADD VALUE in this "
					    "transaction: PostgreSQL refuses to use it before COMMIT",
					    e->lit);
			else
				lint_report(s, LR_ENUM_VALUE_SAME_TRANSACTION, lx.tok,
					    "run the migrator with --transaction-per-migration, or add "
					    "the value in a non-transactional revision",
					    "enum value %s was added by revision '%s' of the same run: "
					    "in one transaction for the whole run (the default), "
					    "PostgreSQL refuses to use it before COMMIT", e->lit, e->rev->id);
			return;
		}
	}
}

static void add_enum_value(struct lint_facts *lf, const struct lint_stmt *s, const char *v)
{
	if (!s->in_transaction)
		return;
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '\'');
	for (; *v; v++) {
		if (*v == '\'')
			sb_addch(&sb, '\'');
		sb_addch(&sb, *v);
	}
	sb_addch(&sb, '\'');
	arena_grow(lf->a, &lf->enums, &lf->cap_enum, lf->n_enum + 1, sizeof *lf->enums);
	lf->enums[lf->n_enum++] = (struct enum_value){ arena_strdup(lf->a, sb.buf), lf->rev, lf->fresh };
	lf->live_enums++;
	sb_release(&sb);
}

static void check_transaction(const struct lint_stmt *s, const PgQuery__TransactionStmt *ts)
{
	switch (ts->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
		lint_report(s, LR_TRANSACTION_CONTROL, 0,
			    "let retort run the revision's transaction; for statements that need "
			    "none, use '-- Transactional: false'",
			    "transaction control inside a revision: retort cannot undo or record "
			    "what it splits off");
		break;
	default:
		break;
	}
}

static bool exists(struct lint_facts *lf, const char *table)
{
	struct fact *f = lookup(lf, key2(lf, 't', table, NULL));
	return f && f->creator;
}

/* An identifier token as PostgreSQL folds it: unquoted ASCII lower-cased. */
static bool ident(struct strbuf *sb, const struct sqllex *lx, enum sqltok t)
{
	const char *p = lx->text + lx->tok, *e = lx->text + lx->tok_end;

	if (t == SQLTOK_IDENT) {
		for (; p < e; p++)
			sb_addch(sb, *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		return true;
	}
	if (t != SQLTOK_QIDENT || *p != '"')
		return false; /* U&"..." and the like: leave it to a tree */
	for (p++, e--; p < e; p++) {
		sb_addch(sb, *p);
		if (*p == '"')
			p++;
	}
	return true;
}

static enum sqltok next_token(struct sqllex *lx)
{
	enum sqltok t;
	do
		t = sqllex_next(lx);
	while (t == SQLTOK_SPACE || t == SQLTOK_LINE_COMMENT || t == SQLTOK_BLOCK_COMMENT);
	return t;
}

static bool word(const struct sqllex *lx, enum sqltok t, const char *w)
{
	size_t n = lx->tok_end - lx->tok;
	return t == SQLTOK_IDENT && strlen(w) == n && strncasecmp(lx->text + lx->tok, w, n) == 0;
}

/*
 * CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name,
 * read from the tokens of a statement the parser accepted without a tree:
 * the table is recorded, its columns are read when a rule asks for them.
 */
static void learn_create_table(struct lint_facts *lf, const struct lint_stmt *s)
{
	struct sqllex lx;
	struct strbuf name = STRBUF_INIT;
	enum sqltok t;
	bool if_not_exists = false;

	sqllex_init_quiet(&lx, s->st->sql + s->base, s->st->len - s->base);
	if (!word(&lx, next_token(&lx), "create"))
		return;
	t = next_token(&lx);
	if (word(&lx, t, "global") || word(&lx, t, "local"))
		t = next_token(&lx);
	if (word(&lx, t, "temp") || word(&lx, t, "temporary") || word(&lx, t, "unlogged"))
		t = next_token(&lx);
	if (!word(&lx, t, "table"))
		return;
	t = next_token(&lx);
	if (word(&lx, t, "if")) {
		next_token(&lx), next_token(&lx);
		t = next_token(&lx);
		if_not_exists = true;
	}
	if (ident(&name, &lx, t)) {
		t = next_token(&lx);
		if (t == SQLTOK_OTHER && lx.tok_end - lx.tok == 1 && lx.text[lx.tok] == '.') {
			if (name.len && strcmp(name.buf, "public") == 0)
				sb_reset(&name);
			else
				sb_addch(&name, '.');
			if (!ident(&name, &lx, next_token(&lx)))
				sb_reset(&name);
		}
	}
	if (name.len && !(if_not_exists && exists(lf, name.buf))) {
		created(lf, 't', name.buf);
		lookup(lf, key2(lf, 't', name.buf, NULL))->def = s->st;
	}
	sb_release(&name);
}

void lint_rev_begin(struct lint_facts *lf, const struct rev *r, bool fresh)
{
	lf->rev = r;
	lf->fresh = fresh;
	lf->lock_timeout_set = false;
	lf->n_sets = 0;
	lf->live_enums = 0;
	for (size_t i = 0; fresh && i < lf->n_enum; i++)
		lf->live_enums += lf->enums[i].fresh;
}

void lint_check(struct lint_facts *lf, const struct lint_stmt *s)
{
	const PgQuery__Node *n = s->node;

	if (s->ix == 1 && !s->rev->transactional)
		lint_report(s, LR_NON_TRANSACTIONAL_SEVERAL, 0,
			    "give each statement that needs no transaction a revision of its own",
			    "a non-transactional revision with several statements: a failure after "
			    "the first leaves it half-applied, and nothing can undo that");
	check_enum_use(lf, s);
	if (!n) {
		learn_create_table(lf, s);
		return;
	}
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		check_index(lf, s, n->index_stmt);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		check_drop(lf, s, n->drop_stmt);
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT: {
		const char *table = rv_name(lf, n->create_stmt->relation);
		/* CREATE TABLE IF NOT EXISTS of an existing table creates nothing. */
		if (table && !(n->create_stmt->if_not_exists && exists(lf, table))) {
			created(lf, 't', table);
			remember_columns(lf, table, n->create_stmt->table_elts,
					 n->create_stmt->n_table_elts, true);
		}
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT:
		if (n->create_table_as_stmt->into)
			created(lf, 't', rv_name(lf, n->create_table_as_stmt->into->rel));
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		check_alter_table(lf, s, n->alter_table_stmt);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		check_rename(lf, s, n->rename_stmt);
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT:
		check_set(lf, s, n->variable_set_stmt);
		break;
	case PG_QUERY__NODE__NODE_SELECT_STMT:
		check_select(lf, s, n->select_stmt);
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT:
		if (!empty(n->alter_enum_stmt->new_val) && empty(n->alter_enum_stmt->old_val))
			add_enum_value(lf, s, n->alter_enum_stmt->new_val);
		break;
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		check_transaction(s, n->transaction_stmt);
		break;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		for (size_t i = 0; i < n->truncate_stmt->n_relations; i++)
			if (n->truncate_stmt->relations[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
				blocks(lf, s, rv_name(lf, n->truncate_stmt->relations[i]->range_var));
		break;
	default:
		lint_check_down(s);
		break;
	}
}

void lint_check_down(const struct lint_stmt *s)
{
	const PgQuery__Node *n = s->node;

	if (!n)
		return;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (n->index_stmt->concurrent)
			needs_no_tx(s, "CREATE INDEX CONCURRENTLY");
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		if (n->drop_stmt->concurrent)
			needs_no_tx(s, "DROP INDEX CONCURRENTLY");
		break;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		if (has_option(n->reindex_stmt->params, n->reindex_stmt->n_params, "concurrently"))
			needs_no_tx(s, "REINDEX CONCURRENTLY");
		break;
	case PG_QUERY__NODE__NODE_VACUUM_STMT:
		if (n->vacuum_stmt->is_vacuumcmd)
			needs_no_tx(s, "VACUUM");
		break;
	case PG_QUERY__NODE__NODE_CREATEDB_STMT:
		needs_no_tx(s, "CREATE DATABASE");
		break;
	case PG_QUERY__NODE__NODE_DROPDB_STMT:
		needs_no_tx(s, "DROP DATABASE");
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_SPACE_STMT:
		needs_no_tx(s, "CREATE TABLESPACE");
		break;
	case PG_QUERY__NODE__NODE_DROP_TABLE_SPACE_STMT:
		needs_no_tx(s, "DROP TABLESPACE");
		break;
	case PG_QUERY__NODE__NODE_ALTER_SYSTEM_STMT:
		needs_no_tx(s, "ALTER SYSTEM");
		break;
	default:
		break;
	}
}

void lint_rev_end(struct lint_facts *lf)
{
	for (size_t i = 0; i < lf->n_sets; i++) {
		const struct lint_stmt *s = &lf->sets[i].at;
		lint_report(s, LR_SESSION_SETTING, lf->sets[i].off,
			    s->in_transaction ? "RESET it at the end of the revision (SET LOCAL lasts until "
						"COMMIT: the run's, or with --transaction-per-migration "
						"the revision's)"
					      : "RESET it before the revision ends",
			    "'%s' set for the session outlives this revision: every later revision "
			    "of the run inherits it", lf->sets[i].name);
	}
	lf->n_sets = 0;
}
