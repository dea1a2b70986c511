/*
 * cmd_wait.c - `wait [--timeout DURATION]`: block until the database accepts
 * connections
 *
 * For init containers and deploy scripts that start before the database
 * does. It asks the server with PQpingParams, which needs no valid
 * credentials, so a wrong password is not mistaken for a server still
 * starting up; that shows at the first real command.
 */
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "db.h"
#include "duration.h"
#include "signals.h"

enum { OPT_TIMEOUT = OPT_FIRST_COMMAND_OPTION };

static const struct option options[] = {
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int cmd_wait(struct cli *c, int argc, char **argv)
{
	bool want_help = false;
	long timeout_ms = -1;
	struct db d = { 0 };
	int opt;

	while ((opt = cli_getopt(c, argc, argv, "", options, &want_help)) != -1) {
		if (opt != OPT_TIMEOUT)
			return cli_usage_error(c, "wait", "bad option");
		if (duration_parse(optarg, &timeout_ms) != 0)
			return cli_usage_error(c, "wait", "--timeout '%s' is not a duration: "
					       "write e.g. 500ms, 5s, 2m or 1h", optarg);
	}
	if (want_help) {
		printf("usage: %s wait [--timeout DURATION]\n\n"
		       "Waits until the database accepts connections, then exits %d; exits %d\n"
		       "when --timeout (500ms, 5s, 2m, 1h; default: no limit) passes first.\n",
		       c->prog, RT_EXIT_OK, RT_EXIT_WAIT_TIMEOUT);
		cli_common_help(stdout);
		return RT_EXIT_OK;
	}
	if (optind != argc)
		return cli_usage_error(c, "wait", "wait takes no arguments");

	int rc = db_config(&d, c);
	if (rc != RT_EXIT_OK)
		return rc;
	double t0 = duration_now_ms();
	bool said = false;
	long pause = 100;
	/* Nothing to undo: a signal ends the wait at once, exit 130. */
	sig_connecting(c->prog);
	for (;;) {
		long left_ms = timeout_ms >= 0 ? timeout_ms - (long)(duration_now_ms() - t0) : -1;
		PGPing ping = db_ping(&d, timeout_ms >= 0 ? (left_ms > 0 ? left_ms : 0) : -1);
		if (ping == PQPING_OK) {
			if (said)
				fprintf(cli_info(c), "%s: %s accepts connections after %.0f ms\n", c->prog,
					d.target, duration_now_ms() - t0);
			break;
		}
		if (ping == PQPING_NO_ATTEMPT) {
			cli_error(c, "cannot try to connect to %s: the connection parameters are invalid",
				  d.target);
			cli_hint("the connection comes from %s; see '%s --help'",
				 config_source_name(d.cfg.source), c->prog);
			rc = RT_EXIT_CONFIG;
			break;
		}
		double waited = duration_now_ms() - t0;
		if (!said) {
			fprintf(cli_info(c), "%s: waiting for %s to accept connections\n", c->prog, d.target);
			said = true;
		}
		if (timeout_ms >= 0 && waited >= (double)timeout_ms) {
			cli_error(c, "%s did not accept connections within %ld ms", d.target, timeout_ms);
			rc = RT_EXIT_WAIT_TIMEOUT;
			break;
		}
		long left = timeout_ms >= 0 ? timeout_ms - (long)waited : pause;
		pause_ms(left < pause ? (left > 0 ? left : 1) : pause);
		if (pause < 1000)
			pause *= 2;
	}
	sig_connected();
	db_close(&d);
	return rc;
}
