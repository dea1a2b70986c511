/*
 * cmdspec.c - a binary's commands and options, read from the tables and
 * the --help text they are printed with (cmdspec.h)
 */
#include "cmdspec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What the first getopt call of a command handed over (spec_getopt()). */
static struct {
	bool on, got;
	char *shorts;
	struct option *longs;
	size_t n_longs;
	const struct option *common;
	size_t n_common;
} cap;

bool spec_describing(void)
{
	return cap.on;
}

int spec_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
		const struct option *common, size_t n_common)
{
	if (!cap.on)
		return getopt_long(argc, argv, shortopts, longopts, NULL);
	if (!cap.got) {
		size_t n = 0;
		while (longopts && longopts[n].name)
			n++;
		cap.longs = malloc((n + 1) * sizeof(*cap.longs));
		cap.shorts = strdup(shortopts ? shortopts : "");
		if (cap.longs && cap.shorts) {
			if (n)
				memcpy(cap.longs, longopts, n * sizeof(*cap.longs));
			cap.n_longs = n;
			cap.common = common;
			cap.n_common = n_common;
			cap.got = true;
		}
	}
	/* Stop the command as a bad option does; argv[optind - 1] is its name. */
	optind = 1;
	optopt = 0;
	return '?';
}

/* Standard output and error into memory while a command describes itself. */
struct capture {
	FILE *out, *err;
	char *buf, *ebuf;
	size_t len, elen;
};

static int capture_begin(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->out = stdout;
	c->err = stderr;
	c->buf = c->ebuf = NULL;
	FILE *o = open_memstream(&c->buf, &c->len);
	FILE *e = open_memstream(&c->ebuf, &c->elen);
	if (!o || !e) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		free(c->buf);
		free(c->ebuf);
		return -1;
	}
	/* glibc's stdout and stderr are variables, there to be set. */
	stdout = o;
	stderr = e;
	return 0;
}

/* Returns what was written to standard output. */
static char *capture_end(struct capture *c)
{
	fclose(stdout);
	fclose(stderr);
	stdout = c->out;
	stderr = c->err;
	free(c->ebuf);
	return c->buf;
}

static enum spec_kind kind_of(const char *metavar, bool revisions)
{
	if (!metavar)
		return SPEC_WORD;
	if (strstr(metavar, "DIR"))
		return SPEC_DIR;
	if (strstr(metavar, "FILE") || strstr(metavar, "PATH") || strcmp(metavar, "SRC") == 0)
		return SPEC_FILE;
	if (revisions && (strncmp(metavar, "REV", 3) == 0 || strcmp(metavar, "TARGET") == 0))
		return SPEC_REV;
	return SPEC_WORD;
}

static size_t indent_of(const char *line)
{
	size_t n = 0;
	while (line[n] == ' ')
		n++;
	return n;
}

/* The next line of *p, without its newline, or NULL at the end. */
static char *next_line(const char **p)
{
	if (!**p)
		return NULL;
	const char *nl = strchr(*p, '\n');
	size_t len = nl ? (size_t)(nl - *p) : strlen(*p);
	char *line = strndup(*p, len);
	*p += len + (nl ? 1 : 0);
	return line;
}

static void append(char **to, const char *text)
{
	size_t a = *to ? strlen(*to) : 0, b = strlen(text);
	char *s = realloc(*to, a + b + 2);
	if (!s)
		return;
	if (a)
		s[a++] = ' ';
	memcpy(s + a, text, b + 1);
	*to = s;
}

/*
 * An option line of a help text: "  -o, --output FILE  what it does" or
 * "      --sql" (the description on the lines below). Fills names (up to
 * 4, "-o" / "--output"), the value's name and the description's start.
 */
static bool option_line(const char *line, char names[4][64], size_t *n_names, char *metavar,
			const char **desc)
{
	const char *p = line + indent_of(line);
	*n_names = 0;
	metavar[0] = '\0';
	*desc = NULL;
	if (p == line || p[0] != '-' || !(isalnum((unsigned char)p[1]) || p[1] == '-'))
		return false;
	for (;;) {
		size_t len = strcspn(p, " ,=");
		if (len == 0 || len >= 64 || *n_names == 4 || p[0] != '-')
			return false;
		memcpy(names[*n_names], p, len);
		names[(*n_names)++][len] = '\0';
		p += len;
		if (p[0] == ',' && p[1] == ' ' && p[2] == '-') {
			p += 2;
			continue;
		}
		break;
	}
	if ((p[0] == '=' || p[0] == ' ') && p[1] && p[1] != ' ' && p[1] != '-') {
		size_t len = strcspn(p + 1, " ");
		if (len >= 64)
			return false;
		memcpy(metavar, p + 1, len);
		metavar[len] = '\0';
		p += 1 + len;
	}
	if (p[0] == ' ' && p[1] == ' ') {
		while (*p == ' ')
			p++;
		*desc = p;
	} else if (p[0]) {
		return false;
	}
	return true;
}

static struct spec_opt *find_opt(struct spec_opt *opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (name[1] == '-' ? strcmp(opts[i].name, name + 2) == 0
				   : name[2] == '\0' && opts[i].short_name == name[1])
			return &opts[i];
	}
	return NULL;
}

static void describe(struct spec_opt *opts, size_t n, const char *help, bool revisions,
		     bool common_only)
{
	const char *p = help;
	char *line;
	struct spec_opt *last[4] = { 0 };
	size_t n_last = 0, last_indent = 0;

	while ((line = next_line(&p))) {
		char names[4][64], metavar[64];
		size_t nn;
		const char *desc;
		if (option_line(line, names, &nn, metavar, &desc)) {
			n_last = 0;
			last_indent = indent_of(line);
			for (size_t i = 0; i < nn; i++) {
				struct spec_opt *o = find_opt(opts, n, names[i]);
				/* The first description wins: usage lines come before it. */
				if (!o || o->desc || (common_only && !o->common))
					continue;
				if (metavar[0] && !o->metavar)
					o->metavar = strdup(metavar);
				if (desc)
					o->desc = strdup(desc);
				last[n_last++] = o;
			}
		} else if (n_last && line[0] && indent_of(line) > last_indent &&
			   line[indent_of(line)] != '-') {
			for (size_t i = 0; i < n_last; i++)
				append(&last[i]->desc, line + indent_of(line));
		} else {
			n_last = 0;
		}
		free(line);
	}
	for (size_t i = 0; i < n; i++)
		opts[i].kind = opts[i].has_arg ? kind_of(opts[i].metavar, revisions) : SPEC_NONE;
}

void spec_describe_from(struct spec_opt *opts, size_t n, const char *help, bool revisions)
{
	describe(opts, n, help, revisions, false);
}

/* Whether help mentions --name as a whole word. */
static bool mentioned(const char *help, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = help; (p = strstr(p, "--")); p += 2) {
		if (strncmp(p + 2, name, len) == 0 &&
		    !(isalnum((unsigned char)p[2 + len]) || p[2 + len] == '-'))
			return true;
	}
	return false;
}

/* Value names the option lines did not give, from "--name VALUE" in the usage lines. */
static void usage_metavars(struct spec_opt *opts, size_t n, const char *help)
{
	const char *end = strstr(help, "\n\n");
	for (size_t i = 0; i < n; i++) {
		struct spec_opt *o = &opts[i];
		size_t len = strlen(o->name);
		if (!o->has_arg || o->metavar)
			continue;
		for (const char *p = help; (p = strstr(p, "--")) && (!end || p < end); p += 2) {
			if (strncmp(p + 2, o->name, len) != 0 || p[2 + len] != ' ')
				continue;
			const char *v = p + 3 + len;
			size_t vlen = strcspn(v, " ]\n");
			if (vlen && isupper((unsigned char)v[0]))
				o->metavar = strndup(v, vlen);
			break;
		}
	}
}

/*
 * The positional arguments from the usage line: "usage: PROG CMD [--sql]
 * -o FILE DIR" has DIR (FILE is -o's). The first one's kind, for all.
 */
static enum spec_kind positional(const char *help, bool revisions)
{
	const char *u = strstr(help, "usage:");
	if (!u)
		return SPEC_NONE;
	char *line = strndup(u, strcspn(u, "\n"));
	enum spec_kind kind = SPEC_NONE;
	bool opt_before = false;
	int k = 0;
	for (char *save, *t = strtok_r(line, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (k++ < 3)
			continue;
		size_t len = strlen(t);
		bool closes = len && t[len - 1] == ']';
		while (*t == '[')
			t++;
		len = strcspn(t, "].");
		t[len] = '\0';
		if (t[0] == '-') {
			opt_before = !closes && !strchr(t, '=');
			continue;
		}
		bool upper = len > 0;
		for (size_t i = 0; i < len; i++)
			upper &= isupper((unsigned char)t[i]) || t[i] == '_';
		if (upper && !opt_before) {
			kind = kind_of(t, revisions);
			break;
		}
		opt_before = false;
	}
	free(line);
	return kind;
}

static int add_opt(struct spec_opt **opts, size_t *n, const struct option *o, const char *shorts,
		   bool common)
{
	struct spec_opt *v = realloc(*opts, (*n + 1) * sizeof(**opts));
	if (!v)
		return -1;
	*opts = v;
	v += (*n)++;
	memset(v, 0, sizeof(*v));
	v->name = strdup(o->name);
	v->has_arg = o->has_arg != no_argument;
	v->common = common;
	if (o->val > 0 && o->val < 128 && isalnum(o->val) && !o->flag &&
	    (common || strchr(shorts, o->val)))
		v->short_name = (char)o->val;
	return v->name ? 0 : -1;
}

static void free_opts_of(struct spec_opt *o)
{
	free(o->name);
	free(o->metavar);
	free(o->desc);
}

int spec_add(struct spec *s, const char *name, const char *summary, spec_run_fn *run, void *ctx)
{
	char arg0[64], arg1[] = "--help";
	char *argv1[] = { arg0, NULL }, *argv2[] = { arg0, arg1, NULL };
	struct capture c;

	if (strlen(name) >= sizeof(arg0))
		return -1;
	struct spec_cmd *cmds = realloc(s->cmds, (s->n_cmds + 1) * sizeof(*cmds));
	if (!cmds)
		return -1;
	s->cmds = cmds;
	struct spec_cmd *cmd = memset(&cmds[s->n_cmds], 0, sizeof(*cmd));
	cmd->name = name;
	cmd->summary = summary ? strdup(summary) : NULL;

	if (capture_begin(&c) != 0)
		return -1;
	strcpy(arg0, name);
	cap.on = true;
	cap.got = false;
	optind = 0;
	opterr = 0;
	run(ctx, 1, argv1);
	cap.on = false;
	strcpy(arg0, name);
	optind = 0;
	run(ctx, 2, argv2);
	cmd->help = capture_end(&c);
	optind = 0;
	s->n_cmds++;
	if (!cap.got || !cmd->help)
		return -1;

	int rc = 0;
	for (size_t i = 0; i < cap.n_longs && rc == 0; i++)
		rc = add_opt(&cmd->opts, &cmd->n_opts, &cap.longs[i], cap.shorts, false);
	for (size_t i = 0; i < cap.n_common && rc == 0; i++)
		rc = add_opt(&cmd->opts, &cmd->n_opts, &cap.common[i], "", true);
	free(cap.longs);
	free(cap.shorts);
	cap.longs = NULL;
	cap.shorts = NULL;
	usage_metavars(cmd->opts, cmd->n_opts, cmd->help);
	/*
	 * The command's own options are described above the common ones (the
	 * migrator's check --json is not the fleet's --json).
	 */
	const char *common_at = strstr(cmd->help, "\nCommon options:");
	char *own = strndup(cmd->help, common_at ? (size_t)(common_at - cmd->help)
						 : strlen(cmd->help));
	if (!own)
		return -1;
	describe(cmd->opts, cmd->n_opts, own, s->revisions, false);
	describe(cmd->opts, cmd->n_opts, cmd->help, s->revisions, true);
	free(own);
	/*
	 * A table shared by commands may hold an option this one refuses, and
	 * the common ones some that are refused (--tag) or belong before the
	 * command (--version): what --help leaves out is left out.
	 */
	size_t k = 0;
	for (size_t i = 0; i < cmd->n_opts; i++) {
		struct spec_opt *o = &cmd->opts[i];
		bool keep = strcmp(o->name, "help") == 0 ||
			    (o->common ? o->desc != NULL : mentioned(cmd->help, o->name));
		if (keep)
			cmd->opts[k++] = *o;
		else
			free_opts_of(o);
	}
	cmd->n_opts = k;
	cmd->arg = positional(cmd->help, s->revisions);
	return rc;
}

int spec_add_opts(struct spec *s, struct spec_cmd *cmd, const struct option *opts,
		  const char *help)
{
	size_t from = cmd->n_opts;
	for (size_t i = 0; opts[i].name; i++) {
		bool dup = false;
		for (size_t j = 0; j < from; j++)
			dup |= strcmp(cmd->opts[j].name, opts[i].name) == 0;
		if (!dup && add_opt(&cmd->opts, &cmd->n_opts, &opts[i], "", true) != 0)
			return -1;
	}
	spec_describe_from(cmd->opts + from, cmd->n_opts - from, help, s->revisions);
	return 0;
}

void spec_summaries(struct spec *s, const char *help)
{
	for (size_t i = 0; i < s->n_cmds; i++) {
		struct spec_cmd *cmd = &s->cmds[i];
		size_t len = strlen(cmd->name);
		const char *p = help;
		char *line;
		bool found = false;

		while (!cmd->summary && (line = next_line(&p))) {
			const char *t = line + indent_of(line);
			if (!found && t != line && strncmp(t, cmd->name, len) == 0 &&
			    (t[len] == ' ' || t[len] == '\0')) {
				found = true;
				const char *gap = strstr(t + len, "  ");
				if (gap && gap[strspn(gap, " ")])
					cmd->summary = strdup(gap + strspn(gap, " "));
			} else if (found && (t == line || *t == '\0')) {
				found = false;
			} else if (found && *t != '[' && *t != '-') {
				cmd->summary = strdup(t);
			}
			free(line);
		}
	}
}

int spec_add_top(struct spec *s, const char *name, char short_name, const char *metavar,
		 const char *desc)
{
	struct spec_opt *v = realloc(s->top, (s->n_top + 1) * sizeof(*v));
	if (!v)
		return -1;
	s->top = v;
	v += s->n_top++;
	memset(v, 0, sizeof(*v));
	v->name = strdup(name);
	v->short_name = short_name;
	v->has_arg = metavar != NULL;
	v->metavar = metavar ? strdup(metavar) : NULL;
	v->desc = desc ? strdup(desc) : NULL;
	v->kind = metavar ? kind_of(metavar, s->revisions) : SPEC_NONE;
	return v->name ? 0 : -1;
}

static void free_opts(struct spec_opt *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_opts_of(&o[i]);
	free(o);
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; i < s->n_cmds; i++) {
		free(s->cmds[i].summary);
		free(s->cmds[i].help);
		free_opts(s->cmds[i].opts, s->cmds[i].n_opts);
	}
	free(s->cmds);
	free_opts(s->top, s->n_top);
	memset(s, 0, sizeof(*s));
}
