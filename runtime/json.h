/*
 * json.h - the --json output of the reporting commands
 *
 * Output only, so no JSON library: a string escaper and the few shapes the
 * commands share. Every command prints one object on one line; its shape is
 * documented in docs/commands.md ("--json") and is stable: fields are only ever added.
 */
#ifndef RT_JSON_H
#define RT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* `s` as a JSON string, quotes included; invalid UTF-8 becomes U+FFFD. */
void json_str(FILE *fp, const char *s);
/* "key": with a leading comma unless `first`. */
void json_key(FILE *fp, const char *key, bool first);
/* ["id", ...] of revisions `ix[0..n)`. */
void json_ids(FILE *fp, const struct rt_set *s, const unsigned *ix, size_t n);
/*
 * One revision: {"revision", "message", "parents", "depends_on",
 * "branch_labels", "create_date", "path", "sha256", "checksum",
 * "transactional", "is_head", "is_branchpoint", "is_merge"}, then
 * "is_current" when r->is_current is set.
 */
void json_revision(FILE *fp, const struct report *r, unsigned ix);

/*
 * {"KEY": [revision, ...]} of revisions ix[0..n) and a newline: heads and
 * history --json, the migrator's and the generator's alike.
 */
void json_revisions(FILE *fp, const char *key, const struct report *r, const unsigned *ix,
		    size_t n);

#endif
