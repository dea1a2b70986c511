/*
 * pyarg.c - reading the arguments of an op.* call
 *
 * Positional or keyword, string, bool, lists of names, and unknown keywords
 * refused by name: every operation reads its arguments through these.
 */
#include "pyopsint.h"

#include <string.h>

/* ---- argument helpers ------------------------------------------------------ */

struct pyval *pyarg_arg(const struct pyval *call, int pos, const char *kw)
{
	return pv_arg(call, pos, kw);
}

const char *pyarg_str_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw,
			  bool required, size_t off, const char *what)
{
	struct pyval *v = pyarg_arg(call, pos, kw);
	if (!v || v->k == PV_NONE) {
		if (required)
			pyeval_error(ev, off, "%s needs '%s'", what, kw);
		return NULL;
	}
	if (v->k != PV_STR) {
		pyeval_error(ev, v->off, "'%s' of %s must be a string known at build time, not '%s'",
			     kw, what, pyeval_describe(ev, v));
		return NULL;
	}
	return v->s;
}

bool pyarg_bool_arg(struct pyeval *ev, const struct pyval *call, int pos, const char *kw, bool dflt)
{
	struct pyval *v = pyarg_arg(call, pos, kw);
	return v ? pyeval_truth(ev, v, kw) : dflt;
}

/* Rejects keyword arguments this op does not know, so nothing is dropped silently. */
bool pyarg_check_kwargs(struct pyeval *ev, const struct pyval *call, const char *const *known,
			const char *what)
{
	for (size_t i = 0; i < call->nw; i++) {
		bool ok = false;
		for (const char *const *k = known; *k; k++)
			if (call->kw[i] && !strcmp(call->kw[i], *k))
				ok = true;
		if (!ok) {
			pyeval_error(ev, call->w[i]->off, "keyword argument '%s' of %s is not supported",
				     call->kw[i] ? call->kw[i] : "**", what);
			return false;
		}
	}
	return true;
}

/* A list of column names: a list/tuple of strings (or one string). */
const char **pyarg_names_arg(struct pyeval *ev, struct pyval *v, size_t *n, const char *what)
{
	struct arena *a = pyeval_arena(ev);
	if (!v) {
		*n = 0;
		return NULL;
	}
	if (v->k == PV_STR) {
		const char **r = arena_alloc(a, sizeof *r);
		r[0] = v->s;
		*n = 1;
		return r;
	}
	if (v->k != PV_LIST && v->k != PV_TUPLE) {
		pyeval_error(ev, v->off, "%s must be a list of column names", what);
		return NULL;
	}
	const char **r = arena_alloc(a, (v->n + 1) * sizeof *r);
	for (size_t i = 0; i < v->n; i++) {
		struct pyval *x = v->v[i];
		if (pv_is_obj(x, "sa.column") && pyarg_arg(x, 0, "text"))
			x = pyarg_arg(x, 0, "text");
		if (x->k != PV_STR) {
			pyeval_error(ev, x->off, "%s must name columns with strings, not '%s'", what,
				     pyeval_describe(ev, x));
			return NULL;
		}
		r[i] = x->s;
	}
	*n = v->n;
	return r;
}

const char *pyarg_join_quoted(struct pyeval *ev, const char **names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addstr(&sb, ", ");
		sb_addstr(&sb, pyops_quote(ev, names[i]));
	}
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf ? sb.buf : "");
	sb_release(&sb);
	return r;
}
