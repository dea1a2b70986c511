/*
 * cmd_version.c - `version [--json]`: what this binary is and what it carries
 */
#include <libpq-fe.h>
#include <stdlib.h>

#include "buildinfo.h"
#include "cli.h"
#include "json.h"
#include "plan.h"

enum { OPT_JSON = OPT_FIRST_COMMAND_OPTION };

static const struct option options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ NULL, 0, NULL, 0 },
};

/* The release build (make release, toolchain.cmake) links no Kerberos or LDAP. */
#ifdef RT_STATIC_BUILD
static const bool linked_static = true;
#else
static const bool linked_static = false;
#endif

static void print_json(const struct rt_set *s, const unsigned *heads, size_t n, int pq)
{
	char libpq[32];

	snprintf(libpq, sizeof(libpq), "%d.%d", pq / 10000, pq % 10000);
	fputc('{', stdout);
	json_key(stdout, "release", true);
	json_str(stdout, rt_release);
	json_key(stdout, "build_date", false);
	json_str(stdout, rt_build_date);
	json_key(stdout, "digest", false);
	json_str(stdout, s->digest);
	json_key(stdout, "revisions", false);
	printf("%u", s->n_revisions);
	json_key(stdout, "heads", false);
	json_ids(stdout, s, heads, n);
	json_key(stdout, "generator", false);
	json_str(stdout, s->generator);
	json_key(stdout, "format", false);
	printf("%u", s->format);
	json_key(stdout, "libpq", false);
	json_str(stdout, libpq);
	json_key(stdout, "static", false);
	fputs(linked_static ? "true" : "false", stdout);
	fputs("}\n", stdout);
}

int cmd_version(struct cli *c, int argc, char **argv)
{
	const struct rt_set *s = c->set;
	bool want_help = false, json = false;
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		if (opt != OPT_JSON)
			return cli_usage_error(c, "version", "bad option");
		json = true;
	}
	if (want_help) {
		printf("usage: %s version [--json]\n\nPrints the release, the build date, the digest of the\n"
		       "embedded migrations, their heads and count, and the versions of the\n"
		       "generator and libpq. --json prints one JSON object instead.\n", c->prog);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "version", "version takes no arguments");

	unsigned *heads = malloc((s->n_revisions + 1) * sizeof(*heads));
	if (!heads)
		return RT_EXIT_FAIL;
	size_t n = plan_graph_heads(s, heads);
	int pq = PQlibVersion();

	if (json) {
		print_json(s, heads, n, pq);
		free(heads);
		return RT_EXIT_OK;
	}
	printf("release:    %s\nbuilt:      %s\ndigest:     %s\nrevisions:  %u\nheads:      ",
	       rt_release, rt_build_date, s->digest, s->n_revisions);
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", s->revisions[heads[i]].id);
	printf("%s\ngenerator:  %s\nlibpq:      %d.%d%s\n", n ? "" : "(none)", s->generator,
	       pq / 10000, pq % 10000, linked_static ? " (static: no GSSAPI, no LDAP)" : "");
	free(heads);
	return RT_EXIT_OK;
}
