/*
 * revfile.h - write new revision files (`retort revision`, `retort merge`)
 *
 * A new file is rendered from FOLDER/script.sql.tmpl when there is one, else
 * from a built-in template, and named "<rev_id>_<slug>.sql" as Alembic names
 * its scripts. Placeholders, each written ${name}:
 *
 *   ${message}        the -m text
 *   ${rev_id}         the new revision id
 *   ${down_revision}  the revisions it revises, comma-separated ("" for a base)
 *   ${create_date}    local time, "%Y-%m-%d %H:%M:%S"
 *   ${branch_labels}  comma-separated ("" when none)
 *   ${depends_on}     comma-separated ("" when none)
 *
 * and ${if_branch_labels}/${if_depends_on}, which expand to nothing when the
 * list is empty and delete the rest of their line along with it, so optional
 * header lines vanish; ${if_merge}/${if_not_merge} likewise keep their line
 * only for a merge (several revises) or only for any other revision. "$$" stands for one "$". Anything else after "${" is
 * an error.
 */
#ifndef GEN_REVFILE_H
#define GEN_REVFILE_H

#include <stddef.h>

#include "arena.h"

struct revfile_spec {
	const char *message;
	const char *rev_id;
	const char *create_date;
	const char *const *parents;
	size_t n_parents;
	const char *const *labels;
	size_t n_labels;
	const char *const *depends;
	size_t n_depends;
};

/* The template used when the folder has no script.sql.tmpl. */
extern const char revfile_builtin_template[];

/* Alembic's slug: \w+ runs of the message joined by '_', lower-case, cut at 40. */
char *revfile_slug(struct arena *a, const char *message);

/* A fresh random 12-digit hex id. Returns 0, or -1 after printing why. */
int revfile_random_id(char out[13]);

/* Local time now as "%Y-%m-%d %H:%M:%S". */
void revfile_now(char out[32]);

/*
 * Expands `tmpl` (named `tmpl_path` in messages) for `s` into `out`.
 * Returns 0, or -1 after reporting an unknown placeholder.
 */
int revfile_render(const char *tmpl, const char *tmpl_path,
		   const struct revfile_spec *s, struct strbuf *out);

/*
 * Creates `path` holding data[0..len), refusing to replace an existing file.
 * Returns 0, or -1 after printing why.
 */
int revfile_create(const char *path, const char *data, size_t len);

#endif
