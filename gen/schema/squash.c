/*
 * squash.c - retort squash: one baseline for the history up to a revision
 *
 * The revisions from base up to REV (REV and all it stands on, by Revises
 * and Depends On) give way to one .sql baseline that creates REV's schema
 * at once. It keeps REV's id, so a database at REV or later is unaffected;
 * its "-- Replaces:" header lists the other ids, and the migrator refuses a
 * database at one of them. The schema is the autogenerate diff from `empty`
 * to REV's schema, built by applying the history up to REV to a scratch
 * database, or read from --from-url, a database at REV, when some of those
 * revisions do not compile. Nothing is written unless the baseline, applied
 * to an empty scratch database, gives exactly that schema and its
 * downgrade gives the empty database back.
 *
 * The squashed set must close: a revision outside it may stand on REV, but
 * not on a revision below REV, which would leave it standing on nothing.
 */
#include "schema/schema.h"

#include <errno.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdspec.h"
#include "diag.h"
#include "emit.h"
#include "folder.h"
#include "graph.h"
#include "revfile.h"
#include "sql/sqlhdr.h"

enum { SQ_OK = 0, SQ_FAILED = 1, SQ_USAGE = 2 };

static const char usage_squash[] =
	"usage: retort squash DIR --to REV [--from-url URL] [--move-to PATH]\n"
	"                     [--dev-url URL] [--schemas A,B] [--version-table NAME]\n"
	"\n"
	"Replaces the revisions from base up to REV by one baseline revision that\n"
	"creates REV's schema. The baseline keeps REV's id and lists the ids it\n"
	"replaces; the migrator refuses a database at one of them. Their files move\n"
	"to PATH (default DIR/squashed). Nothing is written unless the baseline,\n"
	"applied to an empty scratch database, gives exactly REV's schema.\n"
	"\n"
	"      --to REV         the newest revision to squash (id, prefix or label)\n"
	"      --from-url URL   read REV's schema from this database, which must be at\n"
	"                       REV (read only): for histories that do not compile\n"
	"      --move-to PATH   where the replaced files go (default DIR/squashed)\n"
	"      --dev-url URL    a server for scratch databases (default: RETORT_DEV_URL,\n"
	"                       else a throwaway cluster)\n"
	"      --schemas A,B    only these schemas (default: all but the system's)\n"
	"      --version-table NAME\n"
	"                       the version table of --from-url (default alembic_version)\n";

static int usage(const char *msg)
{
	fprintf(stderr, "retort: squash: %s\ntry 'retort squash --help'\n", msg);
	return SQ_USAGE;
}

static int cmp_ptr(const void *x, const void *y)
{
	const void *p = *(const void *const *)x, *q = *(const void *const *)y;
	return (p > q) - (p < q);
}

static bool is_failed(struct rev **failed, size_t n, const struct rev *r)
{
	return n && bsearch(&r, failed, n, sizeof *failed, cmp_ptr) != NULL;
}

/* The file name of a revision inside versions/. */
static const char *base_name(const struct rev *r)
{
	const char *p = r->rel_path ? r->rel_path : r->file->path;
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/*
 * Checks that the database of `url` is at exactly `rev`, reading its
 * version table in a read-only session. Returns 0, or -1 after reporting.
 */
static int check_at(const char *url, const char *table, const char *rev)
{
	const char *kw[] = { "dbname", "connect_timeout", "application_name", "options", NULL };
	const char *vals[] = { url, "10", "retort", "-c default_transaction_read_only=on", NULL };
	PGconn *c = PQconnectdbParams(kw, vals, 1);
	int rc = -1;
	if (PQstatus(c) != CONNECTION_OK) {
		diag_plain(DIAG_ERROR, NULL, "cannot connect to the database of --from-url: %s",
			   PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	/* "schema.table" or "table"; each part quoted by libpq. */
	struct strbuf q = STRBUF_INIT;
	sb_addstr(&q, "SELECT version_num FROM ");
	const char *dot = strchr(table, '.');
	char *part = PQescapeIdentifier(c, table, dot ? (size_t)(dot - table) : strlen(table));
	sb_addstr(&q, part ? part : "\"\"");
	PQfreemem(part);
	if (dot) {
		part = PQescapeIdentifier(c, dot + 1, strlen(dot + 1));
		sb_addch(&q, '.');
		sb_addstr(&q, part ? part : "\"\"");
		PQfreemem(part);
	}
	sb_addstr(&q, " ORDER BY version_num");
	PGresult *res = PQexec(c, q.buf);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		diag_plain(DIAG_ERROR, NULL, "cannot read the version table '%s' of --from-url: %s",
			   table, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
				  ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : PQerrorMessage(c));
		diag_hint("--from-url names a database at the revision squashed to; "
			  "--version-table names its version table");
	} else if (PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 0), rev) != 0) {
		struct strbuf at = STRBUF_INIT;
		for (int i = 0; i < PQntuples(res); i++)
			sb_addf(&at, "%s'%s'", i ? ", " : "", PQgetvalue(res, i, 0));
		diag_plain(DIAG_ERROR, NULL, "the database of --from-url is at %s, not at '%s'",
			   PQntuples(res) ? at.buf : "no revision", rev);
		diag_detail("the baseline must create the schema '%s' has; another revision's "
			    "schema would be wrong for every database upgraded from it", rev);
		diag_hint("upgrade a copy of a database to '%s' exactly and name that one", rev);
		sb_release(&at);
	} else {
		rc = 0;
	}
	PQclear(res);
	sb_release(&q);
	PQfinish(c);
	return rc;
}

/* mkdir -p; 0 or -1 after reporting. */
static int make_dirs(struct arena *a, const char *path)
{
	char *p = arena_strdup(a, path);
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_plain(DIAG_ERROR, NULL, "cannot create '%s': %s", p, strerror(errno));
			return -1;
		}
		*s = c;
		if (!c)
			return 0;
	}
}

struct squash {
	struct arena *a;
	const char *dir, *to, *from_url, *move_to, *version_table;
	struct autogen g;
	struct rev **all;      /* the folder in topological order */
	size_t n;
	size_t rev;            /* REV's index */
	bool *replaced;        /* below or at REV */
	size_t n_replaced;
};

/* The squashed set closes: nothing outside it stands on a revision below REV. */
static int check_closed(struct squash *q)
{
	unsigned errors = 0;
	const struct rev *top = q->all[q->rev];
	for (size_t i = 0; i < q->n; i++) {
		const struct rev *r = q->all[i];
		if (q->replaced[i])
			continue;
		for (size_t k = 0; k < r->parents.n + r->depends.n; k++) {
			bool parent = k < r->parents.n;
			size_t p = parent ? r->parent_ix[k] : r->depend_ix[k - r->parents.n];
			if (!q->replaced[p] || p == q->rev)
				continue;
			const struct rev_ref *ref = parent ? &r->parents.v[k]
							   : &r->depends.v[k - r->parents.n];
			diag_at(DIAG_ERROR, r->file, ref->off,
				"revision '%s' %s '%s', which squashing up to '%s' would replace",
				r->id, parent ? "revises" : "depends on", q->all[p]->id, top->id);
			diag_detail("a squash replaces '%s' and everything below it; '%s' branches "
				    "off below '%s' and would stand on nothing", top->id, r->id, top->id);
			diag_hint("squash up to a revision that '%s' is also below (merge the branches "
				  "first: retort merge), or up to one below '%s'", r->id, q->all[p]->id);
			errors++;
		}
	}
	return errors ? -1 : 0;
}

/* Text for one header or comment line: a .py docstring's first paragraph
 * may span lines, and a path may hold anything. */
static const char *one_line(struct arena *a, const char *s)
{
	char *r = arena_strdup(a, s);
	for (char *p = r; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return r;
}

/* The baseline's text: REV's header, Replaces, then the proven SQL. */
static void render(struct squash *q, struct strbuf *sb)
{
	const struct rev *top = q->all[q->rev];
	if (top->message[0])
		sb_addf(sb, "-- Message: %s\n", one_line(q->a, top->message));
	sb_addf(sb, "-- Revision ID: %s\n-- Revises:\n", top->id);
	if (top->create_date[0])
		sb_addf(sb, "-- Create Date: %s\n", one_line(q->a, top->create_date));
	bool first = true;
	for (size_t i = 0; i <= q->rev; i++) {
		for (size_t k = 0; q->replaced[i] && k < q->all[i]->labels.n; k++) {
			sb_addf(sb, "%s%s", first ? "-- Branch Labels: " : ", ",
				q->all[i]->labels.v[k].id);
			first = false;
		}
	}
	if (!first)
		sb_addch(sb, '\n');
	if (q->g.non_transactional)
		sb_addstr(sb, "-- Transactional: false\n");
	if (q->n_replaced > 1) {
		/* One line, oldest first: the header has no continuation lines. */
		sb_addstr(sb, "-- Replaces:");
		for (size_t i = 0; i < q->rev; i++)
			if (q->replaced[i])
				sb_addf(sb, " %s", q->all[i]->id);
		sb_addch(sb, '\n');
	}
	sb_addf(sb, "--\n-- A baseline written by retort squash with the schema of '%s'. The files\n"
		"-- of the revisions it replaces were moved to %s.\n"
		"-- A database at one of those is refused: upgrade it with an earlier release first.\n\n"
		"-- migrate:upgrade\n%s\n-- migrate:downgrade\n%s",
		top->id, one_line(q->a, q->move_to), q->g.upgrade, q->g.downgrade);
	if (sb->len && sb->buf[sb->len - 1] != '\n')
		sb_addch(sb, '\n');
}

/*
 * Reads the folder, revisions that do not compile included (their
 * diagnostics held back until it is clear whether they matter), orders it
 * and finds REV.
 */
static int load_graph(struct squash *q, struct folder *f, char **held, size_t *held_len)
{
	FILE *mem = open_memstream(held, held_len);
	if (!mem) {
		diag_plain(DIAG_ERROR, NULL, "out of memory");
		return -1;
	}
	FILE *saved = diag_stream;
	diag_stream = mem;
	folder_read(q->a, q->dir, f);
	q->n = f->n + f->n_failed;
	q->all = arena_alloc(q->a, (q->n + 1) * sizeof *q->all);
	memcpy(q->all, f->revs, f->n * sizeof *q->all);
	memcpy(q->all + f->n, f->failed, f->n_failed * sizeof *q->all);
	unsigned graph_errors = graph_order(q->a, q->all, q->n);
	diag_stream = saved;
	fclose(mem);
	if (f->n_unread || graph_errors || q->n == 0) {
		fputs(*held, stderr);
		diag_plain(DIAG_ERROR, NULL, "cannot squash '%s': %s", q->dir,
			   f->n_unread ? "some files do not even give their revision id"
			   : q->n ? "its revisions do not form a valid graph" : "it holds no revision");
		return -1;
	}
	long t = graph_find(q->all, q->n, q->to);
	if (t < 0)
		return -1;
	q->rev = (size_t)t;
	return 0;
}

/*
 * The baseline holds the schema, not rows: a replaced revision that writes
 * rows (a lookup table's contents) would leave a fresh database without
 * them. Said, not guessed at; revisions that did not compile are unknown.
 */
static void warn_rows(const struct squash *q)
{
	static const char *const verbs[] = { "INSERT", "UPDATE", "DELETE", "COPY", "MERGE" };
	for (size_t i = 0; i <= q->rev; i++) {
		const struct rev *r = q->all[i];
		for (size_t k = 0; q->replaced[i] && k < r->up.n; k++) {
			const char *p = r->up.v[k].sql;
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '(')
				p++;
			size_t v = 0;
			while (v < 5 && strncasecmp(p, verbs[v], strlen(verbs[v])) != 0)
				v++;
			if (v == 5)
				continue;
			fprintf(stderr, "retort: warning: %s writes rows (%s): the baseline creates "
				"the schema only; add rows a fresh database needs to its upgrade\n",
				r->file->path, verbs[v]);
			break;
		}
	}
}

/* Moves the replaced files to q->move_to; on failure puts back what moved. */
static int move_files(struct squash *q)
{
	const char *vdir = arena_printf(q->a, "%s/versions", q->dir);
	size_t moved = 0;
	for (size_t i = 0; i <= q->rev; i++) {
		if (!q->replaced[i])
			continue;
		const char *name = base_name(q->all[i]);
		const char *from = arena_printf(q->a, "%s/%s", vdir, name);
		const char *to = arena_printf(q->a, "%s/%s", q->move_to, name);
		if (rename(from, to) != 0) {
			diag_plain(DIAG_ERROR, NULL, "cannot move '%s' to '%s': %s", from, to,
				   strerror(errno));
			if (errno == EXDEV)
				diag_hint("give --move-to a directory on the same file system as '%s'", vdir);
			for (size_t k = 0; k < i && moved; k++) {
				if (!q->replaced[k])
					continue;
				name = base_name(q->all[k]);
				if (rename(arena_printf(q->a, "%s/%s", q->move_to, name),
					   arena_printf(q->a, "%s/%s", vdir, name)) == 0)
					moved--;
			}
			return -1;
		}
		moved++;
	}
	return 0;
}

static int squash(struct squash *q)
{
	struct folder f;
	char *held = NULL;
	size_t held_len = 0;
	int rc = -1;

	if (load_graph(q, &f, &held, &held_len) != 0)
		goto out;
	qsort(f.failed, f.n_failed, sizeof *f.failed, cmp_ptr);

	/* REV and all it stands on: one pass down the topological order. */
	q->replaced = arena_alloc(q->a, q->n + 1);
	q->replaced[q->rev] = true;
	for (size_t i = q->rev + 1; i-- > 0;) {
		const struct rev *r = q->all[i];
		if (!q->replaced[i])
			continue;
		q->n_replaced++;
		for (size_t k = 0; k < r->parents.n; k++)
			q->replaced[r->parent_ix[k]] = true;
		for (size_t k = 0; k < r->depends.n; k++)
			q->replaced[r->depend_ix[k]] = true;
	}
	if (check_closed(q) != 0)
		goto out;

	size_t failed_below = 0, failed_above = 0;
	for (size_t i = 0; i < q->n; i++)
		if (is_failed(f.failed, f.n_failed, q->all[i]))
			q->replaced[i] ? failed_below++ : failed_above++;
	if (failed_above || (failed_below && !q->from_url)) {
		fputs(held, stderr);
		if (failed_above) {
			diag_plain(DIAG_ERROR, NULL, "%zu revision%s after '%s' do%s not compile",
				   failed_above, failed_above == 1 ? "" : "s", q->all[q->rev]->id,
				   failed_above == 1 ? "es" : "");
			diag_detail("squash replaces only revisions up to '%s'; the folder must build "
				    "afterwards", q->all[q->rev]->id);
			diag_hint("fix them, or squash up to a revision above them");
		} else {
			diag_plain(DIAG_ERROR, NULL, "%zu revision%s up to '%s' do%s not compile: "
				   "the schema of '%s' cannot be built from the history", failed_below,
				   failed_below == 1 ? "" : "s", q->all[q->rev]->id,
				   failed_below == 1 ? "es" : "", q->all[q->rev]->id);
			diag_hint("pass --from-url postgresql://... naming a database at '%s' "
				  "(it is only read)", q->all[q->rev]->id);
		}
		goto out;
	}
	for (size_t i = 0; i < q->n; i++)
		if (is_failed(f.failed, f.n_failed, q->all[i]))
			fprintf(stderr, "retort: note: %s does not compile; it is replaced, and the "
				"schema is read from --from-url\n", q->all[i]->file->path);
	/* Their errors are settled: what follows counts its own. */
	diag_reset();

	/* The target may not already be there: checked before any work. */
	const struct rev *top = q->all[q->rev];
	const char *name = arena_printf(q->a, "%s_%s.sql", top->id,
					revfile_slug(q->a, top->message[0] ? top->message : "baseline"));
	const char *path = arena_printf(q->a, "%s/versions/%s", q->dir, name);
	bool path_is_replaced = false;
	for (size_t i = 0; i <= q->rev; i++) {
		if (!q->replaced[i])
			continue;
		const char *dest = arena_printf(q->a, "%s/%s", q->move_to, base_name(q->all[i]));
		if (access(dest, F_OK) == 0) {
			diag_plain(DIAG_ERROR, NULL, "'%s' already exists", dest);
			diag_hint("choose another --move-to");
			goto out;
		}
		path_is_replaced |= strcmp(base_name(q->all[i]), name) == 0;
	}
	if (!path_is_replaced && access(path, F_OK) == 0) {
		diag_plain(DIAG_ERROR, NULL, "'%s' already exists", path);
		goto out;
	}

	if (q->from_url && check_at(q->from_url, q->version_table, top->id) != 0)
		goto out;

	q->g.dir = q->dir;
	q->g.revs = arena_alloc(q->a, sizeof *q->g.revs); /* from nothing: `empty` */
	q->g.n_revs = 0;
	if (q->from_url) {
		q->g.schema = q->from_url;
	} else {
		q->g.to_revs = arena_alloc(q->a, (q->n + 1) * sizeof *q->g.to_revs);
		for (size_t i = 0; i <= q->rev; i++)
			if (q->replaced[i])
				q->g.to_revs[q->g.n_to_revs++] = q->all[i];
		q->g.to_name = arena_printf(q->a, "%s at %s", q->dir, top->id);
	}
	int ag = schema_autogenerate(q->a, &q->g);
	if (ag < 0) {
		diag_detail("nothing was written or moved");
		goto out;
	}
	if (ag == 1) {
		/* REV's schema is empty: so is the baseline. */
		q->g.upgrade = strdup("");
		q->g.downgrade = strdup("");
	}

	/* The new folder must build: the baseline parses and fits the graph. */
	struct strbuf text = STRBUF_INIT;
	render(q, &text);
	struct src_file *bf = arena_alloc(q->a, sizeof *bf);
	bf->path = path;
	bf->text = arena_strndup(q->a, text.buf, text.len);
	bf->len = text.len;
	struct rev *b = arena_alloc(q->a, sizeof *b);
	unsigned errors = sqlhdr_parse(q->a, bf, b);
	if (!errors) {
		struct rev **kept = arena_alloc(q->a, (q->n + 1) * sizeof *kept);
		size_t n_kept = 0;
		for (size_t i = 0; i < q->n; i++)
			if (!q->replaced[i])
				kept[n_kept++] = q->all[i];
		kept[n_kept++] = b;
		errors = graph_order(q->a, kept, n_kept);
	}
	if (errors) {
		diag_detail("the baseline was not written; nothing was moved");
		sb_release(&text);
		goto out;
	}
	if (make_dirs(q->a, q->move_to) != 0 || move_files(q) != 0) {
		sb_release(&text);
		goto out;
	}
	if (emit_write_file(path, text.buf, text.len) != 0) {
		sb_release(&text);
		goto out;
	}
	sb_release(&text);
	printf("%s\n", path);
	warn_rows(q);
	fprintf(stderr, "retort: squashed %zu revision%s up to '%s' into %s; their files are in %s\n",
		q->n_replaced, q->n_replaced == 1 ? "" : "s", top->id, path, q->move_to);
	rc = 0;
out:
	free(q->g.upgrade);
	free(q->g.downgrade);
	free(held);
	return rc;
}

int schema_cmd_squash(int argc, char **argv, struct arena *a)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "from-url", required_argument, NULL, 'f' },
		{ "move-to", required_argument, NULL, 'm' },
		{ "dev-url", required_argument, NULL, 'd' },
		{ "schemas", required_argument, NULL, 's' },
		{ "version-table", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct squash q = { .a = a, .version_table = "alembic_version" };
	int c;

	while ((c = spec_getopt(argc, argv, ":h", opts, NULL, 0)) != -1) {
		switch (c) {
		case 't': q.to = optarg; break;
		case 'f': q.from_url = optarg; break;
		case 'm': q.move_to = optarg; break;
		case 'd': q.g.dev_url = optarg; break;
		case 's': q.g.schemas = optarg; break;
		case 'v': q.version_table = optarg; break;
		case 'h': fputs(usage_squash, stdout); return SQ_OK;
		case ':': return usage("an option needs a value");
		default: return usage("unknown option");
		}
	}
	if (optind != argc - 1)
		return usage(optind == argc ? "missing DIR" : "too many arguments");
	if (!q.to)
		return usage("missing --to REV");
	if (q.from_url && strncmp(q.from_url, "postgresql://", 13) != 0 &&
	    strncmp(q.from_url, "postgres://", 11) != 0)
		return usage("--from-url takes a postgresql:// URL");
	q.dir = argv[optind];
	if (!q.move_to)
		q.move_to = arena_printf(a, "%s/squashed", q.dir);
	if (squash(&q) != 0) {
		unsigned n = diag_errors();
		if (n)
			fprintf(stderr, "retort: %u error%s\n", n, n == 1 ? "" : "s");
		return SQ_FAILED;
	}
	return SQ_OK;
}
