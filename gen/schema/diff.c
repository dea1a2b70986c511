/*
 * diff.c - the statements that turn one schema model into another
 *
 * Three steps. classify() gives every object a status (same, altered,
 * dropped, created, rebuilt) and spreads rebuilds to dependants until
 * nothing changes. Then every status becomes an action (a drop, an alter or
 * a create, with its statements and notes) and pg_depend becomes edges
 * between actions. Last, the actions are written in topological order,
 * drops before alters before creates wherever the edges allow, ties broken
 * by kind and key so that the output is stable.
 */
#include "schema/diff.h"
#include "schema/privilege.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum status { ST_SAME, ST_ALTER, ST_GONE, ST_NEW, ST_REBUILD };
enum phase { PH_DROP, PH_ALTER, PH_CREATE };

struct action {
	enum phase phase;
	const struct sobj *o;
	struct strbuf sql;   /* statements, each ending ";\n", notes first */
	size_t n_stmts;
	size_t *next;        /* actions that must come after this one */
	size_t n_next, cap_next;
	size_t indeg;
	bool done;
};

struct differ {
	struct arena *a;
	const struct smodel *from, *to;
	long *f2t, *t2f;            /* matching objects, -1: none */
	enum status *sf, *stt;      /* status of FROM and TO objects */
	bool *retyped;              /* FROM columns whose type changes */
	size_t **rdeps;             /* FROM dependants of each FROM object */
	size_t *n_rdeps;
	struct action *acts;
	size_t n_acts, cap_acts;
	long *drop_act, *create_act, *alter_act; /* per FROM / TO / FROM object */
	struct diff_result *out;
};

static bool eq(const char *x, const char *y)
{
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

/* ---- classify ---------------------------------------------------------------- */

/* Whether `to`'s labels are `from`'s with values inserted (ADD VALUE will do). */
static bool enum_grows(const struct sobj *f, const struct sobj *t)
{
	size_t j = 0;
	for (size_t i = 0; i < t->n_labels && j < f->n_labels; i++)
		if (strcmp(t->labels[i], f->labels[j]) == 0)
			j++;
	return j == f->n_labels;
}

static const char *strip_not_valid(struct arena *a, const char *def)
{
	size_t n = strlen(def);
	if (n > 10 && strcmp(def + n - 10, " NOT VALID") == 0)
		return arena_strndup(a, def, n - 10);
	return def;
}

/* End of the bracketed or quoted run starting at s[i] (one past it), or 0. */
static size_t skip_group(const char *s, size_t i)
{
	int depth = 0;
	for (; s[i]; i++) {
		char c = s[i];
		if (c == '\'' || c == '"') {
			for (i++; s[i] && !(s[i] == c && s[i + 1] != c); i++)
				if (s[i] == c)
					i++;
			if (!s[i])
				return 0;
		} else if (c == '(' || c == '[') {
			depth++;
		} else if (c == ')' || c == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

/*
 * PostgreSQL prints `x IN ('a', 'b')` on a varchar column as
 * `(ARRAY['a'::character varying, ...])::text[]`, but that text, parsed
 * again, prints as `ARRAY[('a'::character varying)::text, ...]`. Compare
 * both in the second form, so that a definition written back equals itself.
 */
static const char *settle_arrays(struct arena *a, const char *def)
{
	if (!def || !strstr(def, "(ARRAY["))
		return def;
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	for (const char *p; (p = strstr(def + i, "(ARRAY[")) != NULL;) {
		size_t at = (size_t)(p - def), open = at + 6;
		size_t close = skip_group(def, open);
		const char *cast = close ? def + close : NULL;
		const char *arr = cast && strncmp(cast, ")::", 3) == 0 ? strstr(cast + 3, "[]") : NULL;
		const char *bad = arr ? strpbrk(cast + 3, "(),") : NULL;
		if (!arr || (bad && bad < arr)) {
			sb_add(&sb, def + i, at + 1 - i);
			i = at + 1;
			continue;
		}
		size_t tl = (size_t)(arr - (cast + 3));
		sb_add(&sb, def + i, at - i);
		sb_addstr(&sb, "ARRAY[");
		/* Elements: top-level commas of def[open + 1, close - 1). */
		size_t e = open + 1;
		for (size_t k = e; k <= close - 1; k++) {
			char c = def[k];
			if (c == '(' || c == '[' || c == '\'' || c == '"') {
				size_t end = c == '(' || c == '[' ? skip_group(def, k) : 0;
				if (c == '\'' || c == '"') {
					for (end = k + 1; def[end] && !(def[end] == c && def[end + 1] != c); end++)
						if (def[end] == c)
							end++;
					end++;
				}
				if (!end || end > close - 1)
					break;
				k = end - 1;
				continue;
			}
			if (c == ',' || k == close - 1) {
				while (def[e] == ' ')
					e++;
				sb_addf(&sb, "%s(%.*s)::%.*s", sb.buf[sb.len - 1] == '[' ? "" : ", ",
					(int)(k - e), def + e, (int)tl, cast + 3);
				e = k + 1;
			}
		}
		sb_addch(&sb, ']');
		i = (size_t)(arr - def) + 2;
	}
	sb_addstr(&sb, def + i);
	const char *out = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return out;
}

static long attr_index(const struct sobj *o, const char *name)
{
	for (size_t i = 0; i < o->n_labels; i++)
		if (strcmp(o->labels[i], name) == 0)
			return (long)i;
	return -1;
}

/*
 * Why composite type FROM `f` cannot become `t` by ALTER TYPE ... ADD, DROP
 * and ALTER ATTRIBUTE, or NULL when it can: ADD appends, so the attributes
 * both have must keep their order with the new ones last; PostgreSQL
 * refuses to change an attribute's type while a column uses the type, and
 * any change to the type of a typed table without CASCADE.
 */
static const char *composite_blocker(const struct differ *d, const struct sobj *f,
				     const struct sobj *t)
{
	size_t fi = (size_t)(f - d->from->v);
	long last = -1;
	bool retyped = false;
	for (size_t j = 0; j < t->n_labels; j++) {
		long k = attr_index(f, t->labels[j]);
		if (k < 0)
			continue;
		if (k < last || (j > 0 && attr_index(f, t->labels[j - 1]) < 0))
			return "its attributes change order (ADD ATTRIBUTE only appends)";
		last = k;
		retyped |= strcmp(f->attr_types[k], t->attr_types[j]) != 0;
	}
	for (size_t k = 0; k < d->n_rdeps[fi]; k++) {
		const struct sobj *o = &d->from->v[d->rdeps[fi][k]];
		if (o->kind == SK_TABLE)
			return arena_printf(d->a, "it is the type of typed table %s", o->name);
		if (o->kind == SK_COLUMN && retyped && model_find(d->to, o->key) >= 0)
			return arena_printf(d->a, "an attribute changes type while column %s uses it "
					    "(PostgreSQL refuses ALTER ATTRIBUTE ... TYPE then)", o->name);
	}
	return NULL;
}

static enum status compare(struct differ *d, const struct sobj *f, const struct sobj *t)
{
	if (eq(f->def, t->def) && eq(f->extra, t->extra))
		return ST_SAME;
	if (eq(f->extra, t->extra) && eq(settle_arrays(d->a, f->def), settle_arrays(d->a, t->def)))
		return ST_SAME;
	switch (f->kind) {
	case SK_COLUMN:
		return eq(f->generated, t->generated) ? ST_ALTER : ST_REBUILD;
	case SK_TYPE:
		if (f->relkind == 'd' && t->relkind == 'd')
			return eq(f->type, t->type) ? ST_ALTER : ST_REBUILD;
		if (f->relkind == 'c' && t->relkind == 'c')
			return composite_blocker(d, f, t) ? ST_REBUILD : ST_ALTER;
		return f->relkind == 'e' && t->relkind == 'e' ? ST_ALTER : ST_REBUILD;
	case SK_SEQUENCE:
	case SK_COMMENT:
	case SK_OWNEDBY:
	case SK_PRIVILEGE:
		return ST_ALTER;
	case SK_EXTENSION:
		return eq(f->def, t->def) ? ST_ALTER : ST_REBUILD;
	case SK_FUNCTION:
		return eq(f->extra, t->extra) ? ST_ALTER : ST_REBUILD;
	case SK_TABLE:
		return eq(f->def, t->def) ? ST_ALTER : ST_REBUILD;
	case SK_CONSTRAINT:
		/* NOT VALID to valid: VALIDATE CONSTRAINT. */
		if (!eq(f->def, t->def) && eq(strip_not_valid(d->a, f->def), t->def))
			return ST_ALTER;
		return ST_REBUILD;
	default:
		return ST_REBUILD;
	}
}

static bool column_retyped(const struct sobj *f, const struct sobj *t)
{
	return !eq(f->type, t->type) || !eq(f->collation, t->collation);
}

/* Whether TO object `t` depends on the TO object with `key`. */
static bool to_depends_on(const struct differ *d, const struct sobj *t, const char *key)
{
	for (size_t i = 0; i < t->n_deps; i++)
		if (strcmp(d->to->v[t->deps[i]].key, key) == 0)
			return true;
	return false;
}

static void build_rdeps(struct differ *d)
{
	const struct smodel *m = d->from;
	d->n_rdeps = arena_alloc(d->a, (m->n + 1) * sizeof *d->n_rdeps);
	d->rdeps = arena_alloc(d->a, (m->n + 1) * sizeof *d->rdeps);
	for (size_t i = 0; i < m->n; i++)
		for (size_t k = 0; k < m->v[i].n_deps; k++)
			d->n_rdeps[m->v[i].deps[k]]++;
	for (size_t i = 0; i < m->n; i++) {
		d->rdeps[i] = arena_alloc(d->a, (d->n_rdeps[i] + 1) * sizeof **d->rdeps);
		d->n_rdeps[i] = 0;
	}
	for (size_t i = 0; i < m->n; i++)
		for (size_t k = 0; k < m->v[i].n_deps; k++) {
			size_t on = m->v[i].deps[k];
			d->rdeps[on][d->n_rdeps[on]++] = i;
		}
}

static void mark_rebuild(struct differ *d, size_t fi, size_t *work, size_t *nw)
{
	d->sf[fi] = ST_REBUILD;
	if (d->f2t[fi] >= 0)
		d->stt[d->f2t[fi]] = ST_REBUILD;
	work[(*nw)++] = fi;
}

static void classify(struct differ *d)
{
	const struct smodel *f = d->from, *t = d->to;
	size_t *work = arena_alloc(d->a, (f->n + 1) * 2 * sizeof *work);
	size_t nw = 0;

	for (size_t j = 0; j < t->n; j++) {
		d->t2f[j] = model_find(f, t->v[j].key);
		d->stt[j] = ST_NEW;
	}
	for (size_t i = 0; i < f->n; i++) {
		d->f2t[i] = model_find(t, f->v[i].key);
		if (d->f2t[i] < 0) {
			d->sf[i] = ST_GONE;
			work[nw++] = i;
			continue;
		}
		const struct sobj *to = &t->v[d->f2t[i]];
		d->sf[i] = d->stt[d->f2t[i]] = compare(d, &f->v[i], to);
		if (d->sf[i] == ST_REBUILD)
			work[nw++] = i;
		if (f->v[i].kind == SK_COLUMN && d->sf[i] == ST_ALTER && column_retyped(&f->v[i], to)) {
			d->retyped[i] = true;
			work[nw++] = i;
		}
		/* Enums that lose or reorder values are rebuilt in place. */
		if (f->v[i].kind == SK_TYPE && f->v[i].relkind == 'e' && d->sf[i] == ST_ALTER &&
		    !enum_grows(&f->v[i], to)) {
			for (size_t k = 0; k < d->n_rdeps[i]; k++) {
				size_t c = d->rdeps[i][k];
				if (f->v[c].kind == SK_COLUMN && d->sf[c] != ST_GONE && !d->retyped[c]) {
					d->retyped[c] = true;
					work[nw++] = c;
				}
			}
		}
	}

	/* An enum rebuilt in place is a new type: its comment and grants go on it again. */
	for (size_t i = 0; i < f->n; i++) {
		if (f->v[i].kind != SK_TYPE || f->v[i].relkind != 'e' || d->sf[i] != ST_ALTER ||
		    enum_grows(&f->v[i], &t->v[d->f2t[i]]))
			continue;
		for (size_t k = 0; k < d->n_rdeps[i]; k++) {
			size_t c = d->rdeps[i][k];
			if ((f->v[c].kind == SK_COMMENT || f->v[c].kind == SK_PRIVILEGE) &&
			    (d->sf[c] == ST_SAME || d->sf[c] == ST_ALTER))
				mark_rebuild(d, c, work, &nw);
		}
	}

	/*
	 * What depends on a dropped or rebuilt object, or on a column whose
	 * type changes, goes and comes back with it. An altered dependant that
	 * no longer depends on it only needs to be altered first.
	 */
	while (nw) {
		size_t x = work[--nw];
		bool retyped_only = d->retyped[x] && (d->sf[x] == ST_ALTER || d->sf[x] == ST_SAME);
		for (size_t k = 0; k < d->n_rdeps[x]; k++) {
			size_t dep = d->rdeps[x][k];
			const struct sobj *o = &f->v[dep];
			if (d->sf[dep] == ST_GONE || d->sf[dep] == ST_REBUILD)
				continue;
			if (retyped_only) {
				/* PostgreSQL converts indexes and constraints itself. */
				if (o->kind == SK_VIEW || o->kind == SK_MATVIEW || o->kind == SK_POLICY ||
				    o->kind == SK_TRIGGER || o->kind == SK_FUNCTION)
					mark_rebuild(d, dep, work, &nw);
				continue;
			}
			if (d->sf[dep] == ST_ALTER &&
			    !(d->f2t[x] >= 0 && to_depends_on(d, &t->v[d->f2t[dep]], f->v[x].key)))
				continue;
			if (o->kind == SK_COMMENT && d->sf[dep] != ST_SAME)
				continue;
			mark_rebuild(d, dep, work, &nw);
		}
	}
}

/* ---- actions ----------------------------------------------------------------- */

static size_t new_action(struct differ *d, enum phase ph, const struct sobj *o)
{
	arena_grow(d->a, &d->acts, &d->cap_acts, d->n_acts + 1, sizeof *d->acts);
	struct action *x = &d->acts[d->n_acts];
	memset(x, 0, sizeof *x);
	x->phase = ph;
	x->o = o;
	return d->n_acts++;
}

static void stmt(struct differ *d, size_t ai, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void stmt(struct differ *d, size_t ai, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&d->acts[ai].sql, fmt, ap);
	va_end(ap);
	sb_addstr(&d->acts[ai].sql, ";\n");
	d->acts[ai].n_stmts++;
}

static void note(struct differ *d, size_t ai, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note(struct differ *d, size_t ai, const char *fmt, ...)
{
	va_list ap;
	sb_addstr(&d->acts[ai].sql, "-- ");
	va_start(ap, fmt);
	sb_vaddf(&d->acts[ai].sql, fmt, ap);
	va_end(ap);
	sb_addch(&d->acts[ai].sql, '\n');
}

/* A hazard: a comment before the statement, and a line for the summary. */
static void hazard(struct differ *d, size_t ai, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void hazard(struct differ *d, size_t ai, const char *what, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = STRBUF_INIT;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	note(d, ai, "hazard: %s: %s", what, sb.buf);
	sb_addf(&d->out->hazards, "%s: %s\n", what, sb.buf);
	sb_release(&sb);
}

static void edge(struct differ *d, long before, long after)
{
	if (before < 0 || after < 0 || before == after)
		return;
	struct action *x = &d->acts[before];
	for (size_t i = 0; i < x->n_next; i++)
		if (x->next[i] == (size_t)after)
			return;
	arena_grow(d->a, &x->next, &x->cap_next, x->n_next + 1, sizeof *x->next);
	x->next[x->n_next++] = (size_t)after;
	d->acts[after].indeg++;
}

static bool is_dropping(enum status s)
{
	return s == ST_GONE || s == ST_REBUILD;
}

static bool is_creating(enum status s)
{
	return s == ST_NEW || s == ST_REBUILD;
}

/* Types whose change keeps every value and needs no rewrite. */
static bool binary_widening(const char *from, const char *to)
{
	if (strcmp(to, "text") == 0 || strcmp(to, "character varying") == 0)
		return strncmp(from, "character varying", 17) == 0 || strcmp(from, "text") == 0;
	if (strncmp(from, "character varying(", 18) == 0 && strncmp(to, "character varying(", 18) == 0)
		return atol(to + 18) >= atol(from + 18);
	if (strncmp(from, "numeric(", 8) == 0 && strncmp(to, "numeric(", 8) == 0) {
		const char *fs = strchr(from, ','), *ts = strchr(to, ',');
		return atol(to + 8) >= atol(from + 8) && fs && ts && atol(fs + 1) == atol(ts + 1);
	}
	return strcmp(from, "cidr") == 0 && strcmp(to, "inet") == 0;
}

/* Changes every value can survive, though the table is rewritten. */
static bool value_widening(const char *from, const char *to)
{
	static const char *const order[] = { "smallint", "integer", "bigint", "numeric" };
	int fi = -1, ti = -1;
	for (int i = 0; i < 4; i++) {
		if (strcmp(from, order[i]) == 0)
			fi = i;
		if (strcmp(to, order[i]) == 0)
			ti = i;
	}
	if (fi >= 0 && ti >= fi)
		return true;
	if (strcmp(from, "real") == 0 && strcmp(to, "double precision") == 0)
		return true;
	if (strcmp(from, "timestamp without time zone") == 0 &&
	    strcmp(to, "timestamp with time zone") == 0)
		return true;
	return strcmp(to, "text") == 0 || strcmp(to, "character varying") == 0;
}

static bool narrowing(const char *from, const char *to)
{
	if (strncmp(from, "character varying(", 18) == 0 && strncmp(to, "character varying(", 18) == 0)
		return atol(to + 18) < atol(from + 18);
	if ((strcmp(from, "text") == 0 || strcmp(from, "character varying") == 0) &&
	    (strncmp(to, "character varying(", 18) == 0 || strncmp(to, "character(", 10) == 0))
		return true;
	static const char *const ints[] = { "smallint", "integer", "bigint" };
	int fi = -1, ti = -1;
	for (int i = 0; i < 3; i++) {
		if (strcmp(from, ints[i]) == 0)
			fi = i;
		if (strcmp(to, ints[i]) == 0)
			ti = i;
	}
	return fi >= 0 && ti >= 0 && ti < fi;
}

static const char *ends_array(const char *type)
{
	size_t n = strlen(type);
	return n > 2 && strcmp(type + n - 2, "[]") == 0 ? "[]" : "";
}

static void alter_column(struct differ *d, size_t ai, const struct sobj *f, const struct sobj *t,
			 bool retyped)
{
	const char *tab = t->table, *c = t->col;
	bool type_changed = column_retyped(f, t);

	if (retyped || type_changed) {
		if (f->dflt)
			stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tab, c);
		const char *coll = t->collation ? arena_printf(d->a, " COLLATE %s", t->collation) : "";
		if (!type_changed) {
			/* The enum it uses is rebuilt under the same name. */
			stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s USING %s::text%s::%s",
			     tab, c, t->type, coll, c, ends_array(t->type), t->type);
		} else if (binary_widening(f->type, t->type) || !eq(f->collation, t->collation)) {
			stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s", tab, c, t->type, coll);
		} else {
			bool wide = value_widening(f->type, t->type);
			if (narrowing(f->type, t->type))
				hazard(d, ai, "data loss", "%s narrows from %s to %s: longer values fail "
				       "or are cut", t->name, f->type, t->type);
			else if (!wide)
				note(d, ai, "check: %s converts from %s with USING %s::%s; "
				     "write the conversion you need", t->name, f->type, c, t->type);
			hazard(d, ai, "rewrite", "changing %s to %s rewrites %s under an ACCESS "
				       "EXCLUSIVE lock; safer: add a new column, backfill it in batches, "
				       "then swap", t->name, t->type, tab);
			stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s USING %s::%s",
			     tab, c, t->type, coll, c, t->type);
		}
	}
	if (!t->dflt && f->dflt && !(retyped || type_changed))
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tab, c);
	if (f->identity && !t->identity) {
		/* Among the drops: it frees the name of its sequence (t_c_seq), which a
		 * sequence created for the column's new default may take. */
		size_t di = new_action(d, PH_DROP, f);
		stmt(d, di, "ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY", tab, c);
		edge(d, (long)di, (long)ai);
	}
	if (f->notnull && !t->notnull)
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", tab, c);
	if (!f->notnull && t->notnull) {
		hazard(d, ai, "long lock", "SET NOT NULL on %s scans %s under an ACCESS EXCLUSIVE "
		       "lock; safer: first ADD CONSTRAINT ... CHECK (%s IS NOT NULL) NOT VALID, "
		       "VALIDATE it, then SET NOT NULL", t->name, tab, c);
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", tab, c);
	}
	if (!f->identity && t->identity) {
		note(d, ai, "check: the new identity of %s starts at 1; if %s has rows, follow with "
		     "SELECT setval(pg_get_serial_sequence('%s', '%s'), max(%s)) FROM %s", t->name, tab,
		     tab, c, c, tab);
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY", tab, c,
		     t->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	}
	else if (f->identity && t->identity && f->identity != t->identity)
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s", tab, c,
		     t->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (t->dflt && (!eq(f->dflt, t->dflt) || retyped || type_changed))
		stmt(d, ai, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tab, c, t->dflt);
}

static void alter_enum(struct differ *d, size_t ai, const struct sobj *f, const struct sobj *t)
{
	if (enum_grows(f, t)) {
		for (size_t i = 0; i < t->n_labels; i++) {
			bool old = false;
			for (size_t j = 0; j < f->n_labels && !old; j++)
				old = strcmp(f->labels[j], t->labels[i]) == 0;
			if (old)
				continue;
			if (i > 0)
				stmt(d, ai, "ALTER TYPE %s ADD VALUE %s AFTER %s", t->name, t->labels[i],
				     t->labels[i - 1]);
			else if (t->n_labels > 1)
				stmt(d, ai, "ALTER TYPE %s ADD VALUE %s BEFORE %s", t->name, t->labels[i],
				     t->labels[i + 1]);
			else
				stmt(d, ai, "ALTER TYPE %s ADD VALUE %s", t->name, t->labels[i]);
		}
		return;
	}
	/*
	 * A value removed or moved: a new type under the old name; the columns
	 * using it are converted through text by their own actions, which come
	 * after this one; the old type is dropped by a later action.
	 */
	const char *dot = strrchr(t->name, '.');
	const char *old = arena_printf(d->a, "%.*s\"%s__retort_old\"", (int)(dot - t->name + 1),
				       t->name, dot[1] == '"' ? "" : dot + 1);
	if (dot[1] == '"') {
		size_t n = strlen(dot + 2);
		old = arena_printf(d->a, "%.*s\"%.*s__retort_old\"", (int)(dot - t->name + 1), t->name,
				   (int)(n - 1), dot + 2);
	}
	hazard(d, ai, "data loss", "%s loses or reorders values: rows holding a removed value "
	       "make the conversion fail", t->name);
	stmt(d, ai, "ALTER TYPE %s RENAME TO %s", t->name, old + (dot - t->name + 1));
	stmt(d, ai, "CREATE TYPE %s %s", t->name, t->def);
	size_t di = new_action(d, PH_DROP, f);
	stmt(d, di, "DROP TYPE %s", old);
	edge(d, (long)ai, (long)di);
	d->drop_act[f - d->from->v] = (long)di;
}

/* A composite type changed in place (composite_blocker said it can be). */
static void alter_composite(struct differ *d, size_t ai, const struct sobj *f, const struct sobj *t)
{
	size_t fi = (size_t)(f - d->from->v);
	const char *used = NULL;
	for (size_t k = 0; k < d->n_rdeps[fi] && !used; k++) {
		size_t c = d->rdeps[fi][k];
		if (d->from->v[c].kind == SK_COLUMN && !is_dropping(d->sf[c]))
			used = d->from->v[c].name;
	}
	for (size_t i = 0; i < f->n_labels; i++) {
		if (attr_index(t, f->labels[i]) >= 0)
			continue;
		if (used)
			hazard(d, ai, "data loss", "drops attribute %s of %s: the values column %s holds "
			       "in it are lost", f->labels[i], t->name, used);
		stmt(d, ai, "ALTER TYPE %s DROP ATTRIBUTE %s", t->name, f->labels[i]);
	}
	for (size_t j = 0; j < t->n_labels; j++) {
		long k = attr_index(f, t->labels[j]);
		if (k < 0)
			stmt(d, ai, "ALTER TYPE %s ADD ATTRIBUTE %s %s", t->name, t->labels[j],
			     t->attr_types[j]);
		else if (strcmp(f->attr_types[k], t->attr_types[j]) != 0)
			stmt(d, ai, "ALTER TYPE %s ALTER ATTRIBUTE %s SET DATA TYPE %s", t->name,
			     t->labels[j], t->attr_types[j]);
	}
}

static void alter_domain(struct differ *d, size_t ai, const struct sobj *f, const struct sobj *t)
{
	if (!eq(f->dflt, t->dflt)) {
		if (t->dflt)
			stmt(d, ai, "ALTER DOMAIN %s SET DEFAULT %s", t->name, t->dflt);
		else
			stmt(d, ai, "ALTER DOMAIN %s DROP DEFAULT", t->name);
	}
	if (f->notnull != t->notnull) {
		if (t->notnull)
			hazard(d, ai, "long lock", "SET NOT NULL on domain %s checks every column of "
			       "that type", t->name);
		stmt(d, ai, "ALTER DOMAIN %s %s NOT NULL", t->name, t->notnull ? "SET" : "DROP");
	}
}

static const char *reloption_names(struct arena *a, const char *opts)
{
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = opts; p && *p;) {
		const char *eqs = strchr(p, '='), *comma = strstr(p, ", ");
		if (!eqs)
			break;
		sb_addf(&sb, "%s%.*s", sb.len ? ", " : "", (int)(eqs - p), p);
		p = comma ? comma + 2 : NULL;
	}
	const char *s = arena_strdup(a, sb.buf ? sb.buf : "");
	sb_release(&sb);
	return s;
}

static void alter_object(struct differ *d, size_t fi, size_t ti)
{
	const struct sobj *f = &d->from->v[fi], *t = &d->to->v[ti];
	size_t ai = new_action(d, PH_ALTER, t);
	d->alter_act[fi] = (long)ai;

	switch (f->kind) {
	case SK_COLUMN:
		alter_column(d, ai, f, t, d->retyped[fi]);
		break;
	case SK_TYPE:
		if (t->relkind == 'd')
			alter_domain(d, ai, f, t);
		else if (t->relkind == 'c')
			alter_composite(d, ai, f, t);
		else
			alter_enum(d, ai, f, t);
		break;
	case SK_SEQUENCE:
		stmt(d, ai, "ALTER SEQUENCE %s %s", t->name, t->def);
		break;
	case SK_EXTENSION:
		stmt(d, ai, "ALTER EXTENSION %s UPDATE TO '%s'", t->name, t->extra);
		break;
	case SK_TABLE:
		if (f->extra)
			stmt(d, ai, "ALTER TABLE %s RESET (%s)", t->name, reloption_names(d->a, f->extra));
		if (t->extra)
			stmt(d, ai, "ALTER TABLE %s SET (%s)", t->name, t->extra);
		break;
	case SK_PRIVILEGE:
		d->acts[ai].n_stmts += priv_change(&d->acts[ai].sql, t->table, t->col, f->labels,
						   f->n_labels, t->labels, t->n_labels);
		break;
	case SK_CONSTRAINT:
		hazard(d, ai, "long lock", "VALIDATE CONSTRAINT %s scans %s (a SHARE UPDATE EXCLUSIVE "
		       "lock: writes go on)", t->col, t->table);
		stmt(d, ai, "ALTER TABLE %s VALIDATE CONSTRAINT %s", t->table, t->col);
		break;
	default: /* functions (same result), comments, OWNED BY: their create replaces */
		stmt(d, ai, "%s", t->create);
		break;
	}
}

/* The action a suppressed statement stands in: its parent's. */
static long parent_of(const struct smodel *m, const struct sobj *o)
{
	return o->parent ? model_find(m, o->parent) : -1;
}

static void drop_object(struct differ *d, size_t fi)
{
	const struct sobj *o = &d->from->v[fi];
	long p = parent_of(d->from, o);
	if (p >= 0 && is_dropping(d->sf[p]))
		return; /* goes with its parent; mapped to the parent's drop below */
	size_t ai = new_action(d, PH_DROP, o);
	d->drop_act[fi] = (long)ai;
	if (d->sf[fi] == ST_GONE) {
		if (o->kind == SK_TABLE)
			hazard(d, ai, "data loss", "drops table %s and its rows", o->name);
		else if (o->kind == SK_COLUMN)
			hazard(d, ai, "data loss", "drops column %s and its values", o->name);
	} else if (o->kind == SK_TABLE || o->kind == SK_COLUMN) {
		hazard(d, ai, "data loss", "%s is dropped and created again (its definition "
		       "changed in a way ALTER cannot follow); its data is lost", o->name);
	}
	stmt(d, ai, "%s", o->drop);
}

static void create_object(struct differ *d, size_t ti)
{
	const struct sobj *o = &d->to->v[ti];
	long p = parent_of(d->to, o);
	if (o->kind == SK_COLUMN && p >= 0 && is_creating(d->stt[p]) &&
	    d->to->v[p].kind == SK_TABLE && !d->to->v[p].dep_key)
		return; /* written in its CREATE TABLE */
	size_t ai = new_action(d, PH_CREATE, o);
	d->create_act[ti] = (long)ai;
	bool existing = p >= 0 && !is_creating(d->stt[p]);
	if (existing && o->kind == SK_INDEX && strstr(o->create, " CONCURRENTLY ") == NULL)
		hazard(d, ai, "long lock", "CREATE INDEX %s blocks writes to %s while it builds; "
		       "safer: CREATE INDEX CONCURRENTLY, in a revision marked "
		       "'-- Transactional: false'", o->name, o->table);
	if (existing && o->kind == SK_CONSTRAINT && o->relkind != 'd') {
		if ((o->relkind == 'f' || o->relkind == 'c') && !strstr(o->def, "NOT VALID"))
			hazard(d, ai, "long lock", "adding %s checks every row of %s under lock; "
			       "safer: ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a "
			       "later step", o->name, o->table);
		else if (o->relkind == 'p' || o->relkind == 'u')
			hazard(d, ai, "long lock", "adding %s builds its index under an ACCESS EXCLUSIVE "
			       "lock; safer: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... "
			       "USING INDEX", o->name);
	}
	if (o->kind == SK_TYPE && d->stt[ti] == ST_REBUILD && d->t2f[ti] >= 0 &&
	    d->from->v[d->t2f[ti]].relkind == o->relkind) {
		const struct sobj *f = &d->from->v[d->t2f[ti]];
		const char *why = o->relkind == 'c' ? composite_blocker(d, f, o) : NULL;
		if (o->relkind == 'r' && !eq(f->def, o->def))
			note(d, ai, "%s is dropped and created again: PostgreSQL has no ALTER for a "
			     "range type's definition", o->name);
		else if (why && !eq(f->def, o->def))
			note(d, ai, "%s is dropped and created again: %s", o->name, why);
	}
	if (existing && o->kind == SK_COLUMN && o->notnull && !o->dflt && !o->identity &&
	    !o->generated)
		note(d, ai, "check: %s is NOT NULL without a default: this fails if %s has rows",
		     o->name, o->table);
	stmt(d, ai, "%s", o->create);
}

/* Same column types in the same order: a table or column that may be a rename. */
static const char *shape(struct differ *d, const struct smodel *m, const struct sobj *o)
{
	struct strbuf sb = STRBUF_INIT;
	if (o->kind == SK_COLUMN)
		sb_addstr(&sb, o->def + strlen(o->col));
	for (size_t i = 0; o->kind == SK_TABLE && i < m->n; i++)
		if (m->v[i].kind == SK_COLUMN && strcmp(m->v[i].parent, o->key) == 0)
			sb_addf(&sb, "%s;", m->v[i].def);
	const char *s = arena_strdup(d->a, sb.buf ? sb.buf : "");
	sb_release(&sb);
	return s;
}

/* Never a silent rename: a comment naming the RENAME to use instead. */
static void renames(struct differ *d)
{
	const struct smodel *f = d->from, *t = d->to;
	size_t limit = 0;
	for (size_t ti = 0; ti < t->n && limit < 200; ti++) {
		const struct sobj *n = &t->v[ti];
		if (d->stt[ti] != ST_NEW || (n->kind != SK_TABLE && n->kind != SK_COLUMN) ||
		    d->create_act[ti] < 0)
			continue;
		const char *ns = NULL;
		for (size_t fi = 0; fi < f->n; fi++) {
			const struct sobj *o = &f->v[fi];
			if (d->sf[fi] != ST_GONE || o->kind != n->kind || d->drop_act[fi] < 0)
				continue;
			if (n->kind == SK_COLUMN && strcmp(o->parent, n->parent) != 0)
				continue;
			if (!ns)
				ns = n->kind == SK_COLUMN ? arena_printf(d->a, "%s", n->def + strlen(n->col))
							  : shape(d, t, n);
			if (strcmp(shape(d, f, o), ns) != 0)
				continue;
			limit++;
			size_t ai = (size_t)d->create_act[ti];
			const char *instead = n->kind == SK_TABLE
				? arena_printf(d->a, "ALTER TABLE %s RENAME TO %s", o->name,
					       strrchr(n->name, '.') + 1)
				: arena_printf(d->a, "ALTER TABLE %s RENAME COLUMN %s TO %s", n->table,
					       o->col, n->col);
			struct strbuf sb = STRBUF_INIT;
			sb_addf(&sb, "-- possible rename: if %s was renamed to %s, replace its DROP and "
				"this CREATE with: %s;\n", o->name, n->name, instead);
			sb_add(&sb, d->acts[ai].sql.buf, d->acts[ai].sql.len);
			sb_release(&d->acts[ai].sql);
			d->acts[ai].sql = sb;
			sb_addf(&d->out->notes, "possible rename: %s -> %s (%s)\n", o->name, n->name, instead);
		}
	}
}

static void build_actions(struct differ *d)
{
	const struct smodel *f = d->from, *t = d->to;

	for (size_t i = 0; i < f->n; i++)
		if (d->sf[i] == ST_ALTER || (d->retyped[i] && d->sf[i] == ST_SAME))
			alter_object(d, i, (size_t)d->f2t[i]);
	for (size_t i = 0; i < f->n; i++)
		if (is_dropping(d->sf[i]))
			drop_object(d, i);
	for (size_t j = 0; j < t->n; j++)
		if (is_creating(d->stt[j]))
			create_object(d, j);

	/* Statements that go with their parent's: stand for them in edges. */
	for (size_t i = 0; i < f->n; i++) {
		long p = i, guard = 0;
		while (d->drop_act[i] < 0 && is_dropping(d->sf[i]) && (p = parent_of(f, &f->v[p])) >= 0 &&
		       guard++ < 8)
			d->drop_act[i] = d->drop_act[p];
	}
	for (size_t j = 0; j < t->n; j++) {
		long p = j, guard = 0;
		while (d->create_act[j] < 0 && is_creating(d->stt[j]) &&
		       (p = parent_of(t, &t->v[p])) >= 0 && guard++ < 8)
			d->create_act[j] = d->create_act[p];
	}
	renames(d);

	/* FROM: what depends on x is dropped or altered before x is dropped or altered. */
	for (size_t i = 0; i < f->n; i++) {
		long mine = d->drop_act[i] >= 0 ? d->drop_act[i] : d->alter_act[i];
		if (mine < 0)
			continue;
		for (size_t k = 0; k < f->v[i].n_deps; k++) {
			size_t on = f->v[i].deps[k];
			edge(d, mine, d->drop_act[on]);
			if (d->drop_act[i] >= 0)
				edge(d, d->drop_act[i], d->alter_act[on]);
		}
		if (d->sf[i] == ST_REBUILD && d->f2t[i] >= 0)
			edge(d, d->drop_act[i], d->create_act[d->f2t[i]]);
	}
	/* TO: what x depends on is created or altered before x is created or altered. */
	for (size_t j = 0; j < t->n; j++) {
		long fi = d->t2f[j];
		long mine = d->create_act[j] >= 0 ? d->create_act[j] : fi >= 0 ? d->alter_act[fi] : -1;
		if (mine < 0)
			continue;
		for (size_t k = 0; k < t->v[j].n_deps; k++) {
			size_t on = t->v[j].deps[k];
			edge(d, d->create_act[on], mine);
			if (d->t2f[on] >= 0)
				edge(d, d->alter_act[d->t2f[on]], mine);
		}
	}
}

/* ---- order and write -------------------------------------------------------- */

static int act_cmp(const struct action *x, const struct action *y)
{
	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	/* Drops go in the reverse of the kinds' creation order. */
	int kx = x->o->kind, ky = y->o->kind;
	if (x->phase == PH_DROP)
		kx = -kx, ky = -ky;
	if (kx != ky)
		return kx < ky ? -1 : 1;
	return strcmp(x->o->key, y->o->key);
}

struct heap {
	size_t *v;
	size_t n;
	const struct action *acts;
};

static bool heap_less(const struct heap *h, size_t i, size_t j)
{
	int c = act_cmp(&h->acts[h->v[i]], &h->acts[h->v[j]]);
	return c < 0 || (c == 0 && h->v[i] < h->v[j]);
}

static void heap_push(struct heap *h, size_t x)
{
	size_t i = h->n++;
	h->v[i] = x;
	while (i > 0 && heap_less(h, i, (i - 1) / 2)) {
		size_t p = (i - 1) / 2, tmp = h->v[p];
		h->v[p] = h->v[i];
		h->v[i] = tmp;
		i = p;
	}
}

static size_t heap_pop(struct heap *h)
{
	size_t top = h->v[0];
	h->v[0] = h->v[--h->n];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && heap_less(h, l, m))
			m = l;
		if (r < h->n && heap_less(h, r, m))
			m = r;
		if (m == i)
			break;
		size_t tmp = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = tmp;
		i = m;
	}
	return top;
}

static void emit(struct differ *d, size_t ai)
{
	struct action *x = &d->acts[ai];
	x->done = true;
	sb_add(&d->out->sql, x->sql.buf ? x->sql.buf : "", x->sql.len);
	d->out->n_stmts += x->n_stmts;
}

static void write_ordered(struct differ *d)
{
	struct heap h = { arena_alloc(d->a, (d->n_acts + 1) * sizeof *h.v), 0, d->acts };
	size_t left = d->n_acts;

	for (size_t i = 0; i < d->n_acts; i++)
		if (d->acts[i].indeg == 0)
			heap_push(&h, i);
	while (left) {
		if (!h.n) {
			/* A cycle (pg_depend has none between distinct objects, but two
			 * actions of ours can form one): take the first in order. */
			size_t best = (size_t)-1;
			for (size_t i = 0; i < d->n_acts; i++)
				if (!d->acts[i].done &&
				    (best == (size_t)-1 || act_cmp(&d->acts[i], &d->acts[best]) < 0))
					best = i;
			d->acts[best].indeg = 0;
			sb_addstr(&d->out->sql, "-- check: a dependency cycle was broken before this statement\n");
			heap_push(&h, best);
		}
		size_t ai = heap_pop(&h);
		if (d->acts[ai].done)
			continue;
		emit(d, ai);
		left--;
		for (size_t k = 0; k < d->acts[ai].n_next; k++) {
			struct action *n = &d->acts[d->acts[ai].next[k]];
			if (!n->done && n->indeg > 0 && --n->indeg == 0)
				heap_push(&h, d->acts[ai].next[k]);
		}
	}
}

void schema_diff(struct arena *a, const struct smodel *from, const struct smodel *to,
		 struct diff_result *out)
{
	struct differ d = { .a = a, .from = from, .to = to, .out = out };
	size_t nf = from->n + 1, nt = to->n + 1;

	d.f2t = arena_alloc(a, nf * sizeof *d.f2t);
	d.t2f = arena_alloc(a, nt * sizeof *d.t2f);
	d.sf = arena_alloc(a, nf * sizeof *d.sf);
	d.stt = arena_alloc(a, nt * sizeof *d.stt);
	d.retyped = arena_alloc(a, nf * sizeof *d.retyped);
	d.drop_act = arena_alloc(a, nf * sizeof *d.drop_act);
	d.alter_act = arena_alloc(a, nf * sizeof *d.alter_act);
	d.create_act = arena_alloc(a, nt * sizeof *d.create_act);
	for (size_t i = 0; i < nf; i++)
		d.drop_act[i] = d.alter_act[i] = -1;
	for (size_t j = 0; j < nt; j++)
		d.create_act[j] = -1;
	build_rdeps(&d);
	classify(&d);
	build_actions(&d);
	write_ordered(&d);
	for (size_t i = 0; i < d.n_acts; i++)
		sb_release(&d.acts[i].sql);

	/* Whatever is not compared is said, never skipped silently. */
	const struct smodel *ms[2] = { from, to };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ms[k]->n_unsupported; i++) {
			bool dup = false;
			for (size_t j = 0; k == 1 && j < from->n_unsupported && !dup; j++)
				dup = strcmp(from->unsupported[j], ms[k]->unsupported[i]) == 0;
			if (!dup)
				sb_addf(&out->notes, "not compared: %s\n", ms[k]->unsupported[i]);
		}
}

void diff_release(struct diff_result *r)
{
	sb_release(&r->sql);
	sb_release(&r->hazards);
	sb_release(&r->notes);
}
