/*
 * cmd_upgrade.c - `upgrade TARGET` and `downgrade TARGET`, online or --sql
 *
 * The two directions share everything but the planner, so they share this
 * file. Offline (--sql) the script goes to stdout and no database is
 * touched; a range "A:B" starts from A instead of from base (downgrade
 * requires one, as in Alembic, since there is no database to start from).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "exec.h"
#include "fleet.h"
#include "guard.h"
#include "ledger.h"

enum { OPT_SQL = OPT_FIRST_COMMAND_OPTION, OPT_PER_MIGRATION, OPT_VERBOSE = 'v' };

static const struct option options[] = {
	{ "sql", no_argument, NULL, OPT_SQL },
	{ "transaction-per-migration", no_argument, NULL, OPT_PER_MIGRATION },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	GUARD_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static void help(const struct cli *c, bool up)
{
	printf("usage: %s %s [--sql] [--transaction-per-migration] [-v] [safety options] TARGET\n\n", c->prog,
	       up ? "upgrade" : "downgrade");
	if (up)
		puts("Runs every revision up to TARGET that the database lacks, oldest first.\n"
		     "TARGET: head, heads, an id or unique prefix, LABEL@head, +N, REV+N.");
	else
		puts("Reverts revisions above TARGET, newest first.\n"
		     "TARGET: base, an id or unique prefix, -N, LABEL@-N, LABEL@base.");
	puts("\nBy default the whole run is one transaction: the database ends where it\n"
	     "started or at TARGET. Revisions marked 'Transactional: false' run outside\n"
	     "any transaction, between the transactional parts around them.\n\n"
	     "  --sql                        print the SQL script instead of running it\n"
	     "                               (TARGET may be START:END)\n"
	     "  --transaction-per-migration  commit after each revision\n"
	     "  -v, --verbose                name each statement (file:line:col) as it starts");
	guard_help(stdout);
	cli_common_help(stdout);
}

static int offline(struct cli *c, bool up, const char *target, bool per_migration)
{
	const char *colon = strchr(target, ':');
	unsigned *start = malloc((c->set->n_revisions + 1) * sizeof(*start));
	size_t n_start = 0;
	struct db d = { 0 };
	struct rt_err err;
	struct plan p = { 0 };
	int rc;

	if (!up && !colon) {
		free(start);
		return cli_usage_error(c, "downgrade",
				       "downgrade with --sql requires START:END, e.g. 'head:base'");
	}
	if (colon) {
		char *from = strndup(target, (size_t)(colon - target));
		rc = plan_heads_of(c->set, from, start, &n_start, &err);
		free(from);
		target = colon + 1;
		if (rc != 0) {
			free(start);
			return cli_plan_error(c, &err);
		}
	}
	rc = (up ? plan_upgrade : plan_downgrade)(c->set, start, n_start, target, &p, &err);
	if (rc != 0) {
		free(start);
		plan_free(&p);
		return cli_plan_error(c, &err);
	}
	rc = db_config(&d, c);
	if (rc == RT_EXIT_OK)
		rc = vt_names_init(&d.vt, c, &d.cfg, NULL);
	if (rc == RT_EXIT_OK) {
		/* The log table is created if absent, whatever the range. */
		char *by = ledger_by_expr(false);
		struct exec e = {
			.c = c, .out = stdout, .vt = &d.vt, .per_migration = per_migration,
			.create_vt = up && !colon, .create_log = true, .by = by,
		};
		rc = exec_plan(&e, &p);
		free(by);
	}
	db_close(&d);
	plan_free(&p);
	free(start);
	return rc;
}

static int online(struct cli *c, bool up, const char *target, bool per_migration,
		  bool verbose, const struct guard_opts *o)
{
	struct guard g;
	struct plan p = { 0 };
	struct rt_err err;

	int rc = guard_open(&g, c, o, 0);
	if (rc != RT_EXIT_OK)
		goto out;
	/* Planned from the version table as read under the lock. */
	if ((up ? plan_upgrade : plan_downgrade)(c->set, g.heads, g.n_heads, target, &p, &err) != 0) {
		rc = cli_plan_error(c, &err);
		goto out;
	}
	if (p.n_steps == 0) {
		fprintf(cli_info(c), "nothing to do: ");
		guard_say_where(cli_info(c), c, g.heads, g.n_heads);
		/* Still a writing run: it vouches for the log when it can (ledger.h). */
		rc = guard_finish(&g, c, RT_EXIT_OK);
		goto out;
	}
	rc = ledger_check_downgrades(c, &g.lg, &p, o->ignore_checksums);
	if (rc != RT_EXIT_OK)
		goto out;
	struct exec e = {
		.c = c, .db = &g.d, .vt = &g.d.vt, .per_migration = per_migration,
		.create_vt = !g.vt_exists, .create_log = ledger_needs_create(&g.lg), .by = g.by,
		.verbose = verbose,
	};
	rc = guard_finish(&g, c, exec_plan(&e, &p));
out:
	fleet_note_plan(&p, rc);
	plan_free(&p);
	guard_close(&g);
	return rc;
}

static int run(struct cli *c, int argc, char **argv, bool up)
{
	const char *name = up ? "upgrade" : "downgrade";
	bool want_help = false, sql = false, per_migration = false, verbose = false;
	struct guard_opts o;
	int opt;

	guard_opts_init(&o);
	while ((opt = cli_getopt(c, argc, argv, "v", options, &want_help)) != -1) {
		int g = guard_option(&o, c, name, opt, optarg);
		if (g < 0)
			return RT_EXIT_USAGE;
		if (g > 0)
			continue;
		switch (opt) {
		case OPT_SQL:
			sql = true;
			break;
		case OPT_PER_MIGRATION:
			per_migration = true;
			break;
		case OPT_VERBOSE:
			verbose = true;
			break;
		default:
			return cli_usage_error(c, name, "bad option");
		}
	}
	if (want_help) {
		help(c, up);
		return RT_EXIT_OK;
	}
	if (optind != argc - 1)
		return cli_usage_error(c, name, "%s takes exactly one TARGET revision", name);
	const char *target = argv[optind];
	if (sql)
		return offline(c, up, target, per_migration);
	if (strchr(target, ':'))
		return cli_usage_error(c, name, "a START:END range is for --sql only");
	return online(c, up, target, per_migration, verbose, &o);
}

int cmd_upgrade(struct cli *c, int argc, char **argv)
{
	return run(c, argc, argv, true);
}

int cmd_downgrade(struct cli *c, int argc, char **argv)
{
	return run(c, argc, argv, false);
}
