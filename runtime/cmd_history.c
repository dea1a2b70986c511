/*
 * cmd_history.c - `history [-v] [-r RANGE] [-i] [--json]`, newest first, as Alembic
 * prints it. Reads the database only for -i or a range that says "current".
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "json.h"
#include "report.h"

enum {
	OPT_VERBOSE = 'v',
	OPT_RANGE = 'r',
	OPT_INDICATE = 'i',
	OPT_JSON = OPT_FIRST_COMMAND_OPTION,
};

static const struct option options[] = {
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "rev-range", required_argument, NULL, OPT_RANGE },
	{ "indicate-current", no_argument, NULL, OPT_INDICATE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

int cmd_history(struct cli *c, int argc, char **argv)
{
	bool want_help = false, verbose = false, indicate = false, json = false;
	const char *range = ":";
	struct db d = { 0 };
	struct report r;
	struct rt_err err;
	unsigned *heads = NULL, *list = NULL;
	size_t n_heads = 0, n_list = 0;
	int opt, rc = RT_EXIT_OK;

	while ((opt = cli_getopt(c, argc, argv, "vr:i", options, &want_help)) != -1) {
		switch (opt) {
		case OPT_VERBOSE:
			verbose = true;
			break;
		case OPT_RANGE:
			range = optarg;
			break;
		case OPT_INDICATE:
			indicate = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		default:
			return cli_usage_error(c, "history", "bad option");
		}
	}
	if (want_help) {
		printf("usage: %s history [-v|--verbose] [-r|--rev-range A:B] [-i|--indicate-current] [--json]\n\n"
		       "Lists revisions newest first. A range takes revisions, 'base', 'head',\n"
		       "'heads', 'current', and -N/+N around current; either side may be empty.\n"
		       "-i marks the database's revisions '(current)' (connects to it).\n"
		       "--json prints {\"revisions\": [revision, ...]} (docs/commands.md, \"--json\").\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "history", "history takes no arguments");
	if (!strchr(range, ':'))
		return cli_usage_error(c, "history", "history range requires [start]:[end], [start]:, or :[end]");

	list = malloc((c->set->n_revisions + 1) * sizeof(*list));
	if (indicate || strstr(range, "current")) {
		bool exists;
		/* Alembic still prints the history; the unknown row is left unmarked. */
		c->unknown_warns = indicate && !strstr(range, "current");
		rc = db_open_heads(&d, c, &heads, &n_heads, &exists);
		if (rc == RT_EXIT_UNKNOWN && c->unknown_warns)
			rc = RT_EXIT_OK;
		if (rc != RT_EXIT_OK)
			goto out;
		cli_rows_warning(c, heads, n_heads);
	}
	if (plan_history(c->set, heads, n_heads, range, list, &n_list, &err) != 0) {
		rc = cli_plan_error(c, &err);
		goto out;
	}
	if (report_init(&r, c->set) != 0) {
		rc = RT_EXIT_FAIL;
		goto out;
	}
	if (indicate)
		report_set_current(&r, heads, n_heads);
	if (json) {
		json_revisions(stdout, "revisions", &r, list, n_list);
	} else {
		for (size_t i = 0; i < n_list; i++) {
			if (verbose)
				report_entry(stdout, &r, list[i]);
			else
				report_line(stdout, &r, list[i],
					    REPORT_PARENTS | REPORT_BRANCHES | REPORT_DOC | REPORT_TREE);
		}
	}
	report_free(&r);
out:
	free(list);
	free(heads);
	db_close(&d);
	return rc;
}
