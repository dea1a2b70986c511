/*
 * plan.c - Alembic's revision resolution and step planning over an rt_set
 *
 * Everything works on revision indexes. set->revisions is topologically
 * ordered, so an ancestor always has a smaller index than its descendants:
 * walks prune on that, and ascending index is a valid upgrade order.
 *
 * The Alembic functions mirrored here (alembic/script/revision.py and
 * alembic/runtime/migration.py, 1.8) are named in the comments, so a reader
 * can hold the two side by side. Where Alembic iterates a Python set, ties
 * are broken by ascending index.
 */
#include "plan.h"
#include "nearest.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Alembic's None: no revision, below every base. */
#define NONE UINT_MAX
/* The string "base" that _walk yields when it steps below a base. */
#define BASE (UINT_MAX - 1)

#define MULTIPLE_HEADS "multiple heads are present; please specify a single target revision"

enum dir {
	DIR_DOWN,    /* parents, then dependencies not implied by an ancestor */
	DIR_UP,      /* revisions naming this one as parent or dependency */
	DIR_KIDS,    /* revisions naming this one as parent */
	DIR_PARENTS, /* parents only: Alembic's versioned down revisions */
};

struct graph {
	const struct rt_set *s;
	unsigned n;
	unsigned *off[3];   /* CSR per dir below DIR_PARENTS */
	unsigned *adj[3];
	unsigned *seen;     /* == seen_gen: reached by the latest reach() */
	unsigned seen_gen;
	unsigned *mark;     /* second, independent stamp array */
	unsigned mark_gen;
	unsigned *stack;
};

/* ---- errors ---------------------------------------------------------------- */

__attribute__((format(printf, 2, 3)))
static int fail(struct rt_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->hint[0] = '\0';
	return -1;
}

__attribute__((format(printf, 2, 3)))
static int hint(struct rt_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof e->hint, fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct rt_err *e)
{
	return fail(e, "out of memory");
}

static const char *rid(const struct graph *g, unsigned x)
{
	return g->s->revisions[x].id;
}

/* "'a', 'b', 'c'" into buf, "..." when it does not fit. */
static void name_list(const struct graph *g, const unsigned *v, size_t n, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + at, len - at, "%s'%s'", i ? ", " : "", rid(g, v[i]));
		if (w < 0 || (size_t)w >= len - at) {
			if (len > 4)
				strcpy(buf + len - 4, "...");
			return;
		}
		at += (size_t)w;
	}
}

static int multiple_heads(const struct graph *g, const unsigned *v, size_t n, struct rt_err *err)
{
	char names[256];

	name_list(g, v, n, names, sizeof names);
	fail(err, MULTIPLE_HEADS);
	return hint(err, "heads are %s; use 'heads' for all of them, or 'LABEL@head' for one branch",
		    names);
}

static int cant_locate(const struct graph *g, struct rt_err *err, const char *name)
{
	static const char *const words[] = { "head", "heads", "base", "current" };
	const char *near = nearest(name, words, 4), *best[3];
	size_t len = strlen(name), nb = 0, bd = SIZE_MAX;
	char prefix[65];

	fail(err, "can't locate revision identified by '%s'", name);
	if (near)
		return hint(err, "did you mean '%s'?", near);
	/*
	 * Else the closest revision ids or labels, up to three as close (one
	 * pass, linear). An id is also compared by as many characters as were
	 * typed: a typo in a partial id is as likely as one in a full id.
	 */
	for (unsigned r = 0; g && r < g->n; r++) {
		const struct rt_revision *rv = &g->s->revisions[r];
		for (unsigned i = 0; i <= rv->n_labels; i++) {
			const char *key = i ? rv->labels[i - 1] : rv->id, *cand = key;
			size_t d = nearest(name, &cand, 1) ? nearest_distance(name, key) : SIZE_MAX;
			if (i == 0 && len >= 4 && len < strlen(key) && len < sizeof prefix) {
				memcpy(prefix, key, len);
				prefix[len] = '\0';
				cand = prefix;
				if (nearest(name, &cand, 1) && nearest_distance(name, prefix) < d)
					d = nearest_distance(name, prefix);
			}
			if (d == SIZE_MAX || d > bd)
				continue;
			if (d < bd)
				bd = d, nb = 0;
			if (nb < 3)
				best[nb++] = key;
		}
	}
	if (nb == 1)
		hint(err, "did you mean '%s'?", best[0]);
	else if (nb == 2)
		hint(err, "did you mean '%s' or '%s'?", best[0], best[1]);
	else if (nb == 3)
		hint(err, "did you mean '%s', '%s' or '%s'?", best[0], best[1], best[2]);
	else if (len < 4)
		hint(err, "a partial revision id needs at least four characters");
	return -1;
}

/* ---- the graph ------------------------------------------------------------- */

static unsigned bump_seen(struct graph *g)
{
	if (++g->seen_gen == 0) {
		memset(g->seen, 0, g->n * sizeof *g->seen);
		g->seen_gen = 1;
	}
	return g->seen_gen;
}

static unsigned bump_mark(struct graph *g)
{
	if (++g->mark_gen == 0) {
		memset(g->mark, 0, g->n * sizeof *g->mark);
		g->mark_gen = 1;
	}
	return g->mark_gen;
}

static const unsigned *nbrs(const struct graph *g, enum dir d, unsigned x, unsigned *cnt)
{
	if (d == DIR_PARENTS) {
		*cnt = g->s->revisions[x].n_parents;
		return g->s->revisions[x].parents;
	}
	*cnt = g->off[d][x + 1] - g->off[d][x];
	return g->adj[d] + g->off[d][x];
}

/*
 * Stamps seen[] for everything reachable from roots along d, itself included,
 * staying within indexes [lo, hi]. Returns the stamp.
 */
static unsigned reach(struct graph *g, enum dir d, const unsigned *roots, size_t nroots,
		      unsigned lo, unsigned hi)
{
	unsigned gen = bump_seen(g);
	size_t sp = 0;

	for (size_t i = 0; i < nroots; i++) {
		unsigned x = roots[i];
		if (x < g->n && x >= lo && x <= hi && g->seen[x] != gen) {
			g->seen[x] = gen;
			g->stack[sp++] = x;
		}
	}
	while (sp) {
		unsigned x = g->stack[--sp], cnt;
		const unsigned *v = nbrs(g, d, x, &cnt);
		for (unsigned i = 0; i < cnt; i++) {
			unsigned y = v[i];
			if (y >= lo && y <= hi && g->seen[y] != gen) {
				g->seen[y] = gen;
				g->stack[sp++] = y;
			}
		}
	}
	return gen;
}

/* `anc` is `rev` or an ancestor of it, along d (DIR_DOWN or DIR_PARENTS). */
static bool is_anc(struct graph *g, enum dir d, unsigned anc, unsigned rev)
{
	if (anc == rev)
		return true;
	if (anc > rev)
		return false;
	unsigned gen = reach(g, d, &rev, 1, anc, rev);
	return g->seen[anc] == gen;
}

/* Alembic's _shares_lineage for one revision: ancestor or descendant. */
static bool related(struct graph *g, enum dir d, unsigned a, unsigned b)
{
	return is_anc(g, d, a, b) || is_anc(g, d, b, a);
}

/* mask[x] |= bit for every ancestor and descendant of rev (lineage along d). */
static void lineage_mask(struct graph *g, enum dir d, unsigned rev, unsigned char *mask,
			 unsigned char bit)
{
	unsigned gen = reach(g, d, &rev, 1, 0, rev);
	for (unsigned x = 0; x <= rev; x++)
		if (g->seen[x] == gen)
			mask[x] |= bit;
	gen = reach(g, d == DIR_DOWN ? DIR_UP : DIR_KIDS, &rev, 1, rev, g->n - 1);
	for (unsigned x = rev; x < g->n; x++)
		if (g->seen[x] == gen)
			mask[x] |= bit;
}

static void graph_free(struct graph *g)
{
	for (int d = 0; d < 3; d++) {
		free(g->off[d]);
		free(g->adj[d]);
	}
	free(g->seen);
	free(g->mark);
	free(g->stack);
	memset(g, 0, sizeof *g);
}

/*
 * Dependencies of r that no parent-line ancestor of r already depends on
 * (Alembic's _normalize_depends_on), stamped in mark[] with the returned gen.
 */
static unsigned normalized_deps(struct graph *g, unsigned r)
{
	const struct rt_revision *rv = &g->s->revisions[r];
	unsigned gen = bump_mark(g), left = 0, floor = UINT_MAX;

	for (unsigned i = 0; i < rv->n_depends; i++) {
		unsigned d = rv->depends[i];
		if (g->mark[d] != gen) {
			g->mark[d] = gen;
			left++;
			if (d < floor)
				floor = d;
		}
	}
	/* An ancestor at or below the lowest dependency cannot depend on it. */
	unsigned vis = bump_seen(g);
	size_t sp = 0;
	for (unsigned i = 0; i < rv->n_parents; i++) {
		unsigned p = rv->parents[i];
		if (p > floor && g->seen[p] != vis) {
			g->seen[p] = vis;
			g->stack[sp++] = p;
		}
	}
	while (sp && left) {
		const struct rt_revision *a = &g->s->revisions[g->stack[--sp]];
		for (unsigned i = 0; i < a->n_depends; i++) {
			if (g->mark[a->depends[i]] == gen) {
				g->mark[a->depends[i]] = 0;
				left--;
			}
		}
		for (unsigned i = 0; i < a->n_parents; i++) {
			unsigned p = a->parents[i];
			if (p > floor && g->seen[p] != vis) {
				g->seen[p] = vis;
				g->stack[sp++] = p;
			}
		}
	}
	return gen;
}

static int graph_init(struct graph *g, const struct rt_set *s, struct rt_err *err)
{
	unsigned n = s->n_revisions;
	size_t edges = 0;

	memset(g, 0, sizeof *g);
	g->s = s;
	g->n = n;
	for (unsigned r = 0; r < n; r++) {
		const struct rt_revision *rv = &s->revisions[r];
		for (unsigned i = 0; i < rv->n_parents; i++)
			if (rv->parents[i] >= r)
				return fail(err, "revision '%s' comes before its parent in the migration set",
					    rv->id);
		for (unsigned i = 0; i < rv->n_depends; i++)
			if (rv->depends[i] >= r)
				return fail(err, "revision '%s' comes before its dependency in the migration set",
					    rv->id);
		edges += rv->n_parents + rv->n_depends;
	}
	g->seen = calloc(n + 1, sizeof *g->seen);
	g->mark = calloc(n + 1, sizeof *g->mark);
	g->stack = malloc((n + 1) * sizeof *g->stack);
	for (int d = 0; d < 3; d++) {
		g->off[d] = calloc(n + 2, sizeof *g->off[d]);
		g->adj[d] = malloc((edges + 1) * sizeof *g->adj[d]);
	}
	if (!g->seen || !g->mark || !g->stack || !g->off[0] || !g->adj[0] || !g->off[1] ||
	    !g->adj[1] || !g->off[2] || !g->adj[2]) {
		graph_free(g);
		return oom(err);
	}

	/* Down: parents first, then the normalized dependencies, deduplicated. */
	unsigned at = 0;
	for (unsigned r = 0; r < n; r++) {
		const struct rt_revision *rv = &s->revisions[r];
		unsigned dg = rv->n_depends ? normalized_deps(g, r) : 0;
		unsigned emitted = bump_seen(g);
		g->off[DIR_DOWN][r] = at;
		for (unsigned i = 0; i < rv->n_parents; i++) {
			unsigned p = rv->parents[i];
			if (g->seen[p] != emitted) {
				g->seen[p] = emitted;
				g->adj[DIR_DOWN][at++] = p;
			}
		}
		for (unsigned i = 0; i < rv->n_depends; i++) {
			unsigned d = rv->depends[i];
			if (g->mark[d] == dg && g->seen[d] != emitted) {
				g->seen[d] = emitted;
				g->adj[DIR_DOWN][at++] = d;
			}
		}
	}
	g->off[DIR_DOWN][n] = at;

	/* Up and kids: count, then fill (counting sort keeps children ascending). */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned r = 0; r < n; r++) {
			const struct rt_revision *rv = &s->revisions[r];
			unsigned emitted = bump_seen(g);
			for (unsigned i = 0; i < rv->n_parents + rv->n_depends; i++) {
				bool parent = i < rv->n_parents;
				unsigned d = parent ? rv->parents[i] : rv->depends[i - rv->n_parents];
				if (g->seen[d] == emitted)
					continue;
				g->seen[d] = emitted;
				if (pass == 0) {
					g->off[DIR_UP][d + 2]++;
					if (parent)
						g->off[DIR_KIDS][d + 2]++;
				} else {
					g->adj[DIR_UP][g->off[DIR_UP][d + 1]++] = r;
					if (parent)
						g->adj[DIR_KIDS][g->off[DIR_KIDS][d + 1]++] = r;
				}
			}
		}
		if (pass == 0) {
			for (unsigned x = 2; x <= n + 1; x++) {
				g->off[DIR_UP][x] += g->off[DIR_UP][x - 1];
				g->off[DIR_KIDS][x] += g->off[DIR_KIDS][x - 1];
			}
		}
	}
	return 0;
}

static unsigned count(const struct graph *g, enum dir d, unsigned x)
{
	unsigned c;
	nbrs(g, d, x, &c);
	return c;
}

/* ---- names ----------------------------------------------------------------- */

/*
 * Revision indexes sorted by id, built once per set: every lookup of an
 * exact id (each version-table and history-log row) is then a binary
 * search, so reading N rows stays O(N log N) instead of O(N^2).
 */
static const struct rt_set *ids_set;
static unsigned *ids_sorted;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(ids_set->revisions[*(const unsigned *)a].id,
		      ids_set->revisions[*(const unsigned *)b].id);
}

static unsigned find_id(const struct rt_set *s, const char *id)
{
	if (ids_set != s || !ids_sorted) {
		unsigned *v = malloc((s->n_revisions + 1) * sizeof *v);
		if (!v) {
			for (unsigned r = 0; r < s->n_revisions; r++)
				if (strcmp(s->revisions[r].id, id) == 0)
					return r;
			return NONE;
		}
		for (unsigned r = 0; r < s->n_revisions; r++)
			v[r] = r;
		free(ids_sorted);
		ids_set = s;
		ids_sorted = v;
		qsort(v, s->n_revisions, sizeof *v, cmp_id);
	}
	size_t lo = 0, hi = s->n_revisions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->revisions[ids_sorted[mid]].id, id);
		if (c == 0)
			return ids_sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NONE;
}

/* Exact revision id or branch label. */
static unsigned find_key(const struct graph *g, const char *name)
{
	unsigned id = find_id(g->s, name);
	if (id != NONE)
		return id;
	for (unsigned r = 0; r < g->n; r++)
		for (unsigned i = 0; i < g->s->revisions[r].n_labels; i++)
			if (strcmp(g->s->revisions[r].labels[i], name) == 0)
				return r;
	return NONE;
}

static bool key_matches(const char *key, const char *prefix, size_t plen)
{
	return strlen(key) > 3 && strncmp(key, prefix, plen) == 0;
}

/*
 * Alembic's _revision_for_ident: full id, branch label, or a prefix of a key
 * longer than three characters; with a branch, the revision must share its
 * lineage.
 */
static int lookup(struct graph *g, const char *name, const char *bname, unsigned branch,
		  unsigned *ix, struct rt_err *err)
{
	unsigned r = find_key(g, name);

	if (r == NONE) {
		size_t plen = strlen(name), nm = 0;
		const char *keys[4];
		/* One lineage walk for all candidates, not one per candidate. */
		unsigned char *mask = NULL;
		if (branch != NONE) {
			mask = calloc(g->n, 1);
			if (!mask)
				return oom(err);
			lineage_mask(g, DIR_PARENTS, branch, mask, 1);
		}
		/* Ids first, then labels: the order of Alembic's map. */
		for (int labels = 0; labels < 2; labels++) {
			for (unsigned x = 0; x < g->n; x++) {
				const struct rt_revision *rv = &g->s->revisions[x];
				for (unsigned i = 0; i < (labels ? rv->n_labels : 1); i++) {
					const char *key = labels ? rv->labels[i] : rv->id;
					if (!key_matches(key, name, plen))
						continue;
					if (mask && !mask[x])
						continue;
					if (nm < 4)
						keys[nm] = key;
					nm++;
					r = x;
				}
			}
		}
		free(mask);
		if (nm == 0)
			return cant_locate(g, err, name);
		if (nm > 1) {
			char list[400];
			size_t at = 0;
			for (size_t i = 0; i < nm && i < 3; i++)
				at += (size_t)snprintf(list + at, sizeof list - at, "%s'%.100s'",
						       i ? ", " : "", keys[i]);
			fail(err, "multiple revisions start with '%s': %s%s", name, list,
			     nm > 3 ? ", ..." : "");
			return hint(err, "give more characters of the revision id");
		}
	}
	if (branch != NONE && !related(g, DIR_PARENTS, r, branch))
		return fail(err, "revision '%s' is not a member of branch '%s'", rid(g, r), bname);
	*ix = r;
	return 0;
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* A relative spec, Alembic's `(?:(.+?)@)?(\w+)?((?:\+|-)\d+)` (anchored at the start). */
struct relspec {
	char *label;      /* NULL: none */
	char *symbol;     /* NULL: none */
	char *text;       /* "+N" or "-N" as written */
	long long steps;
};

static void rel_free(struct relspec *r)
{
	free(r->label);
	free(r->symbol);
	free(r->text);
}

static bool rel_tail(const char *t, size_t *sym_end, size_t *num_end)
{
	size_t q = 0;
	while (is_word(t[q]))
		q++;
	if ((t[q] != '+' && t[q] != '-') || !(t[q + 1] >= '0' && t[q + 1] <= '9'))
		return false;
	*sym_end = q;
	q++;
	while (t[q] >= '0' && t[q] <= '9')
		q++;
	*num_end = q;
	return true;
}

static bool rel_match(const char *t, size_t *lab, size_t *start, size_t *sym_end, size_t *num_end)
{
	*lab = *start = 0;
	/* The optional label group is tried first, with the shortest label. */
	for (size_t i = 1; t[0] && t[i]; i++) {
		if (t[i] == '@' && rel_tail(t + i + 1, sym_end, num_end)) {
			*lab = i;
			*start = i + 1;
			return true;
		}
	}
	return rel_tail(t, sym_end, num_end);
}

static bool is_rel(const char *t)
{
	size_t a, b, c, d;
	return rel_match(t, &a, &b, &c, &d);
}

/* 1: matched, 0: not relative, -1: out of memory. */
static int parse_rel(const char *t, struct relspec *r)
{
	size_t lab, start, sym_end, num_end;

	memset(r, 0, sizeof *r);
	if (!rel_match(t, &lab, &start, &sym_end, &num_end))
		return 0;
	if (lab)
		r->label = strndup(t, lab);
	if (sym_end)
		r->symbol = strndup(t + start, sym_end);
	r->text = strndup(t + start + sym_end, num_end - sym_end);
	if ((lab && !r->label) || (sym_end && !r->symbol) || !r->text) {
		rel_free(r);
		return -1;
	}
	long long v = 0;
	for (const char *p = r->text + 1; *p; p++)
		v = v > 1000000000000LL ? v : v * 10 + (*p - '0');
	r->steps = r->text[0] == '-' ? -v : v;
	return 1;
}

/* Parent-line heads (Alembic's `heads`) filtered to a lineage when branch != NONE. */
static size_t parent_heads(struct graph *g, unsigned branch, unsigned *out)
{
	unsigned char *mask = NULL;
	size_t k = 0;

	if (branch != NONE) {
		mask = calloc(g->n, 1);
		if (!mask)
			return (size_t)-1;
		lineage_mask(g, DIR_PARENTS, branch, mask, 1);
	}
	for (unsigned x = 0; x < g->n; x++)
		if (count(g, DIR_KIDS, x) == 0 && (!mask || mask[x]))
			out[k++] = x;
	free(mask);
	return k;
}

static size_t real_heads(const struct graph *g, unsigned *out)
{
	size_t k = 0;
	for (unsigned x = 0; x < g->n; x++)
		if (count(g, DIR_UP, x) == 0)
			out[k++] = x;
	return k;
}

/*
 * An absolute spec (_resolve_revision_number then get_revisions): head, heads,
 * base, ID, prefix, label, each optionally as LABEL@...; out[] (room for n)
 * gets the revisions, none for base.
 */
static int resolve(struct graph *g, const char *spec, unsigned *out, size_t *nout,
		   struct rt_err *err)
{
	const char *at = strchr(spec, '@');
	const char *id = at ? at + 1 : spec;
	char *label = NULL;
	unsigned branch = NONE;
	int rc = -1;

	*nout = 0;
	if (at && at > spec) {
		label = strndup(spec, (size_t)(at - spec));
		if (!label)
			return oom(err);
		if (lookup(g, label, label, NONE, &branch, err) < 0)
			goto out;
	}
	if (strcmp(id, "heads") == 0) {
		size_t k = label ? parent_heads(g, branch, out) : real_heads(g, out);
		if (k == (size_t)-1) {
			oom(err);
			goto out;
		}
		*nout = k;
	} else if (strcmp(id, "head") == 0) {
		size_t k = parent_heads(g, branch, out);
		if (k == (size_t)-1) {
			oom(err);
			goto out;
		}
		if (k > 1) {
			multiple_heads(g, out, k, err);
			goto out;
		}
		*nout = k;
	} else if (strcmp(id, "base") == 0 || (!at && !*id)) {
		*nout = 0;
	} else {
		if (lookup(g, id, label, branch, &out[0], err) < 0)
			goto out;
		*nout = 1;
	}
	rc = 0;
out:
	free(label);
	return rc;
}

/* Alembic's get_revision: one revision, or NONE for base; several is an error. */
static int get_rev(struct graph *g, const char *spec, unsigned *ix, struct rt_err *err)
{
	unsigned *buf = malloc((g->n + 1) * sizeof *buf);
	size_t k;

	if (!buf)
		return oom(err);
	if (resolve(g, spec, buf, &k, err) < 0) {
		free(buf);
		return -1;
	}
	if (k > 1) {
		multiple_heads(g, buf, k, err);
		free(buf);
		return -1;
	}
	*ix = k ? buf[0] : NONE;
	free(buf);
	return 0;
}

static int get_rev_label(struct graph *g, const char *label, const char *sym, unsigned *ix,
			 struct rt_err *err)
{
	if (!label)
		return get_rev(g, sym, ix, err);
	size_t len = strlen(label) + strlen(sym) + 2;
	char *spec = malloc(len);
	if (!spec)
		return oom(err);
	snprintf(spec, len, "%s@%s", label, sym);
	int rc = get_rev(g, spec, ix, err);
	free(spec);
	return rc;
}

/*
 * Alembic's _walk: `steps` up (children by parent, filtered to branch's
 * lineage) or down (parents). Yields a revision, BASE, or NONE when it walks
 * off the graph and no_overwalk is set (otherwise it stops where it is).
 */
static int walk(struct graph *g, unsigned start, long long steps, unsigned branch,
		bool no_overwalk, unsigned *res, struct rt_err *err)
{
	unsigned cur = start;
	long long todo = steps < 0 ? -steps : steps;
	unsigned char *mask = NULL;

	if (steps > 0 && branch != NONE) {
		mask = calloc(g->n, 1);
		if (!mask)
			return oom(err);
		lineage_mask(g, DIR_PARENTS, branch, mask, 1);
	}
	for (long long i = 0; i < todo; i++) {
		unsigned next = NONE, nc = 0;
		if (steps > 0) {
			if (cur == NONE || cur == BASE) {
				for (unsigned x = 0; x < g->n && nc < 2; x++)
					if (g->s->revisions[x].n_parents == 0 && (!mask || mask[x]))
						next = x, nc++;
			} else {
				unsigned cnt;
				const unsigned *v = nbrs(g, DIR_KIDS, cur, &cnt);
				for (unsigned j = 0; j < cnt && nc < 2; j++)
					if (!mask || mask[v[j]])
						next = v[j], nc++;
			}
		} else if (cur != BASE) {
			if (cur == NONE) {
				for (unsigned x = 0; x < g->n && nc < 2; x++)
					if (count(g, DIR_KIDS, x) == 0)
						next = x, nc++;
			} else {
				unsigned cnt;
				const unsigned *v = nbrs(g, DIR_PARENTS, cur, &cnt);
				nc = cnt;
				next = cnt ? v[0] : NONE;
			}
			if (nc == 0)
				next = BASE, nc = 1;
		}
		if (nc == 0) {
			free(mask);
			*res = no_overwalk ? NONE : cur;
			return 0;
		}
		if (nc > 1) {
			free(mask);
			fail(err, "ambiguous walk");
			return hint(err, "the walk from '%s' meets a branch or merge point; "
				    "name the revision, or use 'LABEL@%+lld'",
				    cur == NONE || cur == BASE ? "base" : rid(g, cur), steps);
		}
		cur = next;
	}
	free(mask);
	*res = cur;
	return 0;
}

static int didnt_produce(struct rt_err *err, const struct relspec *r)
{
	return fail(err, "relative revision %s didn't produce %lld migrations", r->text,
		    r->steps < 0 ? -r->steps : r->steps);
}

/* ---- shared planning helpers -------------------------------------------- */

static void mark_down(const struct rt_set *s, unsigned r, bool *flag);

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

/* Checks and deduplicates the version table rows into a sorted copy. */
static int load_cur(const struct graph *g, const unsigned *cur, size_t ncur, unsigned **out,
		    size_t *nout, struct rt_err *err)
{
	unsigned *v = malloc((ncur + 1) * sizeof *v);
	size_t k = 0;

	if (!v)
		return oom(err);
	for (size_t i = 0; i < ncur; i++) {
		if (cur[i] >= g->n) {
			free(v);
			return fail(err, "version table row %zu names no revision of this migration set", i);
		}
		v[k++] = cur[i];
	}
	qsort(v, k, sizeof *v, cmp_unsigned);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	*out = v;
	*nout = u;
	return 0;
}

/*
 * Version-table rows one of which lies below another (Alembic: "Requested
 * revision X overlaps with other requested revisions Y"). The table holds
 * heads only, so such rows mean it was edited by hand or a tool went wrong:
 * Alembic refuses to upgrade from them, and a downgrade from them would
 * delete or keep the wrong rows. One sweep: owner[x] is a row above x.
 */
static int overlapping_rows(const struct rt_set *s, const unsigned *cur, size_t ncur,
			    struct rt_err *err)
{
	unsigned n = s->n_revisions, *owner = malloc((n + 1) * sizeof *owner);
	unsigned char *row = calloc(n + 1, 1);
	int rc = 0;

	if (!owner || !row) {
		free(owner);
		free(row);
		return oom(err);
	}
	for (size_t i = 0; i < ncur; i++)
		if (cur[i] < n)
			row[cur[i]] = 1;
	for (unsigned x = 0; x < n; x++)
		owner[x] = NONE;
	unsigned top = NONE;
	for (unsigned x = n; x-- > 0;) {
		if (row[x] && owner[x] != NONE && top == NONE)
			top = owner[x];
		unsigned src = row[x] ? x : owner[x];
		if (src == NONE)
			continue;
		const struct rt_revision *rv = &s->revisions[x];
		for (unsigned i = 0; i < rv->n_parents + rv->n_depends; i++) {
			unsigned d = i < rv->n_parents ? rv->parents[i] : rv->depends[i - rv->n_parents];
			if (owner[d] == NONE)
				owner[d] = src;
		}
	}
	if (top != NONE) {
		/* The rows below `top`, as Alembic lists them. */
		char names[300];
		size_t at = 0, k = 0;
		bool *below = calloc(n + 1, sizeof *below);
		if (!below) {
			rc = oom(err);
			goto out;
		}
		mark_down(s, top, below);
		for (unsigned x = top; x-- > 0;)
			if (below[x])
				mark_down(s, x, below);
		names[0] = '\0';
		for (unsigned x = 0; x < top; x++) {
			if (!below[x] || !row[x])
				continue;
			int w = snprintf(names + at, sizeof names - at, "%s'%s'", k++ ? ", " : "",
					 s->revisions[x].id);
			if (w < 0 || (size_t)w >= sizeof names - at) {
				strcpy(names + sizeof names - 4, "...");
				break;
			}
			at += (size_t)w;
		}
		free(below);
		fail(err, "version table rows overlap: requested revision '%s' overlaps with other "
		     "requested revisions %s", s->revisions[top].id, names);
		rc = hint(err, "the version table holds only heads, and %s lies below '%s'; if the "
			  "database is at '%s', repair it with 'stamp --purge %s'",
			  k > 1 ? "each of those" : "that one", s->revisions[top].id,
			  s->revisions[top].id, s->revisions[top].id);
	}
out:
	free(owner);
	free(row);
	return rc;
}

int plan_check_rows(const struct rt_set *s, const unsigned *cur, size_t n_cur, struct rt_err *err)
{
	struct rt_err dummy;
	return overlapping_rows(s, cur, n_cur, err ? err : &dummy);
}

/*
 * Alembic's _parse_upgrade_target: the revisions `target` names, relative
 * forms counted from `cur`. out[] has room for n; BASE is dropped.
 */
static int upgrade_targets(struct graph *g, const unsigned *cur, size_t ncur, const char *target,
			   bool no_overwalk, unsigned *out, size_t *nout, struct rt_err *err)
{
	struct relspec r;
	int m = parse_rel(target, &r);
	unsigned branch = NONE, start = NONE, res;
	int rc = -1;

	if (m < 0)
		return oom(err);
	if (m == 0)
		return resolve(g, target, out, nout, err);
	*nout = 0;
	if (r.label && lookup(g, r.label, r.label, NONE, &branch, err) < 0)
		goto out;
	if (r.steps > 0 && !r.symbol) {
		/* From the current revision on the branch (or base). */
		size_t ns = 0;
		unsigned char *mask = NULL;
		if (branch != NONE) {
			mask = calloc(g->n, 2);
			if (!mask) {
				oom(err);
				goto out;
			}
			lineage_mask(g, DIR_PARENTS, branch, mask, 1);
		}
		for (size_t i = 0; i < ncur; i++)
			if (!mask || mask[cur[i]])
				ns++, start = cur[i];
		if (mask && ns == 0) {
			/* The branch is not a head: take the tips of what is applied on it. */
			unsigned char *active = mask + g->n;
			unsigned gen = reach(g, DIR_DOWN, cur, ncur, 0, g->n - 1);
			for (unsigned x = 0; x < g->n; x++)
				active[x] = g->seen[x] == gen && mask[x];
			for (unsigned x = 0; x < g->n; x++) {
				unsigned cnt;
				const unsigned *v = nbrs(g, DIR_DOWN, x, &cnt);
				if (active[x] & 1)
					for (unsigned j = 0; j < cnt; j++)
						if (active[v[j]])
							active[v[j]] |= 2;
			}
			for (unsigned x = 0; x < g->n; x++)
				if (active[x] == 1)
					ns++, start = x;
		}
		free(mask);
		if (ns > 1) {
			fail(err, "ambiguous upgrade from multiple current revisions");
			hint(err, "use 'LABEL@%s' or 'ID%s' to pick a branch", r.text, r.text);
			goto out;
		}
		if (ns == 0)
			start = NONE;
		if (walk(g, start, r.steps, branch, no_overwalk, &res, err) < 0)
			goto out;
		if (res == NONE) {
			didnt_produce(err, &r);
			goto out;
		}
	} else if (r.steps > 0) {
		if (get_rev(g, r.symbol, &start, err) < 0 ||
		    walk(g, start, r.steps, branch, no_overwalk, &res, err) < 0)
			goto out;
		if (res == NONE) {
			didnt_produce(err, &r);
			goto out;
		}
	} else {
		if (!r.symbol) {
			didnt_produce(err, &r);
			hint(err, "to go down, use 'downgrade %s'", r.text);
			goto out;
		}
		if (get_rev_label(g, r.label, r.symbol, &start, err) < 0 ||
		    walk(g, start, r.steps, NONE, no_overwalk, &res, err) < 0)
			goto out;
		if (res == NONE) {
			didnt_produce(err, &r);
			goto out;
		}
	}
	if (res != BASE && res != NONE)
		out[(*nout)++] = res;
	rc = 0;
out:
	rel_free(&r);
	return rc;
}

/* ---- plans and the version table (Alembic's HeadMaintainer) --------------- */

struct sim {
	struct graph *g;
	unsigned char *in;  /* row present in the version table */
	unsigned *rows;     /* the present rows, unordered */
	unsigned *pos;      /* where a row sits in rows[] */
	size_t nrows;
	unsigned *roots;    /* scratch */
	struct plan *p;
	size_t cap;
};

static void row_add(struct sim *m, unsigned x)
{
	m->in[x] = 1;
	m->pos[x] = (unsigned)m->nrows;
	m->rows[m->nrows++] = x;
}

static void row_del(struct sim *m, unsigned x)
{
	unsigned last = m->rows[--m->nrows];
	m->rows[m->pos[x]] = last;
	m->pos[last] = m->pos[x];
	m->in[x] = 0;
}

static int sim_init(struct sim *m, struct graph *g, const unsigned *cur, size_t ncur,
		    struct plan *p, struct rt_err *err)
{
	memset(m, 0, sizeof *m);
	m->g = g;
	m->p = p;
	m->in = calloc(g->n + 1, 1);
	m->rows = malloc((g->n + 1) * sizeof *m->rows);
	m->pos = malloc((g->n + 1) * sizeof *m->pos);
	m->roots = malloc((g->n + 1) * sizeof *m->roots);
	if (!m->in || !m->rows || !m->pos || !m->roots)
		return oom(err);
	for (size_t i = 0; i < ncur; i++)
		row_add(m, cur[i]);
	return 0;
}

static void sim_free(struct sim *m)
{
	free(m->in);
	free(m->rows);
	free(m->pos);
	free(m->roots);
}

/*
 * Stamps the ancestors (with dependencies) of every row except `skip` and
 * except the rows in excl[], no lower than `floor`: enough to ask whether a
 * revision at or above floor lies under another head.
 */
static unsigned others_anc(struct sim *m, const unsigned *excl, size_t nexcl, unsigned skip,
			   unsigned floor)
{
	size_t k = 0;
	for (size_t i = 0; i < m->nrows; i++) {
		unsigned x = m->rows[i];
		bool drop = x == skip || x < floor;
		for (size_t j = 0; j < nexcl && !drop; j++)
			drop = excl[j] == x;
		if (!drop)
			m->roots[k++] = x;
	}
	return reach(m->g, DIR_DOWN, m->roots, k, floor, m->g->n - 1);
}

static int inconsistent(struct sim *m, unsigned r, struct rt_err *err)
{
	fail(err, "version table is inconsistent at revision '%s'", rid(m->g, r));
	return hint(err, "its rows are not the heads of one set of applied revisions; "
		    "inspect them with 'current' and repair with 'stamp'");
}

static void op(struct plan_step *st, enum vt_kind k, unsigned from, unsigned to)
{
	st->ops[st->n_ops++] = (struct vt_op){ .kind = k, .from = from, .to = to };
}

/* The rules of HeadMaintainer.update_to_step for one RevisionStep. */
static int sim_step(struct sim *m, unsigned r, bool up, struct rt_err *err)
{
	struct graph *g = m->g;
	unsigned k;
	const unsigned *dv = nbrs(g, DIR_DOWN, r, &k);
	struct plan_step *st = &m->p->steps[m->p->n_steps];

	st->rev = r;
	st->up = up;
	st->n_ops = 0;
	st->ops = malloc((k + 2) * sizeof *st->ops);
	if (!st->ops)
		return oom(err);
	m->p->n_steps++;

	unsigned *d = malloc(2 * (k + 1) * sizeof *d);
	if (!d)
		return oom(err);
	unsigned *sel = d + k + 1;   /* the parents that move (from) or come back (to) */
	memcpy(d, dv, k * sizeof *d);
	qsort(d, k, sizeof *d, cmp_unsigned);
	unsigned nin = 0, the_in = NONE;
	for (unsigned i = 0; i < k; i++)
		if (m->in[d[i]])
			nin++, the_in = d[i];

	int rc = -1;
	if (up) {
		if (m->in[r])
			goto bad;
		if (k == 0 || nin == 0) {
			/* should_create_branch */
			op(st, VT_INSERT, NONE, r);
			row_add(m, r);
		} else if (k > 1 && nin > 1) {
			/* should_merge_branches: keep one parent's row, drop the rest */
			unsigned gen = others_anc(m, d, k, NONE, d[0]);
			unsigned *from = sel, nf = 0;
			for (unsigned i = 0; i < k; i++)
				if (g->seen[d[i]] != gen)
					from[nf++] = d[i];
			/*
			 * A parent with no row of its own is fine when another
			 * merged parent implies it (it was applied as that one's
			 * dependency); Alembic 1.8 trips over it (KeyError).
			 */
			size_t np = 0;
			for (unsigned i = 0; i < nf; i++)
				if (m->in[from[i]])
					m->roots[np++] = from[i];
			gen = reach(g, DIR_DOWN, m->roots, np, d[0], g->n - 1);
			unsigned kept = 0;
			for (unsigned i = 0; i < nf; i++) {
				if (m->in[from[i]])
					from[kept++] = from[i];
				else if (g->seen[from[i]] != gen)
					goto bad;
			}
			nf = kept;
			if (nf == 0)
				goto bad;
			for (unsigned i = 0; i + 1 < nf; i++) {
				op(st, VT_DELETE, from[i], NONE);
				row_del(m, from[i]);
			}
			op(st, VT_UPDATE, from[nf - 1], r);
			row_del(m, from[nf - 1]);
			row_add(m, r);
		} else {
			unsigned from = k == 1 ? d[0] : the_in;
			if (!m->in[from])
				goto bad;
			op(st, VT_UPDATE, from, r);
			row_del(m, from);
			row_add(m, r);
		}
	} else {
		if (!m->in[r])
			goto bad;
		unsigned *to = sel, nt = 0;
		if (k > 0) {
			/* _unmerge_to_revisions: down revisions under no other head */
			unsigned gen = others_anc(m, NULL, 0, r, d[0]);
			for (unsigned i = 0; i < k; i++)
				if (g->seen[d[i]] != gen)
					to[nt++] = d[i];
			/*
			 * Nor one that another restored row implies (a merge parent
			 * another depends on): the table keeps heads only, which
			 * Alembic 1.8's unmerge does not ensure.
			 */
			size_t nr = 0;
			for (unsigned i = 0; i < nt; i++) {
				unsigned cnt;
				const unsigned *v = nbrs(g, DIR_DOWN, to[i], &cnt);
				for (unsigned j = 0; j < cnt; j++)
					if (v[j] >= d[0])
						m->roots[nr++] = v[j];
			}
			if (nr) {
				gen = reach(g, DIR_DOWN, m->roots, nr, d[0], g->n - 1);
				unsigned kept = 0;
				for (unsigned i = 0; i < nt; i++)
					if (g->seen[to[i]] != gen)
						to[kept++] = to[i];
				nt = kept;
			}
		}
		if (nt == 0) {
			/* should_delete_branch */
			op(st, VT_DELETE, r, NONE);
			row_del(m, r);
		} else {
			/* should_unmerge_branches, or a plain update when nt == 1 */
			for (unsigned i = 0; i < nt; i++)
				if (m->in[to[i]])
					goto bad;
			for (unsigned i = 0; i + 1 < nt; i++) {
				op(st, VT_INSERT, NONE, to[i]);
				row_add(m, to[i]);
			}
			op(st, VT_UPDATE, r, to[nt - 1]);
			row_del(m, r);
			row_add(m, to[nt - 1]);
		}
	}
	rc = 0;
	goto out;
bad:
	inconsistent(m, r, err);
out:
	free(d);
	return rc;
}

static int finish_heads(struct plan *p, const unsigned char *in, unsigned n, struct rt_err *err)
{
	size_t k = 0;
	for (unsigned x = 0; x < n; x++)
		k += in[x] != 0;
	p->heads = malloc((k + 1) * sizeof *p->heads);
	if (!p->heads)
		return oom(err);
	p->n_heads = 0;
	for (unsigned x = 0; x < n; x++)
		if (in[x])
			p->heads[p->n_heads++] = x;
	return 0;
}

/* Runs `order[0..n)` through the head maintainer into p. */
static int build_plan(struct graph *g, const unsigned *cur, size_t ncur, const unsigned *order,
		      size_t n, bool up, struct plan *p, struct rt_err *err)
{
	struct sim m;
	int rc = -1;

	p->steps = calloc(n + 1, sizeof *p->steps);
	if (!p->steps)
		return oom(err);
	if (sim_init(&m, g, cur, ncur, p, err) < 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (sim_step(&m, order[i], up, err) < 0)
			goto out;
	rc = finish_heads(p, m.in, g->n, err);
out:
	sim_free(&m);
	return rc;
}

static void plan_clear(struct plan *p)
{
	memset(p, 0, sizeof *p);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_steps; i++)
		free(p->steps[i].ops);
	free(p->steps);
	free(p->heads);
	plan_clear(p);
}

/* ---- public ---------------------------------------------------------------- */

int plan_find(const struct rt_set *s, const char *name, unsigned *ix, struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned r;

	if (!err)
		err = &dummy;
	/* The common case, an exact id, needs no graph. */
	r = find_id(s, name);
	if (r != NONE) {
		*ix = r;
		return 0;
	}
	if (graph_init(&g, s, err) < 0)
		return -1;
	int rc = get_rev(&g, name, &r, err);
	if (rc == 0 && r == NONE)
		rc = fail(err, "'%s' names no revision", name);
	if (rc == 0)
		*ix = r;
	graph_free(&g);
	return rc;
}

int plan_upgrade(const struct rt_set *s, const unsigned *cur0, size_t ncur0, const char *target,
		 struct plan *p, struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned *cur = NULL, *tg = NULL, *order = NULL;
	unsigned char *need = NULL;
	size_t ncur, ntg, n = 0;
	int rc = -1;

	if (!err)
		err = &dummy;
	plan_clear(p);
	if (graph_init(&g, s, err) < 0)
		return -1;
	if (load_cur(&g, cur0, ncur0, &cur, &ncur, err) < 0 ||
	    overlapping_rows(s, cur, ncur, err) < 0)
		goto out;
	tg = malloc((g.n + 1) * sizeof *tg);
	order = malloc((g.n + 1) * sizeof *order);
	need = calloc(g.n + 1, 1);
	if (!tg || !order || !need) {
		oom(err);
		goto out;
	}
	if (upgrade_targets(&g, cur, ncur, target, true, tg, &ntg, err) < 0)
		goto out;

	/* _collect_upgrade_revisions with implicit_base: what the targets need, less what is applied. */
	unsigned gen = reach(&g, DIR_DOWN, tg, ntg, 0, g.n - 1);
	for (unsigned x = 0; x < g.n; x++)
		need[x] = g.seen[x] == gen;
	gen = reach(&g, DIR_DOWN, cur, ncur, 0, g.n - 1);
	for (unsigned x = 0; x < g.n; x++) {
		if (!need[x] || g.seen[x] == gen)
			continue;
		if (!s->revisions[x].upgrade.present) {
			fail(err, "revision '%s' (%s) has no upgrade section", rid(&g, x),
			     s->revisions[x].path);
			goto out;
		}
		order[n++] = x;
	}
	if (build_plan(&g, cur, ncur, order, n, true, p, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		plan_free(p);
	free(cur);
	free(tg);
	free(order);
	free(need);
	graph_free(&g);
	return rc;
}

/*
 * Alembic's _parse_downgrade_target: *tgt is the revision to end at (NONE for
 * base); *label the branch the command named (or implied), caller frees.
 */
static int downgrade_target(struct graph *g, const unsigned *cur, size_t ncur, const char *target,
			    unsigned *tgt, char **label, struct rt_err *err)
{
	struct relspec r;
	int m = parse_rel(target, &r);
	unsigned start, res, branch = NONE;
	int rc = -1;

	*label = NULL;
	if (m < 0)
		return oom(err);
	if (m == 0) {
		const char *at = strrchr(target, '@');
		if (at && at > target) {
			*label = strndup(target, (size_t)(at - target));
			if (!*label)
				return oom(err);
		}
		if (get_rev(g, at ? at + 1 : target, tgt, err) < 0) {
			free(*label);
			*label = NULL;
			return -1;
		}
		return 0;
	}
	if (r.label && lookup(g, r.label, r.label, NONE, &branch, err) < 0)
		goto out;
	if (r.steps >= 0) {
		if (!r.symbol) {
			didnt_produce(err, &r);
			hint(err, "to go up, use 'upgrade %s'", r.text);
			goto out;
		}
		if (get_rev(g, r.symbol, &start, err) < 0 ||
		    walk(g, start, r.steps, branch, true, &res, err) < 0)
			goto out;
		if (res == NONE) {
			fail(err, "walked too far");
			goto out;
		}
	} else {
		bool from_current = !r.symbol;
		if (from_current && branch != NONE) {
			/* The current head on that branch. */
			unsigned char *mask = calloc(g->n, 2);
			size_t ns = 0;
			unsigned sym = NONE;
			if (!mask) {
				oom(err);
				goto out;
			}
			lineage_mask(g, DIR_PARENTS, branch, mask, 1);
			for (size_t i = 0; i < ncur; i++)
				if (mask[cur[i]])
					ns++, sym = cur[i];
			if (ns == 0) {
				/* _get_all_current: branch heads of all that is applied */
				unsigned char *all = mask + g->n;
				unsigned gen = reach(g, DIR_DOWN, cur, ncur, 0, g->n - 1);
				for (unsigned x = 0; x < g->n; x++)
					all[x] = g->seen[x] == gen;
				for (unsigned x = 0; x < g->n; x++) {
					unsigned cnt, tip = all[x];
					const unsigned *v = nbrs(g, DIR_KIDS, x, &cnt);
					for (unsigned j = 0; j < cnt && tip; j++)
						tip = !all[v[j]];
					if (tip && mask[x])
						ns++, sym = x;
				}
			}
			free(mask);
			if (ns != 1) {
				fail(err, "no single current revision on branch '%s'", r.label);
				goto out;
			}
			r.symbol = strdup(rid(g, sym));
			if (!r.symbol) {
				oom(err);
				goto out;
			}
		} else if (from_current) {
			if (ncur == 0) {
				didnt_produce(err, &r);
				goto out;
			}
			if (ncur > 1) {
				fail(err, "downgrade %s from multiple heads is ambiguous", r.text);
				hint(err, "name the branch: 'LABEL@%s', or a revision: 'ID%s'", r.text, r.text);
				goto out;
			}
			/* Restrict the walk to the branch of the current head. */
			r.symbol = strdup(rid(g, cur[0]));
			r.label = strdup(rid(g, cur[0]));
			if (!r.symbol || !r.label) {
				oom(err);
				goto out;
			}
		}
		if (get_rev_label(g, r.label, r.symbol, &start, err) < 0 ||
		    walk(g, start, r.steps, NONE, true, &res, err) < 0)
			goto out;
		if (res == NONE) {
			if (from_current)
				didnt_produce(err, &r);
			else
				fail(err, "walked too far");
			goto out;
		}
	}
	*tgt = res == BASE ? NONE : res;
	*label = r.label;
	r.label = NULL;
	rc = 0;
out:
	rel_free(&r);
	return rc;
}

int plan_downgrade(const struct rt_set *s, const unsigned *cur0, size_t ncur0, const char *target,
		   struct plan *p, struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned *cur = NULL, *roots = NULL, *order = NULL, tgt;
	unsigned char *drop = NULL;
	char *label = NULL;
	size_t ncur, nroots = 0, n = 0;
	int rc = -1;

	if (!err)
		err = &dummy;
	plan_clear(p);
	if (graph_init(&g, s, err) < 0)
		return -1;
	if (load_cur(&g, cur0, ncur0, &cur, &ncur, err) < 0 ||
	    overlapping_rows(s, cur, ncur, err) < 0)
		goto out;
	roots = malloc((g.n + 1) * sizeof *roots);
	order = malloc((g.n + 1) * sizeof *order);
	drop = calloc(g.n + 1, 1);
	if (!roots || !order || !drop) {
		oom(err);
		goto out;
	}
	if (downgrade_target(&g, cur, ncur, target, &tgt, &label, err) < 0)
		goto out;

	/* _collect_downgrade_revisions: from the target's children up, what is applied. */
	if (tgt == NONE) {
		for (unsigned x = 0; x < g.n; x++)
			if (s->revisions[x].n_parents == 0)
				roots[nroots++] = x;
	} else {
		unsigned cnt;
		const unsigned *v = nbrs(&g, DIR_KIDS, tgt, &cnt);
		memcpy(roots, v, cnt * sizeof *roots);
		nroots = cnt;
	}
	if (label && nroots > 1) {
		unsigned b;
		if (lookup(&g, label, label, NONE, &b, err) < 0)
			goto out;
		unsigned gen = reach(&g, DIR_PARENTS, &b, 1, 0, b);
		size_t k = 0;
		for (size_t i = 0; i < nroots; i++)
			if (g.seen[roots[i]] == gen)
				roots[k++] = roots[i];
		nroots = k;
		if (nroots == 0) {
			fail(err, "not a valid downgrade target from current heads");
			goto out;
		}
	}
	unsigned gen = reach(&g, DIR_UP, roots, nroots, 0, g.n - 1);
	for (unsigned x = 0; x < g.n; x++)
		drop[x] = g.seen[x] == gen;
	gen = reach(&g, DIR_DOWN, cur, ncur, 0, g.n - 1);
	for (unsigned x = g.n; x-- > 0;)
		if (drop[x] && g.seen[x] == gen)
			order[n++] = x;
	if (tgt != NONE && n == 0 && !bsearch(&tgt, cur, ncur, sizeof *cur, cmp_unsigned)) {
		fail(err, "destination '%s' is not a valid downgrade target from current head(s)", target);
		hint(err, "a downgrade target must be below a current head; see 'current' and 'history'");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rt_revision *rv = &s->revisions[order[i]];
		if (!rv->downgrade.present) {
			fail(err, "revision '%s' (%s) has no downgrade section", rv->id, rv->path);
			hint(err, "it cannot be undone; use 'stamp' to move the version table without running SQL");
			goto out;
		}
	}
	if (build_plan(&g, cur, ncur, order, n, false, p, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		plan_free(p);
	free(label);
	free(cur);
	free(roots);
	free(order);
	free(drop);
	graph_free(&g);
	return rc;
}

/* One whitespace-separated word of a stamp target. */
struct stamp_dest {
	unsigned rev;
	unsigned branch;   /* the spec's label revision, or NONE */
};

int plan_stamp(const struct rt_set *s, const unsigned *cur0, size_t ncur0, const char *target,
	       bool purge, struct plan *p, struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned *cur = NULL, *buf = NULL;
	unsigned char *in = NULL, *filt = NULL;
	struct stamp_dest *dests = NULL;
	char *specs = NULL;
	size_t ncur, ndest = 0, nspecs = 0;
	bool all = false;
	int rc = -1;

	if (!err)
		err = &dummy;
	plan_clear(p);
	if (graph_init(&g, s, err) < 0)
		return -1;
	if (load_cur(&g, cur0, purge ? 0 : ncur0, &cur, &ncur, err) < 0)
		goto out;
	buf = malloc((g.n + 1) * sizeof *buf);
	in = calloc(g.n + 1, 1);
	filt = calloc(g.n + 1, 1);
	dests = malloc((g.n + 1) * sizeof *dests);
	specs = strdup(target ? target : "");
	if (!buf || !in || !filt || !dests || !specs) {
		oom(err);
		goto out;
	}
	for (size_t i = 0; i < ncur; i++)
		in[cur[i]] = 1;

	/*
	 * _stamp_revs: the current heads that share a lineage (dependencies
	 * included) with anything a spec names are the ones it may move.
	 */
	char *save = NULL;
	for (char *w = strtok_r(specs, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		const char *at = strchr(w, '@');
		unsigned branch = NONE;
		size_t k, before = ndest;
		nspecs++;
		if (at && at > w) {
			char *label = strndup(w, (size_t)(at - w));
			if (!label) {
				oom(err);
				goto out;
			}
			int lr = lookup(&g, label, label, NONE, &branch, err);
			free(label);
			if (lr < 0)
				goto out;
			lineage_mask(&g, DIR_DOWN, branch, filt, 1);
		}
		if (resolve(&g, w, buf, &k, err) < 0)
			goto out;
		for (size_t i = 0; i < k; i++) {
			bool dup = false;
			for (size_t j = 0; j < before && !dup; j++)
				dup = dests[j].rev == buf[i];
			if (dup)
				continue;
			lineage_mask(&g, DIR_DOWN, buf[i], filt, 1);
			dests[ndest++] = (struct stamp_dest){ buf[i], branch };
		}
		if (branch == NONE && k == 0)
			all = true;   /* plain "base": every head is in play */
	}
	if (nspecs == 0)
		all = true;
	for (unsigned x = 0; x < g.n; x++)
		filt[x] = in[x] && (all || filt[x]);

	if (ndest == 0) {
		/* dest is base: delete the branch of every filtered head */
		for (unsigned x = 0; x < g.n; x++)
			if (filt[x])
				in[x] = 0;
	}
	for (size_t i = 0; i < ndest; i++) {
		unsigned d = dests[i].rev;
		if (filt[d] || in[d])
			continue;
		/*
		 * A filtered head above or below it: move the filtered heads of
		 * that lineage (and of the spec's branch) to it. Otherwise it
		 * starts a new branch.
		 */
		bool moves = false;
		for (unsigned x = 0; x < g.n && !moves; x++)
			moves = filt[x] && in[x] && related(&g, DIR_DOWN, x, d);
		for (unsigned x = 0; x < g.n && moves; x++) {
			if (!filt[x] || !in[x])
				continue;
			if (related(&g, DIR_DOWN, x, d) ||
			    (dests[i].branch != NONE && related(&g, DIR_DOWN, x, dests[i].branch)))
				in[x] = 0;
		}
		in[d] = 1;
	}
	if (finish_heads(p, in, g.n, err) < 0)
		goto out;
	/* Stamping is how overlapping rows are repaired: never into them. */
	if (overlapping_rows(s, p->heads, p->n_heads, err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		plan_free(p);
	free(cur);
	free(buf);
	free(in);
	free(filt);
	free(dests);
	free(specs);
	graph_free(&g);
	return rc;
}

/* A spec as a state (the lower side of a range): relative forms walk from the graph. */
static int spec_state(struct graph *g, const char *spec, const unsigned *from, size_t nfrom,
		      bool no_overwalk, unsigned *out, size_t *nout, struct rt_err *err)
{
	struct relspec r;
	int m = parse_rel(spec, &r);
	unsigned branch = NONE, start, res;
	int rc = -1;

	if (m < 0)
		return oom(err);
	if (m == 0)
		return resolve(g, spec, out, nout, err);
	*nout = 0;
	if (r.label && lookup(g, r.label, r.label, NONE, &branch, err) < 0)
		goto out;
	if (r.symbol) {
		if ((r.steps < 0 ? get_rev_label(g, r.label, r.symbol, &start, err)
				 : get_rev(g, r.symbol, &start, err)) < 0 ||
		    walk(g, start, r.steps, r.steps > 0 ? branch : NONE, no_overwalk, &res, err) < 0)
			goto out;
	} else {
		/* Counted from the other side of the range (or base). */
		size_t ns = 0;
		start = NONE;
		for (size_t i = 0; i < nfrom; i++)
			if (branch == NONE || related(g, DIR_PARENTS, from[i], branch))
				ns++, start = from[i];
		if (ns > 1) {
			fail(err, "relative revision %s is ambiguous from multiple heads", r.text);
			hint(err, "name the branch: 'LABEL@%s'", r.text);
			goto out;
		}
		if (walk(g, start, r.steps, branch, no_overwalk, &res, err) < 0)
			goto out;
	}
	if (res == NONE && no_overwalk) {
		didnt_produce(err, &r);
		goto out;
	}
	if (res != NONE && res != BASE)
		out[(*nout)++] = res;
	rc = 0;
out:
	rel_free(&r);
	return rc;
}

int plan_heads_of(const struct rt_set *s, const char *spec, unsigned *out, size_t *n_out,
		  struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned *heads = NULL;
	size_t nh;
	int rc = -1;

	if (!err)
		err = &dummy;
	*n_out = 0;
	if (graph_init(&g, s, err) < 0)
		return -1;
	heads = malloc((g.n + 1) * sizeof *heads);
	if (!heads) {
		oom(err);
		goto out;
	}
	/* A bare -N counts down from the graph's head, +N up from base. */
	struct relspec r;
	int m = parse_rel(spec, &r);
	bool down = m == 1 && r.steps < 0;
	if (m == 1)
		rel_free(&r);
	nh = parent_heads(&g, NONE, heads);
	if (spec_state(&g, spec, heads, down ? nh : 0, true, out, n_out, err) < 0)
		goto out;
	qsort(out, *n_out, sizeof *out, cmp_unsigned);
	rc = 0;
out:
	free(heads);
	graph_free(&g);
	return rc;
}

int plan_history(const struct rt_set *s, const unsigned *cur0, size_t ncur0, const char *range,
		 unsigned *out, size_t *n_out, struct rt_err *err)
{
	struct rt_err dummy;
	struct graph g;
	unsigned *cur = NULL, *lo = NULL, *hi = NULL;
	unsigned char *keep = NULL;
	char *lower = NULL, *upper = NULL;
	size_t ncur, nlo = 0, nhi = 0;
	int rc = -1;

	if (!err)
		err = &dummy;
	*n_out = 0;
	if (graph_init(&g, s, err) < 0)
		return -1;
	if (load_cur(&g, cur0, ncur0, &cur, &ncur, err) < 0)
		goto out;
	if (range && *range) {
		const char *colon = strchr(range, ':');
		if (!colon || strchr(colon + 1, ':')) {
			fail(err, "history range requires [start]:[end], [start]:, or :[end]");
			goto out;
		}
		lower = strndup(range, (size_t)(colon - range));
		upper = strdup(colon + 1);
	} else {
		lower = strdup("");
		upper = strdup("");
	}
	lo = malloc((g.n + 1) * sizeof *lo);
	hi = malloc((g.n + 1) * sizeof *hi);
	keep = calloc(g.n + 1, 1);
	if (!lower || !upper || !lo || !hi || !keep) {
		oom(err);
		goto out;
	}
	const char *lspec = *lower ? lower : "base", *uspec = *upper ? upper : "heads";

	/* walk_revisions(base, head): _collect_upgrade_revisions, inclusive, no implicit base */
	bool lrel = strcmp(lspec, "current") != 0 && is_rel(lspec);
	if (strcmp(lspec, "current") == 0) {
		memcpy(lo, cur, ncur * sizeof *lo);
		nlo = ncur;
	} else if (!lrel && spec_state(&g, lspec, NULL, 0, false, lo, &nlo, err) < 0) {
		goto out;
	}
	if (strcmp(uspec, "current") == 0) {
		memcpy(hi, cur, ncur * sizeof *hi);
		nhi = ncur;
	} else if (lrel) {
		if (upgrade_targets(&g, cur, ncur, uspec, false, hi, &nhi, err) < 0)
			goto out;
	} else if (upgrade_targets(&g, lo, nlo, uspec, false, hi, &nhi, err) < 0) {
		goto out;
	}
	if (lrel) {
		/* A relative lower bound counts from the upper side. */
		if (spec_state(&g, lspec, hi, nhi, false, lo, &nlo, err) < 0)
			goto out;
	}
	unsigned gen = reach(&g, DIR_DOWN, hi, nhi, 0, g.n - 1);
	for (unsigned x = 0; x < g.n; x++)
		keep[x] = g.seen[x] == gen;
	for (size_t i = 0; i < nlo; i++) {
		if (!keep[lo[i]]) {
			fail(err, "requested range %s:%s does not refer to ancestor/descendant "
			     "revisions along the same branch", lspec, uspec);
			goto out;
		}
	}
	if (nlo) {
		gen = reach(&g, DIR_DOWN, lo, nlo, 0, g.n - 1);
		for (unsigned x = 0; x < g.n; x++)
			if (g.seen[x] == gen)
				keep[x] = 0;
		for (size_t i = 0; i < nlo; i++)
			keep[lo[i]] = 1;
		gen = reach(&g, DIR_KIDS, lo, nlo, 0, g.n - 1);
		for (unsigned x = 0; x < g.n; x++)
			if (g.seen[x] != gen)
				keep[x] = 0;
	}
	for (unsigned x = g.n; x-- > 0;)
		if (keep[x])
			out[(*n_out)++] = x;
	rc = 0;
out:
	free(cur);
	free(lo);
	free(hi);
	free(keep);
	free(lower);
	free(upper);
	graph_free(&g);
	return rc;
}

size_t plan_graph_heads(const struct rt_set *s, unsigned *out)
{
	size_t k = 0;
	unsigned char *named = calloc(s->n_revisions + 1, 1);

	if (!named)
		return 0;
	for (unsigned r = 0; r < s->n_revisions; r++) {
		const struct rt_revision *rv = &s->revisions[r];
		for (unsigned i = 0; i < rv->n_parents; i++)
			named[rv->parents[i]] = 1;
		for (unsigned i = 0; i < rv->n_depends; i++)
			named[rv->depends[i]] = 1;
	}
	for (unsigned r = 0; r < s->n_revisions; r++)
		if (!named[r])
			out[k++] = r;
	free(named);
	return k;
}

size_t plan_branchpoints(const struct rt_set *s, unsigned *out)
{
	size_t k = 0;
	unsigned char *kids = calloc(s->n_revisions + 1, 1);

	if (!kids)
		return 0;
	for (unsigned r = 0; r < s->n_revisions; r++) {
		const struct rt_revision *rv = &s->revisions[r];
		for (unsigned i = 0; i < rv->n_parents; i++) {
			unsigned p = rv->parents[i];
			bool dup = false;
			for (unsigned j = 0; j < i && !dup; j++)
				dup = rv->parents[j] == p;
			if (!dup && kids[p] < 2)
				kids[p]++;
		}
	}
	for (unsigned r = 0; r < s->n_revisions; r++)
		if (kids[r] > 1)
			out[k++] = r;
	free(kids);
	return k;
}

/* Sets flag[d] for every parent and dependency d of r. */
static void mark_down(const struct rt_set *s, unsigned r, bool *flag)
{
	const struct rt_revision *rv = &s->revisions[r];
	for (unsigned i = 0; i < rv->n_parents; i++)
		flag[rv->parents[i]] = true;
	for (unsigned i = 0; i < rv->n_depends; i++)
		flag[rv->depends[i]] = true;
}

void plan_mark_applied(const struct rt_set *s, const unsigned *heads, size_t n_heads,
		       bool *applied)
{
	for (size_t i = 0; i < n_heads; i++)
		if (heads[i] < s->n_revisions)
			applied[heads[i]] = true;
	/* Parents and dependencies have smaller indexes: one sweep down suffices. */
	for (unsigned x = s->n_revisions; x-- > 0;)
		if (applied[x])
			mark_down(s, x, applied);
}

size_t plan_tips(const struct rt_set *s, const bool *applied, unsigned *out)
{
	bool *below = calloc(s->n_revisions + 1, sizeof *below);
	size_t k = 0;

	if (!below)
		return 0;
	for (unsigned x = s->n_revisions; x-- > 0;)
		if (applied[x] || below[x])
			mark_down(s, x, below);
	for (unsigned x = 0; x < s->n_revisions; x++)
		if (applied[x] && !below[x])
			out[k++] = x;
	free(below);
	return k;
}

bool plan_is_ancestor(const struct rt_set *s, unsigned anc, unsigned rev)
{
	if (anc == rev)
		return true;
	if (anc > rev || rev >= s->n_revisions)
		return false;
	/* Ancestors sit below in index order, so nothing under `anc` is visited. */
	unsigned char *seen = calloc(rev - anc + 1, 1);
	unsigned *stack = malloc((rev - anc + 1) * sizeof *stack);
	size_t sp = 0;
	bool found = false;

	if (!seen || !stack) {
		free(seen);
		free(stack);
		return false;
	}
	stack[sp++] = rev;
	seen[rev - anc] = 1;
	while (sp && !found) {
		const struct rt_revision *rv = &s->revisions[stack[--sp]];
		for (unsigned i = 0; i < rv->n_parents + rv->n_depends; i++) {
			unsigned d = i < rv->n_parents ? rv->parents[i] : rv->depends[i - rv->n_parents];
			if (d == anc)
				found = true;
			if (d > anc && d < rev && !seen[d - anc]) {
				seen[d - anc] = 1;
				stack[sp++] = d;
			}
		}
	}
	free(seen);
	free(stack);
	return found;
}
