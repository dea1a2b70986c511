/*
 * main.c - the retort command line
 *
 *   retort compile DIR -o FILE.c     the folder as C data for the runtime
 *   retort lint DIR                  every statement parsed, migrations judged
 *   retort heads|history DIR         what Alembic would list
 *   retort revision|merge DIR -m MSG new revision files
 *
 * One cmd_NAME() per command, dispatched from a sorted table (git.c).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "build.h"
#include "cmdspec.h"
#include "color.h"
#include "diag.h"
#include "emit.h"
#include "folder.h"
#include "graph.h"
#include "json.h"
#include "lint/lint.h"
#include "nearest.h"
#include "page.h"
#include "report.h"
#include "revfile.h"
#include "revpy.h"
#include "schema/schema.h"
#include "sql/sqlhdr.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* the folder has errors, or a file could not be written */
	EXIT_USAGE = 2,
};

static const char usage_main[] =
	"usage: retort COMMAND [OPTIONS]\n"
	"\n"
	"Commands:\n"
	"  build [DIR] -o FILE [--release NAME] [--static]\n"
	"                                        build the migrator FILE from DIR\n"
	"  check [DIR] --schema SRC              whether DIR at head produces SRC exactly\n"
	"  compile [DIR] -o FILE.c [--name NAME] [--werror]\n"
	"                                        write DIR's revisions as C data\n"
	"  completion bash|zsh|fish              print a shell completion script\n"
	"  diff --from SRC --to SRC [-o FILE]    the SQL that turns FROM into TO\n"
	"  lint [DIR] [--since REV] [--json] [--werror]\n"
	"                                        parse every statement, flag risky ones\n"
	"  heads [DIR] [--verbose] [--resolve-dependencies] [--json]\n"
	"                                        list the heads, as 'alembic heads'\n"
	"  history [DIR] [--verbose] [--json]    list the revisions, newest first\n"
	"  init DIR                              make an empty migration folder\n"
	"  revision [DIR] -m MSG [--head REV] [--splice] [--branch-label L]\n"
	"           [--depends-on REV] [--rev-id ID] [--autogenerate [--schema SRC]]\n"
	"                                        write a new revision file\n"
	"  merge [DIR] -m MSG REV REV... [--rev-id ID]\n"
	"                                        write a revision merging REVs\n"
	"  squash DIR --to REV [--from-url URL] [--move-to PATH]\n"
	"                                        replace base..REV by one baseline\n"
	"  version                               print retort's version\n"
	"\n"
	"DIR is a migration folder: its revisions are DIR/versions/*.sql. Without\n"
	"DIR, it is alembic.ini's script_location (alembic.ini in this directory).\n"
	"--color=auto|always|never: colour on terminals (auto; NO_COLOR turns it off).\n"
	"'retort COMMAND --help' describes one command. The reference: 'man retort',\n"
	"and PREFIX/share/doc/retort/docs/*.md (docs/ in retort's source).\n";

static const char usage_compile[] =
	"usage: retort compile [DIR] -o FILE.c [--name NAME] [--werror]\n"
	"\n"
	"Checks every revision of DIR/versions and writes them, ordered, as the C\n"
	"file the migrator is linked with. Every statement is parsed by PostgreSQL's\n"
	"parser and linted as 'retort lint' does: warnings are printed, errors stop\n"
	"the build. Nothing is written when there are errors.\n"
	"\n"
	"  -o, --output FILE.c  where to write (through a temporary file)\n"
	"      --name NAME      what the file says it was generated from\n"
	"                       (default: DIR's base name)\n"
	"      --werror         lint warnings are errors\n";

static const char usage_lint[] =
	"usage: retort lint [DIR] [--since REV] [--json] [--werror]\n"
	"\n"
	"Parses every statement of DIR's revisions with PostgreSQL's parser and\n"
	"checks the upgrades for changes that fail or hurt at deploy time (the\n"
	"rules: docs/lint.md). Exits 1 when there are errors.\n"
	"\n"
	"      --since REV  judge only the revisions after REV (its descendants),\n"
	"                   e.g. those a pull request adds\n"
	"      --json       print the findings as JSON on standard output\n"
	"      --werror     warnings are errors\n";

static const char usage_heads[] =
	"usage: retort heads [DIR] [--verbose] [--resolve-dependencies] [--json]\n"
	"\n"
	"Lists the revisions nothing revises, as 'alembic heads' does:\n"
	"'<id> (labels) (head)', or '(effective head)' for one that only other\n"
	"revisions depend on.\n"
	"\n"
	"  -v, --verbose               Alembic's multi-line form\n"
	"      --resolve-dependencies  leave out revisions others depend on\n"
	"      --json                  {\"heads\": [revision, ...]}, as the migrator's\n"
	"                              'heads --json' (docs/commands.md, \"--json\")\n";

static const char usage_history[] =
	"usage: retort history [DIR] [--verbose] [--json]\n"
	"\n"
	"Lists every revision, newest first, as 'alembic history' does:\n"
	"'<parents> -> <id> (labels) (head) (branchpoint) (mergepoint), <message>'.\n"
	"\n"
	"  -v, --verbose  Alembic's multi-line form\n"
	"      --json     {\"revisions\": [revision, ...]}, as the migrator's\n"
	"                 'history --json' (docs/commands.md, \"--json\")\n";

static const char usage_revision[] =
	"usage: retort revision [DIR] -m MSG [--head REV] [--splice]\n"
	"                       [--branch-label LABEL] [--depends-on REV] [--rev-id ID]\n"
	"\n"
	"Writes DIR/versions/<id>_<slug>.sql revising the current head, from\n"
	"DIR/script.sql.tmpl when it exists (placeholders: ${message}, ${rev_id},\n"
	"${down_revision}, ${create_date}, ${branch_labels}, ${depends_on},\n"
	"${if_branch_labels}, ${if_depends_on}, ${if_merge}, ${if_not_merge};\n"
	"other text, $$ included, is copied as it is), and prints its path. The\n"
	"built-in template writes no downgrade section: 'downgrade' refuses to\n"
	"pass the revision until one is written. In a folder Alembic reads (.py\n"
	"revisions, or script.py.mako), writes a .py revision as Alembic would.\n"
	"\n"
	"  -m, --message MSG       what the revision does (one line)\n"
	"      --head REV          revise REV instead of the single head: an id, a\n"
	"                          unique prefix, a label, LABEL@head, or 'base'\n"
	"                          to start a new base\n"
	"      --splice            allow --head to name a revision that is not a head\n"
	"      --branch-label L    give the revision a branch label (repeatable)\n"
	"      --depends-on REV    add a Depends On (repeatable)\n"
	"      --rev-id ID         use ID instead of a random 12-digit hex id\n"
	"      --autogenerate      fill the upgrade and downgrade with the SQL that turns\n"
	"                          the head into SRC and back, proven by a round trip on\n"
	"                          a scratch database first ('retort diff --help')\n"
	"      --schema SRC        what the schema should be (default: retort.ini's\n"
	"                          [autogenerate] schema, else DIR/schema.sql)\n"
	"      --schemas A,B       compare only these schemas\n"
	"      --dev-url URL       the scratch server (default: RETORT_DEV_URL, else a\n"
	"                          throwaway cluster)\n"
	"      --privileges        also compare GRANTs (default: retort.ini's\n"
	"                          [autogenerate] privileges)\n";

static const char usage_merge[] =
	"usage: retort merge [DIR] -m MSG REV REV... [--rev-id ID]\n"
	"\n"
	"Writes a revision revising all REVs, with empty upgrade and downgrade\n"
	"sections, and prints its path. A REV is an id, a unique prefix, a branch\n"
	"label, or 'heads' for every head. The first argument is DIR when it is a\n"
	"directory (a revision never is) or there is no alembic.ini here; else DIR\n"
	"is alembic.ini's script_location.\n"
	"\n"
	"  -m, --message MSG  what the merge is for (one line)\n"
	"      --rev-id ID    use ID instead of a random 12-digit hex id\n";

static const char usage_completion[] =
	"usage: retort completion SHELL\n"
	"\n"
	"Prints the completion script for SHELL (bash, zsh or fish), made from the\n"
	"same tables as --help: commands, their options, directories for DIR.\n"
	"  bash: source <(retort completion bash)       (in ~/.bashrc)\n"
	"  zsh:  retort completion zsh > \"${fpath[1]}/_retort\"\n"
	"  fish: retort completion fish > ~/.config/fish/completions/retort.fish\n";

static const char usage_version[] =
	"usage: retort version\n"
	"\n"
	"Prints retort's version.\n";

static const char *cmd_name = "";

/*
 * "retort: CMD: MESSAGE", a did-you-mean hint for the unknown long option
 * `arg` among `opts` (when given), and where to read more.
 */
static int vusage_error(const char *arg, const struct option *opts, const char *fmt, va_list ap)
{
	fputs("retort: ", stderr);
	if (*cmd_name)
		fprintf(stderr, "%s: ", cmd_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (opts)
		diag_option_hint(arg, opts);
	fputs("try 'retort --help'\n", stderr);
	return EXIT_USAGE;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vusage_error(NULL, NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static int unknown_option(const char *arg, const struct option *opts, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int unknown_option(const char *arg, const struct option *opts, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vusage_error(arg, opts, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static int summary(void)
{
	unsigned n = diag_errors();
	fprintf(stderr, "retort: %u error%s\n", n, n == 1 ? "" : "s");
	return EXIT_FAILED;
}

/*
 * getopt_long over one command's arguments. Returns the option, -1 at the
 * end, or '?' after printing a usage error (then *rc holds the exit code).
 */
static int next_opt(int argc, char **argv, const char *optstring,
		    const struct option *longopts)
{
	int c = spec_getopt(argc, argv, optstring, longopts, NULL, 0);
	if (c == '?') {
		if (optopt)
			usage_error("unknown option '-%c'", optopt);
		else
			unknown_option(argv[optind - 1], longopts, "unknown option '%s'",
				       argv[optind - 1]);
	} else if (c == ':') {
		const char *opt = argv[optind - 1];
		if (optopt && opt[0] == '-' && opt[1] != '-')
			usage_error("option '-%c' needs a value", optopt);
		else
			usage_error("option '%s' needs a value", opt);
	}
	return c;
}

static void start_opts(void)
{
	optind = 0; /* glibc: full reinitialisation */
	opterr = 0;
}

/* A loaded and ordered folder. */
struct loaded {
	const char *dir;
	struct rev **revs;
	size_t n;
};

/* Reads and checks DIR. Returns 0, or the diagnostics' error count. */
static unsigned load(struct arena *a, const char *dir, struct loaded *l)
{
	struct folder f;
	char *d = arena_strdup(a, dir);
	size_t len = strlen(d);

	/* "m/" would show as "m//versions/..." */
	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	unsigned errors = folder_read(a, d, &f);
	l->dir = d;
	l->revs = f.revs;
	l->n = f.n;
	/* A file that failed to parse would make its children look orphaned. */
	if (errors)
		return errors;
	return graph_order(a, l->revs, l->n);
}

/*
 * The folder a command works on: the next argument, else alembic.ini's
 * script_location (build_default_dir(), as `retort build` does). NULL
 * after printing why there is none.
 */
static const char *dir_arg(struct arena *a, int argc, char **argv)
{
	return optind < argc ? argv[optind++] : build_default_dir(a);
}

static bool valid_one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return false;
	return true;
}

/* ---- compile ---------------------------------------------------------------- */

static const char *folder_name(struct arena *a, const char *dir)
{
	char *d = arena_strdup(a, dir);
	size_t len = strlen(d);
	while (len > 1 && d[len - 1] == '/')
		d[--len] = '\0';
	char *base = strrchr(d, '/');
	base = base && base[1] ? base + 1 : d;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strcmp(base, "/") == 0) {
		char *real = realpath(dir, NULL);
		if (real) {
			char *b = strrchr(real, '/');
			base = arena_strdup(a, b && b[1] ? b + 1 : real);
			free(real);
		}
	}
	return base;
}

static int cmd_compile(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "werror", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *output = NULL, *name = NULL;
	struct lint_opts lo = { 0 };
	int c;

	while ((c = next_opt(argc, argv, ":o:h", opts)) != -1) {
		switch (c) {
		case 'o': output = optarg; break;
		case 'n': name = optarg; break;
		case 'W': lo.werror = true; break;
		case 'h': fputs(usage_compile, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc - 1)
		return usage_error("too many arguments");
	if (!output)
		return usage_error("missing -o FILE.c");
	const char *dir = dir_arg(a, argc, argv);
	if (!dir)
		return EXIT_FAILED;

	struct loaded l;
	if (load(a, dir, &l))
		return summary();
	graph_warn_heads(l.revs, l.n, l.dir);
	struct lint_counts lc;
	if (lint_folder(a, l.dir, l.revs, l.n, &lo, &lc) || lc.errors)
		return summary();
	struct strbuf sb = STRBUF_INIT;
	emit_c(&sb, l.revs, l.n, name ? name : folder_name(a, l.dir));
	int rc = emit_write_file(output, sb.buf, sb.len);
	sb_release(&sb);
	return rc ? EXIT_FAILED : EXIT_OK;
}

/* ---- lint ------------------------------------------------------------------------ */

static int cmd_lint(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "werror", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct lint_opts lo = { 0 };
	int c;

	while ((c = next_opt(argc, argv, ":h", opts)) != -1) {
		switch (c) {
		case 's': lo.since = optarg; break;
		case 'j': lo.json = true; break;
		case 'W': lo.werror = true; break;
		case 'h': fputs(usage_lint, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc - 1)
		return usage_error("too many arguments");
	const char *dir = dir_arg(a, argc, argv);
	if (!dir)
		return EXIT_FAILED;

	struct loaded l;
	if (load(a, dir, &l))
		return summary();
	struct lint_counts lc;
	if (lint_folder(a, l.dir, l.revs, l.n, &lo, &lc))
		return summary();
	if (!lo.json && (lc.errors || lc.warnings))
		fprintf(stderr, "retort: %u error%s, %u warning%s\n", lc.errors,
			lc.errors == 1 ? "" : "s", lc.warnings, lc.warnings == 1 ? "" : "s");
	return lc.errors ? EXIT_FAILED : EXIT_OK;
}

/* ---- heads, history ----------------------------------------------------------- */

/*
 * The folder as the runtime's struct rt_set, in memory, so that `retort
 * heads` / `retort history` print through the migrator's own report code
 * (runtime/report.c): one implementation of Alembic's graph facts and
 * formats. Paths carry DIR, as Alembic prints the script's path.
 */
static struct rt_set *as_set(struct arena *a, const struct loaded *l, struct report *r,
			     bool as_migrator)
{
	struct rt_set *s = arena_alloc(a, sizeof *s);
	struct rt_revision *v = arena_alloc(a, (l->n + 1) * sizeof *v);
	const char *const **written = arena_alloc(a, (l->n + 1) * sizeof *written);

	for (size_t i = 0; i < l->n; i++) {
		const struct rev *rv = l->revs[i];
		unsigned *par = arena_alloc(a, (rv->parents.n + 1) * sizeof *par);
		unsigned *dep = arena_alloc(a, (rv->depends.n + 1) * sizeof *dep);
		const char **lab = arena_alloc(a, (rv->labels.n + 1) * sizeof *lab);
		const char **dw = arena_alloc(a, (rv->depends.n + 1) * sizeof *dw);
		for (size_t j = 0; j < rv->parents.n; j++)
			par[j] = (unsigned)rv->parent_ix[j];
		for (size_t j = 0; j < rv->depends.n; j++) {
			dep[j] = (unsigned)rv->depend_ix[j];
			dw[j] = rv->depends.v[j].id;
		}
		for (size_t j = 0; j < rv->labels.n; j++)
			lab[j] = rv->labels.v[j].id;
		/* --json: every field as the migrator built from this folder has it. */
		const char *path = rv->file->path, *sha = "", *sum = "";
		if (as_migrator) {
			char *hex = arena_alloc(a, 65), *cs = arena_alloc(a, EMIT_CHECKSUM_SIZE);
			for (size_t j = 0; j < 32; j++)
				snprintf(hex + 2 * j, 3, "%02x", rv->sha256[j]);
			emit_checksum(rv, cs);
			path = rv->rel_path ? rv->rel_path : path, sha = hex, sum = cs;
		}
		v[i] = (struct rt_revision){
			.id = rv->id, .message = rv->message, .create_date = rv->create_date,
			.path = path, .sha256 = sha, .checksum = sum, .transactional = rv->transactional,
			.n_parents = (unsigned)rv->parents.n, .parents = par,
			.n_depends = (unsigned)rv->depends.n, .depends = dep,
			.n_labels = (unsigned)rv->labels.n, .labels = lab,
		};
		written[i] = dw;
	}
	s->format = RT_FORMAT;
	s->n_revisions = (unsigned)l->n;
	s->revisions = v;
	if (report_init(r, s) != 0)
		return NULL;
	/* Alembic prints Depends On as written: a label stays a label. */
	r->depends_written = written;
	return s;
}

static const struct option list_opts[] = {
	{ "verbose", no_argument, NULL, 'v' },
	{ "resolve-dependencies", no_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static int list_cmd(int argc, char **argv, struct arena *a, bool history)
{
	bool verbose = false, resolve = false, json = false;
	int c;

	while ((c = next_opt(argc, argv, ":vh", list_opts)) != -1) {
		switch (c) {
		case 'v': verbose = true; break;
		case 'j': json = true; break;
		case 'r':
			if (history)
				return usage_error("unknown option '--resolve-dependencies'");
			resolve = true;
			break;
		case 'h': fputs(history ? usage_history : usage_heads, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc - 1)
		return usage_error("too many arguments");
	const char *dir = dir_arg(a, argc, argv);
	if (!dir)
		return EXIT_FAILED;

	struct loaded l;
	struct report r;
	if (load(a, dir, &l))
		return summary();
	if (!as_set(a, &l, &r, json)) {
		fputs("retort: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	unsigned *list = arena_alloc(a, (l.n + 1) * sizeof *list);
	size_t n = 0;
	for (size_t k = 0; k < l.n; k++) {
		size_t i = history ? l.n - 1 - k : k;
		if (!history && !(r.is_head[i] || (!resolve && r.is_effective[i])))
			continue;
		list[n++] = (unsigned)i;
		if (json)
			continue;
		if (verbose)
			report_entry(stdout, &r, (unsigned)i);
		else if (history)
			report_line(stdout, &r, (unsigned)i,
				    REPORT_PARENTS | REPORT_BRANCHES | REPORT_DOC | REPORT_TREE);
		else
			report_line(stdout, &r, (unsigned)i, REPORT_BRANCHES);
	}
	/* The migrator's shapes (runtime/json.c), so scripts read either. */
	if (json)
		json_revisions(stdout, history ? "revisions" : "heads", &r, list, n);
	report_free(&r);
	return EXIT_OK;
}

static int cmd_heads(int argc, char **argv, struct arena *a)
{
	return list_cmd(argc, argv, a, false);
}

static int cmd_history(int argc, char **argv, struct arena *a)
{
	return list_cmd(argc, argv, a, true);
}

/* ---- revision, merge ------------------------------------------------------- */

/* The revisions Alembic calls heads: nothing names them in Revises. */
static size_t versioned_heads(const struct loaded *l, size_t *out)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		if (l->revs[i]->n_children == 0)
			out[n++] = i;
	return n;
}

static char *id_list(const struct loaded *l, const size_t *ix, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s'%s'", i ? ", " : "", l->revs[ix[i]]->id);
	return sb_detach(&sb);
}

/* Whether `anc` is `rev` or reachable from it through Revises. */
static bool descends_from(const struct loaded *l, size_t rev, size_t anc)
{
	/* Parents have smaller indexes, so one backwards sweep suffices. */
	bool *reach = xmalloc(l->n + 1);
	bool found = false;

	memset(reach, 0, l->n + 1);
	reach[rev] = true;
	for (size_t i = rev + 1; i-- > anc && !found;) {
		if (!reach[i])
			continue;
		if (i == anc)
			found = true;
		for (size_t j = 0; j < l->revs[i]->parents.n; j++)
			reach[l->revs[i]->parent_ix[j]] = true;
	}
	free(reach);
	return found;
}

/*
 * Works out the parent of a new revision from --head (NULL: the single
 * head). Returns the number of parents written to *out (0 or 1), or -1.
 */
static int pick_head(const struct loaded *l, const char *head, bool splice, size_t *out)
{
	size_t *heads = xmalloc((l->n + 1) * sizeof *heads);
	size_t nh = versioned_heads(l, heads);
	int rc = -1;

	if (head && strcmp(head, "base") == 0) {
		rc = 0;
	} else if (!head || strcmp(head, "head") == 0) {
		if (nh <= 1) {
			rc = (int)nh;
			if (nh)
				*out = heads[0];
		} else {
			char *list = id_list(l, heads, nh);
			diag_plain(DIAG_ERROR, NULL, "the folder has %zu heads: %s", nh, list);
			diag_hint("choose one with --head, or join them first with 'retort merge'");
			free(list);
		}
	} else if (strlen(head) > 5 && strcmp(head + strlen(head) - 5, "@head") == 0) {
		char *name = xmalloc(strlen(head));
		memcpy(name, head, strlen(head) - 5);
		name[strlen(head) - 5] = '\0';
		long b = graph_find(l->revs, l->n, name);
		if (b >= 0) {
			size_t m = 0;
			for (size_t i = 0; i < nh; i++)
				if (descends_from(l, heads[i], (size_t)b))
					heads[m++] = heads[i];
			if (m == 1) {
				*out = heads[0];
				rc = 1;
			} else {
				char *list = id_list(l, heads, m);
				diag_plain(DIAG_ERROR, NULL, "'%s' has %zu heads: %s", head, m, list);
				free(list);
			}
		}
		free(name);
	} else {
		long r = graph_find(l->revs, l->n, head);
		if (r >= 0 && l->revs[r]->n_children && !splice) {
			diag_plain(DIAG_ERROR, NULL, "revision '%s' is not a head", l->revs[r]->id);
			diag_hint("add --splice to start a new branch from it");
		} else if (r >= 0) {
			*out = (size_t)r;
			rc = 1;
		}
	}
	free(heads);
	return rc;
}

static bool has_id(const struct loaded *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->revs[i]->id, id) == 0)
			return true;
	return false;
}

/* "-- Revises: " of a base would otherwise end in a space. */
static void strip_trailing_blanks(struct strbuf *sb)
{
	size_t out = 0;
	for (size_t i = 0; i < sb->len; i++) {
		if (sb->buf[i] == '\n')
			while (out > 0 && (sb->buf[out - 1] == ' ' || sb->buf[out - 1] == '\t'))
				out--;
		sb->buf[out++] = sb->buf[i];
	}
	sb->len = out;
	if (sb->buf)
		sb->buf[out] = '\0';
}

/* Puts up and down after the template's section markers. */
static int fill_sections(struct strbuf *text, const char *up, const char *down, bool non_tx,
			 const char *tmpl)
{
	static const char *const marks[2] = { "-- migrate:upgrade\n", "-- migrate:downgrade\n" };
	const char *body[2] = { up, down };

	/*
	 * New revisions get no downgrade section until one is written; this one
	 * has its downgrade: it replaces the built-in template's note about the
	 * missing section, or goes at the end.
	 */
	if (!strstr(text->buf, marks[1])) {
		static const char note[] = "-- No '-- migrate:downgrade' section yet";
		char *n = strstr(text->buf, note);
		size_t at = text->len, end = text->len;
		if (n) {
			at = (size_t)(n - text->buf);
			const char *nl = strchr(n, '\n');
			while (nl && strncmp(nl + 1, "-- ", 3) == 0 && !strstr(nl + 1, "-- migrate:"))
				nl = strchr(nl + 1, '\n');
			end = nl ? (size_t)(nl + 1 - text->buf) : text->len;
		}
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, text->buf, at);
		if (!n && at && text->buf[at - 1] != '\n')
			sb_addch(&sb, '\n');
		sb_addstr(&sb, marks[1]);
		sb_addstr(&sb, text->buf + end);
		sb_release(text);
		*text = sb;
	}
	for (int i = 1; i >= 0; i--) {
		char *m = strstr(text->buf, marks[i]);
		if (!m) {
			diag_plain(DIAG_ERROR, tmpl, "no '%.*s' line to write the %s under",
				   (int)strlen(marks[i]) - 1, marks[i], i ? "downgrade" : "upgrade");
			return -1;
		}
		size_t at = (size_t)(m - text->buf) + strlen(marks[i]);
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, text->buf, at);
		sb_addstr(&sb, body[i]);
		sb_addstr(&sb, text->buf + at);
		sb_release(text);
		*text = sb;
	}
	if (non_tx) {
		/* A header line, before the blank line that ends the header. */
		char *m = strstr(text->buf, marks[0]);
		size_t at = (size_t)(m - text->buf);
		while (at > 1 && text->buf[at - 1] == '\n' && text->buf[at - 2] == '\n')
			at--;
		struct strbuf sb = STRBUF_INIT;
		sb_add(&sb, text->buf, at);
		sb_addstr(&sb, "-- Transactional: false\n");
		sb_addstr(&sb, text->buf + at);
		sb_release(text);
		*text = sb;
	}
	return 0;
}

struct new_rev {
	const char *upgrade, *downgrade; /* section bodies (--autogenerate) */
	bool non_transactional;          /* add "-- Transactional: false" */
	const char *message;
	const char *rev_id;
	const char **parents, **labels, **depends;
	size_t n_parents, n_labels, n_depends;
};

/*
 * Renders the new revision, checks it parses and fits the folder's graph,
 * then creates the file and prints its path.
 */
static int write_new(struct arena *a, struct loaded *l, const struct new_rev *nr)
{
	char id[13], date[32];
	const char *rev_id = nr->rev_id;

	if (!rev_id) {
		do {
			if (revfile_random_id(id))
				return EXIT_FAILED;
		} while (has_id(l, id));
		rev_id = id;
	}
	revfile_now(date);
	struct revfile_spec s = {
		.message = nr->message, .rev_id = rev_id, .create_date = date,
		.parents = nr->parents, .n_parents = nr->n_parents,
		.labels = nr->labels, .n_labels = nr->n_labels,
		.depends = nr->depends, .n_depends = nr->n_depends,
	};
	/* A folder Alembic reads gets what Alembic would write: a .py script. */
	if (revpy_wanted(a, l->dir, l->revs, l->n)) {
		const char *path = revpy_write(a, l->dir, l->revs, l->n, &s, nr->upgrade, nr->downgrade,
					       nr->non_transactional);
		if (!path)
			return summary();
		printf("%s\n", path);
		return EXIT_OK;
	}

	const char *tmpl_path = arena_printf(a, "%s/script.sql.tmpl", l->dir);
	char *tmpl = NULL;
	size_t tmpl_len;
	if (folder_slurp(a, tmpl_path, &tmpl, &tmpl_len) != 0)
		tmpl = NULL, tmpl_path = "built-in template";
	struct strbuf text = STRBUF_INIT;
	if (revfile_render(tmpl ? tmpl : revfile_builtin_template, tmpl_path, &s, &text)) {
		sb_release(&text);
		return summary();
	}

	if (!tmpl)
		strip_trailing_blanks(&text);
	if (nr->upgrade && fill_sections(&text, nr->upgrade, nr->downgrade, nr->non_transactional,
					 tmpl_path)) {
		sb_release(&text);
		return summary();
	}
	const char *name = arena_printf(a, "%s_%s.sql", rev_id, revfile_slug(a, nr->message));
	struct src_file *f = arena_alloc(a, sizeof *f);
	f->path = arena_printf(a, "%s/versions/%s", l->dir, name);
	f->text = arena_strndup(a, text.buf ? text.buf : "", text.len);
	f->len = text.len;
	struct rev *r = arena_alloc(a, sizeof *r);
	r->file = f;
	unsigned errors = sqlhdr_parse(a, f, r);
	if (!errors) {
		struct rev **all = arena_alloc(a, (l->n + 2) * sizeof *all);
		memcpy(all, l->revs, l->n * sizeof *all);
		all[l->n] = r;
		errors = graph_order(a, all, l->n + 1);
	}
	if (errors) {
		diag_detail("the new revision was not written");
		sb_release(&text);
		return summary();
	}
	const char *path = f->path;
	int rc = revfile_create(path, text.buf, text.len);
	sb_release(&text);
	if (rc)
		return EXIT_FAILED;
	printf("%s\n", path);
	return EXIT_OK;
}

static int cmd_revision(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "head", required_argument, NULL, 'H' },
		{ "splice", no_argument, NULL, 's' },
		{ "branch-label", required_argument, NULL, 'b' },
		{ "depends-on", required_argument, NULL, 'd' },
		{ "rev-id", required_argument, NULL, 'r' },
		{ "autogenerate", no_argument, NULL, 'A' },
		{ "schema", required_argument, NULL, 'S' },
		{ "schemas", required_argument, NULL, 'C' },
		{ "dev-url", required_argument, NULL, 'D' },
		{ "privileges", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct new_rev nr = { 0 };
	struct autogen ag = { 0 };
	bool autogen = false;
	const char *head = NULL;
	const char **labels = arena_alloc(a, (size_t)argc * sizeof *labels);
	const char **deps = arena_alloc(a, (size_t)argc * sizeof *deps);
	bool splice = false;
	int c;

	while ((c = next_opt(argc, argv, ":m:h", opts)) != -1) {
		switch (c) {
		case 'm': nr.message = optarg; break;
		case 'H': head = optarg; break;
		case 's': splice = true; break;
		case 'b': labels[nr.n_labels++] = optarg; break;
		case 'd': deps[nr.n_depends++] = optarg; break;
		case 'r': nr.rev_id = optarg; break;
		case 'A': autogen = true; break;
		case 'S': ag.schema = optarg; break;
		case 'C': ag.schemas = optarg; break;
		case 'D': ag.dev_url = optarg; break;
		case 'P': ag.privileges = true; break;
		case 'h': fputs(usage_revision, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc - 1)
		return usage_error("too many arguments");
	if (!nr.message)
		return usage_error("missing -m MESSAGE");
	if (!valid_one_line(nr.message))
		return usage_error("the message must be one line of text");
	nr.labels = labels;
	const char *dir = dir_arg(a, argc, argv);
	if (!dir)
		return EXIT_FAILED;

	struct loaded l;
	if (load(a, dir, &l))
		return summary();
	size_t parent = 0;
	int np = pick_head(&l, head, splice, &parent);
	if (np < 0)
		return summary();
	nr.n_parents = (size_t)np;
	nr.parents = arena_alloc(a, sizeof *nr.parents);
	if (np)
		nr.parents[0] = l.revs[parent]->id;

	/* Like Alembic: prefixes become full ids, branch labels stay labels. */
	nr.depends = deps;
	for (size_t i = 0; i < nr.n_depends; i++) {
		long d = graph_find(l.revs, l.n, deps[i]);
		if (d < 0)
			return summary();
		bool is_label = false;
		for (size_t j = 0; j < l.revs[d]->labels.n; j++)
			if (strcmp(l.revs[d]->labels.v[j].id, deps[i]) == 0)
				is_label = true;
		if (!is_label)
			deps[i] = l.revs[d]->id;
	}
	if (!autogen && (ag.schema || ag.schemas || ag.dev_url || ag.privileges))
		return usage_error("--schema, --schemas, --dev-url and --privileges go with --autogenerate");
	if (autogen) {
		/*
		 * The new revision's starting point: what upgrading to it applies
		 * first, as Alembic does: its parent and its --depends-on, with all
		 * they revise or depend on. Indexes are in topological order
		 * (Depends On included), so one backwards sweep finds them all.
		 */
		ag.dir = l.dir;
		ag.revs = arena_alloc(a, (l.n + 1) * sizeof *ag.revs);
		bool *reach = arena_alloc(a, l.n + 1);
		memset(reach, 0, l.n + 1);
		if (np)
			reach[parent] = true;
		for (size_t i = 0; i < nr.n_depends; i++)
			reach[graph_find(l.revs, l.n, deps[i])] = true;
		for (size_t i = l.n; i-- > 0;) {
			if (!reach[i])
				continue;
			for (size_t j = 0; j < l.revs[i]->parents.n; j++)
				reach[l.revs[i]->parent_ix[j]] = true;
			for (size_t j = 0; j < l.revs[i]->depends.n; j++)
				reach[l.revs[i]->depend_ix[j]] = true;
		}
		for (size_t i = 0; i < l.n; i++)
			if (reach[i])
				ag.revs[ag.n_revs++] = l.revs[i];
		int rc = schema_autogenerate(a, &ag);
		if (rc == 1)
			return EXIT_OK;
		if (rc < 0)
			return summary();
		nr.non_transactional = ag.non_transactional;
		nr.upgrade = arena_strdup(a, ag.upgrade);
		nr.downgrade = arena_strdup(a, ag.downgrade);
		free(ag.upgrade);
		free(ag.downgrade);
	}
	return write_new(a, &l, &nr);
}

static int cmd_merge(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "rev-id", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct new_rev nr = { 0 };
	int c;

	while ((c = next_opt(argc, argv, ":m:h", opts)) != -1) {
		switch (c) {
		case 'm': nr.message = optarg; break;
		case 'r': nr.rev_id = optarg; break;
		case 'h': fputs(usage_merge, stdout); return EXIT_OK;
		default: return EXIT_USAGE;
		}
	}
	/*
	 * DIR is the first argument when it names a directory (a revision never
	 * does), or when there is no alembic.ini here to find it in.
	 */
	struct stat st;
	const char *dir = NULL;
	if (optind < argc && ((stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode)) ||
			      stat("alembic.ini", &st) != 0))
		dir = argv[optind++];
	if (optind >= argc)
		return usage_error("missing the revisions to merge");
	if (!nr.message)
		return usage_error("missing -m MESSAGE");
	if (!valid_one_line(nr.message))
		return usage_error("the message must be one line of text");
	if (!dir && !(dir = build_default_dir(a)))
		return EXIT_FAILED;

	struct loaded l;
	if (load(a, dir, &l))
		return summary();
	size_t *ix = arena_alloc(a, (l.n + (size_t)argc + 1) * sizeof *ix);
	size_t n = 0;
	for (int i = optind; i < argc; i++) {
		size_t found[1], nf = 0;
		size_t *heads = found;
		if (strcmp(argv[i], "heads") == 0) {
			heads = arena_alloc(a, (l.n + 1) * sizeof *heads);
			nf = versioned_heads(&l, heads);
		} else {
			long r = graph_find(l.revs, l.n, argv[i]);
			if (r < 0)
				return summary();
			found[nf++] = (size_t)r;
		}
		for (size_t k = 0; k < nf; k++) {
			bool dup = false;
			for (size_t j = 0; j < n; j++)
				dup |= ix[j] == heads[k];
			if (!dup)
				ix[n++] = heads[k];
		}
	}
	if (n < 2) {
		diag_plain(DIAG_ERROR, NULL, "a merge needs two or more distinct revisions");
		return summary();
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			if (i != j && descends_from(&l, ix[j], ix[i])) {
				diag_plain(DIAG_ERROR, NULL, "revision '%s' is an ancestor of '%s'",
					   l.revs[ix[i]]->id, l.revs[ix[j]]->id);
				diag_detail("merging a revision with its descendant changes nothing");
				return summary();
			}
		}
	}
	nr.parents = arena_alloc(a, n * sizeof *nr.parents);
	for (size_t i = 0; i < n; i++)
		nr.parents[i] = l.revs[ix[i]]->id;
	nr.n_parents = n;
	return write_new(a, &l, &nr);
}

static int cmd_version(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	(void)a;
	while ((c = next_opt(argc, argv, ":h", opts)) != -1) {
		if (c != 'h')
			return EXIT_USAGE;
		fputs(usage_version, stdout);
		return EXIT_OK;
	}
	if (optind != argc)
		return usage_error("too many arguments");
	printf("retort %s\n", RETORT_VERSION);
	return EXIT_OK;
}

static int cmd_completion(int argc, char **argv, struct arena *a);

/* Sorted by name. */
static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, struct arena *a);
} commands[] = {
	{ "build", build_main },
	{ "check", schema_cmd_check },
	{ "compile", cmd_compile },
	{ "completion", cmd_completion },
	{ "diff", schema_cmd_diff },
	{ "heads", cmd_heads },
	{ "history", cmd_history },
	{ "init", init_main },
	{ "lint", cmd_lint },
	{ "merge", cmd_merge },
	{ "revision", cmd_revision },
	{ "squash", schema_cmd_squash },
	{ "version", cmd_version },
};

/* ---- completion, manpage: from the tables above (runtime/cmdspec.h) ---------- */

static int run_described(void *ctx, int argc, char **argv)
{
	const struct cmd *c = ctx;
	struct arena a = { 0 };
	cmd_name = c->name;
	int rc = c->fn(argc, argv, &a);
	arena_free(&a);
	return rc;
}

static int describe(struct spec *s)
{
	s->prog = "retort";
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (spec_add(s, commands[i].name, NULL, run_described, (void *)&commands[i]) != 0) {
			/* A command that reads its options without spec_getopt() hands none over. */
			fprintf(stderr, "retort: error: command '%s' did not describe its options\n",
				commands[i].name);
			return -1;
		}
	spec_summaries(s, usage_main);
	if (spec_add_top(s, "help", 'h', NULL, "print the commands") != 0 ||
	    spec_add_top(s, "version", 0, NULL, "print retort's version") != 0) {
		fputs("retort: error: out of memory\n", stderr);
		return -1;
	}
	return 0;
}

static int cmd_completion(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct spec s = { 0 };
	int c;

	(void)a;
	while ((c = next_opt(argc, argv, ":h", opts)) != -1) {
		if (c != 'h')
			return EXIT_USAGE;
		fputs(usage_completion, stdout);
		return EXIT_OK;
	}
	if (optind != argc - 1)
		return usage_error(optind == argc ? "missing SHELL (bash, zsh or fish)"
						  : "too many arguments");
	const char *shell = argv[optind];
	if (strcmp(shell, "bash") && strcmp(shell, "zsh") && strcmp(shell, "fish"))
		return usage_error("no completion for '%s': bash, zsh or fish", shell);
	int rc = describe(&s);
	cmd_name = "completion";
	if (rc == 0)
		spec_complete(stdout, &s, shell);
	spec_free(&s);
	return rc ? EXIT_FAILED : EXIT_OK;
}

/* Hidden: the build writes retort.1 with it. */
static int cmd_manpage(void)
{
	struct spec s = { 0 };
	int rc = describe(&s);
	if (rc == 0)
		spec_manpage(stdout, &s, &retort_page);
	spec_free(&s);
	return rc ? EXIT_FAILED : EXIT_OK;
}

/* What people type who meant the migrator (runtime/main.c's commands). */
static const char *const migrator_commands[] = {
	"branches", "current", "downgrade", "repair", "resolve", "show", "stamp", "upgrade", "wait",
};

/* "unknown command", with the nearest command when there is one. */
static int unknown_command(const char *name)
{
	enum { N = sizeof commands / sizeof *commands };
	enum { NM = sizeof migrator_commands / sizeof *migrator_commands };
	const char *names[N], *near, *mig;

	for (size_t i = 0; i < N; i++)
		names[i] = commands[i].name;
	near = nearest(name, names, N);
	mig = near ? NULL : nearest(name, migrator_commands, NM);
	for (size_t i = 0; !near && i < NM; i++)
		if (strcmp(name, migrator_commands[i]) == 0)
			mig = migrator_commands[i];
	fprintf(stderr, "retort: unknown command '%s'\n", name);
	if (near)
		diag_hint("did you mean '%s'?", near);
	else if (mig && strcmp(mig, name) == 0)
		diag_hint("'%s' is a command of the migrator retort builds: "
			  "'retort build DIR -o migrate', then 'migrate %s'", mig, mig);
	else if (mig)
		diag_hint("did you mean '%s'? It is a command of the migrator retort builds: "
			  "'retort build DIR -o migrate', then 'migrate %s'", mig, mig);
	fputs("try 'retort --help'\n", stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *bad_color = color_args(&argc, argv);
	if (bad_color)
		return usage_error("'%s': --color takes auto, always or never", bad_color);
	if (argc < 2)
		return usage_error("missing COMMAND");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_main, stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = (char *)"version";
	if (strcmp(argv[1], "manpage") == 0 && argc == 2)
		return cmd_manpage();
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			struct arena a = { 0 };
			cmd_name = commands[i].name;
			start_opts();
			int rc = commands[i].fn(argc - 1, argv + 1, &a);
			arena_free(&a);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr, "retort: error: cannot write to standard output\n");
				return EXIT_FAILED;
			}
			return rc;
		}
	}
	return unknown_command(argv[1]);
}
