/*
 * ledger.c - write and read the history log; compare checksums
 */
#include "ledger.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buildinfo.h"
#include "color.h"

/* The log's columns, in CREATE TABLE (no quote characters: it goes inside a literal). */
static const char log_columns[] =
	"    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
	"    revision varchar(32) NOT NULL,\n"
	"    direction varchar(16) NOT NULL,\n"
	"    status varchar(16) NOT NULL,\n"
	"    checksum_algorithm varchar(32),\n"
	"    checksum varchar(128),\n"
	"    started_at timestamptz NOT NULL,\n"
	"    finished_at timestamptz NOT NULL,\n"
	"    duration_ms bigint NOT NULL,\n"
	"    applied_by text NOT NULL,\n"
	"    migrator_release text NOT NULL,\n"
	"    detail text\n";

/* What a format-1 log beside the version table holds, all of it moved. */
static const char legacy_columns[] =
	"id, revision, direction, status, checksum_algorithm, checksum,\n"
	"                 started_at, finished_at, duration_ms, applied_by, migrator_release, detail";

/* Where the digest rows live (ledger.h), one per log, keyed by the log's name in RT_LOG_SCHEMA. */
#define DIGESTS RT_LOG_SCHEMA ".digests"
#define FORGET_FN RT_LOG_SCHEMA ".forget_digest"
#define FORGET_TRIGGER "retort_forget_digest"

static void put_literal(FILE *fp, const char *s);
static void put_digest_setup(FILE *fp);

/*
 * One DO block, the same online and offline: the names are computed by the
 * server (offline, with no schema configured, the version table's schema is
 * the script session's current_schema(), as for the version table itself),
 * so the script needs nothing from the machine that wrote it.
 */
void ledger_write_create(FILE *fp, const struct vt_names *n)
{
	fputs("DO $retort$\nDECLARE\n    vt_schema text := ", fp);
	if (*n->resolved)
		put_literal(fp, n->resolved);
	else
		fputs("pg_catalog.current_schema()", fp);
	fputs(";\n    vt_table text := ", fp);
	put_literal(fp, n->table);
	fputs(";\n    log_table text;\n    legacy text;\nBEGIN\n"
	      "    IF vt_schema IS NULL THEN\n"
	      "        RAISE EXCEPTION 'no schema for the version table: search_path names no schema that exists';\n"
	      "    END IF;\n"
	      "    IF pg_catalog.octet_length(vt_schema || '.' || vt_table) > 63 THEN\n"
	      "        RAISE EXCEPTION 'version table name too long to name its history log';\n"
	      "    END IF;\n"
	      "    log_table := '" RT_LOG_SCHEMA ".' || pg_catalog.quote_ident(vt_schema || '.' || vt_table);\n"
	      "    legacy := pg_catalog.quote_ident(vt_schema) || '.' || pg_catalog.quote_ident(vt_table || '_log');\n"
	      "    IF pg_catalog.to_regnamespace('" RT_LOG_SCHEMA "') IS NULL THEN\n"
	      "        -- First runs on two version tables at once (a fleet's tenants) both get here.\n"
	      "        BEGIN\n"
	      "            CREATE SCHEMA " RT_LOG_SCHEMA ";\n"
	      "        EXCEPTION WHEN unique_violation OR duplicate_schema THEN\n"
	      "            NULL;\n"
	      "        END;\n"
	      "    END IF;\n"
	      "    IF pg_catalog.to_regclass(log_table) IS NULL THEN\n"
	      "        EXECUTE 'CREATE TABLE ' || log_table || ' (\n", fp);
	fputs(log_columns, fp);
	fprintf(fp, ")';\n"
		"        -- Older migrators kept the log beside the version table: move its rows.\n"
		"        IF pg_catalog.to_regclass(legacy) IS NOT NULL THEN\n"
		"            EXECUTE 'INSERT INTO ' || log_table || ' (%s)\n"
		"                OVERRIDING SYSTEM VALUE SELECT %s\n"
		"                FROM ' || legacy || ' ORDER BY id';\n"
		"            EXECUTE 'SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('\n"
		"                || pg_catalog.quote_literal(log_table) || ', ''id''), pg_catalog.max(id)) FROM '\n"
		"                || log_table;\n"
		"            EXECUTE 'DROP TABLE ' || legacy;\n"
		"        END IF;\n"
		"    END IF;\n", legacy_columns, legacy_columns);
	put_digest_setup(fp);
	if (!*n->resolved)
		fputs("    EXECUTE 'CREATE OR REPLACE TEMP VIEW retort_log AS SELECT * FROM ' || log_table;\n", fp);
	fputs("END\n$retort$;\n", fp);
}

/*
 * A string literal whatever standard_conforming_strings says: E'' with
 * backslashes doubled when there is one, plain '' otherwise.
 */
static void put_literal(FILE *fp, const char *s)
{
	bool esc = strchr(s, '\\') != NULL;
	fputs(esc ? "E'" : "'", fp);
	for (; *s; s++) {
		if (*s == '\'' || (esc && *s == '\\'))
			fputc(*s, fp);
		fputc(*s, fp);
	}
	fputc('\'', fp);
}

void ledger_write_insert(FILE *fp, const struct vt_names *n, const char *by,
			 const struct ledger_entry *en)
{
	const char *ck = en->rev->checksum, *colon = strchr(ck, ':');

	fprintf(fp, "INSERT INTO %s (revision, direction, status, checksum_algorithm, checksum, "
		    "started_at, finished_at, duration_ms, applied_by, migrator_release, detail)\n"
		    "SELECT '%s', '%s', '%s', ", n->log, en->rev->id, en->direction, en->status);
	if (colon)
		fprintf(fp, "'%.*s', '%s', ", (int)(colon - ck), ck, colon + 1);
	else
		fputs("NULL, NULL, ", fp);
	/*
	 * statement_timestamp() is when the server received this round trip,
	 * which began with the revision's first statement; earlier round trips
	 * of the same revision (outside a transaction) are added back.
	 */
	fprintf(fp, "s, f, pg_catalog.round(extract(epoch FROM f - s) * 1000), %s, ", by);
	put_literal(fp, rt_release);
	fputs(", ", fp);
	if (en->detail)
		put_literal(fp, en->detail);
	else
		fputs("NULL", fp);
	fputs("\nFROM (SELECT pg_catalog.statement_timestamp()", fp);
	if (en->before_ms > 0)
		fprintf(fp, " - interval '%.3f milliseconds'", en->before_ms);
	fputs(" AS s, pg_catalog.clock_timestamp() AS f) AS t;\n", fp);
}

char *ledger_by_expr(bool online)
{
	char host[256] = "";
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	fputs("current_user || '@' || ", fp);
	/* In a pod, the host name names the pod; the server sees only an address. */
	if (online && gethostname(host, sizeof(host) - 1) == 0 && host[0])
		put_literal(fp, host);
	else
		fputs("coalesce(pg_catalog.host(pg_catalog.inet_client_addr()), 'local')", fp);
	fclose(fp);
	return buf;
}

static void copy(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}


/*
 * Whether the log is there (or where format-1 migrators kept it), and
 * whether retort.digests is. Returns an exit code.
 */
static int ledger_probe(struct db *d, const struct cli *c, struct ledger *lg, bool *digests)
{
	const struct rt_set *s = c->set;
	const char *params[3] = { d->vt.log, d->vt.legacy_log, DIGESTS };
	PGresult *res;

	memset(lg, 0, sizeof(*lg));
	lg->rows = calloc(s->n_revisions + 1, sizeof(*lg->rows));
	if (!lg->rows) {
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	lg->n_rows = s->n_revisions;
	res = PQexecParams(d->conn, "SELECT pg_catalog.to_regclass($1) IS NOT NULL, "
			   "pg_catalog.to_regclass($2) IS NOT NULL, "
			   "pg_catalog.to_regclass($3) IS NOT NULL", 3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(stderr, c, res, NULL);
		PQclear(res);
		return RT_EXIT_FAIL;
	}
	lg->exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	/* Where format-1 migrators kept it; the run's first transaction moves it. */
	lg->legacy = !lg->exists && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	/* An older release ran after the move (a rollout): say so, never merge. */
	if (lg->exists && strcmp(PQgetvalue(res, 0, 1), "t") == 0)
		cli_note(c, "%s.%s_log, where older migrators kept the history log, "
			 "exists beside %s: its rows are not read", d->vt.resolved, d->vt.table,
			 d->vt.log_shown);
	if (digests)
		*digests = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	PQclear(res);
	if (lg->legacy)
		lg->exists = true;
	return RT_EXIT_OK;
}

/* Takes one row (revision, direction, status, algo, checksum, when, detail) as the newest of its revision. */
static void take_row(const struct rt_set *s, struct ledger *lg, PGresult *res, int i, int col)
{
	unsigned ix;
	struct rt_err err;
	const char *id = PQgetvalue(res, i, col);
	const char *status = PQgetvalue(res, i, col + 2);

	if (plan_find(s, id, &ix, &err) != 0 || strcmp(s->revisions[ix].id, id) != 0) {
		lg->n_other++;
		/* Another release's revision: whether it is dirty is beyond this one (ledger_record_digest). */
		if (strcmp(status, "dirty") == 0 || strcmp(status, "running") == 0)
			lg->other_dirty = true;
		return;
	}
	struct ledger_row *row = &lg->rows[ix];
	row->present = true;
	copy(row->direction, sizeof(row->direction), PQgetvalue(res, i, col + 1));
	copy(row->status, sizeof(row->status), status);
	copy(row->algo, sizeof(row->algo), PQgetvalue(res, i, col + 3));
	copy(row->checksum, sizeof(row->checksum), PQgetvalue(res, i, col + 4));
	copy(row->when, sizeof(row->when), PQgetvalue(res, i, col + 5));
	free(row->detail);
	row->detail = strdup(PQgetvalue(res, i, col + 6));
}

#define ROW_COLUMNS \
	"revision, direction, status, coalesce(checksum_algorithm, ''), coalesce(checksum, ''), " \
	"pg_catalog.to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', " \
	"coalesce(detail, '')"

/* Reads the newest row of each revision, and the newest id. */
static int ledger_read(struct db *d, const struct cli *c, struct ledger *lg)
{
	const char *from = lg->legacy ? d->vt.legacy_log : d->vt.log;
	char *sql = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&sql, &len);
	PGresult *res;

	if (!fp) {
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	/* The newest id in the same snapshot: rows after it are what a run adds. */
	fprintf(fp, "SELECT DISTINCT ON (revision) " ROW_COLUMNS ", "
		    "(SELECT pg_catalog.max(id) FROM %s) FROM %s ORDER BY revision, id DESC", from, from);
	fclose(fp);
	res = PQexec(d->conn, sql);
	free(sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		db_report(stderr, c, res, NULL);
		cli_hint("%s is retort's history log; it must have the columns retort creates",
			 d->vt.log_shown);
		PQclear(res);
		return RT_EXIT_FAIL;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		if (i == 0)
			lg->max_id = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
		take_row(c->set, lg, res, i, 0);
	}
	PQclear(res);
	return RT_EXIT_OK;
}

int ledger_load(struct db *d, const struct cli *c, struct ledger *lg)
{
	int rc = ledger_probe(d, c, lg, NULL);

	if (rc == RT_EXIT_OK && lg->exists)
		rc = ledger_read(d, c, lg);
	return rc;
}

void ledger_free(struct ledger *lg)
{
	for (unsigned i = 0; lg->rows && i < lg->n_rows; i++)
		free(lg->rows[i].detail);
	free(lg->rows);
	lg->rows = NULL;
}

bool ledger_is_dirty(const struct ledger_row *row)
{
	return row && row->present &&
	       (strcmp(row->status, "dirty") == 0 || strcmp(row->status, "running") == 0);
}

int ledger_check_dirty(const struct cli *c, const struct ledger *lg)
{
	const struct rt_set *s = c->set;
	int rc = RT_EXIT_OK;

	for (unsigned i = 0; lg->exists && i < s->n_revisions; i++) {
		const struct ledger_row *row = &lg->rows[i];
		const struct rt_revision *r = &s->revisions[i];
		const char *what = strcmp(row->direction, "down") == 0 ? "downgrade" : "upgrade";
		if (!ledger_is_dirty(row))
			continue;
		if (strcmp(row->status, "running") == 0) {
			/* Its migrator stopped inside it and could write nothing more. */
			cli_error(c, "revision '%s' is dirty: its %s started at %s and never ended",
				  r->id, what, row->when);
			cli_detail("the migrator running it stopped (killed, its connection cut or the "
				   "server restarted); %s runs outside a transaction, so any of its %s "
				   "may have run", r->path, row->detail);
		} else {
			cli_error(c, "revision '%s' is dirty: its %s failed part-way at %s and could "
				  "not be rolled back", r->id, what, row->when);
			cli_detail("%s runs outside a transaction; %s", r->path, row->detail);
		}
		cli_hint("finish or undo its work by hand, then record the outcome with "
			 "'%s resolve --applied %s' or '%s resolve --not-applied %s'",
			 c->prog, r->id, c->prog, r->id);
		rc = RT_EXIT_DIRTY;
	}
	return rc;
}

/* A row that records the revision as applied, as it was then. */
static bool records_applied(const struct ledger_row *row)
{
	if (strcmp(row->status, "applied") == 0)
		return true;
	return strcmp(row->status, "ok") == 0 &&
	       (strcmp(row->direction, "up") == 0 || strcmp(row->direction, "repair") == 0);
}

/* Whether the "<algo>:<value>" checksum `ck` names algorithm `algo`. */
static bool algo_is(const char *ck, const char *algo)
{
	size_t n = strlen(algo);
	return ck && strncmp(ck, algo, n) == 0 && ck[n] == ':';
}

/*
 * A squash baseline keeps the id of the revision it was squashed at, so a
 * database migrated the old way logged that revision's own statements: a
 * different checksum there is the old file, not an edit, and cannot be
 * verified against the baseline.
 */
enum ledger_state ledger_state_of(const struct rt_revision *r, const struct ledger_row *row)
{
	if (!row || !row->present || !records_applied(row) || !row->algo[0])
		return LEDGER_UNVERIFIED;
	/* A row an older migrator wrote: one digest over both halves. */
	if (algo_is(r->checksum_v1, row->algo))
		return strcmp(row->checksum, strchr(r->checksum_v1, ':') + 1) == 0 ? LEDGER_MATCH
		       : r->n_replaces ? LEDGER_UNVERIFIED : LEDGER_MISMATCH;
	if (!algo_is(r->checksum, row->algo))
		return LEDGER_OTHER_ALGO;
	/* sha256-v2: the upgrade's 64 hex digits, then the downgrade's. */
	const char *now = strchr(r->checksum, ':') + 1;
	if (strlen(row->checksum) != 128 || strlen(now) != 128 || strncmp(row->checksum, now, 64) != 0)
		return r->n_replaces ? LEDGER_UNVERIFIED : LEDGER_MISMATCH;
	return strcmp(row->checksum + 64, now + 64) == 0 ? LEDGER_MATCH : LEDGER_DOWN_EDITED;
}

/* The k-th revision `r` stands on: its parents, then its dependencies. */
static unsigned below(const struct rt_revision *r, unsigned k)
{
	return k < r->n_parents ? r->parents[k] : r->depends[k - r->n_parents];
}

bool *ledger_applied(const struct rt_set *s, const unsigned *heads, size_t n_heads)
{
	bool *applied = calloc(s->n_revisions + 1, sizeof(*applied));

	for (size_t h = 0; applied && h < n_heads; h++)
		applied[heads[h]] = true;
	/* Children come after their parents: one pass down marks every ancestor. */
	for (unsigned i = s->n_revisions; applied && i-- > 0;) {
		const struct rt_revision *r = &s->revisions[i];
		for (unsigned k = 0; applied[i] && k < r->n_parents + r->n_depends; k++)
			applied[below(r, k)] = true;
	}
	return applied;
}

/* "a, b, c and 4 more" of the revisions flagged in `which`. */
static void list_ids(FILE *fp, const struct rt_set *s, const unsigned char *which)
{
	unsigned shown = 0, more = 0;
	for (unsigned i = 0; i < s->n_revisions; i++) {
		if (!which[i])
			continue;
		if (shown < 5)
			fprintf(fp, "%s%s", shown++ ? ", " : "", s->revisions[i].id);
		else
			more++;
	}
	if (more)
		fprintf(fp, " and %u more", more);
}

int ledger_check_checksums(const struct cli *c, const struct ledger *lg, const unsigned *heads,
			   size_t n_heads, bool ignore)
{
	const struct rt_set *s = c->set;
	bool *applied = ledger_applied(s, heads, n_heads);
	unsigned char *unverified = calloc(s->n_revisions + 1, 1);
	unsigned char *other = calloc(s->n_revisions + 1, 1);
	unsigned n_unverified = 0, n_other = 0, n_bad = 0;
	const char *other_algo = "";
	int rc = RT_EXIT_OK;

	if (!applied || !unverified || !other) {
		free(applied), free(unverified), free(other);
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	for (unsigned i = 0; i < s->n_revisions; i++) {
		if (!applied[i])
			continue;
		const struct rt_revision *r = &s->revisions[i];
		const struct ledger_row *row = lg->exists ? &lg->rows[i] : NULL;
		switch (ledger_state_of(r, row)) {
		case LEDGER_MATCH:
			break;
		case LEDGER_UNVERIFIED:
			unverified[i] = 1, n_unverified++;
			break;
		case LEDGER_OTHER_ALGO:
			other[i] = 1, n_other++;
			other_algo = row->algo;
			break;
		case LEDGER_DOWN_EDITED:
			/* What ran is unchanged; the edit matters when the downgrade runs. */
			cli_warn(c, "%s: the downgrade of applied revision '%s' changed since it was applied",
				 r->path, r->id);
			cli_detail("upgrades go ahead; downgrading it stops with exit %d until "
				   "'%s repair' records the new downgrade", RT_EXIT_CHECKSUM, c->prog);
			break;
		case LEDGER_MISMATCH:
			n_bad++;
			if (ignore)
				cli_warn(c, "%s changed after revision '%s' was applied; going on (--ignore-checksums)",
					 r->path, r->id);
			else
				cli_error(c, "%s changed after revision '%s' was applied", r->path, r->id);
			cli_detail("applied: %s:%.64s (%s, %s)", row->algo, row->checksum,
				   row->direction, row->when);
			/* The upgrade's half: the downgrade's is not what stops the run. */
			cli_detail("now:     %.74s", algo_is(r->checksum_v1, row->algo) ? r->checksum_v1
											: r->checksum);
			break;
		}
	}
	if (n_bad && !ignore) {
		cli_hint("put the applied statements back and make the change in a new revision; "
			 "if the edit is deliberate, '%s repair' records the new checksum%s, "
			 "and --ignore-checksums skips this check for one run",
			 c->prog, n_bad == 1 ? "" : "s");
		rc = RT_EXIT_CHECKSUM;
	}
	/* Notes, coloured as cli_note()'s, silenced by --quiet. */
	FILE *info = cli_info(c);
	const char *note_on = color_start(stderr, COLOR_NOTE), *note_off = color_end(stderr);
	if (n_other) {
		fprintf(info, "%s: %snote:%s %u applied revision%s logged with checksum algorithm "
			"'%s', which this migrator does not compute: not compared (",
			c->prog, note_on, note_off, n_other, n_other == 1 ? " was" : "s were",
			other_algo);
		list_ids(info, s, other);
		fputs(")\n", info);
	}
	if (n_unverified) {
		fprintf(info, "%s: %snote:%s %u applied revision%s no checksum on record, "
			"applied by Alembic or before the log existed (",
			c->prog, note_on, note_off, n_unverified, n_unverified == 1 ? " has" : "s have");
		list_ids(info, s, unverified);
		fprintf(info, "); '%s repair' records them\n", c->prog);
	}
	free(applied), free(unverified), free(other);
	return rc;
}

int ledger_check_downgrades(const struct cli *c, const struct ledger *lg, const struct plan *p,
			    bool ignore)
{
	const struct rt_set *s = c->set;
	int rc = RT_EXIT_OK;

	for (size_t i = 0; lg->exists && i < p->n_steps; i++) {
		if (p->steps[i].up)
			continue;
		const struct rt_revision *r = &s->revisions[p->steps[i].rev];
		const struct ledger_row *row = &lg->rows[p->steps[i].rev];
		if (ledger_state_of(r, row) != LEDGER_DOWN_EDITED)
			continue;
		if (ignore) {
			cli_warn(c, "%s: the downgrade of '%s' changed since the revision was applied; "
				 "running it as it is now (--ignore-checksums)", r->path, r->id);
			continue;
		}
		cli_error(c, "%s: the downgrade of '%s' changed since the revision was applied",
			  r->path, r->id);
		cli_detail("applied with downgrade sha256-v2:%.64s (%s, %s)", row->checksum + 64,
			   row->direction, row->when);
		cli_detail("now:                   sha256-v2:%.64s", strchr(r->checksum, ':') + 65);
		cli_hint("if the new downgrade is what should undo this revision, '%s repair' records it; "
			 "--ignore-checksums runs it once as it is", c->prog);
		rc = RT_EXIT_CHECKSUM;
	}
	return rc;
}

bool ledger_set_digest(const struct rt_set *s, const bool *applied, char out[LEDGER_DIGEST_SIZE])
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0, i, n_applied = 0;
	EVP_MD_CTX *ctx;

	for (i = 0; i < s->n_revisions; i++)
		n_applied += applied[i];
	memcpy(out, "applied-set-v1:", 15);
	/* At the heads: the digest the generator wrote, over the same input. */
	if (n_applied == s->n_revisions && s->digest && strlen(s->digest) == 64) {
		memcpy(out + 15, s->digest, 65);
		return true;
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return false;
	}
	for (i = 0; i < s->n_revisions; i++) {
		const struct rt_revision *r = &s->revisions[i];
		if (!applied[i])
			continue;
		EVP_DigestUpdate(ctx, r->id, strlen(r->id));
		EVP_DigestUpdate(ctx, "\t", 1);
		EVP_DigestUpdate(ctx, r->checksum, strlen(r->checksum));
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	bool ok = EVP_DigestFinal_ex(ctx, md, &len) == 1 && len == 32;
	EVP_MD_CTX_free(ctx);
	for (i = 0; ok && i < 32; i++) {
		out[15 + 2 * i] = hexd[md[i] >> 4];
		out[15 + 2 * i + 1] = hexd[md[i] & 15];
	}
	out[15 + 64] = '\0';
	return ok;
}

/*
 * Whether the checks would find nothing to say: no dirty row (of any
 * revision, this migrator's or not), every applied revision's newest row
 * records it applied with this migrator's own checksum, same algorithm.
 */
static bool nothing_to_say(const struct rt_set *s, const struct ledger *lg, const bool *applied)
{
	if (!lg->exists || lg->other_dirty)
		return false;
	for (unsigned i = 0; i < s->n_revisions; i++) {
		const struct rt_revision *r = &s->revisions[i];
		const struct ledger_row *row = &lg->rows[i];
		if (ledger_is_dirty(row))
			return false;
		if (applied[i] && (ledger_state_of(r, row) != LEDGER_MATCH || !algo_is(r->checksum, row->algo)))
			return false;
	}
	return true;
}

/* The log's name inside RT_LOG_SCHEMA, as the trigger sees it (TG_TABLE_NAME). */
static char *log_key(const struct db *d)
{
	char *key = malloc(strlen(d->vt.resolved) + strlen(d->vt.table) + 2);
	if (key)
		sprintf(key, "%s.%s", d->vt.resolved, d->vt.table);
	return key;
}

/*
 * The digest row, when the log has not changed since it was written and
 * the trigger that would have deleted it is in place. Returns false when
 * there is none (or it cannot be read: the full comparison decides then).
 */
static bool read_digest(struct db *d, char out[LEDGER_DIGEST_SIZE])
{
	char *key = log_key(d), *sql = NULL;
	const char *params[2] = { key, d->vt.log };
	size_t len = 0;
	bool found = false;
	FILE *fp = key ? open_memstream(&sql, &len) : NULL;

	if (!fp) {
		free(key);
		return false;
	}
	/* max(id) is the primary key's last entry: no row is read. */
	fprintf(fp, "SELECT g.digest FROM " DIGESTS " g WHERE g.log_table = $1 "
		    "AND g.log_max_id = (SELECT coalesce(pg_catalog.max(id), 0) FROM %s) "
		    "AND EXISTS (SELECT FROM pg_catalog.pg_trigger t WHERE t.tgrelid = $2::pg_catalog.regclass "
		    "AND t.tgname = '" FORGET_TRIGGER "' AND t.tgenabled = 'A' "
		    "AND t.tgfoid = pg_catalog.to_regprocedure('" FORGET_FN "()'))", d->vt.log);
	fclose(fp);
	PGresult *res = PQexecParams(d->conn, sql, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    strlen(PQgetvalue(res, 0, 0)) < LEDGER_DIGEST_SIZE) {
		strcpy(out, PQgetvalue(res, 0, 0));
		found = true;
	}
	PQclear(res);
	free(sql);
	free(key);
	return found;
}

/*
 * Statements for a DO block that has `log_table` (the log, quoted): create
 * retort.digests, the trigger function and this log's trigger when
 * missing; two tenants' first runs may race to create the shared ones. The
 * log's creation runs them too, so that online and offline runs leave the
 * same schema. Never a reason for a migration to fail: a role that may not
 * create them leaves them out, and check reads the log row by row.
 */
static void put_digest_setup(FILE *fp)
{
	fputs("    BEGIN\n"
	      "        IF pg_catalog.to_regclass('" DIGESTS "') IS NULL THEN\n"
	      "            BEGIN\n"
	      "                CREATE TABLE " DIGESTS " (\n"
	      "                    log_table text PRIMARY KEY,\n"
	      "                    digest text NOT NULL,\n"
	      "                    log_max_id bigint NOT NULL,\n"
	      "                    written_at timestamptz NOT NULL);\n"
	      "            EXCEPTION WHEN unique_violation OR duplicate_table THEN\n"
	      "                NULL;\n"
	      "            END;\n"
	      "        END IF;\n"
	      "        IF pg_catalog.to_regprocedure('" FORGET_FN "()') IS NULL THEN\n"
	      "            BEGIN\n"
	      "                -- Any change to a log voids its digest row; SECURITY DEFINER:\n"
	      "                -- whoever writes the log, the row goes.\n"
	      "                CREATE FUNCTION " FORGET_FN "() RETURNS trigger LANGUAGE plpgsql\n"
	      "                    SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$\n"
	      "                BEGIN\n"
	      "                    DELETE FROM " DIGESTS " WHERE log_table = TG_TABLE_NAME;\n"
	      "                    RETURN NULL;\n"
	      "                END\n"
	      "                $f$;\n"
	      "            EXCEPTION WHEN unique_violation OR duplicate_function THEN\n"
	      "                NULL;\n"
	      "            END;\n"
	      "        END IF;\n"
	      "        IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgname = '" FORGET_TRIGGER "'\n"
	      "                       AND tgrelid = log_table::pg_catalog.regclass) THEN\n"
	      "            EXECUTE 'CREATE TRIGGER " FORGET_TRIGGER " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON '\n"
	      "                || log_table || ' FOR EACH STATEMENT EXECUTE PROCEDURE " FORGET_FN "()';\n"
	      "            -- Fires with session_replication_role = replica too.\n"
	      "            EXECUTE 'ALTER TABLE ' || log_table || ' ENABLE ALWAYS TRIGGER " FORGET_TRIGGER "';\n"
	      "        END IF;\n"
	      "    EXCEPTION WHEN insufficient_privilege THEN\n"
	      "        NULL;\n"
	      "    END;\n", fp);
}

/*
 * The DO block that writes the digest row, after put_digest_setup(),
 * unless the log has grown since this run read it back (a --no-lock
 * writer).
 */
static void write_digest_sql(FILE *fp, const struct db *d, const char *key, const char *digest,
			     long long max_id)
{
	/* The variable is put_digest_setup()'s; in the INSERT, log_table is the column. */
	fputs("DO $retort$\n#variable_conflict use_column\nDECLARE\n    log_table text := ", fp);
	put_literal(fp, d->vt.log);
	fputs(";\nBEGIN\n", fp);
	put_digest_setup(fp);
	fprintf(fp, "    IF (SELECT coalesce(pg_catalog.max(id), 0) FROM %s) <> %lld THEN\n"
		    "        RETURN;\n"
		    "    END IF;\n", d->vt.log, max_id);
	fputs("    INSERT INTO " DIGESTS " (log_table, digest, log_max_id, written_at)\n        VALUES (", fp);
	put_literal(fp, key);
	fputs(", ", fp);
	put_literal(fp, digest);
	fprintf(fp, ", %lld, pg_catalog.now())\n"
		    "        ON CONFLICT (log_table) DO UPDATE SET digest = EXCLUDED.digest,\n"
		    "            log_max_id = EXCLUDED.log_max_id, written_at = EXCLUDED.written_at\n"
		    "        -- Unchanged (a run with nothing to do): no write, no commit to flush.\n"
		    "        WHERE (" DIGESTS ".digest, " DIGESTS ".log_max_id)\n"
		    "            IS DISTINCT FROM (EXCLUDED.digest, EXCLUDED.log_max_id);\n"
		    "END\n$retort$", max_id);
}

/*
 * The version table as it stands, quietly: false when it cannot be read or
 * holds a revision this migrator lacks (then no digest is written).
 */
static bool read_heads_quietly(struct db *d, const struct rt_set *s, unsigned *heads, size_t *n)
{
	char sql[1024]; /* a quoted schema and table: at most 4 * 64 + 5 bytes */
	bool ok;

	snprintf(sql, sizeof(sql), "SELECT version_num FROM %s", d->vt.qualified);
	PGresult *res = PQexec(d->conn, sql);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	*n = 0;
	for (int i = 0; ok && i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, 0);
		unsigned ix;
		struct rt_err err;
		ok = plan_find(s, id, &ix, &err) == 0 && strcmp(s->revisions[ix].id, id) == 0 &&
		     *n < s->n_revisions;
		if (ok)
			heads[(*n)++] = ix;
	}
	PQclear(res);
	return ok;
}

void ledger_record_digest(struct db *d, const struct cli *c, struct ledger *lg)
{
	unsigned *heads = NULL;
	size_t n_heads = 0;
	const struct rt_set *s = c->set;
	char *sql = NULL, *key = NULL;
	size_t len = 0;
	char max_text[24];
	const char *params[1] = { max_text };
	bool *applied = NULL;
	char digest[LEDGER_DIGEST_SIZE];
	FILE *fp;
	PGresult *res;

	/* A log still where format-1 migrators kept it was moved by this run: the next one records. */
	if (lg->legacy || !lg->rows || !d->conn || !*d->vt.resolved)
		return;
	/* What this run added: the log is now what was read, then these. */
	fp = open_memstream(&sql, &len);
	if (!fp)
		return;
	fprintf(fp, "SELECT " ROW_COLUMNS ", id FROM %s WHERE id > $1 ORDER BY id", d->vt.log);
	fclose(fp);
	snprintf(max_text, sizeof(max_text), "%lld", lg->max_id);
	res = PQexecParams(d->conn, sql, 1, NULL, params, NULL, NULL, 0);
	free(sql);
	sql = NULL;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	lg->exists = true;
	for (int i = 0; i < PQntuples(res); i++) {
		take_row(s, lg, res, i, 0);
		lg->max_id = strtoll(PQgetvalue(res, i, 7), NULL, 10);
	}
	PQclear(res);

	heads = malloc((s->n_revisions + 1) * sizeof(*heads));
	if (!heads || !read_heads_quietly(d, s, heads, &n_heads))
		goto out;
	applied = ledger_applied(s, heads, n_heads);
	key = log_key(d);
	if (!applied || !key || !nothing_to_say(s, lg, applied) || !ledger_set_digest(s, applied, digest))
		goto out;
	fp = open_memstream(&sql, &len);
	if (!fp)
		goto out;
	write_digest_sql(fp, d, key, digest, lg->max_id);
	fclose(fp);
	/* Its own transaction; a failure (privileges, say) leaves check on the full comparison. */
	res = PQexec(d->conn, sql);
	PQclear(res);
out:
	free(sql);
	free(key);
	free(applied);
	free(heads);
}

int ledger_verify_dirty(struct db *d, const struct cli *c)
{
	struct ledger lg;
	bool digests = false;
	char have[LEDGER_DIGEST_SIZE];
	int rc = ledger_probe(d, c, &lg, &digests);

	/* Whatever the applied set, the row says no row was dirty, and none came since. */
	if (rc == RT_EXIT_OK && lg.exists && !(!lg.legacy && digests && read_digest(d, have)))
		rc = ledger_read(d, c, &lg);
	if (rc == RT_EXIT_OK && lg.exists)
		rc = ledger_check_dirty(c, &lg);
	ledger_free(&lg);
	return rc;
}

int ledger_verify(struct db *d, const struct cli *c, const unsigned *heads, size_t n_heads)
{
	struct ledger lg;
	bool digests = false;
	int rc = ledger_probe(d, c, &lg, &digests);

	if (rc == RT_EXIT_OK && lg.exists && !lg.legacy && digests) {
		char have[LEDGER_DIGEST_SIZE], want[LEDGER_DIGEST_SIZE];
		bool *applied = ledger_applied(c->set, heads, n_heads);
		bool same = applied && read_digest(d, have) && ledger_set_digest(c->set, applied, want) &&
			    strcmp(have, want) == 0;
		free(applied);
		if (same) {
			ledger_free(&lg);
			return RT_EXIT_OK;
		}
	}
	if (rc == RT_EXIT_OK && lg.exists)
		rc = ledger_read(d, c, &lg);
	if (rc == RT_EXIT_OK)
		rc = ledger_check_dirty(c, &lg);
	if (rc == RT_EXIT_OK)
		rc = ledger_check_never_ran(c, &lg, heads, n_heads);
	if (rc == RT_EXIT_OK)
		rc = ledger_check_checksums(c, &lg, heads, n_heads, false);
	ledger_free(&lg);
	return rc;
}

/*
 * Revisions that never ran although the version table counts them as
 * applied: no log row at all, while the log covers the stretch around
 * them, i.e. one of their ancestors and one of their applied descendants
 * have newest rows that record them as applied. Each gap gets the index of
 * such an ancestor in lower[] and of such a descendant in upper[]. Linear:
 * one pass up the topological order, one down.
 */
static bool find_never_ran(const struct rt_set *s, const struct ledger *lg, const bool *applied,
			   unsigned *lower, unsigned *upper, unsigned char *never)
{
	const unsigned none = s->n_revisions;
	bool any = false;

	for (unsigned i = 0; i < s->n_revisions; i++)
		lower[i] = upper[i] = none, never[i] = 0;
	if (!lg->exists)
		return false;
	for (unsigned i = 0; i < s->n_revisions; i++) {
		const struct rt_revision *r = &s->revisions[i];
		for (unsigned k = 0; k < r->n_parents + r->n_depends && lower[i] == none; k++) {
			unsigned d = below(r, k);
			lower[i] = lg->rows[d].present && records_applied(&lg->rows[d]) ? d : lower[d];
		}
	}
	for (unsigned i = s->n_revisions; i-- > 0;) {
		const struct rt_revision *r = &s->revisions[i];
		unsigned witness = lg->rows[i].present && records_applied(&lg->rows[i]) ? i : upper[i];
		for (unsigned k = 0; applied[i] && witness != none && k < r->n_parents + r->n_depends; k++)
			if (upper[below(r, k)] == none)
				upper[below(r, k)] = witness;
		if (applied[i] && !lg->rows[i].present && lower[i] != none && upper[i] != none)
			never[i] = 1, any = true;
	}
	return any;
}

int ledger_check_never_ran(const struct cli *c, const struct ledger *lg, const unsigned *heads,
			   size_t n_heads)
{
	const struct rt_set *s = c->set;
	bool *applied = ledger_applied(s, heads, n_heads);
	unsigned *lower = malloc((s->n_revisions + 1) * sizeof(*lower));
	unsigned *upper = malloc((s->n_revisions + 1) * sizeof(*upper));
	unsigned char *never = malloc(s->n_revisions + 1);
	int rc = RT_EXIT_OK;

	if (!applied || !lower || !upper || !never) {
		cli_error(c, "out of memory");
		rc = RT_EXIT_FAIL;
	} else if (find_never_ran(s, lg, applied, lower, upper, never)) {
		for (unsigned i = 0; i < s->n_revisions; i++) {
			if (!never[i])
				continue;
			const struct rt_revision *r = &s->revisions[i];
			cli_error(c, "revision '%s' never ran, but the version table counts it as applied", r->id);
			cli_detail("%s has no row in the history log, while '%s' below it and '%s' above it "
				   "were applied by this tool: it was inserted below applied revisions, or "
				   "revisions were reordered, after they ran", r->path,
				   s->revisions[lower[i]].id, s->revisions[upper[i]].id);
			cli_hint("apply its statements by hand, then record that with '%s resolve --applied %s'; "
				 "if it did run outside this tool (Alembic), record it the same way",
				 c->prog, r->id);
		}
		rc = RT_EXIT_NEVER_RAN;
	}
	free(applied), free(lower), free(upper), free(never);
	return rc;
}

bool ledger_never_ran(const struct rt_set *s, const struct ledger *lg, const unsigned *heads,
		      size_t n_heads, unsigned ix)
{
	bool *applied = ledger_applied(s, heads, n_heads);
	unsigned *lower = malloc((s->n_revisions + 1) * sizeof(*lower));
	unsigned *upper = malloc((s->n_revisions + 1) * sizeof(*upper));
	unsigned char *never = malloc(s->n_revisions + 1);
	bool found = applied && lower && upper && never &&
		     find_never_ran(s, lg, applied, lower, upper, never) && never[ix];

	free(applied), free(lower), free(upper), free(never);
	return found;
}
