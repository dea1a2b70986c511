/*
 * pyint.h - what the evaluator lends the operation renderer (private to gen/py/)
 *
 * The renderer (pyops.c and the files of pyopsint.h) sees struct pyeval
 * only through these: its arena, file and [types], errors, the statements
 * it emits, and the few value helpers it needs. Nothing outside gen/py/
 * includes this header.
 */
#ifndef GEN_PY_PYINT_H
#define GEN_PY_PYINT_H

#include <stdbool.h>
#include <stddef.h>

#include "pyeval.h"

struct arena *pyeval_arena(struct pyeval *ev);
const struct src_file *pyeval_file(struct pyeval *ev);
const struct pytypemap *pyeval_types(struct pyeval *ev);
/* Reports an error at off and marks the evaluation failed. */
void pyeval_error(struct pyeval *ev, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool pyeval_failed(struct pyeval *ev);
/* An operation that real Alembic cannot run (`why` names it): the body
 * stops there as at a 'raise'; a downgrade that does so is absent (with a
 * warning), an upgrade is an error. */
void pyeval_alembic_fails(struct pyeval *ev, size_t off, const char *why);
/* Appends one statement (text without the final ';', which is added). */
void pyeval_emit(struct pyeval *ev, size_t off, const char *sql);
/* The next creation-order number. */
unsigned pyeval_order(struct pyeval *ev);
/* sqlalchemy.types.String -> sa.String, the PostgreSQL dialect's names ->
 * pg.X, alembic.op.X -> op.X, func.X; other paths stay as they are. */
const char *pyeval_canon(struct pyeval *ev, const char *path);
/* Whether create_table already made enum type `name` in this body (Alembic's
 * DDL runner memo); records it. */
bool pyeval_memo(struct pyeval *ev, const char *name);
/* A value as Python's str() would print it, for names and messages. */
const char *pyeval_describe(struct pyeval *ev, const struct pyval *v);

/* Keyword or positional argument `pos` (-1: keyword only) of an OBJ. */
struct pyval *pv_arg(const struct pyval *obj, int pos, const char *kw);
bool pv_truthy(const struct pyval *v);
/* pv_truthy() of argument `kw` of an operation; what the application holds
 * is not known at build time: an error at v, and false. */
bool pyeval_truth(struct pyeval *ev, const struct pyval *v, const char *kw);
bool pv_is_obj(const struct pyval *v, const char *name);

#endif
