/*
 * check_rt_config.c - where the migrator finds its database (runtime/config.c)
 *
 * Each case runs in a fresh temporary directory with every variable that
 * config.c or libpq's defaults read cleared, so ./alembic.ini and the
 * environment are exactly what the case sets up.
 */
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "config.h"
#include "testutil.h"

static const char *const cleared_vars[] = {
	"DATABASE_URL", "DB_USER", "DB_PASSWORD", "DB_HOST", "DB_PORT", "DB_NAME",
	"ALEMBIC_CONFIG", "RETORT_VERSION_TABLE", "RETORT_VERSION_TABLE_SCHEMA",
	"PGAPPNAME", "PGUSER", "PGPASSWORD", "PGHOST", "PGHOSTADDR", "PGPORT",
	"PGDATABASE", "PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR", "PGOPTIONS",
};

static char tmpdir[PATH_MAX];
static char olddir[PATH_MAX];
static struct config cfg;
static char err[512];
static char desc[512];

static void setup(void)
{
	for (size_t i = 0; i < sizeof(cleared_vars) / sizeof(cleared_vars[0]); i++)
		unsetenv(cleared_vars[i]);
	/* No ~/.pgpass or service file of the machine running the tests. */
	setenv("PGPASSFILE", "/nonexistent/pgpass", 1);
	ck_assert_ptr_nonnull(getcwd(olddir, sizeof(olddir)));
	char tmpl[] = "/tmp/check_rt_config.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	/* realpath: %(here)s is absolute and free of symlinks. */
	ck_assert_ptr_nonnull(realpath(tmpl, tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
	memset(&cfg, 0, sizeof(cfg));
	err[0] = desc[0] = '\0';
}

static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[PATH_MAX + 256];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void teardown(void)
{
	config_free(&cfg);
	if (chdir(olddir) != 0)
		perror(olddir);
	rm_tree(tmpdir);
}

/* "keyword=value" lines, in array order. */
static const char *dump(const struct config *c)
{
	static char buf[4096];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; c->keywords[i]; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s=%s\n",
				      c->keywords[i], c->values[i]);
	return buf;
}

/* A file in the case's directory; returns its absolute path. */
static const char *put(const char *name, const char *text)
{
	static char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	tu_write_file(path, text);
	return path;
}

/*
 * What libpq itself makes of the arrays: a connection started against a
 * socket directory that does not exist fails at once, without network, and
 * still holds its options.
 */
static const char *libpq_option(const struct config *c, const char *keyword)
{
	static char val[512];
	PGconn *conn = PQconnectStartParams(c->keywords, c->values, 1);
	ck_assert_ptr_nonnull(conn);
	PQconninfoOption *opts = PQconninfo(conn);
	ck_assert_ptr_nonnull(opts);
	strcpy(val, "(unset)");
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			snprintf(val, sizeof(val), "%s", o->val);
	PQconninfoFree(opts);
	PQfinish(conn);
	return val;
}

static void load_ok(const char *ini)
{
	int rc = config_load(&cfg, ini, err, sizeof(err));
	ck_assert_msg(rc == 0, "config_load failed: %s", err);
}

static void load_fails(const char *ini, const char *expected)
{
	ck_assert_int_eq(config_load(&cfg, ini, err, sizeof(err)), -1);
	ck_assert_str_eq(err, expected);
	/* Nothing left behind. */
	ck_assert_ptr_null(cfg.keywords[0]);
	ck_assert_ptr_null(cfg.version_table);
}

/* ---- sources and their order --------------------------------------------- */

START_TEST(defaults_when_nothing_is_set)
{
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_LIBPQ_DEFAULTS);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\n");
	ck_assert_ptr_null(cfg.ini_path);
	ck_assert_str_eq(cfg.version_table, "alembic_version");
	ck_assert_ptr_null(cfg.version_table_schema);
	ck_assert_str_eq(config_source_name(cfg.source), "libpq defaults (PG* variables)");
}
END_TEST

START_TEST(pgappname_is_left_to_libpq)
{
	setenv("PGAPPNAME", "nightly-job", 1);
	setenv("DATABASE_URL", "postgresql://h/db", 1);
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "dbname=postgresql://h/db\n");
}
END_TEST

START_TEST(database_url_plain)
{
	setenv("DATABASE_URL", "postgresql://user:pass@localhost:5432/postbot_dev", 1);
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_DATABASE_URL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\n"
			 "dbname=postgresql://user:pass@localhost:5432/postbot_dev\n");
	ck_assert_str_eq(config_source_name(cfg.source), "DATABASE_URL");
}
END_TEST

START_TEST(database_url_postgres_scheme_kept)
{
	setenv("DATABASE_URL", "postgres://u@h/d", 1);
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgres://u@h/d\n");
}
END_TEST

START_TEST(database_url_driver_is_dropped)
{
	static const char *const cases[][2] = {
		{ "postgresql+psycopg2://u:p%40ss@h:5433/d?sslmode=require",
		  "postgresql://u:p%40ss@h:5433/d?sslmode=require" },
		{ "postgresql+asyncpg://u@h/d", "postgresql://u@h/d" },
		{ "postgresql+psycopg://u@[::1]:5432/d%20b", "postgresql://u@[::1]:5432/d%20b" },
		{ "postgres+pg8000:///d?host=/run/pg", "postgres:///d?host=/run/pg" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char want[256];
		setenv("DATABASE_URL", cases[i][0], 1);
		load_ok(NULL);
		snprintf(want, sizeof(want), "application_name=retort\ndbname=%s\n", cases[i][1]);
		ck_assert_str_eq(dump(&cfg), want);
		config_free(&cfg);
	}
}
END_TEST

START_TEST(empty_database_url_is_unset)
{
	setenv("DATABASE_URL", "", 1);
	setenv("DB_HOST", "dbhost", 1);
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_DB_VARS);
}
END_TEST

START_TEST(database_url_beats_db_vars_and_ini)
{
	setenv("DATABASE_URL", "postgresql://url-host/url-db", 1);
	setenv("DB_HOST", "var-host", 1);
	setenv("DB_NAME", "var-db", 1);
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://ini-host/ini-db\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_DATABASE_URL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://url-host/url-db\n");
	ck_assert_str_eq(cfg.ini_path, "alembic.ini");
}
END_TEST

START_TEST(db_vars_beat_ini)
{
	setenv("DB_USER", "postgres", 1);
	setenv("DB_PASSWORD", "yourpassword", 1);
	setenv("DB_HOST", "localhost", 1);
	setenv("DB_PORT", "5432", 1);
	setenv("DB_NAME", "postbot_dev", 1);
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://ini-host/ini-db\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_DB_VARS);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\nuser=postgres\n"
			 "password=yourpassword\nhost=localhost\nport=5432\ndbname=postbot_dev\n");
}
END_TEST

START_TEST(one_db_var_is_enough)
{
	setenv("DB_NAME", "postbot_dev", 1);
	setenv("DB_USER", "", 1);
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_DB_VARS);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postbot_dev\n");
}
END_TEST

START_TEST(db_vars_pass_through_untouched)
{
	const char *pw = "p a'ss\\\"w=rd \\' x";
	const char *host = "/nonexistent/dir with 'quotes' and \\";
	setenv("DB_USER", "us er'\\", 1);
	setenv("DB_PASSWORD", pw, 1);
	setenv("DB_HOST", host, 1);
	setenv("DB_NAME", "my db", 1);
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\nuser=us er'\\\n"
			 "password=p a'ss\\\"w=rd \\' x\n"
			 "host=/nonexistent/dir with 'quotes' and \\\ndbname=my db\n");
	ck_assert_str_eq(libpq_option(&cfg, "password"), pw);
	ck_assert_str_eq(libpq_option(&cfg, "user"), "us er'\\");
	ck_assert_str_eq(libpq_option(&cfg, "host"), host);
	ck_assert_str_eq(libpq_option(&cfg, "dbname"), "my db");
}
END_TEST

START_TEST(db_name_that_looks_like_a_conninfo_stays_a_name)
{
	setenv("DB_HOST", "/nonexistent/sock", 1);
	setenv("DB_NAME", "a=b host=evil", 1);
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=\n"
			 "host=/nonexistent/sock\ndbname=a=b host=evil\n");
	ck_assert_str_eq(libpq_option(&cfg, "dbname"), "a=b host=evil");
	ck_assert_str_eq(libpq_option(&cfg, "host"), "/nonexistent/sock");
	config_free(&cfg);

	setenv("DB_NAME", "postgresql://evil/x", 1);
	load_ok(NULL);
	ck_assert_str_eq(libpq_option(&cfg, "dbname"), "postgresql://evil/x");
	ck_assert_str_eq(libpq_option(&cfg, "host"), "/nonexistent/sock");
}
END_TEST

START_TEST(url_application_name_wins)
{
	setenv("DATABASE_URL", "postgresql://%2Fnonexistent%2Fsock/d?application_name=mine", 1);
	load_ok(NULL);
	ck_assert_str_eq(libpq_option(&cfg, "application_name"), "mine");
	config_free(&cfg);

	setenv("DATABASE_URL", "postgresql://%2Fnonexistent%2Fsock/d", 1);
	load_ok(NULL);
	ck_assert_str_eq(libpq_option(&cfg, "application_name"), "retort");
	ck_assert_str_eq(libpq_option(&cfg, "host"), "/nonexistent/sock");
}
END_TEST

/* ---- alembic.ini ----------------------------------------------------------- */

START_TEST(ini_from_config_option)
{
	const char *path = put("prod.ini", "[alembic]\nscript_location = %(here)s/alembic\n"
			       "sqlalchemy.url = postgresql+psycopg2://app@db.internal/postbot\n");
	load_ok(path);
	ck_assert_int_eq(cfg.source, CONFIG_INI);
	ck_assert_str_eq(cfg.ini_path, path);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\n"
			 "dbname=postgresql://app@db.internal/postbot\n");
	ck_assert_str_eq(config_source_name(cfg.source), "sqlalchemy.url in alembic.ini");
}
END_TEST

START_TEST(ini_from_alembic_config)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s", put("sub/env.ini",
		 "[alembic]\nsqlalchemy.url = postgresql://h/from_env\n"));
	setenv("ALEMBIC_CONFIG", path, 1);
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://h/from_cwd\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_INI);
	ck_assert_str_eq(cfg.ini_path, path);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://h/from_env\n");
}
END_TEST

START_TEST(ini_from_current_directory)
{
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://h/from_cwd\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_INI);
	ck_assert_str_eq(cfg.ini_path, "alembic.ini");
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://h/from_cwd\n");
}
END_TEST

START_TEST(config_option_beats_alembic_config)
{
	char opt[PATH_MAX + 64];
	snprintf(opt, sizeof(opt), "%s",
		 put("a.ini", "[alembic]\nsqlalchemy.url = postgresql://h/from_option\n"));
	setenv("ALEMBIC_CONFIG", put("b.ini", "[alembic]\nsqlalchemy.url = postgresql://h/b\n"), 1);
	load_ok(opt);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://h/from_option\n");
}
END_TEST

START_TEST(ini_here_and_percent)
{
	put("conf/alembic.ini",
	    "[alembic]\n"
	    "sqlalchemy.url = postgresql://u:p%%40ss@/db?host=%(here)s/sock&options=-c%%20x\n");
	load_ok("conf/alembic.ini");
	char want[PATH_MAX + 128];
	snprintf(want, sizeof(want), "application_name=retort\n"
		 "dbname=postgresql://u:p%%40ss@/db?host=%s/conf/sock&options=-c%%20x\n", tmpdir);
	ck_assert_str_eq(dump(&cfg), want);
}
END_TEST

START_TEST(ini_refers_to_other_options)
{
	put("alembic.ini",
	    "[DEFAULT]\nhost_part = db.example\n"
	    "[alembic]\nDB = postbot\n"
	    "sqlalchemy.url = postgresql://%(host_part)s/%(db)s\n"
	    "[loggers]\nkeys = root\n"
	    "[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n");
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://db.example/postbot\n");
}
END_TEST

START_TEST(ini_placeholder_url_is_unset)
{
	put("alembic.ini", "[alembic]\nscript_location = alembic\n"
	    "sqlalchemy.url = driver://user:pass@localhost/dbname\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_LIBPQ_DEFAULTS);
	ck_assert_str_eq(cfg.ini_path, "alembic.ini");
	ck_assert_str_eq(dump(&cfg), "application_name=retort\n");
}
END_TEST

START_TEST(ini_without_url_is_unset)
{
	put("alembic.ini", "[alembic]\nscript_location = alembic\nsqlalchemy.url =\n"
	    "[other]\nsqlalchemy.url = postgresql://wrong-section/x\n");
	load_ok(NULL);
	ck_assert_int_eq(cfg.source, CONFIG_LIBPQ_DEFAULTS);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\n");
}
END_TEST

START_TEST(ini_long_comment_is_fine)
{
	char text[2048] = "[alembic]\n# ";
	memset(text + strlen(text), 'x', 600);
	strcat(text, "\nsqlalchemy.url = postgresql://h/d\n");
	put("alembic.ini", text);
	load_ok(NULL);
	ck_assert_str_eq(dump(&cfg), "application_name=retort\ndbname=postgresql://h/d\n");
}
END_TEST

START_TEST(ini_long_value_is_an_error)
{
	char text[2048] = "[alembic]\nsqlalchemy.url = postgresql://h/";
	memset(text + strlen(text), 'd', 600);
	strcat(text, "\n");
	put("alembic.ini", text);
	load_fails(NULL, "line 2 of 'alembic.ini' is too long\n"
		   "detail: lines in the [alembic] section may hold 198 bytes at most");
}
END_TEST

START_TEST(named_ini_missing_is_an_error)
{
	load_fails("nope.ini", "cannot read 'nope.ini': No such file or directory");
	setenv("ALEMBIC_CONFIG", "/nonexistent/alembic.ini", 1);
	load_fails(NULL, "cannot read '/nonexistent/alembic.ini': No such file or directory");
}
END_TEST

START_TEST(named_ini_missing_is_an_error_even_with_url)
{
	setenv("DATABASE_URL", "postgresql://h/d", 1);
	load_fails("nope.ini", "cannot read 'nope.ini': No such file or directory");
}
END_TEST

START_TEST(ini_syntax_error)
{
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://h/d\nthis line is junk\n");
	load_fails(NULL, "cannot parse 'alembic.ini'\n"
		   "detail: line 3 is not a section header, a comment or a 'key = value' line");
}
END_TEST

START_TEST(ini_bad_percent)
{
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://u:p%40secret@h/d\n");
	load_fails(NULL, "bad '%' in 'sqlalchemy.url' in 'alembic.ini'\n"
		   "hint: write '%%' for a literal '%', as configparser requires");
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://%(nohost)s/d\n");
	load_fails(NULL, "'sqlalchemy.url' in 'alembic.ini' refers to unknown option 'nohost'");
	put("alembic.ini", "[alembic]\na = %(b)s\nb = %(a)s\nsqlalchemy.url = %(a)s\n");
	load_fails(NULL, "interpolation too deep in 'sqlalchemy.url' in 'alembic.ini'\n"
		   "detail: an option refers to itself through %(...)s");
}
END_TEST

START_TEST(ini_bad_url_is_an_error)
{
	put("alembic.ini", "[alembic]\nsqlalchemy.url = sqlite:///postbot.db\n");
	load_fails(NULL, "unsupported database 'sqlite' in sqlalchemy.url in 'alembic.ini'\n"
		   "hint: the migrator connects to PostgreSQL only (postgresql://...)");
}
END_TEST

/* ---- errors never show a password ---------------------------------------- */

START_TEST(bad_url_error_masks_password)
{
	setenv("DATABASE_URL", "postgresql+asyncpg://alice:s3cr%zzet@db/postbot?ssl=require", 1);
	load_fails(NULL, "invalid DATABASE_URL: invalid percent-encoded token: \"****\"\n"
		   "detail: postgresql+asyncpg://alice:****@db/postbot?ssl=require");

	setenv("DATABASE_URL", "postgresql+asyncpg://alice:s3cret@db/postbot?ssl=require", 1);
	load_fails(NULL, "invalid DATABASE_URL: invalid URI query parameter: \"ssl\"\n"
		   "detail: postgresql+asyncpg://alice:****@db/postbot?ssl=require");

	setenv("DATABASE_URL", "postgresql://alice:s3cret@[::1/postbot", 1);
	load_fails(NULL, "invalid DATABASE_URL: end of string reached when looking for "
		   "matching \"]\" in IPv6 host address in URI: "
		   "\"postgresql://alice:****@[::1/postbot\"\n"
		   "detail: postgresql://alice:****@[::1/postbot");

	setenv("DATABASE_URL", "postgresql://[::1/postbot?password=s3cret&x=1", 1);
	ck_assert_int_eq(config_load(&cfg, NULL, err, sizeof(err)), -1);
	ck_assert_ptr_null(strstr(err, "s3cret"));
	ck_assert_ptr_nonnull(strstr(err, "password=****&x=1"));
}
END_TEST

START_TEST(not_a_url_is_an_error)
{
	setenv("DATABASE_URL", "host=db password=s3cret", 1);
	load_fails(NULL, "DATABASE_URL is not a URL\n"
		   "hint: write it as postgresql://user:password@host:port/dbname");
}
END_TEST

START_TEST(unsupported_scheme)
{
	setenv("DATABASE_URL", "mysql+pymysql://u:s3cret@h/d", 1);
	load_fails(NULL, "unsupported database 'mysql' in DATABASE_URL\n"
		   "hint: the migrator connects to PostgreSQL only (postgresql://...)");
}
END_TEST

/* ---- describe ----------------------------------------------------------------- */

START_TEST(describe_url)
{
	setenv("DATABASE_URL", "postgresql+psycopg2://alice:s3cret@db.example:6543/postbot", 1);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "alice@db.example:6543/postbot");
}
END_TEST

START_TEST(describe_url_fills_gaps_from_pg_vars)
{
	setenv("PGUSER", "pguser", 1);
	setenv("PGPORT", "5499", 1);
	setenv("DATABASE_URL", "postgresql://:s3cret@db.example", 1);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "pguser@db.example:5499/pguser");
}
END_TEST

START_TEST(describe_url_password_with_raw_slash)
{
	/* libpq reads "alice" as host and "pa" as port here: still no password. */
	setenv("PGUSER", "pguser", 1);
	setenv("DATABASE_URL", "postgresql://alice:pa/ss@host/db", 1);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "pguser@alice:****@host/db");
}
END_TEST

START_TEST(describe_db_vars)
{
	setenv("PGHOST", "ignored-host", 1);
	setenv("DB_USER", "bob", 1);
	setenv("DB_PASSWORD", "s3cret", 1);
	setenv("DB_HOST", "h", 1);
	setenv("DB_PORT", "5433", 1);
	setenv("DB_NAME", "n", 1);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "bob@h:5433/n");
}
END_TEST

START_TEST(describe_ini)
{
	put("alembic.ini", "[alembic]\nsqlalchemy.url = postgresql://carol:s3cret@/postbot?host=/run/pg\n");
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "carol@/run/pg:5432/postbot");
}
END_TEST

START_TEST(describe_pg_vars)
{
	setenv("PGUSER", "dave", 1);
	setenv("PGPASSWORD", "s3cret", 1);
	setenv("PGHOST", "pghost", 1);
	setenv("PGPORT", "6000", 1);
	setenv("PGDATABASE", "pgdb", 1);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, "dave@pghost:6000/pgdb");
}
END_TEST

START_TEST(describe_bare_defaults)
{
	struct passwd *pw = getpwuid(geteuid());
	ck_assert_ptr_nonnull(pw);
	char want[256];
	snprintf(want, sizeof(want), "%s@[local]:5432/%s", pw->pw_name, pw->pw_name);
	load_ok(NULL);
	config_describe(&cfg, desc, sizeof(desc));
	ck_assert_str_eq(desc, want);
}
END_TEST

START_TEST(describe_truncates)
{
	setenv("DATABASE_URL", "postgresql://alice:s3cret@db.example:6543/postbot", 1);
	load_ok(NULL);
	char small[8];
	config_describe(&cfg, small, sizeof(small));
	ck_assert_str_eq(small, "alice@d");
}
END_TEST

/* ---- version table ----------------------------------------------------------- */

START_TEST(version_table_from_ini)
{
	put("alembic.ini", "[alembic]\nversion_table = postbot_version\n"
	    "version_table_schema = ops\n");
	load_ok(NULL);
	ck_assert_str_eq(cfg.version_table, "postbot_version");
	ck_assert_str_eq(cfg.version_table_schema, "ops");
}
END_TEST

START_TEST(version_table_env_beats_ini)
{
	put("alembic.ini", "[alembic]\nversion_table = postbot_version\n"
	    "version_table_schema = ops\n");
	setenv("RETORT_VERSION_TABLE", "env_version", 1);
	setenv("RETORT_VERSION_TABLE_SCHEMA", "env schema", 1);
	load_ok(NULL);
	ck_assert_str_eq(cfg.version_table, "env_version");
	ck_assert_str_eq(cfg.version_table_schema, "env schema");
}
END_TEST

START_TEST(version_table_env_without_ini)
{
	setenv("RETORT_VERSION_TABLE_SCHEMA", "ops", 1);
	load_ok(NULL);
	ck_assert_str_eq(cfg.version_table, "alembic_version");
	ck_assert_str_eq(cfg.version_table_schema, "ops");
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("rt_config");
	TCase *tc;

	tc = tcase_create("sources");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults_when_nothing_is_set);
	tcase_add_test(tc, pgappname_is_left_to_libpq);
	tcase_add_test(tc, database_url_plain);
	tcase_add_test(tc, database_url_postgres_scheme_kept);
	tcase_add_test(tc, database_url_driver_is_dropped);
	tcase_add_test(tc, empty_database_url_is_unset);
	tcase_add_test(tc, database_url_beats_db_vars_and_ini);
	tcase_add_test(tc, db_vars_beat_ini);
	tcase_add_test(tc, one_db_var_is_enough);
	tcase_add_test(tc, db_vars_pass_through_untouched);
	tcase_add_test(tc, db_name_that_looks_like_a_conninfo_stays_a_name);
	tcase_add_test(tc, url_application_name_wins);
	suite_add_tcase(s, tc);

	tc = tcase_create("ini");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ini_from_config_option);
	tcase_add_test(tc, ini_from_alembic_config);
	tcase_add_test(tc, ini_from_current_directory);
	tcase_add_test(tc, config_option_beats_alembic_config);
	tcase_add_test(tc, ini_here_and_percent);
	tcase_add_test(tc, ini_refers_to_other_options);
	tcase_add_test(tc, ini_placeholder_url_is_unset);
	tcase_add_test(tc, ini_without_url_is_unset);
	tcase_add_test(tc, ini_long_comment_is_fine);
	tcase_add_test(tc, ini_long_value_is_an_error);
	tcase_add_test(tc, named_ini_missing_is_an_error);
	tcase_add_test(tc, named_ini_missing_is_an_error_even_with_url);
	tcase_add_test(tc, ini_syntax_error);
	tcase_add_test(tc, ini_bad_percent);
	tcase_add_test(tc, ini_bad_url_is_an_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_url_error_masks_password);
	tcase_add_test(tc, not_a_url_is_an_error);
	tcase_add_test(tc, unsupported_scheme);
	suite_add_tcase(s, tc);

	tc = tcase_create("describe");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, describe_url);
	tcase_add_test(tc, describe_url_fills_gaps_from_pg_vars);
	tcase_add_test(tc, describe_url_password_with_raw_slash);
	tcase_add_test(tc, describe_db_vars);
	tcase_add_test(tc, describe_ini);
	tcase_add_test(tc, describe_pg_vars);
	tcase_add_test(tc, describe_bare_defaults);
	tcase_add_test(tc, describe_truncates);
	suite_add_tcase(s, tc);

	tc = tcase_create("version_table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, version_table_from_ini);
	tcase_add_test(tc, version_table_env_beats_ini);
	tcase_add_test(tc, version_table_env_without_ini);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(config_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
