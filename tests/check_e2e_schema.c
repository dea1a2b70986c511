/*
 * check_e2e_schema.c - retort diff, check and revision --autogenerate
 * against the suite's cluster
 *
 * The corpus is data: tests/schema/NAME/{from.sql,to.sql} is one pair, run
 * through `retort diff --prove`, which applies the upgrade to a scratch copy
 * of FROM and diffs the result against TO, then applies the downgrade and
 * diffs against FROM: both must be empty. Optional files in the pair's
 * folder:
 *   expected.sql   the exact SQL printed (the "-- read with" line aside)
 *   expect         lines that must each appear in what retort printed
 *   same           the two sides are equal: exit 0, nothing printed
 *   args           more arguments for retort diff, one a line (--privileges)
 *   roles          roles the pair grants to, one a line: created in the
 *                  suite's cluster first (roles are the server's, not the
 *                  schema's)
 * Scratch databases go to the suite's cluster through RETORT_DEV_URL; one
 * test leaves it unset to start the embedded throwaway cluster.
 */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"
#include "testutil.h"

#define CORPUS "tests/schema"

static char **pairs;
static int n_pairs;

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_pairs(void)
{
	DIR *d = opendir(CORPUS);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[512];
		struct stat st;
		snprintf(path, sizeof path, CORPUS "/%s/from.sql", e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) != 0)
			continue;
		pairs = realloc(pairs, (size_t)(n_pairs + 1) * sizeof *pairs);
		pairs[n_pairs++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(pairs, (size_t)n_pairs, sizeof *pairs, name_cmp);
}

static char dev_env[1024];

/* RETORT_DEV_URL for the cluster scripts/run-tests.sh started. */
static const char *dev_url(void)
{
	if (!dev_env[0])
		snprintf(dev_env, sizeof dev_env,
			 "RETORT_DEV_URL=postgresql://postgres@/postgres?host=%s&port=%s",
			 getenv("PGHOST"), getenv("PGPORT"));
	return dev_env;
}

static int retort(char **out, char **err, char *const env[], ...)
{
	char *argv[32];
	char bin[512];
	int n = 0;
	va_list ap;

	snprintf(bin, sizeof bin, "%s/retort", tu_build_dir());
	argv[n++] = bin;
	va_start(ap, env);
	for (char *a; n < 31 && (a = va_arg(ap, char *));)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	char *const dflt[] = { (char *)dev_url(), NULL };
	return tu_run(argv, env ? env : dflt, out, err);
}

#define RETORT(out, err, ...) retort(out, err, NULL, __VA_ARGS__, (char *)NULL)

/* Drops the "-- read with" line, which names the server's minor version. */
static char *without_server_line(const char *s)
{
	char *r = strdup(s);
	char *p = strstr(r, "-- read with ");
	if (p) {
		char *nl = strchr(p, '\n');
		memmove(p, nl ? nl + 1 : p + strlen(p), strlen(nl ? nl + 1 : p + strlen(p)) + 1);
	}
	return r;
}

START_TEST(corpus_pair_round_trips)
{
	const char *name = pairs[_i];
	char from[512], to[512], path[512];
	char *out, *err;
	snprintf(from, sizeof from, CORPUS "/%s/from.sql", name);
	snprintf(to, sizeof to, CORPUS "/%s/to.sql", name);
	snprintf(path, sizeof path, CORPUS "/%s/roles", name);
	char *roles = tu_read_file(path, NULL);
	for (char *l = roles ? strtok(roles, "\n") : NULL; l; l = strtok(NULL, "\n")) {
		char sql[512];
		snprintf(sql, sizeof sql, "DO $$BEGIN CREATE ROLE %s NOLOGIN; "
			 "EXCEPTION WHEN duplicate_object THEN NULL; END$$", l);
		e2e_exec("postgres", sql);
	}
	free(roles);
	snprintf(path, sizeof path, CORPUS "/%s/args", name);
	char *args = tu_read_file(path, NULL);
	char *extra[4] = { NULL };
	int n_extra = 0;
	for (char *l = args ? strtok(args, "\n") : NULL; l && n_extra < 3; l = strtok(NULL, "\n"))
		extra[n_extra++] = l;
	int rc = RETORT(&out, &err, "diff", "--from", from, "--to", to, "--prove", extra[0],
			extra[1], extra[2]);
	free(args);

	snprintf(path, sizeof path, CORPUS "/%s/same", name);
	int want = access(path, F_OK) == 0 ? 0 : 1;
	ck_assert_msg(rc == want, "%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", name, rc, want,
		      out, err);

	snprintf(path, sizeof path, CORPUS "/%s/expected.sql", name);
	char *expected = tu_read_file(path, NULL);
	if (expected) {
		char *got = without_server_line(out);
		ck_assert_msg(strcmp(got, expected) == 0, "%s: printed\n%s\nexpected\n%s", name, got,
			      expected);
		free(got);
		free(expected);
	}
	snprintf(path, sizeof path, CORPUS "/%s/expect", name);
	char *lines = tu_read_file(path, NULL);
	if (lines) {
		size_t both_len = strlen(out) + strlen(err) + 2;
		char *both = malloc(both_len);
		snprintf(both, both_len, "%s\n%s", out, err);
		for (char *l = strtok(lines, "\n"); l; l = strtok(NULL, "\n"))
			ck_assert_msg(strstr(both, l) != NULL, "%s: expected '%s' in:\n%s", name, l, both);
		free(both);
		free(lines);
	}
	free(out);
	free(err);
}
END_TEST

/* The seed's "Integration with an existing schema", then a change. */
START_TEST(initial_revision_from_schema_then_check_and_stamp_workflow)
{
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], schema[512], *out, *err;
	snprintf(path, sizeof path, "%s/versions/.keep", dir);
	tu_write_file(path, "");
	snprintf(schema, sizeof schema, "%s/schema.sql", dir);
	char *dump = tu_read_file(CORPUS "/pgdump_postbot/to.sql", NULL);
	ck_assert_ptr_nonnull(dump);
	tu_write_file(schema, dump);

	/* Before any revision, the folder is empty: check says so. */
	int rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 1, "check before: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "CREATE TABLE public.profiles");
	free(out), free(err);

	rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "initial schema",
		    "--rev-id", "a1");
	ck_assert_msg(rc == 0, "revision: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "/versions/a1_initial_schema.sql");
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/a1_initial_schema.sql", dir);
	char *rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "-- Revises:\n");
	ck_assert_contains(rev, "CREATE TYPE public.platform AS ENUM");
	ck_assert_contains(rev, "-- migrate:downgrade\n");
	ck_assert_contains(rev, "DROP TABLE public.profiles;");
	ck_assert_lacks(rev, "Transactional");
	free(rev);

	/* The default SRC is DIR/schema.sql: the head now matches it. */
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 0, "check after: %d\n%s\n%s", rc, out, err);
	ck_assert_str_eq(out, "");
	free(out), free(err);
	rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "again");
	ck_assert_msg(rc == 0, "nothing to do: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "no changes");
	ck_assert_str_eq(out, "");
	free(out), free(err);

	/* A changed schema.sql: a second revision, proven, then check is true again. */
	size_t n = strlen(dump) + 200;
	char *changed = malloc(n);
	snprintf(changed, n, "%s\nALTER TABLE public.profiles ADD COLUMN nickname varchar(40);\n", dump);
	tu_write_file(schema, changed);
	free(changed);
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 1, "check changed: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "ALTER TABLE public.profiles ADD COLUMN nickname character varying(40);");
	free(out), free(err);
	rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "nickname", "--rev-id", "b2");
	ck_assert_msg(rc == 0, "second revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/b2_nickname.sql", dir);
	rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "-- Revises: a1\n");
	ck_assert_contains(rev, "ALTER TABLE public.profiles DROP COLUMN nickname;");
	free(rev);
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 0, "check at b2: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	free(dump);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(default_schema_from_retort_ini)
{
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], *out, *err;
	snprintf(path, sizeof path, "%s/versions/.keep", dir);
	tu_write_file(path, "");
	snprintf(path, sizeof path, "%s/retort.ini", dir);
	tu_write_file(path, "[autogenerate]\nschema = ../wanted.sql\n");
	snprintf(path, sizeof path, "%s/../wanted.sql", dir);
	char wanted[512];
	snprintf(wanted, sizeof wanted, "%s", path);
	tu_write_file(wanted, "CREATE TABLE from_ini (id int);\n");
	int rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "from ini",
			"--rev-id", "c3");
	ck_assert_msg(rc == 0, "revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/c3_from_ini.sql", dir);
	char *rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "CREATE TABLE public.from_ini");
	free(rev);
	unlink(wanted);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/*
 * An enum value added and used in one revision: PostgreSQL refuses the use
 * inside the transaction that added the value, so the revision runs outside
 * one (and is proven that way); the migrator built from it applies it.
 */
START_TEST(enum_value_added_and_used_runs_outside_a_transaction)
{
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], *out, *err;
	snprintf(path, sizeof path, "%s/versions/r1_e.sql", dir);
	tu_write_file(path, "-- Revision ID: r1\n-- Revises:\n\n-- migrate:upgrade\n"
			    "CREATE TYPE e AS ENUM ('a');\n");
	int rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "b", "--rev-id", "r2",
			"--schema", CORPUS "/enum_value_used/to.sql");
	ck_assert_msg(rc == 0, "revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/r2_b.sql", dir);
	char *rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "-- Transactional: false\n\n-- migrate:upgrade\n");
	ck_assert_contains(rev, "ALTER TYPE public.e ADD VALUE 'b' AFTER 'a';");
	free(rev);
	rc = RETORT(&out, &err, "check", dir, "--schema", CORPUS "/enum_value_used/to.sql");
	ck_assert_msg(rc == 0, "check: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/*
 * A revision that depends on another branch starts from what upgrading to it
 * applies first: its parent's line and the line it depends on. Before, only
 * the parent's line was applied, and the revision created the other
 * branch's table again.
 */
START_TEST(autogenerate_starts_from_parent_and_depends_on)
{
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], schema[512], *out, *err;
	snprintf(path, sizeof path, "%s/versions/a1_a.sql", dir);
	tu_write_file(path, "-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\n"
			    "CREATE TABLE a (id int);\n\n-- migrate:downgrade\nDROP TABLE a;\n");
	snprintf(path, sizeof path, "%s/versions/b1_b.sql", dir);
	tu_write_file(path, "-- Revision ID: b1\n-- Revises:\n-- Branch Labels: other\n\n"
			    "-- migrate:upgrade\nCREATE TABLE b (id int);\n\n"
			    "-- migrate:downgrade\nDROP TABLE b;\n");
	snprintf(schema, sizeof schema, "%s/schema.sql", dir);
	tu_write_file(schema, "CREATE TABLE a (id int);\nCREATE TABLE b (id int PRIMARY KEY);\n"
			      "CREATE TABLE c (id int REFERENCES b (id));\n");
	int rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "c", "--head", "a1",
			"--depends-on", "b1", "--rev-id", "c1");
	ck_assert_msg(rc == 0, "revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/c1_c.sql", dir);
	char *rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "-- Revises: a1\n");
	ck_assert_contains(rev, "-- Depends On: b1\n");
	ck_assert_contains(rev, "CREATE TABLE public.c");
	ck_assert_contains(rev, "ALTER TABLE public.b ADD CONSTRAINT b_pkey PRIMARY KEY (id);");
	ck_assert_lacks(rev, "CREATE TABLE public.b");
	free(rev);
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 0, "check: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Runs `retort build DIR -o DIR/migrate` with the tree's staged runtime. */
static void build_migrator(const char *dir)
{
	char prefix[512], env_prefix[600], bin[600], *out, *err;
	char cwd[400];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	snprintf(prefix, sizeof prefix, "%s/%s/prefix", cwd, tu_build_dir());
	snprintf(env_prefix, sizeof env_prefix, "RETORT_PREFIX=%s", prefix);
	snprintf(bin, sizeof bin, "%s/migrate", dir);
	char *const env[] = { env_prefix, "MAKEFLAGS=", "MFLAGS=", "MAKELEVEL=", NULL };
	int rc = retort(&out, &err, env, "build", dir, "-o", bin, (char *)NULL);
	ck_assert_msg(rc == 0, "build: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
}

/* Runs DIR/migrate against `db`. */
static struct e2e_run run_migrator(const char *dir, const char *db, const char *cmd, const char *arg)
{
	char bin[600], dbvar[300];
	snprintf(bin, sizeof bin, "%s/migrate", dir);
	snprintf(dbvar, sizeof dbvar, "PGDATABASE=%s", db);
	char *argv[] = { bin, (char *)cmd, (char *)arg, NULL };
	char *const env[] = { dbvar, NULL };
	struct e2e_run r;
	r.rc = tu_run(argv, env, &r.out, &r.err);
	return r;
}

/*
 * The seed's second workflow, end to end: an existing database gets an
 * initial revision read from its URL, the migrator built from the folder is
 * stamped at head on it and says it is up to date; a later revision,
 * autogenerated from a changed schema.sql, upgrades it.
 */
START_TEST(existing_database_initial_revision_stamp_then_upgrade)
{
	char *sql = tu_read_file(CORPUS "/pgdump_postbot/to.sql", NULL);
	ck_assert_ptr_nonnull(sql);
	e2e_createdb("schema_existing");
	ck_assert_int_eq(e2e_psql("schema_existing", sql), 0);
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], url[1024], *out, *err;
	snprintf(path, sizeof path, "%s/versions/.keep", dir);
	tu_write_file(path, "");
	snprintf(url, sizeof url, "postgresql://postgres@/schema_existing?host=%s&port=%s",
		 getenv("PGHOST"), getenv("PGPORT"));

	int rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "initial schema",
			"--rev-id", "e1", "--schema", url);
	ck_assert_msg(rc == 0, "initial revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	build_migrator(dir);
	struct e2e_run r = run_migrator(dir, "schema_existing", "check", NULL);
	ck_assert_msg(r.rc != 0, "check before stamp: %d\n%s\n%s", r.rc, r.out, r.err);
	e2e_run_free(&r);
	r = run_migrator(dir, "schema_existing", "stamp", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("schema_existing", "e1");
	r = run_migrator(dir, "schema_existing", "check", NULL);
	e2e_assert_rc(&r, 0);
	ck_assert_contains(r.out, "up to date");
	e2e_run_free(&r);
	/* The folder at head is the database, exactly. */
	rc = RETORT(&out, &err, "check", dir, "--schema", url);
	ck_assert_msg(rc == 0, "retort check: %d\n%s\n%s", rc, out, err);
	free(out), free(err);

	/* Later: schema.sql changes, a revision is autogenerated, the database upgraded. */
	size_t n = strlen(sql) + 200;
	char *changed = malloc(n);
	snprintf(changed, n, "%s\nALTER TABLE public.profiles ADD COLUMN nickname varchar(40);\n", sql);
	snprintf(path, sizeof path, "%s/schema.sql", dir);
	tu_write_file(path, changed);
	free(changed);
	rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "nickname", "--rev-id", "e2");
	ck_assert_msg(rc == 0, "second revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	build_migrator(dir);
	r = run_migrator(dir, "schema_existing", "check", NULL);
	ck_assert_msg(r.rc != 0, "check behind: %d\n%s\n%s", r.rc, r.out, r.err);
	e2e_run_free(&r);
	r = run_migrator(dir, "schema_existing", "upgrade", "head");
	e2e_assert_rc(&r, 0);
	e2e_run_free(&r);
	e2e_assert_version("schema_existing", "e2");
	e2e_assert_query("schema_existing", "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
			 "WHERE attrelid = 'public.profiles'::regclass AND attname = 'nickname'",
			 "character varying(40)");
	rc = RETORT(&out, &err, "check", dir, "--schema", url);
	ck_assert_msg(rc == 0, "retort check after upgrade: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	free(sql);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/*
 * Privileges are compared when retort.ini asks; a role a schema grants to
 * must exist on the server that builds it, else a precise error names it.
 */
START_TEST(privileges_from_retort_ini_and_missing_roles)
{
	e2e_exec("postgres", "DO $$BEGIN CREATE ROLE retort_t_reader NOLOGIN; "
		 "EXCEPTION WHEN duplicate_object THEN NULL; END$$");
	char dir[] = "/tmp/retort-schema-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[512], schema[512], ini[512], *out, *err;
	snprintf(path, sizeof path, "%s/versions/p1_t.sql", dir);
	tu_write_file(path, "-- Revision ID: p1\n-- Revises:\n\n-- migrate:upgrade\n"
			    "CREATE TABLE t (id int);\n\n-- migrate:downgrade\nDROP TABLE t;\n");
	snprintf(ini, sizeof ini, "%s/retort.ini", dir);
	tu_write_file(ini, "[autogenerate]\nprivileges = true\n");
	snprintf(schema, sizeof schema, "%s/schema.sql", dir);
	tu_write_file(schema, "CREATE TABLE t (id int);\nGRANT SELECT ON t TO retort_t_reader;\n");

	int rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 1, "check: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "GRANT SELECT ON TABLE public.t TO retort_t_reader;");
	free(out), free(err);
	rc = RETORT(&out, &err, "revision", dir, "--autogenerate", "-m", "grant", "--rev-id", "p2");
	ck_assert_msg(rc == 0, "revision: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	snprintf(path, sizeof path, "%s/versions/p2_grant.sql", dir);
	char *rev = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(rev);
	ck_assert_contains(rev, "GRANT SELECT ON TABLE public.t TO retort_t_reader;\n");
	ck_assert_contains(rev, "-- migrate:downgrade\n"
				"REVOKE SELECT ON TABLE public.t FROM retort_t_reader;\n");
	free(rev);
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 0, "check at p2: %d\n%s\n%s", rc, out, err);
	free(out), free(err);

	/* A role the server lacks: refused, named, with the way out. */
	tu_write_file(schema, "CREATE TABLE t (id int);\nGRANT SELECT ON t TO retort_t_missing;\n");
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 2, "missing role: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "schema.sql:2:1: error: role \"retort_t_missing\" does not exist");
	ck_assert_contains(err, "hint: create it there (CREATE ROLE \"retort_t_missing\" NOLOGIN), "
				"or compare without --privileges");
	free(out), free(err);
	/* Without privileges, GRANT and REVOKE of a schema file are left out, and said so. */
	tu_write_file(ini, "[autogenerate]\nprivileges = false\n");
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 0, "privileges off: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "skipped 1 ownership and privilege statement (not compared; "
				"see --privileges)");
	free(out), free(err);
	tu_write_file(ini, "[autogenerate]\nprivileges = maybe\n");
	rc = RETORT(&out, &err, "check", dir, "--schema", schema);
	ck_assert_msg(rc == 2, "bad value: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "[autogenerate] privileges = 'maybe' is not true or false");
	free(out), free(err);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* A live database is read, never written, and compares equal to its source. */
START_TEST(url_source_is_read_only_and_equal_to_its_schema)
{
	const char *src = CORPUS "/index_kinds/to.sql";
	char *sql = tu_read_file(src, NULL);
	e2e_createdb("schema_live");
	ck_assert_int_eq(e2e_psql("schema_live", sql), 0);
	free(sql);
	char url[1024], *out, *err;
	snprintf(url, sizeof url, "postgresql://postgres@/schema_live?host=%s&port=%s",
		 getenv("PGHOST"), getenv("PGPORT"));
	int rc = RETORT(&out, &err, "diff", "--from", url, "--to", src);
	ck_assert_msg(rc == 0, "same: %d\n%s\n%s", rc, out, err);
	ck_assert_str_eq(out, "");
	free(out), free(err);
	rc = RETORT(&out, &err, "diff", "--from", src, "--to", url, "--schemas", "public");
	ck_assert_msg(rc == 0, "same, reversed: %d\n%s\n%s", rc, out, err);
	free(out), free(err);
	/* The URL side may not be proven on: it is never written. */
	rc = RETORT(&out, &err, "diff", "--from", url, "--to", "empty", "--prove");
	ck_assert_msg(rc == 2, "prove on live: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(err, "live database");
	free(out), free(err);
	/* A password in the URL is never shown. */
	snprintf(url, sizeof url, "postgresql://postgres:%s@127.0.0.1:%s/schema_live",
		 getenv("RETORT_TEST_PGPASSWORD"), getenv("PGPORT"));
	rc = RETORT(&out, &err, "diff", "--from", url, "--to", "empty");
	ck_assert_msg(rc == 1, "to empty: %d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "--from postgresql://postgres:***@127.0.0.1:");
	ck_assert_contains(out, "DROP TABLE public.t;");
	char secret[128];
	snprintf(secret, sizeof secret, ":%s@", getenv("RETORT_TEST_PGPASSWORD"));
	ck_assert_lacks(out, secret);
	ck_assert_lacks(err, secret);
	free(out), free(err);
	e2e_assert_query("schema_live", "SELECT count(*) FROM pg_indexes WHERE tablename = 't'", "6");
}
END_TEST

START_TEST(diff_exit_codes_and_output_file)
{
	char *out, *err;
	const char *f = CORPUS "/column_default/from.sql";
	int rc = RETORT(&out, &err, "diff", "--from", f, "--to", f);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(out, "");
	free(out), free(err);
	rc = RETORT(&out, &err, "diff", "--from", "empty", "--to", "/nonexistent/schema.sql");
	ck_assert_int_eq(rc, 2);
	ck_assert_contains(err, "no schema '/nonexistent/schema.sql'");
	free(out), free(err);
	rc = RETORT(&out, &err, "diff", "--from", "empty");
	ck_assert_int_eq(rc, 2);
	free(out), free(err);
	char file[] = "/tmp/retort-diff-XXXXXX";
	int fd = mkstemp(file);
	close(fd);
	rc = RETORT(&out, &err, "diff", "--from", "empty", "--to", f, "-o", file);
	ck_assert_int_eq(rc, 1);
	ck_assert_str_eq(out, "");
	char *written = tu_read_file(file, NULL);
	ck_assert_contains(written, "CREATE TABLE public.t (\n    a integer DEFAULT 1,");
	free(written), free(out), free(err);
	unlink(file);
	/* A schema that does not apply: the file's own line, the server's message. */
	tu_write_file(file, "CREATE TABLE ok (id int);\nCREATE TABLE bad (id nosuchtype);\n");
	rc = RETORT(&out, &err, "diff", "--from", "empty", "--to", file);
	ck_assert_int_eq(rc, 2);
	ck_assert_contains(err, ":2:1: error: type \"nosuchtype\" does not exist");
	free(out), free(err);
	unlink(file);
	/* Scratch databases are always dropped. */
	e2e_assert_query("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_scratch%'",
			 "0");
}
END_TEST

/* No --dev-url: the embedded default starts and stops its own cluster. */
START_TEST(throwaway_cluster_by_default)
{
	char *out, *err;
	char *const env[] = { "RETORT_DEV_URL=", NULL };
	int rc = retort(&out, &err, env, "diff", "--from", "empty", "--to",
			CORPUS "/schema_add/to.sql", (char *)NULL);
	ck_assert_msg(rc == 1, "%d\n%s\n%s", rc, out, err);
	ck_assert_contains(out, "(throwaway cluster from ");
	ck_assert_contains(out, "CREATE SCHEMA billing;");
	free(out), free(err);
	/* Nothing to start it from: say what to install or set. */
	char *const none[] = { "RETORT_DEV_URL=", "RETORT_PG_BINDIR=/nonexistent", NULL };
	rc = retort(&out, &err, none, "diff", "--from", "empty", "--to", "empty", (char *)NULL);
	ck_assert_int_eq(rc, 2);
	ck_assert_contains(err, "no PostgreSQL server to build the schema on");
	ck_assert_contains(err, "--dev-url");
	free(out), free(err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("schema diff (end to end)");
	TCase *tc = tcase_create("corpus");
	tcase_set_timeout(tc, 120);
	load_pairs();
	tcase_add_loop_test(tc, corpus_pair_round_trips, 0, n_pairs);
	suite_add_tcase(s, tc);
	tc = tcase_create("commands");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, initial_revision_from_schema_then_check_and_stamp_workflow);
	tcase_add_test(tc, default_schema_from_retort_ini);
	tcase_add_test(tc, autogenerate_starts_from_parent_and_depends_on);
	tcase_add_test(tc, existing_database_initial_revision_stamp_then_upgrade);
	tcase_add_test(tc, privileges_from_retort_ini_and_missing_roles);
	tcase_add_test(tc, enum_value_added_and_used_runs_outside_a_transaction);
	tcase_add_test(tc, url_source_is_read_only_and_equal_to_its_schema);
	tcase_add_test(tc, diff_exit_codes_and_output_file);
	tcase_add_test(tc, throwaway_cluster_by_default);
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
