/*
 * pyvalue.c - the value model: making values, reading arguments, truth, str() and repr()
 *
 * What every stage of the evaluator builds or inspects: the constructors of
 * struct pyval, an OBJ's arguments, Python truth, and a value printed as
 * str()/repr() would print it (for names and messages), within the bounds.
 */
#include "pyevalint.h"

#include <string.h>

/* memcpy for item arrays that may be empty (and then NULL): C says even a
 * zero-length memcpy needs valid pointers, and UBSan holds us to it. */
void pv_copy_items(void *dst, const void *src, size_t size)
{
	if (size)
		memcpy(dst, src, size);
}

/* ---- values ---------------------------------------------------------------- */

struct pyval *pv_mk(struct pyeval *ev, enum pv k, size_t off)
{
	struct pyval *v = arena_alloc(ev->a, sizeof *v);
	v->k = k;
	v->off = off;
	return v;
}

struct pyval *pv_mk_str(struct pyeval *ev, const char *s, size_t len, size_t off)
{
	struct pyval *v = pv_mk(ev, PV_STR, off);
	v->s = arena_strndup(ev->a, s, len);
	v->len = len;
	return v;
}

struct pyval *pv_mk_cstr(struct pyeval *ev, const char *s, size_t off)
{
	return pv_mk_str(ev, s, strlen(s), off);
}

struct pyval *pv_mk_int(struct pyeval *ev, long long i, size_t off)
{
	struct pyval *v = pv_mk(ev, PV_INT, off);
	v->i = i;
	return v;
}

struct pyval *pv_mk_bool(struct pyeval *ev, bool b, size_t off)
{
	struct pyval *v = pv_mk(ev, PV_BOOL, off);
	v->i = b;
	return v;
}

struct pyval *pv_mk_ref(struct pyeval *ev, const char *path, size_t off)
{
	struct pyval *v = pv_mk(ev, PV_REF, off);
	v->s = path;
	return v;
}

struct pyval *pv_none_val(struct pyeval *ev, size_t off)
{
	return pv_mk(ev, PV_NONE, off);
}

struct pyval *pv_arg(const struct pyval *obj, int pos, const char *kw)
{
	if (kw)
		for (size_t i = 0; i < obj->nw; i++)
			if (obj->kw[i] && strcmp(obj->kw[i], kw) == 0)
				return obj->w[i];
	if (pos >= 0 && (size_t)pos < obj->n)
		return obj->v[pos];
	return NULL;
}

bool pv_is_obj(const struct pyval *v, const char *name)
{
	return v && (v->k == PV_OBJ || v->k == PV_REF) && strcmp(v->s, name) == 0;
}

bool pv_truthy(const struct pyval *v)
{
	switch (v->k) {
	case PV_NONE: return false;
	case PV_BOOL: case PV_INT: return v->i != 0;
	case PV_FLOAT: return v->d != 0;
	case PV_STR: return v->len != 0;
	case PV_LIST: case PV_TUPLE: case PV_DICT: return v->n != 0;
	default: return true;
	}
}

static void repr_into(struct pyeval *ev, const struct pyval *v, struct strbuf *sb, bool repr);

const char *pyeval_describe(struct pyeval *ev, const struct pyval *v)
{
	struct strbuf sb = STRBUF_INIT;
	repr_into(ev, v, &sb, false);
	const char *s = arena_strdup(ev->a, sb.buf ? sb.buf : "");
	sb_release(&sb);
	return s;
}

static void repr_into(struct pyeval *ev, const struct pyval *v, struct strbuf *sb, bool repr)
{
	/* A list may hold itself (x.append(x)) or be nested deep: past the
	 * bounds the text ends in "..." and the value is too big. */
	if (ev->nesting >= PYEVAL_MAX_NESTING || sb->len > PYEVAL_MAX_STR) {
		sb_addstr(sb, "...");
		ev->cut = true;
		return;
	}
	ev->nesting++;
	switch (v->k) {
	case PV_NONE: sb_addstr(sb, "None"); break;
	case PV_BOOL: sb_addstr(sb, v->i ? "True" : "False"); break;
	case PV_INT: sb_addf(sb, "%lld", v->i); break;
	case PV_FLOAT: sb_addstr(sb, v->s); break;
	case PV_STR:
		if (!repr) {
			sb_add(sb, v->s, v->len);
			break;
		}
		sb_addch(sb, memchr(v->s, '\'', v->len) && !memchr(v->s, '"', v->len) ? '"' : '\'');
		for (size_t i = 0; i < v->len; i++) {
			char c = v->s[i];
			if (c == '\\' || (c == '\'' && !(memchr(v->s, '\'', v->len) && !memchr(v->s, '"', v->len))))
				sb_addch(sb, '\\');
			if (c == '\n')
				sb_addstr(sb, "\\n");
			else
				sb_addch(sb, c);
		}
		sb_addch(sb, memchr(v->s, '\'', v->len) && !memchr(v->s, '"', v->len) ? '"' : '\'');
		break;
	case PV_LIST: case PV_TUPLE:
		sb_addch(sb, v->k == PV_LIST ? '[' : '(');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_addstr(sb, ", ");
			repr_into(ev, v->v[i], sb, true);
		}
		if (v->k == PV_TUPLE && v->n == 1)
			sb_addch(sb, ',');
		sb_addch(sb, v->k == PV_LIST ? ']' : ')');
		break;
	case PV_DICT:
		sb_addch(sb, '{');
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				sb_addstr(sb, ", ");
			repr_into(ev, v->v[i], sb, true);
			sb_addstr(sb, ": ");
			repr_into(ev, v->w[i], sb, true);
		}
		sb_addch(sb, '}');
		break;
	case PV_ENUMMEMBER: sb_addf(sb, "%s", v->s); break;
	case PV_REF: case PV_OBJ: case PV_ENUMCLASS: sb_addstr(sb, v->s); break;
	case PV_SQL: sb_addstr(sb, v->s); break;
	default: sb_addstr(sb, "<object>"); break;
	}
	ev->nesting--;
}

/* repr_into() for a value the script computes with: past the bounds, an
 * error. */
bool pv_repr_value(struct pyeval *ev, const struct pyval *v, struct strbuf *sb, bool repr, size_t off)
{
	ev->cut = false;
	repr_into(ev, v, sb, repr);
	if (pyctx_too_long(ev, sb->len, off))
		return false;
	if (ev->cut) {
		pyctx_over(ev, off, "value nested more than %d levels deep (a list that holds itself?)",
			   PYEVAL_MAX_NESTING);
		return false;
	}
	return true;
}
