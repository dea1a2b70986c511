/*
 * pyctx.c - the evaluation context: errors, bounds, statements out, scopes, names
 *
 * The state one evaluation carries (struct pyeval): its errors (an unknown
 * value is reported at its first use), its bounds (PYEVAL_MAX_*), the
 * statements it emits, name lookup through scopes, the canonical names of
 * SQLAlchemy things, and what the application holds (retort.ini [constants]).
 */
#include "pyevalint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "migration.h"

const char pyctx_HINT_MOVE_ON[] =
	"rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")";

struct arena *pyeval_arena(struct pyeval *ev) { return ev->a; }
const struct src_file *pyeval_file(struct pyeval *ev) { return ev->f; }
const struct pytypemap *pyeval_types(struct pyeval *ev) { return &ev->cfg->types; }
bool pyeval_failed(struct pyeval *ev) { return ev->failed; }

void pyeval_alembic_fails(struct pyeval *ev, size_t off, const char *why)
{
	if (ev->failed || ev->flow != FLOW_NONE)
		return;
	ev->flow = FLOW_RAISE;
	ev->raise_off = off;
	ev->raise_why = why;
}
unsigned pyeval_order(struct pyeval *ev) { return ++ev->order; }

bool pyeval_memo(struct pyeval *ev, const char *name)
{
	for (size_t i = 0; i < ev->n_memo; i++)
		if (!strcmp(ev->memo[i], name))
			return true;
	arena_grow(ev->a, &ev->memo, &ev->cap_memo, ev->n_memo + 1, sizeof *ev->memo);
	ev->memo[ev->n_memo++] = arena_strdup(ev->a, name);
	return false;
}

static void verror(struct pyeval *ev, size_t off, const char *fmt, va_list ap)
{
	const char *msg;
	struct strbuf sb = STRBUF_INIT;
	sb_vaddf(&sb, fmt, ap);
	msg = sb.buf ? sb.buf : "error";
	diag_at(DIAG_ERROR, ev->f, off, "%s", msg);
	sb_release(&sb);
	ev->failed = true;
}

void pyeval_error(struct pyeval *ev, size_t off, const char *fmt, ...)
{
	va_list ap;
	if (ev->failed)
		return;
	va_start(ap, fmt);
	verror(ev, off, fmt, ap);
	va_end(ap);
}

/* Not static: an error now in a body, a remembered reason at module level.
 * The hint is printed with the error. */
struct pyval *pyctx_unknown(struct pyeval *ev, size_t off, const char *hint, const char *fmt, ...)
{
	struct pyval *u = pv_mk(ev, PV_UNKNOWN, off);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	u->s = arena_strdup(ev->a, sb.buf ? sb.buf : "");
	u->fn = NULL;
	u->self = hint ? pv_mk_cstr(ev, hint, off) : NULL;
	sb_release(&sb);
	if (!ev->quiet && !ev->failed) {
		diag_at(DIAG_ERROR, ev->f, off, "%s", u->s);
		if (hint)
			diag_hint("%s", hint);
		ev->failed = true;
		u->flag |= PVF_REPORTED;
	}
	return u;
}

/* A bound of the evaluation is reached: an error even at module level, and
 * the evaluation of the file stops there. */
struct pyval *pyctx_over(struct pyeval *ev, size_t off, const char *fmt, ...)
{
	if (!ev->over) {
		va_list ap;
		struct strbuf sb = STRBUF_INIT;
		va_start(ap, fmt);
		sb_vaddf(&sb, fmt, ap);
		va_end(ap);
		diag_at(DIAG_ERROR, ev->f, off, "%s", sb.buf ? sb.buf : "");
		diag_hint("retort evaluates a script at build time within fixed bounds; write this revision as a .sql file");
		sb_release(&sb);
		ev->over = true;
	}
	ev->failed = true;
	struct pyval *u = pv_mk(ev, PV_UNKNOWN, off);
	u->s = "a bound of the evaluation";
	u->flag |= PVF_REPORTED;
	return u;
}

bool pyctx_too_long(struct pyeval *ev, size_t len, size_t off)
{
	if (len <= PYEVAL_MAX_STR)
		return false;
	pyctx_over(ev, off, "string longer than %d MiB", PYEVAL_MAX_STR >> 20);
	return true;
}

bool pyctx_too_many(struct pyeval *ev, size_t n, size_t off)
{
	if (n <= PYEVAL_MAX_ITEMS)
		return false;
	pyctx_over(ev, off, "more than %d items in one list, tuple or dict", PYEVAL_MAX_ITEMS);
	return true;
}

/* One more expression or statement evaluated at off. */
bool pyctx_step(struct pyeval *ev, size_t off)
{
	if (ev->over)
		return false;
	if (++ev->steps > PYEVAL_MAX_STEPS) {
		pyctx_over(ev, off, "evaluating the script takes more than %d steps", PYEVAL_MAX_STEPS);
		return false;
	}
	if (ev->a->held - ev->held0 > PYEVAL_MAX_MEMORY) {
		pyctx_over(ev, off, "evaluating the script takes more than %d MiB of memory", PYEVAL_MAX_MEMORY >> 20);
		return false;
	}
	return true;
}

/* A value that turned out unknown is used where it matters: report it. */
bool pyctx_is_bad(struct pyeval *ev, struct pyval *v)
{
	if (v->k != PV_UNKNOWN)
		return ev->failed;
	if (!ev->quiet && !(v->flag & PVF_REPORTED) && !ev->failed) {
		diag_at(DIAG_ERROR, ev->f, v->off, "%s", v->s);
		if (v->self)
			diag_hint("%s", v->self->s);
		ev->failed = true;
		v->flag |= PVF_REPORTED;
	}
	return true;
}

void pyeval_emit(struct pyeval *ev, size_t off, const char *sql)
{
	struct stmt_list *l = ev->out;
	if (!l || ev->failed)
		return;
	ev->emitted += strlen(sql) + 1;
	if (ev->emitted > PYEVAL_MAX_OUTPUT) {
		pyctx_over(ev, off, "the script's statements are longer than %d MiB", PYEVAL_MAX_OUTPUT >> 20);
		return;
	}
	arena_grow(ev->a, &l->v, &l->cap, l->n + 1, sizeof *l->v);
	struct stmt *st = &l->v[l->n++];
	st->off = off;
	st->flags = ev->autocommit ? RT_STMT_AUTOCOMMIT : 0;
	st->sql = arena_printf(ev->a, "%s;", sql);
	st->len = strlen(st->sql);
}

/* ---- scopes ---------------------------------------------------------------- */

static struct binding *lookup_in(struct scope *s, const char *name)
{
	for (size_t i = s->n; i-- > 0;)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

void pyctx_bind(struct pyeval *ev, struct scope *s, const char *name, struct pyval *v, size_t off)
{
	struct binding *b = lookup_in(s, name);
	if (!b) {
		arena_grow(ev->a, &s->v, &s->cap, s->n + 1, sizeof *s->v);
		b = &s->v[s->n++];
		b->name = name;
	}
	b->val = v;
	b->off = off;
}

struct pyval *pyeval_global(struct pyeval *ev, const char *name)
{
	struct binding *b = lookup_in(&ev->globals, name);
	return b ? b->val : NULL;
}

size_t pyeval_global_off(struct pyeval *ev, const char *name)
{
	struct binding *b = lookup_in(&ev->globals, name);
	return b ? b->off : 0;
}

static const char *const builtins[] = {
	"len", "str", "int", "float", "bool", "list", "tuple", "dict", "range",
	"enumerate", "zip", "sorted", "reversed", "print", "isinstance", "min", "max",
	"set", "repr", "any", "all",
};

struct pyval *pyctx_lookup(struct pyeval *ev, struct scope *s, const char *name, size_t off)
{
	for (struct scope *sc = s; sc; sc = sc->parent) {
		struct binding *b = lookup_in(sc, name);
		if (b && b->val->k == PV_REF)
			return pv_mk_ref(ev, b->val->s, off);  /* errors point at the use */
		if (b)
			return b->val;
	}
	for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
		if (strcmp(builtins[i], name) == 0)
			return pv_mk_ref(ev, arena_printf(ev->a, "builtins.%s", name), off);
	static const char *const io[] = { "open", "input", "exec", "eval", "compile", "__import__", NULL };
	for (const char *const *p = io; *p; p++)
		if (!strcmp(*p, name))
			return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON,
					     "'%s' does I/O or runs code, which is not done at build time", name);
	return pyctx_unknown(ev, off, NULL, "name '%s' is not defined in this file", name);
}

/* ---- names of SQLAlchemy things -------------------------------------------- */

bool pyctx_starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* sqlalchemy.types.String, sqlalchemy.String, sa.sql.sqltypes.String -> sa.String;
 * the PostgreSQL dialect -> pg.X; alembic.op.X -> op.X; func.X. */
const char *pyeval_canon(struct pyeval *ev, const char *path)
{
	static const char *const sa_mods[] = {
		"sqlalchemy.sql.sqltypes.", "sqlalchemy.sql.schema.", "sqlalchemy.sql.expression.",
		"sqlalchemy.sql.elements.", "sqlalchemy.sql.ddl.", "sqlalchemy.types.",
		"sqlalchemy.schema.", "sqlalchemy.sql.", "sqlalchemy.", "sqlmodel.sql.sqltypes.GUID",
	};
	static const char *const pg_mods[] = {
		"sqlalchemy.dialects.postgresql.base.", "sqlalchemy.dialects.postgresql.json.",
		"sqlalchemy.dialects.postgresql.array.", "sqlalchemy.dialects.postgresql.ranges.",
		"sqlalchemy.dialects.postgresql.hstore.", "sqlalchemy.dialects.postgresql.",
	};
	const char *f = strstr(path, "func.");
	if (pyctx_starts_with(path, "sqlalchemy.") && f)
		return arena_printf(ev->a, "func.%s", f + 5);
	for (size_t i = 0; i < sizeof pg_mods / sizeof *pg_mods; i++)
		if (pyctx_starts_with(path, pg_mods[i]))
			return arena_printf(ev->a, "pg.%s", path + strlen(pg_mods[i]));
	for (size_t i = 0; i + 1 < sizeof sa_mods / sizeof *sa_mods; i++)
		if (pyctx_starts_with(path, sa_mods[i]) && !strchr(path + strlen(sa_mods[i]), '.'))
			return arena_printf(ev->a, "sa.%s", path + strlen(sa_mods[i]));
	if (pyctx_starts_with(path, "alembic.op."))
		return arena_printf(ev->a, "op.%s", path + 11);
	return path;
}

bool pyctx_is_sa_name(const char *c)
{
	return pyctx_starts_with(c, "sa.") || pyctx_starts_with(c, "pg.") || pyctx_starts_with(c, "func.");
}

/* Why something of a library (not the application) needs run time: the
 * ORM and reflection. NULL: not one of those. `attr` may be NULL. */
const char *pyctx_runtime_need(struct pyeval *ev, const char *path, const char *attr)
{
	const char *full = attr ? arena_printf(ev->a, "%s.%s", path, attr) : path;
	if (pyctx_starts_with(path, "sa.inspect") || pyctx_starts_with(path, "sqlalchemy.inspect") ||
	    pyctx_starts_with(path, "sqlalchemy.engine.reflection") || (attr && !strcmp(attr, "reflect")) ||
	    (attr && !strcmp(attr, "autoload_with")))
		return arena_printf(ev->a, "reflection ('%s') reads the database at run time", full);
	if (pyctx_starts_with(path, "sqlalchemy.orm") || pyctx_starts_with(path, "sqlalchemy.ext.declarative") ||
	    pyctx_starts_with(path, "sqlalchemy.ext.automap") || pyctx_starts_with(path, "flask_sqlalchemy") ||
	    pyctx_starts_with(path, "sqlmodel.Session") || pyctx_starts_with(path, "sqlmodel.SQLModel"))
		return arena_printf(ev->a, "the ORM ('%s'): sessions and model classes need the database "
				    "and the application at run time", full);
	return NULL;
}

/* logging and loguru calls print only: at build time they do nothing. */
bool pyctx_is_log_call(const char *c)
{
	static const char *const fns[] = { "debug", "info", "warning", "warn", "error", "critical",
		"exception", "log", "success", "trace", "basicConfig", "setLevel", NULL };
	if (!pyctx_starts_with(c, "logging.") && !pyctx_starts_with(c, "loguru.logger."))
		return false;
	const char *last = strrchr(c, '.') + 1;
	for (const char *const *f = fns; *f; f++)
		if (!strcmp(last, *f))
			return true;
	return false;
}

/* ---- what the application holds -------------------------------------------- */

/* The result of a call into the application. */
bool pyctx_app_object(const struct pyval *v)
{
	return v->k == PV_OBJ && (v->flag & PVF_APP);
}

/* A dotted path that names something of the application (or of how Alembic
 * is run), not of SQLAlchemy, Alembic's op, Python's builtins, enum or
 * typing. */
static bool app_path(struct pyeval *ev, const char *path)
{
	const char *c = pyeval_canon(ev, path);
	return !pyctx_is_sa_name(c) && !pyctx_starts_with(c, "op.") && !pyctx_starts_with(path, "builtins.") &&
	       !pyctx_starts_with(path, "enum.") && !pyctx_starts_with(path, "typing.");
}

static bool app_ref(struct pyeval *ev, const struct pyval *v)
{
	return v->k == PV_REF && app_path(ev, v->s);
}

/* The value retort.ini [constants] declares for application name `path`
 * (its dotted path first, then its last name), or NULL. */
struct pyval *pyctx_declared(struct pyeval *ev, const char *path, size_t off)
{
	const struct pyconfig *c = ev->cfg;
	if (!c || (!c->nconst && !c->nenum) || !app_path(ev, path) || pyctx_starts_with(path, "alembic.") ||
	    pyctx_starts_with(path, "logging.") || pyctx_starts_with(path, "loguru."))
		return NULL;
	const char *last = strrchr(path, '.');
	last = last ? last + 1 : path;
	/* [enums]: the class with its declared members */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nenum; i++)
			if (!strcmp(c->ename[i], pass ? last : path))
				return c->eclass[i];
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nconst; i++)
			if (!strcmp(c->cname[i], pass ? last : path)) {
				struct pyval *v = pv_mk(ev, c->cval[i]->k, off);
				*v = *c->cval[i];
				v->off = off;
				return v;
			}
	return NULL;
}

/* An application value is used where its value decides something (`what`:
 * "'if' on", "'not' on", ...): report it, unless it is not one. Its value
 * is not known at build time; retort.ini [constants] can declare a name. */
bool pyctx_app_used(struct pyeval *ev, const struct pyval *v, size_t off, const char *what)
{
	if (!pyctx_app_object(v) && !app_ref(ev, v))
		return false;
	const char *rt = pyctx_runtime_need(ev, v->s, NULL);
	if (rt) {
		pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "%s", rt);
	} else if (pyctx_starts_with(v->s, "alembic.")) {
		pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "%s '%s', which depends on how Alembic is run, is not known at build time",
			      what, v->s);
	} else if (pyctx_app_object(v)) {
		pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON,
			      "%s the result of '%s', which the application defines, is not known at build time", what, v->s);
	} else {
		const char *last = strrchr(v->s, '.');
		pyctx_unknown(ev, off, arena_printf(ev->a, "declare its value in the [constants] section of retort.ini "
						    "(e.g. '%s = false'), or rewrite this revision as a .sql file",
						    last ? last + 1 : v->s),
			      "%s '%s', which the application defines, is not known at build time", what, v->s);
	}
	return true;
}

/* Python's truth of v where it decides what runs. `what` says where, for
 * the error when it is not known at build time (then false, ev->failed). */
bool pyctx_truth(struct pyeval *ev, struct pyval *v, size_t off, const char *what)
{
	if (pyctx_is_bad(ev, v) || pyctx_app_used(ev, v, off, what))
		return false;
	if (!pyexpr_is_plain(v) && v->k != PV_REF && v->k != PV_OBJ && v->k != PV_FUNC) {
		pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON, "%s '%s', which is not known at build time", what,
			      pyeval_describe(ev, v));
		return false;
	}
	return pv_truthy(v);
}

bool pyeval_truth(struct pyeval *ev, const struct pyval *v, const char *kw)
{
	if (ev->failed)
		return false;
	if (pyctx_app_used(ev, v, v->off, arena_printf(ev->a, "argument '%s' is", kw)))
		return false;
	return pv_truthy(v);
}
