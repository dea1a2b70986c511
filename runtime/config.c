/*
 * config.c - where the migrator finds its database and version table
 *
 * libpq parses every URL (PQconninfoParse) and inih reads alembic.ini: this
 * file only decides which source wins and turns it into keyword/value
 * arrays. See config.h for the order.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>
#include <libpq-fe.h>

/* What `alembic init` writes into alembic.ini: a placeholder, not a URL. */
#define PLACEHOLDER_URL "driver://user:pass@localhost/dbname"

/* configparser's MAX_INTERPOLATION_DEPTH. */
#define MAX_INTERPOLATION_DEPTH 10

static void errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* An environment variable, or NULL when unset or empty. */
static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/*
 * A copy of `len` bytes of `s` (or room for them when `s` is NULL) that
 * config_free releases.
 */
static char *own(struct config *c, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < CONFIG_MAX_PARAMS && c->owned[i]; i++)
		;
	if (i == CONFIG_MAX_PARAMS)
		return NULL;
	char *p = malloc(len + 1);
	if (!p)
		return NULL;
	if (s)
		memcpy(p, s, len);
	p[len] = '\0';
	c->owned[i] = p;
	return p;
}

static int add_param(struct config *c, const char *kw, const char *val)
{
	size_t n;

	for (n = 0; c->keywords[n]; n++)
		;
	if (n + 1 >= CONFIG_MAX_PARAMS)
		return -1;
	c->keywords[n] = kw;
	c->values[n] = val;
	return 0;
}

static int add_owned_param(struct config *c, const char *kw, const char *val)
{
	const char *v = own(c, val, strlen(val));
	return v ? add_param(c, kw, v) : -1;
}

/* ---- URLs ------------------------------------------------------------------ */

/* Length of a URI scheme such as "postgresql+psycopg2" before "://", or 0. */
static size_t scheme_len(const char *s)
{
	size_t i = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
		i++;
	return strncmp(s + i, "://", 3) == 0 ? i : 0;
}

/* libpq's recognized_connection_string(): what expand_dbname expands. */
static bool is_conninfo(const char *s)
{
	return strchr(s, '=') || strncmp(s, "postgresql://", 13) == 0 ||
	       strncmp(s, "postgres://", 11) == 0;
}

/*
 * Where secrets sit in a URL, for masking, found generously rather than
 * parsed: userinfo ends at the last '@' before the query (libpq stops at the
 * first '@' before a '/', so a password with a raw '/' or '@' is still
 * covered), and a "password=" query parameter runs to the next '&'.
 */
struct secrets {
	size_t off[2], len[2];
	int n;
};

static void find_secrets(const char *url, struct secrets *s)
{
	const char *rest = strstr(url, "://");

	s->n = 0;
	if (!rest)
		return;
	rest += 3;
	const char *q = rest + strcspn(rest, "?");
	const char *at = NULL;
	for (const char *p = rest; p < q; p++)
		if (*p == '@')
			at = p;
	if (at) {
		const char *colon = memchr(rest, ':', (size_t)(at - rest));
		if (colon && at > colon + 1) {
			s->off[s->n] = (size_t)(colon + 1 - url);
			s->len[s->n++] = (size_t)(at - colon - 1);
		}
	}
	for (const char *p = q; *p; p++) {
		if ((*p == '?' || *p == '&') && strncmp(p + 1, "password=", 9) == 0) {
			const char *v = p + 10;
			size_t n = strcspn(v, "&");
			if (n) {
				s->off[s->n] = (size_t)(v - url);
				s->len[s->n++] = n;
			}
			break;
		}
	}
}

/*
 * Copies `in` to `out` with every occurrence of the secrets of `url`
 * replaced by "****": libpq's messages quote URLs and tokens verbatim.
 */
static void scrub(char *out, size_t outlen, const char *in, const char *url)
{
	struct secrets s;
	size_t o = 0;

	if (!outlen)
		return;
	find_secrets(url, &s);
	while (*in && o + 1 < outlen) {
		size_t skip = 0;
		for (int i = 0; i < s.n && !skip; i++)
			if (strncmp(in, url + s.off[i], s.len[i]) == 0)
				skip = s.len[i];
		if (skip) {
			for (const char *m = "****"; *m && o + 1 < outlen; m++)
				out[o++] = *m;
			in += skip;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

/*
 * Puts a URL into c as the single expandable "dbname". SQLAlchemy's
 * "postgresql+driver://" loses its "+driver"; everything after the scheme
 * stays byte for byte, percent-encoding included, since libpq decodes it.
 */
static int use_url(struct config *c, const char *url, const char *where,
		   char *err, size_t errlen)
{
	char masked[256];
	size_t slen = scheme_len(url);

	/* Not shown: without a URL's shape there is no telling where a password is. */
	if (!slen) {
		errf(err, errlen, "%s is not a URL\n"
		     "hint: write it as postgresql://user:password@host:port/dbname", where);
		return -1;
	}
	scrub(masked, sizeof(masked), url, url);
	const char *plus = memchr(url, '+', slen);
	size_t blen = plus ? (size_t)(plus - url) : slen;
	if (!((blen == 10 && strncmp(url, "postgresql", 10) == 0) ||
	      (blen == 8 && strncmp(url, "postgres", 8) == 0))) {
		errf(err, errlen, "unsupported database '%.*s' in %s\n"
		     "hint: the migrator connects to PostgreSQL only (postgresql://...)",
		     (int)blen, url, where);
		return -1;
	}

	size_t rlen = strlen(url + slen);
	char *u = own(c, NULL, blen + rlen);
	if (!u) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(u, url, blen);
	memcpy(u + blen, url + slen, rlen + 1);

	char *pqerr = NULL;
	PQconninfoOption *opts = PQconninfoParse(u, &pqerr);
	if (!opts) {
		char msg[256];
		if (pqerr) {
			size_t n = strlen(pqerr);
			while (n && pqerr[n - 1] == '\n')
				pqerr[--n] = '\0';
		}
		scrub(msg, sizeof(msg), pqerr ? pqerr : "out of memory", u);
		PQfreemem(pqerr);
		errf(err, errlen, "invalid %s: %s\ndetail: %s", where, msg, masked);
		return -1;
	}
	PQconninfoFree(opts);
	return add_param(c, "dbname", u);
}

/* ---- alembic.ini ------------------------------------------------------------ */

struct ini_kv {
	bool in_default; /* [DEFAULT] rather than [alembic] */
	char *name;      /* lower-cased, as configparser's optionxform does */
	char *value;
};

struct ini_state {
	struct ini_kv *v;
	size_t n, cap;
	char *here;            /* %(here)s: the ini file's directory */
	FILE *fp;              /* the line reader's state */
	char *line;
	size_t line_cap;
	int max_line;          /* inih's line buffer, as it tells the reader */
	unsigned lineno;
	unsigned cut_line;     /* the line just read was cut short, or 0 */
	unsigned overlong;     /* first [alembic] line inih could not hold */
	bool oom;
};

/*
 * inih reads into a fixed buffer and would treat the rest of a longer line
 * as a line of its own. Long comments are harmless and are cut; a long
 * value is reported by the handler if it is one we might read.
 */
static char *ini_read_line(char *str, int num, void *stream)
{
	struct ini_state *st = stream;
	ssize_t n = getline(&st->line, &st->line_cap, st->fp);

	if (n < 0)
		return NULL;
	st->lineno++;
	st->max_line = num;
	st->cut_line = 0;
	if (n < num) {
		memcpy(str, st->line, (size_t)n + 1);
		return str;
	}
	const char *p = st->line + strspn(st->line, " \t");
	if (*p != '#' && *p != ';')
		st->cut_line = st->lineno;
	memcpy(str, st->line, (size_t)num - 1);
	str[num - 1] = '\0';
	return str;
}

static struct ini_kv *ini_find(struct ini_state *st, bool in_default, const char *name)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].in_default == in_default && strcmp(st->v[i].name, name) == 0)
			return &st->v[i];
	return NULL;
}

static const char *ini_section = "alembic";
static bool ini_section_seen;

void config_set_section(const char *name)
{
	ini_section = name;
}

static int ini_on_option(void *user, const char *section, const char *name, const char *value)
{
	struct ini_state *st = user;
	bool in_default;

	/* Section names are case-sensitive in configparser, option names not. */
	if (strcmp(section, ini_section) == 0)
		in_default = false, ini_section_seen = true;
	else if (strcmp(section, "DEFAULT") == 0)
		in_default = true;
	else
		return 1;
	if (st->cut_line && !st->overlong)
		st->overlong = st->cut_line;

	char *lname = strdup(name);
	if (!lname)
		goto oom;
	for (char *p = lname; *p; p++)
		*p = (char)tolower((unsigned char)*p);

	/*
	 * inih hands over each continuation line of a multi-line value under
	 * the same name; configparser joins them with newlines.
	 */
	struct ini_kv *kv = ini_find(st, in_default, lname);
	if (kv) {
		size_t a = strlen(kv->value), b = strlen(value);
		char *joined = realloc(kv->value, a + b + 2);
		free(lname);
		if (!joined)
			goto oom;
		joined[a] = '\n';
		memcpy(joined + a + 1, value, b + 1);
		kv->value = joined;
		return 1;
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 16;
		struct ini_kv *v = realloc(st->v, cap * sizeof(*v));
		if (!v) {
			free(lname);
			goto oom;
		}
		st->v = v;
		st->cap = cap;
	}
	char *val = strdup(value);
	if (!val) {
		free(lname);
		goto oom;
	}
	st->v[st->n++] = (struct ini_kv){ in_default, lname, val };
	return 1;
oom:
	st->oom = true;
	return 0;
}

static void ini_state_free(struct ini_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->v[i].name);
		free(st->v[i].value);
	}
	free(st->v);
	free(st->here);
	free(st->line);
	memset(st, 0, sizeof(*st));
}

/* Alembic's "here": os.path.abspath(os.path.dirname(path)). */
static char *ini_here(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		dir = strdup(".");
	else if (slash == path)
		dir = strdup("/");
	else
		dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return NULL;
	char *abs = realpath(dir, NULL);
	if (abs) {
		free(dir);
		return abs;
	}
	return dir;
}

static int ini_read(struct ini_state *st, const char *path, char *err, size_t errlen)
{
	memset(st, 0, sizeof(*st));
	st->fp = fopen(path, "r");
	if (!st->fp) {
		errf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return -1;
	}
	int rc = ini_parse_stream(ini_read_line, st, ini_on_option, st);
	fclose(st->fp);
	st->fp = NULL;
	if (st->oom || rc == -2) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	if (rc > 0) {
		errf(err, errlen, "cannot parse '%s'\ndetail: line %d is not a "
		     "section header, a comment or a 'key = value' line", path, rc);
		return -1;
	}
	if (rc < 0) {
		errf(err, errlen, "cannot read '%s'", path);
		return -1;
	}
	if (st->overlong) {
		errf(err, errlen, "line %u of '%s' is too long\n"
		     "detail: lines in the [alembic] section may hold %d bytes at most",
		     st->overlong, path, st->max_line - 2);
		return -1;
	}
	st->here = ini_here(path);
	if (!st->here) {
		errf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

struct buf {
	char *s;
	size_t n, cap;
};

static int buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, len);
	b->n += len;
	b->s[b->n] = '\0';
	return 0;
}

/*
 * configparser's BasicInterpolation: "%%" is '%', "%(name)s" is option
 * `name` of [alembic], else of [DEFAULT], else Alembic's "here". Messages
 * name the option, never its value, which may hold a password.
 */
static int interpolate(struct ini_state *st, const char *key, const char *raw,
		       struct buf *out, int depth, const char *path,
		       char *err, size_t errlen)
{
	if (depth > MAX_INTERPOLATION_DEPTH) {
		errf(err, errlen, "interpolation too deep in '%s' in '%s'\n"
		     "detail: an option refers to itself through %%(...)s", key, path);
		return -1;
	}
	for (const char *p = raw; *p; ) {
		const char *pct = strchr(p, '%');
		if (!pct)
			return buf_add(out, p, strlen(p));
		if (buf_add(out, p, (size_t)(pct - p)) != 0)
			return -1;
		if (pct[1] == '%') {
			if (buf_add(out, "%", 1) != 0)
				return -1;
			p = pct + 2;
			continue;
		}
		const char *close = pct[1] == '(' ? strchr(pct + 2, ')') : NULL;
		if (!close || close[1] != 's' || close == pct + 2) {
			errf(err, errlen, "bad '%%' in '%s' in '%s'\n"
			     "hint: write '%%%%' for a literal '%%', as configparser requires",
			     key, path);
			return -1;
		}
		char name[128];
		size_t nlen = (size_t)(close - pct - 2);
		if (nlen >= sizeof(name))
			nlen = sizeof(name) - 1;
		for (size_t i = 0; i < nlen; i++)
			name[i] = (char)tolower((unsigned char)pct[2 + i]);
		name[nlen] = '\0';

		struct ini_kv *kv = ini_find(st, false, name);
		if (!kv)
			kv = ini_find(st, true, name);
		if (kv) {
			if (interpolate(st, key, kv->value, out, depth + 1, path, err, errlen) != 0)
				return -1;
		} else if (strcmp(name, "here") == 0) {
			if (buf_add(out, st->here, strlen(st->here)) != 0)
				return -1;
		} else {
			errf(err, errlen, "'%s' in '%s' refers to unknown option '%s'",
			     key, path, name);
			return -1;
		}
		p = close + 2;
	}
	return 0;
}

/*
 * The interpolated value of [alembic] `key` (or [DEFAULT]'s): 0 with
 * *value NULL when absent or empty, -1 after an error. Caller frees.
 */
static int ini_get(struct ini_state *st, const char *key, const char *path,
		   char **value, char *err, size_t errlen)
{
	struct ini_kv *kv = ini_find(st, false, key);
	struct buf b = { 0 };

	*value = NULL;
	if (!kv)
		kv = ini_find(st, true, key);
	if (!kv)
		return 0;
	if (interpolate(st, key, kv->value, &b, 0, path, err, errlen) != 0) {
		if (errlen && !*err)
			errf(err, errlen, "out of memory");
		free(b.s);
		return -1;
	}
	if (!b.n) {
		free(b.s);
		return 0;
	}
	*value = b.s;
	return 0;
}

/* ---- config ------------------------------------------------------------------- */

static const struct {
	const char *var, *keyword;
} db_vars[] = {
	{ "DB_USER", "user" },
	{ "DB_PASSWORD", "password" },
	{ "DB_HOST", "host" },
	{ "DB_PORT", "port" },
	{ "DB_NAME", "dbname" },
};

static int use_db_vars(struct config *c)
{
	const char *name = env("DB_NAME");

	/*
	 * With expand_dbname, libpq expands only the first "dbname" entry whose
	 * value is not NULL, even an empty one (conninfo_array_parse), and skips
	 * empty values otherwise. An empty "dbname" ahead therefore keeps a
	 * DB_NAME that holds '=' or starts like a URI a plain database name.
	 */
	if (name && is_conninfo(name) && add_param(c, "dbname", "") != 0)
		return -1;
	for (size_t i = 0; i < sizeof(db_vars) / sizeof(db_vars[0]); i++) {
		const char *v = env(db_vars[i].var);
		if (v && add_owned_param(c, db_vars[i].keyword, v) != 0)
			return -1;
	}
	return 0;
}

static bool any_db_var(void)
{
	for (size_t i = 0; i < sizeof(db_vars) / sizeof(db_vars[0]); i++)
		if (env(db_vars[i].var))
			return true;
	return false;
}

/* Environment first, then alembic.ini; NULL when neither sets it. */
static int version_option(struct ini_state *st, const char *path, const char *var,
			  const char *key, char **out, char *err, size_t errlen)
{
	const char *v = env(var);

	if (v) {
		*out = strdup(v);
		if (!*out) {
			errf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	return path ? ini_get(st, key, path, out, err, errlen) : 0;
}

int config_load(struct config *c, const char *ini_path, char *errbuf, size_t errlen)
{
	struct ini_state st;
	const char *path = ini_path;
	char *url = NULL;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	memset(&st, 0, sizeof(st));
	if (errlen)
		errbuf[0] = '\0';
	c->source = CONFIG_LIBPQ_DEFAULTS;

	if (!path)
		path = env("ALEMBIC_CONFIG");
	if (!path && access("alembic.ini", F_OK) == 0)
		path = "alembic.ini";
	if (path) {
		if (ini_read(&st, path, errbuf, errlen) != 0)
			goto out;
		c->ini_path = own(c, path, strlen(path));
		if (!c->ini_path)
			goto oom;
	}
	/* -n/--name: a section that is not there would silently mean libpq's defaults. */
	if (strcmp(ini_section, "alembic") != 0 && !ini_section_seen) {
		if (path)
			errf(errbuf, errlen, "%s has no section [%s] (-n/--name)", path, ini_section);
		else
			errf(errbuf, errlen, "-n/--name %s names a section of alembic.ini, and there is "
			     "no alembic.ini (give it with -c)", ini_section);
		goto out;
	}

	if (version_option(&st, path, "RETORT_VERSION_TABLE", "version_table",
			   &c->version_table, errbuf, errlen) != 0 ||
	    version_option(&st, path, "RETORT_VERSION_TABLE_SCHEMA", "version_table_schema",
			   &c->version_table_schema, errbuf, errlen) != 0)
		goto out;
	if (!c->version_table && !(c->version_table = strdup("alembic_version")))
		goto oom;

	/*
	 * PQconnectdbParams processes the arrays in order, and fields of the
	 * expanded dbname override entries before it (libpq docs, "Array
	 * entries appearing before an expanded dbname entry can be overridden
	 * by fields of the connection string"). So application_name goes first:
	 * a URL's own ?application_name= wins, as does PGAPPNAME, which we then
	 * leave to libpq by not setting one.
	 */
	if (!env("PGAPPNAME") && add_param(c, "application_name", "retort") != 0)
		goto oom;

	const char *database_url = env("DATABASE_URL");
	if (database_url) {
		c->source = CONFIG_DATABASE_URL;
		if (use_url(c, database_url, "DATABASE_URL", errbuf, errlen) != 0)
			goto out;
	} else if (any_db_var()) {
		c->source = CONFIG_DB_VARS;
		if (use_db_vars(c) != 0)
			goto oom;
	} else if (path) {
		if (ini_get(&st, "sqlalchemy.url", path, &url, errbuf, errlen) != 0)
			goto out;
		if (url && strcmp(url, PLACEHOLDER_URL) != 0) {
			char where[300];
			snprintf(where, sizeof(where), "sqlalchemy.url in '%s'", path);
			c->source = CONFIG_INI;
			if (use_url(c, url, where, errbuf, errlen) != 0)
				goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	errf(errbuf, errlen, "out of memory");
out:
	free(url);
	ini_state_free(&st);
	if (rc != 0)
		config_free(c);
	return rc;
}

static void effective(const char **field, const char *kw, const char *val)
{
	static const char *const names[] = { "user", "host", "hostaddr", "port", "dbname" };

	if (!val || !*val)
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(kw, names[i]) == 0)
			field[i] = val;
}

void config_describe(const struct config *c, char *buf, size_t len)
{
	enum { USER, HOST, HOSTADDR, PORT, DBNAME, N };
	const char *f[N] = { 0 };
	PQconninfoOption *defs = PQconndefaults(), *url = NULL;
	const char *url_text = NULL;
	bool expanded = false;

	if (!len)
		return;
	for (PQconninfoOption *o = defs; o && o->keyword; o++)
		effective(f, o->keyword, o->val);

	/* The same walk as libpq's conninfo_array_parse. */
	for (size_t i = 0; c->keywords[i]; i++) {
		const char *kw = c->keywords[i], *val = c->values[i];
		if (!expanded && strcmp(kw, "dbname") == 0 && val) {
			expanded = true;
			if (is_conninfo(val) && (url = PQconninfoParse(val, NULL))) {
				url_text = val;
				for (PQconninfoOption *o = url; o->keyword; o++)
					effective(f, o->keyword, o->val);
				continue;
			}
		}
		effective(f, kw, val);
	}

	/* libpq's own fallbacks at connect time: psql's prompt shows "[local]". */
	const char *host = f[HOST] ? f[HOST] : f[HOSTADDR] ? f[HOSTADDR] : "[local]";
	const char *dbname = f[DBNAME] ? f[DBNAME] : f[USER];
	char tmp[512];
	snprintf(tmp, sizeof(tmp), "%s@%s:%s/%s", f[USER] ? f[USER] : "?", host,
		 f[PORT] ? f[PORT] : "5432", dbname ? dbname : "?");
	if (url_text)
		scrub(buf, len, tmp, url_text);
	else
		snprintf(buf, len, "%s", tmp);
	PQconninfoFree(url);
	PQconninfoFree(defs);
}

const char *config_source_name(enum config_source s)
{
	switch (s) {
	case CONFIG_DATABASE_URL:
		return "DATABASE_URL";
	case CONFIG_DB_VARS:
		return "DB_USER/DB_PASSWORD/DB_HOST/DB_PORT/DB_NAME";
	case CONFIG_INI:
		return "sqlalchemy.url in alembic.ini";
	case CONFIG_LIBPQ_DEFAULTS:
		return "libpq defaults (PG* variables)";
	}
	return "?";
}

void config_free(struct config *c)
{
	for (size_t i = 0; i < CONFIG_MAX_PARAMS; i++)
		free(c->owned[i]);
	free(c->version_table);
	free(c->version_table_schema);
	memset(c, 0, sizeof(*c));
}
