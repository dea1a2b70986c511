/*
 * cmd_show.c - `show REV`: a revision's metadata, then the SQL it runs
 */
#include <string.h>

#include "cli.h"
#include "plan.h"
#include "report.h"

static void show_script(const char *title, const struct rt_revision *rev, const struct rt_script *sc)
{
	printf("-- %s", title);
	if (!sc->present) {
		printf(": none (this revision cannot be downgraded)\n");
		return;
	}
	printf("%s\n", rev->transactional ? "" : " (not transactional)");
	for (unsigned i = 0; i < sc->n_stmts; i++) {
		const struct rt_stmt *st = &sc->stmts[i];
		size_t n = strlen(st->sql);
		printf("-- %s:%u\n%s%s\n", rev->path, st->line, st->sql,
		       n && st->sql[n - 1] == ';' ? "" : ";");
	}
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	bool want_help = false;
	struct rt_err err;
	struct report r;
	unsigned ix;

	if (cli_getopt(c, argc, argv, "", NULL, &want_help) != -1)
		return cli_usage_error(c, "show", "bad option");
	if (want_help) {
		printf("usage: %s show REV\n\n"
		       "Prints REV's metadata (as 'history --verbose' does), its checksums and\n"
		       "the SQL of its upgrade and downgrade, with source lines.\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc - 1)
		return cli_usage_error(c, "show", "show takes exactly one revision");
	const char *name = argv[optind];
	if (strcmp(name, "head") == 0 || strcmp(name, "heads") == 0) {
		unsigned heads[2];
		if (c->set->n_revisions == 0 || plan_graph_heads(c->set, heads) != 1) {
			snprintf(err.msg, sizeof(err.msg), "'%s' does not name a single revision here", name);
			snprintf(err.hint, sizeof(err.hint), "name one of the heads '%s heads' lists", c->prog);
			return cli_plan_error(c, &err);
		}
		ix = heads[0];
	} else if (plan_find(c->set, name, &ix, &err) != 0) {
		return cli_plan_error(c, &err);
	}
	if (report_init(&r, c->set) != 0)
		return RT_EXIT_FAIL;
	report_entry(stdout, &r, ix);
	report_free(&r);

	const struct rt_revision *rev = &c->set->revisions[ix];
	printf("SHA-256: %s\nChecksum: %s\n\n", rev->sha256, rev->checksum);
	show_script("upgrade", rev, &rev->upgrade);
	putchar('\n');
	show_script("downgrade", rev, &rev->downgrade);
	return RT_EXIT_OK;
}
