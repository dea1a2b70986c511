/*
 * pybuiltin.c - the Python builtins a revision may call (len, str, range, ...)
 *
 * Only the builtins whose result is static; the others are an unknown at
 * the call, named.
 */
#include "pyevalint.h"

#include <limits.h>
#include <string.h>

struct pyval *pybuiltin_builtin(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
				size_t nkw, size_t off)
{
	struct pyval *x = nargs ? args[0] : NULL;
	if (!strcmp(name, "print"))
		return pv_none_val(ev, off);
	if (nkw && strcmp(name, "sorted") != 0)
		goto bad;
	if (!strcmp(name, "len") && x) {
		if (x->k == PV_STR)
			return pv_mk_int(ev, (long long)x->len, off);
		if (x->k == PV_LIST || x->k == PV_TUPLE || x->k == PV_DICT || x->k == PV_ENUMCLASS)
			return pv_mk_int(ev, (long long)x->n, off);
	}
	if (!strcmp(name, "str") && nargs == 1 && pv_is_obj(x, "engine.url"))
		return pycall_mk_obj(ev, "engine.url.str", NULL, 0, NULL, NULL, 0, off);
	if (!strcmp(name, "str") && x && pystr_formattable(x)) {
		size_t len;
		const char *s = pystr_to_str(ev, x, &len);
		return pv_mk_str(ev, s, len, off);
	}
	if (!strcmp(name, "repr") && x && pystr_formattable(x)) {
		struct strbuf sb = STRBUF_INIT;
		if (!pv_repr_value(ev, x, &sb, true, off)) {
			sb_release(&sb);
			return pv_mk(ev, PV_UNKNOWN, off);
		}
		struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return r;
	}
	if (!strcmp(name, "int") && x) {
		if (x->k == PV_INT || x->k == PV_BOOL)
			return pv_mk_int(ev, x->i, off);
		if (x->k == PV_STR) {
			bool ok;
			long long i = pyexpr_parse_int(x->s, &ok);
			if (ok)
				return pv_mk_int(ev, i, off);
		}
	}
	if (!strcmp(name, "bool") && x && pyexpr_is_plain(x))
		return pv_mk_bool(ev, pv_truthy(x), off);
	if ((!strcmp(name, "list") || !strcmp(name, "tuple") || !strcmp(name, "sorted") ||
	     !strcmp(name, "reversed") || !strcmp(name, "set")) && nargs <= 1) {
		struct pyval *r = pv_mk(ev, name[0] == 't' ? PV_TUPLE : PV_LIST, off);
		if (x && !pyexpr_iterate(ev, x, &r->v, &r->n, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		if (!strcmp(name, "reversed")) {
			struct pyval **w = arena_alloc(ev->a, (r->n + 1) * sizeof *w);
			for (size_t i = 0; i < r->n; i++)
				w[i] = r->v[r->n - 1 - i];
			r->v = w;
		} else if (!strcmp(name, "sorted") || !strcmp(name, "set")) {
			if (nkw)
				goto bad;
			struct pyval **w = arena_alloc(ev->a, (r->n + 1) * sizeof *w);
			pv_copy_items(w, r->v, r->n * sizeof *w);
			for (size_t i = 1; i < r->n; i++)
				for (size_t j = i; j > 0; j--) {
					struct pyval *a = w[j - 1], *b = w[j];
					bool gt = (a->k == PV_STR && b->k == PV_STR && strcmp(a->s, b->s) > 0) ||
						  (a->k == PV_INT && b->k == PV_INT && a->i > b->i);
					if (!gt)
						break;
					w[j - 1] = b, w[j] = a;
				}
			if (!strcmp(name, "set"))
				return pyctx_unknown(ev, off, NULL, "set() has no order Python guarantees; use a list");
			r->v = w;
		}
		return r;
	}
	if (!strcmp(name, "range") && nargs >= 1 && nargs <= 3) {
		long long lo = 0, hi, step = 1;
		for (size_t i = 0; i < nargs; i++)
			if (args[i]->k != PV_INT)
				goto bad;
		if (nargs == 1)
			hi = args[0]->i;
		else
			lo = args[0]->i, hi = args[1]->i;
		if (nargs == 3)
			step = args[2]->i;
		if (step == 0)
			goto bad;
		/* its length, computed without overflow */
		unsigned long long span = step > 0 ? (hi > lo ? (unsigned long long)hi - (unsigned long long)lo : 0)
						   : (lo > hi ? (unsigned long long)lo - (unsigned long long)hi : 0);
		unsigned long long ustep = step > 0 ? (unsigned long long)step : 0ULL - (unsigned long long)step;
		if (pyctx_too_many(ev, (size_t)((span + ustep - 1) / ustep > PYEVAL_MAX_ITEMS ? PYEVAL_MAX_ITEMS + 1ULL
								      : (span + ustep - 1) / ustep), off))
			return pv_mk(ev, PV_UNKNOWN, off);
		struct pyval *r = pv_mk(ev, PV_LIST, off);
		size_t cap = 0;
		for (long long i = lo; step > 0 ? i < hi : i > hi; i += step) {
			arena_grow(ev->a, &r->v, &cap, r->n + 1, sizeof *r->v);
			r->v[r->n++] = pv_mk_int(ev, i, off);
			if ((step > 0 && i > LLONG_MAX - step) || (step < 0 && i < LLONG_MIN - step))
				break;
		}
		return r;
	}
	if ((!strcmp(name, "enumerate") || !strcmp(name, "zip")) && nargs >= 1) {
		struct pyval **items[8];
		size_t cnt[8], n = (size_t)-1;
		if (nargs > 8)
			goto bad;
		for (size_t i = 0; i < nargs; i++) {
			if (!strcmp(name, "enumerate") && i > 0)
				goto bad;
			if (!pyexpr_iterate(ev, args[i], &items[i], &cnt[i], off))
				return pv_mk(ev, PV_UNKNOWN, off);
			if (cnt[i] < n)
				n = cnt[i];
		}
		struct pyval *r = pv_mk(ev, PV_LIST, off);
		r->v = arena_alloc(ev->a, (n + 1) * sizeof *r->v);
		r->n = n;
		for (size_t k = 0; k < n; k++) {
			struct pyval *t = pv_mk(ev, PV_TUPLE, off);
			size_t w = !strcmp(name, "enumerate") ? 2 : nargs;
			t->v = arena_alloc(ev->a, w * sizeof *t->v);
			t->n = w;
			if (!strcmp(name, "enumerate")) {
				t->v[0] = pv_mk_int(ev, (long long)k, off);
				t->v[1] = items[0][k];
			} else {
				for (size_t i = 0; i < nargs; i++)
					t->v[i] = items[i][k];
			}
			r->v[k] = t;
		}
		return r;
	}
	if ((!strcmp(name, "any") || !strcmp(name, "all")) && x) {
		struct pyval **items;
		size_t cnt;
		if (!pyexpr_iterate(ev, x, &items, &cnt, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		bool any = name[1] == 'n';
		for (size_t i = 0; i < cnt; i++) {
			bool t = pyctx_truth(ev, items[i], off, any ? "'any' of" : "'all' of");
			if (ev->failed)
				return pv_mk(ev, PV_UNKNOWN, off);
			if (t == any)
				return pv_mk_bool(ev, any, off);
		}
		return pv_mk_bool(ev, !any, off);
	}
bad:
	return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "call of builtin '%s' with these arguments is not evaluated at build time",
			     name);
}
