/*
 * cmd_heads.c - `heads [--verbose] [--resolve-dependencies] [--json]`: the
 * newest revision of each branch, as `alembic heads` lists them
 */
#include <stdlib.h>

#include "cli.h"
#include "json.h"
#include "report.h"

enum { OPT_VERBOSE = 'v', OPT_JSON = OPT_FIRST_COMMAND_OPTION, OPT_RESOLVE };

static const struct option options[] = {
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "resolve-dependencies", no_argument, NULL, OPT_RESOLVE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

int cmd_heads(struct cli *c, int argc, char **argv)
{
	bool want_help = false, verbose = false, json = false, resolve = false;
	struct report r;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "v", options, &want_help)) != -1) {
		if (opt == OPT_VERBOSE)
			verbose = true;
		else if (opt == OPT_JSON)
			json = true;
		else if (opt == OPT_RESOLVE)
			resolve = true;
		else
			return cli_usage_error(c, "heads", "bad option");
	}
	if (want_help) {
		printf("usage: %s heads [-v|--verbose] [--resolve-dependencies] [--json]\n\n"
		       "Prints the heads of the embedded migrations, with branch labels: the\n"
		       "revisions nothing revises, '(effective head)' for one that others\n"
		       "only depend on. --resolve-dependencies leaves those out.\n"
		       "--json prints {\"heads\": [revision, ...]} (docs/commands.md, \"--json\").\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "heads", "heads takes no arguments");

	unsigned *heads = malloc((c->set->n_revisions + 1) * sizeof(*heads));
	if (!heads || report_init(&r, c->set) != 0) {
		free(heads);
		return RT_EXIT_FAIL;
	}
	size_t n = 0;
	for (unsigned x = 0; x < c->set->n_revisions; x++)
		if (r.is_head[x] || (!resolve && r.is_effective[x]))
			heads[n++] = x;
	if (json) {
		json_revisions(stdout, "heads", &r, heads, n);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (verbose)
				report_entry(stdout, &r, heads[i]);
			else
				report_line(stdout, &r, heads[i], REPORT_BRANCHES);
		}
	}
	report_free(&r);
	free(heads);
	return RT_EXIT_OK;
}
