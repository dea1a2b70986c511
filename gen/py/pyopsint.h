/*
 * pyopsint.h - what the files of the operation renderer share (private to gen/py/)
 *
 * The renderer is split by what it writes: pyquote.c (identifiers and
 * literals), pyarg.c (reading an operation's arguments), pyexec.c
 * (op.execute, bulk_insert), pytype.c (types and ENUMs), pycolumn.c
 * (columns), pyconstraint.c (constraints, naming conventions), pytable.c
 * and pyindex.c (the operations), pyops.c (the dispatch of pyops.h).
 */
#ifndef GEN_PY_PYOPSINT_H
#define GEN_PY_PYOPSINT_H

#include <stdbool.h>
#include <stddef.h>

#include "pyint.h"
#include "pyops.h"

enum affinity { AFF_OTHER, AFF_INT, AFF_BIGINT, AFF_SMALLINT, AFF_NUMERIC };

struct enuminfo {
	const char *name;        /* quoted, schema-qualified */
	const char *raw;         /* as given (an enum class's: its name in lower case) */
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
	/* A non-native Enum with create_constraint=True: its CHECK's name
	 * (the Enum's, NULL: unnamed) and value list "('a', 'b')". */
	const char *ck_name, *ck_in;
};


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

/* ---- pyquote.c */
extern const char pyquote_HINT[];
const char *pyquote_qtable(struct pyeval *ev, const char *schema, const char *name);
const char *pyquote_quote_lit(struct pyeval *ev, const char *s, size_t len);

/* ---- pyarg.c */
struct pyval *pyarg_arg(const struct pyval *call, int pos, const char *kw);
const char *pyarg_str_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw,
			  bool required, size_t off, const char *what);
bool pyarg_bool_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool dflt);
bool pyarg_check_kwargs(struct pyeval *ev, const struct pyval *call, const char *const *known,
			const char *what);
const char **pyarg_names_arg(struct pyeval *ev, struct pyval *v, size_t *n, const char *what);
const char *pyarg_join_quoted(struct pyeval *ev, const char **names, size_t n);

/* ---- pyexec.c */
const char *pyexec_text_sql(struct pyeval *ev, const struct pyval *v, const char *t);
/* pyops_sql() of an expression in DDL, where SQLAlchemy drops the table of
 * a column: a table-qualified one (t.c.x) is an error. */
const char *pyexec_ddl_sql(struct pyeval *ev, const struct pyval *v, size_t off);
void pyexec_op_bulk_insert(struct pyeval *ev, const struct pyval *call, size_t off);

/* ---- pytype.c */
bool pytype_type_sql(struct pyeval *ev, const struct pyval *t, struct typeinfo *ti, size_t off);
void pytype_emit_create_enum(struct pyeval *ev, const struct enuminfo *e, size_t off);

/* ---- pycolumn.c */
bool pycolumn_parse_column(struct pyeval *ev, const struct pyval *o, struct column *col);
const char *pycolumn_server_default_sql(struct pyeval *ev, struct pyval *d);
const char *pycolumn_column_spec(struct pyeval *ev, const struct column *c, bool autoinc);
bool pycolumn_autoinc_ok(const struct column *c, bool explicit_true);

/* ---- pyconstraint.c */
const char *pyconstraint_deferrable_sql(struct pyeval *ev, const struct pyval *o);
const char *pyconstraint_fk_clause(struct pyeval *ev, const struct fk *f);
bool pyconstraint_split_target(struct pyeval *ev, const char *spec, const char **table, const char **col, size_t off);
const char *pyconstraint_conv_of(struct pyeval *ev, enum pyconv k);
/* " NULLS [NOT] DISTINCT" of a unique constraint or index's
 * postgresql_nulls_not_distinct; "" when absent or None. */
const char *pyconstraint_nulls_distinct(struct pyeval *ev, const struct pyval *o);
bool pyconstraint_conv_declared(struct pyeval *ev);
bool pyconstraint_conv_name(struct pyeval *ev, const struct convtarget *t, const char *given, bool given_conv,
			    size_t off, const char **out);
const char *pyconstraint_ddl_name(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool required,
				  size_t off, const char *what, const struct convtarget *t);
const char *pyconstraint_constraint_name(struct pyeval *ev, const struct pyval *o, const struct convtarget *t);
void pyconstraint_fk_target(struct pyeval *ev, struct convtarget *t, const struct convtarget *tab, const char **cols,
			    size_t n, const char *const *specs);
const char *pyconstraint_table_constraint(struct pyeval *ev, const struct pyval *o, const struct convtarget *tab);
const char *pyconstraint_unnamed_index(struct pyeval *ev, const char *table, const char *schema, const char **cols,
				       const char **keys, size_t n, size_t off);

/* ---- pytable.c */
void pytable_emit(struct pyeval *ev, size_t off, const char *sql);
void pytable_op_create_table(struct pyeval *ev, const struct pyval *call, size_t off);
void pytable_op_add_column(struct pyeval *ev, const struct pyval *call, size_t off,
			   const char *btable, const char *bschema);
void pytable_op_alter_column(struct pyeval *ev, const struct pyval *call, size_t off,
			     const char *btable, const char *bschema);

/* ---- pyindex.c */
void pyindex_op_create_index(struct pyeval *ev, const struct pyval *call, size_t off,
			     const char *btable, const char *bschema);
void pyindex_op_drop_index(struct pyeval *ev, const struct pyval *call, size_t off,
			   const char *btable, const char *bschema);
void pyindex_op_create_fk(struct pyeval *ev, const struct pyval *call, size_t off,
			  const char *btable, const char *bschema);
void pyindex_op_simple_constraint(struct pyeval *ev, const char *kind, const struct pyval *call, size_t off,
				  const char *btable, const char *bschema);

#endif
