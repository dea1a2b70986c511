/*
 * source.h - where a schema comes from, and the server that builds it
 *
 * A SRC is `empty`, a migration folder (its revisions up to its heads), a
 * schema file (plain SQL, pg_dump --schema-only output included), or a
 * postgresql:// URL of a live database, which is only read (its sessions
 * are read-only). All but the URL are built by applying SQL to a scratch
 * database on a scratch server: the --dev-url / RETORT_DEV_URL one, where
 * retort creates and always drops its own databases, or else a throwaway
 * cluster started in a temporary directory from PostgreSQL's server
 * binaries and always stopped.
 */
#ifndef GEN_SCHEMA_SOURCE_H
#define GEN_SCHEMA_SOURCE_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "arena.h"
#include "rev.h"
#include "schema/model.h"

struct scratch;

/* A scratch server, started or connected to on first use. dev_url NULL:
 * RETORT_DEV_URL, else a throwaway cluster. With `privileges`, schema
 * files' GRANT and REVOKE are applied and every source's access lists read. */
struct scratch *scratch_new(struct arena *a, const char *dev_url, bool privileges);
/* Creates n scratch databases in parallel for the sources to come. */
int scratch_reserve(struct scratch *s, int n);
/* Whether SRC is a live database (a URL), which needs no scratch database. */
bool source_is_url(const char *src);
/* Drops every scratch database, stops the throwaway cluster. Idempotent. */
void scratch_close(struct scratch *s);

/* A built or read schema: its model, and the scratch database it is on
 * (NULL for a URL). */
struct source {
	const char *src;
	struct smodel model;
	PGconn *conn;
	bool live;        /* a URL: never written */
	bool privileges;  /* access lists are read */
};

/*
 * Builds (on a new scratch database) or connects to SRC and reads it.
 * `revs` (may be NULL) replaces a folder's revisions: only those are
 * applied, in the order given. Returns 0, or -1 after reporting.
 */
int source_load(struct scratch *s, struct arena *a, const char *src, const char *schemas,
		struct rev **revs, size_t n_revs, struct source *out);

/* Runs SQL text (statements as retort writes them) on conn, in one
 * transaction when `tx`; `what` names it in errors. Returns 0, or -1 after
 * reporting the failing statement. */
int source_apply_text(PGconn *conn, struct arena *a, const char *what, const char *sql, bool tx);

/* Re-reads the model of a source's scratch database. */
int source_reread(struct arena *a, struct source *src, const char *schemas, struct smodel *m);

/* Loads and orders a migration folder; returns the error count. */
unsigned source_folder(struct arena *a, const char *dir, struct rev ***revs, size_t *n);

/* "PostgreSQL 15.4 on a throwaway cluster (…/bin)", once the server runs. */
const char *scratch_describe(const struct scratch *s);

#endif
