/*
 * guard.c - lock, re-read, verify; then release
 */
#include "guard.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "lock.h"
#include "signals.h"

void guard_opts_init(struct guard_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lock_timeout_ms = o->db_lock_timeout_ms = o->statement_timeout_ms = -1;
}

int guard_option(struct guard_opts *o, const struct cli *c, const char *cmd, int opt,
		 const char *arg)
{
	long *ms;
	const char *name;

	switch (opt) {
	case OPT_NO_LOCK:
		o->no_lock = true;
		return 1;
	case OPT_IGNORE_CHECKSUMS:
		o->ignore_checksums = true;
		return 1;
	case OPT_LOCK_TIMEOUT:
		ms = &o->lock_timeout_ms, name = "--lock-timeout";
		break;
	case OPT_DB_LOCK_TIMEOUT:
		ms = &o->db_lock_timeout_ms, name = "--db-lock-timeout";
		break;
	case OPT_STATEMENT_TIMEOUT:
		ms = &o->statement_timeout_ms, name = "--statement-timeout";
		break;
	default:
		return 0;
	}
	if (duration_parse(arg, ms) != 0) {
		cli_usage_error(c, cmd, "%s '%s' is not a duration: write e.g. 500ms, 5s, 2m or 1h",
				name, arg);
		return -1;
	}
	return 1;
}

void guard_help(FILE *fp)
{
	fputs("\nSafety (docs/production.md):\n"
	      "  --lock-timeout DURATION       give up after waiting this long for the\n"
	      "                                migration lock (default: wait; exit 9)\n"
	      "  --no-lock                     do not take the migration lock\n"
	      "  --ignore-checksums            run although applied revisions were edited\n"
	      "  --db-lock-timeout DURATION    PostgreSQL's lock_timeout for the migrations\n"
	      "  --statement-timeout DURATION  PostgreSQL's statement_timeout for them\n"
	      "DURATION: 500ms, 5s, 2m, 1h.\n", fp);
}

void guard_say_where(FILE *fp, const struct cli *c, const unsigned *heads, size_t n)
{
	if (n == 0) {
		fprintf(fp, "the database is at base (no revision applied)\n");
		return;
	}
	fprintf(fp, "the database is at ");
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? ", " : "", c->set->revisions[heads[i]].id);
	fputc('\n', fp);
}

/* SET a timeout for the session, so that it covers every migration statement. */
static bool set_timeout(struct guard *g, const struct cli *c, const char *name, long ms)
{
	char value[32];
	const char *params[2] = { name, value };

	if (ms < 0)
		return true;
	snprintf(value, sizeof(value), "%ld", ms);
	PGresult *res = PQexecParams(g->d.conn, "SELECT pg_catalog.set_config($1, $2, false)", 2, NULL,
				     params, NULL, NULL, 0);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		db_report(stderr, c, res, NULL);
	PQclear(res);
	return ok;
}

int guard_open(struct guard *g, const struct cli *c, const struct guard_opts *o, unsigned flags)
{
	int rc;

	memset(g, 0, sizeof(*g));
	g->heads = malloc((c->set->n_revisions + 1) * sizeof(*g->heads));
	g->by = ledger_by_expr(true);
	if (!g->heads || !g->by) {
		cli_error(c, "out of memory");
		return RT_EXIT_FAIL;
	}
	rc = db_open(&g->d, c);
	if (rc != RT_EXIT_OK)
		return rc;
	sig_arm(g->d.conn);
	if (!o->no_lock) {
		rc = lock_acquire(&g->d, c, o->lock_timeout_ms);
		if (rc == RT_EXIT_INTERRUPTED)
			cli_error(c, "interrupted by %s while waiting for the migration lock: nothing was changed",
				  sig_caught() == SIGINT ? "SIGINT" : "SIGTERM");
		if (rc != RT_EXIT_OK)
			return rc;
	}
	/* Read under the lock: whatever a migrator before us did is in. */
	rc = db_read_heads(&g->d, c, g->heads, &g->n_heads, &g->vt_exists);
	g->read_rc = rc;
	if (rc == RT_EXIT_UNKNOWN && (flags & GUARD_ALLOW_UNKNOWN))
		rc = RT_EXIT_OK;
	if (rc != RT_EXIT_OK)
		return rc;
	rc = ledger_load(&g->d, c, &g->lg);
	if (rc != RT_EXIT_OK)
		return rc;
	if (!(flags & GUARD_ALLOW_DIRTY)) {
		rc = ledger_check_dirty(c, &g->lg);
		if (rc == RT_EXIT_OK)
			rc = ledger_check_never_ran(c, &g->lg, g->heads, g->n_heads);
		if (rc != RT_EXIT_OK)
			return rc;
	}
	if (!(flags & GUARD_SKIP_CHECKSUMS)) {
		rc = ledger_check_checksums(c, &g->lg, g->heads, g->n_heads, o->ignore_checksums);
		if (rc != RT_EXIT_OK)
			return rc;
	}
	if (!set_timeout(g, c, "lock_timeout", o->db_lock_timeout_ms) ||
	    !set_timeout(g, c, "statement_timeout", o->statement_timeout_ms))
		return RT_EXIT_FAIL;
	return RT_EXIT_OK;
}

int guard_finish(struct guard *g, const struct cli *c, int rc)
{
	int sig = sig_caught();

	/* Under the lock, nobody else wrote: what the run left can be vouched for (ledger.h). */
	if (rc == RT_EXIT_OK && !sig && g->d.locked && g->d.conn) {
		ledger_record_digest(&g->d, c, &g->lg);
		return rc;
	}
	if (rc == RT_EXIT_OK)
		return rc;
	if (sig) {
		cli_error(c, "interrupted by %s: the running statement was cancelled and "
			  "the open transaction rolled back", sig == SIGINT ? "SIGINT" : "SIGTERM");
		rc = RT_EXIT_INTERRUPTED;
	}
	if (rc == RT_EXIT_CONNECT && g->d.conn) {
		cli_error(c, "lost the connection to %s during the run: the server rolled back "
			  "the open transaction", g->d.target);
		if (!db_reconnect(&g->d)) {
			cli_hint("rerun once the database is reachable: it continues from where "
				 "the database stands");
			return rc;
		}
	}
	if (rc == RT_EXIT_SQL || rc == RT_EXIT_CONNECT || rc == RT_EXIT_INTERRUPTED) {
		/* Say where the database stands now, read back, not assumed. */
		bool still;
		if (g->d.conn && PQstatus(g->d.conn) == CONNECTION_OK &&
		    db_read_heads(&g->d, c, g->heads, &g->n_heads, &still) == RT_EXIT_OK) {
			fprintf(stderr, "%s: the %s transaction was rolled back; ", c->prog,
				rc == RT_EXIT_SQL ? "failed" : "open");
			guard_say_where(stderr, c, g->heads, g->n_heads);
		}
	}
	return rc;
}

void guard_close(struct guard *g)
{
	lock_release(&g->d);
	sig_disarm();
	ledger_free(&g->lg);
	free(g->heads);
	free(g->by);
	g->heads = NULL, g->by = NULL;
	db_close(&g->d);
}
