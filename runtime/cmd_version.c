/*
 * cmd_version.c - `version`: what this binary is and what it carries
 */
#include <libpq-fe.h>
#include <stdlib.h>

#include "buildinfo.h"
#include "cli.h"
#include "plan.h"

int cmd_version(struct cli *c, int argc, char **argv)
{
	const struct rt_set *s = c->set;
	bool want_help = false;

	if (cli_getopt(c, argc, argv, "", NULL, &want_help) != -1)
		return cli_usage_error(c, "version", "bad option");
	if (want_help) {
		printf("usage: %s version\n\nPrints the release, the build date, the digest of the\n"
		       "embedded migrations, their heads and count, and the versions of the\n"
		       "generator and libpq.\n", c->prog);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "version", "version takes no arguments");

	unsigned *heads = malloc((s->n_revisions + 1) * sizeof(*heads));
	if (!heads)
		return RT_EXIT_FAIL;
	size_t n = plan_graph_heads(s, heads);
	int pq = PQlibVersion();

	printf("release:    %s\nbuilt:      %s\ndigest:     %s\nrevisions:  %u\nheads:      ",
	       rt_release, rt_build_date, s->digest, s->n_revisions);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", s->revisions[heads[i]].id);
	printf("%s\ngenerator:  %s\nlibpq:      %d.%d\n", n ? "" : "(none)", s->generator,
	       pq / 10000, pq % 10000);
	free(heads);
	return RT_EXIT_OK;
}
