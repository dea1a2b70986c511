/*
 * cli.h - what every subcommand shares
 *
 * main.c parses the command name, then each cmd_NAME() parses its own
 * options with getopt_long, starting from the common ones below, so that
 * `migrate -c prod.ini upgrade head` and `migrate upgrade head -c prod.ini`
 * both work.
 */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "exitcode.h"
#include "migration.h"
#include "plan.h"

struct cli {
	const char *prog;            /* how we were invoked, for messages */
	const struct rt_set *set;
	const char *config_path;     /* -c/--config */
	const char *version_table;   /* --version-table */
	const char *version_schema;  /* --version-table-schema */
	bool in_command;             /* options now belong to a subcommand */
	bool said_why;               /* cli_getopt() already explained a refusal */
	bool show_version;           /* --version before the command */
	bool unknown_warns;          /* an unknown version-table row is a warning
	                                (history -i, stamp --purge), not an error */
	bool quiet;                  /* -q/--quiet: errors only on stderr */
};

/* Options every command accepts; cli_getopt() handles them itself. */
enum {
	OPT_CONFIG = 'c',
	OPT_HELP = 'h',
	OPT_VERSION_TABLE = 0x100,
	OPT_VERSION_SCHEMA,
	OPT_NAME = 'n',          /* -n/--name: the alembic.ini section */
	OPT_X_ARG = 'x',         /* -x: refused, there is no env.py */
	OPT_QUIET = 'q',         /* -q/--quiet: only errors on stderr */
	OPT_RAISEERR = 0x110,    /* accepted: errors are always reported in full */
	OPT_TAG,                 /* refused, there is no env.py */
	OPT_SHOW_VERSION,        /* --version */
	OPT_COLOR,               /* --color: color_args() takes it first; listed for completion */
	OPT_FIRST_COMMAND_OPTION /* commands number theirs from here */
};

/*
 * getopt_long over argv with the command's own options plus the common
 * ones. Returns the next command option, -1 at the end, or '?' after a
 * usage error was printed. Sets *help on -h/--help.
 */
int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, bool *help);

/* Prints "PROG: error: MSG\ntry 'PROG CMD --help'" and returns RT_EXIT_USAGE. */
int cli_usage_error(const struct cli *c, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Where progress and other news go: stderr, or nowhere under --quiet.
 * Errors, and what explains them, go to stderr always.
 */
FILE *cli_info(const struct cli *c);

/*
 * Messages to stderr, in the one shape: "PROG: error: ..." etc., the
 * label coloured on a terminal (color.h). Under --quiet a warning, and the
 * detail and hint lines after it, are not shown.
 */
void cli_error(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_note(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a plan/resolution failure and returns RT_EXIT_REVISION. */
int cli_plan_error(const struct cli *c, const struct rt_err *err);

/* Reporting commands still report from overlapping version-table rows, with a warning. */
void cli_rows_warning(const struct cli *c, const unsigned *cur, size_t n_cur);

/* Common option help, appended to each command's --help. */
void cli_common_help(FILE *fp);

/* One per subcommand, each in cmd_NAME.c. */
int cmd_branches(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_completion(struct cli *c, int argc, char **argv);
int cmd_current(struct cli *c, int argc, char **argv);
int cmd_downgrade(struct cli *c, int argc, char **argv);
int cmd_heads(struct cli *c, int argc, char **argv);
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_repair(struct cli *c, int argc, char **argv);
int cmd_resolve(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_stamp(struct cli *c, int argc, char **argv);
int cmd_upgrade(struct cli *c, int argc, char **argv);
int cmd_version(struct cli *c, int argc, char **argv);
int cmd_wait(struct cli *c, int argc, char **argv);
int cmd_manpage(struct cli *c);

struct spec;
/* Adds every command of the command table to s (main.c). */
int cli_describe(struct cli *c, struct spec *s);

#endif
