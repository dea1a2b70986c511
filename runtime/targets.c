/*
 * targets.c - gather, check and shard a fleet's targets
 */
#include "targets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "db.h"

uint64_t targets_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static int oom(const struct cli *c)
{
	cli_error(c, "out of memory");
	return RT_EXIT_FAIL;
}

/* user@host:port/db of a URL, through the very code that will connect with it. */
static int describe_url(const struct cli *c, const char *url, const char *where, char *buf,
			size_t len)
{
	const char *old = getenv("DATABASE_URL");
	char *saved = old ? strdup(old) : NULL;
	struct config cfg;
	char err[1024];
	int rc;

	if (old && !saved)
		return oom(c);
	setenv("DATABASE_URL", url, 1);
	rc = config_load(&cfg, c->config_path, err, sizeof(err));
	if (saved)
		setenv("DATABASE_URL", saved, 1);
	else
		unsetenv("DATABASE_URL");
	free(saved);
	if (rc != 0) {
		/* config's message names "DATABASE_URL": say where the URL really came from. */
		cli_error(c, "bad target URL in %s", where);
		fprintf(stderr, "%s\n", err);
		return RT_EXIT_CONFIG;
	}
	config_describe(&cfg, buf, len);
	config_free(&cfg);
	return RT_EXIT_OK;
}

static int add(struct targets *t, const struct cli *c, const char *spec, const char *where)
{
	char desc[512];
	bool is_schema = strstr(spec, "://") == NULL;
	int rc;

	if (is_schema) {
		if (strlen(spec) > 63) {
			cli_error(c, "target schema '%s' in %s is longer than 63 bytes", spec, where);
			return RT_EXIT_USAGE;
		}
		snprintf(desc, sizeof(desc), "%s/%s", t->base_desc, spec);
	} else if ((rc = describe_url(c, spec, where, desc, sizeof(desc))) != RT_EXIT_OK) {
		return rc;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct target *v = realloc(t->v, cap * sizeof(*v));
		if (!v)
			return oom(c);
		t->v = v, t->cap = cap;
	}
	struct target *x = &t->v[t->n];
	x->spec = strdup(spec);
	x->desc = strdup(desc);
	x->is_schema = is_schema;
	if (!x->spec || !x->desc) {
		free(x->spec), free(x->desc);
		return oom(c);
	}
	/* A schema's identity is its name (the database is the run's); a URL's its description. */
	char ident[600];
	snprintf(ident, sizeof(ident), "%s:%s", is_schema ? "schema" : "db", is_schema ? spec : desc);
	x->hash = targets_hash(ident);
	t->n++;
	return RT_EXIT_OK;
}

/* Trims blanks and the line end; NULL for a blank or comment line. */
static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return *s && *s != '#' ? s : NULL;
}

static int from_file(struct targets *t, const struct cli *c, const char *path)
{
	bool std = strcmp(path, "-") == 0;
	FILE *fp = std ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = RT_EXIT_OK;

	if (!fp) {
		cli_error(c, "cannot read the targets file '%s': %s", path, strerror(errno));
		return RT_EXIT_USAGE;
	}
	while (rc == RT_EXIT_OK && getline(&line, &cap, fp) != -1) {
		char where[512], *spec = trim(line);
		lineno++;
		if (!spec)
			continue;
		snprintf(where, sizeof(where), "%s:%u", std ? "<stdin>" : path, lineno);
		rc = add(t, c, spec, where);
	}
	if (rc == RT_EXIT_OK && ferror(fp)) {
		cli_error(c, "cannot read the targets file '%s': %s", path, strerror(errno));
		rc = RT_EXIT_USAGE;
	}
	free(line);
	if (!std)
		fclose(fp);
	return rc;
}

/* Rows of one query on the configured database: --tenant-schemas and --targets-query. */
static int from_query(struct targets *t, const struct cli *c, const char *sql, const char *param,
		      const char *where)
{
	struct db d = { 0 };
	int rc = db_open(&d, c);

	if (rc != RT_EXIT_OK) {
		db_close(&d);
		return rc;
	}
	PGresult *res = PQexecParams(d.conn, sql, param ? 1 : 0, NULL, param ? &param : NULL,
				     NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQnfields(res) < 1) {
		if (PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK)
			cli_error(c, "%s returned no rows to take targets from", where);
		else
			db_report(stderr, c, res, NULL);
		rc = RT_EXIT_CONFIG;
	}
	for (int i = 0; rc == RT_EXIT_OK && i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 0)) {
			cli_error(c, "%s returned a NULL target in row %d", where, i + 1);
			rc = RT_EXIT_CONFIG;
			break;
		}
		char *v = strdup(PQgetvalue(res, i, 0)), *spec = v ? trim(v) : NULL;
		if (!v)
			rc = oom(c);
		else if (!spec) {
			cli_error(c, "%s returned an empty target in row %d", where, i + 1);
			rc = RT_EXIT_CONFIG;
		} else
			rc = add(t, c, spec, where);
		free(v);
	}
	PQclear(res);
	db_close(&d);
	return rc;
}

static int cmp_hash(const void *a, const void *b)
{
	const struct target *x = *(const struct target *const *)a, *y = *(const struct target *const *)b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->is_schema != y->is_schema)
		return x->is_schema ? -1 : 1;
	return strcmp(x->is_schema ? x->spec : x->desc, y->is_schema ? y->spec : y->desc);
}

/* The same target twice would queue behind itself and be counted twice. */
static int refuse_duplicates(const struct targets *t, const struct cli *c)
{
	const struct target **v = malloc((t->n + 1) * sizeof(*v));
	int rc = RT_EXIT_OK;

	if (!v)
		return oom(c);
	for (size_t i = 0; i < t->n; i++)
		v[i] = &t->v[i];
	qsort(v, t->n, sizeof(*v), cmp_hash);
	for (size_t i = 1; i < t->n; i++) {
		if (cmp_hash(&v[i - 1], &v[i]) == 0) {
			cli_error(c, "target '%s' is listed twice", v[i]->desc);
			cli_hint("each target must appear once across --targets, --tenant-schemas and --targets-query");
			rc = RT_EXIT_USAGE;
			break;
		}
	}
	free(v);
	return rc;
}

int targets_collect(struct targets *t, const struct cli *c, const struct target_sources *src)
{
	struct config cfg;
	char err[1024];
	int rc = RT_EXIT_OK;

	memset(t, 0, sizeof(*t));
	if (config_load(&cfg, c->config_path, err, sizeof(err)) == 0) {
		config_describe(&cfg, t->base_desc, sizeof(t->base_desc));
		config_free(&cfg);
	} else if (src->schema_pattern || src->query) {
		cli_error(c, "%s", err);
		return RT_EXIT_CONFIG;
	} else {
		snprintf(t->base_desc, sizeof(t->base_desc), "(no database configured)");
	}
	if (src->file)
		rc = from_file(t, c, src->file);
	if (rc == RT_EXIT_OK && src->schema_pattern)
		rc = from_query(t, c,
				"SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE $1 "
				"AND nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY nspname",
				src->schema_pattern, "--tenant-schemas");
	if (rc == RT_EXIT_OK && src->query)
		rc = from_query(t, c, src->query, NULL, "--targets-query");
	if (rc == RT_EXIT_OK)
		rc = refuse_duplicates(t, c);
	if (rc != RT_EXIT_OK)
		targets_free(t);
	return rc;
}

void targets_shard(struct targets *t, unsigned i, unsigned n)
{
	size_t k = 0;

	for (size_t j = 0; j < t->n; j++) {
		if (t->v[j].hash % n == i) {
			t->v[k++] = t->v[j];
		} else {
			free(t->v[j].spec);
			free(t->v[j].desc);
		}
	}
	t->n = k;
}

void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].spec);
		free(t->v[i].desc);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
