/*
 * lock.c - take and release the migration lock
 */
#include "lock.h"

#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "signals.h"

/* Who holds the lock, for the waiting message: "pid 42, alice@10.0.0.7, 'retort'". */
static void describe_holder(struct db *d, char *buf, size_t len)
{
	const char *params[1] = { d->lock_key };
	PGresult *res = PQexecParams(d->conn,
		"SELECT l.pid::text || coalesce(', ' || a.usename || '@' || "
		"coalesce(pg_catalog.host(a.client_addr), 'local'), '') || "
		"coalesce(', application ''' || nullif(a.application_name, '') || '''', '') "
		"FROM pg_catalog.pg_locks l LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
		"WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
		"AND l.database = (SELECT oid FROM pg_catalog.pg_database "
		"WHERE datname = pg_catalog.current_database()) "
		"AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint LIMIT 1",
		1, NULL, params, NULL, NULL, 0);

	snprintf(buf, len, "by another session");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		snprintf(buf, len, "by pid %s", PQgetvalue(res, 0, 0));
	PQclear(res);
}

/*
 * The next pause between two tries, 50 to 100 ms: a lock given up is noticed
 * within 100 ms, and each waiter's own random phase keeps a crowd of them
 * from trying in lock-step (a doubling pause had the last of eight get the
 * lock seconds after it was free). A try is one cheap round trip.
 */
static long next_pause(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return 50 + (long)((*seed >> 16) % 51);
}

/* Runs a one-value query with the lock key as $1; "" on error (reported). */
static bool key_query(struct db *d, const struct cli *c, const char *sql, char *out, size_t len)
{
	const char *params[1] = { d->lock_key };
	PGresult *res = PQexecParams(d->conn, sql, 1, NULL, params, NULL, NULL, 0);
	bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

	if (ok)
		snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
	else
		db_report(stderr, c, res, NULL);
	PQclear(res);
	return ok;
}

int lock_acquire(struct db *d, const struct cli *c, long timeout_ms)
{
	const char *params[2] = { d->vt.resolved, d->vt.table };
	PGresult *res = PQexecParams(d->conn,
		"SELECT pg_catalog.hashtextextended('retort:' || "
		"coalesce(nullif($1, ''), pg_catalog.current_schema(), '') "
		"|| '.' || $2, 0)::text", 2, NULL, params, NULL, NULL, 0);
	char got[8];
	double t0 = duration_now_ms();
	unsigned seed = (unsigned)getpid() * 2654435761u ^ (unsigned)t0;
	bool said = false;

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		db_report(stderr, c, res, NULL);
		PQclear(res);
		return RT_EXIT_FAIL;
	}
	snprintf(d->lock_key, sizeof(d->lock_key), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	for (;;) {
		/* Autocommit: no transaction, hence no snapshot, stays open. */
		if (!key_query(d, c, "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)", got, sizeof(got)))
			return RT_EXIT_FAIL;
		if (strcmp(got, "t") == 0)
			break;
		double waited = duration_now_ms() - t0;
		if (!said) {
			char holder[256];
			describe_holder(d, holder, sizeof(holder));
			fprintf(cli_info(c), "%s: waiting for the migration lock on %s, held %s\n",
				c->prog, d->vt.shown, holder);
			said = true;
		}
		if (timeout_ms >= 0 && waited >= (double)timeout_ms) {
			cli_error(c, "gave up waiting for the migration lock on %s after %.0f ms",
				  d->vt.shown, waited);
			cli_hint("another migrator is running against %s; --lock-timeout sets how long to wait",
				 d->target);
			return RT_EXIT_LOCK_TIMEOUT;
		}
		long pause = next_pause(&seed);
		long left = timeout_ms >= 0 ? timeout_ms - (long)waited : pause;
		if (!sig_sleep(left < pause ? (left > 0 ? left : 1) : pause))
			return RT_EXIT_INTERRUPTED;
	}
	d->locked = true;
	if (said)
		fprintf(cli_info(c), "%s: got the migration lock after %.0f ms\n", c->prog, duration_now_ms() - t0);

	/* A statement later, is it still ours? Not behind a transaction pooler. */
	if (!key_query(d, c, "SELECT pg_catalog.count(*) FROM pg_catalog.pg_locks WHERE locktype = 'advisory' "
			     "AND pid = pg_catalog.pg_backend_pid() AND granted AND objsubid = 1 "
			     "AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
		       got, sizeof(got)))
		return RT_EXIT_FAIL;
	if (strcmp(got, "0") == 0) {
		d->locked = false;
		cli_error(c, "the migration lock on %s does not hold: the next statement ran in another server session",
			  d->vt.shown);
		cli_detail("session advisory locks need one server connection for the whole run");
		cli_hint("a pooler in transaction mode (PgBouncer pool_mode=transaction) is in the way: "
			 "connect to PostgreSQL directly or through a session-mode pool, or pass --no-lock "
			 "if you serialise migrators yourself");
		return RT_EXIT_CONFIG;
	}
	return RT_EXIT_OK;
}

void lock_release(struct db *d)
{
	if (!d->locked || !d->conn || PQstatus(d->conn) != CONNECTION_OK)
		return;
	/* An aborted transaction would refuse the unlock: end it first. */
	if (PQtransactionStatus(d->conn) != PQTRANS_IDLE)
		PQclear(PQexec(d->conn, "ROLLBACK"));
	const char *params[1] = { d->lock_key };
	PQclear(PQexecParams(d->conn, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", 1, NULL, params,
			     NULL, NULL, 0));
	d->locked = false;
}
