/*
 * model.h - a PostgreSQL schema as retort compares it
 *
 * A model is a flat list of objects, each named by a key unique in its model
 * ("table public.t", "column public.t.c", "comment index public.i"). Whatever
 * can be compared as text is: every definition is what the server prints
 * (pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, format_type, ...),
 * read with search_path = '' so that names come out schema-qualified and two
 * databases print equal things equally. Each object carries the statements
 * that create and drop it, so the diff needs no per-kind SQL grammar except
 * where PostgreSQL offers an ALTER that keeps data (columns, enums,
 * sequences, extensions, functions).
 *
 * Table flags, OWNED BY, comments and privileges (the access list of one
 * object, when asked for) are objects of their own, parented to
 * what they describe: they are then created, dropped and ordered like the
 * rest. Dependencies come from pg_depend (plus parent links) and order the
 * statements.
 */
#ifndef GEN_SCHEMA_MODEL_H
#define GEN_SCHEMA_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* X(name, word shown in keys and messages); the order is the tie-break order
 * of statements of the same phase. */
#define SCHEMA_KINDS(X) \
	X(SCHEMA, "schema") \
	X(EXTENSION, "extension") \
	X(TYPE, "type") \
	X(SEQUENCE, "sequence") \
	X(TABLE, "table") \
	X(COLUMN, "column") \
	X(OWNEDBY, "owned-by") \
	X(CONSTRAINT, "constraint") \
	X(INDEX, "index") \
	X(FUNCTION, "function") \
	X(VIEW, "view") \
	X(MATVIEW, "materialized-view") \
	X(TRIGGER, "trigger") \
	X(RLS, "row-security") \
	X(POLICY, "policy") \
	X(PRIVILEGE, "privileges") \
	X(COMMENT, "comment")

enum skind {
#define X(n, w) SK_##n,
	SCHEMA_KINDS(X)
#undef X
	SK__N
};

extern const char *const skind_word[SK__N];

struct sobj {
	enum skind kind;
	const char *key;    /* unique in the model: "<word> <name>" */
	const char *name;   /* quoted, qualified: public."T", public.f(integer) */
	const char *def;    /* compared text */
	const char *create; /* statement(s) without the final ';' */
	const char *drop;
	const char *parent; /* key of the object this belongs to, or NULL */
	const char *dep_key; /* one more dependency, by key (OWNED BY's column) */

	/* Columns. */
	const char *table;  /* quoted qualified table */
	const char *col;    /* quoted column name */
	const char *type;   /* format_type */
	const char *collation; /* quoted, NULL: the type's */
	const char *dflt;   /* default expression, NULL: none */
	char identity;      /* 'a', 'd' or 0 */
	const char *generated; /* stored expression, NULL: not generated */
	bool notnull;
	bool local;         /* declared here, not inherited from a parent table */

	/* Enums: labels in order. Composite types: attribute names, in order.
	 * Privileges: access list entries (privilege.h).
	 * Functions: result type. Sequences: options. */
	const char **labels;
	size_t n_labels;
	const char **attr_types; /* composite types: labels are attribute names */
	const char *extra;
	char relkind;       /* tables: 'r' or 'p'; types: typtype */

	/* Dependencies: indexes into the same model, filled by model_link. */
	size_t *deps;
	size_t n_deps, cap_deps;
};

struct smodel {
	struct sobj *v;
	size_t n, cap;
	size_t *by_key;      /* indexes sorted by key */
	const char **unsupported; /* "aggregate public.a(integer)" ... */
	size_t n_unsupported, cap_unsupported;
	const char *server;  /* "PostgreSQL 15.4" */
};

struct sobj *model_add(struct arena *a, struct smodel *m, enum skind kind, const char *name);
/* Sorts the key index; call once all objects are in. Returns a duplicate
 * key's object when there is one (a reading bug), else NULL. */
const struct sobj *model_index(struct arena *a, struct smodel *m);
/* Index of the object with `key`, or -1. */
long model_find(const struct smodel *m, const char *key);
void model_add_dep(struct arena *a, struct sobj *o, size_t on);

#endif
