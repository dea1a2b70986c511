/*
 * lint.h - parse and lint a folder's revisions (`retort lint`, `retort compile`)
 *
 * Every statement of every revision goes through PostgreSQL's parser
 * (lint/parse.c); the upgrade statements then through the rules
 * (lint/rules.h, documented in docs/lint.md) in the graph's order, so that a
 * rule knows which tables earlier revisions created. Ignores come from
 * `-- retort:ignore RULE reason` comments (`# retort:ignore` in .py files)
 * on the statement they precede, and from the [lint] section of the folder's
 * retort.ini.
 */
#ifndef GEN_LINT_LINT_H
#define GEN_LINT_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "rev.h"

struct lint_opts {
	const char *since; /* judge only revisions descending from it (NULL: all) */
	bool json;         /* print the findings as JSON on stdout, not as text */
	bool werror;       /* warnings count as errors */
};

struct lint_counts {
	unsigned errors, warnings, notes;
};

/*
 * Lints the ordered revisions revs[0..n) of folder `dir`. Text findings go
 * through diag (errors counted there too). Returns 0, or -1 when the
 * options or the [lint] section are wrong (reported).
 */
int lint_folder(struct arena *a, const char *dir, struct rev **revs, size_t n,
		const struct lint_opts *o, struct lint_counts *out);

#endif
