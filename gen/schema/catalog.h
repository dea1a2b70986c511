/*
 * catalog.h - read a database's schema into a model, in a few queries
 *
 * One query per kind of object (about fifteen in all, whatever the size of
 * the schema), inside one read-only repeatable-read transaction so that they
 * see the same snapshot, with search_path = '' so that every name the server
 * prints comes out schema-qualified.
 */
#ifndef GEN_SCHEMA_CATALOG_H
#define GEN_SCHEMA_CATALOG_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "arena.h"
#include "schema/model.h"

/*
 * Reads the schemas named in `schemas` (a text[] literal such as "{a,b}", or
 * NULL for every non-system schema) into *m. Extension members are the
 * extension's; retort's and Alembic's version tables are left out. With
 * `privileges`, the access lists of schemas, tables, columns, sequences,
 * functions and types that differ from their defaults are objects too.
 * Returns 0, or -1 after reporting the failed query.
 */
int catalog_read(PGconn *conn, struct arena *a, const char *schemas, bool privileges,
		 struct smodel *m);

#endif
