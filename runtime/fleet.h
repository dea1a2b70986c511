/*
 * fleet.h - one migrator run over many databases and tenant schemas
 *
 * With --targets, --tenant-schemas or --targets-query, upgrade, downgrade,
 * stamp, check and current run once per target (targets.h) instead of
 * once. The driver forks one child per target, at most --jobs at a time;
 * the child runs the ordinary command in-process against its target (a
 * URL becomes its DATABASE_URL; a schema becomes the version table's
 * schema and the only entry of search_path, through PGOPTIONS) with its
 * output captured, and reports a small record over a pipe: exit code,
 * revisions applied, the version table before and after. The parent only
 * schedules, prints one line per finished target and sums up.
 *
 * Why processes and not threads or one connection per job: the single
 * target code paths (locking, signals, rollback, output) stay exactly what
 * they are, with their globals; a crash or a leak in one target cannot
 * touch another; and a fork costs far less than the server's own
 * backend start-up that every target pays anyway.
 *
 * Each target takes its own migration lock (its key follows the version
 * table's schema, lock.h), so two fleet runs, or a fleet run and a single
 * one, serialise per target and never apply a revision twice.
 *
 * SIGINT/SIGTERM: no new target starts; the running children get SIGTERM,
 * cancel their statement, roll back and exit 130; the summary says where
 * every target stands.
 */
#ifndef RT_FLEET_H
#define RT_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "plan.h"
#include "targets.h"

struct fleet_opts {
	struct target_sources src;
	bool active;            /* a target source was given */
	long jobs;              /* --jobs */
	long canary;            /* --canary K; 0: none */
	long max_failures;      /* --max-failures F; -1: run them all */
	long shard, shards;     /* --shard I/N, --shards N; shards 0: all targets */
	bool json;              /* --json: one object per target, then a summary */
};

/*
 * Takes the fleet options out of argv (anywhere before "--"), so that the
 * commands' own parsing never sees them. Returns RT_EXIT_OK or prints a
 * usage error and returns its exit code.
 */
int fleet_args(struct fleet_opts *o, const struct cli *c, int *argc, char **argv);

/* The i-th fleet option (false past the last), for completion and the man page. */
bool fleet_option(size_t i, const char **name, bool *has_arg);
/* Whether cmd runs over a fleet. */
bool fleet_command(const char *cmd);

/* Runs `cmd` over the fleet. Returns the fleet's exit code (README). */
int fleet_run(struct cli *c, const struct fleet_opts *o, const char *cmd,
	      int (*fn)(struct cli *, int, char **), int argc, char **argv);

/* Help lines for the fleet options. */
void fleet_help(FILE *fp);

/*
 * Hooks for the child: the version table as read (db_read_heads), and
 * what a writing command's plan did. No-ops outside a fleet child.
 */
void fleet_note_heads(const unsigned *heads, size_t n, bool exists);
/* Whether this process runs one target of a fleet (current then reports dirty targets). */
bool fleet_child(void);
void fleet_note_plan(const struct plan *p, int rc);

#endif
