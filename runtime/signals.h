/*
 * signals.h - SIGINT and SIGTERM during a writing run
 *
 * A pod being stopped or an operator pressing ^C must not leave a
 * statement running on the server after we are gone, nor half a run
 * committed. While armed, the first SIGINT or SIGTERM sends a cancel
 * request for the running statement (PQcancel is documented as safe in a
 * signal handler, with a PGcancel made beforehand) and sets a flag the
 * migrator checks between statements; it then rolls back, releases the
 * migration lock and exits RT_EXIT_INTERRUPTED. The handler is installed
 * with SA_RESETHAND: a second signal ends the process at once (the server
 * still rolls back the open transaction when the connection drops).
 */
#ifndef RT_SIGNALS_H
#define RT_SIGNALS_H

#include <libpq-fe.h>
#include <stdbool.h>

/* Installs the handlers, cancelling statements of `conn`. */
void sig_arm(PGconn *conn);
/* Restores the default handlers and frees the cancel object. */
void sig_disarm(void);
/* The signal received since sig_arm(), or 0. */
int sig_caught(void);
/* Sleeps `ms`, returning early (false) when a signal arrives. */
bool sig_sleep(long ms);

/*
 * While connecting (or waiting for the server to accept connections)
 * nothing is open on the server: the first SIGINT or SIGTERM prints
 * "PROG: error: interrupted by SIG... while connecting" and exits
 * RT_EXIT_INTERRUPTED at once, even from inside libpq's connect.
 * sig_connected() restores the default handlers.
 */
void sig_connecting(const char *prog);
void sig_connected(void);

/*
 * Ignores SIGPIPE for the whole run: a closed stdout or stderr (`| head -1`)
 * must never kill a migration half-way; writes fail with EPIPE instead.
 */
void sig_ignore_pipe(void);

#endif
