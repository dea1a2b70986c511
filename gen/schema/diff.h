/*
 * diff.h - the statements that turn one schema model into another
 *
 * Objects are matched by key. An object only in FROM is dropped, one only in
 * TO created; one in both that differs is altered where PostgreSQL has an
 * ALTER that keeps the data (columns, enums, sequences, extensions,
 * functions with the same result, comments, table options, validation of a
 * NOT VALID constraint), else dropped and created again. Whatever depends
 * (pg_depend) on something dropped, rebuilt or whose column type changes is
 * rebuilt around it. Statements are ordered by dependency: drops of
 * dependants first, creates after what they need.
 */
#ifndef GEN_SCHEMA_DIFF_H
#define GEN_SCHEMA_DIFF_H

#include <stddef.h>

#include "arena.h"
#include "schema/model.h"

struct diff_result {
	struct strbuf sql;     /* statements, each ending ";\n", notes as "-- " lines */
	size_t n_stmts;
	struct strbuf hazards; /* one line each, also in `sql` as comments */
	struct strbuf notes;   /* possible renames, uncompared objects */
};

void schema_diff(struct arena *a, const struct smodel *from, const struct smodel *to,
		 struct diff_result *out);
void diff_release(struct diff_result *r);

#endif
