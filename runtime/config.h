/*
 * config.h - where the migrator finds its database and version table
 *
 * Order, first match wins (the seed's, then libpq's):
 *   1. DATABASE_URL (SQLAlchemy URLs too: the "+driver" part is dropped)
 *   2. DB_USER, DB_PASSWORD, DB_HOST, DB_PORT, DB_NAME (any one set)
 *   3. sqlalchemy.url in the [alembic] section of alembic.ini
 *      (path from -c/--config, else ALEMBIC_CONFIG, else ./alembic.ini)
 *   4. nothing: libpq's own defaults (PG* variables, ~/.pgpass, service file)
 *
 * The result is a libpq keyword/value array for PQconnectdbParams with
 * expand_dbname = 1, never a pasted connection string, so values with
 * spaces or quotes pass through untouched.
 *
 * Reading the arrays: "application_name" comes first (unless PGAPPNAME is
 * set) so that a URL's own application_name wins; a URL is the one
 * expandable "dbname"; when DB_NAME itself looks like a connection string,
 * an empty "dbname" precedes it so that libpq does not expand it. The ini
 * file is read whenever one is found, for version_table and
 * version_table_schema in [alembic] (overridden by RETORT_VERSION_TABLE
 * and RETORT_VERSION_TABLE_SCHEMA); its sqlalchemy.url counts only when it
 * is not Alembic's placeholder "driver://user:pass@localhost/dbname".
 * Empty variables count as unset.
 */
#ifndef RT_CONFIG_H
#define RT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum config_source {
	CONFIG_DATABASE_URL,
	CONFIG_DB_VARS,
	CONFIG_INI,
	CONFIG_LIBPQ_DEFAULTS,
};

#define CONFIG_MAX_PARAMS 12

struct config {
	enum config_source source;
	/* NULL-terminated, for PQconnectdbParams(keywords, values, 1). */
	const char *keywords[CONFIG_MAX_PARAMS];
	const char *values[CONFIG_MAX_PARAMS];
	char *owned[CONFIG_MAX_PARAMS];   /* strings to free */
	const char *ini_path;             /* the alembic.ini consulted, or NULL */
	char *version_table;              /* default "alembic_version" */
	char *version_table_schema;       /* NULL: the connection's default */
};

/*
 * Reads the environment (through getenv) and, when needed, the ini file.
 * `ini_path` is -c/--config or NULL. A named ini file that is missing is an
 * error; ./alembic.ini that is missing is not. Returns 0, or -1 after writing
 * a message (no password in it) to errbuf.
 *
 * The message may go on with lines of their own starting "detail: " or
 * "hint: ". After an error `c` holds nothing to free.
 */
int config_load(struct config *c, const char *ini_path, char *errbuf, size_t errlen);

/* -n/--name: read this section of the ini file instead of [alembic]. */
void config_set_section(const char *name);

/* "user@host:port/dbname" for messages: never the password. */
void config_describe(const struct config *c, char *buf, size_t len);

/* Human name of c->source, e.g. "DATABASE_URL". */
const char *config_source_name(enum config_source s);

void config_free(struct config *c);

#endif
