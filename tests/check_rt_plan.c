/*
 * check_rt_plan.c - revision resolution and upgrade/downgrade/stamp plans
 *
 * Plans are rendered to text ("up ID [ops]; ... => heads") so each case
 * compares one string. Every plan is also checked against two invariants:
 * replaying its version-table ops on the starting rows gives plan->heads, and
 * plan->heads is exactly the applied revisions minus their ancestors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "testutil.h"

/* ---- fixtures -------------------------------------------------------------- */

/* Lists travel through the macros as one parenthesised (count, pointer) pair. */
#define IX(...) ((unsigned)(sizeof((const unsigned[]){ __VA_ARGS__ }) / sizeof(unsigned)), \
	((const unsigned[]){ __VA_ARGS__ }))
#define LB(...) ((unsigned)(sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(char *)), \
	((const char *const[]){ __VA_ARGS__ }))
#define NO (0, NULL)
#define PAR_(n, v) .n_parents = n, .parents = v
#define DEP_(n, v) .n_depends = n, .depends = v
#define LAB_(n, v) .n_labels = n, .labels = v
#define PAR(x) PAR_ x
#define DEP(x) DEP_ x
#define LAB(x) LAB_ x
#define REVX(id_, parents, depends, labels, down)                                     \
	{ .id = id_, .message = "", .create_date = "", .path = "versions/" id_ ".sql", \
	  .sha256 = "", .checksum = "", .transactional = 1, PAR(parents),              \
	  DEP(depends), LAB(labels), .upgrade = { 1, 0, NULL },                        \
	  .downgrade = { down, 0, NULL } }
#define REV(id_, parents, depends, labels) REVX(id_, parents, depends, labels, 1)
#define SET(revs, n) { .format = RT_FORMAT, .generator = "test", .digest = "", \
	.n_revisions = n, .revisions = revs }
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* a100 <- b200 <- c300 <- d400 */
static const struct rt_revision linear_revs[] = {
	/* 0 */ REV("a100", NO, NO, NO),
	/* 1 */ REV("b200", IX(0), NO, NO),
	/* 2 */ REV("c300", IX(1), NO, NO),
	/* 3 */ REV("d400", IX(2), NO, NO),
};
static const struct rt_set linear = SET(linear_revs, COUNT(linear_revs));

/*
 *                    feat0003 (feature) <- feat0005 \
 * base0001 <- trunk002                               merge006 <- top00007
 *                    fix00004 (fix)  ---------------/
 */
static const struct rt_revision branch_revs[] = {
	/* 0 */ REV("base0001", NO, NO, NO),
	/* 1 */ REV("trunk002", IX(0), NO, NO),
	/* 2 */ REV("feat0003", IX(1), NO, LB("feature")),
	/* 3 */ REV("fix00004", IX(1), NO, LB("fix")),
	/* 4 */ REV("feat0005", IX(2), NO, NO),
	/* 5 */ REV("merge006", IX(4, 3), NO, NO),
	/* 6 */ REV("top00007", IX(5), NO, NO),
};
static const struct rt_set branch = SET(branch_revs, COUNT(branch_revs));
/* The same graph before the merge: heads fix00004 and feat0005. */
static const struct rt_set forked = SET(branch_revs, 5);

/*
 * Two bases; shop0002 depends on acct0002, and so (redundantly, through
 * shop0002) does shop0003.
 *
 * acct0001 (accounts) <- acct0002 <- acct0003
 *                           :
 * shop0001 (shop)     <- shop0002 <- shop0003
 */
static const struct rt_revision deps_revs[] = {
	/* 0 */ REV("acct0001", NO, NO, LB("accounts")),
	/* 1 */ REV("shop0001", NO, NO, LB("shop")),
	/* 2 */ REV("acct0002", IX(0), NO, NO),
	/* 3 */ REV("shop0002", IX(1), IX(2), NO),
	/* 4 */ REV("acct0003", IX(2), NO, NO),
	/* 5 */ REV("shop0003", IX(3), IX(2), NO),
};
static const struct rt_set deps = SET(deps_revs, COUNT(deps_revs));

/* x1000 (x) <- x2000;  y1000 (y) <- y2000: two unrelated lines. */
static const struct rt_revision twobase_revs[] = {
	/* 0 */ REV("x1000", NO, NO, LB("x")),
	/* 1 */ REV("y1000", NO, NO, LB("y")),
	/* 2 */ REV("x2000", IX(0), NO, NO),
	/* 3 */ REV("y2000", IX(1), NO, NO),
};
static const struct rt_set twobase = SET(twobase_revs, COUNT(twobase_revs));

/* m2222 has no downgrade section. */
static const struct rt_revision nodown_revs[] = {
	/* 0 */ REV("m1111", NO, NO, NO),
	/* 1 */ REVX("m2222", IX(0), NO, NO, 0),
	/* 2 */ REV("m3333", IX(1), NO, NO),
};
static const struct rt_set nodown = SET(nodown_revs, COUNT(nodown_revs));

/* ---- helpers --------------------------------------------------------------- */

static unsigned ix_of(const struct rt_set *s, const char *id)
{
	for (unsigned i = 0; i < s->n_revisions; i++)
		if (strcmp(s->revisions[i].id, id) == 0)
			return i;
	ck_abort_msg("fixture has no revision '%s'", id);
	return 0;
}

/* "a b c" -> indexes */
static size_t parse_ids(const struct rt_set *s, const char *ids, unsigned *out)
{
	char buf[512];
	size_t n = 0;
	char *save = NULL;

	snprintf(buf, sizeof buf, "%s", ids);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		out[n++] = ix_of(s, w);
	return n;
}

static char out_buf[8192];

static void put(const char *fmt, const char *a, const char *b)
{
	size_t at = strlen(out_buf);
	snprintf(out_buf + at, sizeof out_buf - at, fmt, a, b);
}

static const char *id(const struct rt_set *s, unsigned x)
{
	return s->revisions[x].id;
}

static const char *render_err(const struct rt_err *e)
{
	snprintf(out_buf, sizeof out_buf, "error: %s", e->msg);
	if (e->hint[0])
		put(" | hint: %s%s", e->hint, "");
	return out_buf;
}

static const char *render_list(const struct rt_set *s, const unsigned *v, size_t n)
{
	out_buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		put("%s%s", i ? " " : "", id(s, v[i]));
	return out_buf;
}

static const char *render_plan(const struct rt_set *s, const struct plan *p)
{
	out_buf[0] = '\0';
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct plan_step *st = &p->steps[i];
		put("%s%s [", st->up ? "up " : "down ", id(s, st->rev));
		for (size_t j = 0; j < st->n_ops; j++) {
			const struct vt_op *o = &st->ops[j];
			const char *sep = j ? ", " : "";
			if (o->kind == VT_INSERT)
				put("%sinsert %s", sep, id(s, o->to));
			else if (o->kind == VT_DELETE)
				put("%sdelete %s", sep, id(s, o->from));
			else {
				put("%supdate %s", sep, id(s, o->from));
				put("->%s%s", id(s, o->to), "");
			}
		}
		put("]; %s%s", "", "");
	}
	put("=> %s%s", "", "");
	for (size_t i = 0; i < p->n_heads; i++)
		put("%s%s", i ? " " : "", id(s, p->heads[i]));
	return out_buf;
}

/*
 * The version table after replaying p's ops on cur must be p->heads, and
 * p->heads must be the applied set minus ancestors.
 */
static void check_invariants(const struct rt_set *s, const unsigned *cur, size_t ncur,
			     const struct plan *p, bool is_stamp)
{
	unsigned n = s->n_revisions;
	unsigned char *row = calloc(n, 1), *applied = calloc(n, 1);

	ck_assert_ptr_nonnull(row);
	ck_assert_ptr_nonnull(applied);
	if (is_stamp) {
		/* no steps: the rows are simply p->heads, sorted and distinct */
		ck_assert_uint_eq(p->n_steps, 0);
		for (size_t i = 1; i < p->n_heads; i++)
			ck_assert_uint_lt(p->heads[i - 1], p->heads[i]);
		goto out;
	}
	for (size_t i = 0; i < ncur; i++)
		row[cur[i]] = 1;
	for (size_t i = 0; i < p->n_steps; i++) {
		for (size_t j = 0; j < p->steps[i].n_ops; j++) {
			const struct vt_op *o = &p->steps[i].ops[j];
			if (o->kind != VT_INSERT) {
				ck_assert_msg(row[o->from], "op removes absent row '%s'", id(s, o->from));
				row[o->from] = 0;
			}
			if (o->kind != VT_DELETE) {
				ck_assert_msg(!row[o->to], "op adds present row '%s'", id(s, o->to));
				row[o->to] = 1;
			}
		}
	}
	size_t k = 0;
	for (unsigned x = 0; x < n; x++)
		if (row[x])
			ck_assert_uint_eq(p->heads[k++], x);
	ck_assert_uint_eq(k, p->n_heads);

	for (unsigned x = 0; x < n; x++)
		for (size_t i = 0; i < ncur && !applied[x]; i++)
			applied[x] = plan_is_ancestor(s, x, cur[i]);
	for (size_t i = 0; i < p->n_steps; i++)
		applied[p->steps[i].rev] = p->steps[i].up;
	for (unsigned x = 0; x < n; x++) {
		bool head = applied[x];
		for (unsigned y = x + 1; y < n && head; y++)
			if (applied[y] && plan_is_ancestor(s, x, y))
				head = false;
		ck_assert_msg(head == (row[x] != 0), "'%s': head %d, row %d", id(s, x), head, row[x]);
	}
out:
	free(row);
	free(applied);
}

enum kind { UP, DOWN, STAMP, PURGE };

static const char *run(const struct rt_set *s, const char *cur_ids, enum kind kind,
		       const char *target)
{
	unsigned cur[64];
	size_t ncur = parse_ids(s, cur_ids, cur);
	struct plan p;
	struct rt_err err;
	int rc;

	memset(&err, 0, sizeof err);
	if (kind == UP)
		rc = plan_upgrade(s, cur, ncur, target, &p, &err);
	else if (kind == DOWN)
		rc = plan_downgrade(s, cur, ncur, target, &p, &err);
	else
		rc = plan_stamp(s, cur, ncur, target, kind == PURGE, &p, &err);
	if (rc < 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(p.steps);
		ck_assert_ptr_null(p.heads);
		return render_err(&err);
	}
	ck_assert_int_eq(rc, 0);
	check_invariants(s, cur, kind == PURGE ? 0 : ncur, &p, kind >= STAMP);
	render_plan(s, &p);
	plan_free(&p);
	return out_buf;
}

static const char *history(const struct rt_set *s, const char *cur_ids, const char *range)
{
	unsigned cur[64], out[64];
	size_t ncur = parse_ids(s, cur_ids, cur), n;
	struct rt_err err;

	if (plan_history(s, cur, ncur, range, out, &n, &err) < 0)
		return render_err(&err);
	return render_list(s, out, n);
}

static const char *find(const struct rt_set *s, const char *name)
{
	struct rt_err err;
	unsigned ix;

	if (plan_find(s, name, &ix, &err) < 0)
		return render_err(&err);
	return render_list(s, &ix, 1);
}

static const char *heads_of(const struct rt_set *s, const char *spec)
{
	unsigned out[64];
	size_t n;
	struct rt_err err;

	if (plan_heads_of(s, spec, out, &n, &err) < 0)
		return render_err(&err);
	return render_list(s, out, n);
}

#define EXPECT(got, want) ck_assert_str_eq(got, want)

#define MULTI "error: multiple heads are present; please specify a single target revision"

/* ---- linear ---------------------------------------------------------------- */

START_TEST(linear_upgrade)
{
	EXPECT(run(&linear, "", UP, "head"),
	       "up a100 [insert a100]; up b200 [update a100->b200]; up c300 [update b200->c300]; "
	       "up d400 [update c300->d400]; => d400");
	EXPECT(run(&linear, "b200", UP, "heads"),
	       "up c300 [update b200->c300]; up d400 [update c300->d400]; => d400");
	EXPECT(run(&linear, "", UP, "b200"),
	       "up a100 [insert a100]; up b200 [update a100->b200]; => b200");
	EXPECT(run(&linear, "d400", UP, "head"), "=> d400");
	/* upgrading to a revision below the current one does nothing, as in Alembic */
	EXPECT(run(&linear, "c300", UP, "a100"), "=> c300");
	EXPECT(run(&linear, "c300", UP, "base"), "=> c300");
}
END_TEST

START_TEST(linear_downgrade)
{
	EXPECT(run(&linear, "d400", DOWN, "base"),
	       "down d400 [update d400->c300]; down c300 [update c300->b200]; "
	       "down b200 [update b200->a100]; down a100 [delete a100]; => ");
	EXPECT(run(&linear, "d400", DOWN, "b200"),
	       "down d400 [update d400->c300]; down c300 [update c300->b200]; => b200");
	EXPECT(run(&linear, "b200", DOWN, "b200"), "=> b200");
	EXPECT(run(&linear, "", DOWN, "base"), "=> ");
	EXPECT(run(&linear, "b200", DOWN, "c300"),
	       "error: destination 'c300' is not a valid downgrade target from current head(s)"
	       " | hint: a downgrade target must be below a current head; see 'current' and 'history'");
	EXPECT(run(&linear, "", DOWN, "a100"),
	       "error: destination 'a100' is not a valid downgrade target from current head(s)"
	       " | hint: a downgrade target must be below a current head; see 'current' and 'history'");
}
END_TEST

START_TEST(linear_relative)
{
	EXPECT(run(&linear, "", UP, "+2"),
	       "up a100 [insert a100]; up b200 [update a100->b200]; => b200");
	EXPECT(run(&linear, "b200", UP, "+1"), "up c300 [update b200->c300]; => c300");
	EXPECT(run(&linear, "a100", UP, "b200+2"),
	       "up b200 [update a100->b200]; up c300 [update b200->c300]; "
	       "up d400 [update c300->d400]; => d400");
	EXPECT(run(&linear, "", UP, "d400-2"),
	       "up a100 [insert a100]; up b200 [update a100->b200]; => b200");
	EXPECT(run(&linear, "b200", UP, "+5"),
	       "error: relative revision +5 didn't produce 5 migrations");
	EXPECT(run(&linear, "b200", UP, "-1"),
	       "error: relative revision -1 didn't produce 1 migrations"
	       " | hint: to go down, use 'downgrade -1'");
	EXPECT(run(&linear, "d400", DOWN, "-2"),
	       "down d400 [update d400->c300]; down c300 [update c300->b200]; => b200");
	EXPECT(run(&linear, "b200", DOWN, "-2"),
	       "down b200 [update b200->a100]; down a100 [delete a100]; => ");
	EXPECT(run(&linear, "b200", DOWN, "-3"),
	       "error: relative revision -3 didn't produce 3 migrations");
	EXPECT(run(&linear, "", DOWN, "-1"),
	       "error: relative revision -1 didn't produce 1 migrations");
	EXPECT(run(&linear, "d400", DOWN, "+1"),
	       "error: relative revision +1 didn't produce 1 migrations"
	       " | hint: to go up, use 'upgrade +1'");
	EXPECT(run(&linear, "d400", DOWN, "a100+1"),
	       "down d400 [update d400->c300]; down c300 [update c300->b200]; => b200");
	EXPECT(run(&linear, "d400", DOWN, "c300-1"),
	       "down d400 [update d400->c300]; down c300 [update c300->b200]; => b200");
}
END_TEST

START_TEST(names)
{
	EXPECT(find(&linear, "c300"), "c300");
	EXPECT(find(&linear, "c3"), "c300");  /* keys longer than 3 match by prefix */
	EXPECT(find(&linear, "zzz"),
	       "error: can't locate revision identified by 'zzz'"
	       " | hint: a partial revision id needs at least four characters");
	EXPECT(find(&linear, "zzzzz"), "error: can't locate revision identified by 'zzzzz'");
	EXPECT(find(&linear, "head"), "d400");
	EXPECT(find(&linear, "base"), "error: 'base' names no revision");
	EXPECT(find(&branch, "fix"), "fix00004");
	EXPECT(find(&branch, "feat"),
	       "error: multiple revisions start with 'feat': 'feat0003', 'feat0005', 'feature'"
	       " | hint: give more characters of the revision id");
	EXPECT(find(&branch, "feat0"),
	       "error: multiple revisions start with 'feat0': 'feat0003', 'feat0005'"
	       " | hint: give more characters of the revision id");
	EXPECT(find(&branch, "featu"), "feat0003");
	/* the branch narrows a prefix to its lineage (feat0005 descends from feature) */
	EXPECT(find(&forked, "fix@f"), "fix00004");
	EXPECT(find(&forked, "feature@feat0"),
	       "error: multiple revisions start with 'feat0': 'feat0003', 'feat0005'"
	       " | hint: give more characters of the revision id");
	EXPECT(find(&branch, "feature@fix00004"),
	       "error: revision 'fix00004' is not a member of branch 'feature'");
	EXPECT(find(&branch, "nope@head"), "error: can't locate revision identified by 'nope'");
	EXPECT(run(&linear, "", UP, "q9"),
	       "error: can't locate revision identified by 'q9'"
	       " | hint: a partial revision id needs at least four characters");
	EXPECT(run(&linear, "", UP, "b2"),
	       "up a100 [insert a100]; up b200 [update a100->b200]; => b200");
}
END_TEST

/* ---- branches and merges ------------------------------------------------- */

START_TEST(branch_full_upgrade)
{
	EXPECT(run(&branch, "", UP, "head"),
	       "up base0001 [insert base0001]; up trunk002 [update base0001->trunk002]; "
	       "up feat0003 [update trunk002->feat0003]; up fix00004 [insert fix00004]; "
	       "up feat0005 [update feat0003->feat0005]; "
	       "up merge006 [delete fix00004, update feat0005->merge006]; "
	       "up top00007 [update merge006->top00007]; => top00007");
}
END_TEST

START_TEST(head_vs_heads)
{
	EXPECT(run(&forked, "trunk002", UP, "head"),
	       MULTI " | hint: heads are 'fix00004', 'feat0005'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
	EXPECT(run(&forked, "trunk002", UP, "heads"),
	       "up feat0003 [update trunk002->feat0003]; up fix00004 [insert fix00004]; "
	       "up feat0005 [update feat0003->feat0005]; => fix00004 feat0005");
	EXPECT(run(&twobase, "", UP, "head"),
	       MULTI " | hint: heads are 'x2000', 'y2000'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
}
END_TEST

START_TEST(branch_labels)
{
	EXPECT(run(&forked, "trunk002", UP, "fix@head"),
	       "up fix00004 [update trunk002->fix00004]; => fix00004");
	EXPECT(run(&forked, "fix00004", UP, "feature@head"),
	       "up feat0003 [insert feat0003]; up feat0005 [update feat0003->feat0005]; "
	       "=> fix00004 feat0005");
	EXPECT(run(&forked, "trunk002", UP, "feature@+1"),
	       "up feat0003 [update trunk002->feat0003]; => feat0003");
	EXPECT(run(&forked, "trunk002", UP, "+1"),
	       "error: ambiguous walk | hint: the walk from 'trunk002' meets a branch or merge "
	       "point; name the revision, or use 'LABEL@+1'");
	EXPECT(run(&forked, "fix00004 feat0003", UP, "+1"),
	       "error: ambiguous upgrade from multiple current revisions"
	       " | hint: use 'LABEL@+1' or 'ID+1' to pick a branch");
	EXPECT(run(&forked, "fix00004 feat0003", UP, "feature@+1"),
	       "up feat0005 [update feat0003->feat0005]; => fix00004 feat0005");
	EXPECT(run(&forked, "", UP, "fix@fix0"),
	       "up base0001 [insert base0001]; up trunk002 [update base0001->trunk002]; "
	       "up fix00004 [update trunk002->fix00004]; => fix00004");
	EXPECT(run(&forked, "", UP, "feature@heads"),
	       "up base0001 [insert base0001]; up trunk002 [update base0001->trunk002]; "
	       "up feat0003 [update trunk002->feat0003]; up feat0005 [update feat0003->feat0005]; "
	       "=> feat0005");
}
END_TEST

START_TEST(merge_upgrade)
{
	EXPECT(run(&branch, "fix00004 feat0005", UP, "merge006"),
	       "up merge006 [delete fix00004, update feat0005->merge006]; => merge006");
	/* one parent under the other head's lineage: a plain update */
	EXPECT(run(&branch, "fix00004 feat0003", UP, "head"),
	       "up feat0005 [update feat0003->feat0005]; "
	       "up merge006 [delete fix00004, update feat0005->merge006]; "
	       "up top00007 [update merge006->top00007]; => top00007");
	EXPECT(run(&branch, "feat0005", UP, "merge006"),
	       "up fix00004 [insert fix00004]; "
	       "up merge006 [delete fix00004, update feat0005->merge006]; => merge006");
}
END_TEST

START_TEST(merge_downgrade)
{
	EXPECT(run(&branch, "top00007", DOWN, "feat0005"),
	       "down top00007 [update top00007->merge006]; "
	       "down merge006 [insert fix00004, update merge006->feat0005]; => fix00004 feat0005");
	/* below the merge on one side only: the other parent stays */
	/* only descendants of the target go: feat0005 is not one of fix00004's */
	EXPECT(run(&branch, "merge006", DOWN, "fix00004"),
	       "down merge006 [insert fix00004, update merge006->feat0005]; => fix00004 feat0005");
	EXPECT(run(&branch, "merge006", DOWN, "-1"),
	       "error: ambiguous walk | hint: the walk from 'merge006' meets a branch or merge "
	       "point; name the revision, or use 'LABEL@-1'");
	EXPECT(run(&branch, "merge006", DOWN, "trunk002"),
	       "down merge006 [insert fix00004, update merge006->feat0005]; "
	       "down feat0005 [update feat0005->feat0003]; down fix00004 [delete fix00004]; "
	       "down feat0003 [update feat0003->trunk002]; => trunk002");
}
END_TEST

START_TEST(branch_downgrade_one)
{
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "feature@trunk002"),
	       "down feat0005 [update feat0005->feat0003]; down feat0003 [delete feat0003]; "
	       "=> fix00004");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "fix@-1"),
	       "down fix00004 [delete fix00004]; => feat0005");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "feature@-2"),
	       "down feat0005 [update feat0005->feat0003]; down feat0003 [delete feat0003]; "
	       "=> fix00004");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "feat0003"),
	       "down feat0005 [update feat0005->feat0003]; => feat0003 fix00004");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "-1"),
	       "error: downgrade -1 from multiple heads is ambiguous"
	       " | hint: name the branch: 'LABEL@-1', or a revision: 'ID-1'");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "trunk002"),
	       "down feat0005 [update feat0005->feat0003]; down fix00004 [delete fix00004]; "
	       "down feat0003 [update feat0003->trunk002]; => trunk002");
	EXPECT(run(&forked, "fix00004 feat0005", DOWN, "heads"),
	       MULTI " | hint: heads are 'fix00004', 'feat0005'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
}
END_TEST

/* ---- depends_on ----------------------------------------------------------- */

START_TEST(depends_upgrade)
{
	/* shop0002 needs acct0002: the accounts line comes along, and merges in */
	EXPECT(run(&deps, "", UP, "shop0002"),
	       "up acct0001 [insert acct0001]; up shop0001 [insert shop0001]; "
	       "up acct0002 [update acct0001->acct0002]; "
	       "up shop0002 [delete shop0001, update acct0002->shop0002]; => shop0002");
	EXPECT(run(&deps, "shop0001", UP, "shop0002"),
	       "up acct0001 [insert acct0001]; up acct0002 [update acct0001->acct0002]; "
	       "up shop0002 [delete shop0001, update acct0002->shop0002]; => shop0002");
	/* acct0002 lies under another head: shop0002 only replaces shop0001 */
	EXPECT(run(&deps, "shop0001 acct0003", UP, "shop@head"),
	       "up shop0002 [update shop0001->shop0002]; up shop0003 [update shop0002->shop0003]; "
	       "=> acct0003 shop0003");
	/* acct0003 branches off acct0002, which sits under shop0002 */
	EXPECT(run(&deps, "shop0002", UP, "heads"),
	       "up acct0003 [insert acct0003]; up shop0003 [update shop0002->shop0003]; "
	       "=> acct0003 shop0003");
	/* two lines, two heads: 'head' is ambiguous, LABEL@head is not */
	EXPECT(run(&deps, "", UP, "head"),
	       MULTI " | hint: heads are 'acct0003', 'shop0003'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
	EXPECT(run(&deps, "", UP, "accounts@head"),
	       "up acct0001 [insert acct0001]; up acct0002 [update acct0001->acct0002]; "
	       "up acct0003 [update acct0002->acct0003]; => acct0003");
}
END_TEST

START_TEST(depends_downgrade)
{
	EXPECT(run(&deps, "acct0003 shop0003", DOWN, "acct0001"),
	       "down shop0003 [update shop0003->shop0002]; down acct0003 [delete acct0003]; "
	       "down shop0002 [insert shop0001, update shop0002->acct0002]; "
	       "down acct0002 [update acct0002->acct0001]; => acct0001 shop0001");
	EXPECT(run(&deps, "acct0003 shop0003", DOWN, "shop@-1"),
	       "down shop0003 [update shop0003->shop0002]; => shop0002 acct0003");
	EXPECT(run(&deps, "acct0003 shop0003", DOWN, "shop@base"),
	       "down shop0003 [update shop0003->shop0002]; "
	       "down shop0002 [update shop0002->shop0001]; down shop0001 [delete shop0001]; "
	       "=> acct0003");
	EXPECT(run(&deps, "shop0002", DOWN, "base"),
	       "down shop0002 [insert shop0001, update shop0002->acct0002]; "
	       "down acct0002 [update acct0002->acct0001]; down shop0001 [delete shop0001]; "
	       "down acct0001 [delete acct0001]; => ");
}
END_TEST

START_TEST(two_bases)
{
	EXPECT(run(&twobase, "", UP, "heads"),
	       "up x1000 [insert x1000]; up y1000 [insert y1000]; up x2000 [update x1000->x2000]; "
	       "up y2000 [update y1000->y2000]; => x2000 y2000");
	EXPECT(run(&twobase, "x2000", UP, "y@head"),
	       "up y1000 [insert y1000]; up y2000 [update y1000->y2000]; => x2000 y2000");
	EXPECT(run(&twobase, "", UP, "y@+1"), "up y1000 [insert y1000]; => y1000");
	EXPECT(run(&twobase, "", UP, "+1"),
	       "error: ambiguous walk | hint: the walk from 'base' meets a branch or merge point; "
	       "name the revision, or use 'LABEL@+1'");
	EXPECT(run(&twobase, "x2000 y2000", DOWN, "x@base"),
	       "down x2000 [update x2000->x1000]; down x1000 [delete x1000]; => y2000");
	EXPECT(run(&twobase, "x2000 y2000", DOWN, "base"),
	       "down y2000 [update y2000->y1000]; down x2000 [update x2000->x1000]; "
	       "down y1000 [delete y1000]; down x1000 [delete x1000]; => ");
	EXPECT(run(&twobase, "x2000 y2000", DOWN, "y@-1"),
	       "down y2000 [update y2000->y1000]; => y1000 x2000");
	EXPECT(run(&twobase, "x2000", DOWN, "-2"),
	       "down x2000 [update x2000->x1000]; down x1000 [delete x1000]; => ");
}
END_TEST

START_TEST(missing_downgrade)
{
	EXPECT(run(&nodown, "m3333", DOWN, "base"),
	       "error: revision 'm2222' (versions/m2222.sql) has no downgrade section"
	       " | hint: it cannot be undone; use 'stamp' to move the version table without "
	       "running SQL");
	EXPECT(run(&nodown, "m3333", DOWN, "m1111"),
	       "error: revision 'm2222' (versions/m2222.sql) has no downgrade section"
	       " | hint: it cannot be undone; use 'stamp' to move the version table without "
	       "running SQL");
	EXPECT(run(&nodown, "m3333", DOWN, "m2222"),
	       "down m3333 [update m3333->m2222]; => m2222");
	EXPECT(run(&nodown, "", UP, "head"),
	       "up m1111 [insert m1111]; up m2222 [update m1111->m2222]; "
	       "up m3333 [update m2222->m3333]; => m3333");
}
END_TEST

/* ---- stamp ---------------------------------------------------------------- */

START_TEST(stamp)
{
	EXPECT(run(&linear, "a100", STAMP, "c300"), "=> c300");
	EXPECT(run(&linear, "c300", STAMP, "a100"), "=> a100");
	EXPECT(run(&linear, "c300", STAMP, "base"), "=> ");
	EXPECT(run(&linear, "", STAMP, "heads"), "=> d400");
	EXPECT(run(&linear, "", STAMP, "b2"), "=> b200");
	EXPECT(run(&linear, "d400", PURGE, "b200"), "=> b200");
	EXPECT(run(&linear, "b200", STAMP, "b200"), "=> b200");
	EXPECT(run(&twobase, "x2000", STAMP, "y2000"), "=> x2000 y2000");
	EXPECT(run(&twobase, "x1000", STAMP, "heads"), "=> x2000 y2000");
	EXPECT(run(&twobase, "x2000 y2000", STAMP, "x@base"), "=> y2000");
	EXPECT(run(&twobase, "x2000 y2000", STAMP, "y1000"), "=> y1000 x2000");
	EXPECT(run(&twobase, "x2000", STAMP, "head"),
	       MULTI " | hint: heads are 'x2000', 'y2000'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
	EXPECT(run(&forked, "feat0005", STAMP, "fix00004"), "=> fix00004 feat0005");
	EXPECT(run(&forked, "fix00004 feat0005", STAMP, "trunk002"), "=> trunk002");
	EXPECT(run(&branch, "fix00004 feat0005", STAMP, "top00007"), "=> top00007");
	/* dependencies count as lineage: acct0002 lies under shop0002 */
	EXPECT(run(&deps, "shop0002", STAMP, "acct0001"), "=> acct0001");
	EXPECT(run(&deps, "shop0001", STAMP, "x"), "error: can't locate revision identified by 'x'"
	       " | hint: a partial revision id needs at least four characters");
	EXPECT(run(&twobase, "x1000", STAMP, "x2000 y1000"), "=> y1000 x2000");
}
END_TEST

/* ---- history and queries -------------------------------------------------- */

START_TEST(history_ranges)
{
	EXPECT(history(&linear, "", NULL), "d400 c300 b200 a100");
	EXPECT(history(&linear, "", ""), "d400 c300 b200 a100");
	EXPECT(history(&linear, "", "b200:c300"), "c300 b200");
	EXPECT(history(&linear, "", ":b200"), "b200 a100");
	EXPECT(history(&linear, "", "c300:"), "d400 c300");
	EXPECT(history(&linear, "b200", "current:"), "d400 c300 b200");
	EXPECT(history(&linear, "b200", ":current"), "b200 a100");
	EXPECT(history(&linear, "c300", "-1:current"), "c300 b200");
	EXPECT(history(&linear, "b200", "current:+1"), "c300 b200");
	EXPECT(history(&linear, "", "base:head"), "d400 c300 b200 a100");
	EXPECT(history(&linear, "", "c300:a100"),
	       "error: requested range c300:a100 does not refer to ancestor/descendant revisions "
	       "along the same branch");
	EXPECT(history(&linear, "", "c300"),
	       "error: history range requires [start]:[end], [start]:, or :[end]");
	EXPECT(history(&branch, "", ":"), "top00007 merge006 feat0005 fix00004 feat0003 trunk002 base0001");
	EXPECT(history(&branch, "", "trunk002:feat0005"), "feat0005 feat0003 trunk002");
	EXPECT(history(&branch, "", "fix@base:fix@head"),
	       "top00007 merge006 feat0005 fix00004 feat0003 trunk002 base0001");
	EXPECT(history(&forked, "", "feature@base:feature@head"), "feat0005 feat0003 trunk002 base0001");
	EXPECT(history(&deps, "", "shop0001:shop0003"), "shop0003 shop0002 shop0001");
	/* Alembic keeps only descendants along parent links above the lower bound */
	EXPECT(history(&deps, "", "acct0002:shop0003"), "acct0002");
}
END_TEST

START_TEST(queries)
{
	unsigned out[16];
	size_t n;

	n = plan_graph_heads(&branch, out);
	EXPECT(render_list(&branch, out, n), "top00007");
	n = plan_graph_heads(&forked, out);
	EXPECT(render_list(&forked, out, n), "fix00004 feat0005");
	n = plan_graph_heads(&deps, out);
	EXPECT(render_list(&deps, out, n), "acct0003 shop0003");
	n = plan_branchpoints(&branch, out);
	EXPECT(render_list(&branch, out, n), "trunk002");
	n = plan_branchpoints(&deps, out);
	EXPECT(render_list(&deps, out, n), "");

	ck_assert(plan_is_ancestor(&branch, 0, 6));
	ck_assert(plan_is_ancestor(&branch, 3, 5));
	ck_assert(plan_is_ancestor(&branch, 4, 4));
	ck_assert(!plan_is_ancestor(&branch, 3, 4));
	ck_assert(!plan_is_ancestor(&branch, 6, 0));
	ck_assert(plan_is_ancestor(&deps, 2, 3));   /* through depends_on */
	ck_assert(plan_is_ancestor(&deps, 0, 5));
	ck_assert(!plan_is_ancestor(&deps, 1, 4));

	EXPECT(heads_of(&forked, "heads"), "fix00004 feat0005");
	EXPECT(heads_of(&forked, "base"), "");
	EXPECT(heads_of(&forked, "feat0003"), "feat0003");
	EXPECT(heads_of(&forked, "fix@head"), "fix00004");
	EXPECT(heads_of(&linear, "-1"), "c300");
	EXPECT(heads_of(&linear, "+1"), "a100");
	EXPECT(heads_of(&linear, "b200+1"), "c300");
	EXPECT(heads_of(&deps, "heads"), "acct0003 shop0003");
	EXPECT(heads_of(&forked, "head"),
	       MULTI " | hint: heads are 'fix00004', 'feat0005'; use 'heads' for all of them, "
	       "or 'LABEL@head' for one branch");
}
END_TEST

/* ---- scale ---------------------------------------------------------------- */

struct big {
	struct rt_revision *revs;
	unsigned *parent;
	char (*ids)[16];
	struct rt_set set;
};

/* n revisions; `lines` interleaved chains (revision i continues i - lines). */
static void big_init(struct big *b, unsigned n, unsigned lines)
{
	b->revs = calloc(n, sizeof *b->revs);
	b->parent = calloc(n, sizeof *b->parent);
	b->ids = calloc(n, sizeof *b->ids);
	ck_assert(b->revs && b->parent && b->ids);
	for (unsigned i = 0; i < n; i++) {
		struct rt_revision *r = &b->revs[i];
		snprintf(b->ids[i], sizeof b->ids[i], "r%08u", i);
		r->id = b->ids[i];
		r->message = r->create_date = r->sha256 = r->checksum = "";
		r->path = "versions/big.sql";
		r->upgrade.present = r->downgrade.present = 1;
		if (i >= lines) {
			b->parent[i] = i - lines;
			r->n_parents = 1;
			r->parents = &b->parent[i];
		}
	}
	b->set = (struct rt_set){ .format = RT_FORMAT, .generator = "test", .digest = "",
				  .n_revisions = n, .revisions = b->revs };
}

static void big_free(struct big *b)
{
	free(b->revs);
	free(b->parent);
	free(b->ids);
}

START_TEST(chain_100k)
{
	enum { N = 100000 };
	struct big b;
	struct plan p;
	struct rt_err err;
	unsigned head = N - 1, mid = N / 2;
	clock_t t0 = clock();

	big_init(&b, N, 1);
	ck_assert_int_eq(plan_upgrade(&b.set, NULL, 0, "heads", &p, &err), 0);
	ck_assert_uint_eq(p.n_steps, N);
	ck_assert_uint_eq(p.n_heads, 1);
	ck_assert_uint_eq(p.heads[0], head);
	ck_assert_int_eq(p.steps[1].ops[0].kind, VT_UPDATE);
	plan_free(&p);

	ck_assert_int_eq(plan_downgrade(&b.set, &head, 1, "base", &p, &err), 0);
	ck_assert_uint_eq(p.n_steps, N);
	ck_assert_uint_eq(p.n_heads, 0);
	plan_free(&p);

	ck_assert_int_eq(plan_downgrade(&b.set, &head, 1, "-3", &p, &err), 0);
	ck_assert_uint_eq(p.n_steps, 3);
	ck_assert_uint_eq(p.heads[0], N - 4);
	plan_free(&p);

	ck_assert_int_eq(plan_upgrade(&b.set, &mid, 1, "+1000", &p, &err), 0);
	ck_assert_uint_eq(p.n_steps, 1000);
	plan_free(&p);

	ck_assert_int_eq(plan_stamp(&b.set, &mid, 1, "r0009", false, &p, &err), -1);
	EXPECT(err.msg, "multiple revisions start with 'r0009': 'r00090000', 'r00090001', "
	       "'r00090002', ...");

	unsigned out[8];
	size_t n;
	ck_assert_int_eq(plan_history(&b.set, &mid, 1, "-2:current", out, &n, &err), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(plan_is_ancestor(&b.set, 0, head));
	ck_assert_msg(clock() - t0 < 5 * CLOCKS_PER_SEC, "too slow");
	big_free(&b);
}
END_TEST

START_TEST(two_chains_100k)
{
	enum { N = 100000 };
	struct big b;
	struct plan p;
	struct rt_err err;
	unsigned heads[2] = { N - 2, N - 1 };

	/* interleaved lines: every downgrade step asks what lies under the other head */
	big_init(&b, N, 2);
	ck_assert_int_eq(plan_downgrade(&b.set, heads, 2, "base", &p, &err), 0);
	ck_assert_uint_eq(p.n_steps, N);
	ck_assert_int_eq(p.steps[N - 1].ops[0].kind, VT_DELETE);
	plan_free(&p);
	ck_assert_int_eq(plan_upgrade(&b.set, NULL, 0, "heads", &p, &err), 0);
	ck_assert_uint_eq(p.n_heads, 2);
	plan_free(&p);
	big_free(&b);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("rt_plan");
	TCase *tc = tcase_create("plan");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, linear_upgrade);
	tcase_add_test(tc, linear_downgrade);
	tcase_add_test(tc, linear_relative);
	tcase_add_test(tc, names);
	tcase_add_test(tc, branch_full_upgrade);
	tcase_add_test(tc, head_vs_heads);
	tcase_add_test(tc, branch_labels);
	tcase_add_test(tc, merge_upgrade);
	tcase_add_test(tc, merge_downgrade);
	tcase_add_test(tc, branch_downgrade_one);
	tcase_add_test(tc, depends_upgrade);
	tcase_add_test(tc, depends_downgrade);
	tcase_add_test(tc, two_bases);
	tcase_add_test(tc, missing_downgrade);
	tcase_add_test(tc, stamp);
	tcase_add_test(tc, history_ranges);
	tcase_add_test(tc, queries);
	tcase_add_test(tc, chain_100k);
	tcase_add_test(tc, two_chains_100k);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plan_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
