/*
 * cli.c - option parsing and messages shared by the subcommands
 */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"
#include "cmdspec.h"
#include "fleet.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "config.h"
#include "nearest.h"

static const struct option common_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version-table", required_argument, NULL, OPT_VERSION_TABLE },
	{ "version-table-schema", required_argument, NULL, OPT_VERSION_SCHEMA },
	/* Alembic's own; an exact name wins over --version-table's prefix. */
	{ "version", no_argument, NULL, OPT_SHOW_VERSION },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "raiseerr", no_argument, NULL, OPT_RAISEERR },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	/* main.c's color_args() takes --color[=WHEN] out first: only an abbreviation gets here. */
	{ "color", no_argument, NULL, OPT_COLOR },
};
#define N_COMMON (sizeof(common_options) / sizeof(common_options[0]))

/*
 * Alembic's relative revisions look like options ("downgrade -1"). Before
 * getopt sees them, each "-N..." argument is swapped for a stand-in that
 * does not start with '-', and swapped back when parsing ends; getopt still
 * permutes, so "upgrade head --sql" works too.
 */
static struct { char *orig, *standin; } relatives[8];
static size_t n_relatives;

static bool is_relative(const char *arg)
{
	return arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9';
}

static void hide_relatives(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (!is_relative(argv[i]) || n_relatives == 8)
			continue;
		char *standin = malloc(strlen(argv[i]) + 2);
		if (!standin)
			continue;
		sprintf(standin, " %s", argv[i]);
		relatives[n_relatives].orig = argv[i];
		relatives[n_relatives++].standin = standin;
		argv[i] = standin;
	}
}

static void restore_relatives(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		for (size_t k = 0; k < n_relatives; k++) {
			if (argv[i] == relatives[k].standin)
				argv[i] = relatives[k].orig;
		}
	}
	for (size_t k = 0; k < n_relatives; k++)
		free(relatives[k].standin);
	n_relatives = 0;
}

/* Set by --quiet: cli_hint() and cli_detail() have no struct cli to ask. */
static bool quiet;
/* The last warning was not shown: nor are its detail and hint lines. */
static bool muted;

/* Says what getopt_long refused, with the nearest option when one is near. */
static void bad_option(struct cli *c, int argc, char **argv, int opt, const struct option *all)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	bool is_long = strncmp(arg, "--", 2) == 0;

	if (opt == ':' && (is_long || !optopt))
		cli_error(c, "option '%s' needs a value", arg);
	else if (opt == ':')
		cli_error(c, "option '-%c' needs a value", optopt);
	else if (is_long || !optopt)
		cli_error(c, "unknown option '%s'", arg);
	else
		cli_error(c, "unknown option '-%c'", optopt);
	const char *near = opt == '?' && is_long ? nearest_option(arg, all) : NULL;
	if (near)
		cli_hint("did you mean '--%s'?", near);
	c->said_why = true;
}

int cli_getopt(struct cli *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, bool *help)
{
	/* Command options, then the common ones; getopt_long wants one array. */
	struct option all[32];
	char shorts[64];
	size_t n = 0;

	if (spec_describing()) /* `completion`, `manpage`: the tables, not a run */
		return spec_getopt(argc, argv, shortopts, longopts, common_options, N_COMMON);
	for (; longopts && longopts[n].name; n++)
		all[n] = longopts[n];
	for (size_t i = 0; i < N_COMMON; i++)
		all[n++] = common_options[i];
	all[n] = (struct option){ 0 };
	/* Before the command, stop at its name; after it, permute. */
	/* ':' after the mode: a missing value is told apart from an unknown option. */
	snprintf(shorts, sizeof(shorts), "%s:%sc:hn:x:q", c->in_command ? "" : "+",
		 shortopts ? shortopts : "");
	opterr = 0;
	if (optind <= 1 && n_relatives == 0)
		hide_relatives(argc, argv);

	for (;;) {
		int opt = getopt_long(argc, argv, shorts, all, NULL);
		switch (opt) {
		case OPT_CONFIG:
			c->config_path = optarg;
			break;
		case OPT_HELP:
			*help = true;
			break;
		case OPT_VERSION_TABLE:
			c->version_table = optarg;
			break;
		case OPT_VERSION_SCHEMA:
			c->version_schema = optarg;
			break;
		case OPT_NAME:
			config_set_section(optarg);
			break;
		case OPT_RAISEERR:
			break;
		case OPT_QUIET:
			c->quiet = quiet = true;
			break;
		case OPT_COLOR:
		case '?':
		case ':':
			bad_option(c, argc, argv, opt == OPT_COLOR ? '?' : opt, all);
			return '?';
		case OPT_SHOW_VERSION:
			if (!c->in_command) {
				c->show_version = true;
				break;
			}
			cli_error(c, "--version goes before the command: '%s --version', or '%s version'",
				  c->prog, c->prog);
			c->said_why = true;
			return '?';
		case OPT_X_ARG:
		case OPT_TAG:
			cli_error(c, "%s passes a value to env.py (context.%s()); a migrator built "
				  "by retort has no env.py, so nothing would read it",
				  opt == OPT_TAG ? "--tag" : "-x",
				  opt == OPT_TAG ? "get_tag_argument" : "get_x_argument");
			c->said_why = true;
			return '?';
		default:
			if (opt == -1)
				restore_relatives(argc, argv);
			return opt;
		}
	}
}

static void vmsg(const struct cli *c, enum color_role role, const char *fmt, va_list ap)
{
	muted = quiet && role != COLOR_ERROR;
	if (muted)
		return;
	fprintf(stderr, "%s: %s%s:%s ", c->prog, color_start(stderr, role),
		role == COLOR_ERROR ? "error" : role == COLOR_WARNING ? "warning" : "note",
		color_end(stderr));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, COLOR_ERROR, fmt, ap);
	va_end(ap);
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, COLOR_WARNING, fmt, ap);
	va_end(ap);
}

void cli_note(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(c, COLOR_NOTE, fmt, ap);
	va_end(ap);
}

/* Swallows what --quiet silences (glibc's fopencookie: no file opened). */
static ssize_t discard(void *cookie, const char *buf, size_t size)
{
	(void)cookie, (void)buf;
	return (ssize_t)size;
}

FILE *cli_info(const struct cli *c)
{
	static FILE *none;

	if (!c->quiet && !quiet)
		return stderr;
	if (!none)
		none = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = discard });
	return none ? none : stderr;
}

/* libpq's messages end in a newline, ours do not: print exactly one. */
static void vextra(const char *label, const char *fmt, va_list ap)
{
	char buf[2048];
	if (muted)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	bool hint = strcmp(label, "hint") == 0;
	fprintf(stderr, "%s%s:%s %s\n", hint ? color_start(stderr, COLOR_NOTE) : "", label,
		hint ? color_end(stderr) : "", buf);
}

void cli_detail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vextra("detail", fmt, ap);
	va_end(ap);
}

void cli_hint(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vextra("hint", fmt, ap);
	va_end(ap);
}

int cli_usage_error(const struct cli *c, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	if (!c->said_why) {
		va_start(ap, fmt);
		vmsg(c, COLOR_ERROR, fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "try '%s%s%s --help'\n", c->prog, cmd ? " " : "", cmd ? cmd : "");
	return RT_EXIT_USAGE;
}

int cli_plan_error(const struct cli *c, const struct rt_err *err)
{
	cli_error(c, "%s", err->msg);
	if (err->hint[0])
		cli_hint("%s", err->hint);
	return RT_EXIT_REVISION;
}

void cli_rows_warning(const struct cli *c, const unsigned *cur, size_t n_cur)
{
	struct rt_err err;

	if (plan_check_rows(c->set, cur, n_cur, &err) == 0)
		return;
	cli_warn(c, "%s", err.msg);
	cli_hint("%s", err.hint);
}

void cli_common_help(FILE *fp)
{
	fputs("\nCommon options:\n"
	      "  -c, --config FILE              alembic.ini to read sqlalchemy.url from\n"
	      "                                 (default: $ALEMBIC_CONFIG, else ./alembic.ini)\n"
	      "      --version-table NAME       version table (default: alembic_version)\n"
	      "      --version-table-schema S   its schema (default: the search_path's)\n"
	      "  -n, --name SECTION             the ini file's section (default: alembic)\n"
	      "      --raiseerr                 accepted (errors are always reported in full)\n"
	      "  -q, --quiet                    only errors on stderr (exit codes unchanged)\n"

	      "  -h, --help                     this help\n"
	      "(-x and --tag are refused: they feed env.py, which a migrator has not got)\n", fp);
	fleet_help(fp);
}
