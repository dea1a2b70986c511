/*
 * pyeval.c - run what is static in an Alembic script, at build time
 *
 * A tree-walking evaluator over pyparse's AST. Values that cannot be known
 * without the database or the application become PV_UNKNOWN carrying why
 * and where; at module level they stay quiet (unused imports and helpers
 * are fine), in a body the first use is the error, reported at the
 * construct itself. After the first error a body stops: what follows would
 * only repeat it.
 */
#include "pyeval.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pylex.h"
#include "pyops.h"
#include "migration.h"

/* memcpy for item arrays that may be empty (and then NULL): C says even a
 * zero-length memcpy needs valid pointers, and UBSan holds us to it. */
static void copy_items(void *dst, const void *src, size_t size)
{
	if (size)
		memcpy(dst, src, size);
}

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
	unsigned nesting;       /* of the value repr_into() or equal() walks */
	bool cut;               /* repr_into() stopped at a bound */
};

static const char HINT_MOVE_ON[] =
	"rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")";

/* ---- values ---------------------------------------------------------------- */

static struct pyval *mk(struct pyeval *ev, enum pv k, size_t off)
{
	struct pyval *v = arena_alloc(ev->a, sizeof *v);
	v->k = k;
	v->off = off;
	return v;
}

static struct pyval *mk_str(struct pyeval *ev, const char *s, size_t len, size_t off)
{
	struct pyval *v = mk(ev, PV_STR, off);
	v->s = arena_strndup(ev->a, s, len);
	v->len = len;
	return v;
}

static struct pyval *mk_cstr(struct pyeval *ev, const char *s, size_t off)
{
	return mk_str(ev, s, strlen(s), off);
}

static struct pyval *mk_int(struct pyeval *ev, long long i, size_t off)
{
	struct pyval *v = mk(ev, PV_INT, off);
	v->i = i;
	return v;
}

static struct pyval *mk_bool(struct pyeval *ev, bool b, size_t off)
{
	struct pyval *v = mk(ev, PV_BOOL, off);
	v->i = b;
	return v;
}

static struct pyval *mk_ref(struct pyeval *ev, const char *path, size_t off)
{
	struct pyval *v = mk(ev, PV_REF, off);
	v->s = path;
	return v;
}

static struct pyval *none_val(struct pyeval *ev, size_t off)
{
	return mk(ev, PV_NONE, off);
}

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
static struct pyval *unknown(struct pyeval *ev, size_t off, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct pyval *unknown(struct pyeval *ev, size_t off, const char *hint, const char *fmt, ...)
{
	struct pyval *u = mk(ev, PV_UNKNOWN, off);
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	u->s = arena_strdup(ev->a, sb.buf ? sb.buf : "");
	u->fn = NULL;
	u->self = hint ? mk_cstr(ev, hint, off) : NULL;
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
static struct pyval *over(struct pyeval *ev, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct pyval *over(struct pyeval *ev, size_t off, const char *fmt, ...)
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
	struct pyval *u = mk(ev, PV_UNKNOWN, off);
	u->s = "a bound of the evaluation";
	u->flag |= PVF_REPORTED;
	return u;
}

static bool too_long(struct pyeval *ev, size_t len, size_t off)
{
	if (len <= PYEVAL_MAX_STR)
		return false;
	over(ev, off, "string longer than %d MiB", PYEVAL_MAX_STR >> 20);
	return true;
}

static bool too_many(struct pyeval *ev, size_t n, size_t off)
{
	if (n <= PYEVAL_MAX_ITEMS)
		return false;
	over(ev, off, "more than %d items in one list, tuple or dict", PYEVAL_MAX_ITEMS);
	return true;
}

/* One more expression or statement evaluated at off. */
static bool step(struct pyeval *ev, size_t off)
{
	if (ev->over)
		return false;
	if (++ev->steps > PYEVAL_MAX_STEPS) {
		over(ev, off, "evaluating the script takes more than %d steps", PYEVAL_MAX_STEPS);
		return false;
	}
	if (ev->a->held - ev->held0 > PYEVAL_MAX_MEMORY) {
		over(ev, off, "evaluating the script takes more than %d MiB of memory", PYEVAL_MAX_MEMORY >> 20);
		return false;
	}
	return true;
}

/* A value that turned out unknown is used where it matters: report it. */
static bool is_bad(struct pyeval *ev, struct pyval *v)
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
		over(ev, off, "the script's statements are longer than %d MiB", PYEVAL_MAX_OUTPUT >> 20);
		return;
	}
	arena_grow(ev->a, &l->v, &l->cap, l->n + 1, sizeof *l->v);
	struct stmt *st = &l->v[l->n++];
	st->off = off;
	st->flags = ev->autocommit ? RT_STMT_AUTOCOMMIT : 0;
	st->sql = arena_printf(ev->a, "%s;", sql);
	st->len = strlen(st->sql);
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
static bool repr_value(struct pyeval *ev, const struct pyval *v, struct strbuf *sb, bool repr, size_t off)
{
	ev->cut = false;
	repr_into(ev, v, sb, repr);
	if (too_long(ev, sb->len, off))
		return false;
	if (ev->cut) {
		over(ev, off, "value nested more than %d levels deep (a list that holds itself?)",
		     PYEVAL_MAX_NESTING);
		return false;
	}
	return true;
}

/* ---- scopes ---------------------------------------------------------------- */

static struct binding *lookup_in(struct scope *s, const char *name)
{
	for (size_t i = s->n; i-- > 0;)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static void bind(struct pyeval *ev, struct scope *s, const char *name, struct pyval *v, size_t off)
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

static struct pyval *lookup(struct pyeval *ev, struct scope *s, const char *name, size_t off)
{
	for (struct scope *sc = s; sc; sc = sc->parent) {
		struct binding *b = lookup_in(sc, name);
		if (b && b->val->k == PV_REF)
			return mk_ref(ev, b->val->s, off);  /* errors point at the use */
		if (b)
			return b->val;
	}
	for (size_t i = 0; i < sizeof builtins / sizeof *builtins; i++)
		if (strcmp(builtins[i], name) == 0)
			return mk_ref(ev, arena_printf(ev->a, "builtins.%s", name), off);
	static const char *const io[] = { "open", "input", "exec", "eval", "compile", "__import__", NULL };
	for (const char *const *p = io; *p; p++)
		if (!strcmp(*p, name))
			return unknown(ev, off, HINT_MOVE_ON,
				       "'%s' does I/O or runs code, which is not done at build time", name);
	return unknown(ev, off, NULL, "name '%s' is not defined in this file", name);
}

/* ---- names of SQLAlchemy things -------------------------------------------- */

static bool starts_with(const char *s, const char *p)
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
	if (starts_with(path, "sqlalchemy.") && f)
		return arena_printf(ev->a, "func.%s", f + 5);
	for (size_t i = 0; i < sizeof pg_mods / sizeof *pg_mods; i++)
		if (starts_with(path, pg_mods[i]))
			return arena_printf(ev->a, "pg.%s", path + strlen(pg_mods[i]));
	for (size_t i = 0; i + 1 < sizeof sa_mods / sizeof *sa_mods; i++)
		if (starts_with(path, sa_mods[i]) && !strchr(path + strlen(sa_mods[i]), '.'))
			return arena_printf(ev->a, "sa.%s", path + strlen(sa_mods[i]));
	if (starts_with(path, "alembic.op."))
		return arena_printf(ev->a, "op.%s", path + 11);
	return path;
}

static bool is_sa_name(const char *c)
{
	return starts_with(c, "sa.") || starts_with(c, "pg.") || starts_with(c, "func.");
}

/* Why something of a library (not the application) needs run time: the
 * ORM and reflection. NULL: not one of those. `attr` may be NULL. */
static const char *runtime_need(struct pyeval *ev, const char *path, const char *attr)
{
	const char *full = attr ? arena_printf(ev->a, "%s.%s", path, attr) : path;
	if (starts_with(path, "sa.inspect") || starts_with(path, "sqlalchemy.inspect") ||
	    starts_with(path, "sqlalchemy.engine.reflection") || (attr && !strcmp(attr, "reflect")) ||
	    (attr && !strcmp(attr, "autoload_with")))
		return arena_printf(ev->a, "reflection ('%s') reads the database at run time", full);
	if (starts_with(path, "sqlalchemy.orm") || starts_with(path, "sqlalchemy.ext.declarative") ||
	    starts_with(path, "sqlalchemy.ext.automap") || starts_with(path, "flask_sqlalchemy") ||
	    starts_with(path, "sqlmodel.Session") || starts_with(path, "sqlmodel.SQLModel"))
		return arena_printf(ev->a, "the ORM ('%s'): sessions and model classes need the database "
				    "and the application at run time", full);
	return NULL;
}

/* logging and loguru calls print only: at build time they do nothing. */
static bool is_log_call(const char *c)
{
	static const char *const fns[] = { "debug", "info", "warning", "warn", "error", "critical",
		"exception", "log", "success", "trace", "basicConfig", "setLevel", NULL };
	if (!starts_with(c, "logging.") && !starts_with(c, "loguru.logger."))
		return false;
	const char *last = strrchr(c, '.') + 1;
	for (const char *const *f = fns; *f; f++)
		if (!strcmp(last, *f))
			return true;
	return false;
}

/* ---- what the application holds -------------------------------------------- */

static bool is_plain(const struct pyval *v);

/* The result of a call into the application. */
static bool app_object(const struct pyval *v)
{
	return v->k == PV_OBJ && (v->flag & PVF_APP);
}

/* A dotted path that names something of the application (or of how Alembic
 * is run), not of SQLAlchemy, Alembic's op, Python's builtins, enum or
 * typing. */
static bool app_path(struct pyeval *ev, const char *path)
{
	const char *c = pyeval_canon(ev, path);
	return !is_sa_name(c) && !starts_with(c, "op.") && !starts_with(path, "builtins.") &&
	       !starts_with(path, "enum.") && !starts_with(path, "typing.");
}

static bool app_ref(struct pyeval *ev, const struct pyval *v)
{
	return v->k == PV_REF && app_path(ev, v->s);
}

/* The value retort.ini [constants] declares for application name `path`
 * (its dotted path first, then its last name), or NULL. */
static struct pyval *declared(struct pyeval *ev, const char *path, size_t off)
{
	const struct pyconfig *c = ev->cfg;
	if (!c || !c->nconst || !app_path(ev, path) || starts_with(path, "alembic.") ||
	    starts_with(path, "logging.") || starts_with(path, "loguru."))
		return NULL;
	const char *last = strrchr(path, '.');
	last = last ? last + 1 : path;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->nconst; i++)
			if (!strcmp(c->cname[i], pass ? last : path)) {
				struct pyval *v = mk(ev, c->cval[i]->k, off);
				*v = *c->cval[i];
				v->off = off;
				return v;
			}
	return NULL;
}

/* An application value is used where its value decides something (`what`:
 * "'if' on", "'not' on", ...): report it, unless it is not one. Its value
 * is not known at build time; retort.ini [constants] can declare a name. */
static bool app_used(struct pyeval *ev, const struct pyval *v, size_t off, const char *what)
{
	if (!app_object(v) && !app_ref(ev, v))
		return false;
	const char *rt = runtime_need(ev, v->s, NULL);
	if (rt) {
		unknown(ev, off, HINT_MOVE_ON, "%s", rt);
	} else if (starts_with(v->s, "alembic.")) {
		unknown(ev, off, HINT_MOVE_ON, "%s '%s', which depends on how Alembic is run, is not known at build time",
			what, v->s);
	} else if (app_object(v)) {
		unknown(ev, off, HINT_MOVE_ON,
			"%s the result of '%s', which the application defines, is not known at build time", what, v->s);
	} else {
		const char *last = strrchr(v->s, '.');
		unknown(ev, off, arena_printf(ev->a, "declare its value in the [constants] section of retort.ini "
					      "(e.g. '%s = false'), or rewrite this revision as a .sql file",
					      last ? last + 1 : v->s),
			"%s '%s', which the application defines, is not known at build time", what, v->s);
	}
	return true;
}

/* Python's truth of v where it decides what runs. `what` says where, for
 * the error when it is not known at build time (then false, ev->failed). */
static bool truth(struct pyeval *ev, struct pyval *v, size_t off, const char *what)
{
	if (is_bad(ev, v) || app_used(ev, v, off, what))
		return false;
	if (!is_plain(v) && v->k != PV_REF && v->k != PV_OBJ && v->k != PV_FUNC) {
		unknown(ev, off, HINT_MOVE_ON, "%s '%s', which is not known at build time", what,
			pyeval_describe(ev, v));
		return false;
	}
	return pv_truthy(v);
}

bool pyeval_truth(struct pyeval *ev, const struct pyval *v, const char *kw)
{
	if (ev->failed)
		return false;
	if (app_used(ev, v, v->off, arena_printf(ev->a, "argument '%s' is", kw)))
		return false;
	return pv_truthy(v);
}

/* ---- evaluation ------------------------------------------------------------ */

static struct pyval *eval(struct pyeval *ev, struct scope *s, const struct pynode *n);
static void exec_block(struct pyeval *ev, struct scope *s, struct pynode *const *v, size_t n);
static struct pyval *call(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			  const char **kw, struct pyval **kwv, size_t nkw, size_t off);

static long long parse_int(const char *s, bool *ok)
{
	char buf[128];
	size_t k = 0;
	for (const char *p = s; *p && k + 1 < sizeof buf; p++)
		if (*p != '_')
			buf[k++] = *p;
	buf[k] = '\0';
	char *end;
	int base = 10;
	const char *b = buf;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16, b = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
		base = 8, b = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		base = 2, b = buf + 2;
	long long v = strtoll(b, &end, base);
	*ok = *end == '\0';
	return v;
}

static struct pyval *number(struct pyeval *ev, const struct pynode *n)
{
	bool ok;
	long long i = parse_int(n->s, &ok);
	if (ok)
		return mk_int(ev, i, n->off);
	if (strpbrk(n->s, "jJ"))
		return unknown(ev, n->off, NULL, "complex number '%s' is not supported", n->s);
	struct pyval *v = mk(ev, PV_FLOAT, n->off);
	v->d = strtod(n->s, NULL);
	v->s = n->s;
	return v;
}

static const char *to_str(struct pyeval *ev, struct pyval *v, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	if (v->k == PV_STR) {
		*len = v->len;
		return v->s;
	}
	if (v->k == PV_ENUMMEMBER)
		sb_addf(&sb, "%s", v->s);
	else if (!repr_value(ev, v, &sb, false, v->off))
		sb_reset(&sb);
	*len = sb.len;
	const char *s = arena_strndup(ev->a, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
	return s;
}

static bool formattable(struct pyval *v)
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
		const char *s = to_str(ev, v, &len);
		return mk_str(ev, s, len, off);
	}
	char fmt[64];
	struct strbuf buf = STRBUF_INIT;
	const char *p = spec;
	char align = 0;
	if (p[0] && (p[1] == '<' || p[1] == '>' || p[1] == '^'))
		return unknown(ev, off, NULL, "format spec '%s' is not supported", spec);
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
		return unknown(ev, off, NULL, "format spec '%s' is not supported", spec);
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
		return unknown(ev, off, NULL, "format spec '%s' is not supported for this value", spec);
	}
	struct pyval *r = mk_str(ev, buf.buf ? buf.buf : "", buf.len, off);
	sb_release(&buf);
	return r;
}

static struct pyval *fstring(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *part = n->v[i];
		if (part->kind == PY_STR) {
			sb_add(&sb, part->s, part->len);
			continue;
		}
		struct pyval *v = eval(ev, s, part->a);
		if (is_bad(ev, v)) {
			sb_release(&sb);
			return v;
		}
		if (!formattable(v)) {
			sb_release(&sb);
			return unknown(ev, part->a->off, HINT_MOVE_ON,
				       "f-string field '%s' is not a static value", pyeval_describe(ev, v));
		}
		const char *spec = "";
		if (part->b) {
			struct pyval *sp = fstring(ev, s, part->b);
			if (is_bad(ev, sp)) {
				sb_release(&sb);
				return sp;
			}
			spec = sp->s;
		}
		if (part->s && part->s[0] == 'r') {
			struct strbuf r = STRBUF_INIT;
			bool ok = repr_value(ev, v, &r, true, part->a->off);
			v = mk_str(ev, r.buf ? r.buf : "", r.len, v->off);
			sb_release(&r);
			if (!ok) {
				sb_release(&sb);
				return v;
			}
		}
		struct pyval *f = format_spec(ev, v, spec, part->a->off);
		if (is_bad(ev, f)) {
			sb_release(&sb);
			return f;
		}
		sb_add(&sb, f->s, f->len);
		if (too_long(ev, sb.len, n->off)) {
			sb_release(&sb);
			return mk(ev, PV_UNKNOWN, n->off);
		}
	}
	struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, n->off);
	sb_release(&sb);
	return r;
}

/* "..." % value(s): %s %r %d %i %f %% and %(name)s with a dict. */
static struct pyval *percent_format(struct pyeval *ev, struct pyval *fmt, struct pyval *args, size_t off)
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
		if (!formattable(v)) {
			sb_release(&sb);
			return unknown(ev, off, HINT_MOVE_ON, "'%%' formatting of '%s', which is not a static value",
				       pyeval_describe(ev, v));
		}
		if (type == 'r') {
			if (!repr_value(ev, v, &sb, true, off)) {
				sb_release(&sb);
				return mk(ev, PV_UNKNOWN, off);
			}
		} else if (type == 's' && k == 0) {
			size_t len;
			const char *s = to_str(ev, v, &len);
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
	struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
	sb_release(&sb);
	return r;
bad:
	sb_release(&sb);
	return unknown(ev, off, NULL, "'%%' formatting that this subset does not evaluate");
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
		if (!formattable(v)) {
			sb_release(&sb);
			return unknown(ev, off, HINT_MOVE_ON, "'.format' of '%s', which is not a static value",
				       pyeval_describe(ev, v));
		}
		struct pyval *f = format_spec(ev, v, spec, off);
		if (is_bad(ev, f)) {
			sb_release(&sb);
			return f;
		}
		sb_add(&sb, f->s, f->len);
		i = e;
	}
	struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
	sb_release(&sb);
	return r;
bad:
	sb_release(&sb);
	return unknown(ev, off, NULL, "'.format' call that this subset does not evaluate");
}

static bool equal(struct pyeval *ev, const struct pyval *x, const struct pyval *y)
{
	if ((x->k == PV_INT || x->k == PV_BOOL) && (y->k == PV_INT || y->k == PV_BOOL))
		return x->i == y->i;
	if (x->k == PV_FLOAT || y->k == PV_FLOAT) {
		double a = x->k == PV_FLOAT ? x->d : (double)x->i;
		double b = y->k == PV_FLOAT ? y->d : (double)y->i;
		return (x->k == PV_FLOAT || x->k == PV_INT) && (y->k == PV_FLOAT || y->k == PV_INT) && a == b;
	}
	if (x->k != y->k)
		return false;
	switch (x->k) {
	case PV_NONE: return true;
	case PV_STR: return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
	case PV_LIST: case PV_TUPLE: {
		if (x->n != y->n)
			return false;
		if (ev->nesting >= PYEVAL_MAX_NESTING) {
			over(ev, x->off, "value nested more than %d levels deep (a list that holds itself?)",
			     PYEVAL_MAX_NESTING);
			return false;
		}
		ev->nesting++;
		bool eq = true;
		for (size_t i = 0; eq && i < x->n && !ev->over; i++)
			eq = equal(ev, x->v[i], y->v[i]);
		ev->nesting--;
		return eq && !ev->over;
	}
	case PV_ENUMMEMBER: case PV_REF: return x == y || strcmp(x->s, y->s) == 0;
	default: return x == y;
	}
}

static bool is_plain(const struct pyval *v)
{
	return v->k <= PV_DICT || v->k == PV_ENUMMEMBER;
}

static struct pyval *sql_of(struct pyeval *ev, struct pyval *v, size_t off);

static struct pyval *mk_sql(struct pyeval *ev, const char *s, size_t off)
{
	struct pyval *v = mk(ev, PV_SQL, off);
	v->s = s;
	return v;
}

/* SQL comparison of a column expression, as SQLAlchemy renders it. */
static struct pyval *sql_compare(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	struct pyval *ls = sql_of(ev, l, off);
	if (is_bad(ev, ls))
		return ls;
	if (r->k == PV_NONE && (!strcmp(op, "==") || !strcmp(op, "!=")))
		return mk_sql(ev, arena_printf(ev->a, "%s IS %sNULL", ls->s, op[0] == '!' ? "NOT " : ""), off);
	struct pyval *rs = sql_of(ev, r, off);
	if (is_bad(ev, rs))
		return rs;
	const char *sqlop = !strcmp(op, "==") ? "=" : op;
	return mk_sql(ev, arena_printf(ev->a, "%s %s %s", ls->s, sqlop, rs->s), off);
}

/* A value inside an SQL expression: a column stays, a literal is rendered. */
static struct pyval *sql_of(struct pyeval *ev, struct pyval *v, size_t off)
{
	if (v->k == PV_SQL)
		return v;
	if (v->k == PV_UNKNOWN)
		return v;
	if (pv_is_obj(v, "sa.column"))
		return mk_sql(ev, pyops_quote(ev, pv_arg(v, 0, "text")->s), off);
	if (v->k == PV_OBJ && (pv_is_obj(v, "sa.text") || starts_with(v->s, "func.") ||
			       pv_is_obj(v, "sa.null") || pv_is_obj(v, "sa.true") || pv_is_obj(v, "sa.false"))) {
		const char *s = pyops_sql(ev, v, off);
		return s ? mk_sql(ev, s, off) : unknown(ev, off, NULL, "not an SQL expression");
	}
	const char *lit = pyops_literal(ev, v, off);
	if (!lit)
		return unknown(ev, off, NULL, "'%s' is not a static SQL value", pyeval_describe(ev, v));
	return mk_sql(ev, lit, off);
}

static struct pyval *binop(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	if (is_bad(ev, l))
		return l;
	if (is_bad(ev, r))
		return r;
	if (l->k == PV_SQL || r->k == PV_SQL || pv_is_obj(l, "sa.column") || pv_is_obj(r, "sa.column")) {
		if (!strcmp(op, "&") || !strcmp(op, "|")) {
			struct pyval *ls = sql_of(ev, l, off), *rs = sql_of(ev, r, off);
			if (is_bad(ev, ls) || is_bad(ev, rs))
				return ev->failed ? ls : rs;
			return mk_sql(ev, arena_printf(ev->a, "%s %s %s", ls->s, op[0] == '&' ? "AND" : "OR", rs->s), off);
		}
		if (strchr("+-*/%", op[0]) && !op[1]) {
			struct pyval *ls = sql_of(ev, l, off), *rs = sql_of(ev, r, off);
			if (is_bad(ev, ls) || is_bad(ev, rs))
				return ev->failed ? ls : rs;
			if (op[0] == '+' && (l->k == PV_STR || r->k == PV_STR))
				op = "||";
			struct pyval *x = mk_sql(ev, arena_printf(ev->a, "%s %s %s", ls->s, op, rs->s), off);
			x->flag |= PVF_GROUPED;
			return x;
		}
	}
	if ((l->k == PV_INT || l->k == PV_BOOL) && (r->k == PV_INT || r->k == PV_BOOL)) {
		long long a = l->i, b = r->i;
		if (!strcmp(op, "+")) return mk_int(ev, a + b, off);
		if (!strcmp(op, "-")) return mk_int(ev, a - b, off);
		if (!strcmp(op, "*")) return mk_int(ev, a * b, off);
		if ((!strcmp(op, "//") || !strcmp(op, "%")) && b != 0) {
			long long q = a / b, m = a % b;
			if (m != 0 && ((m < 0) != (b < 0)))
				q--, m += b;
			return mk_int(ev, op[0] == '%' ? m : q, off);
		}
		if (!strcmp(op, "|")) return mk_int(ev, a | b, off);
		if (!strcmp(op, "&")) return mk_int(ev, a & b, off);
		if (!strcmp(op, "<<")) return mk_int(ev, a << b, off);
		if (!strcmp(op, "**") && b >= 0) {
			long long x = 1;
			for (long long i = 0; i < b; i++)
				x *= a;
			return mk_int(ev, x, off);
		}
	}
	if (l->k == PV_STR && !strcmp(op, "%"))
		return percent_format(ev, l, r, off);
	if (l->k == PV_STR && r->k == PV_STR && !strcmp(op, "+")) {
		if (too_long(ev, l->len + r->len, off))
			return mk(ev, PV_UNKNOWN, off);
		struct pyval *v = mk(ev, PV_STR, off);
		char *s = arena_alloc(ev->a, l->len + r->len + 1);
		memcpy(s, l->s, l->len);
		memcpy(s + l->len, r->s, r->len);
		v->s = s;
		v->len = l->len + r->len;
		return v;
	}
	if (l->k == PV_STR && r->k == PV_INT && !strcmp(op, "*") && r->i >= 0 && r->i < 10000) {
		if (too_long(ev, l->len * (size_t)r->i, off))
			return mk(ev, PV_UNKNOWN, off);
		struct strbuf sb = STRBUF_INIT;
		for (long long i = 0; i < r->i; i++)
			sb_add(&sb, l->s, l->len);
		struct pyval *v = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return v;
	}
	if ((l->k == PV_LIST || l->k == PV_TUPLE) && l->k == r->k && !strcmp(op, "+")) {
		if (too_many(ev, l->n + r->n, off))
			return mk(ev, PV_UNKNOWN, off);
		struct pyval *v = mk(ev, l->k, off);
		v->n = l->n + r->n;
		v->v = arena_alloc(ev->a, (v->n + 1) * sizeof *v->v);
		copy_items(v->v, l->v, l->n * sizeof *v->v);
		copy_items(v->v + l->n, r->v, r->n * sizeof *v->v);
		return v;
	}
	if ((l->k == PV_FLOAT || l->k == PV_INT) && (r->k == PV_FLOAT || r->k == PV_INT)) {
		double a = l->k == PV_FLOAT ? l->d : (double)l->i, b = r->k == PV_FLOAT ? r->d : (double)r->i;
		double x;
		if (!strcmp(op, "+")) x = a + b;
		else if (!strcmp(op, "-")) x = a - b;
		else if (!strcmp(op, "*")) x = a * b;
		else if (!strcmp(op, "/") && b != 0) x = a / b;
		else goto bad;
		struct pyval *v = mk(ev, PV_FLOAT, off);
		v->d = x;
		v->s = arena_printf(ev->a, "%.17g", x);
		return v;
	}
bad:
	return unknown(ev, off, NULL, "operator '%s' on '%s' and '%s' is not evaluated by this subset",
		       op, pyeval_describe(ev, l), pyeval_describe(ev, r));
}

static bool contains(struct pyeval *ev, struct pyval *hay, struct pyval *x, bool *ok)
{
	*ok = true;
	if (hay->k == PV_STR && x->k == PV_STR) {
		if (!x->len)
			return true;
		for (size_t i = 0; i + x->len <= hay->len; i++)
			if (memcmp(hay->s + i, x->s, x->len) == 0)
				return true;
		return false;
	}
	if (hay->k == PV_LIST || hay->k == PV_TUPLE || hay->k == PV_DICT) {
		for (size_t i = 0; i < hay->n; i++)
			if (equal(ev, hay->v[i], x))
				return true;
		return false;
	}
	*ok = false;
	return false;
}

static struct pyval *compare(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	if (is_bad(ev, l))
		return l;
	if (is_bad(ev, r))
		return r;
	if (l->k == PV_SQL || pv_is_obj(l, "sa.column"))
		return sql_compare(ev, op, l, r, off);
	const char *what = arena_printf(ev->a, "comparison '%s' on", op);
	if (app_used(ev, l, off, what) || app_used(ev, r, off, what))
		return mk(ev, PV_UNKNOWN, off);
	bool ok = true, res = false;
	if (!strcmp(op, "is") || !strcmp(op, "is not")) {
		if (!is_plain(l) || !is_plain(r))
			ok = false;
		else
			res = (l->k == PV_NONE && r->k == PV_NONE) ||
			      (l->k == PV_BOOL && r->k == PV_BOOL && l->i == r->i) ||
			      (l->k == PV_ENUMMEMBER && l == r);
		if (op[2])
			res = !res;
	} else if (!strcmp(op, "==") || !strcmp(op, "!=")) {
		if (!is_plain(l) || !is_plain(r))
			ok = false;
		res = equal(ev, l, r) == (op[0] == '=');
	} else if (!strcmp(op, "in") || !strcmp(op, "not in")) {
		res = contains(ev, r, l, &ok) == (op[0] == 'i');
	} else if ((l->k == PV_INT || l->k == PV_FLOAT) && (r->k == PV_INT || r->k == PV_FLOAT)) {
		double a = l->k == PV_FLOAT ? l->d : (double)l->i, b = r->k == PV_FLOAT ? r->d : (double)r->i;
		res = !strcmp(op, "<") ? a < b : !strcmp(op, ">") ? a > b : !strcmp(op, "<=") ? a <= b : a >= b;
	} else if (l->k == PV_STR && r->k == PV_STR) {
		int c = strcmp(l->s, r->s);
		res = !strcmp(op, "<") ? c < 0 : !strcmp(op, ">") ? c > 0 : !strcmp(op, "<=") ? c <= 0 : c >= 0;
	} else {
		ok = false;
	}
	if (!ok)
		return unknown(ev, off, HINT_MOVE_ON,
			       "comparison '%s' of '%s' and '%s' is not static", op,
			       pyeval_describe(ev, l), pyeval_describe(ev, r));
	return mk_bool(ev, res, off);
}

/* Items a for loop or comprehension walks over. */
static bool iterate(struct pyeval *ev, struct pyval *it, struct pyval ***items, size_t *n, size_t off)
{
	if (it->k == PV_LIST || it->k == PV_TUPLE || it->k == PV_DICT || it->k == PV_ENUMCLASS) {
		*items = it->v;
		*n = it->n;
		return true;
	}
	if (it->k == PV_STR) {
		if (too_many(ev, it->len, off))
			return false;
		*n = it->len;
		*items = arena_alloc(ev->a, (it->len + 1) * sizeof **items);
		for (size_t i = 0; i < it->len; i++)
			(*items)[i] = mk_str(ev, it->s + i, 1, off);
		return true;
	}
	if (!is_bad(ev, it))
		unknown(ev, off, HINT_MOVE_ON,
			"loop over '%s', which is not a literal list, tuple or dict known at build time",
			pyeval_describe(ev, it));
	return false;
}

static void assign(struct pyeval *ev, struct scope *s, const struct pynode *target, struct pyval *v);

static struct pyval *comprehension(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct scope inner = { .parent = s };
	struct pyval *out = mk(ev, !strcmp(n->s, "dict") ? PV_DICT : PV_LIST, n->off);
	size_t cap = 0, capw = 0;

	/* Nested clauses, walked with an explicit stack of positions. */
	size_t nclauses = n->n;
	size_t *pos = arena_alloc(ev->a, (nclauses + 1) * sizeof *pos);
	struct pyval ***items = arena_alloc(ev->a, (nclauses + 1) * sizeof *items);
	size_t *counts = arena_alloc(ev->a, (nclauses + 1) * sizeof *counts);
	size_t level = 0;
	bool entering = true;
	for (;;) {
		if (ev->failed)
			return mk(ev, PV_UNKNOWN, n->off);
		if (level == nclauses) {
			struct pyval *x = eval(ev, &inner, n->a);
			if (is_bad(ev, x))
				return x;
			if (too_many(ev, out->n + 1, n->off))
				return mk(ev, PV_UNKNOWN, n->off);
			arena_grow(ev->a, &out->v, &cap, out->n + 1, sizeof *out->v);
			out->v[out->n] = x;
			if (out->k == PV_DICT) {
				struct pyval *y = eval(ev, &inner, n->b);
				if (is_bad(ev, y))
					return y;
				arena_grow(ev->a, &out->w, &capw, out->n + 1, sizeof *out->w);
				out->w[out->n] = y;
				out->nw = out->n + 1;
			}
			out->n++;
			entering = false;
			level--;
			continue;
		}
		const struct pynode *c = n->v[level];
		if (c->kind == PY_COMPIF) {
			if (entering) {
				struct pyval *cond = eval(ev, &inner, c->a);
				bool t = truth(ev, cond, c->a->off, "comprehension 'if' on");
				if (ev->failed)
					return mk(ev, PV_UNKNOWN, n->off);
				if (t) {
					level++;
					continue;
				}
			}
			entering = false;
			if (level == 0)
				break;
			level--;
			continue;
		}
		if (entering) {
			struct pyval *it = eval(ev, &inner, c->b);
			if (is_bad(ev, it))
				return it;
			if (!iterate(ev, it, &items[level], &counts[level], c->b->off))
				return mk(ev, PV_UNKNOWN, n->off);
			pos[level] = 0;
		}
		if (pos[level] < counts[level]) {
			assign(ev, &inner, c->a, items[level][pos[level]++]);
			level++;
			entering = true;
			continue;
		}
		if (level == 0)
			break;
		level--;
		entering = false;
	}
	return out;
}

static struct pyval *eval_call(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct pyval *fn = eval(ev, s, n->a);
	if (is_bad(ev, fn))
		return fn;
	struct pyval **args = NULL, **kwv = NULL;
	const char **kw = NULL;
	size_t na = 0, ca = 0, nk = 0, ck = 0, ckn = 0;

	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *an = n->v[i];
		if (an->kind == PY_STARRED) {
			struct pyval *x = eval(ev, s, an->a);
			if (is_bad(ev, x))
				return x;
			struct pyval **items;
			size_t cnt;
			if (!iterate(ev, x, &items, &cnt, an->a->off))
				return mk(ev, PV_UNKNOWN, an->off);
			if (too_many(ev, na + cnt, an->off))
				return mk(ev, PV_UNKNOWN, an->off);
			for (size_t k = 0; k < cnt; k++) {
				arena_grow(ev->a, &args, &ca, na + 1, sizeof *args);
				args[na++] = items[k];
			}
			continue;
		}
		struct pyval *x = eval(ev, s, an);
		if (is_bad(ev, x))
			return x;
		arena_grow(ev->a, &args, &ca, na + 1, sizeof *args);
		args[na++] = x;
	}
	for (size_t i = 0; i < n->nw; i++) {
		struct pyval *x = eval(ev, s, n->names[i] ? n->w[i] : n->w[i]->a);
		if (is_bad(ev, x))
			return x;
		if (!n->names[i]) {
			if (x->k != PV_DICT)
				return unknown(ev, n->w[i]->off, NULL, "'**' of something other than a literal dict");
			for (size_t k = 0; k < x->n; k++) {
				if (x->v[k]->k != PV_STR)
					return unknown(ev, n->w[i]->off, NULL, "'**' of a dict with non-string keys");
				arena_grow(ev->a, &kwv, &ck, nk + 1, sizeof *kwv);
				arena_grow(ev->a, &kw, &ckn, nk + 1, sizeof *kw);
				kw[nk] = x->v[k]->s;
				kwv[nk++] = x->w[k];
			}
			continue;
		}
		arena_grow(ev->a, &kwv, &ck, nk + 1, sizeof *kwv);
		arena_grow(ev->a, &kw, &ckn, nk + 1, sizeof *kw);
		kw[nk] = n->names[i];
		kwv[nk++] = x;
	}
	return call(ev, fn, args, na, kw, kwv, nk, n->off);
}

static struct pyval *getattr_(struct pyeval *ev, struct pyval *o, const char *name, size_t off);

static struct pyval *subscript(struct pyeval *ev, struct pyval *o, struct pyval *ix, size_t off)
{
	if (is_bad(ev, o))
		return o;
	if (is_bad(ev, ix))
		return ix;
	if ((o->k == PV_LIST || o->k == PV_TUPLE) && ix->k == PV_INT) {
		long long i = ix->i < 0 ? (long long)o->n + ix->i : ix->i;
		if (i >= 0 && (size_t)i < o->n)
			return o->v[i];
		return unknown(ev, off, NULL, "index %lld out of range", ix->i);
	}
	if (o->k == PV_STR && ix->k == PV_INT) {
		long long i = ix->i < 0 ? (long long)o->len + ix->i : ix->i;
		if (i >= 0 && (size_t)i < o->len)
			return mk_str(ev, o->s + i, 1, off);
	}
	if (o->k == PV_DICT) {
		for (size_t i = 0; i < o->n; i++)
			if (equal(ev, o->v[i], ix))
				return o->w[i];
		return unknown(ev, off, NULL, "key '%s' is not in the dict", pyeval_describe(ev, ix));
	}
	if (o->k == PV_COLS && ix->k == PV_STR)
		return getattr_(ev, o, ix->s, off);
	if (o->k == PV_ENUMCLASS && ix->k == PV_STR)
		return getattr_(ev, o, ix->s, off);
	if (o->k == PV_REF || o->k == PV_OBJ)
		return o;  /* typing annotations such as Union[str, None] */
	return unknown(ev, off, NULL, "subscript of '%s' is not evaluated by this subset",
		       pyeval_describe(ev, o));
}

static struct pyval *eval(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	if (ev->failed || !step(ev, n->off))
		return mk(ev, PV_UNKNOWN, n->off);
	switch (n->kind) {
	case PY_NAME:
		return lookup(ev, s, n->s, n->off);
	case PY_NUM:
		return number(ev, n);
	case PY_STR:
		return mk_str(ev, n->s, n->len, n->off);
	case PY_FSTR:
		return fstring(ev, s, n);
	case PY_CONST:
		if (!strcmp(n->s, "None"))
			return none_val(ev, n->off);
		if (!strcmp(n->s, "..."))
			return mk(ev, PV_NONE, n->off);
		return mk_bool(ev, n->s[0] == 'T', n->off);
	case PY_ATTR: {
		struct pyval *o = eval(ev, s, n->a);
		if (is_bad(ev, o))
			return o;
		return getattr_(ev, o, n->s, n->off);
	}
	case PY_CALL:
		return eval_call(ev, s, n);
	case PY_SUBSCRIPT: {
		struct pyval *o = eval(ev, s, n->a);
		if (n->b->kind == PY_SLICE) {
			if (is_bad(ev, o))
				return o;
			if (o->k != PV_LIST && o->k != PV_TUPLE && o->k != PV_STR)
				return unknown(ev, n->off, NULL, "slice of '%s'", pyeval_describe(ev, o));
			long long len = o->k == PV_STR ? (long long)o->len : (long long)o->n;
			long long lo = 0, hi = len;
			if (n->b->c)
				return unknown(ev, n->b->off, NULL, "slices with a step are not supported");
			if (n->b->a) {
				struct pyval *x = eval(ev, s, n->b->a);
				if (x->k != PV_INT)
					return unknown(ev, n->b->off, NULL, "slice bound is not an integer");
				lo = x->i < 0 ? len + x->i : x->i;
			}
			if (n->b->b) {
				struct pyval *x = eval(ev, s, n->b->b);
				if (x->k != PV_INT)
					return unknown(ev, n->b->off, NULL, "slice bound is not an integer");
				hi = x->i < 0 ? len + x->i : x->i;
			}
			lo = lo < 0 ? 0 : lo > len ? len : lo;
			hi = hi < lo ? lo : hi > len ? len : hi;
			if (o->k == PV_STR)
				return mk_str(ev, o->s + lo, (size_t)(hi - lo), n->off);
			struct pyval *r = mk(ev, o->k, n->off);
			r->n = (size_t)(hi - lo);
			r->v = o->v + lo;
			return r;
		}
		struct pyval *ix = eval(ev, s, n->b);
		return subscript(ev, o, ix, n->off);
	}
	case PY_LIST: case PY_TUPLE: case PY_SET: {
		struct pyval *v = mk(ev, n->kind == PY_TUPLE ? PV_TUPLE : PV_LIST, n->off);
		size_t cap = 0;
		for (size_t i = 0; i < n->n; i++) {
			if (n->v[i]->kind == PY_STARRED) {
				struct pyval *x = eval(ev, s, n->v[i]->a);
				struct pyval **items;
				size_t cnt;
				if (is_bad(ev, x))
					return x;
				if (!iterate(ev, x, &items, &cnt, n->v[i]->off))
					return mk(ev, PV_UNKNOWN, n->off);
				if (too_many(ev, v->n + cnt, n->off))
					return mk(ev, PV_UNKNOWN, n->off);
				for (size_t k = 0; k < cnt; k++) {
					arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
					v->v[v->n++] = items[k];
				}
				continue;
			}
			struct pyval *x = eval(ev, s, n->v[i]);
			if (is_bad(ev, x))
				return x;
			arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
			v->v[v->n++] = x;
		}
		return v;
	}
	case PY_DICT: {
		struct pyval *v = mk(ev, PV_DICT, n->off);
		size_t cap = 0, capw = 0;
		for (size_t i = 0; i < n->n; i++) {
			if (!n->v[i]) {
				struct pyval *x = eval(ev, s, n->w[i]);
				if (is_bad(ev, x))
					return x;
				if (x->k != PV_DICT)
					return unknown(ev, n->w[i]->off, NULL, "'**' of something other than a dict");
				for (size_t k = 0; k < x->n; k++) {
					arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
					arena_grow(ev->a, &v->w, &capw, v->n + 1, sizeof *v->w);
					v->v[v->n] = x->v[k];
					v->w[v->n++] = x->w[k];
				}
				continue;
			}
			struct pyval *k = eval(ev, s, n->v[i]);
			struct pyval *x = eval(ev, s, n->w[i]);
			if (is_bad(ev, k))
				return k;
			if (is_bad(ev, x))
				return x;
			size_t j;
			for (j = 0; j < v->n; j++)
				if (equal(ev, v->v[j], k))
					break;
			if (j < v->n) {
				v->w[j] = x;
				continue;
			}
			arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
			arena_grow(ev->a, &v->w, &capw, v->n + 1, sizeof *v->w);
			v->v[v->n] = k;
			v->w[v->n++] = x;
		}
		v->nw = v->n;
		return v;
	}
	case PY_BINOP: {
		struct pyval *l = eval(ev, s, n->a);
		if (is_bad(ev, l))
			return l;
		struct pyval *r = eval(ev, s, n->b);
		return binop(ev, n->s, l, r, n->off);
	}
	case PY_UNARY: {
		struct pyval *x = eval(ev, s, n->a);
		if (is_bad(ev, x))
			return x;
		if (!strcmp(n->s, "not")) {
			if (x->k == PV_SQL)
				return mk_sql(ev, arena_printf(ev->a, "NOT (%s)", x->s), n->off);
			bool t = truth(ev, x, n->a->off, "'not' on");
			if (ev->failed)
				return mk(ev, PV_UNKNOWN, n->off);
			return mk_bool(ev, !t, n->off);
		}
		if (!strcmp(n->s, "~") && x->k == PV_SQL)
			return mk_sql(ev, arena_printf(ev->a, "NOT (%s)", x->s), n->off);
		if (x->k == PV_INT && n->s[0] != '~')
			return mk_int(ev, n->s[0] == '-' ? -x->i : x->i, n->off);
		if (x->k == PV_FLOAT && n->s[0] != '~') {
			struct pyval *f = mk(ev, PV_FLOAT, n->off);
			f->d = n->s[0] == '-' ? -x->d : x->d;
			f->s = n->s[0] == '-' ? arena_printf(ev->a, "-%s", x->s) : x->s;
			return f;
		}
		return unknown(ev, n->off, NULL, "operator '%s' on '%s'", n->s, pyeval_describe(ev, x));
	}
	case PY_BOOLOP: {
		struct pyval *l = eval(ev, s, n->a);
		if (is_bad(ev, l))
			return l;
		if (l->k == PV_SQL) {
			struct pyval *r = eval(ev, s, n->b);
			return unknown(ev, n->off, "use sa.and_()/sa.or_() in SQL expressions",
				       "'%s' between SQL expressions is decided by Python, not SQL", n->s);
			(void)r;
		}
		bool t = truth(ev, l, n->a->off, n->s[0] == 'a' ? "'and' on" : "'or' on");
		if (ev->failed)
			return mk(ev, PV_UNKNOWN, n->off);
		if ((n->s[0] == 'a') != t)
			return l;
		return eval(ev, s, n->b);
	}
	case PY_COMPARE: {
		struct pyval *l = eval(ev, s, n->a);
		if (is_bad(ev, l))
			return l;
		struct pyval *r = eval(ev, s, n->b);
		return compare(ev, n->s, l, r, n->off);
	}
	case PY_IFEXP: {
		struct pyval *c = eval(ev, s, n->b);
		if (is_bad(ev, c))
			return c;
		bool t = truth(ev, c, n->b->off, "conditional expression on");
		if (ev->failed)
			return mk(ev, PV_UNKNOWN, n->off);
		return eval(ev, s, t ? n->a : n->c);
	}
	case PY_COMP:
		return comprehension(ev, s, n);
	case PY_LAMBDA: {
		struct pyval *f = mk(ev, PV_FUNC, n->off);
		f->fn = n;
		f->closure = s;
		return f;
	}
	case PY_STARRED:
		return unknown(ev, n->off, NULL, "'%s' is only supported in calls and literal lists", n->s);
	case PY_OTHEREXPR:
		return unknown(ev, n->off, HINT_MOVE_ON, "%s is not supported in a revision script", n->s);
	default:
		return unknown(ev, n->off, NULL, "unexpected %s", pyparse_kind_name(n->kind));
	}
}

/* ---- calls ------------------------------------------------------------------ */

static struct pyval *mk_obj(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	struct pyval *o = mk(ev, PV_OBJ, off);
	o->s = name;
	o->v = args;
	o->n = nargs;
	o->kw = kw;
	o->w = kwv;
	o->nw = nkw;
	o->order = ++ev->order;
	return o;
}

static struct pyval *call_func(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			       const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	const struct pynode *d = fn->fn;
	if (d->kind == PY_DEF && (d->flag & PYN_DECORATED))
		return unknown(ev, off, HINT_MOVE_ON, "call of decorated function '%s': its decorator is not run at build time",
			       d->s);
	if (ev->depth >= PYEVAL_MAX_CALL_DEPTH)
		return over(ev, off, "helper functions call each other more than %d deep (recursion?)",
			    PYEVAL_MAX_CALL_DEPTH);
	struct scope local = { .parent = fn->closure };
	size_t ai = 0;
	const char **params = d->names;
	size_t np = d->nnames;
	for (size_t i = 0; i < np; i++) {
		const char *p = params[i];
		if (p[0] == '*' && p[1] == '*') {
			struct pyval *dict = mk(ev, PV_DICT, off);
			bind(ev, &local, p + 2, dict, off);
			continue;
		}
		if (p[0] == '*') {
			struct pyval *t = mk(ev, PV_TUPLE, off);
			t->v = args + ai;
			t->n = nargs > ai ? nargs - ai : 0;
			ai = nargs;
			bind(ev, &local, p + 1, t, off);
			continue;
		}
		struct pyval *v = NULL;
		for (size_t k = 0; k < nkw; k++)
			if (kw[k] && strcmp(kw[k], p) == 0)
				v = kwv[k];
		if (!v && ai < nargs)
			v = args[ai++];
		if (!v && i < d->nw && d->w[i])
			v = eval(ev, fn->closure, d->w[i]);
		if (!v)
			return unknown(ev, off, NULL, "call of '%s' without its argument '%s'",
				       d->kind == PY_DEF ? d->s : "lambda", p);
		bind(ev, &local, p, v, off);
	}
	if (ai < nargs)
		return unknown(ev, off, NULL, "call of '%s' with too many arguments",
			       d->kind == PY_DEF ? d->s : "lambda");
	if (d->kind == PY_LAMBDA) {
		ev->depth++;
		struct pyval *r = eval(ev, &local, d->a);
		ev->depth--;
		return r;
	}
	ev->depth++;
	exec_block(ev, &local, d->v, d->n);
	ev->depth--;
	struct pyval *r = ev->retval ? ev->retval : none_val(ev, off);
	if (ev->flow == FLOW_RETURN)
		ev->flow = FLOW_NONE;
	ev->retval = NULL;
	if (ev->flow == FLOW_RAISE)
		return r;
	return r;
}

static struct pyval *builtin(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			     size_t nkw, size_t off)
{
	struct pyval *x = nargs ? args[0] : NULL;
	if (!strcmp(name, "print"))
		return none_val(ev, off);
	if (nkw && strcmp(name, "sorted") != 0)
		goto bad;
	if (!strcmp(name, "len") && x) {
		if (x->k == PV_STR)
			return mk_int(ev, (long long)x->len, off);
		if (x->k == PV_LIST || x->k == PV_TUPLE || x->k == PV_DICT || x->k == PV_ENUMCLASS)
			return mk_int(ev, (long long)x->n, off);
	}
	if (!strcmp(name, "str") && x && formattable(x)) {
		size_t len;
		const char *s = to_str(ev, x, &len);
		return mk_str(ev, s, len, off);
	}
	if (!strcmp(name, "repr") && x && formattable(x)) {
		struct strbuf sb = STRBUF_INIT;
		if (!repr_value(ev, x, &sb, true, off)) {
			sb_release(&sb);
			return mk(ev, PV_UNKNOWN, off);
		}
		struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return r;
	}
	if (!strcmp(name, "int") && x) {
		if (x->k == PV_INT || x->k == PV_BOOL)
			return mk_int(ev, x->i, off);
		if (x->k == PV_STR) {
			bool ok;
			long long i = parse_int(x->s, &ok);
			if (ok)
				return mk_int(ev, i, off);
		}
	}
	if (!strcmp(name, "bool") && x && is_plain(x))
		return mk_bool(ev, pv_truthy(x), off);
	if ((!strcmp(name, "list") || !strcmp(name, "tuple") || !strcmp(name, "sorted") ||
	     !strcmp(name, "reversed") || !strcmp(name, "set")) && nargs <= 1) {
		struct pyval *r = mk(ev, name[0] == 't' ? PV_TUPLE : PV_LIST, off);
		if (x && !iterate(ev, x, &r->v, &r->n, off))
			return mk(ev, PV_UNKNOWN, off);
		if (!strcmp(name, "reversed")) {
			struct pyval **w = arena_alloc(ev->a, (r->n + 1) * sizeof *w);
			for (size_t i = 0; i < r->n; i++)
				w[i] = r->v[r->n - 1 - i];
			r->v = w;
		} else if (!strcmp(name, "sorted") || !strcmp(name, "set")) {
			if (nkw)
				goto bad;
			struct pyval **w = arena_alloc(ev->a, (r->n + 1) * sizeof *w);
			copy_items(w, r->v, r->n * sizeof *w);
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
				return unknown(ev, off, NULL, "set() has no order Python guarantees; use a list");
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
		if (too_many(ev, (size_t)((span + ustep - 1) / ustep > PYEVAL_MAX_ITEMS ? PYEVAL_MAX_ITEMS + 1ULL
								      : (span + ustep - 1) / ustep), off))
			return mk(ev, PV_UNKNOWN, off);
		struct pyval *r = mk(ev, PV_LIST, off);
		size_t cap = 0;
		for (long long i = lo; step > 0 ? i < hi : i > hi; i += step) {
			arena_grow(ev->a, &r->v, &cap, r->n + 1, sizeof *r->v);
			r->v[r->n++] = mk_int(ev, i, off);
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
			if (!iterate(ev, args[i], &items[i], &cnt[i], off))
				return mk(ev, PV_UNKNOWN, off);
			if (cnt[i] < n)
				n = cnt[i];
		}
		struct pyval *r = mk(ev, PV_LIST, off);
		r->v = arena_alloc(ev->a, (n + 1) * sizeof *r->v);
		r->n = n;
		for (size_t k = 0; k < n; k++) {
			struct pyval *t = mk(ev, PV_TUPLE, off);
			size_t w = !strcmp(name, "enumerate") ? 2 : nargs;
			t->v = arena_alloc(ev->a, w * sizeof *t->v);
			t->n = w;
			if (!strcmp(name, "enumerate")) {
				t->v[0] = mk_int(ev, (long long)k, off);
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
		if (!iterate(ev, x, &items, &cnt, off))
			return mk(ev, PV_UNKNOWN, off);
		bool any = name[1] == 'n';
		for (size_t i = 0; i < cnt; i++) {
			bool t = truth(ev, items[i], off, any ? "'any' of" : "'all' of");
			if (ev->failed)
				return mk(ev, PV_UNKNOWN, off);
			if (t == any)
				return mk_bool(ev, any, off);
		}
		return mk_bool(ev, !any, off);
	}
bad:
	return unknown(ev, off, HINT_MOVE_ON, "call of builtin '%s' with these arguments is not evaluated at build time",
		       name);
}

static struct pyval *method(struct pyeval *ev, struct pyval *m, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off);

/* op.NAME(...) */
static struct pyval *call_op(struct pyeval *ev, const char *name, struct pyval **args, size_t nargs,
			     const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	if (!strcmp(name, "get_bind"))
		return mk(ev, PV_BIND, off);
	if (!strcmp(name, "get_context"))
		return mk(ev, PV_CONTEXT, off);
	if (!strcmp(name, "f") && nargs == 1 && args[0]->k == PV_STR) {
		struct pyval *v = mk_str(ev, args[0]->s, args[0]->len, off);
		v->flag |= PVF_CONV;
		return v;
	}
	if (!strcmp(name, "inline_literal") && nargs >= 1)
		return args[0];
	if (!strcmp(name, "batch_alter_table")) {
		struct pyval *o = mk_obj(ev, "op.batch_alter_table", args, nargs, kw, kwv, nkw, off);
		struct pyval *rec = pv_arg(o, -1, "recreate");
		if (rec && !(rec->k == PV_STR && (!strcmp(rec->s, "auto") || !strcmp(rec->s, "never"))))
			return unknown(ev, rec->off, HINT_MOVE_ON,
				       "batch_alter_table with recreate='%s' copies the table through Python",
				       pyeval_describe(ev, rec));
		struct pyval *t = pv_arg(o, 0, "table_name");
		if (!t || t->k != PV_STR)
			return unknown(ev, off, NULL, "batch_alter_table needs a literal table name");
		struct pyval *b = mk(ev, PV_BATCH, off);
		b->s = t->s;
		b->self = pv_arg(o, 1, "schema");
		struct pyval *cm = mk(ev, PV_CTXMGR, off);
		cm->s = "batch";
		cm->self = b;
		return cm;
	}
	if (!strcmp(name, "execute") || pyops_known(name, false)) {
		struct pyval *o = mk_obj(ev, arena_printf(ev->a, "op.%s", name), args, nargs, kw, kwv, nkw, off);
		pyops_call(ev, name, o, off, NULL, NULL);
		return none_val(ev, off);
	}
	if (!strcmp(name, "get_context") || !strcmp(name, "run_async") || !strcmp(name, "invoke"))
		return unknown(ev, off, HINT_MOVE_ON, "'op.%s' is not supported", name);
	return unknown(ev, off, HINT_MOVE_ON, "operation 'op.%s' is not supported by retort", name);
}

static struct pyval *call(struct pyeval *ev, struct pyval *fn, struct pyval **args, size_t nargs,
			  const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	if (ev->failed)
		return mk(ev, PV_UNKNOWN, off);
	for (size_t i = 0; i < nargs; i++)
		if (args[i]->k == PV_UNKNOWN && is_bad(ev, args[i]))
			return args[i];
	for (size_t i = 0; i < nkw; i++)
		if (kwv[i]->k == PV_UNKNOWN && is_bad(ev, kwv[i]))
			return kwv[i];
	switch (fn->k) {
	case PV_FUNC:
		return call_func(ev, fn, args, nargs, kw, kwv, nkw, off);
	case PV_METHOD:
		return method(ev, fn, args, nargs, kw, kwv, nkw, off);
	case PV_REF: {
		const char *c = pyeval_canon(ev, fn->s);
		if (starts_with(c, "builtins."))
			return builtin(ev, c + 9, args, nargs, nkw, off);
		if (starts_with(c, "op."))
			return call_op(ev, c + 3, args, nargs, kw, kwv, nkw, off);
		if (is_sa_name(c)) {
			if (!strcmp(c, "sa.and_") || !strcmp(c, "sa.or_")) {
				struct strbuf sb = STRBUF_INIT;
				for (size_t i = 0; i < nargs; i++) {
					struct pyval *x = sql_of(ev, args[i], off);
					if (is_bad(ev, x)) {
						sb_release(&sb);
						return x;
					}
					if (i)
						sb_addstr(&sb, c[3] == 'a' ? " AND " : " OR ");
					bool paren = c[3] == 'a' && strstr(x->s, " OR ");
					sb_addf(&sb, paren ? "(%s)" : "%s", x->s);
				}
				struct pyval *r = mk_sql(ev, arena_strdup(ev->a, sb.buf ? sb.buf : ""), off);
				sb_release(&sb);
				return r;
			}
			if (!strcmp(c, "sa.not_") && nargs == 1) {
				struct pyval *x = sql_of(ev, args[0], off);
				if (is_bad(ev, x))
					return x;
				return mk_sql(ev, arena_printf(ev->a, "NOT (%s)", x->s), off);
			}
			/* Kept as objects; an op that receives one it cannot
			 * render (sa.select, sa.inspect, ...) reports it there. */
			return mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		}
		if (!strcmp(c, "logging.getLogger"))
			return mk_ref(ev, "logging.Logger", off);
		if (is_log_call(c))
			return none_val(ev, off);
		if (starts_with(c, "typing.") || starts_with(c, "enum."))
			return mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		/* Something the application defines: a column type at best
		 * (the type map resolves it); anything else is an error where
		 * it is used. */
		struct pyval *o = mk_obj(ev, c, args, nargs, kw, kwv, nkw, off);
		o->flag |= PVF_APP;
		return o;
	}
	case PV_ENUMCLASS:
		return unknown(ev, off, NULL, "calling enum class '%s' is not supported", fn->s);
	default:
		return unknown(ev, off, HINT_MOVE_ON, "'%s' is not callable at build time",
			       pyeval_describe(ev, fn));
	}
}

/* ---- attributes and methods ------------------------------------------------- */

static struct pyval *mk_method(struct pyeval *ev, struct pyval *self, const char *name, size_t off)
{
	struct pyval *m = mk(ev, PV_METHOD, off);
	m->s = name;
	m->self = self;
	return m;
}

static const char *const obj_methods[] = {
	"create", "drop", "with_variant", "where", "values", "update", "insert", "delete",
	"in_", "notin_", "not_in", "is_", "isnot", "is_not", "like", "ilike", "bindparams",
	"label", "desc", "asc", "execution_options", "evaluates_none", "columns", "inline",
	"returning", "cast", "op", "filter_by",
};

static struct pyval *getattr_(struct pyeval *ev, struct pyval *o, const char *name, size_t off)
{
	switch (o->k) {
	case PV_REF: {
		const char *path = arena_printf(ev->a, "%s.%s", o->s, name);
		struct pyval *c = declared(ev, path, off);
		return c ? c : mk_ref(ev, path, off);
	}
	case PV_OBJ:
		if (pv_is_obj(o, "sa.table") && !strcmp(name, "c")) {
			struct pyval *c = mk(ev, PV_COLS, off);
			c->self = o;
			return c;
		}
		if (pv_is_obj(o, "sa.table") && !strcmp(name, "name"))
			return pv_arg(o, 0, NULL);
		for (size_t i = 0; i < sizeof obj_methods / sizeof *obj_methods; i++)
			if (!strcmp(obj_methods[i], name))
				return mk_method(ev, o, name, off);
		if (runtime_need(ev, o->s, name))
			return unknown(ev, off, HINT_MOVE_ON, "%s", runtime_need(ev, o->s, name));
		if (o->flag & PVF_APP)
			return unknown(ev, off, HINT_MOVE_ON, "'%s' comes from the application, which is not run at build time",
				       o->s);
		return unknown(ev, off, HINT_MOVE_ON, "attribute '%s' of '%s' is not evaluated at build time",
			       name, o->s);
	case PV_COLS: {
		const char *t = pyops_quote(ev, pv_arg(o->self, 0, NULL)->s);
		return mk_sql(ev, arena_printf(ev->a, "%s.%s", t, pyops_quote(ev, name)), off);
	}
	case PV_SQL:
		return mk_method(ev, o, name, off);
	case PV_BIND:
		if (!strcmp(name, "dialect"))
			return mk(ev, PV_DIALECT, off);
		if (!strcmp(name, "engine") || !strcmp(name, "connection")) {
			struct pyval *e = mk(ev, PV_BIND, off);
			if (name[0] == 'e')
				e->flag |= PVF_ENGINE;
			return e;
		}
		if (!strcmp(name, "name") && (o->flag & PVF_ENGINE))
			return mk_cstr(ev, "postgresql", off);
		if (!strcmp(name, "execute") || !strcmp(name, "exec_driver_sql"))
			return mk_method(ev, o, name, off);
		return unknown(ev, off, HINT_MOVE_ON, "'%s' of the connection needs the database at run time", name);
	case PV_CONTEXT:
		if (!strcmp(name, "dialect"))
			return mk(ev, PV_DIALECT, off);
		if (!strcmp(name, "bind") || !strcmp(name, "connection"))
			return mk(ev, PV_BIND, off);
		if (!strcmp(name, "autocommit_block") || !strcmp(name, "execute"))
			return mk_method(ev, o, name, off);
		return unknown(ev, off, HINT_MOVE_ON, "'%s' of the migration context is not known at build time", name);
	case PV_DIALECT:
		if (!strcmp(name, "name"))
			return mk_cstr(ev, "postgresql", off);
		if (!strcmp(name, "driver"))
			return mk_cstr(ev, "psycopg2", off);
		return unknown(ev, off, HINT_MOVE_ON, "'dialect.%s' needs the database at run time", name);
	case PV_BATCH:
		return mk_method(ev, o, name, off);
	case PV_ENUMCLASS:
		for (size_t i = 0; i < o->n; i++)
			if (!strcmp(o->v[i]->s, name))
				return o->v[i];
		if (!strcmp(name, "__members__")) {
			struct pyval *d = mk(ev, PV_DICT, off);
			d->n = d->nw = o->n;
			d->v = arena_alloc(ev->a, (o->n + 1) * sizeof *d->v);
			d->w = o->v;
			for (size_t i = 0; i < o->n; i++)
				d->v[i] = mk_cstr(ev, o->v[i]->s, off);
			return d;
		}
		if (!strcmp(name, "__name__"))
			return mk_cstr(ev, o->s, off);
		return unknown(ev, off, NULL, "enum '%s' has no member '%s'", o->s, name);
	case PV_ENUMMEMBER:
		if (!strcmp(name, "value"))
			return o->self;
		if (!strcmp(name, "name"))
			return mk_cstr(ev, o->s, off);
		break;
	case PV_STR: case PV_LIST: case PV_DICT: case PV_TUPLE:
		return mk_method(ev, o, name, off);
	case PV_UNKNOWN:
		return o;
	default:
		break;
	}
	return unknown(ev, off, HINT_MOVE_ON, "attribute '%s' of '%s' is not evaluated at build time", name,
		       pyeval_describe(ev, o));
}

static struct pyval *copy_obj(struct pyeval *ev, struct pyval *o, const char *name, size_t off)
{
	struct pyval *c = mk(ev, PV_OBJ, off);
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
	copy_items(c->kw, o->kw, o->nw * sizeof *c->kw);
	copy_items(c->w, o->w, o->nw * sizeof *c->w);
	c->kw[o->nw] = kw;
	c->w[o->nw] = v;
	c->nw = o->nw + 1;
	return c;
}

static struct pyval *str_method(struct pyeval *ev, struct pyval *s, const char *name, struct pyval **args,
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
		return mk_str(ev, t, s->len, off);
	}
	if ((!strcmp(name, "strip") || !strcmp(name, "rstrip") || !strcmp(name, "lstrip")) && nargs == 0) {
		size_t b = 0, e = s->len;
		if (name[0] != 'r')
			while (b < e && strchr(" \t\n\r\f\v", s->s[b]))
				b++;
		if (name[0] != 'l')
			while (e > b && strchr(" \t\n\r\f\v", s->s[e - 1]))
				e--;
		return mk_str(ev, s->s + b, e - b, off);
	}
	if (!strcmp(name, "join") && nargs == 1) {
		struct pyval **items;
		size_t cnt;
		struct strbuf sb = STRBUF_INIT;
		if (!iterate(ev, args[0], &items, &cnt, off))
			return mk(ev, PV_UNKNOWN, off);
		for (size_t i = 0; i < cnt; i++) {
			if (items[i]->k != PV_STR) {
				sb_release(&sb);
				return unknown(ev, off, NULL, "join of a non-string '%s'", pyeval_describe(ev, items[i]));
			}
			if (i)
				sb_add(&sb, s->s, s->len);
			sb_add(&sb, items[i]->s, items[i]->len);
			if (too_long(ev, sb.len, off)) {
				sb_release(&sb);
				return mk(ev, PV_UNKNOWN, off);
			}
		}
		struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
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
				if (too_long(ev, sb.len, off)) {
					sb_release(&sb);
					return mk(ev, PV_UNKNOWN, off);
				}
			} else {
				sb_addch(&sb, s->s[i++]);
			}
		}
		struct pyval *r = mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return r;
	}
	if ((!strcmp(name, "startswith") || !strcmp(name, "endswith")) && nargs == 1 && args[0]->k == PV_STR) {
		size_t n = args[0]->len;
		bool r = n <= s->len && !memcmp(name[0] == 's' ? s->s : s->s + s->len - n, args[0]->s, n);
		return mk_bool(ev, r, off);
	}
	if (!strcmp(name, "split") && nargs <= 1) {
		struct pyval *r = mk(ev, PV_LIST, off);
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
			if (too_many(ev, r->n + 1, off))
				return mk(ev, PV_UNKNOWN, off);
			arena_grow(ev->a, &r->v, &cap, r->n + 1, sizeof *r->v);
			r->v[r->n++] = mk_str(ev, s->s + i, e - i, off);
			i = e + (sep ? sl : 1);
			if (sep && e >= s->len)
				break;
		}
		return r;
	}
bad:
	return unknown(ev, off, NULL, "string method '%s' with these arguments is not evaluated at build time", name);
}

static struct pyval *method(struct pyeval *ev, struct pyval *m, struct pyval **args, size_t nargs,
			    const char **kw, struct pyval **kwv, size_t nkw, size_t off)
{
	struct pyval *self = m->self;
	const char *name = m->s;
	struct pyval tmp = { .k = PV_OBJ, .v = args, .n = nargs, .kw = kw, .w = kwv, .nw = nkw };

	switch (self->k) {
	case PV_STR:
		return str_method(ev, self, name, args, nargs, kw, kwv, nkw, off);
	case PV_LIST:
		if ((!strcmp(name, "append") || !strcmp(name, "extend")) && nargs == 1) {
			struct pyval **items = args;
			size_t cnt = 1;
			if (name[0] == 'e' && !iterate(ev, args[0], &items, &cnt, off))
				return mk(ev, PV_UNKNOWN, off);
			if (too_many(ev, self->n + cnt, off))
				return mk(ev, PV_UNKNOWN, off);
			struct pyval **nv = arena_alloc(ev->a, (self->n + cnt + 1) * sizeof *nv);
			copy_items(nv, self->v, self->n * sizeof *nv);
			copy_items(nv + self->n, items, cnt * sizeof *nv);
			self->v = nv;
			self->n += cnt;
			return none_val(ev, off);
		}
		break;
	case PV_DICT:
		if ((!strcmp(name, "items") || !strcmp(name, "keys") || !strcmp(name, "values")) && !nargs) {
			struct pyval *r = mk(ev, PV_LIST, off);
			r->n = self->n;
			r->v = arena_alloc(ev->a, (self->n + 1) * sizeof *r->v);
			for (size_t i = 0; i < self->n; i++) {
				if (name[0] == 'k') {
					r->v[i] = self->v[i];
				} else if (name[0] == 'v') {
					r->v[i] = self->w[i];
				} else {
					struct pyval *t = mk(ev, PV_TUPLE, off);
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
				if (equal(ev, self->v[i], args[0]))
					return self->w[i];
			return nargs == 2 ? args[1] : none_val(ev, off);
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
				return unknown(ev, off, HINT_MOVE_ON,
					       "'%s' with bound parameters: retort renders literal SQL only", name);
			if (nargs == 2 && args[1]->k == PV_DICT) {
				sets = &args[1];
			} else if (nargs == 2 && (args[1]->k == PV_LIST || args[1]->k == PV_TUPLE)) {
				sets = args[1]->v;
				nsets = args[1]->n;
			} else if (nargs == 2) {
				return unknown(ev, args[1]->off, HINT_MOVE_ON,
					       "parameters of '%s' must be a dict or a list of dicts known at build time",
					       name);
			}
			for (size_t i = 0; i < nsets; i++) {
				struct pyval *stmt = args[0];
				struct pyval *b = NULL;
				if (sets) {
					if (sets[i]->k != PV_DICT)
						return unknown(ev, sets[i]->off, HINT_MOVE_ON,
							       "parameters of '%s' must be a dict or a list of dicts known at build time",
							       name);
					b = mk_obj(ev, "binds", NULL, 0, NULL, NULL, 0, sets[i]->off);
					b->kw = arena_alloc(ev->a, (sets[i]->n + 1) * sizeof *b->kw);
					b->w = sets[i]->w;
					b->nw = sets[i]->n;
					for (size_t k = 0; k < sets[i]->n; k++) {
						if (sets[i]->v[k]->k != PV_STR)
							return unknown(ev, sets[i]->v[k]->off, NULL,
								       "a parameter name must be a string");
						b->kw[k] = sets[i]->v[k]->s;
					}
				} else if (nkw) {
					b = mk_obj(ev, "binds", NULL, 0, kw, kwv, nkw, off);
				}
				if (b)
					stmt = with_kw(ev, stmt, "__binds__", b, off);
				const char *sql = pyops_sql(ev, stmt, args[0]->off);
				if (!sql)
					return mk(ev, PV_UNKNOWN, off);
				pyeval_emit(ev, off, sql);
			}
			struct pyval *r = mk(ev, PV_UNKNOWN, off);
			r->s = arena_strdup(ev->a, "reading the result of 'execute' needs the database at run time");
			r->why = PVW_RESULT;
			r->self = mk_cstr(ev, HINT_MOVE_ON, off);
			return r;
		}
		break;
	case PV_CONTEXT:
		if (!strcmp(name, "autocommit_block") && !nargs) {
			struct pyval *cm = mk(ev, PV_CTXMGR, off);
			cm->s = "autocommit";
			return cm;
		}
		break;
	case PV_BATCH:
		if (!strcmp(name, "f") && nargs == 1 && args[0]->k == PV_STR)
			return call_op(ev, "f", args, nargs, kw, kwv, nkw, off);
		if (pyops_known(name, true)) {
			/* Alembic runs a batch's operations when the block ends. */
			struct pyval *o = mk_obj(ev, arena_printf(ev->a, "batch.%s", name), args, nargs, kw, kwv, nkw, off);
			arena_grow(ev->a, &self->w, &self->nw, self->n + 1, sizeof *self->w);
			self->w[self->n++] = o;
			return none_val(ev, off);
		}
		return unknown(ev, off, HINT_MOVE_ON, "batch operation '%s' is not supported by retort", name);
	case PV_SQL: {
		if (!strcmp(name, "in_") || !strcmp(name, "notin_") || !strcmp(name, "not_in")) {
			struct pyval **items;
			size_t cnt;
			if (nargs != 1 || !iterate(ev, args[0], &items, &cnt, off))
				return mk(ev, PV_UNKNOWN, off);
			struct strbuf sb = STRBUF_INIT;
			sb_addf(&sb, "%s %sIN (", self->s, name[0] == 'n' ? "NOT " : "");
			for (size_t i = 0; i < cnt; i++) {
				const char *l = pyops_literal(ev, items[i], off);
				if (!l) {
					sb_release(&sb);
					return mk(ev, PV_UNKNOWN, off);
				}
				sb_addf(&sb, "%s%s", i ? ", " : "", l);
			}
			sb_addch(&sb, ')');
			struct pyval *r = mk_sql(ev, arena_strdup(ev->a, sb.buf), off);
			sb_release(&sb);
			return r;
		}
		if ((!strcmp(name, "is_") || !strcmp(name, "isnot") || !strcmp(name, "is_not")) && nargs == 1) {
			const char *l = pyops_literal(ev, args[0], off);
			if (!l)
				return mk(ev, PV_UNKNOWN, off);
			return mk_sql(ev, arena_printf(ev->a, "%s IS %s%s", self->s, name[2] == '_' && name[3] == 0 ? "" : "NOT ", l), off);
		}
		if ((!strcmp(name, "like") || !strcmp(name, "ilike")) && nargs == 1) {
			const char *l = pyops_literal(ev, args[0], off);
			if (!l)
				return mk(ev, PV_UNKNOWN, off);
			return mk_sql(ev, arena_printf(ev->a, name[0] == 'i' ? "lower(%s) LIKE lower(%s)" : "%s LIKE %s", self->s, l), off);
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
				return unknown(ev, b->off, NULL, "'%s' of an enum needs op.get_bind() as its bind", name);
			pyops_enum(ev, self, name[0] == 'c', cf ? pyeval_truth(ev, cf, "checkfirst") : name[0] != 'c' && 0, off);
			return none_val(ev, off);
		}
		if (pv_is_obj(self, "sa.table") && (!strcmp(name, "update") || !strcmp(name, "insert") ||
						     !strcmp(name, "delete")) && !nargs && !nkw) {
			struct pyval *st = mk_obj(ev, arena_printf(ev->a, "core.%s", name), NULL, 0, NULL, NULL, 0, off);
			st->self = self;
			return st;
		}
		if (starts_with(c, "core.") && !strcmp(name, "where")) {
			struct pyval *o = self;
			for (size_t i = 0; i < nargs; i++) {
				struct pyval *x = sql_of(ev, args[i], off);
				if (is_bad(ev, x))
					return x;
				o = with_kw(ev, o, "where", x, off);
			}
			return o;
		}
		if (starts_with(c, "core.") && !strcmp(name, "values")) {
			struct pyval *d = nargs == 1 ? args[0] : NULL;
			if (nargs > 1 || (d && d->k != PV_DICT))
				return unknown(ev, off, NULL, "'values' takes keywords or one dict here");
			if (!d) {
				d = mk(ev, PV_DICT, off);
				d->n = d->nw = nkw;
				d->v = arena_alloc(ev->a, (nkw + 1) * sizeof *d->v);
				d->w = kwv;
				for (size_t i = 0; i < nkw; i++)
					d->v[i] = mk_cstr(ev, kw[i], off);
			}
			return with_kw(ev, self, "values", d, off);
		}
		if (!strcmp(name, "bindparams") && pv_is_obj(self, "sa.text")) {
			if (nargs)
				return unknown(ev, off, NULL, "positional bindparams are not supported");
			return with_kw(ev, self, "__binds__", mk_obj(ev, "binds", NULL, 0, kw, kwv, nkw, off), off);
		}
		if (!strcmp(name, "desc") || !strcmp(name, "asc"))
			break;
		break;
	}
	default:
		break;
	}
	return unknown(ev, off, HINT_MOVE_ON, "method '%s' of '%s' is not evaluated at build time", name,
		       pyeval_describe(ev, self));
}

/* ---- statements ------------------------------------------------------------- */

static void assign(struct pyeval *ev, struct scope *s, const struct pynode *target, struct pyval *v)
{
	if (ev->failed && !ev->quiet)
		return;
	switch (target->kind) {
	case PY_NAME:
		bind(ev, s, target->s, v, target->off);
		return;
	case PY_TUPLE: case PY_LIST: {
		struct pyval **items;
		size_t cnt;
		if (v->k == PV_UNKNOWN) {
			for (size_t i = 0; i < target->n; i++)
				assign(ev, s, target->v[i], v);
			return;
		}
		if (!iterate(ev, v, &items, &cnt, target->off))
			return;
		if (cnt != target->n) {
			struct pyval *u = unknown(ev, target->off, NULL, "cannot unpack %zu values into %zu names",
						  cnt, target->n);
			for (size_t i = 0; i < target->n; i++)
				assign(ev, s, target->v[i], u);
			return;
		}
		for (size_t i = 0; i < cnt; i++)
			assign(ev, s, target->v[i], items[i]);
		return;
	}
	default:
		unknown(ev, target->off, HINT_MOVE_ON, "assignment to %s is not supported",
			target->kind == PY_ATTR ? "an attribute" : target->kind == PY_SUBSCRIPT ? "an item" :
			"this target");
		return;
	}
}

static void exec_stmt(struct pyeval *ev, struct scope *s, const struct pynode *n);

static void exec_block(struct pyeval *ev, struct scope *s, struct pynode *const *v, size_t n)
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
				bind(ev, s, n->names2[i], mk_ref(ev, mod, n->off), n->off);
			} else {
				const char *dot = strchr(mod, '.');
				const char *top = dot ? arena_strndup(ev->a, mod, (size_t)(dot - mod)) : mod;
				bind(ev, s, top, mk_ref(ev, top, n->off), n->off);
			}
			continue;
		}
		if (!strcmp(mod, "*")) {
			/* Names it brings are unknown until used: then they error. */
			continue;
		}
		const char *path = arena_printf(ev->a, "%s.%s", n->s, mod);
		struct pyval *c = declared(ev, path, n->off);
		bind(ev, s, n->names2[i] ? n->names2[i] : mod, c ? c : mk_ref(ev, path, n->off), n->off);
	}
}

/* class X(enum.Enum): literal members; any other class is not static. */
static void exec_class(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	bool is_enum = false;
	for (size_t i = 0; i < n->nw; i++) {
		struct pyval *b = eval(ev, s, n->w[i]);
		if (b->k == PV_REF) {
			const char *c = b->s;
			if (!strcmp(c, "enum.Enum") || !strcmp(c, "enum.IntEnum") || !strcmp(c, "enum.StrEnum"))
				is_enum = true;
		}
	}
	if (!is_enum) {
		bind(ev, s, n->s, unknown(ev, n->off, HINT_MOVE_ON,
					   "class '%s' is not an enum.Enum with literal members; classes run as Python",
					   n->s), n->off);
		return;
	}
	struct pyval *c = mk(ev, PV_ENUMCLASS, n->off);
	size_t cap = 0;
	c->s = n->s;
	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *st = n->v[i];
		if (st->kind == PY_PASS || (st->kind == PY_EXPR && st->a->kind == PY_STR))
			continue;
		if (st->kind != PY_ASSIGN || st->n != 1 || st->v[0]->kind != PY_NAME) {
			bind(ev, s, n->s, unknown(ev, st->off, NULL,
						   "enum class '%s' has a member that is not 'NAME = literal'", n->s), n->off);
			return;
		}
		struct pyval *val = eval(ev, s, st->a);
		struct pyval *mem = mk(ev, PV_ENUMMEMBER, st->off);
		mem->s = st->v[0]->s;
		mem->self = val;
		arena_grow(ev->a, &c->v, &cap, c->n + 1, sizeof *c->v);
		c->v[c->n++] = mem;
	}
	bind(ev, s, n->s, c, n->off);
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
		unknown(ev, n->off, NULL, "too many context managers in one 'with'");
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		struct pyval *cm = eval(ev, s, n->v[i]);
		if (is_bad(ev, cm))
			return;
		if (cm->k == PV_OBJ && runtime_need(ev, cm->s, NULL)) {
			unknown(ev, n->v[i]->off, HINT_MOVE_ON, "%s", runtime_need(ev, cm->s, NULL));
			return;
		}
		if (cm->k != PV_CTXMGR) {
			unknown(ev, n->v[i]->off, HINT_MOVE_ON,
				"'with' on '%s': only op.batch_alter_table() and autocommit_block() are supported",
				pyeval_describe(ev, cm));
			return;
		}
		cms[i] = cm;
		if (!strcmp(cm->s, "autocommit"))
			ev->autocommit++;
		if (n->w[i])
			assign(ev, s, n->w[i], !strcmp(cm->s, "batch") ? cm->self : none_val(ev, n->off));
	}
	exec_block(ev, s, n->c->v, n->c->n);
	for (size_t i = n->n; i-- > 0;) {
		if (!strcmp(cms[i]->s, "batch"))
			flush_batch(ev, cms[i]->self);
		else
			ev->autocommit--;
	}
}

static void exec_stmt(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	if (!step(ev, n->off))
		return;
	switch (n->kind) {
	case PY_EXPR: {
		if (n->a->kind == PY_STR)
			return;  /* a docstring or a comment written as a string */
		struct pyval *v = eval(ev, s, n->a);
		if (ev->quiet)
			return;
		if (v->k == PV_UNKNOWN && v->why == PVW_RESULT)
			return;  /* conn.execute(...) as a statement: the result is dropped */
		if (is_bad(ev, v))
			return;
		if (app_object(v) && runtime_need(ev, v->s, NULL))
			unknown(ev, n->off, HINT_MOVE_ON, "%s", runtime_need(ev, v->s, NULL));
		else if (app_object(v))
			unknown(ev, n->off, HINT_MOVE_ON, "call of '%s', which the application defines, is not run at build time",
				v->s);
		return;
	}
	case PY_ASSIGN: {
		struct pyval *v = eval(ev, s, n->a);
		for (size_t i = 0; i < n->n; i++)
			assign(ev, s, n->v[i], v);
		return;
	}
	case PY_ANNASSIGN:
		if (n->c)
			assign(ev, s, n->a, eval(ev, s, n->c));
		return;
	case PY_AUGASSIGN: {
		if (n->a->kind != PY_NAME) {
			unknown(ev, n->off, NULL, "augmented assignment to this target is not supported");
			return;
		}
		struct pyval *l = eval(ev, s, n->a);
		struct pyval *r = eval(ev, s, n->b);
		char op[4] = { 0 };
		memcpy(op, n->s, strlen(n->s) - 1);
		if (l->k == PV_LIST && r->k == PV_LIST && op[0] == '+') {
			struct pyval tmpm = { .k = PV_METHOD, .s = "extend", .self = l };
			method(ev, &tmpm, &r, 1, NULL, NULL, 0, n->off);
			return;
		}
		assign(ev, s, n->a, binop(ev, op, l, r, n->off));
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
		ev->retval = n->a ? eval(ev, s, n->a) : none_val(ev, n->off);
		ev->flow = FLOW_RETURN;
		return;
	case PY_IF: {
		struct pyval *c = eval(ev, s, n->a);
		if (is_bad(ev, c))
			return;
		bool t = truth(ev, c, n->a->off, "'if' on");
		if (ev->failed)
			return;
		if (t)
			exec_block(ev, s, n->v, n->n);
		else
			exec_block(ev, s, n->w, n->nw);
		return;
	}
	case PY_FOR: {
		struct pyval *it = eval(ev, s, n->b);
		struct pyval **items;
		size_t cnt;
		if (is_bad(ev, it))
			return;
		if (!iterate(ev, it, &items, &cnt, n->b->off))
			return;
		for (size_t i = 0; i < cnt; i++) {
			assign(ev, s, n->a, items[i]);
			exec_block(ev, s, n->v, n->n);
			if (ev->flow == FLOW_BREAK) {
				ev->flow = FLOW_NONE;
				return;
			}
			if (ev->flow == FLOW_CONTINUE)
				ev->flow = FLOW_NONE;
			if (ev->flow != FLOW_NONE || ev->failed)
				return;
		}
		exec_block(ev, s, n->w, n->nw);
		return;
	}
	case PY_WITH:
		exec_with(ev, s, n);
		return;
	case PY_DEF: {
		struct pyval *f = mk(ev, PV_FUNC, n->off);
		f->fn = n;
		f->closure = s;
		bind(ev, s, n->s, f, n->off);
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
		unknown(ev, n->off, HINT_MOVE_ON, "'%s' statement in a revision body is not run at build time", n->s);
		return;
	default:
		unknown(ev, n->off, NULL, "unexpected %s", pyparse_kind_name(n->kind));
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
	bind(ev, &ev->globals, "__name__", mk_cstr(ev, modname, 0), 0);
	exec_block(ev, &ev->globals, m->body->v, m->body->n);
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
	(void)call_func(ev, f, NULL, 0, NULL, NULL, 0, f->fn->off);
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
