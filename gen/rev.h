/*
 * rev.h - one revision as the front ends hand it to graph and emit
 *
 * Front ends (sqlhdr.c for native .sql files, later pyrev.c for Alembic
 * scripts) fill a `struct rev`; graph.c links and orders them; emit.c writes
 * them out. Positions are byte offsets into `file`, for diagnostics.
 */
#ifndef GEN_REV_H
#define GEN_REV_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* A statement of a migration, text exactly as written. */
struct stmt {
	size_t off;      /* byte offset of its first token in the file */
	unsigned flags;  /* RT_STMT_* from runtime/migration.h */
	const char *sql; /* NUL-terminated copy, up to and including ';' */
	size_t len;
};

struct stmt_list {
	struct stmt *v;
	size_t n, cap;
	bool present;    /* the section exists (may still hold no statement) */
};

/* A revision id as written in a header, with where it was written. */
struct rev_ref {
	const char *id;
	size_t off;
};

struct rev_refs {
	struct rev_ref *v;
	size_t n, cap;
};

struct rev {
	const struct src_file *file;
	/* "versions/x.sql", however DIR was typed: what emit.c writes, so the
	 * generated C is the same from anywhere. NULL: file->path. */
	const char *rel_path;
	const char *id;            /* Revision ID */
	size_t id_off;
	const char *message;       /* "" when absent */
	const char *create_date;   /* "" when absent */
	struct rev_refs parents;   /* Revises */
	struct rev_refs depends;   /* Depends On */
	struct rev_refs labels;    /* Branch Labels (ids hold the label) */
	struct rev_refs replaces;  /* Replaces: ids a squash baseline stands for */
	bool transactional;
	struct stmt_list up, down;
	unsigned char sha256[32];  /* of the file's bytes */

	/* Filled by graph.c. */
	size_t index;              /* position in topological order */
	size_t *parent_ix, *depend_ix;
	size_t *child_ix;          /* children by Revises, in index order */
	size_t n_children;
};

#endif
