/*
 * cmd.c - retort diff, retort check, and revision --autogenerate
 *
 * Every revision written is proven first: its upgrade, applied to a scratch
 * copy of the folder's head, must give exactly SRC, and its downgrade,
 * applied after it, exactly the head again. A revision that does not round
 * trip is not written; what remains is printed instead.
 */
#include "schema/schema.h"

#include <getopt.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "build.h"
#include "cmdspec.h"
#include "diag.h"
#include "emit.h"
#include "schema/diff.h"
#include "schema/source.h"

enum { X_SAME = 0, X_DIFFERENT = 1, X_ERROR = 2 };

static const char usage_diff[] =
	"usage: retort diff --from SRC --to SRC [-o FILE] [--schemas A,B] [--dev-url URL]\n"
	"                   [--privileges] [--prove]\n"
	"\n"
	"Prints the SQL that turns FROM into TO, in dependency order, with hazards\n"
	"(data loss, long locks, rewrites) marked. Exits 0 when they are the same,\n"
	"1 when they differ, 2 on errors.\n"
	"\n"
	"A SRC is a migration folder (its revisions up to its heads), a schema file\n"
	"(plain SQL, pg_dump --schema-only output included), a postgresql:// URL\n"
	"(read only), or 'empty'.\n"
	"\n"
	"  -o, --output FILE   write the SQL to FILE instead of standard output\n"
	"      --schemas A,B   compare only these schemas (default: all but the system's)\n"
	"      --dev-url URL   a server where retort may create and drop scratch\n"
	"                      databases (default: RETORT_DEV_URL, else a throwaway\n"
	"                      cluster from PostgreSQL's server binaries)\n"
	"      --privileges    also compare GRANTs (schemas, tables, columns, sequences,\n"
	"                      functions, types); their roles must exist on the server\n"
	"                      that builds the schemas\n"
	"      --prove         also apply the SQL to a scratch copy of FROM and check\n"
	"                      that it gives TO, and that the reverse SQL gives FROM back\n";

static const char usage_check[] =
	"usage: retort check [DIR] --schema SRC [--schemas A,B] [--dev-url URL] [--privileges]\n"
	"\n"
	"Exits 0 when the migrations of DIR at their heads produce exactly SRC;\n"
	"else prints the SQL that would turn them into it and exits 1 (2: errors).\n"
	"--privileges (or DIR/retort.ini's [autogenerate] privileges = true) also\n"
	"compares GRANTs.\n";

static int usage(const char *cmd, const char *msg)
{
	fprintf(stderr, "retort: %s: %s\ntry 'retort --help'\n", cmd, msg);
	return X_ERROR;
}

/* The unknown option `arg`, with the nearest of `opts` when one is near. */
static int unknown_option(const char *cmd, const char *arg, const struct option *opts)
{
	fprintf(stderr, "retort: %s: unknown option '%s'\n", cmd, arg);
	diag_option_hint(arg, opts);
	fputs("try 'retort --help'\n", stderr);
	return X_ERROR;
}

/* "a,b" as a text[] literal: {"a","b"}. */
static const char *schemas_array(struct arena *a, const char *list)
{
	if (!list)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '{');
	for (const char *p = list;;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		sb_addstr(&sb, sb.len > 1 ? ",\"" : "\"");
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '"' || p[i] == '\\')
				sb_addch(&sb, '\\');
			sb_addch(&sb, p[i]);
		}
		sb_addch(&sb, '"');
		if (!e)
			break;
		p = e + 1;
	}
	sb_addch(&sb, '}');
	const char *s = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return s;
}

/* A URL as it may be shown: without its password, wherever it was written. */
static const char *shown(struct arena *a, const char *src)
{
	if (!source_is_url(src))
		return src;
	struct strbuf sb = STRBUF_INIT;
	const char *auth = strstr(src, "://") + 3;
	const char *at = strchr(auth, '@'), *slash = strchr(auth, '/');
	const char *colon = strchr(auth, ':');
	if (at && (!slash || at < slash) && colon && colon < at) {
		sb_add(&sb, src, (size_t)(colon - src));
		sb_addstr(&sb, ":***");
		src = at;
	}
	/* password=... among the parameters */
	for (const char *p = src; *p;) {
		const char *q = strstr(p, "password=");
		if (!q || (q > src && q[-1] != '?' && q[-1] != '&')) {
			sb_addstr(&sb, p);
			break;
		}
		sb_add(&sb, p, (size_t)(q - p) + 9);
		sb_addstr(&sb, "***");
		p = q + 9 + strcspn(q + 9, "&");
	}
	const char *r = arena_strdup(a, sb.buf);
	sb_release(&sb);
	return r;
}

static void warn_versions(const struct smodel *f, const struct smodel *t)
{
	if (f->server && t->server && strcmp(f->server, t->server) != 0)
		fprintf(stderr, "retort: warning: FROM was read with %s, TO with %s: some "
			"definitions may print differently\n", f->server, t->server);
}

static void print_notes(const struct diff_result *r, struct strbuf *sql)
{
	if (r->notes.len) {
		for (const char *p = r->notes.buf; *p;) {
			const char *nl = strchr(p, '\n');
			fprintf(stderr, "retort: %s%.*s\n", strncmp(p, "not compared", 12) ? "" : "warning: ",
				(int)(nl - p), p);
			p = nl + 1;
		}
		/* Renames are noted where they apply; the rest goes on top. */
		for (const char *p = r->notes.buf; *p;) {
			const char *nl = strchr(p, '\n');
			if (strncmp(p, "not compared", 12) == 0)
				sb_addf(sql, "-- %.*s\n", (int)(nl - p), p);
			p = nl + 1;
		}
	}
	for (const char *p = r->hazards.buf; p && *p;) {
		const char *nl = strchr(p, '\n');
		fprintf(stderr, "retort: hazard: %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

/*
 * Applies `up` to FROM's scratch database and checks it gives `to`, then
 * `down` and checks it gives FROM back. Prints the residue of a failure.
 */
static int prove(struct arena *a, struct source *from, const struct smodel *to,
		 const char *schemas, const char *up, const char *down, bool tx)
{
	struct smodel after;
	struct diff_result r = { 0 };
	if (from->live) {
		diag_plain(DIAG_ERROR, NULL, "cannot prove the round trip on a live database");
		diag_hint("give FROM as a folder, a schema file or 'empty'");
		return -1;
	}
	if (source_apply_text(from->conn, a, "upgrade", up, tx) != 0 ||
	    source_reread(a, from, schemas, &after) != 0) {
		diag_detail("the upgrade does not apply to FROM");
		return -1;
	}
	schema_diff(a, &after, to, &r);
	if (r.n_stmts) {
		diag_plain(DIAG_ERROR, NULL, "the upgrade does not reach TO; what remains:");
		fputs(r.sql.buf, stderr);
		diff_release(&r);
		return -1;
	}
	diff_release(&r);
	if (source_apply_text(from->conn, a, "downgrade", down, tx) != 0 ||
	    source_reread(a, from, schemas, &after) != 0) {
		diag_detail("the downgrade does not apply after the upgrade");
		return -1;
	}
	memset(&r, 0, sizeof r);
	schema_diff(a, &after, &from->model, &r);
	if (r.n_stmts) {
		diag_plain(DIAG_ERROR, NULL, "the downgrade does not return to FROM; what remains:");
		fputs(r.sql.buf, stderr);
		diff_release(&r);
		return -1;
	}
	diff_release(&r);
	return 0;
}

/*
 * Whether a value that ALTER TYPE ... ADD VALUE adds is used by a later
 * statement: PostgreSQL refuses that inside the transaction that added it,
 * so such a revision must run outside one.
 */
static bool uses_new_enum_value(const char *sql)
{
	for (const char *p = sql; sql && (p = strstr(p, " ADD VALUE '")) != NULL;) {
		const char *lit = p + 11, *e = lit + 1;
		while (*e && !(*e == '\'' && e[1] != '\''))
			e += *e == '\'' ? 2 : 1;
		const char *eol = strchr(p, '\n');
		if (!*e || !eol)
			return false;
		size_t n = (size_t)(e + 1 - lit);
		for (const char *q = eol; (q = strstr(q, "'")) != NULL; q++) {
			const char *line = q;
			while (line > sql && line[-1] != '\n')
				line--;
			if (strncmp(q, lit, n) == 0 && !strstr(line, " ADD VALUE ") &&
			    (q == sql || q[-1] != '\''))
				return true;
		}
		p = eol;
	}
	return false;
}

static void header(struct strbuf *sb, const char *what, const struct smodel *f,
		   const struct scratch *s)
{
	sb_addf(sb, "-- %s\n", what);
	sb_addf(sb, "-- read with %s", f->server ? f->server : "PostgreSQL");
	const char *d = scratch_describe(s);
	if (d)
		sb_addf(sb, "; built on %s", d);
	sb_addstr(sb, "\n\n");
}

/* What a folder's retort.ini says in [autogenerate]. */
struct ini_autogen {
	const char *dir;
	struct arena *a;
	const char *schema;   /* NULL: DIR/schema.sql */
	bool privileges;
	const char *bad;      /* a privileges value that is not a boolean */
	int bad_line;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct ini_autogen *x = user;
	if (strcmp(section, "autogenerate") != 0)
		return 1;
	if (strcmp(name, "schema") == 0 && *value) {
		x->schema = value[0] == '/' ? arena_strdup(x->a, value)
					    : arena_printf(x->a, "%s/%s", x->dir, value);
	} else if (strcmp(name, "privileges") == 0) {
		static const char *const yes[] = { "true", "yes", "on", "1" };
		static const char *const no[] = { "false", "no", "off", "0" };
		bool known = false;
		for (size_t i = 0; i < 4 && !known; i++) {
			if (strcasecmp(value, yes[i]) == 0)
				x->privileges = known = true;
			else if (strcasecmp(value, no[i]) == 0)
				known = true, x->privileges = false;
		}
		if (!known && !x->bad)
			x->bad = arena_strdup(x->a, value);
	}
	return 1;
}

/* Reads DIR/retort.ini's [autogenerate], when there is one. 0, or -1 after reporting. */
static int read_ini(struct arena *a, const char *dir, struct ini_autogen *x)
{
	memset(x, 0, sizeof *x);
	x->dir = dir;
	x->a = a;
	const char *ini = arena_printf(a, "%s/retort.ini", dir);
	FILE *f = fopen(ini, "r");
	if (!f)
		return 0;
	fclose(f);
	if (ini_parse(ini, on_ini, x) < 0)
		x->schema = NULL;
	if (x->bad) {
		diag_plain(DIAG_ERROR, NULL, "%s: [autogenerate] privileges = '%s' is not true or false",
			   ini, x->bad);
		return -1;
	}
	return 0;
}

int schema_cmd_diff(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "schemas", required_argument, NULL, 's' },
		{ "dev-url", required_argument, NULL, 'd' },
		{ "prove", no_argument, NULL, 'p' },
		{ "privileges", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *from = NULL, *to = NULL, *output = NULL, *schemas = NULL, *dev = NULL;
	bool do_prove = false, privileges = false;
	int c;

	while ((c = spec_getopt(argc, argv, ":o:h", opts, NULL, 0)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'o': output = optarg; break;
		case 's': schemas = optarg; break;
		case 'd': dev = optarg; break;
		case 'p': do_prove = true; break;
		case 'P': privileges = true; break;
		case 'h': fputs(usage_diff, stdout); return X_SAME;
		case ':': return usage("diff", "an option needs a value");
		default: return unknown_option("diff", argv[optind - 1], opts);
		}
	}
	if (optind != argc)
		return usage("diff", "too many arguments");
	if (!from || !to)
		return usage("diff", "missing --from SRC or --to SRC");

	const char *arr = schemas_array(a, schemas);
	struct scratch *s = scratch_new(a, dev, privileges);
	struct source fs, ts;
	int rc = X_ERROR;
	if (scratch_reserve(s, !source_is_url(from) + !source_is_url(to)) != 0 ||
	    source_load(s, a, from, arr, NULL, 0, &fs) != 0 ||
	    source_load(s, a, to, arr, NULL, 0, &ts) != 0)
		goto out;
	warn_versions(&fs.model, &ts.model);

	struct diff_result r = { 0 };
	schema_diff(a, &fs.model, &ts.model, &r);
	struct strbuf out = STRBUF_INIT;
	if (r.n_stmts)
		header(&out, arena_printf(a, "retort diff --from %s --to %s", shown(a, from),
					  shown(a, to)), &fs.model, s);
	print_notes(&r, &out);
	if (r.n_stmts)
		sb_add(&out, r.sql.buf, r.sql.len);
	rc = r.n_stmts ? X_DIFFERENT : X_SAME;
	if (do_prove && r.n_stmts) {
		struct diff_result back = { 0 };
		schema_diff(a, &ts.model, &fs.model, &back);
		bool tx = !uses_new_enum_value(r.sql.buf) && !uses_new_enum_value(back.sql.buf);
		if (prove(a, &fs, &ts.model, arr, r.sql.buf, back.sql.buf ? back.sql.buf : "", tx) != 0)
			rc = X_ERROR;
		diff_release(&back);
	}
	if (rc != X_ERROR && r.n_stmts) {
		if (output) {
			if (emit_write_file(output, out.buf, out.len) != 0)
				rc = X_ERROR;
		} else {
			fwrite(out.buf, 1, out.len, stdout);
		}
	}
	sb_release(&out);
	diff_release(&r);
	if (fs.live)
		PQfinish(fs.conn);
	if (ts.live)
		PQfinish(ts.conn);
out:
	scratch_close(s);
	return rc;
}

int schema_cmd_check(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "schema", required_argument, NULL, 'S' },
		{ "schemas", required_argument, NULL, 's' },
		{ "dev-url", required_argument, NULL, 'd' },
		{ "privileges", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *src = NULL, *schemas = NULL, *dev = NULL;
	bool privileges = false;
	int c;

	while ((c = spec_getopt(argc, argv, ":h", opts, NULL, 0)) != -1) {
		switch (c) {
		case 'S': src = optarg; break;
		case 's': schemas = optarg; break;
		case 'd': dev = optarg; break;
		case 'P': privileges = true; break;
		case 'h': fputs(usage_check, stdout); return X_SAME;
		case ':': return usage("check", "an option needs a value");
		default: return unknown_option("check", argv[optind - 1], opts);
		}
	}
	if (optind < argc - 1)
		return usage("check", "too many arguments");
	if (!src)
		return usage("check", "missing --schema SRC");

	/* Without DIR, alembic.ini's script_location, as every command. */
	const char *dir = optind < argc ? argv[optind] : build_default_dir(a);
	if (!dir)
		return X_ERROR;
	struct ini_autogen ini;
	if (read_ini(a, dir, &ini) != 0)
		return X_ERROR;
	const char *arr = schemas_array(a, schemas);
	struct scratch *s = scratch_new(a, dev, privileges || ini.privileges);
	struct source fs, ts;
	int rc = X_ERROR;
	if (scratch_reserve(s, 1 + !source_is_url(src)) != 0 ||
	    source_load(s, a, dir, arr, NULL, 0, &fs) != 0 ||
	    source_load(s, a, src, arr, NULL, 0, &ts) != 0)
		goto out;
	warn_versions(&fs.model, &ts.model);
	struct diff_result r = { 0 };
	schema_diff(a, &fs.model, &ts.model, &r);
	struct strbuf out = STRBUF_INIT;
	print_notes(&r, &out);
	if (r.n_stmts) {
		src = shown(a, src);
		fprintf(stderr, "retort: the migrations of '%s' at head differ from '%s': "
			"%zu statement%s would turn them into it\n", dir, src, r.n_stmts,
			r.n_stmts == 1 ? "" : "s");
		header(&out, arena_printf(a, "what turns %s at head into %s", dir, src), &fs.model, s);
		sb_add(&out, r.sql.buf, r.sql.len);
		fwrite(out.buf, 1, out.len, stdout);
		rc = X_DIFFERENT;
	} else {
		fprintf(stderr, "retort: the migrations of '%s' at head produce exactly '%s' (%s)\n",
			dir, shown(a, src), fs.model.server);
		rc = X_SAME;
	}
	sb_release(&out);
	diff_release(&r);
	if (ts.live)
		PQfinish(ts.conn);
out:
	scratch_close(s);
	return rc;
}

int schema_autogenerate(struct arena *a, struct autogen *g)
{
	struct ini_autogen ini;
	if (read_ini(a, g->dir, &ini) != 0)
		return -1;
	const char *src = g->schema;
	if (!src)
		src = ini.schema ? ini.schema : arena_printf(a, "%s/schema.sql", g->dir);
	const char *arr = schemas_array(a, g->schemas);
	struct scratch *s = scratch_new(a, g->dev_url, g->privileges || ini.privileges);
	struct source fs, ts;
	int rc = -1;
	if (g->to_revs)
		src = g->dir;
	if (scratch_reserve(s, 1 + !source_is_url(src)) != 0 ||
	    source_load(s, a, g->dir, arr, g->revs, g->n_revs, &fs) != 0 ||
	    source_load(s, a, src, arr, g->to_revs, g->n_to_revs, &ts) != 0)
		goto out;
	if (g->to_name)
		src = g->to_name;
	warn_versions(&fs.model, &ts.model);
	struct diff_result up = { 0 }, down = { 0 };
	schema_diff(a, &fs.model, &ts.model, &up);
	schema_diff(a, &ts.model, &fs.model, &down);
	struct strbuf ignored = STRBUF_INIT;
	print_notes(&up, &ignored);
	sb_release(&ignored);
	if (!up.n_stmts && !down.n_stmts) {
		fprintf(stderr, "retort: no changes: the head of '%s' already has the schema of '%s' "
			"(%s); nothing written\n", g->dir, shown(a, src), fs.model.server);
		rc = 1;
	} else if ((g->non_transactional = uses_new_enum_value(up.sql.buf) ||
					   uses_new_enum_value(down.sql.buf)),
		   prove(a, &fs, &ts.model, arr, up.sql.buf ? up.sql.buf : "",
			 down.sql.buf ? down.sql.buf : "", !g->non_transactional) == 0) {
		struct strbuf u = STRBUF_INIT;
		header(&u, arena_printf(a, "autogenerated from %s", shown(a, src)), &fs.model, s);
		if (g->non_transactional)
			sb_addstr(&u, "-- outside a transaction: a statement uses an enum value "
				  "added before it, which PostgreSQL refuses within the transaction that "
				  "added it\n\n");
		for (const char *p = up.notes.buf; p && *p;) {
			const char *nl = strchr(p, '\n');
			if (strncmp(p, "not compared", 12) == 0)
				sb_addf(&u, "-- %.*s\n", (int)(nl - p), p);
			p = nl + 1;
		}
		sb_add(&u, up.sql.buf ? up.sql.buf : "", up.sql.len);
		g->upgrade = sb_detach(&u);
		struct strbuf dn = STRBUF_INIT;
		sb_add(&dn, down.sql.buf ? down.sql.buf : "", down.sql.len);
		g->downgrade = sb_detach(&dn);
		rc = 0;
	} else {
		diag_detail("the revision was not written");
	}
	diff_release(&up);
	diff_release(&down);
	if (ts.live)
		PQfinish(ts.conn);
out:
	scratch_close(s);
	return rc;
}
