/*
 * exec.c - run a plan's SQL, online or as an offline script
 */
#include "exec.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "color.h"
#include "duration.h"
#include "ledger.h"
#include "signals.h"

/* "a, b" of the revisions a step goes from, and to, as Alembic logs them. */
static void step_ends(const struct rt_set *s, const struct plan_step *st, char *from,
		      char *to, size_t len)
{
	const struct rt_revision *r = &s->revisions[st->rev];
	char parents[1024] = "";
	size_t n = 0;

	for (unsigned i = 0; i < r->n_parents && n < sizeof(parents); i++)
		n += (size_t)snprintf(parents + n, sizeof(parents) - n, "%s%s", i ? ", " : "",
				      s->revisions[r->parents[i]].id);
	snprintf(from, len, "%s", st->up ? parents : r->id);
	snprintf(to, len, "%s", st->up ? r->id : parents);
}

/* ---- progress on stderr ---------------------------------------------------------- */

/* Ends the terminal's open step line, so that other output starts afresh. */
static void progress_break(struct exec *e)
{
	if (e->line_open)
		fputc('\n', stderr);
	e->line_open = false;
}

/* "Running", green on a terminal (color.h). */
static const char *running(void)
{
	static char word[32];
	snprintf(word, sizeof(word), "%sRunning%s", color_start(stderr, COLOR_RUNNING),
		 color_end(stderr));
	return word;
}

/* A server notice during a step: on a line of its own, then as db.c prints it. */
static void progress_notice(void *arg, const PGresult *res)
{
	struct exec *e = arg;
	progress_break(e);
	if (e->notice_next)
		e->notice_next((void *)e->c, res); /* db.c's receiver takes the cli */
}

static void progress_start(struct exec *e, const char *verb, const char *from, const char *to,
			   const char *message)
{
	const char *env = getenv("RETORT_PROGRESS_INTERVAL");
	long ms = 30000;

	if (env && (duration_parse(env, &ms) != 0 || ms <= 0)) {
		cli_warn(e->c, "RETORT_PROGRESS_INTERVAL '%s' is not a positive duration: using 30s", env);
		ms = 30000;
	}
	e->info = cli_info(e->c);
	/* Under --quiet nothing is drawn, so there is no line to redraw. */
	e->tty = isatty(STDERR_FILENO) && e->info == stderr;
	/* A terminal's clock ticks every second; a log gets a line per interval. */
	e->tick_ms = e->tty ? 1000 : (double)ms;
	e->next_tick = e->step_t0 + e->tick_ms;
	e->message = message;
	snprintf(e->what, sizeof(e->what), "%s %s -> %s", verb, from, to);
	fprintf(e->info, "%s %s, %s%s", running(), e->what, message, e->tty ? "" : "\n");
	fflush(e->info);
	e->line_open = e->tty;
}

/* The step has run for a while: say so, and which statement runs. */
static void progress_tick(struct exec *e, const char *where)
{
	double now = duration_now_ms(), s = (now - e->step_t0) / 1000;
	int prec = s < 10 ? 1 : 0;

	if (e->line_open)
		fprintf(stderr, "\r%s %s, %s ... %.*f s, at %s\033[K", running(), e->what,
			e->message, prec, s, where);
	else if (!e->tty)
		fprintf(e->info, "Still running %s after %.*f s: %s\n", e->what, prec, s, where);
	fflush(e->info);
	while (e->next_tick <= now)
		e->next_tick += e->tick_ms;
}

static void progress_end(struct exec *e, bool ok)
{
	double ms = duration_now_ms() - e->step_t0;
	FILE *info = e->info ? e->info : stderr;

	if (e->line_open)
		fprintf(stderr, ok ? "\r%s %s, %s (%.0f ms)\033[K\n"
				   : "\r%s %s, %s: failed after %.0f ms\033[K\n", running(), e->what,
			e->message, ms);
	else
		fprintf(info, ok ? "Finished %s in %.0f ms\n" : "Failed %s after %.0f ms\n",
			e->what, ms);
	e->line_open = false;
}

/* The statements of one round trip, and where each starts in the query. */
struct batch {
	const struct rt_revision *rev;
	const struct rt_stmt *stmts; /* consecutive statements of one script */
	size_t n_stmts;
	size_t *offsets;             /* byte offset of each statement in sql */
	const struct vt_op *ops;     /* version-table changes after them */
	size_t n_ops;
	size_t n_tail;               /* log statements after those */
	size_t stmts_end;            /* byte offset where the statements end */
	char *sql;
	size_t len;
};

/* Byte offset of the 1-based character position `pos` (UTF-8) in `s`. */
static size_t char_to_byte(const char *s, size_t len, long pos)
{
	size_t i = 0;
	for (long chars = 1; i < len && chars < pos; i++)
		if (((unsigned char)s[i + 1] & 0xC0) != 0x80)
			chars++;
	return i;
}

/* "versions/x.sql:LINE:COL" of statement k, `within` bytes into it. */
static void locate(const struct batch *b, size_t k, size_t within, char *buf, size_t len)
{
	const struct rt_stmt *st = &b->stmts[k];
	unsigned line = st->line, col = st->col;

	for (size_t i = 0; i < within && st->sql[i]; i++) {
		if (st->sql[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	snprintf(buf, len, "%s:%u:%u", b->rev->path, line, col);
}

/*
 * Reports the error `res`, which answered statement `idx` of `b`. The
 * server's error position, when it gives one, is exact; otherwise the
 * count of results before the error names the statement.
 */
static void report_failure(struct exec *e, const struct batch *b, const PGresult *res, size_t idx)
{
	char where[1024];
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);

	size_t off = pos ? char_to_byte(b->sql, b->len, atol(pos)) : 0;

	if (pos && b->n_stmts > 0 && off < b->stmts_end) {
		size_t k = 0;
		while (k + 1 < b->n_stmts && b->offsets[k + 1] <= off)
			k++;
		locate(b, k, off - b->offsets[k], where, sizeof(where));
	} else if (idx < b->n_stmts) {
		locate(b, idx, 0, where, sizeof(where));
	} else {
		snprintf(where, sizeof(where), "%s%s%s table %s", b->rev ? b->rev->path : "",
			 b->rev ? ": " : "", idx < b->n_stmts + b->n_ops ? "version" : "log",
			 idx < b->n_stmts + b->n_ops ? e->vt->qualified : e->vt->log);
	}
	snprintf(e->failed_at, sizeof(e->failed_at), "%s", where);
	db_report(e->errs ? e->errs : stderr, e->c, res, where);
}

/*
 * --verbose: "path:line:col: its first line" of statement k of `b`, which
 * starts now (the server runs a batch's statements in order, each once the
 * one before has answered).
 */
static void say_statement(struct exec *e, const struct batch *b, size_t k)
{
	char where[1100];

	if (!e->verbose || k >= b->n_stmts || e->info != stderr)
		return;
	progress_break(e);
	locate(b, k, 0, where, sizeof(where));
	const char *sql = b->stmts[k].sql;
	size_t len = strcspn(sql, "\n"), show = len;
	if (show > 72) /* cut at a character's start, not inside its UTF-8 bytes */
		for (show = 72; show > 0 && ((unsigned char)sql[show] & 0xC0) == 0x80; show--)
			;
	fprintf(stderr, "  %s: %.*s%s\n", where, (int)show, sql, show < len ? " ..." : "");
	fflush(stderr);
}

/*
 * Waits until the next result of `b` is in (idx results came before it),
 * reporting progress meanwhile: a statement may run for hours, and
 * PQgetResult would block without a word. A signal interrupts poll; its
 * handler has sent the cancel request, so the wait goes on for the
 * server's answer. A lost connection ends the wait; PQgetResult then
 * reports it.
 */
static void await_result(struct exec *e, const struct batch *b, size_t idx)
{
	PGconn *conn = e->db->conn;
	struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };

	while (pfd.fd >= 0 && PQisBusy(conn)) {
		/* Outside a step (stamp) there is no progress: wait as PQgetResult would. */
		int timeout = -1;
		if (e->tick_ms > 0) {
			double due = e->next_tick - duration_now_ms();
			timeout = due > 0 ? (int)due + 1 : 0;
		}
		int n = poll(&pfd, 1, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && !PQconsumeInput(conn))
			break;
		if (n == 0) {
			char where[1100];
			if (idx < b->n_stmts)
				locate(b, idx, 0, where, sizeof(where));
			else
				snprintf(where, sizeof(where), "the version table and its log");
			progress_tick(e, where);
		}
	}
}

/*
 * Sends the batch as one simple query and reads one result per statement.
 * Version-table UPDATEs and DELETEs must touch exactly one row: anything
 * else means someone changed the table under us.
 */
static bool run_batch(struct exec *e, const struct batch *b)
{
	PGconn *conn = e->db->conn;
	PGresult *res, *failed = NULL;
	size_t idx = 0, failed_idx = 0;
	/*
	 * A migration's statement may hold several (an op.execute string with
	 * two), so results are not counted from the front: the version-table
	 * changes are the n_ops results just before the n_tail log rows, and a
	 * ring keeps the row counts of the last n_ops + n_tail results.
	 */
	size_t ring_n = b->n_ops + b->n_tail;
	char (*ring)[24] = ring_n ? calloc(ring_n, sizeof(*ring)) : NULL;
	bool ok = true;

	if (ring_n && !ring) {
		cli_error(e->c, "out of memory");
		return false;
	}
	if (!PQsendQuery(conn, b->sql)) {
		progress_break(e);
		cli_error(e->c, "%s", PQerrorMessage(conn));
		free(ring);
		return false;
	}
	say_statement(e, b, 0);
	for (;;) {
		await_result(e, b, idx);
		if ((res = PQgetResult(conn)) == NULL)
			break;
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN) {
			PQputCopyEnd(conn, "COPY FROM STDIN is not supported in migrations");
		} else if (st == PGRES_COPY_OUT) {
			char *row;
			while (PQgetCopyData(conn, &row, 0) > 0)
				PQfreemem(row);
		} else if (st == PGRES_FATAL_ERROR && !failed) {
			failed = res, failed_idx = idx++;
			continue;
		}
		if (ring_n)
			snprintf(ring[idx % ring_n], sizeof(*ring), "%s", PQcmdTuples(res));
		idx++;
		PQclear(res);
		say_statement(e, b, idx);
	}
	if (failed) {
		report_failure(e, b, failed, failed_idx);
		PQclear(failed);
		free(ring);
		return false;
	}
	if (PQstatus(conn) == CONNECTION_BAD) {
		progress_break(e);
		cli_error(e->c, "connection lost: %s", PQerrorMessage(conn));
		free(ring);
		return false;
	}
	for (size_t k = 0; k < b->n_ops && idx >= ring_n; k++) {
		const struct vt_op *op = &b->ops[k];
		const char *tuples = ring[(idx - ring_n + k) % ring_n];
		if (op->kind != VT_INSERT && strcmp(tuples, "1") != 0) {
			progress_break(e);
			cli_error(e->c, "version table %s: expected to change one row for revision '%s', changed %s",
				  e->vt->qualified, e->c->set->revisions[op->from].id, tuples);
			cli_hint("another process changed the version table during this run");
			ok = false;
			break;
		}
	}
	free(ring);
	return ok;
}

/*
 * Runs statements [from, to) of a script plus version-table changes and
 * `tail` (log rows, may be NULL): online in one round trip, offline
 * printed, each statement followed by a blank line as Alembic's scripts
 * have them.
 */
static bool run_segment(struct exec *e, const struct rt_revision *r, const struct rt_script *sc,
			size_t from, size_t to, const struct vt_op *ops, size_t n_ops,
			const char *tail)
{
	const struct rt_set *s = e->c->set;
	const char *sep = e->db ? "\n" : "\n\n";
	struct batch b = {
		.rev = r, .stmts = sc ? sc->stmts + from : NULL, .n_stmts = to - from,
		.ops = ops, .n_ops = n_ops,
	};
	FILE *fp = open_memstream(&b.sql, &b.len);

	b.offsets = malloc((b.n_stmts + 1) * sizeof(*b.offsets));
	if (!fp || !b.offsets) {
		cli_error(e->c, "out of memory");
		return false;
	}
	for (size_t i = 0; i < b.n_stmts; i++) {
		const char *q = b.stmts[i].sql;
		size_t n = strlen(q);
		fflush(fp);
		b.offsets[i] = b.len;
		fprintf(fp, "%s%s%s", q, n && q[n - 1] == ';' ? "" : ";", sep);
	}
	fflush(fp);
	b.stmts_end = b.len;
	for (size_t i = 0; i < n_ops; i++) {
		vt_write_op(fp, e->vt, s, &ops[i]);
		if (!e->db)
			fputc('\n', fp);
	}
	if (tail) {
		fprintf(fp, "%s%s", tail, e->db ? "" : "\n");
		/*
		 * Our own log rows: one statement per ";\n" line. One pass: a
		 * strstr() per row is quadratic where strstr measures its
		 * haystack first (ASan's does; 20,000 stamped rows took 87 s).
		 */
		for (const char *t = tail; *t; t++)
			if (t[0] == ';' && t[1] == '\n')
				b.n_tail++;
	}
	fclose(fp);

	bool ok = true;
	if (!e->db)
		fputs(b.sql, e->out);
	else if (b.len > 0)
		ok = run_batch(e, &b);
	free(b.sql);
	free(b.offsets);
	return ok;
}

static bool send_sql(struct exec *e, const char *sql)
{
	if (!e->db) {
		fprintf(e->out, "%s\n\n", sql);
		return true;
	}
	return db_command(e->db, e->c, sql);
}

/* Sends DDL that `write` prints (it ends in ";\n"). */
static bool send_ddl(struct exec *e, void (*write)(FILE *, const struct vt_names *))
{
	char *ddl = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&ddl, &len);

	if (!fp) {
		cli_error(e->c, "out of memory");
		return false;
	}
	write(fp, e->vt);
	fclose(fp);
	ddl[len - 1] = '\0';
	bool ok = send_sql(e, ddl);
	free(ddl);
	return ok;
}

/*
 * Opens or closes the transaction; the first BEGIN creates the version
 * table and its log when they are missing, so a failed first run leaves
 * neither behind.
 */
static bool txn(struct exec *e, bool open)
{
	if (open == e->in_txn)
		return true;
	if (!send_sql(e, open ? "BEGIN;" : "COMMIT;"))
		return false;
	e->in_txn = open;
	if (!open && e->running_pending)
		e->running = true, e->running_pending = false;
	if (open && e->create_vt) {
		if (!send_ddl(e, vt_write_create))
			return false;
		e->create_vt = false;
	}
	if (open && e->create_log) {
		if (!send_ddl(e, ledger_write_create))
			return false;
		e->create_log = false;
	}
	return true;
}

/* The INSERT of a log row for revision `r`, or NULL when there is no log. */
static char *log_sql(struct exec *e, const struct rt_revision *r, const char *direction,
		     const char *status, const char *detail)
{
	struct ledger_entry en = {
		.rev = r, .direction = direction, .status = status, .detail = detail,
		.before_ms = e->db && e->step_t0 > 0 ? duration_now_ms() - e->step_t0 : 0,
	};
	char *sql = NULL;
	size_t len = 0;

	if (!e->by)
		return NULL;
	FILE *fp = open_memstream(&sql, &len);
	if (!fp)
		return NULL;
	ledger_write_insert(fp, e->vt, e->by, &en);
	fclose(fp);
	return sql;
}

/* Statements [from, to) of `r` are committed for good: note where they are. */
static void committed(struct exec *e, const struct rt_revision *r, const struct rt_script *sc,
		      size_t from, size_t to)
{
	if (!e->done)
		return;
	for (size_t i = from; i < to; i++)
		fprintf(e->done, "%s%s:%u:%u", ftell(e->done) ? ", " : "", r->path,
			sc->stmts[i].line, sc->stmts[i].col);
}

/* Whether `sc` commits some of its statements before its end. */
static bool commits_part_way(const struct rt_revision *r, const struct rt_script *sc)
{
	if (!r->transactional)
		return sc->n_stmts > 0;
	for (size_t i = 0; i < sc->n_stmts; i++)
		if (sc->stmts[i].flags & RT_STMT_AUTOCOMMIT)
			return true;
	return false;
}

/*
 * A revision that commits part-way may stop at any moment, and a migrator
 * that is killed, or whose connection or server goes away, writes nothing
 * more. So the log gets a "running" row first, committed with the
 * transaction open before the revision's first statement that commits (or
 * alone): whatever happens next, either the row that ends the revision
 * follows it, or the revision stays dirty.
 */
static bool mark_running(struct exec *e, const struct rt_revision *r, const struct rt_script *sc,
			 const char *dir)
{
	char detail[1200];
	const struct rt_stmt *first = &sc->stmts[0], *last = &sc->stmts[sc->n_stmts - 1];

	if (sc->n_stmts == 1)
		snprintf(detail, sizeof(detail), "statement %s:%u:%u", r->path, first->line, first->col);
	else
		snprintf(detail, sizeof(detail), "statements %s:%u:%u to %s:%u:%u", r->path,
			 first->line, first->col, r->path, last->line, last->col);
	if (!e->by)
		return true;
	char *row = log_sql(e, r, dir, "running", detail);
	if (!row) {
		cli_error(e->c, "out of memory");
		return false;
	}
	bool ok = run_segment(e, r, NULL, 0, 0, NULL, 0, row);
	free(row);
	if (ok && e->db) {
		e->running = !e->in_txn;
		e->running_pending = e->in_txn;
	}
	return ok;
}

static bool run_step(struct exec *e, const struct plan_step *st)
{
	const struct rt_revision *r = &e->c->set->revisions[st->rev];
	const struct rt_script *sc = st->up ? &r->upgrade : &r->downgrade;
	const char *dir = st->up ? "up" : "down";
	size_t start = 0;
	char *row;
	bool ok, part_way = commits_part_way(r, sc);

	if (!r->transactional) {
		if (!txn(e, false) || (part_way && !mark_running(e, r, sc, dir)))
			return false;
		for (size_t i = 0; i < sc->n_stmts; i++) {
			if (!run_segment(e, r, sc, i, i + 1, NULL, 0, NULL))
				return false;
			committed(e, r, sc, i, i + 1);
		}
		row = log_sql(e, r, dir, "ok", NULL);
		ok = run_segment(e, r, NULL, 0, 0, st->ops, st->n_ops, row);
		free(row);
		return ok;
	}
	/* Statements flagged autocommit cut a transactional script in segments. */
	for (size_t i = 0; i <= sc->n_stmts; i++) {
		bool end = i == sc->n_stmts;
		if (!end && !(sc->stmts[i].flags & RT_STMT_AUTOCOMMIT))
			continue;
		if (!txn(e, true))
			return false;
		if (part_way && !mark_running(e, r, sc, dir))
			return false;
		part_way = false;
		row = end ? log_sql(e, r, dir, "ok", NULL) : NULL;
		ok = run_segment(e, r, sc, start, i, end ? st->ops : NULL, end ? st->n_ops : 0, row);
		free(row);
		if (!ok)
			return false;
		if (!end) {
			if (!txn(e, false))
				return false;
			committed(e, r, sc, start, i);
			if (!run_segment(e, r, sc, i, i + 1, NULL, 0, NULL))
				return false;
			committed(e, r, sc, i, i + 1);
			start = i + 1;
		}
	}
	return true;
}

static void rollback(struct exec *e)
{
	if (e->db && e->in_txn && PQstatus(e->db->conn) == CONNECTION_OK) {
		PGresult *res = PQexec(e->db->conn, "ROLLBACK");
		PQclear(res);
	}
	e->in_txn = false;
	e->running_pending = false;
}

/*
 * Statements of `r` committed before it failed cannot be taken back: say
 * which, and record the revision as dirty so that no later run goes on as
 * if nothing happened.
 */
static void record_dirty(struct exec *e, const struct plan_step *st, bool lost)
{
	const struct rt_revision *r = &e->c->set->revisions[st->rev];
	const char *failed = e->failed_at[0] ? e->failed_at : "(unknown)";
	size_t n = strlen(e->done_text) + strlen(failed) + 32;
	char *detail = malloc(n);

	if (!detail) {
		cli_error(e->c, "out of memory");
		return;
	}
	snprintf(detail, n, "completed: %s; failed: %s", e->done_text, failed);
	cli_warn(e->c, "revision '%s' stopped part-way outside a transaction; these statements stay applied: %s",
		 r->id, e->done_text);
	char *row = lost ? NULL : log_sql(e, r, st->up ? "up" : "down", "dirty", detail);
	if (row && db_command(e->db, e->c, row))
		fprintf(stderr, "%s: recorded '%s' as dirty in %s: later runs stop until "
			"'%s resolve' records how it ended\n", e->c->prog, r->id, e->vt->log_shown, e->c->prog);
	else if (e->running)
		fprintf(stderr, "%s: '%s' stays dirty in %s (its \"running\" row has no end): later "
			"runs stop until '%s resolve' records how it ended\n", e->c->prog, r->id,
			e->vt->log_shown, e->c->prog);
	else
		cli_warn(e->c, "could not record '%s' as dirty in %s: check the schema before the next run",
			 r->id, e->vt->log_shown);
	free(row);
	free(detail);
}

/*
 * `r` failed before any of its statements committed, after its "running"
 * row did: end that row, or, when the connection is gone (the statement in
 * flight may have committed), leave the revision dirty.
 */
static void record_failed(struct exec *e, const struct plan_step *st, bool lost)
{
	const struct rt_revision *r = &e->c->set->revisions[st->rev];
	char detail[1100];

	snprintf(detail, sizeof(detail), "nothing completed; failed: %s",
		 e->failed_at[0] ? e->failed_at : "(unknown)");
	char *row = lost ? NULL : log_sql(e, r, st->up ? "up" : "down", "failed", detail);
	if (!row || !db_command(e->db, e->c, row))
		fprintf(stderr, "%s: '%s' stays dirty in %s (its \"running\" row has no end): whether "
			"its statement in flight committed is unknown; later runs stop until '%s resolve' "
			"records how it ended\n", e->c->prog, r->id, e->vt->log_shown, e->c->prog);
	free(row);
}

static int failure_code(struct exec *e)
{
	if (sig_caught())
		return RT_EXIT_INTERRUPTED;
	if (e->db && PQstatus(e->db->conn) != CONNECTION_OK)
		return RT_EXIT_CONNECT;
	return RT_EXIT_SQL;
}

static int run_plan(struct exec *e, const struct plan *p)
{
	const struct rt_set *s = e->c->set;
	char from[1100], to[1100];

	e->in_txn = false;
	if ((e->create_vt || e->create_log) && !txn(e, true)) {
		int rc = failure_code(e);
		rollback(e);
		return rc;
	}
	for (size_t k = 0; k < p->n_steps; k++) {
		const struct plan_step *st = &p->steps[k];
		const struct rt_revision *r = &s->revisions[st->rev];
		const char *verb = st->up ? "upgrade" : "downgrade";

		if (sig_caught()) {
			rollback(e);
			return RT_EXIT_INTERRUPTED;
		}
		e->step_t0 = duration_now_ms();
		e->failed_at[0] = '\0';
		e->running = e->running_pending = false;
		step_ends(s, st, from, to, sizeof(from));
		/* The step's line comes first, then why it failed, if it did. */
		char *report = NULL;
		size_t report_len = 0;
		e->errs = e->db ? open_memstream(&report, &report_len) : NULL;
		e->done_text = NULL;
		e->done = e->db ? open_memstream(&e->done_text, &e->done_len) : NULL;
		if (!e->db) {
			txn(e, r->transactional);
			fprintf(e->out, "-- Running %s %s -> %s\n\n", verb, from, to);
		} else {
			progress_start(e, verb, from, to, r->message);
		}
		bool ok = run_step(e, st) && (!e->per_migration || txn(e, false));
		if (e->errs) {
			fclose(e->errs);
			e->errs = NULL;
		}
		if (e->done) {
			fclose(e->done);
			e->done = NULL;
		}
		if (!ok) {
			int rc = failure_code(e);
			progress_end(e, false);
			fputs(report ? report : "", stderr);
			free(report);
			rollback(e);
			if (e->done_text && e->done_text[0])
				record_dirty(e, st, rc == RT_EXIT_CONNECT);
			else if (e->running)
				record_failed(e, st, rc == RT_EXIT_CONNECT);
			free(e->done_text);
			e->done_text = NULL;
			return rc;
		}
		free(e->done_text);
		e->done_text = NULL;
		if (e->db)
			progress_end(e, true);
		free(report);
	}
	/* Stopped after the last statement: keep the promise of no change. */
	if (sig_caught()) {
		rollback(e);
		return RT_EXIT_INTERRUPTED;
	}
	if (!txn(e, false)) {
		int rc = failure_code(e);
		rollback(e);
		return rc;
	}
	return RT_EXIT_OK;
}

int exec_plan(struct exec *e, const struct plan *p)
{
	if (!e->db)
		return run_plan(e, p);
	e->notice_next = PQsetNoticeReceiver(e->db->conn, progress_notice, e);
	int rc = run_plan(e, p);
	PQsetNoticeReceiver(e->db->conn, e->notice_next, (void *)e->c);
	return rc;
}

static bool contains(const unsigned *v, size_t n, unsigned x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* "stamp" log rows for every revision whose applied state the stamp changes. */
static char *stamp_rows(struct exec *e, const unsigned *from, size_t n_from, const struct plan *p)
{
	const struct rt_set *s = e->c->set;
	bool *before = ledger_applied(s, from, n_from);
	bool *after = ledger_applied(s, p->heads, p->n_heads);
	char *sql = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&sql, &len);

	bool first = true;

	e->step_t0 = 0; /* one round trip: statement_timestamp() is the start */
	for (unsigned i = 0; fp && before && after && i < s->n_revisions; i++) {
		if (before[i] == after[i])
			continue;
		char *row = log_sql(e, &s->revisions[i], "stamp",
				    after[i] ? "applied" : "not-applied", NULL);
		if (row)
			fprintf(fp, "%s%s", first || e->db ? "" : "\n", row);
		first = false;
		free(row);
	}
	if (fp)
		fclose(fp);
	free(before), free(after);
	return sql;
}

int exec_stamp(struct exec *e, const unsigned *from, size_t n_from, const struct plan *p,
	       const char *extra, bool log_stamp)
{
	struct vt_op *ops = malloc((n_from + p->n_heads + 1) * sizeof(*ops));
	size_t n = 0, j = 0;

	if (!ops) {
		cli_error(e->c, "out of memory");
		return RT_EXIT_FAIL;
	}
	/* Pair a leaving row with an arriving one as an UPDATE, as Alembic does. */
	for (size_t i = 0; i < n_from; i++) {
		if (contains(p->heads, p->n_heads, from[i]))
			continue;
		while (j < p->n_heads && contains(from, n_from, p->heads[j]))
			j++;
		if (j < p->n_heads)
			ops[n++] = (struct vt_op){ VT_UPDATE, from[i], p->heads[j++] };
		else
			ops[n++] = (struct vt_op){ VT_DELETE, from[i], 0 };
	}
	for (; j < p->n_heads; j++)
		if (!contains(from, n_from, p->heads[j]))
			ops[n++] = (struct vt_op){ VT_INSERT, 0, p->heads[j] };

	char *rows = log_stamp ? stamp_rows(e, from, n_from, p) : NULL;
	size_t tail_len = (rows ? strlen(rows) : 0) + (extra ? strlen(extra) : 0) + 2;
	char *tail = malloc(tail_len);
	if (tail)
		snprintf(tail, tail_len, "%s%s%s", rows ? rows : "",
			 rows && *rows && extra && !e->db ? "\n" : "", extra ? extra : "");
	free(rows);

	int rc = RT_EXIT_OK;
	e->in_txn = false;
	if (!txn(e, true) || !run_segment(e, NULL, NULL, 0, 0, ops, n, tail && *tail ? tail : NULL) ||
	    !txn(e, false)) {
		rc = failure_code(e);
		rollback(e);
	}
	free(tail);
	free(ops);
	return rc;
}
