/*
 * check_e2e_fleet.c - one migrator over many tenant schemas and databases
 * (issue 12): failures reported per target and finished by a rerun,
 * SIGTERM mid-fleet, shards that cover the fleet exactly once, two fleet
 * runs at once, the rollout controls and the usage errors
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

/* Exit codes (runtime/exitcode.h). */
enum { EX_OK = 0, EX_USAGE = 2, EX_FLEET = 14, EX_INTERRUPTED = 130 };

/* Creates `n` schemas PREFIX0..PREFIX(n-1) (zero-padded to `width`) in `db`, each running `each` (may be NULL; %1$I is the schema). */
static void make_schemas(const char *db, const char *prefix, int n, int width, const char *each)
{
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "DO $$ DECLARE s text; BEGIN FOR i IN 0..%d LOOP "
		 "s := '%s' || lpad(i::text, %d, '0'); EXECUTE format('CREATE SCHEMA %%I', s); "
		 "IF %s THEN EXECUTE format(%s, s); END IF; END LOOP; END $$",
		 n - 1, prefix, width, each ? "true" : "false", each ? each : "''");
	e2e_exec(db, sql);
}

static size_t count_lines(const char *text, const char *needle)
{
	size_t n = 0;
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len);
		n += strstr(line, needle) != NULL;
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

/* The JSON lines whose "status" is `status`, as their "schema" values joined by ','. */
static char *schemas_with(const char *json, const char *status)
{
	char want[64], *out = calloc(1, 1);
	size_t len = 0;
	snprintf(want, sizeof(want), "\"status\":\"%s\"", status);
	for (const char *p = json; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n), *s;
		if (strstr(line, want) && (s = strstr(line, "\"schema\":\""))) {
			s += 10;
			size_t k = strcspn(s, "\"");
			out = realloc(out, len + k + 2);
			if (len)
				out[len++] = ',';
			memcpy(out + len, s, k);
			len += k;
			out[len] = '\0';
		}
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The comma-separated names in `csv`, sorted: shards finish in any order. */
static char *sorted(char *csv)
{
	char *v[256], *out = calloc(strlen(csv) + 2, 1);
	size_t n = 0;
	for (char *tok = strtok(csv, ","); tok && n < 256; tok = strtok(NULL, ","))
		v[n++] = tok;
	qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, ",");
		strcat(out, v[i]);
	}
	free(csv);
	return out;
}

static char *targets_file(const char *name, const char *text)
{
	char *path = malloc(512);
	snprintf(path, 512, "%s/tests/fleet-%d-%s.targets", tu_build_dir(), (int)getpid(), name);
	tu_write_file(path, text);
	return path;
}

/* A plpgsql helper: where schema s stands, "version:ran rows" ("none:" when never migrated). */
static void make_state_fn(const char *db)
{
	e2e_exec(db, "CREATE OR REPLACE FUNCTION public.fleet_state(s text) RETURNS text LANGUAGE plpgsql AS $$ "
		     "DECLARE v text := 'none'; r text := ''; BEGIN "
		     "IF to_regclass(format('%I.alembic_version', s)) IS NOT NULL THEN "
		     "EXECUTE format('SELECT coalesce(string_agg(version_num, '',''), ''base'') FROM %I.alembic_version', s) INTO v; END IF; "
		     "IF to_regclass(format('%I.ran', s)) IS NOT NULL THEN "
		     "EXECUTE format('SELECT coalesce(string_agg(rev, '' '' ORDER BY rev), '''') FROM %I.ran', s) INTO r; END IF; "
		     "RETURN v || ':' || r; END $$");
}

/* ---- the fleet of 200 tenant schemas and 20 databases ----------------------- */

START_TEST(schemas_fail_report_and_rerun)
{
	e2e_createdb("fl_main");
	make_schemas("fl_main", "tenant_", 200, 3, NULL);
	/* Three tenants already have the table the first revision creates. */
	e2e_exec("fl_main", "CREATE TABLE tenant_017.accounts (x int); CREATE TABLE tenant_088.accounts (x int); "
			    "CREATE TABLE tenant_150.accounts (x int)");

	struct e2e_run r = RUN("linear", "fl_main", "upgrade", "head", "--tenant-schemas", "tenant\\_%",
			       "--jobs", "4", "--json");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_uint_eq(count_lines(r.out, "\"status\":\"ok\""), 197);
	char *failed = schemas_with(r.out, "failed");
	ck_assert_str_eq(failed, "tenant_017,tenant_088,tenant_150");
	free(failed);
	/* Each failure carries the server's error and the revision file's position. */
	ck_assert_uint_eq(count_lines(r.out, "versions/a1_create_accounts.sql:7:1: ERROR:  42P07"), 3);
	ck_assert_contains(r.out, "{\"summary\":true,\"command\":\"upgrade\",\"targets\":200,\"ok\":197,"
				  "\"unchanged\":0,\"behind\":0,\"unknown\":0,\"dirty\":0,\"failed\":3,");
	ck_assert_contains(r.out, "\"by_revision\":{\"c3c3c3c3c3c3\":197,\"base\":3}");
	ck_assert_contains(r.out, "/tenant_017\",");
	ck_assert_contains(r.out, "\"exit_code\":14}");
	/* The failed ones rolled back whole; nothing landed outside the tenants. */
	e2e_assert_query("fl_main",
			 "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace n "
			 "WHERE nspname LIKE 'tenant\\_%' AND to_regclass(format('%I.alembic_version', nspname)) IS NULL",
			 "tenant_017,tenant_088,tenant_150");
	e2e_assert_query("fl_main", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "0");
	e2e_assert_query("fl_main", "SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_accounts_email'", "197");
	e2e_run_free(&r);

	/* The dashboard: who is where. */
	r = RUN("linear", "fl_main", "check", "--tenant-schemas", "tenant\\_%", "--jobs", "4");
	e2e_assert_rc(&r, 6);
	ck_assert_contains(r.out, "check over 200 targets");
	ck_assert_contains(r.out, "197 at head, 3 behind");
	ck_assert_contains(r.out, "behind (3): tenant_017, tenant_088, tenant_150\n");
	e2e_run_free(&r);

	/* Fix the three; a rerun finishes them and leaves the rest alone. */
	e2e_exec("fl_main", "DROP TABLE tenant_017.accounts, tenant_088.accounts, tenant_150.accounts");
	r = RUN("linear", "fl_main", "upgrade", "head", "--tenant-schemas", "tenant\\_%", "--jobs", "4");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, ": 3 migrated, 197 already there\n");
	ck_assert_contains(r.out, "tenant_088: 3 revisions, now at c3c3c3c3c3c3, ");
	ck_assert_contains(r.out, "   200 at c3c3c3c3c3c3 (head)\n");
	e2e_run_free(&r);

	r = RUN("linear", "fl_main", "current", "--tenant-schemas", "tenant\\_%", "--jobs", "4", "--json");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, "\"by_revision\":{\"c3c3c3c3c3c3\":200}");
	e2e_run_free(&r);
}
END_TEST

/* current over a fleet is the dashboard too: at head, behind, unknown, dirty. */
START_TEST(current_is_the_dashboard)
{
	e2e_createdb("fl_dash");
	make_schemas("fl_dash", "dash_", 4, 1, NULL);
	struct e2e_run r = RUN("linear", "fl_dash", "upgrade", "head", "--tenant-schemas", "dash\\_%");
	e2e_assert_rc(&r, EX_OK);
	e2e_run_free(&r);
	e2e_exec("fl_dash", "UPDATE dash_1.alembic_version SET version_num = 'a1a1a1a1a1a1'");
	e2e_exec("fl_dash", "INSERT INTO retort.\"dash_2.alembic_version\" (revision, direction, status, "
		     "started_at, finished_at, duration_ms, applied_by, migrator_release, detail) "
		     "SELECT 'c3c3c3c3c3c3', 'up', 'dirty', now(), now(), 0, 'someone', 'dev', 'by hand'");
	e2e_exec("fl_dash", "UPDATE dash_3.alembic_version SET version_num = 'ffffffffffff'");

	r = RUN("linear", "fl_dash", "current", "--tenant-schemas", "dash\\_%", "--jobs", "2");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "current over 4 targets");
	ck_assert_contains(r.out, ": 1 at head, 1 behind, 1 unknown, 1 dirty\n");
	ck_assert_contains(r.out, "dash_0: at c3c3c3c3c3c3 (head), ");
	ck_assert_contains(r.out, "dash_1: behind, at a1a1a1a1a1a1, ");
	ck_assert_contains(r.out, "dash_2: dirty (exit 11): migrate-linear: error: revision 'c3c3c3c3c3c3' is dirty");
	ck_assert_contains(r.out, "     2 at c3c3c3c3c3c3 (head)\n");
	ck_assert_contains(r.out, "     1 at a1a1a1a1a1a1\n");
	ck_assert_lacks(r.out, " at base");
	ck_assert_contains(r.out, "behind (1): dash_1\n");
	ck_assert_contains(r.out, "unknown revision (1): dash_3\n");
	ck_assert_contains(r.out, "dirty (1): dash_2\n");
	e2e_run_free(&r);

	r = RUN("linear", "fl_dash", "current", "--tenant-schemas", "dash\\_%", "--json");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "\"ok\":1,\"unchanged\":0,\"behind\":1,\"unknown\":1,\"dirty\":1,\"failed\":0");
	ck_assert_contains(r.out, "\"by_revision\":{\"c3c3c3c3c3c3\":2,\"a1a1a1a1a1a1\":1}");
	ck_assert_contains(r.out, "\"schema\":\"dash_3\",\"status\":\"unknown\",\"exit_code\":7,"
				  "\"revisions\":0,\"before\":null,\"current\":null,");
	static const char *const want[][2] = {
		{ "ok", "dash_0" }, { "behind", "dash_1" }, { "dirty", "dash_2" }, { "unknown", "dash_3" },
	};
	for (size_t i = 0; i < 4; i++) {
		char *got = schemas_with(r.out, want[i][0]);
		ck_assert_str_eq(got, want[i][1]);
		free(got);
	}
	e2e_run_free(&r);

	/* Behind alone is news, not a failure: current exits 0, as it does for one database. */
	e2e_exec("fl_dash", "DROP SCHEMA dash_2, dash_3 CASCADE");
	r = RUN("linear", "fl_dash", "current", "--tenant-schemas", "dash\\_%");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, ": 1 at head, 1 behind\n");
	e2e_run_free(&r);
}
END_TEST

START_TEST(databases_by_url)
{
	char text[4096] = "# one database per customer\n";
	size_t len = strlen(text);

	for (int i = 0; i < 20; i++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS fl_db_%02d", i);
		e2e_exec("postgres", sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE fl_db_%02d TEMPLATE template0", i);
		e2e_exec("postgres", sql);
		/* host and port come from PGHOST and PGPORT, as libpq reads them */
		len += (size_t)snprintf(text + len, sizeof(text) - len, "postgresql:///fl_db_%02d\n", i);
	}
	e2e_exec("fl_db_07", "CREATE TABLE accounts (x int)");
	char *file = targets_file("dbs", text);

	struct e2e_run r = RUN("linear", NULL, "upgrade", "head", "--targets", file, "--jobs", "4");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "upgrade over 20 targets");
	ck_assert_contains(r.out, ": 19 migrated, 1 failed\n");
	ck_assert_contains(r.out, "/fl_db_07: failed (exit 5): versions/a1_create_accounts.sql:7:1: ERROR:  42P07: "
				  "relation \"accounts\" already exists, ");
	ck_assert_contains(r.out, "failed (1): postgres@");
	ck_assert_contains(r.err, "    versions/a1_create_accounts.sql:7:1: ERROR:  42P07");
	e2e_assert_version("fl_db_06", "c3c3c3c3c3c3");
	e2e_assert_query("fl_db_07", "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'", "0");
	e2e_run_free(&r);

	e2e_exec("fl_db_07", "DROP TABLE accounts");
	r = RUN("linear", NULL, "upgrade", "head", "--targets", file, "--jobs", "4");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, ": 1 migrated, 19 already there\n");
	e2e_assert_version("fl_db_07", "c3c3c3c3c3c3");
	e2e_run_free(&r);
	unlink(file);
	free(file);
}
END_TEST

/* ---- SIGTERM mid-fleet ------------------------------------------------------------ */

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

struct bg {
	pid_t pid;
	char out[512], err[512];
};

static struct bg spawn(const char *fixture, const char *db, char *const *args)
{
	static unsigned seq;
	struct bg b;
	char bin[512];
	char *argv[32];
	size_t n = 0;

	snprintf(bin, sizeof(bin), "%s/tests/migrate-%s", tu_build_dir(), fixture);
	argv[n++] = bin;
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	snprintf(b.out, sizeof(b.out), "%s/tests/fleet-%d-%u.out", tu_build_dir(), (int)getpid(), seq);
	snprintf(b.err, sizeof(b.err), "%s/tests/fleet-%d-%u.err", tu_build_dir(), (int)getpid(), seq++);
	tu_write_file(b.out, "");
	tu_write_file(b.err, "");
	b.pid = fork();
	ck_assert_int_ge(b.pid, 0);
	if (b.pid == 0) {
		int o = open(b.out, O_WRONLY | O_TRUNC), e = open(b.err, O_WRONLY | O_TRUNC);
		if (o < 0 || e < 0)
			_exit(126);
		dup2(o, 1), dup2(e, 2);
		setenv("PGDATABASE", db, 1);
		execv(bin, argv);
		_exit(127);
	}
	return b;
}

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

START_TEST(sigterm_mid_fleet)
{
	e2e_createdb("fl_sig");
	make_state_fn("fl_sig");
	make_schemas("fl_sig", "g_", 10, 1, "'CREATE TABLE %I.gate (id int)'");

	/* Hold the gates of g_3..g_9: their second revision waits on them. */
	PGconn *hold = PQconnectdbParams((const char *[]){ "dbname", NULL },
					 (const char *[]){ "fl_sig", NULL }, 0);
	ck_assert(PQstatus(hold) == CONNECTION_OK);
	PQclear(PQexec(hold, "BEGIN; LOCK TABLE g_3.gate, g_4.gate, g_5.gate, g_6.gate, g_7.gate, "
			     "g_8.gate, g_9.gate IN ACCESS EXCLUSIVE MODE"));
	ck_assert_int_eq(PQtransactionStatus(hold), PQTRANS_INTRANS);

	char *args[] = { "upgrade", "head", "--tenant-schemas", "g\\_%", "--jobs", "3",
			 "--transaction-per-migration", NULL };
	struct bg b = spawn("gate", "fl_sig", args);
	/* Wait until three targets are blocked (never a fixed sleep). */
	for (;;) {
		char *n = e2e_query("fl_sig", "SELECT count(*) FROM pg_stat_activity WHERE datname = 'fl_sig' "
					      "AND wait_event_type = 'Lock' AND application_name = 'retort'");
		bool ready = strcmp(n, "3") == 0;
		free(n);
		if (ready)
			break;
		pause_ms(20);
	}
	kill(b.pid, SIGTERM);
	struct e2e_run r = finish(&b);
	e2e_assert_rc(&r, EX_INTERRUPTED);
	ck_assert_uint_eq(count_lines(r.out, ": interrupted, rolled back; at 9a0000000001, "), 3);
	ck_assert_contains(r.out, "interrupted (3): g_3, g_4, g_5\n");
	ck_assert_contains(r.out, "not run (4): g_6, g_7, g_8, g_9\n");
	ck_assert_contains(r.out, "stopped: interrupted by SIGTERM\n");
	PQclear(PQexec(hold, "ROLLBACK"));
	PQfinish(hold);

	/* Every target stands at a revision it committed, with exactly that revision's rows. */
	e2e_assert_query("fl_sig", "SELECT string_agg(nspname || '=' || fleet_state(nspname), ',' ORDER BY nspname) "
				   "FROM pg_namespace WHERE nspname LIKE 'g\\_%'",
			 "g_0=9a0000000003:g1 g2 g3,g_1=9a0000000003:g1 g2 g3,g_2=9a0000000003:g1 g2 g3,"
			 "g_3=9a0000000001:g1,g_4=9a0000000001:g1,g_5=9a0000000001:g1,"
			 "g_6=none:,g_7=none:,g_8=none:,g_9=none:");
	e2e_run_free(&r);

	r = RUN("gate", "fl_sig", "upgrade", "head", "--tenant-schemas", "g\\_%", "--jobs", "3");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, ": 7 migrated, 3 already there\n");
	e2e_run_free(&r);
}
END_TEST

/* ---- shards ------------------------------------------------------------------ */

START_TEST(shards_cover_each_target_once)
{
	e2e_createdb("fl_shard");
	make_schemas("fl_shard", "sh_", 40, 2, NULL);
	char *seen[4];
	size_t total = 0;

	for (int i = 0; i < 4; i++) {
		char shard[16];
		snprintf(shard, sizeof(shard), "%d/4", i);
		struct e2e_run r = RUN("linear", "fl_shard", "upgrade", "head", "--tenant-schemas", "sh\\_%",
				       "--shard", shard, "--jobs", "3", "--json");
		e2e_assert_rc(&r, EX_OK);
		seen[i] = sorted(schemas_with(r.out, "ok"));
		ck_assert_msg(seen[i][0], "shard %d is empty", i);
		total += count_lines(r.out, "\"status\":\"ok\"");
		e2e_run_free(&r);
	}
	/* 40 migrations in all, and every schema migrated: each exactly once. */
	ck_assert_uint_eq(total, 40);
	e2e_assert_query("fl_shard", "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'sh\\_%' "
				     "AND to_regclass(format('%I.alembic_version', nspname)) IS NOT NULL", "40");

	/* The same shard from Kubernetes' index, and from a list in another order. */
	struct e2e_run r = e2e_migrate("linear", "fl_shard", (char *[]){ "JOB_COMPLETION_INDEX=2", NULL },
				       "current", "--tenant-schemas", "sh\\_%", "--shards", "4", "--json",
				       (char *)NULL);
	e2e_assert_rc(&r, EX_OK);
	char *k8s = sorted(schemas_with(r.out, "ok"));
	ck_assert_str_eq(k8s, seen[2]);
	e2e_run_free(&r);

	char text[1024] = "";
	size_t len = 0;
	for (int i = 39; i >= 0; i--)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "sh_%02d\n", i);
	char *file = targets_file("reversed", text);
	r = RUN("linear", "fl_shard", "current", "--targets", file, "--shard", "2/4", "--json");
	e2e_assert_rc(&r, EX_OK);
	char *rev = sorted(schemas_with(r.out, "ok"));
	ck_assert_str_eq(rev, seen[2]);
	free(rev), free(k8s);
	e2e_run_free(&r);
	unlink(file);
	free(file);
	for (int i = 0; i < 4; i++)
		free(seen[i]);
}
END_TEST

/* ---- two fleet runs at once ------------------------------------------------- */

START_TEST(two_fleets_never_apply_twice)
{
	e2e_createdb("fl_two");
	make_state_fn("fl_two");
	make_schemas("fl_two", "c_", 8, 1, NULL);

	char *args[] = { "upgrade", "head", "--tenant-schemas", "c\\_%", "--jobs", "3", "--json", NULL };
	struct bg a = spawn("counter", "fl_two", args), b = spawn("counter", "fl_two", args);
	struct e2e_run ra = finish(&a), rb = finish(&b);
	e2e_assert_rc(&ra, EX_OK);
	e2e_assert_rc(&rb, EX_OK);
	/* Each schema was migrated by exactly one of the two; the other found it done. */
	ck_assert_uint_eq(count_lines(ra.out, "\"status\":\"ok\"") + count_lines(rb.out, "\"status\":\"ok\""), 8);
	ck_assert_uint_eq(count_lines(ra.out, "\"status\":\"unchanged\"") +
			  count_lines(rb.out, "\"status\":\"unchanged\""), 8);
	e2e_assert_query("fl_two", "SELECT string_agg(DISTINCT fleet_state(nspname), ',') FROM pg_namespace "
				   "WHERE nspname LIKE 'c\\_%'", "8c0000000003:c1 c2 c3");
	e2e_run_free(&ra);
	e2e_run_free(&rb);
}
END_TEST

/* ---- rollout control and usage ------------------------------------------------ */

START_TEST(canary_and_max_failures)
{
	e2e_createdb("fl_canary");
	make_schemas("fl_canary", "k_", 6, 1, NULL);
	e2e_exec("fl_canary", "CREATE TABLE k_0.accounts (x int)");

	struct e2e_run r = RUN("linear", "fl_canary", "upgrade", "head", "--tenant-schemas", "k\\_%",
			       "--canary", "2", "--jobs", "4", "--json");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "\"ok\":1,");
	ck_assert_contains(r.out, "\"failed\":1,");
	ck_assert_contains(r.out, "\"not_run\":4,");
	ck_assert_contains(r.out, "\"stopped\":\"a canary target failed (--canary 2)\"");
	e2e_assert_query("fl_canary", "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'k\\_%' "
				      "AND to_regclass(format('%I.alembic_version', nspname)) IS NOT NULL", "1");
	e2e_run_free(&r);

	r = RUN("linear", "fl_canary", "upgrade", "head", "--tenant-schemas", "k\\_%", "--max-failures", "1",
		"--jobs", "1");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "[1/6] k_0: failed (exit 5)");
	ck_assert_contains(r.out, "not run (5): k_1, k_2, k_3, k_4, k_5\n");
	ck_assert_contains(r.out, "stopped: 1 failures (--max-failures 1)\n");
	e2e_run_free(&r);
}
END_TEST

START_TEST(usage_errors_and_no_password)
{
	struct e2e_run r = RUN("linear", "postgres", "upgrade", "head", "--jobs", "2");
	e2e_assert_rc(&r, EX_USAGE);
	ck_assert_contains(r.err, "need a fleet: --targets, --tenant-schemas or --targets-query");
	e2e_run_free(&r);

	r = e2e_migrate("linear", "postgres", (char *[]){ "JOB_COMPLETION_INDEX=", NULL }, "upgrade", "head",
			"--tenant-schemas", "x%", "--shards", "3", (char *)NULL);
	e2e_assert_rc(&r, EX_USAGE);
	ck_assert_contains(r.err, "--shards needs --shard I/N or JOB_COMPLETION_INDEX");
	e2e_run_free(&r);

	/* One shared version table would make every tenant after the first look done. */
	r = RUN("linear", "postgres", "upgrade", "head", "--tenant-schemas", "pg%", "--targets-query",
		"SELECT 'a_schema'", "--version-table-schema", "public");
	e2e_assert_rc(&r, EX_USAGE);
	ck_assert_contains(r.err, "--version-table-schema cannot be used with schema targets");
	e2e_run_free(&r);

	r = RUN("linear", "postgres", "upgrade", "--help", "--tenant-schemas", "x%");
	e2e_assert_rc(&r, EX_OK);
	ck_assert_contains(r.out, "usage: migrate-linear upgrade");
	ck_assert_contains(r.out, "--tenant-schemas PATTERN");
	e2e_run_free(&r);

	r = RUN("linear", "postgres", "history", "--tenant-schemas", "x%");
	e2e_assert_rc(&r, EX_USAGE);
	ck_assert_contains(r.err, "'history' does not run over a fleet");
	e2e_run_free(&r);

	char *dup = targets_file("dup", "t_1\nt_2\n  t_1  \n");
	r = RUN("linear", "postgres", "current", "--targets", dup);
	e2e_assert_rc(&r, EX_USAGE);
	ck_assert_contains(r.err, "/t_1' is listed twice");
	e2e_run_free(&r);
	unlink(dup);
	free(dup);

	/* Nothing listens on port 1: the failure names the target, never its password. */
	char *pw = targets_file("pw", "postgresql://bob:hunter2@127.0.0.1:1/shop\n");
	r = RUN("linear", "postgres", "upgrade", "head", "--targets", pw, "--json");
	e2e_assert_rc(&r, EX_FLEET);
	ck_assert_contains(r.out, "\"target\":\"bob@127.0.0.1:1/shop\"");
	ck_assert_lacks(r.out, "hunter2");
	ck_assert_lacks(r.err, "hunter2");
	e2e_run_free(&r);
	unlink(pw);
	free(pw);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_fleet");
	TCase *tc = tcase_create("fleet");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, schemas_fail_report_and_rerun);
	tcase_add_test(tc, current_is_the_dashboard);
	tcase_add_test(tc, databases_by_url);
	tcase_add_test(tc, sigterm_mid_fleet);
	tcase_add_test(tc, shards_cover_each_target_once);
	tcase_add_test(tc, two_fleets_never_apply_twice);
	tcase_add_test(tc, canary_and_max_failures);
	tcase_add_test(tc, usage_errors_and_no_password);
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
