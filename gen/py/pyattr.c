/*
 * pyattr.c - attributes and methods of values: objects, lists, dicts, bind, batch
 *
 * getattr on every kind of value (modules, SQLAlchemy objects, table.c,
 * op.get_bind(), enum members) and the methods bound to them (list.append,
 * dict.get, .where()/.values(), Enum.create, ...).
 */
#include "pyevalint.h"

#include <string.h>

/* ---- attributes and methods ------------------------------------------------- */

static struct pyval *mk_method(struct pyeval *ev, struct pyval *self, const char *name, size_t off)
{
	struct pyval *m = pv_mk(ev, PV_METHOD, off);
	m->s = name;
	m->self = self;
	return m;
}

static const char *const obj_methods[] = {
	"create", "drop", "with_variant", "where", "values", "update", "insert", "delete",
	"in_", "notin_", "not_in", "is_", "isnot", "is_not", "like", "ilike", "bindparams",
	"label", "desc", "asc", "execution_options", "evaluates_none", "columns", "inline",
	"returning", "cast", "op", "filter_by", "startswith", "get_backend_name",
};

struct pyval *pyattr_getattr(struct pyeval *ev, struct pyval *o, const char *name, size_t off)
{
	switch (o->k) {
	case PV_REF: {
		const char *path = arena_printf(ev->a, "%s.%s", o->s, name);
		struct pyval *c = pyctx_declared(ev, path, off);
		return c ? c : pv_mk_ref(ev, path, off);
	}
	case PV_OBJ:
		if (pv_is_obj(o, "sa.table") && !strcmp(name, "c")) {
			struct pyval *c = pv_mk(ev, PV_COLS, off);
			c->self = o;
			return c;
		}
		if (pv_is_obj(o, "sa.table") && !strcmp(name, "name"))
			return pv_arg(o, 0, NULL);
		for (size_t i = 0; i < sizeof obj_methods / sizeof *obj_methods; i++)
			if (!strcmp(obj_methods[i], name))
				return mk_method(ev, o, name, off);
		if (pyctx_runtime_need(ev, o->s, name))
			return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "%s", pyctx_runtime_need(ev, o->s, name));
		if (o->flag & PVF_APP)
			return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'%s' comes from the application, which is not run at build time",
					     o->s);
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "attribute '%s' of '%s' is not evaluated at build time",
				     name, o->s);
	case PV_COLS: {
		const char *t = pyops_quote(ev, pv_arg(o->self, 0, NULL)->s);
		struct pyval *x = pyexpr_mk_sql(ev, arena_printf(ev->a, "%s.%s", t, pyops_quote(ev, name)), off);
		/* its type, from sa.table()'s sa.column(name, type) */
		for (size_t i = 1; i < o->self->n; i++) {
			struct pyval *c = o->self->v[i];
			struct pyval *cn = pv_arg(c, 0, pv_is_obj(c, "sa.Column") ? "name" : "text");
			if ((pv_is_obj(c, "sa.column") || pv_is_obj(c, "sa.Column")) && cn && cn->k == PV_STR &&
			    !strcmp(cn->s, name))
				x->sqk = pyexpr_typekind(ev, pv_arg(c, 1, "type_"));
		}
		x->sqk |= SQK_QUALIFIED;
		return x;
	}
	case PV_SQL:
		return mk_method(ev, o, name, off);
	case PV_BIND:
		if (!strcmp(name, "dialect"))
			return pv_mk(ev, PV_DIALECT, off);
		if (!strcmp(name, "engine") || !strcmp(name, "connection")) {
			struct pyval *e = pv_mk(ev, PV_BIND, off);
			if (name[0] == 'e')
				e->flag |= PVF_ENGINE;
			return e;
		}
		if (!strcmp(name, "name") && (o->flag & PVF_ENGINE))
			return pv_mk_cstr(ev, "postgresql", off);
		if (!strcmp(name, "url") && (o->flag & PVF_ENGINE))
			return pycall_mk_obj(ev, "engine.url", NULL, 0, NULL, NULL, 0, off);
		if (!strcmp(name, "execute") || !strcmp(name, "exec_driver_sql"))
			return mk_method(ev, o, name, off);
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'%s' of the connection needs the database at run time", name);
	case PV_CONTEXT:
		if (!strcmp(name, "dialect"))
			return pv_mk(ev, PV_DIALECT, off);
		if (!strcmp(name, "bind") || !strcmp(name, "connection"))
			return pv_mk(ev, PV_BIND, off);
		if (!strcmp(name, "autocommit_block") || !strcmp(name, "execute"))
			return mk_method(ev, o, name, off);
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'%s' of the migration context is not known at build time", name);
	case PV_DIALECT:
		if (!strcmp(name, "name"))
			return pv_mk_cstr(ev, "postgresql", off);
		if (!strcmp(name, "driver"))
			return pv_mk_cstr(ev, "psycopg2", off);
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "'dialect.%s' needs the database at run time", name);
	case PV_BATCH:
		return mk_method(ev, o, name, off);
	case PV_ENUMCLASS:
		for (size_t i = 0; i < o->n; i++)
			if (!strcmp(o->v[i]->s, name))
				return o->v[i];
		if (!strcmp(name, "__members__")) {
			struct pyval *d = pv_mk(ev, PV_DICT, off);
			d->n = d->nw = o->n;
			d->v = arena_alloc(ev->a, (o->n + 1) * sizeof *d->v);
			d->w = o->v;
			for (size_t i = 0; i < o->n; i++)
				d->v[i] = pv_mk_cstr(ev, o->v[i]->s, off);
			return d;
		}
		if (!strcmp(name, "__name__"))
			return pv_mk_cstr(ev, o->s, off);
		return pyctx_unknown(ev, off, NULL, "enum '%s' has no member '%s'", o->s, name);
	case PV_ENUMMEMBER:
		if (!strcmp(name, "value") && !o->self)  /* declared in retort.ini [enums]: names only */
			return pyctx_unknown(ev, off, "declare the class in the revision, or use the member's name",
				       "the value of '%s' is not known at build time: retort.ini [enums] declares "
				       "member names only", o->s);
		if (!strcmp(name, "value"))
			return o->self;
		if (!strcmp(name, "name"))
			return pv_mk_cstr(ev, o->s, off);
		break;
	case PV_STR: case PV_LIST: case PV_DICT: case PV_TUPLE:
		return mk_method(ev, o, name, off);
	case PV_UNKNOWN:
		return o;
	default:
		break;
	}
	return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "attribute '%s' of '%s' is not evaluated at build time", name,
			     pyeval_describe(ev, o));
}

static struct pyval *copy_obj(struct pyeval *ev, struct pyval *o, const char *name, size_t off)
{
	struct pyval *c = pv_mk(ev, PV_OBJ, off);
	*c = *o;
	c->s = name ? name : o->s;
	c->off = off;
	return c;
}

/* Sets keyword `kw` of a copy of core statement o. */
static struct pyval *with_kw(struct pyeval *ev, struct pyval *o, const char *kw, struct pyval *v, size_t off)
{
	struct pyval *c = copy_obj(ev, o, NULL, off);
	c->kw = arena_alloc(ev->a, (o->nw + 1) * sizeof *c->kw);
	c->w = arena_alloc(ev->a, (o->nw + 1) * sizeof *c->w);
	pv_copy_items(c->kw, o->kw, o->nw * sizeof *c->kw);
	pv_copy_items(c->w, o->w, o->nw * sizeof *c->w);
	c->kw[o->nw] = kw;
	c->w[o->nw] = v;
	c->nw = o->nw + 1;
	return c;
}

/* str(bind.engine.url).startswith(p): the URL is not known at build time,
 * only that it is PostgreSQL's: "postgresql", then "+driver" or "://".
 * A prefix of "postgresql" is true; one that is no prefix of it and that
 * it is no prefix of is false (a dialect test: "sqlite", "mysql"); a
 * longer one ("postgresql+psycopg2", "postgresql://host") depends on the
 * URL given at run time. */
static struct pyval *url_startswith(struct pyeval *ev, struct pyval *arg, size_t off)
{
	static const char pg[] = "postgresql";
	struct pyval **items = &arg;
	size_t n = 1;
	if (arg->k == PV_TUPLE)
		items = arg->v, n = arg->n;
	bool res = false;
	for (size_t i = 0; i < n; i++) {
		struct pyval *p = items[i];
		if (p->k != PV_STR)
			return pyctx_unknown(ev, p->off, NULL, "startswith() of the database URL needs a string");
		if (p->len <= sizeof pg - 1 && !memcmp(p->s, pg, p->len))
			res = true;
		else if (p->len > sizeof pg - 1 && !memcmp(p->s, pg, sizeof pg - 1))
			return pyctx_unknown(ev, p->off, pyctx_HINT_MOVE_ON,
				       "whether the database URL starts with '%s' is known at run time only", p->s);
	}
	return pv_mk_bool(ev, res, off);
}

struct pyval *pyattr_method(struct pyeval *ev, struct pyval *m, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	struct pyval *self = m->self;
	const char *name = m->s;
	struct pyval tmp = { .k = PV_OBJ, .v = args, .n = nargs, .kw = kw, .w = kwv, .nw = nkw };

	if (self->k != PV_SQL && pyexpr_is_sqlish(self) &&
	    (!strcmp(name, "in_") || !strcmp(name, "notin_") || !strcmp(name, "not_in") || !strcmp(name, "is_") ||
	     !strcmp(name, "isnot") || !strcmp(name, "is_not") || !strcmp(name, "like") || !strcmp(name, "ilike"))) {
		self = pyexpr_sql_of(ev, self, off);
		if (pyctx_is_bad(ev, self))
			return self;
	}
	switch (self->k) {
	case PV_STR:
		return pystr_str_method(ev, self, name, args, nargs, kw, kwv, nkw, off);
	case PV_LIST:
		if ((!strcmp(name, "append") || !strcmp(name, "extend")) && nargs == 1) {
			struct pyval **items = args;
			size_t cnt = 1;
			if (name[0] == 'e' && !pyexpr_iterate(ev, args[0], &items, &cnt, off))
				return pv_mk(ev, PV_UNKNOWN, off);
			if (pyctx_too_many(ev, self->n + cnt, off))
				return pv_mk(ev, PV_UNKNOWN, off);
			struct pyval **nv = arena_alloc(ev->a, (self->n + cnt + 1) * sizeof *nv);
			pv_copy_items(nv, self->v, self->n * sizeof *nv);
			pv_copy_items(nv + self->n, items, cnt * sizeof *nv);
			self->v = nv;
			self->n += cnt;
			return pv_none_val(ev, off);
		}
		break;
	case PV_DICT:
		if ((!strcmp(name, "items") || !strcmp(name, "keys") || !strcmp(name, "values")) && !nargs) {
			struct pyval *r = pv_mk(ev, PV_LIST, off);
			r->n = self->n;
			r->v = arena_alloc(ev->a, (self->n + 1) * sizeof *r->v);
			for (size_t i = 0; i < self->n; i++) {
				if (name[0] == 'k') {
					r->v[i] = self->v[i];
				} else if (name[0] == 'v') {
					r->v[i] = self->w[i];
				} else {
					struct pyval *t = pv_mk(ev, PV_TUPLE, off);
					t->v = arena_alloc(ev->a, 2 * sizeof *t->v);
					t->v[0] = self->v[i];
					t->v[1] = self->w[i];
					t->n = 2;
					r->v[i] = t;
				}
			}
			return r;
		}
		if (!strcmp(name, "get") && (nargs == 1 || nargs == 2)) {
			for (size_t i = 0; i < self->n; i++)
				if (pyexpr_equal(ev, self->v[i], args[0]))
					return self->w[i];
			return nargs == 2 ? args[1] : pv_none_val(ev, off);
		}
		break;
	case PV_BIND:
		if ((!strcmp(name, "execute") || !strcmp(name, "exec_driver_sql")) && nargs >= 1) {
			/* sa.text() with parameters as a dict, a list of dicts
			 * (one statement each) or keywords: the values are
			 * written into the SQL as literals, as Alembic's --sql. */
			struct pyval **sets = NULL;
			size_t nsets = 1;
			if ((nargs > 1 || nkw) && (!pv_is_obj(args[0], "sa.text") || !strcmp(name, "exec_driver_sql") ||
						   nargs > 2 || (nargs == 2 && nkw)))
				return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON,
						     "'%s' with bound parameters: retort renders literal SQL only", name);
			if (nargs == 2 && args[1]->k == PV_DICT) {
				sets = &args[1];
			} else if (nargs == 2 && (args[1]->k == PV_LIST || args[1]->k == PV_TUPLE)) {
				sets = args[1]->v;
				nsets = args[1]->n;
			} else if (nargs == 2) {
				return pyctx_unknown(ev, args[1]->off, pyctx_HINT_MOVE_ON,
						     "parameters of '%s' must be a dict or a list of dicts known at build time",
						     name);
			}
			for (size_t i = 0; i < nsets; i++) {
				struct pyval *stmt = args[0];
				struct pyval *b = NULL;
				if (sets) {
					if (sets[i]->k != PV_DICT)
						return pyctx_unknown(ev, sets[i]->off, pyctx_HINT_MOVE_ON,
								     "parameters of '%s' must be a dict or a list of dicts known at build time",
								     name);
					b = pycall_mk_obj(ev, "binds", NULL, 0, NULL, NULL, 0, sets[i]->off);
					b->kw = arena_alloc(ev->a, (sets[i]->n + 1) * sizeof *b->kw);
					b->w = sets[i]->w;
					b->nw = sets[i]->n;
					for (size_t k = 0; k < sets[i]->n; k++) {
						if (sets[i]->v[k]->k != PV_STR)
							return pyctx_unknown(ev, sets[i]->v[k]->off, NULL,
									     "a parameter name must be a string");
						b->kw[k] = sets[i]->v[k]->s;
					}
				} else if (nkw) {
					b = pycall_mk_obj(ev, "binds", NULL, 0, kw, kwv, nkw, off);
				}
				if (b)
					stmt = with_kw(ev, stmt, "__binds__", b, off);
				const char *sql = pyops_sql(ev, stmt, args[0]->off);
				if (!sql)
					return pv_mk(ev, PV_UNKNOWN, off);
				pyeval_emit(ev, off, sql);
			}
			struct pyval *r = pv_mk(ev, PV_UNKNOWN, off);
			r->s = arena_strdup(ev->a, "reading the result of 'execute' needs the database at run time");
			r->why = PVW_RESULT;
			r->self = pv_mk_cstr(ev, pyctx_HINT_MOVE_ON, off);
			return r;
		}
		break;
	case PV_CONTEXT:
		if (!strcmp(name, "autocommit_block") && !nargs) {
			struct pyval *cm = pv_mk(ev, PV_CTXMGR, off);
			cm->s = "autocommit";
			return cm;
		}
		break;
	case PV_BATCH:
		if (!strcmp(name, "f") && nargs == 1 && args[0]->k == PV_STR)
			return pycall_call_op(ev, "f", args, nargs, kw, kwv, nkw, off);
		if (pyops_known(name, true)) {
			/* Alembic runs a batch's operations when the block ends. */
			struct pyval *o = pycall_mk_obj(ev, arena_printf(ev->a, "batch.%s", name), args, nargs, kw, kwv, nkw, off);
			arena_grow(ev->a, &self->w, &self->nw, self->n + 1, sizeof *self->w);
			self->w[self->n++] = o;
			return pv_none_val(ev, off);
		}
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "batch operation '%s' is not supported by retort", name);
	case PV_SQL: {
		if ((!strcmp(name, "in_") || !strcmp(name, "notin_") || !strcmp(name, "not_in")) && nargs == 1 && !nkw)
			return pyexpr_sql_in(ev, self, name[0] == 'n', args[0], off);
		if ((!strcmp(name, "is_") || !strcmp(name, "isnot") || !strcmp(name, "is_not")) && nargs == 1 && !nkw) {
			struct pyval *r = pyexpr_sql_of(ev, args[0], off);
			if (pyctx_is_bad(ev, r))
				return r;
			return pyexpr_sql_cmp(ev, strcmp(name, "is_") ? "IS NOT" : "IS", self, r, off);
		}
		if ((!strcmp(name, "like") || !strcmp(name, "ilike")) && nargs == 1 && !nkw) {
			struct pyval *r = pyexpr_sql_of(ev, args[0], off);
			if (pyctx_is_bad(ev, r))
				return r;
			/* PostgreSQL's compiler writes ILIKE itself */
			return pyexpr_sql_cmp(ev, name[0] == 'i' ? "ILIKE" : "LIKE", self, r, off);
		}
		break;
	}
	case PV_OBJ: {
		const char *c = self->s;
		if (!strcmp(name, "with_variant") || !strcmp(name, "evaluates_none") ||
		    !strcmp(name, "execution_options"))
			return self;  /* the base type wins on PostgreSQL */
		if ((!strcmp(name, "create") || !strcmp(name, "drop")) &&
		    (pv_is_obj(self, "sa.Enum") || pv_is_obj(self, "pg.ENUM"))) {
			struct pyval *cf = pv_arg(&tmp, 1, "checkfirst");
			struct pyval *b = pv_arg(&tmp, 0, "bind");
			if (b && b->k != PV_BIND)
				return pyctx_unknown(ev, b->off, NULL, "'%s' of an enum needs op.get_bind() as its bind", name);
			pyops_enum(ev, self, name[0] == 'c', cf ? pyeval_truth(ev, cf, "checkfirst") : name[0] != 'c' && 0, off);
			return pv_none_val(ev, off);
		}
		if (pv_is_obj(self, "sa.table") && (!strcmp(name, "update") || !strcmp(name, "insert") ||
						     !strcmp(name, "delete")) && !nargs && !nkw) {
			struct pyval *st = pycall_mk_obj(ev, arena_printf(ev->a, "core.%s", name), NULL, 0, NULL, NULL, 0, off);
			st->self = self;
			return st;
		}
		if (pyctx_starts_with(c, "core.") && !strcmp(name, "where") && !nkw) {
			/* .where(a, b).where(c): one condition, a AND b AND c */
			struct pyval *prev = NULL;
			for (size_t i = 0; i < self->nw; i++)
				if (!strcmp(self->kw[i], "where"))
					prev = self->w[i];
			struct pyval **conds = arena_alloc(ev->a, (nargs + 2) * sizeof *conds);
			size_t n = 0;
			if (prev)
				conds[n++] = prev;
			for (size_t i = 0; i < nargs; i++)
				conds[n++] = args[i];
			struct pyval *x = pyexpr_sql_bool(ev, true, conds, n, off);
			if (pyctx_is_bad(ev, x))
				return x;
			return with_kw(ev, self, "where", x, off);
		}
		if (pyctx_starts_with(c, "core.") && !strcmp(name, "values")) {
			struct pyval *d = nargs == 1 ? args[0] : NULL;
			if (nargs > 1 || (d && d->k != PV_DICT))
				return pyctx_unknown(ev, off, NULL, "'values' takes keywords or one dict here");
			if (!d) {
				d = pv_mk(ev, PV_DICT, off);
				d->n = d->nw = nkw;
				d->v = arena_alloc(ev->a, (nkw + 1) * sizeof *d->v);
				d->w = kwv;
				for (size_t i = 0; i < nkw; i++)
					d->v[i] = pv_mk_cstr(ev, kw[i], off);
			}
			return with_kw(ev, self, "values", d, off);
		}
		if (pv_is_obj(self, "engine.url") && !strcmp(name, "get_backend_name") && !nargs && !nkw)
			return pv_mk_cstr(ev, "postgresql", off);
		if (pv_is_obj(self, "engine.url.str") && !strcmp(name, "startswith") && nargs == 1 && !nkw)
			return url_startswith(ev, args[0], off);
		if (!strcmp(name, "bindparams") && pv_is_obj(self, "sa.text")) {
			if (nargs)
				return pyctx_unknown(ev, off, NULL, "positional bindparams are not supported");
			return with_kw(ev, self, "__binds__", pycall_mk_obj(ev, "binds", NULL, 0, kw, kwv, nkw, off), off);
		}
		if (!strcmp(name, "desc") || !strcmp(name, "asc"))
			break;
		break;
	}
	default:
		break;
	}
	return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "method '%s' of '%s' is not evaluated at build time", name,
			     pyeval_describe(ev, self));
}
