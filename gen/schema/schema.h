/*
 * schema.h - the commands built on the schema model: diff, check and
 * revision --autogenerate
 *
 * The one header gen/main.c includes from gen/schema/: nothing here needs
 * libpq's headers.
 */
#ifndef GEN_SCHEMA_SCHEMA_H
#define GEN_SCHEMA_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "rev.h"

/* retort diff --from SRC --to SRC: 0 same, 1 different, 2 errors. */
int schema_cmd_diff(int argc, char **argv, struct arena *a);
/* retort check DIR --schema SRC: 0 same, 1 different, 2 errors. */
int schema_cmd_check(int argc, char **argv, struct arena *a);

struct autogen {
	const char *dir;         /* the folder */
	struct rev **revs;       /* what its new revision revises, in order */
	size_t n_revs;
	const char *schema;      /* SRC; NULL: retort.ini's, else DIR/schema.sql */
	const char *dev_url;
	const char *schemas;     /* "a,b" or NULL */
	bool privileges;         /* --privileges (else retort.ini's) */
	/* The target is DIR with only these revisions applied, in order, instead
	 * of SRC (squash: the history up to a revision); `to_name` names it. */
	struct rev **to_revs;
	size_t n_to_revs;
	const char *to_name;
	/* Out: */
	char *upgrade, *downgrade; /* heap, statements ending ";\n" */
	bool non_transactional;    /* the revision must run outside a transaction */
};

/*
 * Works out, proves by a round trip on a scratch database and returns the
 * upgrade and downgrade of a new revision. Returns 0 with both set, 1 when
 * there is nothing to do (said on stderr), -1 after reporting errors.
 */
int schema_autogenerate(struct arena *a, struct autogen *g);

/* retort squash DIR --to REV: see squash.c. 0 done, 1 refused or failed, 2 usage. */
int schema_cmd_squash(int argc, char **argv, struct arena *a);

#endif
