/*
 * main.c - the migrator's entry point: find the subcommand and run it
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmdspec.h"
#include "color.h"
#include "fleet.h"
#include "nearest.h"
#include "plan.h"
#include "signals.h"

struct cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *summary;
};

/* Sorted by name. */
static const struct cmd commands[] = {
	{ "branches",  cmd_branches,  "show revisions where the history branches" },
	{ "check",     cmd_check,     "exit 0 when the database is at the heads, else say why" },
	{ "completion", cmd_completion, "print a shell completion script: bash, zsh or fish" },
	{ "current",   cmd_current,   "show the database's current revision(s)" },
	{ "downgrade", cmd_downgrade, "revert to a previous revision" },
	{ "heads",     cmd_heads,     "show the heads of the migration set" },
	{ "history",   cmd_history,   "list revisions, newest first" },
	{ "repair",    cmd_repair,    "record the checksums of applied revisions as they are now" },
	{ "resolve",   cmd_resolve,   "record how a dirty (failed part-way) revision ended" },
	{ "show",      cmd_show,      "show a revision's metadata and SQL" },
	{ "stamp",     cmd_stamp,     "set the version table without running migrations" },
	{ "upgrade",   cmd_upgrade,   "upgrade to a later revision" },
	{ "version",   cmd_version,   "show this migrator's release, migrations and build" },
	{ "wait",      cmd_wait,      "wait until the database accepts connections" },
};

static void usage(FILE *fp, const char *prog)
{
	fprintf(fp, "usage: %s [-c alembic.ini] COMMAND [options] [args]\n\n"
		    "A self-contained PostgreSQL migrator built by retort: it carries its\n"
		    "migrations inside and keeps Alembic's version table.\n\nCommands:\n", prog);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRevisions: head, heads, base, an id or a unique prefix of one, a branch\n"
	      "label, LABEL@head, +N / -N (relative), REV+N, and A:B ranges for --sql.\n", fp);
	cli_common_help(fp);
	fputs("\nThe database, first match wins: DATABASE_URL; DB_USER, DB_PASSWORD,\n"
	      "DB_HOST, DB_PORT, DB_NAME; sqlalchemy.url in alembic.ini; libpq's\n"
	      "defaults (PGHOST, PGUSER, ..., ~/.pgpass).\n\nExit codes:\n", fp);
#define X(name, code, text) fprintf(fp, "  %3d  %s\n", code, text);
	RT_EXIT_CODES(X)
#undef X
	fprintf(fp, "\nRun '%s COMMAND --help' for a command's options. The reference: 'man\n"
		    "retort-migrator', and retort's docs (PREFIX/share/doc/retort/docs/*.md).\n", prog);
}

struct described {
	struct cli *c;
	const struct cmd *cmd;
};

static int run_described(void *ctx, int argc, char **argv)
{
	struct described *d = ctx;
	return d->cmd->fn(d->c, argc, argv);
}

int cli_describe(struct cli *c, struct spec *s)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		struct described d = { c, &commands[i] };
		if (spec_add(s, commands[i].name, commands[i].summary, run_described, &d) != 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct cli c = { .prog = "migrate", .set = &rt_migration_set };
	struct fleet_opts fleet;
	bool help = false;

	/* A reader gone away (`| head -1`) must not kill a migration half-way. */
	sig_ignore_pipe();
	if (argc > 0 && argv[0][0]) {
		const char *slash = strrchr(argv[0], '/');
		c.prog = slash ? slash + 1 : argv[0];
	}
	if (c.set->format != RT_FORMAT) {
		fprintf(stderr, "%s: error: migration set format %u, runtime expects %u\n",
			c.prog, c.set->format, RT_FORMAT);
		return RT_EXIT_FAIL;
	}

	/* So may --color (color.h), which the generator takes the same way. */
	const char *bad_color = color_args(&argc, argv);
	if (bad_color)
		return cli_usage_error(&c, NULL, "'%s': --color takes auto, always or never",
				       bad_color);

	/* Fleet options may stand anywhere: take them out before getopt sees them. */
	int frc = fleet_args(&fleet, &c, &argc, argv);
	if (frc != RT_EXIT_OK)
		return frc;

	/* Common options may come before the command. */
	int opt = cli_getopt(&c, argc, argv, NULL, NULL, &help);
	if (opt == '?')
		return cli_usage_error(&c, NULL, "bad option");
	if (c.show_version) {
		/* Alembic's --version; ours says what `version` says. */
		static char version_cmd[] = "version";
		char *vargv[] = { version_cmd, NULL };
		optind = 0;
		c.in_command = true;
		return cmd_version(&c, 1, vargv);
	}
	if (optind >= argc) {
		if (help) {
			usage(stdout, c.prog);
			return RT_EXIT_OK;
		}
		usage(stderr, c.prog);
		return RT_EXIT_USAGE;
	}

	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			/* 0, not 1: glibc then re-reads the option string's mode. */
			optind = 0;
			c.in_command = true;
			if (help) {
				/* `migrate --help upgrade` means `migrate upgrade --help`. */
				static char help_opt[] = "--help";
				char *hargv[] = { sub_argv[0], help_opt, NULL };
				return commands[i].fn(&c, 2, hargv);
			}
			if (fleet.active)
				return fleet_run(&c, &fleet, name, commands[i].fn, sub_argc, sub_argv);
			return commands[i].fn(&c, sub_argc, sub_argv);
		}
	}
	if (strcmp(name, "manpage") == 0 && optind + 1 == argc)
		return cmd_manpage(&c); /* hidden: the build writes the page with it */
	if (strcmp(name, "help") == 0) {
		usage(stdout, c.prog);
		return RT_EXIT_OK;
	}
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	const char *near = nearest(name, names, sizeof(commands) / sizeof(commands[0]));
	if (near) {
		cli_error(&c, "unknown command '%s'", name);
		cli_hint("did you mean '%s'?", near);
		fprintf(stderr, "try '%s --help'\n", c.prog);
		return RT_EXIT_USAGE;
	}
	return cli_usage_error(&c, NULL, "unknown command '%s'", name);
}
