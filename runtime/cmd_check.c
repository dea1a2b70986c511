/*
 * cmd_check.c - `check`: is the database at the heads?
 *
 * For deploy gates and readiness probes: exit 0 when nothing is pending,
 * RT_EXIT_BEHIND with the pending revisions listed, RT_EXIT_UNKNOWN when the
 * database is at a revision this migrator does not carry.
 */
#include <stdlib.h>

#include "cli.h"
#include "db.h"
#include "json.h"
#include "ledger.h"
#include "report.h"

enum { OPT_JSON = OPT_FIRST_COMMAND_OPTION };

static const struct option options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/*
 * {"status": "up_to_date" | "pending" | "unknown_revision", "database",
 * "current": [id, ...], "heads": [id, ...], "pending": [revision, ...]}
 */
static int print_json(const struct cli *c, const struct db *d, const char *status,
		      const unsigned *cur, size_t n_cur, const struct plan *p)
{
	const struct rt_set *s = c->set;
	unsigned *heads = malloc((s->n_revisions + 1) * sizeof(*heads));
	struct report r;

	if (!heads || report_init(&r, s) != 0) {
		free(heads);
		cli_error(c, "out of memory");
		return -1;
	}
	fputc('{', stdout);
	json_key(stdout, "status", true);
	json_str(stdout, status);
	json_key(stdout, "database", false);
	json_str(stdout, d->target);
	json_key(stdout, "current", false);
	json_ids(stdout, s, cur, n_cur);
	json_key(stdout, "heads", false);
	json_ids(stdout, s, heads, plan_graph_heads(s, heads));
	json_key(stdout, "pending", false);
	fputc('[', stdout);
	for (size_t i = 0; p && i < p->n_steps; i++) {
		if (i)
			fputc(',', stdout);
		json_revision(stdout, &r, p->steps[i].rev);
	}
	fputs("]}\n", stdout);
	report_free(&r);
	free(heads);
	return 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	bool want_help = false, json = false;
	struct db d = { 0 };
	struct plan p = { 0 };
	struct rt_err err;
	unsigned *heads = NULL;
	size_t n_heads = 0;
	bool exists;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		if (opt != OPT_JSON)
			return cli_usage_error(c, "check", "bad option");
		json = true;
	}
	if (want_help) {
		printf("usage: %s check [--json]\n\n"
		       "Exits %d when the database is at the heads, %d when revisions are\n"
		       "pending (listed on stdout), %d when it is at a revision this migrator\n"
		       "does not know; %d, %d or %d when the history log shows an edited,\n"
		       "dirty or never-run revision. --json prints one object (docs/commands.md, \"--json\").\n",
		       c->prog, RT_EXIT_OK, RT_EXIT_BEHIND, RT_EXIT_UNKNOWN, RT_EXIT_CHECKSUM,
		       RT_EXIT_DIRTY, RT_EXIT_NEVER_RAN);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "check", "check takes no arguments");

	int rc = db_open_heads(&d, c, &heads, &n_heads, &exists);
	/* Still one object for the dashboard; the message went to stderr. */
	if (rc == RT_EXIT_UNKNOWN && json &&
	    print_json(c, &d, "unknown_revision", heads, n_heads, NULL) != 0)
		rc = RT_EXIT_FAIL;
	if (rc != RT_EXIT_OK)
		goto out;
	/* A dirty revision or an edited applied one is not "up to date". */
	rc = ledger_verify(&d, c, heads, n_heads);
	if (rc != RT_EXIT_OK)
		goto out;
	if (plan_upgrade(c->set, heads, n_heads, "heads", &p, &err) != 0) {
		rc = cli_plan_error(c, &err);
		goto out;
	}
	if (json) {
		if (print_json(c, &d, p.n_steps ? "pending" : "up_to_date", heads, n_heads, &p) != 0)
			rc = RT_EXIT_FAIL;
		else if (p.n_steps)
			rc = RT_EXIT_BEHIND;
		goto out;
	}
	if (p.n_steps == 0) {
		printf("up to date: the database is at the heads\n");
		goto out;
	}
	printf("%zu pending revision%s:\n", p.n_steps, p.n_steps == 1 ? "" : "s");
	for (size_t i = 0; i < p.n_steps; i++) {
		const struct rt_revision *r = &c->set->revisions[p.steps[i].rev];
		printf("  %s, %s\n", r->id, r->message);
	}
	rc = RT_EXIT_BEHIND;
out:
	plan_free(&p);
	free(heads);
	db_close(&d);
	return rc;
}
