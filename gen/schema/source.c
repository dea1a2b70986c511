/*
 * source.c - where a schema comes from, and the server that builds it
 *
 * Scratch databases get generated names (retort_scratch_<pid>_<n>_<random>),
 * quoted with PQescapeIdentifier, and are dropped when retort ends, also on
 * SIGINT/SIGTERM/SIGHUP. The throwaway cluster lives in a mkdtemp directory
 * with its socket inside and no TCP listener; as root it runs as the
 * postgres user, since initdb and postgres refuse root.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "schema/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "folder.h"
#include "graph.h"
#include "migration.h"
#include "schema/catalog.h"
#include "sql/sqllex.h"

enum { MAX_DBS = 16 };

struct scratch {
	struct arena *a;
	const char *dev_url;   /* NULL: the throwaway cluster */
	bool privileges;       /* GRANT and REVOKE are applied and compared */
	bool started, failed;
	/* The throwaway cluster. */
	char *dir;             /* heap: used from the signal handler */
	char *bindir;
	uid_t uid;
	gid_t gid;
	bool as_other;
	/* Its admin connection and databases. */
	PGconn *admin;
	char *dbs[MAX_DBS];
	PGconn *conns[MAX_DBS];
	bool used[MAX_DBS];
	int n_dbs;
	unsigned counter;
	const char *described;
};

static struct scratch *live_scratch;

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* ---- running the server's programs ----------------------------------------- */

/* Runs argv as the cluster's owner, output to `log`. Returns the exit status. */
static int run_as(const struct scratch *s, char *const argv[], const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			if (s->as_other && fchown(fd, s->uid, s->gid) != 0)
				_exit(126);
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0) {
			dup2(nul, 0);
			close(nul);
		}
		if (s->as_other && (setgid(s->gid) != 0 || initgroups("postgres", s->gid) != 0 ||
				    setuid(s->uid) != 0))
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void cluster_stop(struct scratch *s)
{
	if (!s->dir)
		return;
	char data[4096], log[4096], pg_ctl[4096];
	snprintf(data, sizeof data, "%s/data", s->dir);
	snprintf(log, sizeof log, "%s/stop.log", s->dir);
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir);
	char pidfile[4200];
	snprintf(pidfile, sizeof pidfile, "%s/postmaster.pid", data);
	if (access(pidfile, F_OK) == 0) {
		char *argv[] = { pg_ctl, (char *)"-D", data, (char *)"-m", (char *)"immediate",
				 (char *)"-w", (char *)"stop", NULL };
		run_as(s, argv, log);
	}
	nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(s->dir);
	s->dir = NULL;
}

static void drop_all(struct scratch *s)
{
	for (int i = 0; i < s->n_dbs; i++) {
		if (s->conns[i])
			PQfinish(s->conns[i]);
		s->conns[i] = NULL;
	}
	if (s->admin && PQstatus(s->admin) == CONNECTION_OK) {
		for (int i = 0; i < s->n_dbs; i++) {
			char *q = PQescapeIdentifier(s->admin, s->dbs[i], strlen(s->dbs[i]));
			if (!q)
				continue;
			char sql[256];
			snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s", q,
				 PQserverVersion(s->admin) >= 130000 ? " WITH (FORCE)" : "");
			PQfreemem(q);
			PGresult *res = PQexec(s->admin, sql);
			if (PQresultStatus(res) != PGRES_COMMAND_OK && s->dev_url)
				fprintf(stderr, "retort: warning: cannot drop scratch database '%s': %s",
					s->dbs[i], PQresultErrorMessage(res));
			PQclear(res);
		}
	}
	for (int i = 0; i < s->n_dbs; i++)
		free(s->dbs[i]), s->used[i] = false;
	s->n_dbs = 0;
	if (s->admin)
		PQfinish(s->admin);
	s->admin = NULL;
}

void scratch_close(struct scratch *s)
{
	if (!s)
		return;
	drop_all(s);
	cluster_stop(s);
	if (live_scratch == s)
		live_scratch = NULL;
}

/*
 * Not async-signal-safe in the strict sense (libpq, stdio): the process is
 * ending either way, and leaving a cluster running or a database behind is
 * the worse outcome.
 */
static void on_signal(int sig)
{
	if (live_scratch)
		scratch_close(live_scratch);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void at_exit(void)
{
	if (live_scratch)
		scratch_close(live_scratch);
}

struct scratch *scratch_new(struct arena *a, const char *dev_url, bool privileges)
{
	struct scratch *s = arena_alloc(a, sizeof *s);
	s->a = a;
	s->privileges = privileges;
	if (!dev_url || !*dev_url)
		dev_url = getenv("RETORT_DEV_URL");
	s->dev_url = dev_url && *dev_url ? dev_url : NULL;
	return s;
}

static char *find_bindir(void)
{
	const char *env = getenv("RETORT_PG_BINDIR");
	char probe[4200];
	if (env && *env) {
		snprintf(probe, sizeof probe, "%s/initdb", env);
		return access(probe, X_OK) == 0 ? strdup(env) : NULL;
	}
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
	char line[4096] = "";
	if (p) {
		if (!fgets(line, sizeof line, p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	snprintf(probe, sizeof probe, "%s/initdb", line);
	if (line[0] && access(probe, X_OK) == 0)
		return strdup(line);
	/* Debian keeps the server outside PATH: the newest installed. */
	DIR *d = opendir("/usr/lib/postgresql");
	long best = -1;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			long v = strtol(e->d_name, NULL, 10);
			snprintf(probe, sizeof probe, "/usr/lib/postgresql/%s/bin/initdb", e->d_name);
			if (v > best && access(probe, X_OK) == 0)
				best = v;
		}
		closedir(d);
	}
	if (best < 0)
		return NULL;
	snprintf(line, sizeof line, "/usr/lib/postgresql/%ld/bin", best);
	return strdup(line);
}

static void show_log(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		fprintf(stderr, "  %s", line);
	fclose(f);
}

static int cluster_start(struct scratch *s)
{
	s->bindir = find_bindir();
	if (!s->bindir) {
		diag_plain(DIAG_ERROR, NULL, "no PostgreSQL server to build the schema on");
		diag_detail("building a schema applies its SQL to a scratch database");
		diag_hint("pass --dev-url postgresql://USER@HOST/DB (or set RETORT_DEV_URL) for a "
			  "server where retort may create and drop databases, or install PostgreSQL's "
			  "server binaries (Debian: apt-get install postgresql) for a throwaway cluster");
		return -1;
	}
	const char *tmp = getenv("TMPDIR");
	char templ[4096];
	snprintf(templ, sizeof templ, "%s/retort-pg-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(templ)) {
		diag_plain(DIAG_ERROR, NULL, "cannot create a directory for the throwaway cluster: %s",
			   strerror(errno));
		return -1;
	}
	s->dir = strdup(templ);
	if (geteuid() == 0) {
		struct passwd *pw = getpwnam("postgres");
		if (!pw) {
			diag_plain(DIAG_ERROR, NULL, "cannot start a throwaway cluster as root: no 'postgres' user");
			diag_hint("run as another user, or pass --dev-url");
			return -1;
		}
		s->uid = pw->pw_uid;
		s->gid = pw->pw_gid;
		s->as_other = true;
		if (chown(s->dir, s->uid, s->gid) != 0) {
			diag_plain(DIAG_ERROR, NULL, "cannot give '%s' to the postgres user: %s", s->dir,
				   strerror(errno));
			return -1;
		}
	}
	char initdb[4200], pg_ctl[4200], data[4200], log[4200], opts[4400];
	snprintf(initdb, sizeof initdb, "%s/initdb", s->bindir);
	snprintf(pg_ctl, sizeof pg_ctl, "%s/pg_ctl", s->bindir);
	snprintf(data, sizeof data, "%s/data", s->dir);
	snprintf(log, sizeof log, "%s/initdb.log", s->dir);
	char *iargv[] = { initdb, (char *)"-D", data, (char *)"-U", (char *)"postgres",
			  (char *)"-A", (char *)"trust", (char *)"-E", (char *)"UTF8",
			  (char *)"--no-locale", (char *)"--no-sync", NULL };
	if (run_as(s, iargv, log) != 0) {
		diag_plain(DIAG_ERROR, NULL, "initdb failed for the throwaway cluster in '%s'", s->dir);
		show_log(log);
		diag_hint("a parent of TMPDIR may not be searchable by the postgres user; "
			  "or pass --dev-url");
		return -1;
	}
	snprintf(log, sizeof log, "%s/server.log", s->dir);
	snprintf(opts, sizeof opts, "-k %s -c listen_addresses= -p 5432 -c fsync=off "
		 "-c full_page_writes=off -c max_connections=20", s->dir);
	char *sargv[] = { pg_ctl, (char *)"-D", data, (char *)"-l", log, (char *)"-w",
			  (char *)"-t", (char *)"60", (char *)"-o", opts, (char *)"start", NULL };
	if (run_as(s, sargv, log) != 0) {
		diag_plain(DIAG_ERROR, NULL, "the throwaway cluster in '%s' did not start", s->dir);
		show_log(log);
		return -1;
	}
	return 0;
}

/* Connects with conninfo `base` (a URL or key=value), dbname replaced when given. */
static PGconn *connect_to(const char *base, const char *dbname, bool read_only)
{
	const char *kw[8], *vals[8];
	int n = 0;
	kw[n] = "connect_timeout", vals[n++] = "10";
	kw[n] = "dbname", vals[n++] = base;
	if (dbname)
		kw[n] = "dbname", vals[n++] = dbname;
	kw[n] = "application_name", vals[n++] = "retort";
	if (read_only)
		kw[n] = "options", vals[n++] = "-c default_transaction_read_only=on";
	else if (dbname)
		/* A scratch database is thrown away: no need to wait for its WAL. */
		kw[n] = "options", vals[n++] = "-c synchronous_commit=off";
	kw[n] = NULL, vals[n] = NULL;
	PGconn *c = PQconnectdbParams(kw, vals, 1);
	if (c)
		PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

static const char *cluster_conninfo(const struct scratch *s)
{
	return arena_printf(s->a, "host=%s port=5432 user=postgres dbname=postgres", s->dir);
}

static int scratch_start(struct scratch *s)
{
	if (s->started)
		return s->failed ? -1 : 0;
	s->started = true;
	live_scratch = s;
	atexit(at_exit);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (!s->dev_url && cluster_start(s) != 0) {
		s->failed = true;
		return -1;
	}
	s->admin = connect_to(s->dev_url ? s->dev_url : cluster_conninfo(s), NULL, false);
	if (PQstatus(s->admin) != CONNECTION_OK) {
		diag_plain(DIAG_ERROR, NULL, "cannot connect to the %s: %s",
			   s->dev_url ? "--dev-url server" : "throwaway cluster",
			   PQerrorMessage(s->admin));
		s->failed = true;
		return -1;
	}
	int v = PQserverVersion(s->admin);
	s->described = s->dev_url
		? arena_printf(s->a, "PostgreSQL %d.%d (--dev-url server)", v / 10000, v % 10000)
		: arena_printf(s->a, "PostgreSQL %d.%d (throwaway cluster from %s)", v / 10000,
			       v % 10000, s->bindir);
	return 0;
}

const char *scratch_describe(const struct scratch *s)
{
	return s && s->described ? s->described : NULL;
}

/* Sends CREATE DATABASE for a new generated name on `c`; NULL on failure. */
static char *send_create(struct scratch *s, PGconn *c)
{
	char name[64];
	snprintf(name, sizeof name, "retort_scratch_%ld_%u_%04lx", (long)getpid(), ++s->counter,
		 (unsigned long)(time(NULL) ^ (unsigned long)random()) & 0xffff);
	char *q = PQescapeIdentifier(c, name, strlen(name));
	/* (STRATEGY FILE_COPY would checkpoint: slower.) */
	const char *sql = arena_printf(s->a, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'",
				       q ? q : "\"\"");
	PQfreemem(q);
	if (s->n_dbs == MAX_DBS || !PQsendQuery(c, sql))
		return NULL;
	/* Recorded before it exists: dropped IF EXISTS whatever happens next. */
	s->dbs[s->n_dbs++] = strdup(name);
	return s->dbs[s->n_dbs - 1];
}

static int wait_create(struct scratch *s, PGconn *c)
{
	PGresult *res;
	int rc = 0;
	while ((res = PQgetResult(c))) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && !rc) {
			diag_plain(DIAG_ERROR, NULL, "cannot create a scratch database: %s",
				   PQresultErrorMessage(res));
			if (s->dev_url)
				diag_hint("the --dev-url role needs CREATEDB");
			rc = -1;
		}
		PQclear(res);
	}
	return rc;
}

/*
 * Creates `n` scratch databases at once, each from its own connection, so
 * that the server copies them in parallel; scratch_db() hands them out.
 */
int scratch_reserve(struct scratch *s, int n)
{
	if (n <= 0)
		return 0;
	if (scratch_start(s) != 0)
		return -1;
	PGconn *extra[MAX_DBS];
	int rc = 0;
	for (int i = 0; i < n && i < MAX_DBS; i++) {
		extra[i] = i == 0 ? s->admin
				  : connect_to(s->dev_url ? s->dev_url : cluster_conninfo(s), NULL, false);
		if (PQstatus(extra[i]) != CONNECTION_OK || !send_create(s, extra[i])) {
			diag_plain(DIAG_ERROR, NULL, "cannot create a scratch database: %s",
				   PQerrorMessage(extra[i]));
			rc = -1;
			n = i + 1;
			break;
		}
	}
	for (int i = 0; i < n && i < MAX_DBS; i++) {
		if (PQstatus(extra[i]) == CONNECTION_OK && wait_create(s, extra[i]) != 0)
			rc = -1;
		if (i > 0)
			PQfinish(extra[i]);
	}
	return rc;
}

static PGconn *scratch_db(struct scratch *s)
{
	if (scratch_start(s) != 0)
		return NULL;
	int i = s->n_dbs;
	for (int k = 0; k < s->n_dbs; k++)
		if (!s->conns[k] && !s->used[k]) {
			i = k;
			break;
		}
	if (i == s->n_dbs && (!send_create(s, s->admin) || wait_create(s, s->admin) != 0))
		return NULL;
	s->used[i] = true;
	const char *name = s->dbs[i];
	PGconn *c = connect_to(s->dev_url ? s->dev_url : cluster_conninfo(s), name, false);
	s->conns[i] = c;
	if (PQstatus(c) != CONNECTION_OK) {
		diag_plain(DIAG_ERROR, NULL, "cannot connect to scratch database '%s': %s", name,
			   PQerrorMessage(c));
		return NULL;
	}
	return c;
}

/* ---- applying SQL ----------------------------------------------------------------- */

/*
 * Roles are the server's, not the schema's: a role the schema grants to must
 * exist where it is built. retort never creates one (on a --dev-url server it
 * would outlive the run), so it says which and how to go on.
 */
static void missing_role(const char *quoted)
{
	int n = (int)strcspn(quoted, "\"");
	const struct scratch *s = live_scratch;
	diag_detail("roles belong to the server that builds the schemas (%s), not to the schema",
		    s && s->dev_url ? "the --dev-url server" : "here, the throwaway cluster");
	const char *or = s && s->privileges ? ", or compare without --privileges, which leaves "
					      "GRANT and REVOKE of schema files out" : "";
	if (s && s->dev_url)
		diag_hint("create it there (CREATE ROLE \"%.*s\" NOLOGIN)%s", n, quoted, or);
	else
		diag_hint("give --dev-url (or RETORT_DEV_URL) a server where role \"%.*s\" exists%s",
			  n, quoted, or);
}

static int exec_stmt(PGconn *c, const struct src_file *f, const struct stmt *st)
{
	PGresult *res = PQexec(c, st->sql);
	ExecStatusType rs = PQresultStatus(res);
	if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || rs == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return 0;
	}
	if (rs == PGRES_COPY_IN)
		PQputCopyEnd(c, "retort: COPY FROM STDIN is data, not schema");
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	diag_at(DIAG_ERROR, f, st->off, "%s", msg ? msg : PQresultErrorMessage(res));
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (detail)
		diag_detail("%s", detail);
	if (hint)
		diag_hint("%s", hint);
	else if (state && strcmp(state, "42704") == 0 && msg && strncmp(msg, "role \"", 6) == 0)
		missing_role(msg + 6);
	PQclear(res);
	while ((res = PQgetResult(c)))
		PQclear(res);
	return -1;
}

/* Ownership is never compared, privileges only when asked: their roles need
 * not exist here otherwise. */
static bool skipped(const char *sql, bool privileges)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (strncasecmp(sql, "GRANT ", 6) == 0 || strncasecmp(sql, "REVOKE ", 7) == 0)
		return !privileges;
	if (strncasecmp(sql, "ALTER ", 6) == 0) {
		const char *o = strstr(sql, " OWNER TO ");
		return o != NULL;
	}
	return false;
}

/*
 * Splits a schema file as psql would. Of psql's meta-commands, pg_dump's
 * \restrict and \unrestrict are skipped; others are errors.
 */
static int split_file(struct arena *a, const struct src_file *f, struct stmt_list *list)
{
	struct sqllex lx;
	struct sqlsplit sp;
	enum sqltok t;

	memset(list, 0, sizeof *list);
	sqllex_init(&lx, f, 0, f->len);
	sqlsplit_init(&sp, a, f, list);
	while ((t = sqllex_next(&lx)) != SQLTOK_EOF) {
		if (t == SQLTOK_BACKSLASH && !sp.in_stmt) {
			const char *cmd = lx.text + lx.tok + 1;
			if (strncmp(cmd, "restrict", 8) == 0 || strncmp(cmd, "unrestrict", 10) == 0) {
				sqllex_skip_line(&lx);
				continue;
			}
		}
		sqlsplit_feed(&sp, &lx, t);
	}
	sqlsplit_finish(&sp);
	return lx.errors + sp.errors ? -1 : 0;
}

/* Runs the statements one by one, the failing one reported at its line. */
static int apply_file(PGconn *c, struct arena *a, const struct src_file *f, unsigned *n_skipped)
{
	struct stmt_list list;
	if (split_file(a, f, &list) != 0)
		return -1;
	for (size_t i = 0; i < list.n; i++) {
		if (skipped(list.v[i].sql, true)) {
			(*n_skipped)++;
			continue;
		}
		if (exec_stmt(c, f, &list.v[i]) != 0)
			return -1;
	}
	return 0;
}

static int exec_simple(PGconn *c, const char *sql)
{
	PGresult *res = PQexec(c, sql);
	int rc = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(res);
	return rc;
}

/* Runs a batch of statements in one round trip; 0 when all succeeded. */
static int exec_batch(PGconn *c, const char *sql)
{
	int rc = PQsendQuery(c, sql) ? 0 : -1;
	PGresult *res;
	while ((res = PQgetResult(c))) {
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY)
			rc = -1;
		if (st == PGRES_COPY_IN)
			PQputCopyEnd(c, "retort: COPY FROM STDIN is data, not schema");
		PQclear(res);
	}
	return rc;
}

/* Runs list[from, to) as one transaction in one round trip; else one by one. */
static int flush_batch(PGconn *c, const struct src_file *f, const struct stmt_list *list,
		       size_t from, size_t to, struct strbuf *batch, bool privileges)
{
	int rc = -1;
	if (batch->len && exec_simple(c, "BEGIN") == 0) {
		rc = exec_batch(c, batch->buf);
		if (rc == 0)
			rc = exec_simple(c, "COMMIT");
		else
			exec_simple(c, "ROLLBACK");
	}
	sb_reset(batch);
	if (rc == 0)
		return 0;
	for (size_t i = from; i < to; i++)
		if (!skipped(list->v[i].sql, privileges) && exec_stmt(c, f, &list->v[i]) != 0)
			return -1;
	return 0;
}

/*
 * A schema file in batches of statements, each one transaction sent in one
 * round trip: thousands of statements, a few dozen round trips and commits
 * (and locks enough for one batch). A batch that fails (an error, or what may
 * not run in a transaction: CREATE INDEX CONCURRENTLY, an enum value used
 * after ALTER TYPE ... ADD VALUE) is rolled back and run statement by
 * statement, which reports the error at its line.
 */
static int apply_schema_file(PGconn *c, struct arena *a, const struct src_file *f,
			     bool privileges, unsigned *n_skipped)
{
	enum { BATCH_STMTS = 200 };
	struct stmt_list list;
	if (split_file(a, f, &list) != 0)
		return -1;
	struct strbuf batch = STRBUF_INIT;
	size_t start = 0, n = 0;
	int rc = 0;
	for (size_t i = 0; i < list.n && !rc; i++) {
		if (skipped(list.v[i].sql, privileges)) {
			(*n_skipped)++;
		} else {
			sb_add(&batch, list.v[i].sql, list.v[i].len);
			sb_addstr(&batch, "\n");
			n++;
		}
		if (n == BATCH_STMTS || batch.len > (1u << 20) || i + 1 == list.n) {
			rc = flush_batch(c, f, &list, start, i + 1, &batch, privileges);
			start = i + 1;
			n = 0;
		}
	}
	sb_release(&batch);
	return rc;
}

int source_apply_text(PGconn *conn, struct arena *a, const char *what, const char *sql, bool tx)
{
	struct src_file *f = arena_alloc(a, sizeof *f);
	f->path = what;
	f->text = sql;
	f->len = strlen(sql);
	unsigned n = 0;
	/* As the migrator runs a transactional revision: all in one transaction. */
	if (tx && exec_simple(conn, "BEGIN") != 0)
		return -1;
	int rc = apply_file(conn, a, f, &n);
	if (tx)
		rc = exec_simple(conn, rc ? "ROLLBACK" : "COMMIT") || rc ? -1 : 0;
	return rc;
}

unsigned source_folder(struct arena *a, const char *dir, struct rev ***revs, size_t *n)
{
	struct folder f;
	unsigned errors = folder_read(a, dir, &f);
	*revs = f.revs;
	*n = f.n;
	if (errors)
		return errors;
	return graph_order(a, f.revs, f.n);
}

bool source_is_url(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

int source_reread(struct arena *a, struct source *src, const char *schemas, struct smodel *m)
{
	memset(m, 0, sizeof *m);
	return catalog_read(src->conn, a, schemas, src->privileges, m);
}

int source_load(struct scratch *s, struct arena *a, const char *src, const char *schemas,
		struct rev **revs, size_t n_revs, struct source *out)
{
	memset(out, 0, sizeof *out);
	out->src = src;
	out->privileges = s->privileges;
	if (source_is_url(src)) {
		out->live = true;
		out->conn = connect_to(src, NULL, true);
		if (PQstatus(out->conn) != CONNECTION_OK) {
			diag_plain(DIAG_ERROR, NULL, "cannot connect to the database of '%s': %s",
				   "URL", PQerrorMessage(out->conn));
			PQfinish(out->conn);
			out->conn = NULL;
			return -1;
		}
		int rc = catalog_read(out->conn, a, schemas, s->privileges, &out->model);
		return rc;
	}

	struct stat st;
	bool empty = strcmp(src, "empty") == 0;
	bool folder = false;
	if (!empty) {
		if (stat(src, &st) != 0) {
			diag_plain(DIAG_ERROR, NULL, "no schema '%s': %s", src, strerror(errno));
			diag_hint("a SRC is a migration folder, a schema file, a postgresql:// URL, or 'empty'");
			return -1;
		}
		folder = S_ISDIR(st.st_mode);
		if (folder && !revs) {
			size_t n = 0;
			if (source_folder(a, src, &revs, &n))
				return -1;
			n_revs = n;
		}
	}
	PGconn *c = scratch_db(s);
	if (!c)
		return -1;
	out->conn = c;
	if (folder || revs) {
		for (size_t i = 0; i < n_revs; i++) {
			const struct rev *r = revs[i];
			struct src_file *f = arena_alloc(a, sizeof *f);
			*f = *r->file;
			f->path = arena_printf(a, "%s/%s", src, r->file->path);
			/* As the migrator runs it: a transactional revision in one
			 * transaction, but for statements that must run alone. */
			bool in_tx = false;
			int rc = 0;
			for (size_t k = 0; k < r->up.n && !rc; k++) {
				bool alone = !r->transactional || (r->up.v[k].flags & RT_STMT_AUTOCOMMIT);
				if (in_tx && alone)
					rc = exec_simple(c, "COMMIT"), in_tx = false;
				if (!in_tx && !alone && !rc)
					rc = exec_simple(c, "BEGIN"), in_tx = !rc;
				if (!rc)
					rc = exec_stmt(c, f, &r->up.v[k]);
			}
			if (in_tx)
				rc = exec_simple(c, rc ? "ROLLBACK" : "COMMIT") || rc;
			if (rc) {
				diag_detail("while building the schema of folder '%s' at revision '%s'",
					    src, r->id);
				return -1;
			}
		}
	} else if (!empty) {
		struct src_file *f = arena_alloc(a, sizeof *f);
		char *text;
		size_t len;
		if (folder_slurp(a, src, &text, &len) != 0) {
			diag_plain(DIAG_ERROR, NULL, "cannot read '%s': %s", src, strerror(errno));
			return -1;
		}
		f->path = src;
		f->text = text;
		f->len = len;
		unsigned n_skipped = 0;
		if (apply_schema_file(c, a, f, s->privileges, &n_skipped) != 0)
			return -1;
		if (n_skipped)
			fprintf(stderr, "retort: %s: skipped %u %s statement%s (not compared%s)\n", src,
				n_skipped, s->privileges ? "ownership" : "ownership and privilege",
				n_skipped == 1 ? "" : "s", s->privileges ? "" : "; see --privileges");
	}
	/* The session state a schema file may leave (search_path, roles) goes. */
	PGresult *res = PQexec(c, "RESET ALL");
	PQclear(res);
	return catalog_read(c, a, schemas, s->privileges, &out->model);
}
