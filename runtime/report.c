/*
 * report.c - Alembic's revision formats
 *
 * The functions mirrored (alembic/script/base.py and revision.py, 1.8) are
 * named in the comments. Where Alembic prints a Python set (branch labels,
 * "Branches into"), we print in a fixed order: own labels first, children
 * ascending.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Growable per-revision label lists while they are collected. */
struct lbl {
	const char **v;
	unsigned n, cap;
};

static int lbl_add(struct lbl *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 0;
	if (l->n == l->cap) {
		unsigned cap = l->cap ? 2 * l->cap : 4;
		const char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = name;
	return 0;
}

static int lbl_add_all(struct lbl *l, const struct rt_revision *from)
{
	for (unsigned i = 0; i < from->n_labels; i++)
		if (lbl_add(l, from->labels[i]) < 0)
			return -1;
	return 0;
}

/*
 * Alembic's RevisionMap._add_branches: a revision's labels go to every
 * descendant by Revises, and, from the last descendant its walk reaches,
 * down the line to the nearest branch point (counting dependents) or merge.
 */
static int inherit_labels(struct report *r, struct lbl *ls, unsigned *n_dependents)
{
	const struct rt_set *s = r->s;
	unsigned n = s->n_revisions;
	unsigned *seen = calloc(n + 1, sizeof *seen), *stack = malloc((n + 1) * sizeof *stack);
	int rc = -1;

	if (!seen || !stack)
		goto out;
	for (unsigned x = 0; x < n; x++)
		if (lbl_add_all(&ls[x], &s->revisions[x]) < 0)
			goto out;
	for (unsigned lab = 0; lab < n; lab++) {
		const struct rt_revision *lr = &s->revisions[lab];
		if (!lr->n_labels)
			continue;
		unsigned gen = lab + 1, last = lab;
		size_t sp = 0;
		stack[sp++] = lab;
		while (sp) {
			unsigned x = stack[--sp];
			if (seen[x] == gen)
				continue;
			seen[x] = gen;
			for (unsigned k = r->kid_off[x]; k < r->kid_off[x + 1]; k++)
				stack[sp++] = r->kids[k];
			if (lbl_add_all(&ls[x], lr) < 0)
				goto out;
			last = x;
		}
		for (unsigned p = last;;) {
			const struct rt_revision *pr = &s->revisions[p];
			unsigned fan = r->kid_off[p + 1] - r->kid_off[p] + n_dependents[p];
			if (fan > 1 || pr->n_parents > 1)
				break;
			if (lbl_add_all(&ls[p], lr) < 0)
				goto out;
			if (pr->n_parents == 0)
				break;
			p = pr->parents[0];
		}
	}
	rc = 0;
out:
	free(seen);
	free(stack);
	return rc;
}

int report_init(struct report *r, const struct rt_set *s)
{
	unsigned n = s->n_revisions;
	unsigned *dependents = calloc(n + 1, sizeof *dependents);
	struct lbl *ls = calloc(n + 1, sizeof *ls);
	size_t nkids = 0, nlabels = 0;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->is_head = calloc(n + 1, 1);
	r->is_effective = calloc(n + 1, 1);
	r->is_branchpoint = calloc(n + 1, 1);
	r->kid_off = calloc(n + 2, sizeof *r->kid_off);
	r->label_off = calloc(n + 2, sizeof *r->label_off);
	for (unsigned x = 0; x < n; x++)
		nkids += s->revisions[x].n_parents;
	r->kids = malloc((nkids + 1) * sizeof *r->kids);
	if (!dependents || !ls || !r->is_head || !r->is_effective || !r->is_branchpoint ||
	    !r->kid_off || !r->label_off || !r->kids)
		goto out;

	/* Children by Revises (a parent named twice counts once), and dependents. */
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned x = 0; x < n; x++) {
			const struct rt_revision *rv = &s->revisions[x];
			for (unsigned i = 0; i < rv->n_parents; i++) {
				bool dup = false;
				for (unsigned j = 0; j < i && !dup; j++)
					dup = rv->parents[j] == rv->parents[i];
				if (dup)
					continue;
				if (pass == 0)
					r->kid_off[rv->parents[i] + 2]++;
				else
					r->kids[r->kid_off[rv->parents[i] + 1]++] = x;
			}
			for (unsigned i = 0; pass == 0 && i < rv->n_depends; i++)
				dependents[rv->depends[i]]++;
		}
		if (pass == 0)
			for (unsigned x = 2; x <= n + 1; x++)
				r->kid_off[x] += r->kid_off[x - 1];
	}
	for (unsigned x = 0; x < n; x++) {
		unsigned kids = r->kid_off[x + 1] - r->kid_off[x];
		r->is_head[x] = kids == 0 && dependents[x] == 0;
		r->is_effective[x] = kids == 0 && dependents[x] != 0;
		r->is_branchpoint[x] = kids > 1;
	}

	if (inherit_labels(r, ls, dependents) < 0)
		goto out;
	for (unsigned x = 0; x < n; x++)
		nlabels += ls[x].n;
	r->labels = malloc((nlabels + 1) * sizeof *r->labels);
	if (!r->labels)
		goto out;
	for (unsigned x = 0, at = 0; x < n; x++) {
		r->label_off[x] = at;
		if (ls[x].n) /* an empty list may have no storage: memcpy wants none */
			memcpy(r->labels + at, ls[x].v, ls[x].n * sizeof *r->labels);
		at += ls[x].n;
		r->label_off[x + 1] = at;
	}
	rc = 0;
out:
	for (unsigned x = 0; ls && x < n; x++)
		free(ls[x].v);
	free(ls);
	free(dependents);
	if (rc < 0)
		report_free(r);
	return rc;
}

void report_set_current(struct report *r, const unsigned *cur, size_t n_cur)
{
	if (!r->is_current)
		r->is_current = calloc(r->s->n_revisions ? r->s->n_revisions : 1, 1);
	if (!r->is_current)
		return;
	for (size_t i = 0; i < n_cur; i++)
		r->is_current[cur[i]] = 1;
}

void report_free(struct report *r)
{
	free(r->is_head);
	free(r->is_effective);
	free(r->is_branchpoint);
	free(r->is_current);
	free(r->kid_off);
	free(r->kids);
	free(r->label_off);
	free(r->labels);
	memset(r, 0, sizeof(*r));
}

size_t report_all_current(const struct rt_set *s, const unsigned *cur, size_t n_cur,
			  unsigned *out)
{
	bool *applied = calloc(s->n_revisions + 1, sizeof *applied);
	bool *revised = calloc(s->n_revisions + 1, sizeof *revised);
	size_t k = 0;

	if (!applied || !revised) {
		free(applied);
		free(revised);
		return 0;
	}
	plan_mark_applied(s, cur, n_cur, applied);
	/* Applied is closed downwards: an applied descendant means an applied child. */
	for (unsigned x = 0; x < s->n_revisions; x++)
		for (unsigned i = 0; applied[x] && i < s->revisions[x].n_parents; i++)
			revised[s->revisions[x].parents[i]] = true;
	for (unsigned x = 0; x < s->n_revisions; x++)
		if (applied[x] && !revised[x])
			out[k++] = x;
	free(applied);
	free(revised);
	return k;
}

static void comma_ids(FILE *fp, const struct rt_set *s, const unsigned *ix, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", s->revisions[ix[i]].id);
}

static void comma_labels(FILE *fp, const struct report *r, unsigned ix)
{
	for (unsigned i = r->label_off[ix]; i < r->label_off[ix + 1]; i++)
		fprintf(fp, "%s%s", i > r->label_off[ix] ? ", " : "", r->labels[i]);
}

static void comma_depends(FILE *fp, const struct report *r, unsigned ix)
{
	const struct rt_revision *rev = &r->s->revisions[ix];

	if (!r->depends_written) {
		comma_ids(fp, r->s, rev->depends, rev->n_depends);
		return;
	}
	for (unsigned i = 0; i < rev->n_depends; i++)
		fprintf(fp, "%s%s", i ? ", " : "", r->depends_written[ix][i]);
}

static void down_revisions(FILE *fp, const struct rt_set *s, const struct rt_revision *rev)
{
	if (rev->n_parents == 0)
		fputs("<base>", fp);
	else
		comma_ids(fp, s, rev->parents, rev->n_parents);
}

void report_line(FILE *fp, const struct report *r, unsigned ix, unsigned flags)
{
	const struct rt_set *s = r->s;
	const struct rt_revision *rev = &s->revisions[ix];

	if (flags & REPORT_PARENTS) {
		down_revisions(fp, s, rev);
		if (rev->n_depends) {
			fputs(" (", fp);
			comma_depends(fp, r, ix);
			fputc(')', fp);
		}
		fputs(" -> ", fp);
	}
	fputs(rev->id, fp);
	if ((flags & REPORT_BRANCHES) && r->label_off[ix + 1] > r->label_off[ix]) {
		fputs(" (", fp);
		comma_labels(fp, r, ix);
		fputc(')', fp);
	}
	if (r->is_head[ix])
		fputs(" (head)", fp);
	if (r->is_effective[ix])
		fputs(" (effective head)", fp);
	if (r->is_current && r->is_current[ix])
		fputs(" (current)", fp);
	if (flags & REPORT_TREE) {
		if (r->is_branchpoint[ix])
			fputs(" (branchpoint)", fp);
		if (rev->n_parents > 1)
			fputs(" (mergepoint)", fp);
	}
	if (flags & REPORT_DOC)
		fprintf(fp, ", %s", rev->message);
	fputc('\n', fp);
}

/*
 * Alembic shows the script's docstring, stripped, each line indented (blank
 * lines too); a .sql file's docstring is its message and header facts.
 */
void report_longdoc(FILE *fp, const struct report *r, unsigned ix, const char *indent)
{
	const struct rt_revision *rev = &r->s->revisions[ix];
	char *doc = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&doc, &len);

	if (!m)
		return;
	fprintf(m, "%s\n\nRevision ID: %s\nRevises: ", rev->message, rev->id);
	comma_ids(m, r->s, rev->parents, rev->n_parents);
	fprintf(m, "\nCreate Date: %s", rev->create_date);
	if (fclose(m) != 0) {
		free(doc);
		return;
	}
	size_t b = 0, e = len;
	while (b < e && strchr(" \t\n", doc[b]))
		b++;
	while (e > b && strchr(" \t\n", doc[e - 1]))
		e--;
	for (size_t k = b; k < e;) {
		const char *nl = memchr(doc + k, '\n', e - k);
		size_t end = nl ? (size_t)(nl - doc) : e;
		fprintf(fp, "%s%.*s\n", indent, (int)(end - k), doc + k);
		k = end + 1;
	}
	free(doc);
}

void report_entry(FILE *fp, const struct report *r, unsigned ix)
{
	const struct rt_set *s = r->s;
	const struct rt_revision *rev = &s->revisions[ix];

	/* log_entry's "(head)" is Alembic's is_head: nothing revises it. */
	fprintf(fp, "Rev: %s%s%s%s%s\n", rev->id,
		r->is_head[ix] || r->is_effective[ix] ? " (head)" : "",
		r->is_branchpoint[ix] ? " (branchpoint)" : "",
		rev->n_parents > 1 ? " (mergepoint)" : "",
		r->is_current && r->is_current[ix] ? " (current)" : "");
	fputs(rev->n_parents > 1 ? "Merges: " : "Parent: ", fp);
	down_revisions(fp, s, rev);
	fputc('\n', fp);
	if (rev->n_depends) {
		fputs("Also depends on: ", fp);
		comma_depends(fp, r, ix);
		fputc('\n', fp);
	}
	if (r->is_branchpoint[ix]) {
		fputs("Branches into: ", fp);
		comma_ids(fp, s, r->kids + r->kid_off[ix], r->kid_off[ix + 1] - r->kid_off[ix]);
		fputc('\n', fp);
	}
	if (r->label_off[ix + 1] > r->label_off[ix]) {
		fputs("Branch names: ", fp);
		comma_labels(fp, r, ix);
		fputc('\n', fp);
	}
	fprintf(fp, "Path: %s\n\n", rev->path);
	report_longdoc(fp, r, ix, "    ");
	fputc('\n', fp);
}
