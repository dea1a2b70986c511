/*
 * pystmt.c - statements, and the evaluator's entry points (pyeval.h)
 *
 * Assignment, import, class (enum.Enum), with (batch_alter_table,
 * autocommit_block), if/for/while/try/raise/return; and pyeval_module()/
 * pyeval_run(), which run a module and one of its functions.
 */
#include "pyevalint.h"

#include <string.h>

/* ---- statements ------------------------------------------------------------- */

void pystmt_assign(struct pyeval *ev, struct scope *s, const struct pynode *target, struct pyval *v)
{
	if (ev->failed && !ev->quiet)
		return;
	switch (target->kind) {
	case PY_NAME:
		pyctx_bind(ev, s, target->s, v, target->off);
		return;
	case PY_TUPLE: case PY_LIST: {
		struct pyval **items;
		size_t cnt;
		if (v->k == PV_UNKNOWN) {
			for (size_t i = 0; i < target->n; i++)
				pystmt_assign(ev, s, target->v[i], v);
			return;
		}
		if (!pyexpr_iterate(ev, v, &items, &cnt, target->off))
			return;
		if (cnt != target->n) {
			struct pyval *u = pyctx_unknown(ev, target->off, NULL, "cannot unpack %zu values into %zu names",
							cnt, target->n);
			for (size_t i = 0; i < target->n; i++)
				pystmt_assign(ev, s, target->v[i], u);
			return;
		}
		for (size_t i = 0; i < cnt; i++)
			pystmt_assign(ev, s, target->v[i], items[i]);
		return;
	}
	default:
		pyctx_unknown(ev, target->off, pyctx_HINT_MOVE_ON, "assignment to %s is not supported",
			      target->kind == PY_ATTR ? "an attribute" : target->kind == PY_SUBSCRIPT ? "an item" :
			      "this target");
		return;
	}
}

static void exec_stmt(struct pyeval *ev, struct scope *s, const struct pynode *n);

void pystmt_exec_block(struct pyeval *ev, struct scope *s, struct pynode *const *v, size_t n)
{
	for (size_t i = 0; i < n && ev->flow == FLOW_NONE; i++) {
		if (ev->over || (ev->failed && !ev->quiet))
			return;
		exec_stmt(ev, s, v[i]);
	}
}

static void exec_import(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	for (size_t i = 0; i < n->nnames; i++) {
		const char *mod = n->names[i];
		if (n->kind == PY_IMPORT) {
			if (n->names2[i]) {
				pyctx_bind(ev, s, n->names2[i], pv_mk_ref(ev, mod, n->off), n->off);
			} else {
				const char *dot = strchr(mod, '.');
				const char *top = dot ? arena_strndup(ev->a, mod, (size_t)(dot - mod)) : mod;
				pyctx_bind(ev, s, top, pv_mk_ref(ev, top, n->off), n->off);
			}
			continue;
		}
		if (!strcmp(mod, "*")) {
			/* Names it brings are unknown until used: then they error. */
			continue;
		}
		const char *path = arena_printf(ev->a, "%s.%s", n->s, mod);
		struct pyval *c = pyctx_declared(ev, path, n->off);
		pyctx_bind(ev, s, n->names2[i] ? n->names2[i] : mod, c ? c : pv_mk_ref(ev, path, n->off), n->off);
	}
}

/* class X(enum.Enum): literal members; any other class is not static. */
static void exec_class(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	bool is_enum = false;
	for (size_t i = 0; i < n->nw; i++) {
		struct pyval *b = pyexpr_eval(ev, s, n->w[i]);
		if (b->k == PV_REF) {
			const char *c = b->s;
			if (!strcmp(c, "enum.Enum") || !strcmp(c, "enum.IntEnum") || !strcmp(c, "enum.StrEnum"))
				is_enum = true;
		}
	}
	if (!is_enum) {
		pyctx_bind(ev, s, n->s, pyctx_unknown(ev, n->off, pyctx_HINT_MOVE_ON,
					   "class '%s' is not an enum.Enum with literal members; classes run as Python",
					   n->s), n->off);
		return;
	}
	struct pyval *c = pv_mk(ev, PV_ENUMCLASS, n->off);
	size_t cap = 0;
	c->s = n->s;
	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *st = n->v[i];
		if (st->kind == PY_PASS || (st->kind == PY_EXPR && st->a->kind == PY_STR))
			continue;
		if (st->kind != PY_ASSIGN || st->n != 1 || st->v[0]->kind != PY_NAME) {
			pyctx_bind(ev, s, n->s, pyctx_unknown(ev, st->off, NULL,
						   "enum class '%s' has a member that is not 'NAME = literal'", n->s), n->off);
			return;
		}
		struct pyval *val = pyexpr_eval(ev, s, st->a);
		struct pyval *mem = pv_mk(ev, PV_ENUMMEMBER, st->off);
		mem->s = st->v[0]->s;
		mem->self = val;
		arena_grow(ev->a, &c->v, &cap, c->n + 1, sizeof *c->v);
		c->v[c->n++] = mem;
	}
	pyctx_bind(ev, s, n->s, c, n->off);
}

static void flush_batch(struct pyeval *ev, struct pyval *batch)
{
	const char *schema = batch->self && batch->self->k == PV_STR ? batch->self->s : NULL;
	for (size_t i = 0; i < batch->n && !ev->failed; i++) {
		struct pyval *o = batch->w[i];
		pyops_call(ev, o->s + 6, o, o->off, batch->s, schema);
	}
	batch->n = 0;
}

static void exec_with(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct pyval *cms[8];
	if (n->n > 8) {
		pyctx_unknown(ev, n->off, NULL, "too many context managers in one 'with'");
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		struct pyval *cm = pyexpr_eval(ev, s, n->v[i]);
		if (pyctx_is_bad(ev, cm))
			return;
		if (cm->k == PV_OBJ && pyctx_runtime_need(ev, cm->s, NULL)) {
			pyctx_unknown(ev, n->v[i]->off, pyctx_HINT_MOVE_ON, "%s", pyctx_runtime_need(ev, cm->s, NULL));
			return;
		}
		if (cm->k != PV_CTXMGR) {
			pyctx_unknown(ev, n->v[i]->off, pyctx_HINT_MOVE_ON,
				      "'with' on '%s': only op.batch_alter_table() and autocommit_block() are supported",
				      pyeval_describe(ev, cm));
			return;
		}
		cms[i] = cm;
		if (!strcmp(cm->s, "autocommit"))
			ev->autocommit++;
		if (n->w[i])
			pystmt_assign(ev, s, n->w[i], !strcmp(cm->s, "batch") ? cm->self : pv_none_val(ev, n->off));
	}
	pystmt_exec_block(ev, s, n->c->v, n->c->n);
	for (size_t i = n->n; i-- > 0;) {
		if (!strcmp(cms[i]->s, "batch"))
			flush_batch(ev, cms[i]->self);
		else
			ev->autocommit--;
	}
}

static void exec_stmt(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	if (!pyctx_step(ev, n->off))
		return;
	switch (n->kind) {
	case PY_EXPR: {
		if (n->a->kind == PY_STR)
			return;  /* a docstring or a comment written as a string */
		struct pyval *v = pyexpr_eval(ev, s, n->a);
		if (ev->quiet)
			return;
		if (v->k == PV_UNKNOWN && v->why == PVW_RESULT)
			return;  /* conn.execute(...) as a statement: the result is dropped */
		if (pyctx_is_bad(ev, v))
			return;
		if (pyctx_app_object(v) && pyctx_runtime_need(ev, v->s, NULL))
			pyctx_unknown(ev, n->off, pyctx_HINT_MOVE_ON, "%s", pyctx_runtime_need(ev, v->s, NULL));
		else if (pyctx_app_object(v))
			pyctx_unknown(ev, n->off, pyctx_HINT_MOVE_ON, "call of '%s', which the application defines, is not run at build time",
				      v->s);
		return;
	}
	case PY_ASSIGN: {
		struct pyval *v = pyexpr_eval(ev, s, n->a);
		for (size_t i = 0; i < n->n; i++)
			pystmt_assign(ev, s, n->v[i], v);
		return;
	}
	case PY_ANNASSIGN:
		if (n->c)
			pystmt_assign(ev, s, n->a, pyexpr_eval(ev, s, n->c));
		return;
	case PY_AUGASSIGN: {
		if (n->a->kind != PY_NAME) {
			pyctx_unknown(ev, n->off, NULL, "augmented assignment to this target is not supported");
			return;
		}
		struct pyval *l = pyexpr_eval(ev, s, n->a);
		struct pyval *r = pyexpr_eval(ev, s, n->b);
		char op[4] = { 0 };
		memcpy(op, n->s, strlen(n->s) - 1);
		if (l->k == PV_LIST && r->k == PV_LIST && op[0] == '+') {
			struct pyval tmpm = { .k = PV_METHOD, .s = "extend", .self = l };
			pyattr_method(ev, &tmpm, &r, 1, NULL, NULL, 0, n->off);
			return;
		}
		pystmt_assign(ev, s, n->a, pyexpr_binop(ev, op, l, r, n->off));
		return;
	}
	case PY_PASS:
		return;
	case PY_BREAK:
		ev->flow = FLOW_BREAK;
		return;
	case PY_CONTINUE:
		ev->flow = FLOW_CONTINUE;
		return;
	case PY_RETURN:
		ev->retval = n->a ? pyexpr_eval(ev, s, n->a) : pv_none_val(ev, n->off);
		ev->flow = FLOW_RETURN;
		return;
	case PY_IF: {
		struct pyval *c = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, c))
			return;
		bool t = pyctx_truth(ev, c, n->a->off, "'if' on");
		if (ev->failed)
			return;
		if (t)
			pystmt_exec_block(ev, s, n->v, n->n);
		else
			pystmt_exec_block(ev, s, n->w, n->nw);
		return;
	}
	case PY_FOR: {
		struct pyval *it = pyexpr_eval(ev, s, n->b);
		struct pyval **items;
		size_t cnt;
		if (pyctx_is_bad(ev, it))
			return;
		if (!pyexpr_iterate(ev, it, &items, &cnt, n->b->off))
			return;
		for (size_t i = 0; i < cnt; i++) {
			pystmt_assign(ev, s, n->a, items[i]);
			pystmt_exec_block(ev, s, n->v, n->n);
			if (ev->flow == FLOW_BREAK) {
				ev->flow = FLOW_NONE;
				return;
			}
			if (ev->flow == FLOW_CONTINUE)
				ev->flow = FLOW_NONE;
			if (ev->flow != FLOW_NONE || ev->failed)
				return;
		}
		pystmt_exec_block(ev, s, n->w, n->nw);
		return;
	}
	case PY_WITH:
		exec_with(ev, s, n);
		return;
	case PY_DEF: {
		struct pyval *f = pv_mk(ev, PV_FUNC, n->off);
		f->fn = n;
		f->closure = s;
		pyctx_bind(ev, s, n->s, f, n->off);
		return;
	}
	case PY_CLASS:
		exec_class(ev, s, n);
		return;
	case PY_IMPORT: case PY_FROM:
		exec_import(ev, s, n);
		return;
	case PY_OTHERSTMT:
		if (ev->quiet)
			return;
		if (!strcmp(n->s, "raise")) {
			ev->flow = FLOW_RAISE;
			ev->raise_off = n->off;
			return;
		}
		if (!strcmp(n->s, "assert") || !strcmp(n->s, "global") || !strcmp(n->s, "nonlocal"))
			return;
		pyctx_unknown(ev, n->off, pyctx_HINT_MOVE_ON, "'%s' statement in a revision body is not run at build time", n->s);
		return;
	default:
		pyctx_unknown(ev, n->off, NULL, "unexpected %s", pyparse_kind_name(n->kind));
	}
}

struct pyeval *pyeval_module(struct arena *a, const struct pymodule *m, const struct pyconfig *cfg)
{
	struct pyeval *ev = arena_alloc(a, sizeof *ev);
	ev->a = a;
	ev->f = m->f;
	ev->m = m;
	ev->cfg = cfg;
	ev->quiet = true;
	ev->held0 = a->held;
	/* Alembic loads versions/NAME.py as module re.sub(r"\W", "_", "NAME.py"). */
	const char *base = strrchr(m->f->path, '/');
	char *modname = arena_strdup(a, base ? base + 1 : m->f->path);
	for (char *p = modname; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || (unsigned char)*p >= 0x80))
			*p = '_';
	pyctx_bind(ev, &ev->globals, "__name__", pv_mk_cstr(ev, modname, 0), 0);
	pystmt_exec_block(ev, &ev->globals, m->body->v, m->body->n);
	ev->flow = FLOW_NONE;
	ev->quiet = false;
	ev->failed = ev->over;
	return ev;
}

unsigned pyeval_run(struct pyeval *ev, const char *name, struct stmt_list *out, bool *present)
{
	unsigned before = diag_errors();
	struct pyval *f = pyeval_global(ev, name);

	*present = false;
	if (ev->over) {
		*present = true;  /* the module stopped at a bound, reported */
		return 0;
	}
	if (!f)
		return 0;
	if (f->k != PV_FUNC || f->fn->kind != PY_DEF) {
		pyeval_error(ev, pyeval_global_off(ev, name), "'%s' is not a function defined in this file", name);
		return diag_errors() - before;
	}
	*present = true;
	ev->out = out;
	ev->failed = false;
	ev->steps = 0;
	ev->emitted = 0;
	ev->flow = FLOW_NONE;
	ev->autocommit = 0;
	ev->n_memo = 0;
	/* A custom signature, upgrade(op, ...): env.py passes Alembic's op
	 * module as the first argument (context.run_migrations(op=op)). */
	struct pyval *opmod = f->fn->nnames && f->fn->names[0][0] != '*' && !strcmp(f->fn->names[0], "op")
		? pv_mk_ref(ev, "alembic.op", f->fn->off) : NULL;
	(void)pycall_call_func(ev, f, opmod ? &opmod : NULL, opmod ? 1 : 0, NULL, NULL, 0, f->fn->off);
	if (ev->flow == FLOW_RAISE) {
		/* Alembic would stop at the raise: a downgrade that raises does
		 * not exist, an upgrade that raises is an error. An operation
		 * Alembic cannot run (drop_constraint(None, ...), as autogenerate
		 * writes in downgrades) fails the same way; that one is said. */
		if (!strcmp(name, "downgrade")) {
			*present = false;
			out->n = 0;
			if (ev->raise_why) {
				diag_at(DIAG_WARNING, ev->f, ev->raise_off,
					"%s fails under Alembic: downgrading through this revision is refused",
					ev->raise_why);
				diag_hint("name what to drop, as the database knows it, to make the downgrade work");
			}
		} else if (ev->raise_why) {
			pyeval_error(ev, ev->raise_off, "%s fails under Alembic: 'upgrade' cannot run", ev->raise_why);
			diag_hint("name what to drop, as the database knows it");
		} else {
			pyeval_error(ev, ev->raise_off, "'raise' in '%s' makes the revision fail", name);
		}
	}
	ev->raise_why = NULL;
	ev->flow = FLOW_NONE;
	ev->out = NULL;
	return diag_errors() - before;
}
