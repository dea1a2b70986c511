/*
 * db.h - the connection and the version table
 *
 * Every query goes through a wrapper that checks the result kind and clears
 * the PGresult where it was obtained (fe_utils/query_utils.c's shape).
 */
#ifndef RT_DB_H
#define RT_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "config.h"

/* Schema of retort's own tables, out of the default schema's way. */
#define RT_LOG_SCHEMA "retort"

/* Names of the version table, for SQL and for messages. */
struct vt_names {
	char table[64 + 1];       /* unquoted, as configured */
	char schema[64 + 1];      /* unquoted, "" for the connection's default */
	char resolved[64 + 1];    /* the schema SQL names: `schema`, else online
				     current_schema() as the run began (so that a
				     migration's search_path change cannot move
				     it); "" offline */
	char *qualified;          /* quoted, schema-qualified, for SQL text */
	char *pk;                 /* quoted constraint name "<table>_pkc" */
	char *log;                /* the history log, quoted: retort."<schema>.<table>";
				     offline with no schema, pg_temp.retort_log, a
				     view the script's first transaction makes */
	char *legacy_log;         /* where format-1 migrators kept it, beside the
				     version table: "<table>_log"; NULL offline */
	char *shown;              /* for messages: quoted only where needed */
	char *log_shown;
};

struct db {
	PGconn *conn;
	struct config cfg;
	char target[256];         /* user@host:port/db, no password */
	struct vt_names vt;
	char lock_key[24];        /* the advisory lock's bigint key, as text */
	bool locked;              /* lock.c holds it */
};

/*
 * Resolves the version table's names from the command line, then the
 * configuration. Online, every name is schema-qualified: an unset schema is
 * the connection's current_schema(), read once here, as Alembic does. With
 * `conn` NULL (offline), identifiers are quoted only when they need it, and
 * an unset schema stays unset, as Alembic prints them.
 */
int vt_names_init(struct vt_names *n, const struct cli *c, const struct config *cfg, PGconn *conn);
void vt_names_free(struct vt_names *n);

/* Alembic's DDL for the version table, ending ";\n". */
void vt_write_create(FILE *fp, const struct vt_names *n);
/* The SQL of one version-table change, ending ";\n". */
void vt_write_op(FILE *fp, const struct vt_names *n, const struct rt_set *s, const struct vt_op *op);

/* Loads the configuration only (for offline commands). Returns an exit code. */
int db_config(struct db *d, const struct cli *c);
/* Loads the configuration and connects. Returns an exit code; prints why. */
int db_open(struct db *d, const struct cli *c);
/*
 * Seconds libpq may take to connect, unless PGCONNECT_TIMEOUT or the URL's
 * connect_timeout says otherwise (README "The database").
 */
#define DB_CONNECT_TIMEOUT "10"

/*
 * After db_config(): whether the server accepts connections (PQpingParams),
 * one attempt taking at most `limit_ms` (rounded up to whole seconds, at
 * least 2: libpq's unit and floor), or the connect timeout when negative.
 */
PGPing db_ping(const struct db *d, long limit_ms);
/* Cancels whatever runs, then closes (connect_utils.c's disconnectDatabase). */
void db_close(struct db *d);

/*
 * After the connection failed mid-run: reconnects (PQreset) so that the
 * database can be asked where it stands. Returns whether it worked.
 */
bool db_reconnect(struct db *d);

/* Runs a command that returns no rows; prints the server's error. */
bool db_command(struct db *d, const struct cli *c, const char *sql);

/*
 * Reads the version table: *exists says whether it is there; heads[] gets
 * its rows as revision indexes (sorted). A row this migrator does not know
 * is reported and gives RT_EXIT_UNKNOWN. `heads` holds set->n_revisions.
 */
int db_read_heads(struct db *d, const struct cli *c, unsigned *heads, size_t *n_heads,
		  bool *exists);

/*
 * Prints a failed result the way the migrator reports SQL errors: the
 * server's severity, SQLSTATE and message, then detail, hint and context.
 * `where` ("versions/x.sql:12:5") may be NULL; then the program's name
 * stands first.
 */
void db_report(FILE *fp, const struct cli *c, const PGresult *res, const char *where);

/*
 * db_open() then db_read_heads() into a malloc'ed array (*heads, caller
 * frees, also on failure). Returns an exit code.
 */
int db_open_heads(struct db *d, const struct cli *c, unsigned **heads, size_t *n_heads,
		  bool *exists);

#endif
