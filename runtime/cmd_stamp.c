/*
 * cmd_stamp.c - `stamp TARGET [--purge] [--sql]`: set the version table
 * without running any migration (taking over an existing schema, or
 * repairing the table by hand)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "exec.h"
#include "fleet.h"
#include "guard.h"
#include "ledger.h"

enum { OPT_SQL = OPT_FIRST_COMMAND_OPTION, OPT_PURGE };

static const struct option options[] = {
	{ "sql", no_argument, NULL, OPT_SQL },
	{ "purge", no_argument, NULL, OPT_PURGE },
	GUARD_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static void help(const struct cli *c)
{
	printf("usage: %s stamp [--sql] [--purge] [safety options] TARGET [TARGET...]\n\n"
	       "Records TARGET in the version table without running migrations: the\n"
	       "revision replaces the current one on its own line of history, or is\n"
	       "added beside unrelated heads; several TARGETs stamp one per branch.\n"
	       "'stamp base' empties the table. Every\n"
	       "revision that becomes applied or not applied gets a row in the log.\n\n"
	       "  --sql    print the SQL instead of running it (TARGET may be START:END)\n"
	       "  --purge  delete every row first, even unknown revisions\n", c->prog);
	guard_help(stdout);
	cli_common_help(stdout);
}

int cmd_stamp(struct cli *c, int argc, char **argv)
{
	bool want_help = false, sql = false, purge = false;
	struct guard g = { 0 };
	struct guard_opts o;
	struct db *d = &g.d;
	struct plan p = { 0 };
	struct rt_err err;
	unsigned *heads = NULL;
	size_t n_heads = 0;
	bool exists = false, log_exists = true;
	char *by = NULL;
	int opt, rc;

	guard_opts_init(&o);
	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		int gr = guard_option(&o, c, "stamp", opt, optarg);
		if (gr < 0)
			return RT_EXIT_USAGE;
		if (gr > 0)
			continue;
		switch (opt) {
		case OPT_SQL:
			sql = true;
			break;
		case OPT_PURGE:
			purge = true;
			break;
		default:
			return cli_usage_error(c, "stamp", "bad option");
		}
	}
	if (want_help) {
		help(c);
		return RT_EXIT_OK;
	}
	if (optind == argc)
		return cli_usage_error(c, "stamp", "stamp needs a TARGET revision");
	if (optind != argc - 1 && sql)
		return cli_usage_error(c, "stamp", "stamp --sql takes one TARGET (or START:END)");
	/* Several targets, as Alembic's stamp takes them: one per branch. */
	char *joined = NULL;
	size_t jlen = 0;
	FILE *jf = open_memstream(&joined, &jlen);
	if (!jf)
		return RT_EXIT_FAIL;
	for (int i = optind; i < argc; i++)
		fprintf(jf, "%s%s", i > optind ? " " : "", argv[i]);
	if (fclose(jf) != 0) {
		free(joined);
		return RT_EXIT_FAIL;
	}
	const char *target = joined;

	if (sql) {
		const char *colon = strchr(target, ':');
		heads = malloc((c->set->n_revisions + 1) * sizeof(*heads));
		if (colon) {
			char *from = strndup(target, (size_t)(colon - target));
			rc = plan_heads_of(c->set, from, heads, &n_heads, &err);
			free(from);
			target = colon + 1;
			if (rc != 0) {
				rc = cli_plan_error(c, &err);
				goto out;
			}
		}
		rc = db_config(d, c);
		if (rc == RT_EXIT_OK)
			rc = vt_names_init(&d->vt, c, &d->cfg, NULL);
		if (rc != RT_EXIT_OK)
			goto out;
		exists = colon != NULL;
		log_exists = false;
		by = ledger_by_expr(false);
	} else {
		/* --purge is the way out of an unknown revision: it warns, then stamps. */
		c->unknown_warns = purge;
		rc = guard_open(&g, c, &o, purge ? GUARD_ALLOW_UNKNOWN : 0);
		if (rc != RT_EXIT_OK)
			goto out;
		heads = g.heads, n_heads = g.n_heads, exists = g.vt_exists;
		log_exists = !ledger_needs_create(&g.lg);
	}
	if (plan_stamp(c->set, heads, n_heads, target, purge, &p, &err) != 0) {
		rc = cli_plan_error(c, &err);
		goto out;
	}
	struct exec e = { .c = c, .db = sql ? NULL : d, .out = stdout, .vt = &d->vt,
			  .create_vt = !exists, .create_log = !log_exists, .by = sql ? by : g.by };
	if (purge && exists) {
		/* Unknown rows are not in heads[]: clear the table outright. */
		char q[1024];
		snprintf(q, sizeof(q), "DELETE FROM %s;", d->vt.qualified);
		if (sql)
			printf("%s\n\n", q);
		else if (!db_command(d, c, q)) {
			rc = RT_EXIT_SQL;
			goto out;
		}
		n_heads = 0;
	}
	rc = exec_stamp(&e, heads, n_heads, &p, NULL, true);
	if (!sql)
		rc = guard_finish(&g, c, rc);
	if (rc == RT_EXIT_OK && !sql) {
		FILE *info = cli_info(c);
		fprintf(info, "stamped ");
		for (size_t i = 0; i < p.n_heads; i++)
			fprintf(info, "%s%s", i ? ", " : "", c->set->revisions[p.heads[i]].id);
		fprintf(info, "%s\n", p.n_heads ? "" : "base");
	}
out:
	fleet_note_plan(&p, rc);
	plan_free(&p);
	free(joined);
	if (sql) {
		free(heads);
		free(by);
		db_close(d);
	} else {
		guard_close(&g);
	}
	return rc;
}
