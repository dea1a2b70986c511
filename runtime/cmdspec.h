/*
 * cmdspec.h - a binary's command line as data: shell completion, man page
 *
 * Both retort and every migrator describe themselves from the tables
 * their --help comes from, not from a copy: each command is run once in
 * "describe" mode, where the first getopt call hands over the command's
 * struct option array and returns at once (spec_getopt()), and once with
 * --help, whose text gives each option's value name and description and
 * the command's positional arguments. The same spec then prints a bash,
 * zsh or fish completion script (complete.c) or a man page (manpage.c).
 *
 * Pure code, no libpq: the generator links it too.
 */
#ifndef RT_CMDSPEC_H
#define RT_CMDSPEC_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What a value or positional argument is, for completion. */
enum spec_kind {
	SPEC_NONE,  /* no argument */
	SPEC_WORD,  /* free text: nothing to offer */
	SPEC_FILE,
	SPEC_DIR,
	SPEC_REV,   /* a revision of the embedded graph */
};

struct spec_opt {
	char *name;            /* long name */
	char short_name;       /* 0: none */
	bool has_arg;
	bool common;           /* one of the options every command takes */
	char *metavar;         /* from --help; NULL: not shown there */
	char *desc;            /* from --help; NULL: not described */
	enum spec_kind kind;   /* of the value */
};

struct spec_cmd {
	const char *name;
	char *summary;         /* one line */
	char *help;            /* the command's --help */
	struct spec_opt *opts;
	size_t n_opts;
	enum spec_kind arg;    /* its positional arguments */
};

struct spec {
	const char *prog;      /* the binary's name */
	struct spec_cmd *cmds;
	size_t n_cmds;
	struct spec_opt *top;  /* options before the command */
	size_t n_top;
	bool revisions;        /* `PROG completion revisions` lists them */
};

/*
 * The one getopt_long call of a command. While a spec is being built, it
 * records shortopts and longopts (plus common[], the options every command
 * takes, NULL when none) and returns '?' with optind 1, so the command
 * stops as on a bad option; otherwise it is getopt_long().
 */
int spec_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts,
		const struct option *common, size_t n_common);
bool spec_describing(void);

/*
 * Runs the command `name` through run() twice (see above), standard output
 * and error captured, and adds it to s. Returns 0, or -1 when the command
 * never called spec_getopt() or memory ran out.
 */
typedef int spec_run_fn(void *ctx, int argc, char **argv);
int spec_add(struct spec *s, const char *name, const char *summary, spec_run_fn *run, void *ctx);

/*
 * Takes each command's summary from a help text listing commands one a
 * line ("  NAME ...  summary", the summary maybe on the next line), for
 * commands that have none yet.
 */
void spec_summaries(struct spec *s, const char *help);

/* An option before the command (--help, --version); metavar NULL: no value. */
int spec_add_top(struct spec *s, const char *name, char short_name, const char *metavar,
		 const char *desc);

/* Adds opts to cmd as common options, described by help (fleet options). */
int spec_add_opts(struct spec *s, struct spec_cmd *cmd, const struct option *opts,
		  const char *help);

/* The descriptions of options found in help (e.g. fleet options, printed apart). */
void spec_describe_from(struct spec_opt *opts, size_t n, const char *help, bool revisions);

void spec_free(struct spec *s);

/* Prints the completion script for shell ("bash", "zsh", "fish"); -1: unknown shell. */
int spec_complete(FILE *fp, const struct spec *s, const char *shell);

/* The man page's prose around the generated command and option lists. */
struct spec_page {
	const char *title;       /* .TH name, upper case */
	const char *name_line;   /* NAME section: "retort \- ..." */
	const char *synopsis;    /* e.g. "COMMAND [OPTIONS]" */
	const char *description; /* paragraphs, blank-line separated */
	const char *common_title; /* heading for the common options; NULL: none */
	const char *tail;        /* further sections, as roff (.SH ...) */
	const char *version;
};

/* Prints the man page (man(7) macros). */
void spec_manpage(FILE *fp, const struct spec *s, const struct spec_page *p);

/* Text with roff's special characters escaped, for the prose of a page. */
void spec_roff_text(FILE *fp, const char *text);

#endif
