/*
 * graph.c - validate the revision graph and order it topologically
 *
 * Alembic finds most of these problems only when a command walks the graph,
 * some never (a too-long id fails at the first INSERT into alembic_version).
 * We report all of them at once, each at the header value that causes it.
 */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

/* Scratch state of one graph_order() run. */
struct gstate {
	struct arena *a;
	struct rev **revs;
	size_t n;
	size_t *by_id;     /* indexes of revs sorted by id, duplicates dropped */
	size_t n_by_id;
	size_t **preds;    /* per rev: parents and dependencies, deduplicated */
	size_t *n_preds;
	bool *dup;         /* a later revision with an id already seen */
	unsigned errors;
};

static struct rev **sort_base;

static int cmp_by_id(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcmp(sort_base[i]->id, sort_base[j]->id);
	if (c)
		return c;
	return i < j ? -1 : i > j;
}

/* Index of the revision with exactly `id`, or -1. */
static long lookup(const struct gstate *g, const char *id)
{
	size_t lo = 0, hi = g->n_by_id;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->revs[g->by_id[mid]]->id, id);
		if (c == 0)
			return (long)g->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The only revision whose id starts with `prefix`, or -1. */
static long lookup_prefix(struct rev *const *revs, const size_t *by_id, size_t n_by_id,
			  const char *prefix, size_t *n_match)
{
	size_t len = strlen(prefix), lo = 0, hi = n_by_id;
	long found = -1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(revs[by_id[mid]]->id, prefix) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*n_match = 0;
	for (size_t k = lo; k < n_by_id && strncmp(revs[by_id[k]]->id, prefix, len) == 0; k++) {
		found = (long)by_id[k];
		++*n_match;
	}
	return *n_match == 1 ? found : -1;
}

static void note_where(const struct rev *r, size_t off, const char *what)
{
	unsigned line, col;
	src_linecol(r->file, off, &line, &col);
	diag_detail("%s %s:%u:%u", what, r->file->path, line, col);
}

static void check_ids(struct gstate *g)
{
	static const char illegal[] = "@-+:";

	for (size_t k = 0; k < g->n; k++) {
		struct rev *r = g->revs[k];
		size_t len = strlen(r->id);
		if (len > GRAPH_MAX_ID) {
			diag_at(DIAG_ERROR, r->file, r->id_off,
				"revision id '%s' is longer than %d characters", r->id, GRAPH_MAX_ID);
			diag_detail("alembic_version.version_num is VARCHAR(%d)", GRAPH_MAX_ID);
			g->errors++;
		}
		char bad[sizeof illegal] = "";
		size_t nb = 0;
		for (const char *c = illegal; *c; c++)
			if (strchr(r->id, *c))
				bad[nb++] = *c;
		if (nb) {
			diag_at(DIAG_ERROR, r->file, r->id_off,
				"revision id '%s' contains '%s'", r->id, bad);
			diag_detail("Alembic reserves '@', '-', '+' and ':' for revision expressions");
			g->errors++;
		}
	}

	/* Sort, then keep the first of each run of equal ids (in input order). */
	g->by_id = arena_alloc(g->a, (g->n + 1) * sizeof *g->by_id);
	g->dup = arena_alloc(g->a, g->n + 1);
	for (size_t k = 0; k < g->n; k++)
		g->by_id[k] = k;
	sort_base = g->revs;
	qsort(g->by_id, g->n, sizeof *g->by_id, cmp_by_id);
	size_t out = 0;
	for (size_t k = 0; k < g->n; k++) {
		struct rev *r = g->revs[g->by_id[k]];
		if (out && strcmp(g->revs[g->by_id[out - 1]]->id, r->id) == 0) {
			struct rev *first = g->revs[g->by_id[out - 1]];
			diag_at(DIAG_ERROR, r->file, r->id_off, "duplicate revision id '%s'", r->id);
			note_where(first, first->id_off, "first defined at");
			g->dup[g->by_id[k]] = true;
			g->errors++;
			continue;
		}
		g->by_id[out++] = g->by_id[k];
	}
	g->n_by_id = out;
}

/* Label owner by label text, for duplicate detection and Depends On. */
struct label_ent {
	const char *label;
	size_t rev, ref;
};

static int cmp_label(const void *x, const void *y)
{
	const struct label_ent *a = x, *b = y;
	int c = strcmp(a->label, b->label);
	if (c)
		return c;
	if (a->rev != b->rev)
		return a->rev < b->rev ? -1 : 1;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

static int is_reserved(const char *s)
{
	static const char *const words[] = { "base", "head", "heads", "current" };
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

static struct label_ent *check_labels(struct gstate *g, size_t *n_out)
{
	size_t n = 0;
	for (size_t k = 0; k < g->n; k++)
		n += g->revs[k]->labels.n;
	struct label_ent *v = arena_alloc(g->a, (n + 1) * sizeof *v);
	n = 0;
	for (size_t k = 0; k < g->n; k++)
		for (size_t j = 0; j < g->revs[k]->labels.n; j++)
			v[n++] = (struct label_ent){ g->revs[k]->labels.v[j].id, k, j };

	/* Report in file order, so sort a copy only for the duplicate scan. */
	for (size_t k = 0; k < g->n; k++) {
		struct rev *r = g->revs[k];
		for (size_t j = 0; j < r->labels.n; j++) {
			const struct rev_ref *l = &r->labels.v[j];
			long owner = lookup(g, l->id);
			if (owner >= 0) {
				struct rev *o = g->revs[owner];
				diag_at(DIAG_ERROR, r->file, l->off,
					"branch label '%s' is also a revision id", l->id);
				note_where(o, o->id_off, "revision defined at");
				g->errors++;
			} else if (is_reserved(l->id) || strchr(l->id, '@')) {
				diag_at(DIAG_ERROR, r->file, l->off,
					"branch label '%s' is reserved", l->id);
				diag_detail("'base', 'head', 'heads', 'current' and names with '@' "
					    "have a meaning in revision expressions");
				g->errors++;
			}
		}
	}
	qsort(v, n, sizeof *v, cmp_label);
	size_t out = 0;
	for (size_t k = 0; k < n; k++) {
		if (out && strcmp(v[out - 1].label, v[k].label) == 0) {
			const struct rev *first = g->revs[v[out - 1].rev];
			const struct rev *r = g->revs[v[k].rev];
			size_t off = r->labels.v[v[k].ref].off;
			if (first == r)
				diag_at(DIAG_ERROR, r->file, off,
					"branch label '%s' is listed twice", v[k].label);
			else
				diag_at(DIAG_ERROR, r->file, off,
					"branch label '%s' is already used by revision '%s'",
					v[k].label, first->id);
			note_where(first, first->labels.v[v[out - 1].ref].off, "first used at");
			g->errors++;
			continue;
		}
		v[out++] = v[k];
	}
	*n_out = out;
	return v;
}

static long lookup_label(const struct label_ent *v, size_t n, const char *label)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].label, label);
		if (c == 0)
			return (long)v[mid].rev;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The baseline that replaces `id` (Replaces), or NULL. Error path only. */
static const struct rev *replaced_by(const struct gstate *g, const char *id)
{
	for (size_t k = 0; k < g->n; k++)
		for (size_t j = 0; j < g->revs[k]->replaces.n; j++)
			if (strcmp(g->revs[k]->replaces.v[j].id, id) == 0)
				return g->revs[k];
	return NULL;
}

/*
 * A squash baseline stands for ids that left the folder: one still here
 * would be two revisions for one schema, and the migrator could not tell a
 * database at it from one to refuse.
 */
static void check_replaces(struct gstate *g)
{
	for (size_t k = 0; k < g->n; k++) {
		const struct rev *r = g->revs[k];
		for (size_t j = 0; j < r->replaces.n; j++) {
			long t = lookup(g, r->replaces.v[j].id);
			if (t < 0)
				continue;
			diag_at(DIAG_ERROR, r->file, r->replaces.v[j].off,
				"revision '%s' replaces '%s', which is still in this folder",
				r->id, r->replaces.v[j].id);
			diag_hint("move %s out of versions/ (retort squash does), or take the id "
				  "out of Replaces", g->revs[t]->file->path);
			g->errors++;
		}
	}
}

/*
 * Resolves one Revises or Depends On list. Depends On may also name a branch
 * label, as Alembic's _add_depends_on allows. Resolved indexes go to ix[]
 * (-1 when unresolved).
 */
static void resolve_refs(struct gstate *g, size_t k, const struct rev_refs *refs,
			 const char *field, const struct label_ent *labels, size_t n_labels,
			 long *ix)
{
	struct rev *r = g->revs[k];

	for (size_t j = 0; j < refs->n; j++) {
		const struct rev_ref *ref = &refs->v[j];
		long t = lookup(g, ref->id);
		ix[j] = -1;
		if (t < 0 && labels)
			t = lookup_label(labels, n_labels, ref->id);
		if (t < 0) {
			size_t n_match;
			long p = lookup_prefix(g->revs, g->by_id, g->n_by_id, ref->id, &n_match);
			diag_at(DIAG_ERROR, r->file, ref->off,
				"revision '%s' named in %s is not in this folder", ref->id, field);
			const struct rev *b = replaced_by(g, ref->id);
			if (b)
				diag_hint("'%s' was squashed into the baseline '%s': name '%s' instead",
					  ref->id, b->id, b->id);
			else if (p >= 0)
				diag_hint("did you mean '%s'? revision files must name full ids",
					  g->revs[p]->id);
			g->errors++;
			continue;
		}
		if (strcmp(g->revs[t]->id, r->id) == 0) {
			diag_at(DIAG_ERROR, r->file, ref->off,
				"revision '%s' names itself in %s", r->id, field);
			g->errors++;
			continue;
		}
		int dup = 0;
		for (size_t i = 0; i < j; i++)
			if (ix[i] == t)
				dup = 1;
		if (dup) {
			diag_at(DIAG_ERROR, r->file, ref->off,
				"revision '%s' is named twice in %s", ref->id, field);
			g->errors++;
			continue;
		}
		ix[j] = t;
	}
}

static void add_pred(struct gstate *g, size_t k, long p)
{
	if (p < 0)
		return;
	for (size_t i = 0; i < g->n_preds[k]; i++)
		if (g->preds[k][i] == (size_t)p)
			return;
	g->preds[k][g->n_preds[k]++] = (size_t)p;
}

/* A binary min-heap of revision indexes ordered by rank[] (their id's place). */
struct heap {
	size_t *v, n;
	size_t *rank;
};

static void heap_push(struct heap *h, size_t x)
{
	size_t i = h->n++;

	while (i > 0 && h->rank[h->v[(i - 1) / 2]] > h->rank[x]) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = x;
}

static size_t heap_pop(struct heap *h)
{
	size_t top = h->v[0], x = h->v[--h->n], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->rank[h->v[c + 1]] < h->rank[h->v[c]])
			c++;
		if (h->rank[h->v[c]] >= h->rank[x])
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = x;
	return top;
}

static int id_less(const struct gstate *g, size_t i, size_t j)
{
	return strcmp(g->revs[i]->id, g->revs[j]->id) < 0;
}

/* True when revs[parent] is in Revises of revs[child] (after resolution). */
static int revises(long *const *pix, size_t child, size_t parent, const struct rev *r)
{
	for (size_t j = 0; j < r->parents.n; j++)
		if (pix[child][j] == (long)parent)
			return 1;
	return 0;
}

/*
 * Names each cycle among the revisions Kahn's algorithm could not place.
 * Every such revision has an unplaced predecessor, so walking predecessors
 * (smallest id first) from any of them must end on a cycle.
 */
static void report_cycles(struct gstate *g, const size_t *indeg, long *const *pix,
			  long *const *dix)
{
	size_t *walk = arena_alloc(g->a, (g->n + 1) * sizeof *walk);
	size_t *seen = arena_alloc(g->a, (g->n + 1) * sizeof *seen); /* walk number + 1 */
	size_t *pos = arena_alloc(g->a, (g->n + 1) * sizeof *pos);
	size_t walk_no = 0, scan = 0;

	for (;;) {
		long start = -1;
		/* Revisions only ever become seen: resume where the last scan stopped. */
		for (; scan < g->n_by_id; scan++) {
			size_t i = g->by_id[scan];
			if (indeg[i] && !seen[i]) {
				start = (long)i;
				break;
			}
		}
		if (start < 0)
			return;
		walk_no++;
		size_t len = 0, cur = (size_t)start;
		long next = 0;
		while (!seen[cur]) {
			seen[cur] = walk_no;
			pos[cur] = len;
			walk[len++] = cur;
			next = -1;
			for (size_t i = 0; i < g->n_preds[cur]; i++) {
				size_t p = g->preds[cur][i];
				if (indeg[p] && (next < 0 || id_less(g, p, (size_t)next)))
					next = (long)p;
			}
			/*
			 * No unplaced predecessor: what holds this revision back is
			 * a duplicate id, never placed and already reported.
			 */
			if (next < 0)
				break;
			cur = (size_t)next;
		}
		if (next < 0 || seen[cur] != walk_no)
			continue; /* no cycle here, or one already reported */

		/* Rotate so the cycle starts at its smallest id. */
		size_t first = pos[cur], m = len - first, rot = first;
		for (size_t i = first; i < len; i++)
			if (id_less(g, walk[i], walk[rot]))
				rot = i;
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i <= m; i++)
			sb_addf(&sb, "%s%s", i ? " -> " : "",
				g->revs[walk[first + (rot - first + i) % m]]->id);
		size_t a = walk[rot], b = walk[first + (rot - first + 1) % m];
		struct rev *r = g->revs[a];
		size_t off = r->id_off;
		for (size_t j = 0; j < r->depends.n; j++)
			if (dix[a][j] == (long)b)
				off = r->depends.v[j].off;
		for (size_t j = r->parents.n; j-- > 0;)
			if (pix[a][j] == (long)b)
				off = r->parents.v[j].off;
		diag_at(DIAG_ERROR, r->file, off, "revisions form a cycle: %s", sb.buf);
		diag_detail("each revision names the next one in Revises or Depends On");
		sb_release(&sb);
		g->errors++;
	}
}

unsigned graph_order(struct arena *a, struct rev **revs, size_t n)
{
	struct gstate g = { .a = a, .revs = revs, .n = n };

	check_ids(&g);
	check_replaces(&g);
	size_t n_labels;
	struct label_ent *labels = check_labels(&g, &n_labels);

	long **pix = arena_alloc(a, (n + 1) * sizeof *pix);
	long **dix = arena_alloc(a, (n + 1) * sizeof *dix);
	g.preds = arena_alloc(a, (n + 1) * sizeof *g.preds);
	g.n_preds = arena_alloc(a, (n + 1) * sizeof *g.n_preds);
	for (size_t k = 0; k < n; k++) {
		struct rev *r = revs[k];
		pix[k] = arena_alloc(a, (r->parents.n + 1) * sizeof **pix);
		dix[k] = arena_alloc(a, (r->depends.n + 1) * sizeof **dix);
		resolve_refs(&g, k, &r->parents, "Revises", NULL, 0, pix[k]);
		resolve_refs(&g, k, &r->depends, "Depends On", labels, n_labels, dix[k]);
		g.preds[k] = arena_alloc(a, (r->parents.n + r->depends.n + 1) * sizeof **g.preds);
		for (size_t j = 0; j < r->parents.n; j++)
			add_pred(&g, k, pix[k][j]);
		for (size_t j = 0; j < r->depends.n; j++)
			add_pred(&g, k, dix[k][j]);
	}

	/* Kahn's algorithm over the revisions that are not duplicates. */
	size_t *indeg = arena_alloc(a, (n + 1) * sizeof *indeg);
	size_t *n_succ = arena_alloc(a, (n + 1) * sizeof *n_succ);
	size_t **succ = arena_alloc(a, (n + 1) * sizeof *succ);
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < g.n_preds[k]; i++)
			n_succ[g.preds[k][i]]++;
	for (size_t k = 0; k < n; k++) {
		succ[k] = arena_alloc(a, (n_succ[k] + 1) * sizeof **succ);
		n_succ[k] = 0;
	}
	for (size_t k = 0; k < n; k++) {
		indeg[k] = g.n_preds[k];
		for (size_t i = 0; i < g.n_preds[k]; i++) {
			size_t p = g.preds[k][i];
			succ[p][n_succ[p]++] = k;
		}
	}

	/*
	 * Next comes a child by Revises of the revision just placed, which keeps
	 * its branch contiguous, else the smallest id that is ready. Such a child
	 * can only have become ready when its parent was placed, so it is among
	 * `fresh`; the rest wait in a heap by id. (A scan of every ready revision
	 * per step made a folder of 100k bases take minutes.)
	 */
	size_t *order = arena_alloc(a, (n + 1) * sizeof *order);
	struct heap ready = { arena_alloc(a, (n + 1) * sizeof(size_t)), 0,
			      arena_alloc(a, (n + 1) * sizeof(size_t)) };
	size_t *fresh = arena_alloc(a, (n + 1) * sizeof *fresh);
	bool *placed = arena_alloc(a, n + 1);
	size_t n_order = 0, n_fresh = 0;
	for (size_t k = 0; k < g.n_by_id; k++)
		ready.rank[g.by_id[k]] = k;
	for (size_t k = 0; k < g.n_by_id; k++)
		if (indeg[g.by_id[k]] == 0)
			heap_push(&ready, g.by_id[k]);
	long last = -1;
	for (;;) {
		long best = -1;
		for (size_t i = 0; i < n_fresh; i++) {
			size_t c = fresh[i];
			if (revises(pix, c, (size_t)last, revs[c]) &&
			    (best < 0 || ready.rank[c] < ready.rank[best]))
				best = (long)c;
		}
		while (best < 0 && ready.n) {
			size_t c = heap_pop(&ready);
			if (!placed[c])
				best = (long)c;
		}
		if (best < 0)
			break;
		size_t k = (size_t)best;
		placed[k] = true;
		order[n_order++] = k;
		last = (long)k;
		n_fresh = 0;
		for (size_t i = 0; i < n_succ[k]; i++) {
			size_t c = succ[k][i];
			if (--indeg[c] == 0 && !g.dup[c]) {
				heap_push(&ready, c);
				fresh[n_fresh++] = c;
			}
		}
	}
	if (n_order < g.n_by_id) {
		report_cycles(&g, indeg, pix, dix);
		/* Unplaced revisions always come with an error: never emit them half-ordered. */
		if (!g.errors) {
			diag_plain(DIAG_ERROR, NULL, "%zu revisions cannot be ordered",
				   g.n_by_id - n_order);
			g.errors++;
		}
	}
	if (g.errors)
		return g.errors;

	/* No duplicates here, so order is a permutation of revs. */
	size_t *new_ix = arena_alloc(a, (n + 1) * sizeof *new_ix);
	for (size_t i = 0; i < n; i++)
		new_ix[order[i]] = i;
	for (size_t k = 0; k < n; k++) {
		struct rev *r = revs[k];
		r->index = new_ix[k];
		r->parent_ix = arena_alloc(a, (r->parents.n + 1) * sizeof *r->parent_ix);
		r->depend_ix = arena_alloc(a, (r->depends.n + 1) * sizeof *r->depend_ix);
		for (size_t j = 0; j < r->parents.n; j++)
			r->parent_ix[j] = new_ix[pix[k][j]];
		for (size_t j = 0; j < r->depends.n; j++)
			r->depend_ix[j] = new_ix[dix[k][j]];
		r->n_children = 0;
	}
	struct rev **sorted = arena_alloc(a, (n + 1) * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = revs[order[i]];
	if (n)
		memcpy(revs, sorted, n * sizeof *revs);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < revs[i]->parents.n; j++)
			revs[revs[i]->parent_ix[j]]->n_children++;
	for (size_t i = 0; i < n; i++) {
		revs[i]->child_ix = arena_alloc(a, (revs[i]->n_children + 1) * sizeof(size_t));
		revs[i]->n_children = 0;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < revs[i]->parents.n; j++) {
			struct rev *p = revs[revs[i]->parent_ix[j]];
			p->child_ix[p->n_children++] = i;
		}
	}
	return 0;
}

size_t graph_heads(struct rev *const *revs, size_t n, size_t *out)
{
	bool *named = xmalloc(n + 1);
	size_t n_out = 0;

	memset(named, 0, n + 1);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < revs[i]->parents.n; j++)
			named[revs[i]->parent_ix[j]] = true;
		for (size_t j = 0; j < revs[i]->depends.n; j++)
			named[revs[i]->depend_ix[j]] = true;
	}
	for (size_t i = 0; i < n; i++)
		if (!named[i])
			out[n_out++] = i;
	free(named);
	return n_out;
}

bool graph_is_versioned_head(struct rev *const *revs, size_t n, size_t i)
{
	(void)n;
	return revs[i]->n_children == 0;
}

/*
 * Marks revs[h] and its ancestors by Revises with `stamp`, adding one to
 * reach[] for each; iterative, as a chain may be very long.
 */
/* owner[] values besides a head's index: no head, or several. */
#define OWNER_NONE ((size_t)-1)
#define OWNER_MANY ((size_t)-2)

size_t graph_warn_heads(struct rev *const *revs, size_t n, const char *dir)
{
	size_t *heads = xmalloc((n + 1) * sizeof *heads);
	size_t nh = graph_heads(revs, n, heads), n_bad = 0;

	if (nh < 2) {
		free(heads);
		return 0;
	}
	/*
	 * owner[i]: the one head whose line of Revises holds revision i, or
	 * OWNER_MANY when several heads descend from it. The array is in
	 * topological order, so one pass from the end hands each revision's
	 * owner down to its parents before they are visited: linear time.
	 */
	size_t *owner = xmalloc((n + 1) * sizeof *owner);
	unsigned char *declared = xmalloc(n + 1);
	size_t *bad = xmalloc((nh + 1) * sizeof *bad);
	for (size_t i = 0; i < n; i++)
		owner[i] = OWNER_NONE, declared[i] = 0;
	for (size_t k = 0; k < nh; k++)
		owner[heads[k]] = heads[k];
	for (size_t i = n; i-- > 0;) {
		const struct rev *r = revs[i];
		if (owner[i] == OWNER_NONE)
			continue;
		if (owner[i] != OWNER_MANY && r->labels.n)
			declared[owner[i]] = 1;
		for (size_t j = 0; j < r->parents.n; j++) {
			size_t p = r->parent_ix[j];
			if (owner[p] == OWNER_NONE)
				owner[p] = owner[i];
			else if (owner[p] != owner[i])
				owner[p] = OWNER_MANY;
		}
	}
	for (size_t k = 0; k < nh; k++)
		if (!declared[heads[k]])
			bad[n_bad++] = heads[k];
	if (n_bad >= 2) {
		/* Name a few: a folder with thousands of heads needs no list of all. */
		enum { SHOW = 8 };
		size_t shown = n_bad < SHOW ? n_bad : SHOW;
		struct strbuf ids = STRBUF_INIT;
		for (size_t k = 0; k < shown; k++)
			sb_addf(&ids, "%s'%s'", k ? ", " : "", revs[bad[k]]->id);
		if (shown < n_bad)
			sb_addf(&ids, " and %zu more", n_bad - shown);
		diag_plain(DIAG_WARNING, NULL, "the folder has %zu heads that no branch label declares: %s",
			   n_bad, ids.buf);
		for (size_t k = 0; k < shown; k++)
			diag_detail("'%s' is in %s", revs[bad[k]]->id, revs[bad[k]]->file->path);
		sb_release(&ids);
		sb_addf(&ids, "retort merge %s -m MSG", dir);
		for (size_t k = 0; k < shown; k++)
			sb_addf(&ids, " %s", revs[bad[k]]->id);
		if (shown < n_bad)
			sb_addstr(&ids, " ...");
		diag_hint("'upgrade head' refuses several heads: merge them (%s), or give each "
			  "separate line its own 'Branch Labels'", ids.buf);
		sb_release(&ids);
	} else {
		n_bad = 0;
	}
	free(heads), free(owner), free(declared), free(bad);
	return n_bad;
}

long graph_find(struct rev *const *revs, size_t n, const char *name)
{
	long found = -1;
	size_t n_match = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(revs[i]->id, name) == 0)
			return (long)i;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < revs[i]->labels.n; j++)
			if (strcmp(revs[i]->labels.v[j].id, name) == 0)
				return (long)i;
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++) {
		if (len && strncmp(revs[i]->id, name, len) == 0) {
			found = (long)i;
			n_match++;
		}
	}
	if (n_match == 1)
		return found;
	if (n_match == 0) {
		diag_plain(DIAG_ERROR, NULL, "no revision '%s' in this folder", name);
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (strncmp(revs[i]->id, name, len) == 0)
			sb_addf(&sb, "%s'%s'", sb.len ? ", " : "", revs[i]->id);
	diag_plain(DIAG_ERROR, NULL, "revision prefix '%s' is ambiguous", name);
	diag_detail("it matches %s", sb.buf);
	sb_release(&sb);
	return -1;
}

static void dump_list(struct strbuf *sb, struct rev *const *revs, const size_t *ix, size_t n)
{
	if (!n)
		sb_addch(sb, '-');
	for (size_t i = 0; i < n; i++)
		sb_addf(sb, "%s%s", i ? "," : "", revs[ix[i]]->id);
}

void graph_dump(struct rev *const *revs, size_t n, struct strbuf *sb)
{
	size_t *heads = xmalloc((n + 1) * sizeof *heads);

	for (size_t i = 0; i < n; i++) {
		const struct rev *r = revs[i];
		sb_addf(sb, "%zu %s parents=", i, r->id);
		dump_list(sb, revs, r->parent_ix, r->parents.n);
		sb_addstr(sb, " depends=");
		dump_list(sb, revs, r->depend_ix, r->depends.n);
		sb_addstr(sb, " children=");
		dump_list(sb, revs, r->child_ix, r->n_children);
		sb_addstr(sb, " labels=");
		if (!r->labels.n)
			sb_addch(sb, '-');
		for (size_t j = 0; j < r->labels.n; j++)
			sb_addf(sb, "%s%s", j ? "," : "", r->labels.v[j].id);
		sb_addch(sb, '\n');
	}
	size_t nh = graph_heads(revs, n, heads);
	sb_addstr(sb, "heads:");
	for (size_t i = 0; i < nh; i++)
		sb_addf(sb, " %s", revs[heads[i]]->id);
	sb_addch(sb, '\n');
	free(heads);
}
