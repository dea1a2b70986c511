/*
 * cmd_resolve.c - `resolve --applied REV` / `resolve --not-applied REV`:
 * record how a dirty revision ended
 *
 * A `Transactional: false` revision that failed part-way left some of its
 * statements applied, and every writing run refuses to go on until someone
 * has looked. After finishing or undoing its work by hand, the operator
 * says which it is: --applied puts the revision in the version table (as
 * its upgrade would have), --not-applied takes it out (as its downgrade
 * would have). A log row records the decision and clears the dirty state.
 *
 * The same `resolve --applied REV` records a revision that the version table
 * counts as applied but that never ran (ledger_check_never_ran), once its
 * statements were applied by hand.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exec.h"
#include "guard.h"
#include "ledger.h"

enum { OPT_APPLIED = OPT_FIRST_COMMAND_OPTION, OPT_NOT_APPLIED };

static const struct option options[] = {
	{ "applied", no_argument, NULL, OPT_APPLIED },
	{ "not-applied", no_argument, NULL, OPT_NOT_APPLIED },
	GUARD_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static void help(const struct cli *c)
{
	printf("usage: %s resolve (--applied | --not-applied) REV [safety options]\n\n"
	       "Records how a dirty revision ended: one that runs outside a transaction\n"
	       "(Transactional: false) and failed or was killed part-way. Finish or\n"
	       "undo its work by hand first; then --applied records it as applied,\n"
	       "--not-applied as not applied, in the version table and the history log.\n"
	       "--applied also records a revision that the version table counts as\n"
	       "applied but that never ran (exit %d), once its statements were applied\n"
	       "by hand.\n", c->prog, RT_EXIT_NEVER_RAN);
	guard_help(stdout);
	cli_common_help(stdout);
}

/* The version table for the applied set `applied`: its maximal revisions. */
static size_t heads_of(const struct rt_set *s, const bool *applied, unsigned *out)
{
	return plan_tips(s, applied, out);
}

int cmd_resolve(struct cli *c, int argc, char **argv)
{
	const struct rt_set *s = c->set;
	bool want_help = false;
	int mode = 0, opt;
	struct guard_opts o;
	struct guard g = { 0 };

	guard_opts_init(&o);
	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		int gr = guard_option(&o, c, "resolve", opt, optarg);
		if (gr < 0)
			return RT_EXIT_USAGE;
		if (gr > 0)
			continue;
		if (opt != OPT_APPLIED && opt != OPT_NOT_APPLIED)
			return cli_usage_error(c, "resolve", "bad option");
		if (mode && mode != opt)
			return cli_usage_error(c, "resolve", "--applied and --not-applied exclude each other");
		mode = opt;
	}
	if (want_help) {
		help(c);
		return RT_EXIT_OK;
	}
	if (!mode)
		return cli_usage_error(c, "resolve", "say how the revision ended: --applied or --not-applied");
	if (optind != argc - 1)
		return cli_usage_error(c, "resolve", "resolve takes exactly one revision");

	unsigned ix;
	struct rt_err err;
	if (plan_find(s, argv[optind], &ix, &err) != 0)
		return cli_plan_error(c, &err);
	const struct rt_revision *r = &s->revisions[ix];

	bool *applied = NULL;
	unsigned *heads = NULL;
	char *row = NULL;
	int rc = guard_open(&g, c, &o, GUARD_ALLOW_DIRTY);
	if (rc != RT_EXIT_OK)
		goto out;
	const struct ledger_row *lr = g.lg.exists ? &g.lg.rows[ix] : NULL;
	bool never_ran = !ledger_is_dirty(lr) && ledger_never_ran(s, &g.lg, g.heads, g.n_heads, ix);
	if (!ledger_is_dirty(lr) && !never_ran) {
		cli_error(c, "revision '%s' is not dirty: there is nothing to resolve", r->id);
		cli_hint("'stamp' sets the version table by hand");
		rc = RT_EXIT_REVISION;
		goto out;
	}
	/* The version table cannot hold a revision's descendants without it. */
	if (never_ran && mode != OPT_APPLIED) {
		cli_error(c, "revision '%s' cannot be recorded as not applied: revisions above it "
			  "are applied", r->id);
		cli_hint("apply its statements by hand, then '%s resolve --applied %s'", c->prog, r->id);
		rc = RT_EXIT_REVISION;
		goto out;
	}
	applied = ledger_applied(s, g.heads, g.n_heads);
	heads = malloc((s->n_revisions + 1) * sizeof(*heads));
	if (!applied || !heads) {
		cli_error(c, "out of memory");
		rc = RT_EXIT_FAIL;
		goto out;
	}
	/* Its parents ran before it; its children cannot have run after a failure. */
	applied[ix] = mode == OPT_APPLIED;
	struct plan p = { .heads = heads, .n_heads = heads_of(s, applied, heads) };

	size_t len = 0;
	FILE *fp = open_memstream(&row, &len);
	char detail[1200];
	if (never_ran)
		snprintf(detail, sizeof(detail), "never ran by this tool, though counted as applied");
	else
		snprintf(detail, sizeof(detail), "after %s %s: %s",
			 strcmp(lr->status, "running") == 0 ? "an interrupted" : "a failed",
			 strcmp(lr->direction, "down") == 0 ? "downgrade" : "upgrade", lr->detail);
	struct ledger_entry en = {
		.rev = r, .direction = "resolve",
		.status = mode == OPT_APPLIED ? "applied" : "not-applied", .detail = detail,
	};
	ledger_write_insert(fp, &g.d.vt, g.by, &en);
	fclose(fp);

	struct exec e = {
		.c = c, .db = &g.d, .vt = &g.d.vt, .create_vt = !g.vt_exists,
		.create_log = ledger_needs_create(&g.lg), .by = g.by,
	};
	rc = guard_finish(&g, c, exec_stamp(&e, g.heads, g.n_heads, &p, row, false));
	if (rc == RT_EXIT_OK) {
		fprintf(cli_info(c), "resolved '%s' as %s; ", r->id,
			mode == OPT_APPLIED ? "applied" : "not applied");
		guard_say_where(cli_info(c), c, p.heads, p.n_heads);
	}
out:
	free(row);
	free(heads);
	free(applied);
	guard_close(&g);
	return rc;
}
