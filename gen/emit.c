/*
 * emit.c - write the C data file for an ordered set of revisions
 *
 * The output is written for a reviewer reading a release diff: a banner per
 * revision, one string piece per SQL source line, and comments that say what
 * each table field means. It must also carry any byte sequence through
 * exactly, whatever the compiler's character set handling, so every byte
 * outside printable ASCII becomes a three-digit octal escape (a hex escape
 * would swallow the digits that follow it).
 */
#include "emit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "folder.h"
#include "migration.h"
#include "sql/sqllex.h"

/* Output columns after which a string piece is closed and another begun. */
enum { PIECE_WIDTH = 100 };

static void hex(const unsigned char *md, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

static EVP_MD_CTX *sha_begin(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "retort: error: cannot initialise SHA-256\n");
		exit(1);
	}
	return ctx;
}

static void sha_end(EVP_MD_CTX *ctx, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	hex(md, 32, out);
}

/*
 * The checksum input, version 1 (never change it: databases keep checksums
 * computed by old generators; a new scheme gets a new "sha256-vN" name):
 *
 *     for each upgrade statement:    normalize(statement) "\n"
 *     "--\n"
 *     for each downgrade statement:  normalize(statement) "\n"
 *     "downgrade\n" if the file has a downgrade section, else "no downgrade\n"
 *
 * where normalize() is sqllex_normalize(). Migrators still carry it, so that
 * log rows written by older migrators verify.
 */
void emit_checksum_v1(const struct rev *r, char out[EMIT_CHECKSUM_V1_SIZE])
{
	EVP_MD_CTX *ctx = sha_begin();
	struct strbuf sb = STRBUF_INIT;

	for (int half = 0; half < 2; half++) {
		const struct stmt_list *l = half ? &r->down : &r->up;
		if (half)
			EVP_DigestUpdate(ctx, "--\n", 3);
		for (size_t i = 0; i < l->n; i++) {
			sb_reset(&sb);
			sqllex_normalize(l->v[i].sql, l->v[i].len, &sb);
			EVP_DigestUpdate(ctx, sb.buf ? sb.buf : "", sb.len);
			EVP_DigestUpdate(ctx, "\n", 1);
		}
	}
	const char *tail = r->down.present ? "downgrade\n" : "no downgrade\n";
	EVP_DigestUpdate(ctx, tail, strlen(tail));
	sb_release(&sb);
	memcpy(out, "sha256-v1:", 10);
	sha_end(ctx, out + 10);
}

/*
 * The checksum input, version 2 (fixed forever, like version 1). Two
 * digests, so that an applied revision's upgrade and downgrade are judged
 * apart (an edited downgrade matters only when it is about to run):
 *
 *     upgrade:    for each upgrade statement:    canon(statement) "\n"
 *     downgrade:  for each downgrade statement:  canon(statement) "\n"
 *                 "downgrade\n" if the file has a downgrade section,
 *                 else "no downgrade\n"
 *
 * where canon() is sqllex_canon(): the tokens, one space apart, whatever
 * the layout, comments or final ';'. The checksum is "sha256-v2:" and the
 * upgrade's 64 hex digits followed by the downgrade's.
 */
static void half_v2(const struct stmt_list *l, const char *tail, struct strbuf *sb, char out[65])
{
	EVP_MD_CTX *ctx = sha_begin();

	for (size_t i = 0; i < l->n; i++) {
		sb_reset(sb);
		sqllex_canon(l->v[i].sql, l->v[i].len, sb);
		EVP_DigestUpdate(ctx, sb->buf ? sb->buf : "", sb->len);
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	if (tail)
		EVP_DigestUpdate(ctx, tail, strlen(tail));
	sha_end(ctx, out);
}

void emit_checksum(const struct rev *r, char out[EMIT_CHECKSUM_SIZE])
{
	struct strbuf sb = STRBUF_INIT;

	memcpy(out, "sha256-v2:", 10);
	half_v2(&r->up, NULL, &sb, out + 10);
	half_v2(&r->down, r->down.present ? "downgrade\n" : "no downgrade\n", &sb, out + 10 + 64);
	sb_release(&sb);
}

void emit_digest(struct rev *const *revs, size_t n, char out[65])
{
	EVP_MD_CTX *ctx = sha_begin();
	char sum[EMIT_CHECKSUM_SIZE];

	for (size_t i = 0; i < n; i++) {
		emit_checksum(revs[i], sum);
		EVP_DigestUpdate(ctx, revs[i]->id, strlen(revs[i]->id));
		EVP_DigestUpdate(ctx, "\t", 1);
		EVP_DigestUpdate(ctx, sum, strlen(sum));
		EVP_DigestUpdate(ctx, "\n", 1);
	}
	sha_end(ctx, out);
}

/*
 * Text from a migration inside a comment: printable ASCII only, and never
 * anything that could end the comment, open a nested one (-Wcomment) or form
 * a trigraph (-Wtrigraphs).
 */
static void comment_text(struct strbuf *sb, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e)
			c = '.';
		sb_addch(sb, c);
		if ((c == '*' && s[i + 1] == '/') || (c == '/' && s[i + 1] == '*') ||
		    (c == '?' && s[i + 1] == '?'))
			sb_addch(sb, ' ');
	}
}

/*
 * A C string literal for s[0..len), split after each newline and wherever
 * the current piece gets wider than PIECE_WIDTH. Continuation pieces start
 * on a new line with `indent`.
 */
static void c_string(struct strbuf *sb, const char *s, size_t len, const char *indent)
{
	size_t width = 0;

	sb_addch(sb, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (width >= PIECE_WIDTH) {
			sb_addf(sb, "\"\n%s\"", indent);
			width = 0;
		}
		size_t before = sb->len;
		switch (c) {
		case '\n': sb_addstr(sb, "\\n"); break;
		case '\t': sb_addstr(sb, "\\t"); break;
		case '\\': sb_addstr(sb, "\\\\"); break;
		case '"':  sb_addstr(sb, "\\\""); break;
		/* "??=" and friends are trigraphs under -std=c11. */
		case '?':  sb_addstr(sb, "\\?"); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				sb_addch(sb, c);
			else
				sb_addf(sb, "\\%03o", c);
		}
		width += sb->len - before;
		if (c == '\n' && i + 1 < len) {
			sb_addf(sb, "\"\n%s\"", indent);
			width = 0;
		}
	}
	sb_addch(sb, '"');
}

static void c_str(struct strbuf *sb, const char *s, const char *indent)
{
	c_string(sb, s, strlen(s), indent);
}

static void stmt_flags(struct strbuf *sb, unsigned flags)
{
	if (flags == 0)
		sb_addch(sb, '0');
	else if (flags == RT_STMT_AUTOCOMMIT)
		sb_addstr(sb, "RT_STMT_AUTOCOMMIT");
	else
		sb_addf(sb, "0x%xu", flags);
}

/*
 * Line and column of offsets visited mostly in increasing order, in time
 * linear in the file: src_linecol() scans from the start each time, which
 * made a file of a million statements take minutes. Same results.
 */
struct linecur {
	const struct src_file *f;
	size_t off, bol;
	unsigned line;
};

static void linecur_at(struct linecur *c, size_t off, unsigned *line, unsigned *col)
{
	if (off > c->f->len)
		off = c->f->len;
	if (off < c->off || c->line == 0) {
		c->off = c->bol = 0;
		c->line = 1;
	}
	for (; c->off < off; c->off++)
		if (c->f->text[c->off] == '\n')
			c->line++, c->bol = c->off + 1;
	*line = c->line;
	*col = (unsigned)(off - c->bol) + 1;
}

static void emit_stmts(struct strbuf *out, const struct rev *r, size_t ix,
		       const struct stmt_list *l, const char *half)
{
	struct linecur cur = { .f = r->file };

	if (!l->n)
		return;
	sb_addf(out, "static const struct rt_stmt r%zu_%s[] = {\n", ix, half);
	for (size_t i = 0; i < l->n; i++) {
		const struct stmt *st = &l->v[i];
		unsigned line, col;
		linecur_at(&cur, st->off, &line, &col);
		sb_addf(out, "\t{ %u, %u, ", line, col);
		stmt_flags(out, st->flags);
		sb_addstr(out, ",\n\t  ");
		c_string(out, st->sql, st->len, "\t  ");
		sb_addstr(out, " },\n");
	}
	sb_addstr(out, "};\n");
}

static void emit_ix_array(struct strbuf *out, size_t ix, const char *what,
			  const size_t *v, size_t n)
{
	if (!n)
		return;
	sb_addf(out, "static const unsigned r%zu_%s[] = {", ix, what);
	for (size_t i = 0; i < n; i++)
		sb_addf(out, "%s%zu", i ? ", " : " ", v[i]);
	sb_addstr(out, " };\n");
}

static void emit_banner(struct strbuf *out, struct rev *const *revs, size_t n, size_t ix)
{
	const struct rev *r = revs[ix];

	sb_addf(out, "\n/*\n * ---- %zu/%zu: ", ix + 1, n);
	comment_text(out, r->id);
	sb_addstr(out, " ----\n");
	if (r->message[0]) {
		sb_addstr(out, " * ");
		comment_text(out, r->message);
		sb_addch(out, '\n');
	}
	sb_addstr(out, " * ");
	comment_text(out, r->rel_path ? r->rel_path : r->file->path);
	sb_addstr(out, "\n */\n");
}

static void emit_revision_data(struct strbuf *out, struct rev *const *revs, size_t n,
			       size_t ix)
{
	const struct rev *r = revs[ix];

	emit_banner(out, revs, n, ix);
	emit_stmts(out, r, ix, &r->up, "up");
	emit_stmts(out, r, ix, &r->down, "down");
	emit_ix_array(out, ix, "parents", r->parent_ix, r->parents.n);
	emit_ix_array(out, ix, "depends", r->depend_ix, r->depends.n);
	if (r->labels.n) {
		sb_addf(out, "static const char *const r%zu_labels[] = {", ix);
		for (size_t i = 0; i < r->labels.n; i++) {
			sb_addstr(out, i ? ", " : " ");
			c_str(out, r->labels.v[i].id, "\t");
		}
		sb_addstr(out, " };\n");
	}
	if (r->replaces.n) {
		/* One id a line: a baseline may stand for hundreds. */
		sb_addstr(out, "/* Replaces: squashed into this baseline; a database at one is refused. */\n");
		sb_addf(out, "static const char *const r%zu_replaces[] = {\n", ix);
		for (size_t i = 0; i < r->replaces.n; i++) {
			sb_addch(out, '\t');
			c_str(out, r->replaces.v[i].id, "\t");
			sb_addstr(out, ",\n");
		}
		sb_addstr(out, "};\n");
	}
}

static void emit_array_ref(struct strbuf *out, size_t ix, const char *what, size_t n)
{
	if (n)
		sb_addf(out, "r%zu_%s", ix, what);
	else
		sb_addch(out, '0');
}

static void emit_script(struct strbuf *out, size_t ix, const char *field,
			const struct stmt_list *l, const char *half)
{
	sb_addf(out, "\t\t.%s = { %d, %zu, ", field, l->present ? 1 : 0, l->n);
	emit_array_ref(out, ix, half, l->n);
	sb_addstr(out, " },\n");
}

static void emit_revision_entry(struct strbuf *out, struct rev *const *revs, size_t ix)
{
	const struct rev *r = revs[ix];
	char sha[65], sum[EMIT_CHECKSUM_SIZE], v1[EMIT_CHECKSUM_V1_SIZE];

	hex(r->sha256, 32, sha);
	emit_checksum(r, sum);
	emit_checksum_v1(r, v1);
	sb_addf(out, "\t{\t/* %zu */\n\t\t.id = ", ix);
	c_str(out, r->id, "\t\t      ");
	sb_addstr(out, ",\n\t\t.message = ");
	c_str(out, r->message, "\t\t\t   ");
	sb_addstr(out, ",\n\t\t.create_date = ");
	c_str(out, r->create_date, "\t\t\t       ");
	sb_addstr(out, ",\n\t\t.path = ");
	c_str(out, r->rel_path ? r->rel_path : r->file->path, "\t\t\t");
	sb_addf(out, ",\n\t\t.sha256 = \"%s\",\n\t\t.checksum = \"%.74s\"\n\t\t\t    \"%s\",\n"
		"\t\t.checksum_v1 = \"%s\",\n", sha, sum, sum + 74, v1);
	sb_addf(out, "\t\t.transactional = %d,\n", r->transactional ? 1 : 0);
	sb_addf(out, "\t\t.n_parents = %zu, .parents = ", r->parents.n);
	emit_array_ref(out, ix, "parents", r->parents.n);
	sb_addf(out, ",\n\t\t.n_depends = %zu, .depends = ", r->depends.n);
	emit_array_ref(out, ix, "depends", r->depends.n);
	sb_addf(out, ",\n\t\t.n_labels = %zu, .labels = ", r->labels.n);
	emit_array_ref(out, ix, "labels", r->labels.n);
	sb_addstr(out, ",\n");
	emit_script(out, ix, "upgrade", &r->up, "up");
	emit_script(out, ix, "downgrade", &r->down, "down");
	if (r->replaces.n)
		sb_addf(out, "\t\t.n_replaces = %zu, .replaces = r%zu_replaces,\n", r->replaces.n, ix);
	sb_addstr(out, "\t},\n");
}

static const char field_guide[] =
	"/*\n"
	" * Statement tables hold { line, col, flags, sql }:\n"
	" *   line, col  where the statement's first token is in its file\n"
	" *              (1-based; the column counts bytes)\n"
	" *   flags      RT_STMT_AUTOCOMMIT: runs alone, outside any transaction\n"
	" *   sql        the statement exactly as written, one string piece per\n"
	" *              source line (long lines are split; the bytes are the same)\n"
	" * Index tables (rN_parents, rN_depends) point into revisions[] below.\n"
	" */\n";

static const char revision_guide[] =
	"\n"
	"/*\n"
	" * revisions[] in topological order: parents and dependencies first.\n"
	" *   id             the version_num stored in alembic_version\n"
	" *   message        the Message header, \"\" when absent\n"
	" *   create_date    the Create Date header, \"\" when absent\n"
	" *   path           the source file, relative to the migration folder\n"
	" *   sha256         hex SHA-256 of the source file's bytes\n"
	" *   checksum       \"sha256-v2:\", the hex SHA-256 of the upgrade's\n"
	" *                  statements, then the downgrade's, without comments or\n"
	" *                  layout (see retort's emit.c)\n"
	" *   checksum_v1    the checksum older migrators logged, to verify their rows\n"
	" *   transactional  0: every statement runs outside a transaction\n"
	" *   parents        Revises, as indexes into revisions[] (0 = none)\n"
	" *   depends        Depends On, as indexes into revisions[]\n"
	" *   labels         Branch Labels\n"
	" *   upgrade, downgrade  { present, n_stmts, stmts }; present = 0 when\n"
	" *                  the file has no such section\n"
	" */\n";

void emit_c(struct strbuf *out, struct rev *const *revs, size_t n, const char *name)
{
	char digest[65];

	sb_addf(out, "/* Generated by retort %s from ", RETORT_VERSION);
	comment_text(out, name);
	sb_addstr(out, ". Do not edit. */\n"
		  "#include \"migration.h\"\n"
		  "\n"
		  "#if RT_FORMAT != 2\n"
		  "#error \"generated for migration.h format 2: regenerate it with this retort\"\n"
		  "#endif\n"
		  "\n");
	if (n) {
		sb_addstr(out, field_guide);
		for (size_t i = 0; i < n; i++)
			emit_revision_data(out, revs, n, i);
		sb_addstr(out, revision_guide);
		sb_addstr(out, "static const struct rt_revision revisions[] = {\n");
		for (size_t i = 0; i < n; i++)
			emit_revision_entry(out, revs, i);
		sb_addstr(out, "};\n\n");
	}
	emit_digest(revs, n, digest);
	sb_addf(out,
		"const struct rt_set rt_migration_set = {\n"
		"\t.format = 2,\n"
		"\t.generator = \"retort %s\",\n"
		"\t/* hex SHA-256 over each revision's \"id\\tchecksum\\n\", in order */\n"
		"\t.digest = \"%s\",\n"
		"\t.n_revisions = %zu,\n"
		"\t.revisions = %s,\n"
		"};\n",
		RETORT_VERSION, digest, n, n ? "revisions" : "0");
}

int emit_write_file(const char *path, const char *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	sb_addf(&tmp, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp.buf);
	if (fd < 0) {
		fprintf(stderr, "retort: error: cannot create '%s': %s\n", tmp.buf, strerror(errno));
		sb_release(&tmp);
		return -1;
	}
	/* mkstemp makes the file private; give it the usual permissions. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);

	int err = folder_write_close(fd, data, len);
	if (!err && rename(tmp.buf, path) != 0)
		err = errno;
	if (err) {
		fprintf(stderr, "retort: error: cannot write '%s': %s\n", path, strerror(err));
		unlink(tmp.buf);
		sb_release(&tmp);
		return -1;
	}
	sb_release(&tmp);
	return 0;
}
