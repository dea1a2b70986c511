/*
 * cmd_current.c - `current [--verbose]`: the database's revisions
 */
#include <stdlib.h>

#include "cli.h"
#include "db.h"
#include "report.h"

enum { OPT_VERBOSE = 'v' };

static const struct option options[] = {
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ NULL, 0, NULL, 0 },
};

int cmd_current(struct cli *c, int argc, char **argv)
{
	bool want_help = false, verbose = false;
	struct db d = { 0 };
	unsigned *heads = NULL;
	size_t n_heads = 0;
	bool exists;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "v", options, &want_help)) != -1) {
		if (opt != OPT_VERBOSE)
			return cli_usage_error(c, "current", "bad option");
		verbose = true;
	}
	if (want_help) {
		printf("usage: %s current [-v|--verbose]\n\n"
		       "Prints the revision(s) the database is at, one per line, marked\n"
		       "'(head)' when nothing follows them. Nothing is printed for an\n"
		       "empty database.\n", c->prog);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "current", "current takes no arguments");

	int rc = db_open_heads(&d, c, &heads, &n_heads, &exists);
	if (rc == RT_EXIT_OK) {
		struct report r;
		if (verbose)
			fprintf(stderr, "Current revision(s) for %s:\n", d.target);
		if (report_init(&r, c->set) == 0) {
			for (size_t i = 0; i < n_heads; i++) {
				if (verbose)
					report_entry(stdout, &r, heads[i]);
				else
					report_line(stdout, &r, heads[i], 0);
			}
			report_free(&r);
		}
	}
	free(heads);
	db_close(&d);
	return rc;
}
