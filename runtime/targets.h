/*
 * targets.h - the databases and tenant schemas a fleet run migrates
 *
 * A target is either a connection URL (a database of its own) or a schema
 * name in the database the ordinary configuration names (DATABASE_URL and
 * friends, config.h). They come from --targets FILE (one per line, '#'
 * comments, "-" for stdin), --tenant-schemas PATTERN (SQL LIKE over the
 * schemas of that database, discovered at start) and --targets-query SQL
 * (the first column of its rows, run on that database). A line is a URL
 * when it holds "://", else a schema name.
 *
 * Each target has an identity that never holds a password: the schema
 * name, or user@host:port/db for a URL. Sharding hashes it (FNV-1a, 64
 * bits) rather than taking positions, so that shard I of N picks the same
 * targets whatever order the list came in and each target lands in
 * exactly one shard.
 */
#ifndef RT_TARGETS_H
#define RT_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

struct target {
	char *spec;          /* the URL or the schema name, as given */
	bool is_schema;
	char *desc;          /* for output: user@host:port/db[/schema], no password */
	uint64_t hash;       /* FNV-1a of the identity */
};

struct targets {
	struct target *v;
	size_t n, cap;
	char base_desc[256]; /* the configured database, for schema targets */
};

struct target_sources {
	const char *file;            /* --targets */
	const char *schema_pattern;  /* --tenant-schemas */
	const char *query;           /* --targets-query */
};

/*
 * Gathers the targets of every source, in order, refusing duplicates, bad
 * URLs and empty lists. Returns an exit code after printing why.
 */
int targets_collect(struct targets *t, const struct cli *c, const struct target_sources *src);

/* Keeps the targets whose hash is `i` mod `n`. */
void targets_shard(struct targets *t, unsigned i, unsigned n);

void targets_free(struct targets *t);

/* FNV-1a, 64 bits. */
uint64_t targets_hash(const char *s);

#endif
