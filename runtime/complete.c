/*
 * complete.c - bash, zsh and fish completion scripts from a spec (cmdspec.h)
 *
 * Each script completes command names, each command's options (from its
 * getopt table), directories and files where the --help names a DIR or a
 * FILE, and revisions where it names a revision: those the script asks the
 * binary itself for (`PROG completion revisions`), so they are always the
 * embedded graph's.
 */
#include "cmdspec.h"

#include <ctype.h>
#include <string.h>

/* A shell function name for prog: letters, digits and '_'. */
static void ident(char *out, size_t cap, const char *prog)
{
	size_t i = 0;
	for (; prog[i] && i + 1 < cap; i++)
		out[i] = isalnum((unsigned char)prog[i]) ? prog[i] : '_';
	out[i] = '\0';
}

/* text in single quotes: bash and zsh ('\''), fish (\'). */
static void squote(FILE *fp, const char *text, bool fish)
{
	fputc('\'', fp);
	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			fputs(fish ? "\\'" : "'\\''", fp);
		else if (*p == '\\' && fish)
			fputs("\\\\", fp);
		else
			fputc(*p, fp);
	}
	fputc('\'', fp);
}

static const char *const kind_names[] = { "none", "word", "file", "dir", "rev" };

/* ---- bash ------------------------------------------------------------------ */

/* One case arm per kind of value: "-o|--output) _ID_value file ...". */
static void bash_value_case(FILE *fp, const char *id, const struct spec_opt *o, size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n; i++)
		any |= o[i].has_arg;
	if (!any)
		return;
	fputs("\t\tcase $prev in\n", fp);
	for (int k = SPEC_WORD; k <= SPEC_REV; k++) {
		bool first = true;
		for (size_t i = 0; i < n; i++) {
			if (!o[i].has_arg || (int)o[i].kind != k)
				continue;
			fputs(first ? "\t\t" : "|", fp);
			if (o[i].short_name)
				fprintf(fp, "-%c|", o[i].short_name);
			fprintf(fp, "--%s", o[i].name);
			first = false;
		}
		if (!first)
			fprintf(fp, ")\n\t\t\t_%s_value %s \"$cur\"; return;;\n", id, kind_names[k]);
	}
	fputs("\t\tesac\n", fp);
}

static void bash_words(FILE *fp, const struct spec_opt *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (o[i].short_name)
			fprintf(fp, "-%c ", o[i].short_name);
		fprintf(fp, "--%s%s", o[i].name, i + 1 < n ? " " : "");
	}
}

static void bash(FILE *fp, const struct spec *s, const char *id)
{
	fprintf(fp, "# bash completion for %s, printed by '%s completion bash'.\n", s->prog, s->prog);
	fprintf(fp, "# Load it with: source <(%s completion bash)\n\n", s->prog);
	fprintf(fp, "_%s_value() {\n"
		    "\tcase $1 in\n"
		    "\tfile) compopt -o filenames 2>/dev/null || :\n"
		    "\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$2\");;\n"
		    "\tdir) compopt -o filenames 2>/dev/null || :\n"
		    "\t\tmapfile -t COMPREPLY < <(compgen -d -- \"$2\");;\n"
		    "\trev) mapfile -t COMPREPLY < <(compgen -W \\\n"
		    "\t\t\"$(\"${COMP_WORDS[0]}\" completion revisions 2>/dev/null)\" -- \"$2\");;\n"
		    "\t*) COMPREPLY=();;\n"
		    "\tesac\n"
		    "}\n\n", id);
	fprintf(fp, "_%s() {\n"
		    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= opts= arg=none i\n"
		    "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
		    "\t\tcase ${COMP_WORDS[i]} in\n", id);
	bool any = false;
	for (size_t i = 0; i < s->n_top; i++) {
		if (!s->top[i].has_arg)
			continue;
		fputs(any ? "|" : "\t\t", fp);
		if (s->top[i].short_name)
			fprintf(fp, "-%c|", s->top[i].short_name);
		fprintf(fp, "--%s", s->top[i].name);
		any = true;
	}
	if (any)
		fputs(") ((i++));;\n", fp);
	fputs("\t\t-*) ;;\n"
	      "\t\t*) cmd=${COMP_WORDS[i]}; break;;\n"
	      "\t\tesac\n"
	      "\tdone\n"
	      "\tcase $cmd in\n"
	      "\t'')\n", fp);
	bash_value_case(fp, id, s->top, s->n_top);
	fputs("\t\tif [[ $cur == -* ]]; then\n\t\t\topts='", fp);
	bash_words(fp, s->top, s->n_top);
	fputs("'\n\t\telse\n\t\t\topts='", fp);
	for (size_t i = 0; i < s->n_cmds; i++)
		fprintf(fp, "%s%s", s->cmds[i].name, i + 1 < s->n_cmds ? " " : "");
	fputs("'\n\t\tfi;;\n", fp);
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct spec_cmd *c = &s->cmds[i];
		fprintf(fp, "\t%s)\n", c->name);
		bash_value_case(fp, id, c->opts, c->n_opts);
		fputs("\t\topts='", fp);
		bash_words(fp, c->opts, c->n_opts);
		fprintf(fp, "'\n\t\targ=%s;;\n", kind_names[c->arg]);
	}
	fprintf(fp, "\tesac\n"
		    "\tif [[ $cur == -* || $arg == none ]]; then\n"
		    "\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
		    "\telse\n"
		    "\t\t_%s_value $arg \"$cur\"\n"
		    "\tfi\n"
		    "}\n\n"
		    "complete -F _%s ", id, id);
	squote(fp, s->prog, false);
	fputc('\n', fp);
}

/* ---- zsh ------------------------------------------------------------------- */

/* Text inside an _arguments spec, itself inside single quotes. */
static void zsh_text(FILE *fp, const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", fp);
		else if (strchr("[]:\\", *p))
			fprintf(fp, "\\%c", *p);
		else
			fputc(*p, fp);
	}
}

static void zsh_action(FILE *fp, const char *id, enum spec_kind k)
{
	switch (k) {
	case SPEC_FILE: fputs("_files", fp); break;
	case SPEC_DIR: fputs("_files -/", fp); break;
	case SPEC_REV: fprintf(fp, "_%s_revisions", id); break;
	default: fputs(" ", fp); break;
	}
}

static void zsh_opt(FILE *fp, const char *id, const struct spec_opt *o)
{
	const char *eq = o->has_arg ? "=" : "";
	fputs("\t\t", fp);
	if (o->short_name)
		fprintf(fp, "'(-%c --%s)'{-%c%s,--%s%s}'", o->short_name, o->name, o->short_name,
			o->has_arg ? "+" : "", o->name, eq);
	else
		fprintf(fp, "'--%s%s", o->name, eq);
	fputc('[', fp);
	zsh_text(fp, o->desc ? o->desc : o->name);
	fputc(']', fp);
	if (o->has_arg) {
		fputc(':', fp);
		zsh_text(fp, o->metavar ? o->metavar : "value");
		fputc(':', fp);
		zsh_action(fp, id, o->kind);
	}
	fputs("' \\\n", fp);
}

static void zsh(FILE *fp, const struct spec *s, const char *id)
{
	fprintf(fp, "#compdef %s\n"
		    "# zsh completion for %s, printed by '%s completion zsh'.\n"
		    "# Load it with: source <(%s completion zsh), or save it as _%s in $fpath.\n\n",
		    s->prog, s->prog, s->prog, s->prog, id);
	fprintf(fp, "_%s_revisions() {\n"
		    "\tlocal -a revs\n"
		    "\trevs=(${(f)\"$($_%s_prog completion revisions 2>/dev/null)\"})\n"
		    "\tcompadd -a revs\n"
		    "}\n\n", id, id);
	fprintf(fp, "_%s() {\n"
		    "\tlocal _%s_prog=$words[1] curcontext=$curcontext state line ret=1\n"
		    "\t_arguments -C \\\n", id, id);
	for (size_t i = 0; i < s->n_top; i++)
		zsh_opt(fp, id, &s->top[i]);
	fputs("\t\t'1: :->command' \\\n"
	      "\t\t'*:: :->argument' && ret=0\n"
	      "\tcase $state in\n"
	      "\tcommand)\n"
	      "\t\tlocal -a cmds\n"
	      "\t\tcmds=(\n", fp);
	for (size_t i = 0; i < s->n_cmds; i++) {
		fputs("\t\t\t'", fp);
		zsh_text(fp, s->cmds[i].name);
		fputc(':', fp);
		zsh_text(fp, s->cmds[i].summary ? s->cmds[i].summary : "");
		fputs("'\n", fp);
	}
	fputs("\t\t)\n"
	      "\t\t_describe -t commands command cmds && ret=0;;\n"
	      "\targument)\n", fp);
	fprintf(fp, "\t\tcurcontext=${curcontext%%:*:*}:%s-$words[1]:\n"
		    "\t\tcase $words[1] in\n", id);
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct spec_cmd *c = &s->cmds[i];
		fprintf(fp, "\t\t%s)\n\t\t_arguments -S : \\\n", c->name);
		for (size_t j = 0; j < c->n_opts; j++)
			zsh_opt(fp, id, &c->opts[j]);
		if (c->arg != SPEC_NONE) {
			fputs("\t\t'*:argument:", fp);
			zsh_action(fp, id, c->arg);
			fputs("' \\\n", fp);
		}
		fputs("\t\t&& ret=0;;\n", fp);
	}
	fprintf(fp, "\t\tesac;;\n"
		    "\tesac\n"
		    "\treturn ret\n"
		    "}\n\n"
		    "if [[ $funcstack[1] == _%s ]]; then\n"
		    "\t_%s \"$@\"\n"
		    "else\n"
		    "\tcompdef _%s ", id, id, id);
	squote(fp, s->prog, false);
	fputs("\nfi\n", fp);
}

/* ---- fish ------------------------------------------------------------------ */

static void fish_opt(FILE *fp, const char *id, const struct spec *s, const char *cond,
		     const struct spec_opt *o)
{
	fputs("complete -c ", fp);
	squote(fp, s->prog, true);
	fprintf(fp, " -n '%s'", cond);
	if (o->short_name)
		fprintf(fp, " -s %c", o->short_name);
	fprintf(fp, " -l %s", o->name);
	switch (o->has_arg ? o->kind : SPEC_NONE) {
	case SPEC_FILE: fputs(" -r -F", fp); break;
	case SPEC_DIR: fputs(" -x -a '(__fish_complete_directories (commandline -ct))'", fp); break;
	case SPEC_REV: fprintf(fp, " -x -a '(__%s_revisions)'", id); break;
	case SPEC_WORD: fputs(" -x", fp); break;
	default: break;
	}
	if (o->desc) {
		fputs(" -d ", fp);
		squote(fp, o->desc, true);
	}
	fputc('\n', fp);
}

static void fish(FILE *fp, const struct spec *s, const char *id)
{
	fprintf(fp, "# fish completion for %s, printed by '%s completion fish'.\n"
		    "# Load it with: %s completion fish | source\n"
		    "# or save it as ~/.config/fish/completions/%s.fish\n\n",
		    s->prog, s->prog, s->prog, s->prog);
	fprintf(fp, "function __%s_revisions\n"
		    "\tset -l w (commandline -opc)\n"
		    "\t$w[1] completion revisions 2>/dev/null\n"
		    "end\n\n", id);
	fputs("complete -c ", fp);
	squote(fp, s->prog, true);
	fputs(" -f\n", fp);
	for (size_t i = 0; i < s->n_top; i++)
		fish_opt(fp, id, s, "__fish_use_subcommand", &s->top[i]);
	for (size_t i = 0; i < s->n_cmds; i++) {
		fputs("complete -c ", fp);
		squote(fp, s->prog, true);
		fprintf(fp, " -n __fish_use_subcommand -a %s", s->cmds[i].name);
		if (s->cmds[i].summary) {
			fputs(" -d ", fp);
			squote(fp, s->cmds[i].summary, true);
		}
		fputc('\n', fp);
	}
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct spec_cmd *c = &s->cmds[i];
		char cond[128];
		snprintf(cond, sizeof(cond), "__fish_seen_subcommand_from %s", c->name);
		for (size_t j = 0; j < c->n_opts; j++)
			fish_opt(fp, id, s, cond, &c->opts[j]);
		if (c->arg == SPEC_FILE || c->arg == SPEC_DIR || c->arg == SPEC_REV) {
			fputs("complete -c ", fp);
			squote(fp, s->prog, true);
			fprintf(fp, " -n '%s'", cond);
			if (c->arg == SPEC_FILE)
				fputs(" -F\n", fp);
			else if (c->arg == SPEC_DIR)
				fputs(" -a '(__fish_complete_directories (commandline -ct))'\n", fp);
			else
				fprintf(fp, " -a '(__%s_revisions)'\n", id);
		}
	}
}

int spec_complete(FILE *fp, const struct spec *s, const char *shell)
{
	char id[64];
	ident(id, sizeof(id), s->prog);
	if (strcmp(shell, "bash") == 0)
		bash(fp, s, id);
	else if (strcmp(shell, "zsh") == 0)
		zsh(fp, s, id);
	else if (strcmp(shell, "fish") == 0)
		fish(fp, s, id);
	else
		return -1;
	return 0;
}
