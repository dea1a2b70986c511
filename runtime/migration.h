/*
 * migration.h - the contract between generated migration sets and the runtime
 *
 * `retort compile` writes a C file that includes this header and nothing
 * else, and defines exactly one object: `rt_migration_set`. The file is plain
 * data: every table below is a constant initialiser, so a reviewer can read a
 * release's migrations in a diff and the runtime never parses anything at
 * start-up.
 *
 * Change this header only together with RT_FORMAT: a generated file checks
 * the format it was written for and refuses to compile against another.
 */
#ifndef RETORT_MIGRATION_H
#define RETORT_MIGRATION_H

#define RT_FORMAT 2

/* Statement flags. */
#define RT_STMT_AUTOCOMMIT 0x1u /* runs outside any transaction, alone */

/* One SQL statement, exactly as written in its migration file. */
struct rt_stmt {
	unsigned line;   /* 1-based line of its first token in `path` */
	unsigned col;    /* 1-based column (bytes) of that token */
	unsigned flags;  /* RT_STMT_* */
	const char *sql; /* source text up to and including its ';' */
};

/* The upgrade or downgrade half of a revision. */
struct rt_script {
	int present;                 /* 0: no such section, refuse to run it */
	unsigned n_stmts;
	const struct rt_stmt *stmts; /* in execution order */
};

struct rt_revision {
	const char *id;          /* the version_num stored in the version table */
	const char *message;     /* "" when absent */
	const char *create_date; /* "" when absent */
	const char *path;        /* source file, relative to the migration folder */
	const char *sha256;      /* hex SHA-256 of the source file's bytes */
	const char *checksum;    /* "sha256-v2:<hex><hex>" of the normalised upgrade,
				    then downgrade, statements (64 hex digits each) */
	const char *checksum_v1; /* "sha256-v1:<hex>", as migrators before format 2
				    logged it; NULL when not known */
	int transactional;       /* 0: every statement runs outside a transaction */
	unsigned n_parents;      /* Revises: 0 for a base, 2+ for a merge */
	const unsigned *parents; /* indexes into rt_set.revisions */
	unsigned n_depends;      /* Depends On */
	const unsigned *depends; /* indexes into rt_set.revisions */
	unsigned n_labels;       /* Branch Labels */
	const char *const *labels;
	struct rt_script upgrade;
	struct rt_script downgrade;
	/* A squash baseline: the ids of the revisions it stands for, which left
	 * the folder. A database at one of them is refused. Written only when
	 * there are some, so a format-2 file without them means "none". */
	unsigned n_replaces;
	const char *const *replaces;
};

struct rt_set {
	unsigned format;       /* RT_FORMAT the generator wrote */
	const char *generator; /* "retort <version>" */
	const char *digest;    /* hex SHA-256 over every revision's id and checksum */
	unsigned n_revisions;
	const struct rt_revision *revisions; /* topological: parents and
	                                        dependencies before children */
};

/* Defined by the generated file. */
extern const struct rt_set rt_migration_set;

#endif
