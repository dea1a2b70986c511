/*
 * cmd_current.c - `current [--verbose] [--json]`: the database's revisions
 */
#include <stdlib.h>

#include "cli.h"
#include "db.h"
#include "fleet.h"
#include "json.h"
#include "ledger.h"
#include "report.h"

enum { OPT_VERBOSE = 'v', OPT_JSON = OPT_FIRST_COMMAND_OPTION };

static const struct option options[] = {
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/*
 * {"database", "version_table", "version_table_schema" ("": the search
 * path's), "version_table_exists", "current": [revision, ...]}
 */
static void print_json(const struct db *d, const struct report *r, const unsigned *heads,
		       size_t n_heads, bool exists)
{
	fputc('{', stdout);
	json_key(stdout, "database", true);
	json_str(stdout, d->target);
	json_key(stdout, "version_table", false);
	json_str(stdout, d->vt.table);
	json_key(stdout, "version_table_schema", false);
	json_str(stdout, d->vt.schema);
	json_key(stdout, "version_table_exists", false);
	fputs(exists ? "true" : "false", stdout);
	json_key(stdout, "current", false);
	fputc('[', stdout);
	for (size_t i = 0; i < n_heads; i++) {
		if (i)
			fputc(',', stdout);
		json_revision(stdout, r, heads[i]);
	}
	fputs("]}\n", stdout);
}

int cmd_current(struct cli *c, int argc, char **argv)
{
	bool want_help = false, verbose = false, json = false;
	struct db d = { 0 };
	unsigned *heads = NULL;
	size_t n_heads = 0;
	bool exists;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "v", options, &want_help)) != -1) {
		if (opt == OPT_VERBOSE)
			verbose = true;
		else if (opt == OPT_JSON)
			json = true;
		else
			return cli_usage_error(c, "current", "bad option");
	}
	if (want_help) {
		printf("usage: %s current [-v|--verbose] [--json]\n\n"
		       "Prints the revision(s) the database is at, one per line, as Alembic\n"
		       "does: the newest applied revision of each line of history (one\n"
		       "applied as another's dependency included), marked '(head)',\n"
		       "'(branchpoint)', '(mergepoint)'. Nothing is printed for an empty\n"
		       "database. --json prints one object with the version table's rows\n"
		       "(docs/commands.md, \"--json\").\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "current", "current takes no arguments");

	int rc = db_open_heads(&d, c, &heads, &n_heads, &exists);
	if (rc == RT_EXIT_OK)
		cli_rows_warning(c, heads, n_heads);
	/* Over a fleet, current is the dashboard: a dirty target must show (docs/fleet.md). */
	if (rc == RT_EXIT_OK && fleet_child())
		rc = ledger_verify_dirty(&d, c);
	if (rc == RT_EXIT_OK) {
		struct report r;
		if (verbose && !json)
			printf("Current revision(s) for %s:\n", d.target);
		if (report_init(&r, c->set) != 0) {
			cli_error(c, "out of memory");
			rc = RT_EXIT_FAIL;
		} else if (json) {
			print_json(&d, &r, heads, n_heads, exists);
			report_free(&r);
		} else {
			/*
			 * Alembic's get_all_current: the tips of what the rows
			 * imply, so a revision applied as a dependency shows too.
			 */
			unsigned *all = malloc((c->set->n_revisions + 1) * sizeof(*all));
			size_t n_all = all ? report_all_current(c->set, heads, n_heads, all) : 0;
			for (size_t i = 0; i < n_all; i++) {
				if (verbose)
					report_entry(stdout, &r, all[i]);
				else
					report_line(stdout, &r, all[i], REPORT_TREE);
			}
			free(all);
			report_free(&r);
		}
	}
	free(heads);
	db_close(&d);
	return rc;
}
