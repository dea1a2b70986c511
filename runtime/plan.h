/*
 * plan.h - resolve Alembic revision syntax against the embedded graph, and
 * plan what an upgrade, downgrade or stamp does
 *
 * Pure functions over a `struct rt_set` and the database's current heads
 * (the rows of the version table, as indexes into set->revisions): no I/O,
 * no database. The migrator executes plans; offline --sql prints them.
 *
 * Semantics follow Alembic 1.8 (alembic/script/revision.py and
 * alembic/runtime/migration.py): `Depends On` counts as a down revision for
 * ordering and for version-table maintenance, exactly as Alembic's
 * _normalized_down_revisions does.
 */
#ifndef RT_PLAN_H
#define RT_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "migration.h"

/* Why resolution or planning failed: printed as "error: MSG" and "hint: HINT". */
struct rt_err {
	char msg[512];
	char hint[512];
};

/* One change to the version table after a step (Alembic's HeadMaintainer). */
enum vt_kind { VT_INSERT, VT_DELETE, VT_UPDATE };

struct vt_op {
	enum vt_kind kind;
	unsigned from; /* VT_DELETE, VT_UPDATE: the row that goes */
	unsigned to;   /* VT_INSERT, VT_UPDATE: the row that comes */
};

struct plan_step {
	unsigned rev;       /* index into set->revisions */
	bool up;            /* runs rev's upgrade (true) or downgrade (false) */
	size_t n_ops;
	struct vt_op *ops;  /* applied in order after the revision's SQL */
};

struct plan {
	struct plan_step *steps;
	size_t n_steps;
	unsigned *heads;    /* the version table after the plan, sorted */
	size_t n_heads;
};

/* Full id, unique id prefix, or branch label. Returns 0, or -1 with *err. */
int plan_find(const struct rt_set *s, const char *name, unsigned *ix, struct rt_err *err);

/*
 * Plans `upgrade TARGET` / `downgrade TARGET` from the heads `cur[0..n_cur)`.
 * TARGET takes Alembic's syntax: head, heads, base, ID, unique ID prefix,
 * LABEL@head, LABEL@base, LABEL@ID, +N, -N, ID+N, ID-N, LABEL@+N, LABEL@-N.
 * Upgrading to where the database already is yields an empty plan.
 * Returns 0, or -1 with *err (unknown or ambiguous revision, a relative step
 * past base or head, a downgrade target that is not below the current heads,
 * a revision on the way that has no downgrade section, ...).
 */
int plan_upgrade(const struct rt_set *s, const unsigned *cur, size_t n_cur,
		 const char *target, struct plan *p, struct rt_err *err);
int plan_downgrade(const struct rt_set *s, const unsigned *cur, size_t n_cur,
		   const char *target, struct plan *p, struct rt_err *err);

/*
 * Plans `stamp TARGET [--purge]`: no steps, only the resulting heads (with
 * --purge the current rows are ignored). TARGET may be several comma-free
 * specs as Alembic allows ("heads", "base", an id, LABEL@head, ...).
 */
int plan_stamp(const struct rt_set *s, const unsigned *cur, size_t n_cur,
	       const char *target, bool purge, struct plan *p, struct rt_err *err);

/*
 * Resolves a spec to the heads it denotes when taken as a database state:
 * the start of an offline range "A:B" ("base" gives none). Writes at most
 * set->n_revisions indexes to out[].
 */
int plan_heads_of(const struct rt_set *s, const char *spec, unsigned *out,
		  size_t *n_out, struct rt_err *err);

/*
 * History range for `history -r A:B` (either side may be empty; A and B may
 * be "base", "head", "heads", "current", an id, a prefix, LABEL@head, or
 * relative forms -N/+N around current). Fills out[] with the matching
 * revisions, newest first as `alembic history` lists them.
 */
int plan_history(const struct rt_set *s, const unsigned *cur, size_t n_cur,
		 const char *range, unsigned *out, size_t *n_out, struct rt_err *err);

/*
 * Fails, naming them, when one version-table row lies below another (parents
 * and dependencies): Alembic's "requested revision ... overlaps". Upgrade,
 * downgrade and stamp refuse such a table (stamp --purge repairs it);
 * reporting commands call this to warn.
 */
int plan_check_rows(const struct rt_set *s, const unsigned *cur, size_t n_cur, struct rt_err *err);

/* Heads of the whole graph (no revision names them as parent or dependency), sorted. */
size_t plan_graph_heads(const struct rt_set *s, unsigned *out);

/* Revisions that are parents of more than one revision (Alembic's branchpoints). */
size_t plan_branchpoints(const struct rt_set *s, unsigned *out);

/*
 * Sets applied[x] for every revision at or below heads[] along parents and
 * dependencies: what a version table holding those rows says is applied.
 * One sweep, O(revisions + edges).
 */
void plan_mark_applied(const struct rt_set *s, const unsigned *heads, size_t n_heads,
		       bool *applied);

/* The maximal revisions of `applied` (none of them below another), ascending. */
size_t plan_tips(const struct rt_set *s, const bool *applied, unsigned *out);

/* True when `anc` is `rev` or one of its ancestors (parents and dependencies). */
bool plan_is_ancestor(const struct rt_set *s, unsigned anc, unsigned rev);

void plan_free(struct plan *p);

#endif
