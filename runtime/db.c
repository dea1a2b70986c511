/*
 * db.c - connecting, and the version table Alembic and retort share
 */
#include "db.h"

#include <stdlib.h>
#include <string.h>

#include "color.h"
#include "fleet.h"
#include "plan.h"
#include "signals.h"

/* An identifier Alembic would print bare: lower-case, no quoting needed. */
static bool plain_identifier(const char *s)
{
	if (!*s || !((*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/*
 * Quotes an identifier. Online, libpq does it (it knows the connection's
 * encoding). Offline there is no connection: print plain names bare, as
 * Alembic's scripts do, and quote the rest by the SQL standard's rule.
 */
static char *quote_ident(PGconn *conn, const char *name)
{
	if (conn) {
		char *q = PQescapeIdentifier(conn, name, strlen(name));
		if (q) {
			char *r = strdup(q);
			PQfreemem(q);
			return r;
		}
	}
	if (plain_identifier(name))
		return strdup(name);
	size_t n = strlen(name);
	char *q = malloc(2 * n + 3), *p = q;
	if (!q)
		return NULL;
	*p++ = '"';
	for (const char *s = name; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	return q;
}

int vt_names_init(struct vt_names *n, const struct cli *c, const struct config *cfg, PGconn *conn)
{
	const char *table = c->version_table ? c->version_table
			  : cfg->version_table ? cfg->version_table : "alembic_version";
	const char *schema = c->version_schema ? c->version_schema
			   : cfg->version_table_schema ? cfg->version_table_schema : "";

	memset(n, 0, sizeof(*n));
	if (!*table || strlen(table) >= sizeof(n->table) || strlen(schema) >= sizeof(n->schema)) {
		cli_error(c, "version table name '%s%s%s' is empty or longer than 64 bytes",
			  schema, *schema ? "." : "", table);
		return RT_EXIT_CONFIG;
	}
	strcpy(n->table, table);
	strcpy(n->schema, schema);
	strcpy(n->resolved, schema);
	if (conn && !*schema) {
		PGresult *res = PQexec(conn, "SELECT pg_catalog.current_schema()");
		bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
		if (ok && !PQgetisnull(res, 0, 0))
			snprintf(n->resolved, sizeof(n->resolved), "%s", PQgetvalue(res, 0, 0));
		if (!ok)
			db_report(stderr, c, res, NULL);
		PQclear(res);
		if (!ok)
			return RT_EXIT_FAIL;
		if (!*n->resolved) {
			cli_error(c, "no schema to find the version table '%s' in: the connection's "
				  "search_path names no schema that exists", table);
			cli_hint("set version_table_schema in retort.ini, or --version-table-schema, "
				 "or fix the role's search_path");
			return RT_EXIT_CONFIG;
		}
	}
	schema = n->resolved;

	/* PostgreSQL would silently cut a longer log table name (NAMEDATALEN). */
	if (strlen(schema) + 1 + strlen(table) > 63 || strlen(table) + 4 > 63) {
		cli_error(c, "version table '%s%s%s' is too long to name its history log '%s.%s%s%s'",
			  schema, *schema ? "." : "", table, RT_LOG_SCHEMA, schema, *schema ? "." : "",
			  table);
		cli_detail("PostgreSQL names are at most 63 bytes");
		return RT_EXIT_CONFIG;
	}
	char pk[64 + 5], log[2 * 64 + 2], legacy[64 + 5];
	snprintf(pk, sizeof(pk), "%s_pkc", table);
	snprintf(log, sizeof(log), "%s.%s", schema, table);
	snprintf(legacy, sizeof(legacy), "%s_log", table);
	char *qt = quote_ident(conn, table);
	char *ql = *schema ? quote_ident(conn, log) : strdup("pg_temp.retort_log");
	char *qs = *schema ? quote_ident(conn, schema) : NULL;
	char *qlegacy = conn ? quote_ident(conn, legacy) : NULL;
	n->pk = quote_ident(conn, pk);
	if (!qt || !ql || (*schema && !qs) || (conn && !qlegacy) || !n->pk) {
		free(qt), free(ql), free(qs), free(qlegacy);
		free(n->pk), n->pk = NULL;
		cli_error(c, "cannot quote the version table name: %s",
			  conn ? PQerrorMessage(conn) : "out of memory");
		return RT_EXIT_CONFIG;
	}
	if (*schema) {
		n->log = malloc(strlen(RT_LOG_SCHEMA) + strlen(ql) + 2);
		if (n->log)
			sprintf(n->log, "%s.%s", RT_LOG_SCHEMA, ql);
	} else {
		n->log = strdup(ql);
	}
	if (qs) {
		n->qualified = malloc(strlen(qs) + strlen(qt) + 2);
		if (n->qualified)
			sprintf(n->qualified, "%s.%s", qs, qt);
		if (qlegacy) {
			n->legacy_log = malloc(strlen(qs) + strlen(qlegacy) + 2);
			if (n->legacy_log)
				sprintf(n->legacy_log, "%s.%s", qs, qlegacy);
		}
		free(qt), free(qs);
	} else {
		n->qualified = qt;
	}
	free(ql), free(qlegacy);
	/* Messages name tables as Alembic's scripts do: bare when plain. */
	char *st = quote_ident(NULL, table);
	char *sl = *schema ? quote_ident(NULL, log) : NULL;
	char *ss = *n->schema ? quote_ident(NULL, n->schema) : NULL;
	n->shown = malloc((st ? strlen(st) : 0) + (ss ? strlen(ss) : 0) + 2);
	n->log_shown = malloc(strlen(RT_LOG_SCHEMA) + (sl ? strlen(sl) : 0) + strlen(n->log) + 2);
	if (st && (sl || !*schema) && n->shown && n->log_shown) {
		sprintf(n->shown, "%s%s%s", ss ? ss : "", ss ? "." : "", st);
		if (sl)
			sprintf(n->log_shown, "%s.%s", RT_LOG_SCHEMA, sl);
		else
			strcpy(n->log_shown, n->log);
	}
	free(st), free(sl), free(ss);
	if (!n->qualified || !n->log || !n->shown || !n->log_shown || (conn && !n->legacy_log)) {
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	return RT_EXIT_OK;
}

void vt_names_free(struct vt_names *n)
{
	free(n->qualified);
	free(n->pk);
	free(n->log);
	free(n->legacy_log);
	free(n->shown);
	free(n->log_shown);
	n->qualified = n->pk = n->log = n->legacy_log = n->shown = n->log_shown = NULL;
}

void vt_write_create(FILE *fp, const struct vt_names *n)
{
	/* Byte for byte what Alembic 1.8 emits on PostgreSQL. */
	fprintf(fp, "CREATE TABLE %s (\n"
		    "    version_num VARCHAR(32) NOT NULL, \n"
		    "    CONSTRAINT %s PRIMARY KEY (version_num)\n"
		    ");\n", n->qualified, n->pk);
}

/*
 * Revision ids are [A-Za-z0-9_]+ (the generator refuses anything else), so
 * they are written as literals without escaping.
 */
void vt_write_op(FILE *fp, const struct vt_names *n, const struct rt_set *s, const struct vt_op *op)
{
	const char *t = n->qualified;
	switch (op->kind) {
	case VT_INSERT:
		fprintf(fp, "INSERT INTO %s (version_num) VALUES ('%s');\n",
			t, s->revisions[op->to].id);
		break;
	case VT_DELETE:
		fprintf(fp, "DELETE FROM %s WHERE %s.version_num = '%s';\n",
			t, t, s->revisions[op->from].id);
		break;
	case VT_UPDATE:
		fprintf(fp, "UPDATE %s SET version_num='%s' WHERE %s.version_num = '%s';\n",
			t, s->revisions[op->to].id, t, s->revisions[op->from].id);
		break;
	}
}

int db_config(struct db *d, const struct cli *c)
{
	char err[512];

	memset(d, 0, sizeof(*d));
	if (config_load(&d->cfg, c->config_path, err, sizeof(err)) != 0) {
		cli_error(c, "%s", err);
		return RT_EXIT_CONFIG;
	}
	config_describe(&d->cfg, d->target, sizeof(d->target));
	return RT_EXIT_OK;
}

static void notice_to_stderr(void *arg, const PGresult *res)
{
	const struct cli *c = arg;
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	/* Server notices are news, not errors: --quiet silences them. */
	fprintf(cli_info(c), "%s: %s: %s\n", c->prog, sev ? sev : "NOTICE", msg ? msg : "");
}

/* Room for conn_params: ours, the configuration's, one more, NULL. */
#define CONN_PARAMS (CONFIG_MAX_PARAMS + 4)

/* The keyword/value arrays for libpq, NULL-terminated; returns their count. */
static size_t conn_params(const struct db *d, const char **kw, const char **val)
{
	/*
	 * Migration files are UTF-8 (the generator checks), and the server
	 * reports error positions in characters of the client encoding.
	 */
	size_t k = 0;
	kw[k] = "client_encoding", val[k++] = "UTF8";
	/*
	 * libpq waits for ever by default for a server that accepts the TCP
	 * connection and never answers. Ours is a default: PGCONNECT_TIMEOUT,
	 * or connect_timeout in the URL (it comes later, so it wins), says
	 * otherwise.
	 */
	const char *env = getenv("PGCONNECT_TIMEOUT");
	if (!env || !*env)
		kw[k] = "connect_timeout", val[k++] = DB_CONNECT_TIMEOUT;
	for (size_t i = 0; d->cfg.keywords[i]; i++)
		kw[k] = d->cfg.keywords[i], val[k++] = d->cfg.values[i];
	kw[k] = val[k] = NULL;
	return k;
}

PGPing db_ping(const struct db *d, long limit_ms)
{
	const char *kw[CONN_PARAMS], *val[CONN_PARAMS];
	char secs[32];
	size_t k = conn_params(d, kw, val);
	/* Last, so it wins: one attempt never outlasts the caller's limit. */
	if (limit_ms >= 0) {
		snprintf(secs, sizeof(secs), "%ld", limit_ms / 1000 + (limit_ms % 1000 != 0));
		if (limit_ms == 0)
			snprintf(secs, sizeof(secs), "1");
		kw[k] = "connect_timeout", val[k++] = secs;
		kw[k] = val[k] = NULL;
	}
	return PQpingParams(kw, val, 1);
}

int db_open(struct db *d, const struct cli *c)
{
	int rc = db_config(d, c);
	if (rc != RT_EXIT_OK)
		return rc;

	const char *kw[CONN_PARAMS], *val[CONN_PARAMS];
	conn_params(d, kw, val);
	sig_connecting(c->prog);
	d->conn = PQconnectdbParams(kw, val, 1);
	sig_connected();
	if (!d->conn || PQstatus(d->conn) != CONNECTION_OK) {
		cli_error(c, "cannot connect to %s", d->target);
		if (d->conn)
			cli_detail("%s", PQerrorMessage(d->conn));
		cli_hint("the connection comes from %s; see '%s --help'",
			 config_source_name(d->cfg.source), c->prog);
		db_close(d);
		return RT_EXIT_CONNECT;
	}
	PQsetNoticeReceiver(d->conn, notice_to_stderr, (void *)c);
	return vt_names_init(&d->vt, c, &d->cfg, d->conn);
}

void db_close(struct db *d)
{
	if (d->conn) {
		/* A statement may still run server-side after an error path. */
		if (PQtransactionStatus(d->conn) == PQTRANS_ACTIVE) {
			PGcancel *cancel = PQgetCancel(d->conn);
			char buf[256];
			if (cancel) {
				PQcancel(cancel, buf, sizeof(buf));
				PQfreeCancel(cancel);
			}
		}
		PQfinish(d->conn);
		d->conn = NULL;
	}
	vt_names_free(&d->vt);
	config_free(&d->cfg);
}

void db_report(FILE *fp, const struct cli *c, const PGresult *res, const char *where)
{
	const char *sev = PQresultErrorField(res, PG_DIAG_SEVERITY);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *context = PQresultErrorField(res, PG_DIAG_CONTEXT);

	if (!where)
		where = c->prog;
	if (!msg) {
		/* Not the server's error but libpq's (connection lost, ...). */
		const char *m = PQresultErrorMessage(res);
		fprintf(fp, "%s: %serror:%s %.*s\n", where, color_start(stderr, COLOR_ERROR),
			color_end(stderr), (int)strcspn(m, "\n"), m);
		return;
	}
	/* psql's verbose layout, so PostgreSQL users read it at a glance. */
	fprintf(fp, "%s: %s%s:%s  %s: %s\n", where, color_start(stderr, COLOR_ERROR),
		sev ? sev : "ERROR", color_end(stderr), state ? state : "XX000", msg);
	if (detail)
		fprintf(fp, "detail: %s\n", detail);
	if (hint)
		fprintf(fp, "%shint:%s %s\n", color_start(stderr, COLOR_NOTE), color_end(stderr), hint);
	if (context)
		fprintf(fp, "context: %s\n", context);
}

bool db_reconnect(struct db *d)
{
	d->locked = false; /* the old session's lock went with it */
	PQreset(d->conn);
	return PQstatus(d->conn) == CONNECTION_OK;
}

bool db_command(struct db *d, const struct cli *c, const char *sql)
{
	PGresult *res = PQexec(d->conn, sql);
	bool ok = res && (PQresultStatus(res) == PGRES_COMMAND_OK ||
			  PQresultStatus(res) == PGRES_TUPLES_OK);
	if (!ok) {
		if (res)
			db_report(stderr, c, res, NULL);
		else
			cli_error(c, "%s", PQerrorMessage(d->conn));
	}
	PQclear(res);
	return ok;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return (x > y) - (x < y);
}

/* The squash baseline standing for `id`, or NULL. Linear in what was squashed. */
static const struct rt_revision *replaced_by(const struct rt_set *s, const char *id)
{
	for (unsigned i = 0; i < s->n_revisions; i++)
		for (unsigned k = 0; k < s->revisions[i].n_replaces; k++)
			if (strcmp(s->revisions[i].replaces[k], id) == 0)
				return &s->revisions[i];
	return NULL;
}

int db_read_heads(struct db *d, const struct cli *c, unsigned *heads, size_t *n_heads,
		  bool *exists)
{
	const struct rt_set *s = c->set;
	const char *params[1] = { d->vt.qualified };
	PGresult *res;

	*n_heads = 0;
	*exists = false;
	res = PQexecParams(d->conn, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", 1, NULL,
			   params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(stderr, c, res, NULL);
		PQclear(res);
		return RT_EXIT_FAIL;
	}
	*exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!*exists) {
		fleet_note_heads(heads, 0, false);
		return RT_EXIT_OK;
	}

	char sql[1024]; /* a quoted schema and table: at most 4 * 64 + 5 bytes */
	snprintf(sql, sizeof(sql), "SELECT version_num FROM %s ORDER BY version_num",
		 d->vt.qualified);
	res = PQexec(d->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(stderr, c, res, NULL);
		PQclear(res);
		return RT_EXIT_FAIL;
	}
	int rc = RT_EXIT_OK;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, 0);
		unsigned ix;
		struct rt_err err;
		/* Exact ids only: a prefix match here would hide a real mismatch. */
		if (plan_find(s, id, &ix, &err) != 0 || strcmp(s->revisions[ix].id, id) != 0) {
			const struct rt_revision *b = replaced_by(s, id);
			if (b) {
				(c->unknown_warns ? cli_warn : cli_error)(
					c, "the database is at revision '%s', which was squashed into the "
					"baseline '%s'", id, b->id);
				cli_detail("%s holds it in %s; this migrator creates the schema of '%s' "
					   "at once (%s) and cannot run the revisions between", d->target,
					   d->vt.qualified, b->id, b->path);
				if (!c->unknown_warns)
					cli_hint("upgrade this database to '%s' or later with an earlier release's "
						 "migrator (one built before the squash), then run this one",
						 b->id);
				rc = RT_EXIT_UNKNOWN;
				continue;
			}
			(c->unknown_warns ? cli_warn : cli_error)(
				c, "the database is at revision '%s', which this migrator does not know", id);
			cli_detail("%s holds it in %s; this migrator has %u revisions, heads and all",
				   d->target, d->vt.qualified, s->n_revisions);
			if (!c->unknown_warns)
				cli_hint("a newer release probably migrated this database: run that release's "
					 "migrator, or 'stamp --purge' a known revision if you are sure");
			rc = RT_EXIT_UNKNOWN;
			continue;
		}
		if (*n_heads < s->n_revisions)
			heads[(*n_heads)++] = ix;
	}
	PQclear(res);
	qsort(heads, *n_heads, sizeof(*heads), cmp_unsigned);
	fleet_note_heads(heads, *n_heads, true);
	return rc;
}

int db_open_heads(struct db *d, const struct cli *c, unsigned **heads, size_t *n_heads,
		  bool *exists)
{
	*n_heads = 0;
	*heads = malloc((c->set->n_revisions + 1) * sizeof(**heads));
	if (!*heads) {
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	int rc = db_open(d, c);
	if (rc != RT_EXIT_OK)
		return rc;
	return db_read_heads(d, c, *heads, n_heads, exists);
}
