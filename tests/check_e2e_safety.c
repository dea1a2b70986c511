/*
 * check_e2e_safety.c - production safety end to end (issue 4): the
 * migration lock, the history log and its checksums, dirty revisions,
 * signals, lost connections, server-side timeouts and `wait`
 *
 * Migrators that must be caught mid-run are started in the background and
 * blocked on a table lock or the advisory lock this test holds; the test
 * waits until the server shows them waiting (never a fixed sleep), then
 * signals them or kills their backend.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

/* The key the migrator locks for public.alembic_version (runtime/lock.h). */
#define LOCK_KEY "hashtextextended('retort:public.alembic_version', 0)"

static void assert_no_table(const char *db, const char *table)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_tables WHERE tablename = '%s'", table);
	e2e_assert_query(db, sql, "0");
}

/* ---- a session the test keeps open, to hold locks ------------------------------ */

static PGconn *session(const char *db)
{
	const char *kw[] = { "dbname", "application_name", NULL };
	const char *val[] = { db, "safety-test", NULL };
	PGconn *conn = PQconnectdbParams(kw, val, 0);
	ck_assert_msg(PQstatus(conn) == CONNECTION_OK, "connect %s: %s", db, PQerrorMessage(conn));
	return conn;
}

static char *sq(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK,
		      "%s: %s", sql, PQerrorMessage(conn));
	char *v = strdup(PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0
			 ? PQgetvalue(res, 0, 0) : "");
	PQclear(res);
	return v;
}

static void sx(PGconn *conn, const char *sql)
{
	free(sq(conn, sql));
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/*
 * Polls `sql` on `conn` until it returns something other than "" or "0",
 * and returns that. The tcase timeout bounds the wait.
 */
static char *await(PGconn *conn, const char *sql)
{
	for (;;) {
		char *v = sq(conn, sql);
		if (v[0] && strcmp(v, "0") != 0)
			return v;
		free(v);
		pause_ms(20);
	}
}

/*
 * The backend pid of a migrator of `db` that waits for a heavyweight lock.
 * Asked in a session of its own: inside the lock holder's transaction,
 * pg_stat_activity would keep showing the snapshot it first read.
 */
static char *await_blocked(const char *db)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT pid FROM pg_stat_activity WHERE datname = '%s' AND wait_event_type = 'Lock' "
		 "AND application_name = 'retort'", db);
	PGconn *conn = session(db);
	char *pid = await(conn, sql);
	PQfinish(conn);
	return pid;
}

/* ---- migrators in the background ---------------------------------------------- */

struct bg {
	pid_t pid;
	char out[512], err[512];
};

/*
 * Starts build/tests/migrate-FIXTURE on `db` with args ..., its output in
 * files. With a `gate` pipe the child first blocks reading it, so that a
 * group starts at the same moment when the test closes the write end.
 */
static struct bg spawn_gated(const int *gate, const char *fixture, const char *db, va_list ap)
{
	static unsigned seq;
	struct bg b;
	char bin[512];
	char *argv[32];
	size_t n = 0;

	snprintf(bin, sizeof(bin), "%s/tests/migrate-%s", tu_build_dir(), fixture);
	argv[n++] = bin;
	for (char *a; (a = va_arg(ap, char *)) != NULL && n < 31;)
		argv[n++] = a;
	argv[n] = NULL;
	snprintf(b.out, sizeof(b.out), "%s/tests/safety-%d-%u.out", tu_build_dir(), (int)getpid(), seq);
	snprintf(b.err, sizeof(b.err), "%s/tests/safety-%d-%u.err", tu_build_dir(), (int)getpid(), seq++);
	tu_write_file(b.out, "");
	tu_write_file(b.err, "");

	b.pid = fork();
	ck_assert_int_ge(b.pid, 0);
	if (b.pid == 0) {
		int o = open(b.out, O_WRONLY | O_TRUNC), e = open(b.err, O_WRONLY | O_TRUNC);
		int in = open("/dev/null", O_RDONLY);
		if (o < 0 || e < 0 || in < 0)
			_exit(126);
		dup2(o, 1), dup2(e, 2), dup2(in, 0);
		setenv("PGDATABASE", db, 1);
		if (gate) {
			char c;
			close(gate[1]); /* else the read never sees the end */
			while (read(gate[0], &c, 1) < 0 && errno == EINTR)
				;
			close(gate[0]);
		}
		execv(bin, argv);
		_exit(127);
	}
	return b;
}

static struct bg spawn(const char *fixture, const char *db, ...)
{
	va_list ap;
	va_start(ap, db);
	struct bg b = spawn_gated(NULL, fixture, db, ap);
	va_end(ap);
	return b;
}

/* Waits for the migrator to end; fills r as e2e_migrate() does. */
static struct e2e_run finish(struct bg *b)
{
	struct e2e_run r;
	int status;

	while (waitpid(b->pid, &status, 0) < 0 && errno == EINTR)
		;
	r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r.out = tu_read_file(b->out, NULL);
	r.err = tu_read_file(b->err, NULL);
	unlink(b->out);
	unlink(b->err);
	return r;
}

/* Waits until the migrator has printed `needle` on stderr. */
static void await_stderr(const struct bg *b, const char *needle)
{
	for (;;) {
		char *text = tu_read_file(b->err, NULL);
		bool found = text && strstr(text, needle);
		free(text);
		if (found)
			return;
		pause_ms(20);
	}
}

static struct bg spawn_gated_l(const int *gate, const char *fixture, const char *db, ...)
{
	va_list ap;
	va_start(ap, db);
	struct bg b = spawn_gated(gate, fixture, db, ap);
	va_end(ap);
	return b;
}

/* ---- concurrency ------------------------------------------------------------------ */

enum { N_MIGRATORS = 8 };

START_TEST(concurrent_upgrades_run_each_revision_once)
{
	struct bg b[N_MIGRATORS];
	int gate[2];

	e2e_createdb("sf_conc");
	ck_assert_int_eq(pipe(gate), 0);
	for (int i = 0; i < N_MIGRATORS; i++)
		b[i] = spawn_gated_l(gate, "counter", "sf_conc", "upgrade", "head", (char *)NULL);
	close(gate[0]);
	close(gate[1]); /* all start now */

	int ran = 0, idle = 0;
	for (int i = 0; i < N_MIGRATORS; i++) {
		struct e2e_run r = finish(&b[i]);
		e2e_assert_rc(&r, 0);
		if (strstr(r.err, "Running upgrade"))
			ran++;
		if (strstr(r.err, "nothing to do: the database is at 8c0000000003"))
			idle++;
		e2e_run_free(&r);
	}
	/* One did the work; the others, once they had the lock, found it done. */
	ck_assert_int_eq(ran, 1);
	ck_assert_int_eq(idle, N_MIGRATORS - 1);
	e2e_assert_query("sf_conc", "SELECT string_agg(rev || ':' || n, ',' ORDER BY rev) FROM "
				"(SELECT rev, count(*) AS n FROM ran GROUP BY rev) AS t",
		     "c1:1,c2:1,c3:1");
	e2e_assert_version("sf_conc", "8c0000000003");
	/* One row per revision, and the "running" row of the non-transactional c2. */
	e2e_assert_query("sf_conc", "SELECT string_agg(revision || ' ' || status, ',' ORDER BY id) "
				"FROM retort.\"public.alembic_version\"",
		     "8c0000000001 ok,8c0000000002 running,8c0000000002 ok,8c0000000003 ok");
	e2e_assert_query("sf_conc", "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_ran_rev'", "1");
}
END_TEST

/* Every writing command takes the lock; --lock-timeout bounds the wait. */
START_TEST(lock_timeout_names_the_holder)
{
	e2e_createdb("sf_lock");
	PGconn *holder = session("sf_lock");
	char *pid = sq(holder, "SELECT pg_backend_pid()");
	sx(holder, "SELECT pg_advisory_lock(" LOCK_KEY ")");

	struct e2e_run r = RUN("linear", "sf_lock", "upgrade", "head", "--lock-timeout", "300ms");
	e2e_assert_rc(&r, 9);
	char want[256];
	snprintf(want, sizeof(want), "migrate-linear: waiting for the migration lock on "
		 "alembic_version, held by pid %s, postgres@local, application 'safety-test'\n", pid);
	ck_assert_contains(r.err, want);
	ck_assert_contains(r.err, "migrate-linear: error: gave up waiting for the migration lock on alembic_version after ");
	e2e_run_free(&r);
	assert_no_table("sf_lock", "alembic_version");

	static const char *const writers[][3] = {
		{ "downgrade", "base", NULL }, { "stamp", "head", NULL }, { "repair", NULL, NULL },
		{ "resolve", "--applied", "a1a1" },
	};
	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
		r = e2e_migrate("linear", "sf_lock", NULL, writers[i][0], "--lock-timeout", "0",
				writers[i][1], writers[i][2], (char *)NULL);
		e2e_assert_rc(&r, 9);
		e2e_run_free(&r);
	}
	/* Readers do not wait. */
	RUN_OK("linear", "sf_lock", "current");

	/* --no-lock goes ahead: the lock was the only obstacle. */
	RUN_OK("linear", "sf_lock", "upgrade", "head", "--no-lock");
	e2e_assert_version("sf_lock", "c3c3c3c3c3c3");

	/* Once the holder lets go, a waiting migrator goes on by itself. */
	struct bg b = spawn("linear", "sf_lock", "downgrade", "-1", (char *)NULL);
	await_stderr(&b, "waiting for the migration lock");
	sx(holder, "SELECT pg_advisory_unlock_all()");
	r = finish(&b);
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "got the migration lock after ");
	e2e_run_free(&r);
	e2e_assert_version("sf_lock", "b2b2b2b2b2b2");
	free(pid);
	PQfinish(holder);
}
END_TEST

START_TEST(bad_durations)
{
	struct e2e_run r = RUN("linear", "postgres", "upgrade", "head", "--lock-timeout", "5");
	e2e_assert_rc(&r, 2);
	ck_assert_contains(r.err, "--lock-timeout '5' is not a duration: write e.g. 500ms, 5s, 2m or 1h");
	e2e_run_free(&r);
	r = RUN("linear", "postgres", "stamp", "head", "--statement-timeout", "fast");
	e2e_assert_rc(&r, 2);
	e2e_run_free(&r);
	r = RUN("linear", "postgres", "wait", "--timeout", "-1s");
	e2e_assert_rc(&r, 2);
	e2e_run_free(&r);
}
END_TEST

/* ---- signals and lost connections ---------------------------------------------- */

/* A database where the gate fixture's second revision will block. */
static PGconn *gated_db(const char *db)
{
	e2e_createdb(db);
	e2e_exec(db, "CREATE TABLE gate (id int)");
	PGconn *conn = session(db);
	sx(conn, "BEGIN");
	sx(conn, "LOCK TABLE gate IN ACCESS EXCLUSIVE MODE");
	return conn;
}

static void assert_lock_free(const char *db)
{
	e2e_assert_query(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'", "0");
}

START_TEST(sigterm_cancels_and_rolls_back)
{
	PGconn *conn = gated_db("sf_term");
	struct bg b = spawn("gate", "sf_term", "upgrade", "head", (char *)NULL);
	free(await_blocked("sf_term"));
	kill(b.pid, SIGTERM);
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, 130);
	ck_assert_contains(r.err, "versions/g2.sql:7:1: ERROR:  57014: canceling statement due to user request\n");
	ck_assert_contains(r.err, "error: interrupted by SIGTERM: the running statement was cancelled "
				  "and the open transaction rolled back\n");
	ck_assert_contains(r.err, "the open transaction was rolled back; the database is at base");
	e2e_run_free(&r);
	/* As before the run: not even the first revision or the version table. */
	assert_no_table("sf_term", "ran");
	assert_no_table("sf_term", "alembic_version");
	assert_lock_free("sf_term");

	sx(conn, "ROLLBACK");
	RUN_OK("gate", "sf_term", "upgrade", "head");
	e2e_assert_query("sf_term", "SELECT string_agg(rev, ',' ORDER BY rev) FROM ran", "g1,g2,g3");
	PQfinish(conn);
}
END_TEST

START_TEST(sigint_per_migration_keeps_committed)
{
	PGconn *conn = gated_db("sf_int");
	struct bg b = spawn("gate", "sf_int", "upgrade", "head", "--transaction-per-migration",
			    (char *)NULL);
	free(await_blocked("sf_int"));
	kill(b.pid, SIGINT);
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, 130);
	ck_assert_contains(r.err, "interrupted by SIGINT");
	ck_assert_contains(r.err, "the database is at 9a0000000001");
	e2e_run_free(&r);
	e2e_assert_version("sf_int", "9a0000000001");
	e2e_assert_query("sf_int", "SELECT string_agg(rev, ',') FROM ran", "g1");
	PQfinish(conn);
}
END_TEST

/* Interrupted while waiting for the migration lock: nothing was touched. */
START_TEST(sigterm_while_waiting_for_the_lock)
{
	e2e_createdb("sf_wait");
	PGconn *holder = session("sf_wait");
	sx(holder, "SELECT pg_advisory_lock(" LOCK_KEY ")");
	struct bg b = spawn("linear", "sf_wait", "upgrade", "head", (char *)NULL);
	await_stderr(&b, "waiting for the migration lock");
	kill(b.pid, SIGTERM);
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, 130);
	ck_assert_contains(r.err, "interrupted by SIGTERM");
	e2e_run_free(&r);
	assert_no_table("sf_wait", "alembic_version");
	PQfinish(holder);
}
END_TEST

START_TEST(connection_killed_midrun)
{
	PGconn *conn = gated_db("sf_kill");
	struct bg b = spawn("gate", "sf_kill", "upgrade", "head", (char *)NULL);
	char *pid = await_blocked("sf_kill");
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%s)", pid);
	PGconn *killer = session("sf_kill");
	sx(killer, sql);
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, 4);
	ck_assert_contains(r.err, "versions/g2.sql:7:13: FATAL:  57P01: terminating connection due to administrator command\n");
	ck_assert_contains(r.err, "error: lost the connection to ");
	ck_assert_contains(r.err, "the open transaction was rolled back; the database is at base");
	e2e_run_free(&r);
	assert_no_table("sf_kill", "ran");
	assert_no_table("sf_kill", "alembic_version");

	/* A rerun completes the job. */
	sx(conn, "ROLLBACK");
	RUN_OK("gate", "sf_kill", "upgrade", "head");
	e2e_assert_version("sf_kill", "9a0000000003");
	free(pid);
	PQfinish(killer);
	PQfinish(conn);
}
END_TEST

/* --db-lock-timeout and --statement-timeout reach the server. */
START_TEST(server_timeouts)
{
	PGconn *conn = gated_db("sf_tmo");
	struct e2e_run r = RUN("gate", "sf_tmo", "upgrade", "head", "--db-lock-timeout", "200ms");
	e2e_assert_rc(&r, 5);
	ck_assert_contains(r.err, "versions/g2.sql:7:13: ERROR:  55P03: canceling statement due to lock timeout\n");
	ck_assert_contains(r.err, "the database is at base");
	e2e_run_free(&r);

	r = RUN("gate", "sf_tmo", "upgrade", "head", "--statement-timeout", "200ms");
	e2e_assert_rc(&r, 5);
	ck_assert_contains(r.err, "versions/g2.sql:7:1: ERROR:  57014: canceling statement due to statement timeout\n");
	e2e_run_free(&r);
	assert_no_table("sf_tmo", "ran");
	PQfinish(conn);
}
END_TEST

/* ---- progress ------------------------------------------------------------------- */

/*
 * A revision's line comes before it runs, a log gets a line per interval
 * naming the running statement, and one with the duration at the end.
 */
START_TEST(progress_in_a_log)
{
	PGconn *conn = gated_db("sf_progress");
	setenv("RETORT_PROGRESS_INTERVAL", "200ms", 1); /* this test's fork only */
	struct bg b = spawn("gate", "sf_progress", "upgrade", "head", (char *)NULL);
	free(await_blocked("sf_progress"));
	/* Blocked inside g2: its line is out already. */
	char *err = tu_read_file(b.err, NULL);
	ck_assert_contains(err, "Running upgrade 9a0000000001 -> 9a0000000002, write to the gate\n");
	free(err);
	await_stderr(&b, ": versions/g2.sql:7:1\n");
	sx(conn, "ROLLBACK");
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, 0);
	const char *run = strstr(r.err, "Running upgrade 9a0000000001 -> 9a0000000002, write to the gate\n");
	const char *still = strstr(r.err, "Still running upgrade 9a0000000001 -> 9a0000000002 after 0.");
	const char *done = strstr(r.err, "Finished upgrade 9a0000000001 -> 9a0000000002 in ");
	ck_assert_msg(run && still && done && run < still && still < done, "out of order:\n%s", r.err);
	ck_assert_contains(still, " s: versions/g2.sql:7:1\n");
	e2e_run_free(&r);
	PQfinish(conn);
}
END_TEST

/* On a terminal: one line per revision, its clock ticking while a statement runs. */
START_TEST(progress_on_a_terminal)
{
	PGconn *conn = gated_db("sf_tty");
	char bin[512];
	int master;
	snprintf(bin, sizeof(bin), "%s/tests/migrate-gate", tu_build_dir());
	pid_t pid = forkpty(&master, NULL, NULL, NULL);
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		setenv("PGDATABASE", "sf_tty", 1);
		/* The layout is under test here, not the colour (check_e2e_cli.c). */
		setenv("NO_COLOR", "1", 1);
		execl(bin, bin, "upgrade", "head", (char *)NULL);
		_exit(127);
	}
	char out[8192];
	size_t len = 0;
	bool released = false, ticked = false;
	for (int polls = 0;; polls++) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		if (poll(&pfd, 1, 100) > 0) {
			ssize_t n = read(master, out + len, sizeof(out) - 1 - len);
			if (n <= 0)
				break; /* EIO once the migrator is gone */
			len += (size_t)n;
			out[len] = '\0';
		}
		/* The clock has ticked once (or never will): let it go on. */
		ticked = ticked || strstr(out, " s, at versions/g2.sql:7:1\033[K");
		if (!released && (ticked || polls == 50)) {
			sx(conn, "ROLLBACK");
			released = true;
		}
	}
	int status;
	waitpid(pid, &status, 0);
	close(master);
	PQfinish(conn);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "exit %d:\n%s", status, out);
	ck_assert_msg(ticked, "no ticking clock within 5 s in:\n%s", out);
	ck_assert_contains(out, "Running upgrade 9a0000000001 -> 9a0000000002, write to the gate ... 1.");
	ck_assert_contains(out, "\rRunning upgrade 9a0000000001 -> 9a0000000002, write to the gate (");
	ck_assert_contains(out, " ms)\033[K\r\n"); /* the terminal turns \n into \r\n */
	ck_assert_lacks(out, "Finished");
}
END_TEST

/* ---- wait ----------------------------------------------------------------------- */

START_TEST(wait_for_the_server)
{
	struct e2e_run r = RUN("linear", "postgres", "wait");
	e2e_assert_rc(&r, 0);
	ck_assert_str_eq(r.err, "");
	e2e_run_free(&r);

	/* Nothing listens on port 1. */
	char *env[] = { "DB_HOST=127.0.0.1", "DB_PORT=1", "DB_USER=postgres", NULL };
	r = e2e_migrate("linear", "postgres", env, "wait", "--timeout", "300ms", (char *)NULL);
	e2e_assert_rc(&r, 12);
	ck_assert_contains(r.err, "waiting for postgres@127.0.0.1:1/");
	ck_assert_contains(r.err, "did not accept connections within 300 ms");
	e2e_run_free(&r);
}
END_TEST

/* ---- the log and checksums -------------------------------------------------- */

START_TEST(log_rows_beside_the_version_table)
{
	e2e_createdb("sf_log");
	struct e2e_run r = RUN("linear", "sf_log", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	RUN_OK("linear", "sf_log", "downgrade", "-1");
	e2e_assert_query("sf_log", "SELECT string_agg(revision || ' ' || direction || ' ' || status, ',' ORDER BY id) "
			       "FROM retort.\"public.alembic_version\"",
		     "a1a1a1a1a1a1 up ok,b2b2b2b2b2b2 up ok,c3c3c3c3c3c3 up ok,c3c3c3c3c3c3 down ok");
	e2e_assert_query("sf_log", "SELECT checksum_algorithm || ':' || checksum FROM retort.\"public.alembic_version\" WHERE id = 1",
		     "sha256-v2:9601443cea40e7fcf9b67ed62fea688135f14ffd809395efc664b19c1fdcdceb88742bbf9b71025ec02a35c1e7c43fa5c2fd18c0474f105a480db6304896d8c8");
	e2e_assert_query("sf_log", "SELECT count(*) FROM retort.\"public.alembic_version\" WHERE started_at <= finished_at "
			       "AND duration_ms >= 0 AND applied_by LIKE 'postgres@%' "
			       "AND migrator_release = 'dev'", "4");

	/* Stamps say which revisions they mark applied or not. */
	r = RUN("linear", "sf_log", "stamp", "a1a1");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "Still running"); /* runs no revision: no progress either */
	e2e_run_free(&r);
	e2e_assert_query("sf_log", "SELECT string_agg(revision || ' ' || status, ',' ORDER BY id) "
			       "FROM retort.\"public.alembic_version\" WHERE direction = 'stamp'",
		     "b2b2b2b2b2b2 not-applied");

	/* Offline scripts carry the same table and rows. */
	r = RUN("linear", NULL, "upgrade", "head", "--sql");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "DO $retort$\n");
	ck_assert_contains(r.out, "INSERT INTO pg_temp.retort_log (revision, direction, status, ");
	ck_assert_contains(r.out, "SELECT 'c3c3c3c3c3c3', 'up', 'ok', 'sha256-v2', ");
	e2e_run_free(&r);
}
END_TEST

START_TEST(edited_revision_is_refused)
{
	e2e_createdb("sf_sum");
	struct e2e_run r = RUN("linear", "sf_sum", "upgrade", "b2b2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	/* Comments, spacing and line endings do not count. */
	r = RUN("linear_cosmetic", "sf_sum", "check");
	e2e_assert_rc(&r, 6);
	ck_assert_lacks(r.err, "changed");
	e2e_run_free(&r);

	/* The edited release refuses every write, and check says why. */
	static const char *const want =
		"migrate-linear_edited: error: versions/b2_add_email.sql changed after revision 'b2b2b2b2b2b2' was applied\n"
		"detail: applied: sha256-v2:b3f4b8414dc1454a0add59678b5b02dd680129fc94ffd4e820a18f5d32fe1ca0 (up, ";
	static const char *const now =
		"detail: now:     sha256-v2:9b733a19a97770da2ce875638a1438c43a1ff8d474db30342f445ad8a8327969\n"
		"hint: put the applied statements back and make the change in a new revision; "
		"if the edit is deliberate, 'migrate-linear_edited repair' records the new checksum, "
		"and --ignore-checksums skips this check for one run\n";
	r = RUN("linear_edited", "sf_sum", "upgrade", "head");
	e2e_assert_rc(&r, 10);
	ck_assert_contains(r.err, want);
	ck_assert_contains(r.err, now);
	ck_assert_lacks(r.err, "Running upgrade");
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_sum", "downgrade", "base");
	e2e_assert_rc(&r, 10);
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_sum", "stamp", "head");
	e2e_assert_rc(&r, 10);
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_sum", "check");
	e2e_assert_rc(&r, 10);
	ck_assert_contains(r.err, want);
	e2e_run_free(&r);
	e2e_assert_version("sf_sum", "b2b2b2b2b2b2");

	/* For one run only. */
	r = RUN("linear_edited", "sf_sum", "upgrade", "head", "--ignore-checksums");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "warning: versions/b2_add_email.sql changed after revision 'b2b2b2b2b2b2' "
				  "was applied; going on (--ignore-checksums)\n");
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_sum", "downgrade", "-1");
	e2e_assert_rc(&r, 10);
	e2e_run_free(&r);

	/* repair records the new checksum deliberately; then all is well. */
	r = RUN("linear_edited", "sf_sum", "repair");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "recording sha256-v2:9b733a19a97770da2ce875638a1438c43a1ff8d474db30342f445ad8a8327969"
				  "498b5de82e38d75e5233e04d40600e5e07db216a7a727a006e787378a8fec029 "
				  "for 'b2b2b2b2b2b2' (versions/b2_add_email.sql): was sha256-v2:b3f4b841");
	ck_assert_contains(r.err, "recorded 1 checksum in retort.\"public.alembic_version\"\n");
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_sum", "repair");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "nothing to repair: the 3 applied revisions match the log\n");
	e2e_run_free(&r);
	RUN_OK("linear_edited", "sf_sum", "downgrade", "-1");
	/* Now the original release is the one that differs. */
	r = RUN("linear", "sf_sum", "upgrade", "head");
	e2e_assert_rc(&r, 10);
	e2e_run_free(&r);
}
END_TEST

/* Alembic applied these: no log rows, so unverified, not wrong. */
START_TEST(unverified_and_other_algorithms)
{
	e2e_createdb("sf_alembic");
	e2e_exec("sf_alembic", "CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, "
			       "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))");
	e2e_exec("sf_alembic", "CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, email varchar(255))");
	e2e_exec("sf_alembic", "CREATE FUNCTION touch_email() RETURNS trigger LANGUAGE plpgsql AS "
			       "$$BEGIN RETURN NEW; END$$");
	e2e_exec("sf_alembic", "INSERT INTO alembic_version VALUES ('b2b2b2b2b2b2')");

	struct e2e_run r = RUN("linear", "sf_alembic", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "migrate-linear: note: 2 applied revisions have no checksum on record, "
				  "applied by Alembic or before the log existed (a1a1a1a1a1a1, b2b2b2b2b2b2); "
				  "'migrate-linear repair' records them\n");
	e2e_run_free(&r);
	e2e_assert_version("sf_alembic", "c3c3c3c3c3c3");
	e2e_assert_query("sf_alembic", "SELECT string_agg(revision, ',') FROM retort.\"public.alembic_version\"", "c3c3c3c3c3c3");

	r = RUN("linear", "sf_alembic", "repair");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "'a1a1a1a1a1a1' (versions/a1_create_accounts.sql): no checksum on record\n");
	ck_assert_contains(r.err, "recorded 2 checksums in retort.\"public.alembic_version\"\n");
	e2e_run_free(&r);

	/* A future algorithm is not an edit: noted, not compared. */
	e2e_exec("sf_alembic", "UPDATE retort.\"public.alembic_version\" SET checksum_algorithm = 'sha256-v9', "
			       "checksum = 'ffff' WHERE revision = 'a1a1a1a1a1a1'");
	r = RUN("linear", "sf_alembic", "downgrade", "-1");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "note: 1 applied revision was logged with checksum algorithm 'sha256-v9', "
				  "which this migrator does not compute: not compared (a1a1a1a1a1a1)\n");
	ck_assert_lacks(r.err, "error");
	e2e_run_free(&r);

	/* Handing back to Alembic: the version table is Alembic's own, untouched in shape. */
	e2e_assert_query("sf_alembic", "SELECT string_agg(column_name, ',') FROM information_schema.columns "
				   "WHERE table_name = 'alembic_version'", "version_num");
}
END_TEST

/*
 * Issue 8, item 4: spacing between tokens ("text) ;", "( id )", "KEY,v")
 * and a missing final ';' are layout; rows older migrators wrote
 * (sha256-v1) still verify; an edit to a v1-logged revision is still one.
 */
START_TEST(layout_is_no_edit_and_v1_rows_verify)
{
	e2e_createdb("sf_layout");
	struct e2e_run r = RUN("linear", "sf_layout", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = RUN("linear_spaced", "sf_layout", "check");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "changed");
	e2e_run_free(&r);
	RUN_OK("linear_spaced", "sf_layout", "downgrade", "base");

	/* The rows a format-1 migrator wrote: sha256-v1 of the same files. */
	RUN_OK("linear", "sf_layout", "upgrade", "b2b2");
	e2e_exec("sf_layout", "UPDATE retort.\"public.alembic_version\" SET checksum_algorithm = 'sha256-v1', checksum = "
			      "CASE revision WHEN 'a1a1a1a1a1a1' THEN "
			      "'593eb2d0be28cbf465f175ab3f8c7376375769bb154c885977df57986fb782bb' "
			      "ELSE '6e28e18122f8a387a3e77727072603926c3168a7a3ff7851195123fd06795ba9' END "
			      "WHERE id > 6");
	r = RUN("linear", "sf_layout", "check");
	e2e_assert_rc(&r, 6);
	ck_assert_lacks(r.err, "changed");
	ck_assert_lacks(r.err, "note:");
	e2e_run_free(&r);
	r = RUN("linear_edited", "sf_layout", "upgrade", "head");
	e2e_assert_rc(&r, 10);
	ck_assert_contains(r.err, "error: versions/b2_add_email.sql changed after revision 'b2b2b2b2b2b2' was applied\n"
				  "detail: applied: sha256-v1:6e28e18122f8a387a3e77727072603926c3168a7a3ff7851195123fd06795ba9 (up, ");
	ck_assert_contains(r.err, "detail: now:     sha256-v1:8c43412432159db328d6eaa204a55faecdae8e3ccbf68159a51025a8d72fd9e0\n");
	e2e_run_free(&r);
	/* v1 rows verify, and the next rows are v2. */
	r = RUN("linear", "sf_layout", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "note:");
	e2e_run_free(&r);
	e2e_assert_query("sf_layout", "SELECT checksum_algorithm FROM retort.\"public.alembic_version\" ORDER BY id DESC LIMIT 1",
			 "sha256-v2");
}
END_TEST

/*
 * A downgrade-only edit: the upgrade's checksum guards upgrades (a warning
 * only), the downgrade's own guards running that downgrade.
 */
START_TEST(downgrade_only_edit)
{
	e2e_createdb("sf_down");
	struct e2e_run r = RUN("linear", "sf_down", "upgrade", "b2b2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	r = RUN("linear_downedit", "sf_down", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "migrate-linear_downedit: warning: versions/b2_add_email.sql: the downgrade of "
				  "applied revision 'b2b2b2b2b2b2' changed since it was applied\n");
	e2e_run_free(&r);
	e2e_assert_version("sf_down", "c3c3c3c3c3c3");
	RUN_OK("linear_downedit", "sf_down", "downgrade", "-1");

	/* Running it is what the downgrade's checksum guards. */
	r = RUN("linear_downedit", "sf_down", "downgrade", "base");
	e2e_assert_rc(&r, 10);
	ck_assert_contains(r.err, "migrate-linear_downedit: error: versions/b2_add_email.sql: the downgrade of "
				  "'b2b2b2b2b2b2' changed since the revision was applied\n"
				  "detail: applied with downgrade sha256-v2:498b5de82e38d75e5233e04d40600e5e07db216a7a727a006e787378a8fec029 (up, ");
	ck_assert_lacks(r.err, "Running downgrade");
	e2e_run_free(&r);
	e2e_assert_version("sf_down", "b2b2b2b2b2b2");
	r = RUN("linear_downedit", "sf_down", "check");
	e2e_assert_rc(&r, 6);
	e2e_run_free(&r);

	/* repair adopts the new downgrade; then it runs. */
	r = RUN("linear_downedit", "sf_down", "repair");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "recorded 1 checksum in retort.\"public.alembic_version\"\n");
	e2e_run_free(&r);
	r = RUN("linear_downedit", "sf_down", "downgrade", "base");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "warning");
	e2e_run_free(&r);
	e2e_assert_version("sf_down", "");
}
END_TEST

/* The history log as migrators before format 2 kept it: beside the version table. */
static void make_legacy_log(const char *db)
{
	e2e_exec(db, "CREATE TABLE public.alembic_version_log (\n"
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
		     "    detail text\n"
		     ")");
	e2e_exec(db, "INSERT INTO public.alembic_version_log (revision, direction, status, checksum_algorithm, "
		     "checksum, started_at, finished_at, duration_ms, applied_by, migrator_release, detail) "
		     "SELECT revision, direction, status, checksum_algorithm, checksum, started_at, finished_at, "
		     "duration_ms, applied_by, migrator_release, detail FROM retort.\"public.alembic_version\" ORDER BY id");
	e2e_exec(db, "DROP SCHEMA retort CASCADE");
}

/*
 * Issue 8, item 19: the log lives in schema retort, named after the version
 * table, so Alembic's autogenerate (default schema only) never sees it and
 * version tables in different schemas do not share it. A log older
 * migrators kept beside the version table is read where it is, and moved,
 * rows and ids, by the first writing run, online or through an offline script.
 */
START_TEST(log_lives_in_schema_retort)
{
	e2e_createdb("sf_move");
	struct e2e_run r = RUN("linear", "sf_move", "upgrade", "b2b2");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_query("sf_move", "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename) FROM pg_tables "
			 "WHERE schemaname IN ('public', 'retort')",
			 "public.accounts,public.alembic_version,retort.digests,retort.public.alembic_version");

	make_legacy_log("sf_move");
	r = RUN("linear_edited", "sf_move", "check");
	e2e_assert_rc(&r, 10);
	e2e_run_free(&r);
	r = RUN("linear", "sf_move", "check");
	e2e_assert_rc(&r, 6);
	ck_assert_lacks(r.err, "note:");
	e2e_run_free(&r);
	e2e_assert_query("sf_move", "SELECT pg_catalog.to_regclass('public.alembic_version_log') IS NOT NULL", "t");
	r = RUN("linear", "sf_move", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "note:");
	e2e_run_free(&r);
	e2e_assert_query("sf_move", "SELECT pg_catalog.to_regclass('public.alembic_version_log') IS NULL", "t");
	e2e_assert_query("sf_move", "SELECT string_agg(id || ' ' || revision, ',' ORDER BY id) "
			 "FROM retort.\"public.alembic_version\"",
			 "1 a1a1a1a1a1a1,2 b2b2b2b2b2b2,3 c3c3c3c3c3c3");

	/* An offline script moves it the same way. */
	RUN_OK("linear", "sf_move", "downgrade", "b2b2");
	make_legacy_log("sf_move");
	r = RUN("linear", NULL, "upgrade", "b2b2b2b2b2b2:head", "--sql");
	e2e_assert_rc(&r, 0);
	ck_assert_int_eq(e2e_psql("sf_move", r.out), 0);
	e2e_run_free(&r);
	e2e_assert_query("sf_move", "SELECT pg_catalog.to_regclass('public.alembic_version_log') IS NULL", "t");
	e2e_assert_query("sf_move", "SELECT string_agg(id || ' ' || revision || ' ' || direction, ',' ORDER BY id) "
			 "FROM retort.\"public.alembic_version\"",
			 "1 a1a1a1a1a1a1 up,2 b2b2b2b2b2b2 up,3 c3c3c3c3c3c3 up,4 c3c3c3c3c3c3 down,"
			 "5 c3c3c3c3c3c3 up");
	r = RUN("linear", "sf_move", "check");
	e2e_assert_rc(&r, 0);
	ck_assert_lacks(r.err, "note:");
	e2e_run_free(&r);

	/* An older release writing beside a moved log is named, not merged. */
	e2e_exec("sf_move", "CREATE TABLE public.alembic_version_log (id int)");
	r = RUN("linear", "sf_move", "check");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "migrate-linear: note: public.alembic_version_log, where older migrators kept "
				  "the history log, exists beside retort.\"public.alembic_version\": its rows are not read\n");
	e2e_run_free(&r);

	/* Two version tables, one per schema: a log each. */
	e2e_exec("sf_move", "CREATE SCHEMA tenant");
	char *env[] = { "PGOPTIONS=-c search_path=tenant", NULL };
	r = e2e_migrate("linear", "sf_move", env, "upgrade", "a1a1", (char *)NULL);
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_query("sf_move", "SELECT string_agg(revision, ',' ORDER BY id) FROM retort.\"tenant.alembic_version\"",
			 "a1a1a1a1a1a1");
	e2e_assert_query("sf_move", "SELECT count(*) FROM retort.\"public.alembic_version\"", "5");
}
END_TEST

/* ---- dirty revisions --------------------------------------------------------------- */

START_TEST(dirty_revision_blocks_until_resolved)
{
	e2e_createdb("sf_dirty");
	struct e2e_run r = RUN("dirty", "sf_dirty", "upgrade", "head");
	e2e_assert_rc(&r, 5);
	ck_assert_contains(r.err, "versions/d2.sql:9:1: ERROR:  42703: column \"knid\" does not exist\n");
	ck_assert_contains(r.err, "warning: revision '7d0000000002' stopped part-way outside a transaction; "
				  "these statements stay applied: versions/d2.sql:7:1\n");
	ck_assert_contains(r.err, "recorded '7d0000000002' as dirty in retort.\"public.alembic_version\"");
	ck_assert_contains(r.err, "the database is at 7d0000000001");
	e2e_run_free(&r);
	e2e_assert_query("sf_dirty", "SELECT detail FROM retort.\"public.alembic_version\" WHERE status = 'dirty'",
		     "completed: versions/d2.sql:7:1; failed: versions/d2.sql:9:1");

	/* Every later write stops, and so does check, saying what ran. */
	static const char *const want =
		"migrate-dirty: error: revision '7d0000000002' is dirty: its upgrade failed part-way at ";
	static const char *const detail =
		"detail: versions/d2.sql runs outside a transaction; completed: versions/d2.sql:7:1; "
		"failed: versions/d2.sql:9:1\n"
		"hint: finish or undo its work by hand, then record the outcome with "
		"'migrate-dirty resolve --applied 7d0000000002' or "
		"'migrate-dirty resolve --not-applied 7d0000000002'\n";
	r = RUN("dirty", "sf_dirty", "upgrade", "head");
	e2e_assert_rc(&r, 11);
	ck_assert_contains(r.err, want);
	ck_assert_contains(r.err, detail);
	e2e_run_free(&r);
	r = RUN("dirty", "sf_dirty", "downgrade", "base");
	e2e_assert_rc(&r, 11);
	e2e_run_free(&r);
	r = RUN("dirty", "sf_dirty", "stamp", "head");
	e2e_assert_rc(&r, 11);
	e2e_run_free(&r);
	r = RUN("dirty", "sf_dirty", "check");
	e2e_assert_rc(&r, 11);
	e2e_run_free(&r);

	/* resolve wants to know how it ended, and only for a dirty revision. */
	r = RUN("dirty", "sf_dirty", "resolve", "7d0000000002");
	e2e_assert_rc(&r, 2);
	e2e_run_free(&r);
	r = RUN("dirty", "sf_dirty", "resolve", "--applied", "7d0000000001");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "revision '7d0000000001' is not dirty");
	e2e_run_free(&r);

	/* Undone by hand: not applied, and the fixed release carries on ... */
	e2e_exec("sf_dirty", "DROP INDEX idx_items_id");
	r = RUN("dirty", "sf_dirty", "resolve", "--not-applied", "7d0000000002");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "resolved '7d0000000002' as not applied; the database is at 7d0000000001\n");
	e2e_run_free(&r);
	e2e_assert_version("sf_dirty", "7d0000000001");
	r = RUN("dirty", "sf_dirty", "upgrade", "head");
	e2e_assert_rc(&r, 5); /* the same revision fails the same way */
	e2e_run_free(&r);

	/* ... or finished by hand: applied, and the run goes on after it. */
	e2e_exec("sf_dirty", "CREATE INDEX idx_items_kind ON items (kind)");
	r = RUN("dirty", "sf_dirty", "resolve", "--applied", "7d0000000002");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "resolved '7d0000000002' as applied; the database is at 7d0000000002\n");
	e2e_run_free(&r);
	r = RUN("dirty", "sf_dirty", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "Running upgrade 7d0000000002 -> 7d0000000003");
	e2e_run_free(&r);
	e2e_assert_version("sf_dirty", "7d0000000003");
	e2e_assert_query("sf_dirty", "SELECT string_agg(direction || ' ' || status, ',' ORDER BY id) "
				 "FROM retort.\"public.alembic_version\" WHERE revision = '7d0000000002'",
		     "up running,up dirty,resolve not-applied,up running,up dirty,resolve applied");
}
END_TEST

/* ---- death inside a non-transactional revision ----------------------------------- */

/*
 * The fixture "killed" counts every statement of its `Transactional: false`
 * revision in table ran (a, b) and acct.bal (+100, +10): "abc:110" is the
 * whole run, each statement once. A migrator dies after a random delay, by
 * SIGKILL, pg_terminate_backend or an immediate server restart; whatever it
 * had done, the rerun must either finish with every statement run once, or
 * refuse with exit 11 (check too) without running anything.
 */
enum death { BY_SIGKILL, BY_TERMINATE, BY_RESTART };

#define STATE_SQL \
	"SELECT (SELECT coalesce(string_agg(step, '' ORDER BY step), '') FROM ran) || ':' || " \
	"(SELECT bal FROM acct)"

/* STATE_SQL, or "none" before the tables exist. Caller frees. */
static char *state_of(const char *db)
{
	char *n = e2e_query(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'ran'");
	bool none = strcmp(n, "0") == 0;
	free(n);
	return none ? strdup("none") : e2e_query(db, STATE_SQL);
}

/* A fixed seed keeps a CI run reproducible; RETORT_TEST_SEED explores. */
static unsigned long next_random(void)
{
	static unsigned long state;
	if (!state) {
		const char *seed = getenv("RETORT_TEST_SEED");
		state = seed ? strtoul(seed, NULL, 10) * 2 + 1 : 20261128;
	}
	state = state * 6364136223846793005UL + 1442695040888963407UL;
	return state >> 33;
}

/* Restarts the suite's cluster as a crash would: no checkpoint, no goodbye. */
static void restart_server(void)
{
	char cmd[2048];
	const char *bindir_cmd = "$(pg_config --bindir)";
	snprintf(cmd, sizeof(cmd),
		 "runuser -u postgres -- %s/pg_ctl -D '%s/testpg/data' -m immediate -w stop >&2 && "
		 "scripts/pg.sh start '%s/testpg' '%s' >&2",
		 bindir_cmd, tu_build_dir(), tu_build_dir(), getenv("RETORT_TEST_PGPORT"));
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

/* A killed client's backend finishes its statement before it notices. */
static void await_migrators_gone(const char *db)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) = 0 FROM pg_stat_activity "
		 "WHERE datname = '%s' AND application_name = 'retort'", db);
	for (;;) {
		char *gone = e2e_query("postgres", sql);
		bool done = strcmp(gone, "t") == 0;
		free(gone);
		if (done)
			break;
		pause_ms(20);
	}
}

static void die_at_random(enum death how, int iteration)
{
	char db[32], sql[256];
	/*
	 * Each test runs in a fork of its own: the iteration varies the
	 * sequence. Even iterations count from the start, anywhere in the run;
	 * odd ones from the first revision's commit, so that on any machine
	 * some deaths land inside the slow revision.
	 */
	unsigned long rnd = next_random() ^ (unsigned long)iteration * 2654435761UL;
	bool anywhere = iteration % 2 == 0;
	long delay = (long)(rnd % (anywhere ? 450 : 360));
	const char *from = anywhere ? "the start" : "k1's commit";
	snprintf(db, sizeof(db), "sf_death_%d", (int)how);
	/* Cheaper than a new database on a busy machine. */
	e2e_exec(db, "DROP TABLE IF EXISTS ran, acct, alembic_version; DROP SCHEMA IF EXISTS retort CASCADE");

	struct bg b = spawn("killed", db, "upgrade", "head", (char *)NULL);
	if (!anywhere) {
		PGconn *conn = session(db);
		free(await(conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'ran'"));
		PQfinish(conn);
	}
	pause_ms(delay);
	if (how == BY_SIGKILL) {
		kill(b.pid, SIGKILL);
	} else if (how == BY_TERMINATE) {
		snprintf(sql, sizeof(sql), "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
			 "WHERE datname = '%s' AND application_name = 'retort'", db);
		free(e2e_query("postgres", sql));
	} else {
		restart_server();
	}
	struct e2e_run r = finish(&b);
	e2e_run_free(&r);
	await_migrators_gone(db);

	char *before = state_of(db);
	r = RUN("killed", db, "upgrade", "head");
	char *after = state_of(db);
	ck_assert_msg(r.rc == 0 || r.rc == 11, "death %d %ld ms after %s: rerun exited %d (state %s)\n%s",
		      (int)how, delay, from, r.rc, before, r.err);
	if (r.rc == 0) {
		ck_assert_msg(strcmp(after, "abc:110") == 0,
			      "death %d %ld ms after %s: state %s before the rerun, %s after it:\n%s",
			      (int)how, delay, from, before, after, r.err);
		e2e_assert_version(db, "6b0000000003");
	} else {
		ck_assert_msg(strcmp(after, before) == 0, "death %d %ld ms after %s: the refused rerun ran %s -> %s",
			      (int)how, delay, from, before, after);
		ck_assert_contains(r.err, "error: revision '6b0000000002' is dirty: its upgrade started at ");
		e2e_assert_version(db, "6b0000000001");
		struct e2e_run ck = RUN("killed", db, "check");
		e2e_assert_rc(&ck, 11);
		e2e_run_free(&ck);
	}
	e2e_run_free(&r);
	free(before), free(after);
}

START_TEST(killed_inside_nontransactional_revision)
{
	e2e_createdb("sf_death_0");
	for (int i = 0; i < 4; i++)
		die_at_random(BY_SIGKILL, i);
}
END_TEST

START_TEST(backend_terminated_inside_nontransactional_revision)
{
	e2e_createdb("sf_death_1");
	for (int i = 0; i < 4; i++)
		die_at_random(BY_TERMINATE, 10 + i);
}
END_TEST

START_TEST(server_restarted_inside_nontransactional_revision)
{
	e2e_createdb("sf_death_2");
	for (int i = 0; i < 2; i++)
		die_at_random(BY_RESTART, 20 + i);
}
END_TEST

/* The "running" row, its message, and resolve ending it. */
START_TEST(running_row_is_dirty_until_resolved)
{
	e2e_createdb("sf_running");
	struct bg b = spawn("killed", "sf_running", "upgrade", "head", (char *)NULL);
	PGconn *conn = session("sf_running");
	/* Dies once statement 'a' has committed, the backfill half done. */
	free(await(conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'ran'"));
	free(await(conn, "SELECT count(*) FROM ran WHERE step = 'a'"));
	PQfinish(conn);
	kill(b.pid, SIGKILL);
	struct e2e_run r = finish(&b);
	e2e_run_free(&r);
	await_migrators_gone("sf_running");
	e2e_assert_query("sf_running", "SELECT string_agg(revision || ' ' || direction || ' ' || status "
		     "|| ' ' || coalesce(detail, ''), ',' ORDER BY id) FROM retort.\"public.alembic_version\"",
		     "6b0000000001 up ok ,6b0000000002 up running statements "
		     "versions/k2.sql:8:1 to versions/k2.sql:11:1");

	r = RUN("killed", "sf_running", "upgrade", "head");
	e2e_assert_rc(&r, 11);
	ck_assert_contains(r.err, "detail: the migrator running it stopped (killed, its connection cut or "
				  "the server restarted); versions/k2.sql runs outside a transaction, so any "
				  "of its statements versions/k2.sql:8:1 to versions/k2.sql:11:1 may have run\n");
	ck_assert_contains(r.err, "'migrate-killed resolve --applied 6b0000000002' or "
				  "'migrate-killed resolve --not-applied 6b0000000002'\n");
	e2e_run_free(&r);

	/* Finished by hand, then recorded: the run goes on after it. */
	e2e_exec("sf_running", "UPDATE acct SET bal = 110; INSERT INTO ran VALUES ('b')");
	RUN_OK("killed", "sf_running", "resolve", "--applied", "6b0000000002");
	RUN_OK("killed", "sf_running", "upgrade", "head");
	e2e_assert_query("sf_running", STATE_SQL, "abc:110");
	e2e_assert_query("sf_running", "SELECT detail FROM retort.\"public.alembic_version\" WHERE direction = 'resolve'",
		     "after an interrupted upgrade: statements versions/k2.sql:8:1 to versions/k2.sql:11:1");
}
END_TEST

/* Failed over a live connection before any statement completed: nothing to resolve. */
START_TEST(failure_before_any_statement_is_not_dirty)
{
	e2e_createdb("sf_failed");
	struct e2e_run r = RUN("dirty", "sf_failed", "upgrade", "7d0000000001");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_exec("sf_failed", "CREATE INDEX idx_items_id ON items (kind)");
	r = RUN("dirty", "sf_failed", "upgrade", "head");
	e2e_assert_rc(&r, 5);
	ck_assert_contains(r.err, "versions/d2.sql:7:1: ERROR:  42P07: relation \"idx_items_id\" already exists\n");
	ck_assert_lacks(r.err, "dirty in");
	e2e_run_free(&r);
	e2e_assert_query("sf_failed", "SELECT string_agg(status || ' ' || coalesce(detail, ''), ',' ORDER BY id) "
				 "FROM retort.\"public.alembic_version\" WHERE revision = '7d0000000002'",
		     "running statements versions/d2.sql:7:1 to versions/d2.sql:9:1,"
		     "failed nothing completed; failed: versions/d2.sql:7:1");
	r = RUN("dirty", "sf_failed", "check");
	e2e_assert_rc(&r, 6);
	e2e_run_free(&r);
}
END_TEST

/* ---- revisions that never ran ------------------------------------------------------ */

/* A release inserts b below c, which the previous release had applied. */
START_TEST(revision_inserted_below_applied_is_refused)
{
	e2e_createdb("sf_inserted");
	struct e2e_run r = RUN("inserted_v1", "sf_inserted", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	static const char *const want =
		"migrate-inserted_v2: error: revision '5a0000000002' never ran, but the version table "
		"counts it as applied\n"
		"detail: versions/b.sql has no row in the history log, while '5a0000000001' below it and "
		"'5a0000000003' above it were applied by this tool: it was inserted below applied "
		"revisions, or revisions were reordered, after they ran\n"
		"hint: apply its statements by hand, then record that with "
		"'migrate-inserted_v2 resolve --applied 5a0000000002'; if it did run outside this tool "
		"(Alembic), record it the same way\n";
	r = RUN("inserted_v2", "sf_inserted", "check");
	e2e_assert_rc(&r, 13);
	ck_assert_contains(r.err, want);
	e2e_run_free(&r);
	r = RUN("inserted_v2", "sf_inserted", "upgrade", "head");
	e2e_assert_rc(&r, 13);
	ck_assert_contains(r.err, want);
	e2e_run_free(&r);
	r = RUN("inserted_v2", "sf_inserted", "repair");
	e2e_assert_rc(&r, 13);
	e2e_run_free(&r);
	e2e_assert_query("sf_inserted", "SELECT string_agg(x, '' ORDER BY x) FROM t", "c");

	/* The version table cannot say "c without b". */
	r = RUN("inserted_v2", "sf_inserted", "resolve", "--not-applied", "5a0000000002");
	e2e_assert_rc(&r, 8);
	ck_assert_contains(r.err, "error: revision '5a0000000002' cannot be recorded as not applied: "
				  "revisions above it are applied\n");
	e2e_run_free(&r);

	/* Applied by hand and recorded: the run goes on above it. */
	e2e_exec("sf_inserted", "INSERT INTO t VALUES ('b')");
	r = RUN("inserted_v2", "sf_inserted", "resolve", "--applied", "5a0000000002");
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.err, "resolved '5a0000000002' as applied; the database is at 5a0000000003\n");
	e2e_run_free(&r);
	RUN_OK("inserted_v2", "sf_inserted", "upgrade", "head");
	e2e_assert_query("sf_inserted", "SELECT string_agg(x, '' ORDER BY x) FROM t", "bcd");
	RUN_OK("inserted_v2", "sf_inserted", "check");
}
END_TEST

/* b ran before c in one release; the next one puts c below b. */
START_TEST(swapped_revisions_are_refused)
{
	e2e_createdb("sf_swapped");
	struct e2e_run r = RUN("inserted_v2", "sf_swapped", "upgrade", "5a0000000002");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	r = RUN("inserted_swapped", "sf_swapped", "check");
	e2e_assert_rc(&r, 13);
	ck_assert_contains(r.err, "error: revision '5a0000000003' never ran, but the version table "
				  "counts it as applied\n"
				  "detail: versions/c.sql has no row in the history log, while '5a0000000001' "
				  "below it and '5a0000000002' above it were applied by this tool");
	e2e_run_free(&r);
}
END_TEST

/* Migrated by Alembic before this tool: no rows below, nothing to refuse. */
START_TEST(history_before_the_log_is_not_a_gap)
{
	e2e_createdb("sf_prelog");
	e2e_exec("sf_prelog", "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); "
			      "INSERT INTO alembic_version VALUES ('5a0000000003'); "
			      "CREATE TABLE t (x text); INSERT INTO t VALUES ('b'), ('c')");
	struct e2e_run r = RUN("inserted_v2", "sf_prelog", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	RUN_OK("inserted_v2", "sf_prelog", "check");
	e2e_assert_query("sf_prelog", "SELECT string_agg(x, '' ORDER BY x) FROM t", "bcd");
}
END_TEST

/* A newer release migrated the database: no write of any kind. */
START_TEST(unknown_revision_refuses_writes)
{
	e2e_createdb("sf_unknown");
	struct e2e_run r = RUN("linear", "sf_unknown", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_exec("sf_unknown", "UPDATE alembic_version SET version_num = 'f00dfeed0000'");

	static const char *const cmds[][3] = {
		{ "upgrade", "head", NULL }, { "downgrade", "base", NULL }, { "stamp", "a1a1", NULL },
		{ "repair", NULL, NULL }, { "resolve", "--applied", "a1a1" },
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		r = e2e_migrate("linear", "sf_unknown", NULL, cmds[i][0], cmds[i][1], cmds[i][2],
				(char *)NULL);
		e2e_assert_rc(&r, 7);
		ck_assert_contains(r.err, "error: the database is at revision 'f00dfeed0000', which this migrator does not know\n");
		ck_assert_contains(r.err, "hint: a newer release probably migrated this database");
		e2e_run_free(&r);
	}
	e2e_assert_version("sf_unknown", "f00dfeed0000");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("safety (end to end)");
	TCase *tc = tcase_create("lock");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, concurrent_upgrades_run_each_revision_once);
	tcase_add_test(tc, lock_timeout_names_the_holder);
	tcase_add_test(tc, bad_durations);
	suite_add_tcase(s, tc);

	tc = tcase_create("interruption");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sigterm_cancels_and_rolls_back);
	tcase_add_test(tc, sigint_per_migration_keeps_committed);
	tcase_add_test(tc, sigterm_while_waiting_for_the_lock);
	tcase_add_test(tc, connection_killed_midrun);
	tcase_add_test(tc, server_timeouts);
	tcase_add_test(tc, wait_for_the_server);
	tcase_add_test(tc, progress_in_a_log);
	tcase_add_test(tc, progress_on_a_terminal);
	suite_add_tcase(s, tc);

	tc = tcase_create("integrity");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, log_rows_beside_the_version_table);
	tcase_add_test(tc, edited_revision_is_refused);
	tcase_add_test(tc, unverified_and_other_algorithms);
	tcase_add_test(tc, layout_is_no_edit_and_v1_rows_verify);
	tcase_add_test(tc, downgrade_only_edit);
	tcase_add_test(tc, log_lives_in_schema_retort);
	tcase_add_test(tc, dirty_revision_blocks_until_resolved);
	tcase_add_test(tc, running_row_is_dirty_until_resolved);
	tcase_add_test(tc, failure_before_any_statement_is_not_dirty);
	tcase_add_test(tc, revision_inserted_below_applied_is_refused);
	tcase_add_test(tc, swapped_revisions_are_refused);
	tcase_add_test(tc, history_before_the_log_is_not_a_gap);
	suite_add_tcase(s, tc);

	tc = tcase_create("death");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, killed_inside_nontransactional_revision);
	tcase_add_test(tc, backend_terminated_inside_nontransactional_revision);
	tcase_add_test(tc, server_restarted_inside_nontransactional_revision);
	tcase_add_test(tc, unknown_revision_refuses_writes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
