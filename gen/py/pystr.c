/*
 * pystr.c - Python string formatting and string methods, as CPython does them
 *
 * f-strings, % formatting, str.format() and the str methods a revision uses
 * to build names and SQL (join, upper, replace, ...): each written to give
 * CPython's result byte for byte, or an unknown when it cannot.
 */
#include "pyevalint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pystr_to_str(struct pyeval *ev, struct pyval *v, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	if (v->k == PV_STR) {
		*len = v->len;
		return v->s;
	}
	if (v->k == PV_ENUMMEMBER)
		sb_addf(&sb, "%s", v->s);
	else if (!pv_repr_value(ev, v, &sb, false, v->off))
		sb_reset(&sb);
	*len = sb.len;
	const char *s = arena_strndup(ev->a, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return s;
}

bool pystr_formattable(struct pyval *v)
{
	return v->k == PV_NONE || v->k == PV_BOOL || v->k == PV_INT || v->k == PV_FLOAT ||
	       v->k == PV_STR || v->k == PV_LIST || v->k == PV_TUPLE || v->k == PV_DICT ||
	       v->k == PV_ENUMMEMBER;
}

/* format(value, spec) for the specs migrations use: fill/align/width,
 * precision and the d/s/f types. */
static struct pyval *format_spec(struct pyeval *ev, struct pyval *v, const char *spec, size_t off)
{
	if (!*spec) {
		size_t len;
		const char *s = pystr_to_str(ev, v, &len);
		return pv_mk_str(ev, s, len, off);
	}
	char fmt[64];
	struct strbuf buf = STRBUF_INIT;
	const char *p = spec;
	char align = 0;
	if (p[0] && (p[1] == '<' || p[1] == '>' || p[1] == '^'))
		return pyctx_unknown(ev, off, NULL, "format spec '%s' is not supported", spec);
	if (*p == '<' || *p == '>')
		align = *p++;
	bool zero = *p == '0';
	int width = 0, prec = -1;
	for (; *p >= '0' && *p <= '9'; p++)
		if (width <= 1000)   /* past it: refused below, without overflow */
			width = width * 10 + (*p - '0');
	if (*p == '.') {
		prec = 0;
		p++;
		for (; *p >= '0' && *p <= '9'; p++)
			if (prec <= 1000)
				prec = prec * 10 + (*p - '0');
	}
	char type = *p ? *p++ : 0;
	if (*p || width > 200 || prec > 200)
		return pyctx_unknown(ev, off, NULL, "format spec '%s' is not supported", spec);
	if ((type == 'd' || (!type && v->k == PV_INT)) && (v->k == PV_INT || v->k == PV_BOOL)) {
		snprintf(fmt, sizeof fmt, "%%%s%s*lld", align == '<' ? "-" : "", zero ? "0" : "");
		sb_addf(&buf, fmt, width, v->i);
	} else if ((type == 'f' || (!type && v->k == PV_FLOAT)) && (v->k == PV_FLOAT || v->k == PV_INT)) {
		double d = v->k == PV_INT ? (double)v->i : v->d;
		snprintf(fmt, sizeof fmt, "%%%s%s*.*f", align == '<' ? "-" : "", zero ? "0" : "");
		sb_addf(&buf, fmt, width, prec < 0 ? 6 : prec, d);
	} else if ((type == 's' || !type) && v->k == PV_STR) {
		snprintf(fmt, sizeof fmt, "%%%s*.*s", align == '>' ? "" : "-");
		int n = prec < 0 || (size_t)prec > v->len ? (int)v->len : prec;
		if (width > n && align == '>')
			sb_addf(&buf, "%*s", width - n, "");
		sb_add(&buf, v->s, (size_t)n);
		if (width > n && align != '>')
			sb_addf(&buf, "%*s", width - n, "");
	} else {
		return pyctx_unknown(ev, off, NULL, "format spec '%s' is not supported for this value", spec);
	}
	struct pyval *r = pv_mk_str(ev, buf.buf ? buf.buf : "", buf.len, off);
	sb_release(&buf);
	return r;
}

struct pyval *pystr_fstring(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *part = n->v[i];
		if (part->kind == PY_STR) {
			sb_add(&sb, part->s, part->len);
			continue;
		}
		struct pyval *v = pyexpr_eval(ev, s, part->a);
		if (pyctx_is_bad(ev, v)) {
			sb_release(&sb);
			return v;
		}
		if (!pystr_formattable(v)) {
			sb_release(&sb);
			return pyctx_unknown(ev, part->a->off, pyctx_HINT_MOVE_ON,
					     "f-string field '%s' is not a static value", pyeval_describe(ev, v));
		}
		const char *spec = "";
		if (part->b) {
			struct pyval *sp = pystr_fstring(ev, s, part->b);
			if (pyctx_is_bad(ev, sp)) {
				sb_release(&sb);
				return sp;
			}
			spec = sp->s;
		}
		if (part->s && part->s[0] == 'r') {
			struct strbuf r = STRBUF_INIT;
			bool ok = pv_repr_value(ev, v, &r, true, part->a->off);
			v = pv_mk_str(ev, r.buf ? r.buf : "", r.len, v->off);
			sb_release(&r);
			if (!ok) {
				sb_release(&sb);
				return v;
			}
		}
		struct pyval *f = format_spec(ev, v, spec, part->a->off);
		if (pyctx_is_bad(ev, f)) {
			sb_release(&sb);
			return f;
		}
		sb_add(&sb, f->s, f->len);
		if (pyctx_too_long(ev, sb.len, n->off)) {
			sb_release(&sb);
			return pv_mk(ev, PV_UNKNOWN, n->off);
		}
	}
	struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, n->off);
	sb_release(&sb);
	return r;
}

/* "..." % value(s): %s %r %d %i %f %% and %(name)s with a dict. */
struct pyval *pystr_percent_format(struct pyeval *ev, struct pyval *fmt, struct pyval *args, size_t off)
{
	struct strbuf sb = STRBUF_INIT;
	size_t ai = 0;
	struct pyval *one[1] = { args };
	struct pyval **av = args->k == PV_TUPLE ? args->v : one;
	size_t an = args->k == PV_TUPLE ? args->n : 1;

	for (size_t i = 0; i < fmt->len; i++) {
		char c = fmt->s[i];
		if (c != '%') {
			sb_addch(&sb, c);
			continue;
		}
		if (++i >= fmt->len)
			goto bad;
		if (fmt->s[i] == '%') {
			sb_addch(&sb, '%');
			continue;
		}
		struct pyval *v;
		if (fmt->s[i] == '(') {
			size_t e = i;
			while (e < fmt->len && fmt->s[e] != ')')
				e++;
			if (e >= fmt->len || args->k != PV_DICT)
				goto bad;
			v = NULL;
			for (size_t k = 0; k < args->n; k++)
				if (args->v[k]->k == PV_STR && args->v[k]->len == e - i - 1 &&
				    memcmp(args->v[k]->s, fmt->s + i + 1, e - i - 1) == 0)
					v = args->w[k];
			if (!v)
				goto bad;
			i = e + 1;
		} else {
			if (ai >= an)
				goto bad;
			v = av[ai++];
		}
		char spec[16];
		size_t k = 0;
		while (i < fmt->len && strchr("0123456789.-", fmt->s[i]) && k + 2 < sizeof spec)
			spec[k++] = fmt->s[i++];
		if (i >= fmt->len)
			goto bad;
		char type = fmt->s[i];
		if (!pystr_formattable(v)) {
			sb_release(&sb);
			return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'%%' formatting of '%s', which is not a static value",
					     pyeval_describe(ev, v));
		}
		if (type == 'r') {
			if (!pv_repr_value(ev, v, &sb, true, off)) {
				sb_release(&sb);
				return pv_mk(ev, PV_UNKNOWN, off);
			}
		} else if (type == 's' && k == 0) {
			size_t len;
			const char *s = pystr_to_str(ev, v, &len);
			sb_add(&sb, s, len);
		} else if ((type == 'd' || type == 'i') && (v->k == PV_INT || v->k == PV_BOOL)) {
			spec[k] = '\0';
			char f2[32], buf[128];
			snprintf(f2, sizeof f2, "%%%slld", spec);
			snprintf(buf, sizeof buf, f2, v->i);
			sb_addstr(&sb, buf);
		} else if (type == 'f' && (v->k == PV_FLOAT || v->k == PV_INT)) {
			spec[k] = '\0';
			char f2[32], buf[128];
			snprintf(f2, sizeof f2, "%%%sf", spec);
			snprintf(buf, sizeof buf, f2, v->k == PV_INT ? (double)v->i : v->d);
			sb_addstr(&sb, buf);
		} else {
			goto bad;
		}
	}
	if (ai != an && args->k != PV_DICT)
		goto bad;
	struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
	sb_release(&sb);
	return r;
bad:
	sb_release(&sb);
	return pyctx_unknown(ev, off, NULL, "'%%' formatting that this subset does not evaluate");
}

/* "...{}...{name}...".format(*args, **kwargs) */
static struct pyval *str_format(struct pyeval *ev, struct pyval *fmt, struct pyval **args, size_t nargs,
				const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	struct strbuf sb = STRBUF_INIT;
	size_t auto_ix = 0;
	for (size_t i = 0; i < fmt->len; i++) {
		char c = fmt->s[i];
		if ((c == '{' || c == '}') && i + 1 < fmt->len && fmt->s[i + 1] == c) {
			sb_addch(&sb, c);
			i++;
			continue;
		}
		if (c != '{') {
			sb_addch(&sb, c);
			continue;
		}
		size_t e = i + 1;
		while (e < fmt->len && fmt->s[e] != '}')
			e++;
		if (e >= fmt->len)
			goto bad;
		const char *field = arena_strndup(ev->a, fmt->s + i + 1, e - i - 1);
		const char *spec = "";
		char *colon = strchr(field, ':');
		if (colon) {
			*colon = '\0';
			spec = colon + 1;
		}
		if (strchr(field, '!') || strchr(field, '.') || strchr(field, '['))
			goto bad;
		struct pyval *v = NULL;
		if (!*field) {
			if (auto_ix < nargs)
				v = args[auto_ix++];
		} else if (field[0] >= '0' && field[0] <= '9') {
			size_t ix = (size_t)atoi(field);
			if (ix < nargs)
				v = args[ix];
		} else {
			for (size_t k = 0; k < nkw; k++)
				if (kw[k] && strcmp(kw[k], field) == 0)
					v = kwv[k];
		}
		if (!v)
			goto bad;
		if (!pystr_formattable(v)) {
			sb_release(&sb);
			return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'.format' of '%s', which is not a static value",
					     pyeval_describe(ev, v));
		}
		struct pyval *f = format_spec(ev, v, spec, off);
		if (pyctx_is_bad(ev, f)) {
			sb_release(&sb);
			return f;
		}
		sb_add(&sb, f->s, f->len);
		i = e;
	}
	struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
	sb_release(&sb);
	return r;
bad:
	sb_release(&sb);
	return pyctx_unknown(ev, off, NULL, "'.format' call that this subset does not evaluate");
}

struct pyval *pystr_str_method(struct pyeval *ev, struct pyval *s, const char *name, struct pyval **args,
			       size_t nargs, const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	if (!strcmp(name, "format"))
		return str_format(ev, s, args, nargs, kw, kwv, nkw, off);
	if ((!strcmp(name, "upper") || !strcmp(name, "lower")) && nargs == 0) {
		char *t = arena_strndup(ev->a, s->s, s->len);
		for (size_t i = 0; i < s->len; i++)
			if (name[0] == 'u' && t[i] >= 'a' && t[i] <= 'z')
				t[i] = (char)(t[i] - 32);
			else if (name[0] == 'l' && t[i] >= 'A' && t[i] <= 'Z')
				t[i] = (char)(t[i] + 32);
		return pv_mk_str(ev, t, s->len, off);
	}
	if ((!strcmp(name, "strip") || !strcmp(name, "rstrip") || !strcmp(name, "lstrip")) && nargs == 0) {
		size_t b = 0, e = s->len;
		if (name[0] != 'r')
			while (b < e && strchr(" \t\n\r\f\v", s->s[b]))
				b++;
		if (name[0] != 'l')
			while (e > b && strchr(" \t\n\r\f\v", s->s[e - 1]))
				e--;
		return pv_mk_str(ev, s->s + b, e - b, off);
	}
	if (!strcmp(name, "join") && nargs == 1) {
		struct pyval **items;
		size_t cnt;
		struct strbuf sb = STRBUF_INIT;
		if (!pyexpr_iterate(ev, args[0], &items, &cnt, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		for (size_t i = 0; i < cnt; i++) {
			if (items[i]->k != PV_STR) {
				sb_release(&sb);
				return pyctx_unknown(ev, off, NULL, "join of a non-string '%s'", pyeval_describe(ev, items[i]));
			}
			if (i)
				sb_add(&sb, s->s, s->len);
			sb_add(&sb, items[i]->s, items[i]->len);
			if (pyctx_too_long(ev, sb.len, off)) {
				sb_release(&sb);
				return pv_mk(ev, PV_UNKNOWN, off);
			}
		}
		struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return r;
	}
	if (!strcmp(name, "replace") && nargs == 2 && args[0]->k == PV_STR && args[1]->k == PV_STR &&
	    args[0]->len) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < s->len;) {
			if (i + args[0]->len <= s->len && !memcmp(s->s + i, args[0]->s, args[0]->len)) {
				sb_add(&sb, args[1]->s, args[1]->len);
				i += args[0]->len;
				if (pyctx_too_long(ev, sb.len, off)) {
					sb_release(&sb);
					return pv_mk(ev, PV_UNKNOWN, off);
				}
			} else {
				sb_addch(&sb, s->s[i++]);
			}
		}
		struct pyval *r = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return r;
	}
	if ((!strcmp(name, "startswith") || !strcmp(name, "endswith")) && nargs == 1 && args[0]->k == PV_STR) {
		size_t n = args[0]->len;
		bool r = n <= s->len && !memcmp(name[0] == 's' ? s->s : s->s + s->len - n, args[0]->s, n);
		return pv_mk_bool(ev, r, off);
	}
	if (!strcmp(name, "split") && nargs <= 1) {
		struct pyval *r = pv_mk(ev, PV_LIST, off);
		size_t cap = 0, i = 0;
		const char *sep = nargs ? args[0]->s : NULL;
		size_t sl = nargs ? args[0]->len : 0;
		if (nargs && (args[0]->k != PV_STR || !sl))
			goto bad;
		while (i <= s->len) {
			size_t e = i;
			if (!sep) {
				while (i < s->len && strchr(" \t\n\r", s->s[i]))
					i++;
				if (i >= s->len)
					break;
				e = i;
				while (e < s->len && !strchr(" \t\n\r", s->s[e]))
					e++;
			} else {
				while (e < s->len && !(e + sl <= s->len && !memcmp(s->s + e, sep, sl)))
					e++;
			}
			if (pyctx_too_many(ev, r->n + 1, off))
				return pv_mk(ev, PV_UNKNOWN, off);
			arena_grow(ev->a, &r->v, &cap, r->n + 1, sizeof *r->v);
			r->v[r->n++] = pv_mk_str(ev, s->s + i, e - i, off);
			i = e + (sep ? sl : 1);
			if (sep && e >= s->len)
				break;
		}
		return r;
	}
bad:
	return pyctx_unknown(ev, off, NULL, "string method '%s' with these arguments is not evaluated at build time", name);
}
