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

int cmd_check(struct cli *c, int argc, char **argv)
{
	bool want_help = false;
	struct db d = { 0 };
	struct plan p = { 0 };
	struct rt_err err;
	unsigned *heads = NULL;
	size_t n_heads = 0;
	bool exists;

	if (cli_getopt(c, argc, argv, "", NULL, &want_help) != -1)
		return cli_usage_error(c, "check", "bad option");
	if (want_help) {
		printf("usage: %s check\n\n"
		       "Exits %d when the database is at the heads, %d when revisions are\n"
		       "pending (listed on stdout), %d when it is at a revision this migrator\n"
		       "does not know.\n", c->prog, RT_EXIT_OK, RT_EXIT_BEHIND, RT_EXIT_UNKNOWN);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "check", "check takes no arguments");

	int rc = db_open_heads(&d, c, &heads, &n_heads, &exists);
	if (rc != RT_EXIT_OK)
		goto out;
	if (plan_upgrade(c->set, heads, n_heads, "heads", &p, &err) != 0) {
		rc = cli_plan_error(c, &err);
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
