/*
 * manpage.c - a man(7) page from a spec (cmdspec.h) and some prose
 *
 * Each command's section is its --help: the usage lines, the paragraphs
 * before the first "Heading:" line, and one tagged paragraph per option of
 * its getopt table, described as --help describes it.
 */
#include "cmdspec.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void spec_roff_text(FILE *fp, const char *text)
{
	bool bol = true;
	for (const char *p = text; *p; p++) {
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", fp);
		if (*p == '\\')
			fputs("\\e", fp);
		else
			fputc(*p, fp);
		bol = *p == '\n';
	}
}

/* An option name: roff's minus, not a hyphen, so it can be searched and pasted. */
static void roff_dashes(FILE *fp, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '-')
			fputs("\\-", fp);
		else if (*p == '\\')
			fputs("\\e", fp);
		else
			fputc(*p, fp);
	}
}

static void option_tag(FILE *fp, const struct spec_opt *o)
{
	if (o->short_name)
		fprintf(fp, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", fp);
	roff_dashes(fp, o->name);
	fputs("\\fR", fp);
	if (o->has_arg) {
		fputs(" \\fI", fp);
		roff_dashes(fp, o->metavar ? o->metavar : "VALUE");
		fputs("\\fR", fp);
	}
}

/* Described options as tagged paragraphs, the others (the usage shows them) in a list. */
static void options(FILE *fp, const struct spec_opt *o, size_t n, bool common)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		/* Every command's --help is said once, not per command. */
		if (o[i].common != common || !o[i].desc || (!common && !strcmp(o[i].name, "help")))
			continue;
		fputs(".TP\n", fp);
		option_tag(fp, &o[i]);
		fputc('\n', fp);
		spec_roff_text(fp, o[i].desc);
		fputc('\n', fp);
	}
	for (size_t i = 0; i < n; i++) {
		if (o[i].common != common || o[i].desc || (!common && !strcmp(o[i].name, "help")))
			continue;
		fputs(any ? ",\n" : ".PP\nOptions:\n", fp);
		option_tag(fp, &o[i]);
		any = true;
	}
	if (any)
		fputs(".\n", fp);
}

static size_t indent_of(const char *line, size_t len)
{
	size_t n = 0;
	while (n < len && line[n] == ' ')
		n++;
	return n;
}

/* The usage lines, then the prose paragraphs of a command's --help. */
static void help_text(FILE *fp, const char *help)
{
	const char *p = help;
	bool usage = true, in_par = false, after_opt = false, verbatim = false;
	size_t opt_indent = 0;

	fputs(".nf\n", fp);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		size_t ind = indent_of(p, len);
		char *line = strndup(p, len);
		p += len + (nl ? 1 : 0);
		if (!line)
			return;
		if (usage) {
			if (len == 0) {
				usage = false;
				fputs(".fi\n", fp);
			} else {
				roff_dashes(fp, strncmp(line, "usage: ", 7) == 0 ? line + 7 : line);
				fputc('\n', fp);
			}
		} else if (len == 0) {
			in_par = after_opt = false;
		} else if (ind == 0 && line[len - 1] == ':') {
			free(line);
			break; /* "Common options:" and the like: listed apart */
		} else if (line[ind] == '-' || (after_opt && ind > opt_indent)) {
			/* Option lines and their continuations: from the table below. */
			if (line[ind] == '-')
				opt_indent = ind;
			after_opt = true;
		} else if (ind > 0) {
			/* An example: kept as it is. */
			fputs(verbatim ? "" : in_par ? ".nf\n" : ".PP\n.nf\n", fp);
			spec_roff_text(fp, line);
			fputc('\n', fp);
			verbatim = in_par = true;
			free(line);
			continue;
		} else {
			fputs(in_par ? "" : ".PP\n", fp);
			spec_roff_text(fp, line + ind);
			fputc('\n', fp);
			in_par = true;
		}
		if (verbatim)
			fputs(".fi\n", fp);
		verbatim = false;
		free(line);
	}
	if (usage || verbatim)
		fputs(".fi\n", fp);
}

static void paragraphs(FILE *fp, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		if (!line)
			return;
		if (len == 0)
			fputs(".PP\n", fp);
		else {
			spec_roff_text(fp, line);
			fputc('\n', fp);
		}
		free(line);
		p += len + (nl ? 1 : 0);
	}
}

/* SOURCE_DATE_EPOCH's day, for reproducible packages; else today. */
static void page_date(char out[16])
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	char *end;
	time_t t = env && *env ? (time_t)strtoll(env, &end, 10) : time(NULL);
	struct tm tm;
	if (!env || !*env || *end)
		t = time(NULL);
	if (!gmtime_r(&t, &tm) || strftime(out, 16, "%Y-%m-%d", &tm) == 0)
		strcpy(out, "1970-01-01");
}

void spec_manpage(FILE *fp, const struct spec *s, const struct spec_page *pg)
{
	char date[16];
	page_date(date);
	fprintf(fp, ".\\\" %s(1), printed by '%s manpage' from its --help tables: do not edit.\n",
		pg->title, s->prog);
	fprintf(fp, ".TH %s 1 \"%s\" \"%s\" \"User Commands\"\n", pg->title, date,
		pg->version);
	fprintf(fp, ".SH NAME\n%s\n", pg->name_line);
	fprintf(fp, ".SH SYNOPSIS\n.B %s\n", s->prog);
	spec_roff_text(fp, pg->synopsis);
	fputs("\n.SH DESCRIPTION\n", fp);
	paragraphs(fp, pg->description);
	fputs(".SH COMMANDS\n", fp);
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct spec_cmd *c = &s->cmds[i];
		fprintf(fp, ".SS %s\n", c->name);
		if (c->summary) {
			spec_roff_text(fp, c->summary);
			fputs(".\n.PP\n", fp);
		}
		help_text(fp, c->help);
		options(fp, c->opts, c->n_opts, false);
	}
	if (pg->common_title) {
		/* Each once, from the first command that takes it. */
		fprintf(fp, ".SH %s\n", pg->common_title);
		for (size_t i = 0; i < s->n_cmds; i++) {
			const struct spec_cmd *c = &s->cmds[i];
			for (size_t j = 0; j < c->n_opts; j++) {
				bool seen = false;
				for (size_t k = 0; k < i && !seen; k++)
					for (size_t m = 0; m < s->cmds[k].n_opts && !seen; m++)
						seen = s->cmds[k].opts[m].common &&
						       !strcmp(s->cmds[k].opts[m].name, c->opts[j].name);
				if (c->opts[j].common && !seen)
					options(fp, &c->opts[j], 1, true);
			}
		}
	}
	fputs(pg->tail, fp);
}
