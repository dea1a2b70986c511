/*
 * cmd_show.c - `show REV`: a revision's metadata, then the SQL it runs
 * (several for 'heads' or 'current', as `alembic show` prints them)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
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

static void show_one(const struct report *r, unsigned ix)
{
	const struct rt_revision *rev = &r->s->revisions[ix];

	report_entry(stdout, r, ix);
	printf("SHA-256: %s\nChecksum: %s\n\n", rev->sha256, rev->checksum);
	show_script("upgrade", rev, &rev->upgrade);
	putchar('\n');
	show_script("downgrade", rev, &rev->downgrade);
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	bool want_help = false;
	struct rt_err err;
	struct report r;
	struct db d = { 0 };
	unsigned *list = NULL;
	size_t n = 0;
	int rc = RT_EXIT_OK;

	if (cli_getopt(c, argc, argv, "", NULL, &want_help) != -1)
		return cli_usage_error(c, "show", "bad option");
	if (want_help) {
		printf("usage: %s show REV\n\n"
		       "Prints REV's metadata (as 'history --verbose' does), its checksums and\n"
		       "the SQL of its upgrade and downgrade, with source lines. REV is an id,\n"
		       "a unique prefix, a label, LABEL@head, 'head', 'heads' (each of them),\n"
		       "or 'current': the database's revisions (connects to it).\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc - 1)
		return cli_usage_error(c, "show", "show takes exactly one revision");
	const char *name = argv[optind];
	if (strcmp(name, "current") == 0) {
		bool exists;
		rc = db_open_heads(&d, c, &list, &n, &exists);
		if (rc != RT_EXIT_OK)
			goto out;
	} else {
		list = malloc((c->set->n_revisions + 1) * sizeof(*list));
		if (!list) {
			rc = RT_EXIT_FAIL;
			goto out;
		}
		if (plan_heads_of(c->set, name, list, &n, &err) != 0) {
			rc = cli_plan_error(c, &err);
			goto out;
		}
		if (n == 0) {
			snprintf(err.msg, sizeof(err.msg), "'%s' names no revision", name);
			snprintf(err.hint, sizeof(err.hint), "name a revision that 'history' lists");
			rc = cli_plan_error(c, &err);
			goto out;
		}
	}
	if (report_init(&r, c->set) != 0) {
		rc = RT_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		show_one(&r, list[i]);
	}
	report_free(&r);
out:
	free(list);
	db_close(&d);
	return rc;
}
