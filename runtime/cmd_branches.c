/*
 * cmd_branches.c - `branches [--verbose]`: each branch point and where it
 * leads, in Alembic's layout
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

enum { OPT_VERBOSE = 'v' };

static const struct option options[] = {
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ NULL, 0, NULL, 0 },
};

int cmd_branches(struct cli *c, int argc, char **argv)
{
	const struct rt_set *s = c->set;
	bool want_help = false, verbose = false;
	struct report r;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "v", options, &want_help)) != -1) {
		if (opt != OPT_VERBOSE)
			return cli_usage_error(c, "branches", "bad option");
		verbose = true;
	}
	if (want_help) {
		printf("usage: %s branches [-v|--verbose]\n\n"
		       "Prints every branch point, newest first, with the revisions it\n"
		       "branches into.\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "branches", "branches takes no arguments");
	if (report_init(&r, s) != 0)
		return RT_EXIT_FAIL;

	for (unsigned k = s->n_revisions; k-- > 0;) {
		if (!r.is_branchpoint[k])
			continue;
		if (verbose)
			report_entry(stdout, &r, k);
		else
			report_line(stdout, &r, k, REPORT_BRANCHES | REPORT_TREE);
		for (unsigned j = r.kid_off[k]; j < r.kid_off[k + 1]; j++) {
			printf("%*s -> ", (int)strlen(s->revisions[k].id), "");
			report_line(stdout, &r, r.kids[j],
				    REPORT_BRANCHES | REPORT_TREE | (verbose ? REPORT_DOC : 0));
		}
		putchar('\n');
	}
	report_free(&r);
	return RT_EXIT_OK;
}
