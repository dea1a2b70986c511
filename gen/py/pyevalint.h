/*
 * pyevalint.h - what the files of the evaluator share (private to gen/py/)
 *
 * The evaluator is split by stage: pyvalue.c (the value model), pyctx.c
 * (context: errors, bounds, scopes, names), pystr.c (string formatting and
 * methods), pyexpr.c (expressions), pycall.c and pybuiltin.c (calls),
 * pyattr.c (attributes and methods), pystmt.c (statements, entry points).
 * Each exports its functions with its own prefix; the public interface stays
 * pyeval.h.
 *
 * A tree-walking evaluator over pyparse's AST. Values that cannot be known
 * without the database or the application become PV_UNKNOWN carrying why
 * and where; at module level they stay quiet (unused imports and helpers
 * are fine), in a body the first use is the error, reported at the
 * construct itself. After the first error a body stops: what follows would
 * only repeat it.
 */
#ifndef GEN_PY_PYEVALINT_H
#define GEN_PY_PYEVALINT_H

#include <stdbool.h>
#include <stddef.h>

#include "pyint.h"
#include "pyops.h"

struct binding {
	const char *name;
	struct pyval *val;
	size_t off;
};

struct scope {
	struct binding *v;
	size_t n, cap;
	struct scope *parent;
};

enum flow { FLOW_NONE, FLOW_RETURN, FLOW_BREAK, FLOW_CONTINUE, FLOW_RAISE };

struct pyeval {
	struct arena *a;
	const struct src_file *f;
	const struct pymodule *m;
	const struct pyconfig *cfg;
	struct scope globals;
	struct stmt_list *out;
	bool failed;
	bool quiet;             /* module level: unknowns are remembered, not reported */
	unsigned autocommit;    /* inside op.get_context().autocommit_block() */
	unsigned order;
	enum flow flow;
	struct pyval *retval;
	unsigned depth;
	size_t raise_off;
	const char *raise_why;  /* set: an operation Alembic cannot run, not a 'raise' */
	const char **memo;      /* enum types create_table made in this body */
	size_t n_memo, cap_memo;
	/* bounds (PYEVAL_MAX_*) */
	size_t steps, held0, emitted;
	bool over;              /* one was reached: reported, the file stops */
	unsigned nesting;       /* of the value repr_into() or pyexpr_equal() walks */
	bool cut;               /* repr_into() stopped at a bound */
};


/* ---- pyvalue.c */
void pv_copy_items(void *dst, const void *src, size_t size);
struct pyval *pv_mk(struct pyeval *ev, enum pv k, size_t off);
struct pyval *pv_mk_str(struct pyeval *ev, const char *s, size_t len, size_t off);
struct pyval *pv_mk_cstr(struct pyeval *ev, const char *s, size_t off);
struct pyval *pv_mk_int(struct pyeval *ev, long long i, size_t off);
struct pyval *pv_mk_bool(struct pyeval *ev, bool b, size_t off);
struct pyval *pv_mk_ref(struct pyeval *ev, const char *path, size_t off);
struct pyval *pv_none_val(struct pyeval *ev, size_t off);
bool pv_repr_value(struct pyeval *ev, const struct pyval *v, struct strbuf *sb, bool repr, size_t off);

/* ---- pyctx.c */
extern const char pyctx_HINT_MOVE_ON[];
/* Not static: an error now in a body, a remembered reason at module level.
 * The hint is printed with the error. */
struct pyval *pyctx_unknown(struct pyeval *ev, size_t off, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A bound of the evaluation is reached: an error even at module level. */
struct pyval *pyctx_over(struct pyeval *ev, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool pyctx_too_long(struct pyeval *ev, size_t len, size_t off);
bool pyctx_too_many(struct pyeval *ev, size_t n, size_t off);
bool pyctx_step(struct pyeval *ev, size_t off);
bool pyctx_is_bad(struct pyeval *ev, struct pyval *v);
void pyctx_bind(struct pyeval *ev, struct scope *s, const char *name, struct pyval *v, size_t off);
struct pyval *pyctx_lookup(struct pyeval *ev, struct scope *s, const char *name, size_t off);
bool pyctx_starts_with(const char *s, const char *p);
bool pyctx_is_sa_name(const char *c);
const char *pyctx_runtime_need(struct pyeval *ev, const char *path, const char *attr);
bool pyctx_is_log_call(const char *c);
bool pyctx_app_object(const struct pyval *v);
struct pyval *pyctx_declared(struct pyeval *ev, const char *path, size_t off);
bool pyctx_app_used(struct pyeval *ev, const struct pyval *v, size_t off, const char *what);
bool pyctx_truth(struct pyeval *ev, struct pyval *v, size_t off, const char *what);

/* ---- pystr.c */
const char *pystr_to_str(struct pyeval *ev, struct pyval *v, size_t *len);
bool pystr_formattable(struct pyval *v);
struct pyval *pystr_fstring(struct pyeval *ev, struct scope *s, const struct pynode *n);
struct pyval *pystr_percent_format(struct pyeval *ev, struct pyval *fmt, struct pyval *args, size_t off);
struct pyval *pystr_str_method(struct pyeval *ev, struct pyval *s, const char *name, struct pyval **args,
			       size_t nargs, const char **kw, struct pyval **kwv, size_t nkw, size_t off);

/* ---- pyexpr.c */
long long pyexpr_parse_int(const char *s, bool *ok);
bool pyexpr_equal(struct pyeval *ev, const struct pyval *x, const struct pyval *y);
bool pyexpr_is_plain(const struct pyval *v);
struct pyval *pyexpr_mk_sql(struct pyeval *ev, const char *s, size_t off);
struct pyval *pyexpr_sql_of(struct pyeval *ev, struct pyval *v, size_t off);
struct pyval *pyexpr_binop(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off);
/* Whether v is an SQL expression (not a Python value): Python operators on
 * it build SQL. */
bool pyexpr_is_sqlish(const struct pyval *v);
/* The SQLAlchemy type kind (SQK_*) of a column's type argument. */
unsigned pyexpr_typekind(struct pyeval *ev, const struct pyval *t);
/* A comparison (SQ_CMP) of SQL expressions with SQL operator `sqlop`. */
struct pyval *pyexpr_sql_cmp(struct pyeval *ev, const char *sqlop, struct pyval *l, struct pyval *r, size_t off);
/* sa.and_() / sa.or_() of SQL expressions; sa.not_(); col.in_() / notin_(). */
struct pyval *pyexpr_sql_bool(struct pyeval *ev, bool and, struct pyval **args, size_t n, size_t off);
struct pyval *pyexpr_sql_not(struct pyeval *ev, struct pyval *x, size_t off);
struct pyval *pyexpr_sql_in(struct pyeval *ev, struct pyval *self, bool not, struct pyval *seq, size_t off);
bool pyexpr_iterate(struct pyeval *ev, struct pyval *it, struct pyval ***items, size_t *n, size_t off);
struct pyval *pyexpr_eval(struct pyeval *ev, struct scope *s, const struct pynode *n);

/* ---- pycall.c */
struct pyval *pycall_mk_obj(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off);
struct pyval *pycall_call_func(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			       const char **kw, struct pyval **kwv, size_t nkw, size_t off);
struct pyval *pycall_call_op(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			     const char **kw, struct pyval **kwv, size_t nkw, size_t off);
struct pyval *pycall_call(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			  const char **kw, struct pyval **kwv, size_t nkw, size_t off);

/* ---- pybuiltin.c */
struct pyval *pybuiltin_builtin(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
				size_t nkw, size_t off);

/* ---- pyattr.c */
struct pyval *pyattr_getattr(struct pyeval *ev, struct pyval *o, const char *name, size_t off);
struct pyval *pyattr_method(struct pyeval *ev, struct pyval *m, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off);

/* ---- pystmt.c */
void pystmt_assign(struct pyeval *ev, struct scope *s, const struct pynode *target, struct pyval *v);
void pystmt_exec_block(struct pyeval *ev, struct scope *s, struct pynode *const *v, size_t n);

#endif
