/*
 * check_e2e_waits.c - every wait ends: connecting, waiting for the server,
 * waiting for the migration lock; and output that goes nowhere never ends a
 * run early
 *
 * The server that never answers is a socket this suite listens on and never
 * reads: the kernel completes the TCP handshake, libpq sends its first
 * packet, and nothing comes back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

/* A listening socket on 127.0.0.1 that nobody reads; its port in *port. */
static int silent_listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	ck_assert(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	ck_assert(listen(fd, 64) == 0);
	ck_assert(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* A migrator running in the background, its output in files. */
struct proc {
	pid_t pid;
	char out[256], err[256];
};

/*
 * Starts build/tests/migrate-linear with `args` (NULL-terminated) and the
 * extra environment `env` ("K=V"; "K=" unsets). With `io_fd` >= 0, stdout
 * and stderr both go there instead of the files.
 */
static struct proc spawn(char *const env[], int io_fd, char *const args[])
{
	static int seq;
	struct proc p;
	char bin[512];
	char *argv[16];
	size_t n = 0;

	snprintf(bin, sizeof(bin), "%s/tests/migrate-linear", tu_build_dir());
	argv[n++] = bin;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(p.out, sizeof(p.out), "%s/tests/waits-%d-%d.out", tu_build_dir(), (int)getpid(), seq);
	snprintf(p.err, sizeof(p.err), "%s/tests/waits-%d-%d.err", tu_build_dir(), (int)getpid(), seq++);
	fflush(NULL);
	p.pid = fork();
	ck_assert(p.pid >= 0);
	if (p.pid == 0) {
		for (size_t i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			if (eq && !eq[1]) {
				char name[128];
				snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]), env[i]);
				unsetenv(name);
			} else {
				putenv(env[i]);
			}
		}
		int o = io_fd >= 0 ? io_fd : open(p.out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = io_fd >= 0 ? io_fd : open(p.err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(bin, argv);
		_exit(127);
	}
	return p;
}

/* Waits for `p`; its exit status (128+signal when killed), stderr in *err. */
static int reap(struct proc *p, char **err)
{
	int st;
	ck_assert(waitpid(p->pid, &st, 0) == p->pid);
	if (err) {
		*err = tu_read_file(p->err, NULL);
		if (!*err)
			*err = strdup("");
	}
	remove(p->out);
	remove(p->err);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- connecting ------------------------------------------------------------ */

/* Issue 8, item 12: a server that never answers hung every command. */
START_TEST(silent_server_every_wait_ends)
{
	int port;
	int lfd = silent_listener(&port);
	char url[128], url_t[160];
	snprintf(url, sizeof(url), "DATABASE_URL=postgresql://postgres@127.0.0.1:%d/x", port);
	snprintf(url_t, sizeof(url_t), "%s?connect_timeout=2", url);
	char *env[] = { url, "PGCONNECT_TIMEOUT=", NULL };
	char *env_t[] = { url_t, "PGCONNECT_TIMEOUT=", NULL };
	char *env_pg[] = { url, "PGCONNECT_TIMEOUT=2", NULL };
	char *err;

	/*
	 * SIGTERM while libpq waits for the server's first answer: exit 130,
	 * like a signal at any other point of a run. Accepting the connection
	 * tells us the migrator is inside its connect.
	 */
	struct proc term = spawn(env, -1, (char *[]){ "upgrade", "head", NULL });
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	ck_assert_msg(poll(&pfd, 1, 10000) == 1, "the migrator never connected");
	int cfd = accept(lfd, NULL, NULL);
	ck_assert(cfd >= 0);
	kill(term.pid, SIGTERM);
	ck_assert_int_eq(reap(&term, &err), 130);
	ck_assert_contains(err, "interrupted by SIGTERM while connecting: nothing was changed");
	free(err);
	close(cfd);

	/* All at once: the default connect timeout takes longest. */
	struct proc dflt = spawn(env, -1, (char *[]){ "current", NULL });
	struct proc in_url = spawn(env_t, -1, (char *[]){ "current", NULL });
	struct proc pgenv = spawn(env_pg, -1, (char *[]){ "current", NULL });
	struct proc wait = spawn(env, -1, (char *[]){ "wait", "--timeout", "2s", NULL });

	ck_assert_int_eq(reap(&wait, &err), 12);
	ck_assert_contains(err, "did not accept connections within 2000 ms");
	free(err);
	ck_assert_int_eq(reap(&in_url, &err), 4);
	ck_assert_contains(err, "timeout expired");
	free(err);
	ck_assert_int_eq(reap(&pgenv, &err), 4);
	ck_assert_contains(err, "timeout expired");
	free(err);
	ck_assert_int_eq(reap(&dflt, &err), 4);
	ck_assert_contains(err, "timeout expired");
	free(err);
	close(lfd);
}
END_TEST

/* ---- the migration lock ---------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void exec_ok(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(conn));
	PQclear(res);
}

/* Issue 8, item 15: waiters polled in lock-step. */
START_TEST(waiters_notice_a_freed_lock_promptly)
{
	/*
	 * Eight migrators wait while this session holds their lock long enough
	 * for a doubling pause to have grown past a second, then it lets go.
	 * They find nothing to do (the database is at head), so each holds the
	 * lock for a few milliseconds, and they all get through one after the
	 * other as fast as they notice the lock is free.
	 *
	 * The bound is loose on purpose (the numbers belong to benchmarks): with
	 * each waiter trying every 50-100 ms at its own phase the last of eight
	 * got through 0.2 s after the lock was freed; trying in lock-step every
	 * 1.6 s, as before, it took 4.2 s.
	 */
	enum { WAITERS = 8 };
	const double hold_ms = 4000, bound_ms = 2000;
	e2e_createdb("waits_lock");
	struct e2e_run r = RUN("linear", "waits_lock", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);

	const char *kw[] = { "dbname", NULL }, *val[] = { "waits_lock", NULL };
	PGconn *holder = PQconnectdbParams(kw, val, 0);
	ck_assert_msg(PQstatus(holder) == CONNECTION_OK, "%s", PQerrorMessage(holder));
	exec_ok(holder, "SELECT pg_advisory_lock(hashtextextended('retort:public.alembic_version', 0))");

	char *env[] = { "PGDATABASE=waits_lock", NULL };
	struct proc w[WAITERS];
	double t0 = now_ms();
	for (int i = 0; i < WAITERS; i++)
		w[i] = spawn(env, -1, (char *[]){ "upgrade", "head", NULL });
	for (int i = 0; i < WAITERS; i++) {
		for (;;) {
			char *err = tu_read_file(w[i].err, NULL);
			int waiting = err && strstr(err, "waiting for the migration lock") != NULL;
			free(err);
			if (waiting)
				break;
			ck_assert_msg(now_ms() - t0 < 20000, "waiter %d never said it waits", i);
			usleep(20000);
		}
	}
	double held = now_ms() - t0;
	if (held < hold_ms)
		usleep((useconds_t)((hold_ms - held) * 1000));

	double freed = now_ms();
	exec_ok(holder, "SELECT pg_advisory_unlock(hashtextextended('retort:public.alembic_version', 0))");
	for (int i = 0; i < WAITERS; i++) {
		char *err;
		ck_assert_int_eq(reap(&w[i], &err), 0);
		ck_assert_contains(err, "got the migration lock after");
		ck_assert_contains(err, "nothing to do");
		free(err);
	}
	double took = now_ms() - freed;
	PQfinish(holder);
	ck_assert_msg(took < bound_ms, "the last of %d waiters got through %.0f ms after the lock "
		      "was freed", WAITERS, took);
}
END_TEST

/* ---- output going nowhere ----------------------------------------------------- */

/* Issue 8, item 14: SIGPIPE killed a run mid-way. */
START_TEST(closed_output_never_stops_a_migration)
{
	/* `migrate upgrade head 2>&1 | head -0`: the reader is gone before the first line. */
	int p[2];
	ck_assert(pipe(p) == 0);
	close(p[0]);
	e2e_createdb("waits_pipe");
	char *env[] = { "PGDATABASE=waits_pipe", NULL };
	struct proc up = spawn(env, p[1], (char *[]){ "upgrade", "head",
						      "--transaction-per-migration", NULL });
	close(p[1]);
	ck_assert_int_eq(reap(&up, NULL), 0);
	e2e_assert_version("waits_pipe", "c3c3c3c3c3c3");
	e2e_assert_query("waits_pipe", "SELECT count(*) FROM accounts", "2");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("waits (end to end)");
	TCase *tc = tcase_create("connect");
	/* The default connect timeout is 10 s; a hang shows as this one. */
	tcase_set_timeout(tc, 40);
	tcase_add_test(tc, silent_server_every_wait_ends);
	suite_add_tcase(s, tc);

	tc = tcase_create("lock");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, waiters_notice_a_freed_lock_promptly);
	suite_add_tcase(s, tc);

	tc = tcase_create("output");
	tcase_add_test(tc, closed_output_never_stops_a_migration);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
