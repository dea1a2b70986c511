/*
 * e2e.c - drive migrators and inspect the database they changed
 */
#include "e2e.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static PGconn *connect_db(const char *db)
{
	const char *kw[] = { "dbname", NULL };
	const char *val[] = { db, NULL };
	PGconn *conn = PQconnectdbParams(kw, val, 0);
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "connect %s: %s", db, PQerrorMessage(conn));
	PGresult *res = PQexec(conn, "SET client_min_messages = warning");
	PQclear(res);
	return conn;
}

void e2e_exec(const char *db, const char *sql)
{
	PGconn *conn = connect_db(db);
	PGresult *res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
		      "%s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	PQfinish(conn);
}

void e2e_createdb(const char *name)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
	e2e_exec("postgres", sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\"", name);
	e2e_exec("postgres", sql);
}

char *e2e_query(const char *db, const char *sql)
{
	PGconn *conn = connect_db(db);
	PGresult *res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
	size_t cap = 1;
	for (int i = 0; i < PQntuples(res); i++)
		cap += strlen(PQgetvalue(res, i, 0)) + 1;
	char *s = calloc(1, cap);
	for (int i = 0; i < PQntuples(res); i++) {
		if (i)
			strcat(s, ",");
		strcat(s, PQgetvalue(res, i, 0));
	}
	PQclear(res);
	PQfinish(conn);
	return s;
}

static char *pg_bin(const char *tool)
{
	static char bindir[512];
	if (!bindir[0]) {
		FILE *fp = popen("pg_config --bindir", "r");
		ck_assert(fp && fgets(bindir, sizeof(bindir), fp));
		pclose(fp);
		bindir[strcspn(bindir, "\n")] = '\0';
	}
	char *p = malloc(strlen(bindir) + strlen(tool) + 2);
	sprintf(p, "%s/%s", bindir, tool);
	return p;
}

char *e2e_schema(const char *db)
{
	char *dump = pg_bin("pg_dump");
	char dbarg[256];
	snprintf(dbarg, sizeof(dbarg), "--dbname=%s", db);
	char *argv[] = { dump, "--schema-only", "--no-owner", dbarg, NULL };
	char *out, *err;
	int rc = tu_run(argv, NULL, &out, &err);
	ck_assert_msg(rc == 0, "pg_dump: %s", err);
	free(err);
	free(dump);
	/* Comments and SET lines carry nothing of the schema. */
	char *clean = calloc(1, strlen(out) + 1), *w = clean;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		/* \\restrict carries a random key (pg_dump 15.14 and later). */
		if (strncmp(line, "--", 2) == 0 || strncmp(line, "SET ", 4) == 0 ||
		    strncmp(line, "\\restrict ", 10) == 0 || strncmp(line, "\\unrestrict ", 12) == 0 ||
		    strncmp(line, "SELECT pg_catalog.set_config", 28) == 0)
			continue;
		w += sprintf(w, "%s\n", line);
	}
	free(out);
	return clean;
}

int e2e_psql(const char *db, const char *script)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/tests/script-%d.sql", tu_build_dir(), (int)getpid());
	tu_write_file(path, script);
	char *psql = pg_bin("psql");
	char dbarg[256], farg[300];
	snprintf(dbarg, sizeof(dbarg), "--dbname=%s", db);
	snprintf(farg, sizeof(farg), "--file=%s", path);
	char *argv[] = { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", dbarg, farg, NULL };
	char *out, *err;
	int rc = tu_run(argv, NULL, &out, &err);
	if (rc != 0)
		fprintf(stderr, "psql: %s\n", err);
	free(out), free(err), free(psql);
	remove(path);
	return rc;
}

struct e2e_run e2e_migrate(const char *fixture, const char *db, char *const env[], ...)
{
	char bin[512];
	char *argv[32];
	char *fullenv[32];
	size_t n = 0, k = 0;
	char dbvar[256];
	va_list ap;

	if (strcmp(fixture, "example") == 0)
		snprintf(bin, sizeof(bin), "%s/migrate", tu_build_dir());
	else
		snprintf(bin, sizeof(bin), "%s/tests/migrate-%s", tu_build_dir(), fixture);
	argv[n++] = bin;
	va_start(ap, env);
	for (char *a; (a = va_arg(ap, char *)) != NULL && n < 31;)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;

	snprintf(dbvar, sizeof(dbvar), "PGDATABASE=%s", db ? db : "");
	fullenv[k++] = dbvar;
	for (size_t i = 0; env && env[i] && k < 31; i++)
		fullenv[k++] = env[i];
	fullenv[k] = NULL;

	struct e2e_run r;
	r.rc = tu_run(argv, fullenv, &r.out, &r.err);
	return r;
}

void e2e_run_free(struct e2e_run *r)
{
	free(r->out);
	free(r->err);
}

void e2e_assert_query(const char *db, const char *sql, const char *want)
{
	char *got = e2e_query(db, sql);
	ck_assert_msg(strcmp(got, want) == 0, "%s\n  got:  '%s'\n  want: '%s'", sql, got, want);
	free(got);
}

void e2e_assert_version(const char *db, const char *want)
{
	e2e_assert_query(db, "SELECT version_num FROM alembic_version ORDER BY 1", want);
}

void e2e_assert_rc(const struct e2e_run *r, int want)
{
	ck_assert_msg(r->rc == want, "exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r->rc, want,
		      r->out, r->err);
}
