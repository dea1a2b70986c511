/*
 * signals.c - cancel the running statement on SIGINT/SIGTERM
 */
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcode.h"

static PGcancel *volatile cancel_obj;
static volatile sig_atomic_t caught;

static void on_signal(int signo)
{
	int saved = errno;
	char errbuf[256];

	caught = signo;
	if (cancel_obj)
		PQcancel(cancel_obj, errbuf, sizeof(errbuf));
	errno = saved;
}

static void set_handler(void (*fn)(int), int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void sig_arm(PGconn *conn)
{
	caught = 0;
	cancel_obj = PQgetCancel(conn);
	/* No SA_RESTART: a sleep in the lock loop must wake up. */
	set_handler(on_signal, SA_RESETHAND);
}

void sig_disarm(void)
{
	PGcancel *c = cancel_obj;

	set_handler(SIG_DFL, 0);
	cancel_obj = NULL;
	if (c)
		PQfreeCancel(c);
}

int sig_caught(void)
{
	return caught;
}

bool sig_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (!caught && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return !caught;
}

/* Written by the handler, so made beforehand: snprintf is not signal-safe. */
static char connect_msg[2][160];

static void on_signal_connecting(int signo)
{
	const char *m = connect_msg[signo == SIGINT];
	ssize_t w = write(STDERR_FILENO, m, strlen(m));

	(void)w;
	_exit(RT_EXIT_INTERRUPTED);
}

void sig_connecting(const char *prog)
{
	snprintf(connect_msg[0], sizeof(connect_msg[0]),
		 "%s: error: interrupted by SIGTERM while connecting: nothing was changed\n", prog);
	snprintf(connect_msg[1], sizeof(connect_msg[1]),
		 "%s: error: interrupted by SIGINT while connecting: nothing was changed\n", prog);
	set_handler(on_signal_connecting, 0);
}

void sig_connected(void)
{
	set_handler(SIG_DFL, 0);
}

void sig_ignore_pipe(void)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}
