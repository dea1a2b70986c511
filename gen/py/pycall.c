/*
 * pycall.c - calls: helper functions of the file, constructors, op.* and the dispatch
 *
 * A call is a same-file helper (run with its own scope, depth bounded), a
 * builtin (pybuiltin.c), a bound method (pyattr.c), an op.* operation
 * (handed to pyops.c) or a constructor kept as a symbolic OBJ for the
 * renderer (sa.Column, sa.String(50), ...).
 */
#include "pyevalint.h"

#include <string.h>

/* ---- calls ------------------------------------------------------------------ */

struct pyval *pycall_mk_obj(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	struct pyval *o = pv_mk(ev, PV_OBJ, off);
	o->s = name;
	o->v = args;
	o->n = nargs;
	o->kw = kw;
	o->w = kwv;
	o->nw = nkw;
	o->order = ++ev->order;
	return o;
}

struct pyval *pycall_call_func(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			       const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	const struct pynode *d = fn->fn;
	if (d->kind == PY_DEF && (d->flag & PYN_DECORATED))
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "call of decorated function '%s': its decorator is not run at build time",
				     d->s);
	if (ev->depth >= PYEVAL_MAX_CALL_DEPTH)
		return pyctx_over(ev, off, "helper functions call each other more than %d deep (recursion?)",
				  PYEVAL_MAX_CALL_DEPTH);
	struct scope local = { .parent = fn->closure };
	size_t ai = 0;
	const char **params = d->names;
	size_t np = d->nnames;
	for (size_t i = 0; i < np; i++) {
		const char *p = params[i];
		if (p[0] == '*' && p[1] == '*') {
			struct pyval *dict = pv_mk(ev, PV_DICT, off);
			pyctx_bind(ev, &local, p + 2, dict, off);
			continue;
		}
		if (p[0] == '*') {
			struct pyval *t = pv_mk(ev, PV_TUPLE, off);
			t->v = args + ai;
			t->n = nargs > ai ? nargs - ai : 0;
			ai = nargs;
			pyctx_bind(ev, &local, p + 1, t, off);
			continue;
		}
		struct pyval *v = NULL;
		for (size_t k = 0; k < nkw; k++)
			if (kw[k] && strcmp(kw[k], p) == 0)
				v = kwv[k];
		if (!v && ai < nargs)
			v = args[ai++];
		if (!v && i < d->nw && d->w[i])
			v = pyexpr_eval(ev, fn->closure, d->w[i]);
		if (!v)
			return pyctx_unknown(ev, off, NULL, "call of '%s' without its argument '%s'",
					     d->kind == PY_DEF ? d->s : "lambda", p);
		pyctx_bind(ev, &local, p, v, off);
	}
	if (ai < nargs)
		return pyctx_unknown(ev, off, NULL, "call of '%s' with too many arguments",
				     d->kind == PY_DEF ? d->s : "lambda");
	if (d->kind == PY_LAMBDA) {
		ev->depth++;
		struct pyval *r = pyexpr_eval(ev, &local, d->a);
		ev->depth--;
		return r;
	}
	ev->depth++;
	pystmt_exec_block(ev, &local, d->v, d->n);
	ev->depth--;
	struct pyval *r = ev->retval ? ev->retval : pv_none_val(ev, off);
	if (ev->flow == FLOW_RETURN)
		ev->flow = FLOW_NONE;
	ev->retval = NULL;
	if (ev->flow == FLOW_RAISE)
		return r;
	return r;
}

/* What op.create_table() returns: the Table, here as sa.table(name,
 * sa.column(name, type), ..., schema=) for op.bulk_insert and .insert(). */
static struct pyval *made_table(struct pyeval *ev, struct pyval *call, size_t off)
{
	struct pyval *name = pv_arg(call, 0, "table_name");
	struct pyval **cols = arena_alloc(ev->a, (call->n + 1) * sizeof *cols);
	size_t n = 0;
	cols[n++] = name;
	for (size_t i = 1; i < call->n; i++) {
		struct pyval *c = call->v[i];
		if (!pv_is_obj(c, "sa.Column") || !pv_arg(c, 0, "name") || pv_arg(c, 0, "name")->k != PV_STR)
			continue;
		struct pyval **ca = arena_alloc(ev->a, 2 * sizeof *ca);
		ca[0] = pv_arg(c, 0, "name");
		ca[1] = pv_arg(c, 1, "type_");
		cols[n++] = pycall_mk_obj(ev, "sa.column", ca, ca[1] ? 2 : 1, NULL, NULL, 0, c->off);
	}
	struct pyval **schema = arena_alloc(ev->a, sizeof *schema);
	const char **kw = arena_alloc(ev->a, sizeof *kw);
	schema[0] = pv_arg(call, -1, "schema");
	kw[0] = "schema";
	return pycall_mk_obj(ev, "sa.table", cols, n, kw, schema, schema[0] ? 1 : 0, off);
}

/* op.NAME(...) */
struct pyval *pycall_call_op(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			     const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	if (!strcmp(name, "get_bind"))
		return pv_mk(ev, PV_BIND, off);
	if (!strcmp(name, "get_context"))
		return pv_mk(ev, PV_CONTEXT, off);
	if (!strcmp(name, "f") && nargs == 1 && args[0]->k == PV_STR) {
		struct pyval *v = pv_mk_str(ev, args[0]->s, args[0]->len, off);
		v->flag |= PVF_CONV;
		return v;
	}
	if (!strcmp(name, "inline_literal") && nargs >= 1)
		return args[0];
	if (!strcmp(name, "batch_alter_table")) {
		struct pyval *o = pycall_mk_obj(ev, "op.batch_alter_table", args, nargs, kw, kwv, nkw, off);
		struct pyval *rec = pv_arg(o, -1, "recreate");
		if (rec && !(rec->k == PV_STR && (!strcmp(rec->s, "auto") || !strcmp(rec->s, "never"))))
			return pyctx_unknown(ev, rec->off, pyctx_HINT_MOVE_ON,
					     "batch_alter_table with recreate='%s' copies the table through Python",
					     pyeval_describe(ev, rec));
		struct pyval *t = pv_arg(o, 0, "table_name");
		if (!t || t->k != PV_STR)
			return pyctx_unknown(ev, off, NULL, "batch_alter_table needs a literal table name");
		struct pyval *b = pv_mk(ev, PV_BATCH, off);
		b->s = t->s;
		b->self = pv_arg(o, 1, "schema");
		struct pyval *cm = pv_mk(ev, PV_CTXMGR, off);
		cm->s = "batch";
		cm->self = b;
		return cm;
	}
	if (!strcmp(name, "execute") || pyops_known(name, false)) {
		struct pyval *o = pycall_mk_obj(ev, arena_printf(ev->a, "op.%s", name), args, nargs, kw, kwv, nkw, off);
		pyops_call(ev, name, o, off, NULL, NULL);
		if (!strcmp(name, "create_table") && !ev->failed)
			return made_table(ev, o, off);
		return pv_none_val(ev, off);
	}
	if (!strcmp(name, "get_context") || !strcmp(name, "run_async") || !strcmp(name, "invoke"))
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'op.%s' is not supported", name);
	return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "operation 'op.%s' is not supported by retort", name);
}

struct pyval *pycall_call(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			  const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	if (ev->failed)
		return pv_mk(ev, PV_UNKNOWN, off);
	for (size_t i = 0; i < nargs; i++)
		if (args[i]->k == PV_UNKNOWN && pyctx_is_bad(ev, args[i]))
			return args[i];
	for (size_t i = 0; i < nkw; i++)
		if (kwv[i]->k == PV_UNKNOWN && pyctx_is_bad(ev, kwv[i]))
			return kwv[i];
	switch (fn->k) {
	case PV_FUNC:
		return pycall_call_func(ev, fn, args, nargs, kw, kwv, nkw, off);
	case PV_METHOD:
		return pyattr_method(ev, fn, args, nargs, kw, kwv, nkw, off);
	case PV_REF: {
		const char *c = pyeval_canon(ev, fn->s);
		if (pyctx_starts_with(c, "builtins."))
			return pybuiltin_builtin(ev, c + 9, args, nargs, nkw, off);
		if (pyctx_starts_with(c, "op."))
			return pycall_call_op(ev, c + 3, args, nargs, kw, kwv, nkw, off);
		if (pyctx_is_sa_name(c)) {
			if ((!strcmp(c, "sa.and_") || !strcmp(c, "sa.or_")) && !nkw)
				return pyexpr_sql_bool(ev, c[3] == 'a', args, nargs, off);
			if (!strcmp(c, "sa.not_") && nargs == 1 && !nkw)
				return pyexpr_sql_not(ev, args[0], off);
			if ((!strcmp(c, "sa.update") || !strcmp(c, "sa.insert") || !strcmp(c, "sa.delete")) &&
			    nargs == 1 && !nkw && pv_is_obj(args[0], "sa.table")) {
				/* sa.update(t) is t.update() */
				struct pyval *st = pycall_mk_obj(ev, arena_printf(ev->a, "core.%s", c + 3), NULL, 0, NULL, NULL, 0, off);
				st->self = args[0];
				return st;
			}
			/* Kept as objects; an op that receives one it cannot
			 * render (sa.select, sa.inspect, ...) reports it there. */
			return pycall_mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		}
		if (!strcmp(c, "logging.getLogger"))
			return pv_mk_ref(ev, "logging.Logger", off);
		if (pyctx_is_log_call(c) || !strcmp(c, "sys.stdout.flush") || !strcmp(c, "sys.stderr.flush"))
			return pv_none_val(ev, off);
		if (pyctx_starts_with(c, "typing.") || pyctx_starts_with(c, "enum."))
			return pycall_mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		/* Something the application defines: a column type at best
		 * (the type map resolves it); anything else is an error where
		 * it is used. */
		struct pyval *o = pycall_mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		o->flag |= PVF_APP;
		return o;
	}
	case PV_ENUMCLASS:
		return pyctx_unknown(ev, off, NULL, "calling enum class '%s' is not supported", fn->s);
	default:
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'%s' is not callable at build time",
				     pyeval_describe(ev, fn));
	}
}
