/*
 * report.c - Alembic's revision formats
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"

int report_init(struct report *r, const struct rt_set *s)
{
	unsigned n = s->n_revisions ? s->n_revisions : 1;
	unsigned *tmp = malloc(n * sizeof(*tmp));

	memset(r, 0, sizeof(*r));
	r->s = s;
	r->is_head = calloc(n, 1);
	r->is_branchpoint = calloc(n, 1);
	if (!tmp || !r->is_head || !r->is_branchpoint) {
		free(tmp);
		report_free(r);
		return -1;
	}
	size_t k = plan_graph_heads(s, tmp);
	for (size_t i = 0; i < k; i++)
		r->is_head[tmp[i]] = 1;
	k = plan_branchpoints(s, tmp);
	for (size_t i = 0; i < k; i++)
		r->is_branchpoint[tmp[i]] = 1;
	free(tmp);
	return 0;
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
	free(r->is_branchpoint);
	free(r->is_current);
	memset(r, 0, sizeof(*r));
}

static void comma_ids(FILE *fp, const struct rt_set *s, const unsigned *ix, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", s->revisions[ix[i]].id);
}

static void comma_labels(FILE *fp, const struct rt_revision *rev)
{
	for (unsigned i = 0; i < rev->n_labels; i++)
		fprintf(fp, "%s%s", i ? ", " : "", rev->labels[i]);
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
			comma_ids(fp, s, rev->depends, rev->n_depends);
			fputc(')', fp);
		}
		fputs(" -> ", fp);
	}
	fputs(rev->id, fp);
	if ((flags & REPORT_BRANCHES) && rev->n_labels) {
		fputs(" (", fp);
		comma_labels(fp, rev);
		fputc(')', fp);
	}
	if (r->is_head[ix])
		fputs(" (head)", fp);
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

void report_longdoc(FILE *fp, const struct report *r, unsigned ix, const char *indent)
{
	const struct rt_revision *rev = &r->s->revisions[ix];

	fprintf(fp, "%s%s\n\n%sRevision ID: %s\n%sRevises: ", indent, rev->message, indent,
		rev->id, indent);
	comma_ids(fp, r->s, rev->parents, rev->n_parents);
	fprintf(fp, "\n%sCreate Date: %s\n", indent, rev->create_date);
}

void report_entry(FILE *fp, const struct report *r, unsigned ix)
{
	const struct rt_set *s = r->s;
	const struct rt_revision *rev = &s->revisions[ix];

	fprintf(fp, "Rev: %s%s%s%s%s\n", rev->id, r->is_head[ix] ? " (head)" : "",
		r->is_branchpoint[ix] ? " (branchpoint)" : "",
		rev->n_parents > 1 ? " (mergepoint)" : "",
		r->is_current && r->is_current[ix] ? " (current)" : "");
	fputs(rev->n_parents > 1 ? "Merges: " : "Parent: ", fp);
	down_revisions(fp, s, rev);
	fputc('\n', fp);
	if (rev->n_depends) {
		fputs("Also depends on: ", fp);
		comma_ids(fp, s, rev->depends, rev->n_depends);
		fputc('\n', fp);
	}
	if (r->is_branchpoint[ix]) {
		fputs("Branches into: ", fp);
		const char *sep = "";
		for (unsigned j = 0; j < s->n_revisions; j++) {
			const struct rt_revision *c = &s->revisions[j];
			for (unsigned k = 0; k < c->n_parents; k++) {
				if (c->parents[k] == ix) {
					fprintf(fp, "%s%s", sep, c->id);
					sep = ", ";
				}
			}
		}
		fputc('\n', fp);
	}
	if (rev->n_labels) {
		fputs("Branch names: ", fp);
		comma_labels(fp, rev);
		fputc('\n', fp);
	}
	fprintf(fp, "Path: %s\n\n", rev->path);
	report_longdoc(fp, r, ix, "    ");
	fputc('\n', fp);
}
