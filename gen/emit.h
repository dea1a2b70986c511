/*
 * emit.h - write an ordered migration folder as C data for the runtime
 *
 * The output includes runtime/migration.h and nothing else, and defines
 * rt_migration_set. Same revisions in, same bytes out: no dates, no absolute
 * paths, a stable order.
 */
#ifndef GEN_EMIT_H
#define GEN_EMIT_H

#include <stddef.h>

#include "arena.h"
#include "rev.h"

#define RETORT_VERSION "0.1.0"

/* "sha256-v2:" and 2 x 64 hex digits (upgrade, downgrade), with the NUL. */
#define EMIT_CHECKSUM_SIZE (10 + 128 + 1)
/* "sha256-v1:" and 64 hex digits, with the NUL. */
#define EMIT_CHECKSUM_V1_SIZE (10 + 64 + 1)

/*
 * The checksum of a revision's statements, stable across comment and
 * whitespace edits, the upgrade and the downgrade apart (see emit.c for the
 * exact input, fixed forever).
 */
void emit_checksum(const struct rev *r, char out[EMIT_CHECKSUM_SIZE]);
/* The checksum older generators wrote (sha256-v1), still carried. */
void emit_checksum_v1(const struct rev *r, char out[EMIT_CHECKSUM_V1_SIZE]);

/* Hex SHA-256 over every revision's "id\tchecksum\n", in order. */
void emit_digest(struct rev *const *revs, size_t n, char out[65]);

/*
 * Appends the C file for revs[0..n), which graph_order() has ordered, to
 * `out`. `name` is what the first line says it was generated from (the
 * folder's base name, usually).
 */
void emit_c(struct strbuf *out, struct rev *const *revs, size_t n, const char *name);

/*
 * Writes `len` bytes to `path` through a temporary file in the same
 * directory and rename(), so a reader never sees half a file. Returns 0, or
 * -1 after printing why.
 */
int emit_write_file(const char *path, const char *data, size_t len);

#endif
