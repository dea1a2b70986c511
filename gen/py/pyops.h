/*
 * pyops.h - render Alembic operations to PostgreSQL DDL as SQLAlchemy 1.4's
 * PostgreSQL dialect and Alembic 1.8 write it
 *
 * The evaluator hands over each op.NAME(...) call with its arguments already
 * evaluated; the statements go out through pyeval_emit() at the call's
 * offset. Rendering errors (a type without a mapping, an argument that is
 * not static) are reported at the argument's position.
 */
#ifndef GEN_PYOPS_H
#define GEN_PYOPS_H

#include <stdbool.h>

#include "pyeval.h"

/* Whether NAME is an operation (op.NAME / batch_op.NAME) pyops knows. */
bool pyops_known(const char *name, bool batch);
/* Renders op.NAME (batch_table NULL) or batch_op.NAME on batch_table;
 * `call` is an OBJ holding the arguments. */
void pyops_call(struct pyeval *ev, const char *name, const struct pyval *call, size_t off,
		const char *batch_table, const char *batch_schema);
/* sa.Enum(...).create(bind) / .drop(bind). */
void pyops_enum(struct pyeval *ev, const struct pyval *type, bool create, bool checkfirst,
		size_t off);
/* The SQL that op.execute(x) / conn.execute(x) runs; NULL after an error. */
const char *pyops_sql(struct pyeval *ev, const struct pyval *v, size_t off);
/* A value as an SQL literal ('it''s', 42, NULL, true); NULL after an error. */
const char *pyops_literal(struct pyeval *ev, const struct pyval *v, size_t off);
/* An identifier quoted as SQLAlchemy's PostgreSQL preparer quotes it. */
const char *pyops_quote(struct pyeval *ev, const char *name);

#endif
