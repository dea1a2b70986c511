/*
 * graph.h - link the revisions of a folder, validate and order them
 *
 * The front ends hand over revisions as they read them; graph_order() checks
 * what Alembic would trip over (or silently get wrong) and sorts them so that
 * every revision comes after its parents (Revises) and dependencies
 * (Depends On). The order depends only on the ids and the edges, never on the
 * order the files were read in, so the generated C is reproducible.
 */
#ifndef GEN_GRAPH_H
#define GEN_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "rev.h"

/* The alembic_version.version_num column is VARCHAR(32). */
#define GRAPH_MAX_ID 32

/*
 * Validates revs[0..n) and, when that found no error, reorders the array
 * topologically and fills index, parent_ix, depend_ix and child_ix of each
 * revision. Every problem is reported through diag; returns their number.
 * With errors the array keeps its order and the link fields are unset.
 */
unsigned graph_order(struct arena *a, struct rev **revs, size_t n);

/*
 * Heads of an ordered graph, Alembic's definition: revisions no other one
 * names in Revises or Depends On. Writes their indexes, ascending, to out[]
 * (room for n) and returns how many.
 */
size_t graph_heads(struct rev *const *revs, size_t n, size_t *out);

/* True when no revision names revs[i] in Revises (Alembic's is_head). */
bool graph_is_versioned_head(struct rev *const *revs, size_t n, size_t i);

/*
 * Warns, naming them, when an ordered graph has several heads that no
 * branch label declares intended: two people revised the same parent, and
 * `upgrade head` will refuse in production (Alembic's "multiple heads").
 * A head counts as declared when a revision on its own line of Revises
 * (itself or an ancestor no other head descends from) has a branch label;
 * one undeclared head, the trunk, is fine. `dir` goes into the hint.
 * Returns the number of undeclared heads warned about (0 or 2+).
 */
size_t graph_warn_heads(struct rev *const *revs, size_t n, const char *dir);

/*
 * Finds a revision of an ordered graph by full id, unique id prefix or branch
 * label. Returns its index, or -1 after reporting (as a plain error about
 * `what`) an unknown or ambiguous name.
 */
long graph_find(struct rev *const *revs, size_t n, const char *name);

/*
 * Text form of an ordered graph for tests, one line per revision:
 *   "<index> <id> parents=<ids> depends=<ids> children=<ids> labels=<l>\n"
 * (lists comma-separated, "-" when empty), then "heads: <ids>\n".
 */
void graph_dump(struct rev *const *revs, size_t n, struct strbuf *sb);

#endif
