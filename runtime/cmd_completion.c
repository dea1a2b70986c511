/*
 * cmd_completion.c - `completion SHELL`, `completion revisions` and the
 * hidden `manpage`: the migrator's command line described from its own
 * tables (cmdspec.h)
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmdspec.h"
#include "fleet.h"

static void help(const struct cli *c)
{
	printf("usage: %s completion SHELL\n\n"
	       "Prints the completion script for SHELL (bash, zsh or fish), made from the\n"
	       "same tables as --help: commands, their options, and the revisions of this\n"
	       "migrator for upgrade, downgrade, stamp and show.\n"
	       "  bash: source <(%s completion bash)       (in ~/.bashrc)\n"
	       "  zsh:  %s completion zsh > \"${fpath[1]}/_%s\"\n"
	       "  fish: %s completion fish > ~/.config/fish/completions/%s.fish\n"
	       "'%s completion revisions' lists what a revision argument may be.\n",
	       c->prog, c->prog, c->prog, c->prog, c->prog, c->prog, c->prog);
}

/* Every word a revision argument may be, one a line: the scripts' source. */
static void revisions(const struct rt_set *s)
{
	puts("head\nheads\nbase");
	for (unsigned i = s->n_revisions; i-- > 0;) {
		const struct rt_revision *r = &s->revisions[i];
		puts(r->id);
		for (unsigned j = 0; j < r->n_labels; j++)
			printf("%s\n%s@head\n", r->labels[j], r->labels[j]);
	}
}

/* The command table, the fleet options, and the options before the command. */
static int describe(struct cli *c, struct spec *s)
{
	FILE *fp;
	char *fleet_text = NULL;
	size_t len;

	s->prog = c->prog;
	s->revisions = true;
	if (cli_describe(c, s) != 0)
		return -1;
	/* Fleet options are taken out before getopt (fleet_args()): not in a table. */
	struct option fo[16];
	size_t n = 0;
	const char *name;
	bool has_arg;
	while (n + 1 < sizeof(fo) / sizeof(fo[0]) && fleet_option(n, &name, &has_arg)) {
		fo[n] = (struct option){ name, has_arg ? required_argument : no_argument, NULL, 0 };
		n++;
	}
	fo[n] = (struct option){ 0 };
	if (!(fp = open_memstream(&fleet_text, &len)))
		return -1;
	fleet_help(fp);
	fclose(fp);
	int rc = 0;
	for (size_t i = 0; i < s->n_cmds && rc == 0; i++)
		if (fleet_command(s->cmds[i].name))
			rc = spec_add_opts(s, &s->cmds[i], fo, fleet_text);
	free(fleet_text);
	/* Before the command: the common options (the first command has them all). */
	for (size_t i = 0; rc == 0 && s->n_cmds && i < s->cmds[0].n_opts; i++) {
		const struct spec_opt *o = &s->cmds[0].opts[i];
		if (o->common && o->desc)
			rc = spec_add_top(s, o->name, o->short_name, o->metavar, o->desc);
	}
	if (rc == 0)
		rc = spec_add_top(s, "version", 0, NULL, "what 'version' prints");
	return rc;
}

int cmd_completion(struct cli *c, int argc, char **argv)
{
	static const struct option options[] = { { NULL, 0, NULL, 0 } };
	bool want_help = false;
	struct spec s = { 0 };

	if (cli_getopt(c, argc, argv, "", options, &want_help) != -1)
		return cli_usage_error(c, "completion", "bad option");
	if (want_help) {
		help(c);
		return RT_EXIT_OK;
	}
	if (optind != argc - 1)
		return cli_usage_error(c, "completion", optind == argc
				       ? "missing SHELL (bash, zsh or fish)" : "too many arguments");
	const char *shell = argv[optind];
	if (strcmp(shell, "revisions") == 0) {
		revisions(c->set);
		return RT_EXIT_OK;
	}
	if (strcmp(shell, "bash") && strcmp(shell, "zsh") && strcmp(shell, "fish"))
		return cli_usage_error(c, "completion", "no completion for '%s': bash, zsh or fish",
				       shell);
	int rc = describe(c, &s);
	if (rc == 0)
		spec_complete(stdout, &s, shell);
	else
		cli_error(c, "out of memory");
	spec_free(&s);
	return rc ? RT_EXIT_FAIL : RT_EXIT_OK;
}

static const char tail[] =
	".SH FLEET\n"
	"\\fBupgrade\\fR, \\fBdowngrade\\fR, \\fBstamp\\fR, \\fBcheck\\fR and \\fBcurrent\\fR run\n"
	"over many databases or schemas with \\fB\\-\\-targets\\fR, \\fB\\-\\-tenant\\-schemas\\fR or\n"
	"\\fB\\-\\-targets\\-query\\fR (listed with the common options above).\n"
	".SH ENVIRONMENT\n"
	"The database, first match wins:\n"
	".TP\n.B DATABASE_URL\n"
	"a postgresql:// URL.\n"
	".TP\n.BR DB_USER ,\\ DB_PASSWORD ,\\ DB_HOST ,\\ DB_PORT ,\\ DB_NAME\n"
	"its parts.\n"
	".TP\n.B sqlalchemy.url\n"
	"in alembic.ini (\\fB\\-c\\fR, else \\fBALEMBIC_CONFIG\\fR, else ./alembic.ini).\n"
	".TP\n.BR PGHOST ,\\ PGUSER ,\\ ...\n"
	"libpq's defaults, ~/.pgpass included.\n";

int cmd_manpage(struct cli *c)
{
	struct spec s = { 0 };
	char *text = NULL;
	size_t len;
	FILE *fp = open_memstream(&text, &len);

	if (!fp)
		return RT_EXIT_FAIL;
	fputs(tail, fp);
	fputs(".SH EXIT STATUS\n", fp);
#define X(name, code, what) \
	fprintf(fp, ".TP\n.B %d\n", code); \
	spec_roff_text(fp, what); \
	fputc('\n', fp);
	RT_EXIT_CODES(X)
#undef X
	fputs(".SH SEE ALSO\nretort(1), alembic(1); docs/commands.md in retort's source tree.\n", fp);
	fclose(fp);

	const struct spec_page page = {
		.title = "RETORT-MIGRATOR",
		.name_line = "retort-migrator \\- a PostgreSQL migrator built by retort, "
			     "with its migrations inside",
		.synopsis = "[-c alembic.ini] COMMAND [OPTIONS] [ARGS]",
		.description =
			"A migrator is one self-contained binary that retort(1) built from a\n"
			"folder of migrations: it carries them inside and keeps Alembic's\n"
			"alembic_version table, with Alembic's commands. Its name is the\n"
			"choice of whoever built it; this page calls it by the name of the\n"
			"binary it was printed by.\n"
			"\n"
			"Revisions: head, heads, base, an id or a unique prefix of one, a\n"
			"branch label, LABEL@head, +N / -N (relative), REV+N, and A:B ranges\n"
			"for --sql.\n"
			"\n"
			"Every command takes the common options below, and --help.",
		.common_title = "COMMON OPTIONS",
		.tail = text,
		.version = c->set->generator,
	};
	int rc = describe(c, &s);
	if (rc == 0)
		spec_manpage(stdout, &s, &page);
	else
		cli_error(c, "out of memory");
	spec_free(&s);
	free(text);
	return rc ? RT_EXIT_FAIL : RT_EXIT_OK;
}
