/*
 * check_gen_emit.c - the generated C file: golden text, exact round trip of
 * any byte through a real compiler, checksums, and the retort command line
 * end to end
 *
 * Golden files live in tests/golden/; run with RETORT_UPDATE_GOLDEN=1 to
 * rewrite them after an intended change (then review the diff).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "emit.h"
#include "graph.h"
#include "migration.h"
#include "sql/sqllex.h"
#include "testutil.h"

static struct arena arena;
static char tmpdir[] = "/tmp/check_gen_emit.XXXXXX";

static const char *cc(void)
{
	const char *c = getenv("CC");
	return c && *c ? c : "cc";
}

#define STRICT "-std=c11 -Wall -Wextra -Wshadow -Wundef -Wwrite-strings " \
	"-Wredundant-decls -Wmissing-declarations -Wstrict-prototypes " \
	"-Wmissing-prototypes -Werror"

/* Runs a shell command; returns its status, stdout in *out (caller frees). */
static int sh(const char *cmd, char **out, char **err)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c", (char *)cmd, NULL };
	return tu_run(argv, NULL, out, err);
}

/* ---- building revisions in memory --------------------------------------- */

struct build {
	struct rev *r;
	struct strbuf text;
};

static void b_begin(struct build *b, const char *id, const char *path)
{
	b->r = arena_alloc(&arena, sizeof *b->r);
	b->r->id = arena_strdup(&arena, id);
	b->r->message = b->r->create_date = "";
	b->r->transactional = true;
	struct src_file *f = arena_alloc(&arena, sizeof *f);
	f->path = arena_strdup(&arena, path);
	b->r->file = f;
	b->text = (struct strbuf)STRBUF_INIT;
	sb_addf(&b->text, "-- Revision ID: %s\n", id);
	b->r->id_off = 16;
}

static void b_parent(struct build *b, const char *id)
{
	struct rev_refs *p = &b->r->parents;
	arena_grow(&arena, &p->v, &p->cap, p->n + 1, sizeof *p->v);
	p->v[p->n++] = (struct rev_ref){ arena_strdup(&arena, id), 0 };
}

static void b_label(struct build *b, const char *l)
{
	struct rev_refs *p = &b->r->labels;
	arena_grow(&arena, &p->v, &p->cap, p->n + 1, sizeof *p->v);
	p->v[p->n++] = (struct rev_ref){ arena_strdup(&arena, l), 0 };
}

/* Appends a statement of `len` bytes to the upgrade (up) or downgrade. */
static void b_stmt(struct build *b, bool up, const char *sql, size_t len, unsigned flags)
{
	struct stmt_list *l = up ? &b->r->up : &b->r->down;
	l->present = true;
	arena_grow(&arena, &l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = (struct stmt){ b->text.len, flags, arena_strndup(&arena, sql, len), len };
	sb_add(&b->text, sql, len);
	sb_addch(&b->text, '\n');
}

static void b_str(struct build *b, bool up, const char *sql, unsigned flags)
{
	b_stmt(b, up, sql, strlen(sql), flags);
}

static struct rev *b_end(struct build *b)
{
	struct src_file *f = (struct src_file *)b->r->file;
	f->text = arena_strndup(&arena, b->text.buf, b->text.len);
	f->len = b->text.len;
	EVP_Digest(f->text, f->len, b->r->sha256, NULL, EVP_sha256(), NULL);
	sb_release(&b->text);
	return b->r;
}

static void setup(void)
{
	diag_reset();
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmpdir, "/tmp/check_gen_emit.XXXXXX");
	arena_free(&arena);
}

static char *emit_to_string(struct rev **v, size_t n, const char *name)
{
	ck_assert_uint_eq(graph_order(&arena, v, n), 0);
	struct strbuf sb = STRBUF_INIT;
	emit_c(&sb, v, n, name);
	return sb_detach(&sb);
}

/* Like ck_assert_str_eq, but names the first differing line (Check caps message size). */
static void text_eq(const char *got, const char *want, const char *what)
{
	size_t i = 0, line = 1, bol = 0;
	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n')
			line++, bol = i + 1;
		i++;
	}
	ck_assert_msg(got[i] == want[i], "%s differs at line %zu:\n got: %.200s\nwant: %.200s",
		      what, line, got + bol, want + bol);
}

static void check_golden(const char *name, const char *got)
{
	char path[256];
	snprintf(path, sizeof path, "tests/golden/%s", name);
	const char *upd = getenv("RETORT_UPDATE_GOLDEN");
	if (upd && *upd)
		tu_write_file(path, got);
	char *want = tu_read_file(path, NULL);
	ck_assert_msg(want != NULL, "missing %s (RETORT_UPDATE_GOLDEN=1 writes it)", path);
	text_eq(got, want, path);
	free(want);
}

/* Compiles `c_text` with the strict warning set plus -Werror. */
static void check_compiles(const char *c_text)
{
	char src[256], cmd[1024];
	snprintf(src, sizeof src, "%s/gen.c", tmpdir);
	tu_write_file(src, c_text);
	snprintf(cmd, sizeof cmd, "%s " STRICT " -Iruntime -c -o %s/gen.o %s", cc(), tmpdir, src);
	char *out, *err;
	int rc = sh(cmd, &out, &err);
	ck_assert_msg(rc == 0 && !*err, "%s\n%.1000s%.2000s", cmd, out, err);
	free(out);
	free(err);
}

/* ---- golden ----------------------------------------------------------------- */

static struct rev **small_set(size_t *n)
{
	struct rev **v = arena_alloc(&arena, 4 * sizeof *v);
	struct build b;

	b_begin(&b, "1a2b3c4d5e6f", "versions/1a2b3c4d5e6f_create_users.sql");
	b.r->message = "create users";
	b.r->create_date = "2024-05-01 10:00:00";
	b_str(&b, true, "CREATE TABLE users (\n\tid bigint PRIMARY KEY,\n"
			"\tname text NOT NULL DEFAULT 'it''s \"x\"'\n);", 0);
	b_str(&b, false, "DROP TABLE users;", 0);
	v[0] = b_end(&b);

	b_begin(&b, "9f8e7d6c5b4a", "versions/9f8e7d6c5b4a_index.sql");
	b.r->message = "index */ names ?\?= ok";
	b.r->transactional = false;
	b_parent(&b, "1a2b3c4d5e6f");
	b_label(&b, "core");
	b_str(&b, true, "CREATE INDEX CONCURRENTLY users_name ON users (name);",
	      RT_STMT_AUTOCOMMIT);
	v[1] = b_end(&b);

	b_begin(&b, "0aa0", "versions/0aa0_other_branch.sql");
	b_parent(&b, "1a2b3c4d5e6f");
	v[2] = b_end(&b);
	struct rev_refs *d = &v[2]->depends;
	arena_grow(&arena, &d->v, &d->cap, 1, sizeof *d->v);
	d->v[d->n++] = (struct rev_ref){ "9f8e7d6c5b4a", 0 };
	*n = 3;
	return v;
}

START_TEST(golden_small)
{
	size_t n;
	struct rev **v = small_set(&n);
	char *c = emit_to_string(v, n, "migrations");
	check_golden("emit_small.c", c);
	check_compiles(c);
	free(c);
}
END_TEST

/* A squash baseline: its Replaces go out as one id a line. */
START_TEST(golden_baseline)
{
	struct build b;
	b_begin(&b, "d4d4", "versions/d4d4_baseline.sql");
	b.r->message = "baseline";
	b_str(&b, true, "CREATE TABLE users (id bigint PRIMARY KEY);", 0);
	b_str(&b, false, "DROP TABLE users;", 0);
	struct rev *r = b_end(&b);
	static const char *const ids[] = { "a1a1", "b2b2", "c3c3" };
	for (size_t i = 0; i < 3; i++) {
		arena_grow(&arena, &r->replaces.v, &r->replaces.cap, r->replaces.n + 1,
			   sizeof *r->replaces.v);
		r->replaces.v[r->replaces.n++] = (struct rev_ref){ ids[i], 0 };
	}
	char *c = emit_to_string(&r, 1, "migrations");
	check_golden("emit_baseline.c", c);
	check_compiles(c);
	free(c);
}
END_TEST

START_TEST(golden_empty)
{
	char *c = emit_to_string(NULL, 0, "empty");
	check_golden("emit_empty.c", c);
	check_compiles(c);
	free(c);
}
END_TEST

/* Same revisions in any read order: the same bytes. */
START_TEST(output_is_deterministic)
{
	size_t n;
	struct rev **v = small_set(&n);
	char *first = emit_to_string(v, n, "m");
	struct rev *t = v[0];
	v[0] = v[2], v[2] = t;
	char *again = emit_to_string(v, n, "m");
	ck_assert_str_eq(first, again);
	free(first);
	free(again);
}
END_TEST

/* ---- round trip ------------------------------------------------------------- */

static const char dump_main[] =
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"#include \"migration.h\"\n"
	"static void put(const char *s) { printf(\"%zu:\", strlen(s)); fputs(s, stdout); }\n"
	"int main(void)\n"
	"{\n"
	"\tconst struct rt_set *s = &rt_migration_set;\n"
	"\tfor (unsigned i = 0; i < s->n_revisions; i++) {\n"
	"\t\tconst struct rt_revision *r = &s->revisions[i];\n"
	"\t\tput(r->id); put(r->message); put(r->path);\n"
	"\t\tfor (unsigned j = 0; j < r->n_labels; j++) put(r->labels[j]);\n"
	"\t\tfor (unsigned j = 0; j < r->upgrade.n_stmts; j++) {\n"
	"\t\t\tprintf(\"@%u,%u,%u\", r->upgrade.stmts[j].line, r->upgrade.stmts[j].col,\n"
	"\t\t\t       r->upgrade.stmts[j].flags);\n"
	"\t\t\tput(r->upgrade.stmts[j].sql);\n"
	"\t\t}\n"
	"\t}\n"
	"\treturn 0;\n"
	"}\n";

static void put(struct strbuf *sb, const char *s, size_t len)
{
	sb_addf(sb, "%zu:", len);
	sb_add(sb, s, len);
}

START_TEST(round_trip_any_byte)
{
	struct build b;
	char all[255];
	for (int i = 0; i < 255; i++)
		all[i] = (char)(i + 1);

	/* 100 KB in one statement, with digits right after octal escapes. */
	size_t big_len = 100 * 1024;
	char *big = malloc(big_len);
	for (size_t i = 0; i < big_len; i++)
		big[i] = "\x01" "7\"\\?" "?\?=" "*/" "\xe9" "0a\n\r\t "[i % 16];

	static const char *const tricky[] = {
		"SELECT '?\?=' AS trigraph, '?\?/' AS t2, '?\?(?\?)' AS t3;",
		"SELECT '*/' /* not a comment */; -- */",
		"SELECT E'\\\\\\\"' \"q\"\"x\";",
		"SELECT '\x80\xff\x01' || '1' || '\0017';",
		"",
	};

	b_begin(&b, "rt1", "versions/rt1_*/?\?=.sql");
	b.r->message = "msg */ with \"quotes\" \\ ?\?= and \x7f\xc3\xa9\n newline";
	b_label(&b, "lab\"el?\?=");
	b_stmt(&b, true, all, sizeof all, 0);
	b_stmt(&b, true, big, big_len, RT_STMT_AUTOCOMMIT);
	for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
		b_stmt(&b, true, tricky[i], strlen(tricky[i]), 0);
	struct rev *r = b_end(&b);
	struct rev *v[1] = { r };
	char *c = emit_to_string(v, 1, "round */ trip ?\?=");

	/* No line of the generated file is huge. */
	size_t longest = 0, cur = 0;
	for (const char *p = c; *p; p++) {
		cur = *p == '\n' ? 0 : cur + 1;
		if (cur > longest)
			longest = cur;
	}
	ck_assert_uint_le(longest, 120);

	char gen[256], mainc[256], cmd[1024];
	snprintf(gen, sizeof gen, "%s/gen.c", tmpdir);
	snprintf(mainc, sizeof mainc, "%s/main.c", tmpdir);
	tu_write_file(gen, c);
	tu_write_file(mainc, dump_main);
	snprintf(cmd, sizeof cmd,
		 "%s " STRICT " -Iruntime -c -o %s/gen.o %s && "
		 "%s -std=c11 -Iruntime -o %s/dump %s %s/gen.o && %s/dump",
		 cc(), tmpdir, gen, cc(), tmpdir, mainc, tmpdir, tmpdir);
	char *out, *err;
	int rc = sh(cmd, &out, &err);
	ck_assert_msg(rc == 0 && !*err, "%s\n%.2000s", cmd, err);

	struct strbuf want = STRBUF_INIT;
	put(&want, r->id, strlen(r->id));
	put(&want, r->message, strlen(r->message));
	put(&want, r->file->path, strlen(r->file->path));
	put(&want, r->labels.v[0].id, strlen(r->labels.v[0].id));
	for (size_t i = 0; i < r->up.n; i++) {
		unsigned line, col;
		src_linecol(r->file, r->up.v[i].off, &line, &col);
		sb_addf(&want, "@%u,%u,%u", line, col, r->up.v[i].flags);
		put(&want, r->up.v[i].sql, r->up.v[i].len);
	}
	ck_assert_uint_eq(strlen(out), want.len);
	ck_assert_msg(memcmp(out, want.buf, want.len) == 0, "round trip differs");
	sb_release(&want);
	free(out);
	free(err);
	free(big);
	free(c);
}
END_TEST

/* ---- checksums -------------------------------------------------------------- */

static void sha_hex(const char *s, char out[65])
{
	unsigned char md[32];
	EVP_Digest(s, strlen(s), md, NULL, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static struct rev *one(const char *id, const char *up, const char *down)
{
	struct build b;
	b_begin(&b, id, "versions/x.sql");
	b.r->up.present = true;
	if (up)
		b_stmt(&b, true, up, strlen(up), 0);
	if (down)
		b_stmt(&b, false, down, strlen(down), 0);
	return b_end(&b);
}

/* The checksum inputs are fixed forever: pin them against an independent hash. */
START_TEST(checksum_input_is_pinned)
{
	struct strbuf sb = STRBUF_INIT;
	sqllex_normalize("SELECT 1;", 9, &sb);
	ck_assert_str_eq(sb.buf, "SELECT 1;");
	sb_reset(&sb);
	sqllex_canon("SELECT 1;", 9, &sb);
	ck_assert_str_eq(sb.buf, "SELECT 1");
	sb_release(&sb);

	char sum[EMIT_CHECKSUM_SIZE], v1[EMIT_CHECKSUM_V1_SIZE], hex[65], hex2[65];
	char want[EMIT_CHECKSUM_SIZE];

	/* v1: one digest over both halves */
	emit_checksum_v1(one("a", "SELECT 1;", "SELECT 2;"), v1);
	sha_hex("SELECT 1;\n--\nSELECT 2;\ndowngrade\n", hex);
	snprintf(want, sizeof want, "sha256-v1:%s", hex);
	ck_assert_str_eq(v1, want);
	emit_checksum_v1(one("a", "SELECT 1;", NULL), v1);
	sha_hex("SELECT 1;\n--\nno downgrade\n", hex);
	snprintf(want, sizeof want, "sha256-v1:%s", hex);
	ck_assert_str_eq(v1, want);

	/* v2: the upgrade's digest, then the downgrade's */
	emit_checksum(one("a", "SELECT 1;", "SELECT 2;"), sum);
	sha_hex("SELECT 1\n", hex);
	sha_hex("SELECT 2\ndowngrade\n", hex2);
	snprintf(want, sizeof want, "sha256-v2:%s%s", hex, hex2);
	ck_assert_str_eq(sum, want);
	emit_checksum(one("a", "SELECT 1;", NULL), sum);
	sha_hex("no downgrade\n", hex2);
	snprintf(want, sizeof want, "sha256-v2:%s%s", hex, hex2);
	ck_assert_str_eq(sum, want);

	/* digest: "id\tchecksum\n" per revision, in order */
	struct rev *v[2] = { one("a", "SELECT 1;", NULL), one("b", "SELECT 1;", "SELECT 2;") };
	char s1[EMIT_CHECKSUM_SIZE], s2[EMIT_CHECKSUM_SIZE], dg[65];
	emit_checksum(v[0], s1);
	emit_checksum(v[1], s2);
	char *in = arena_printf(&arena, "a\t%s\nb\t%s\n", s1, s2);
	sha_hex(in, hex);
	emit_digest(v, 2, dg);
	ck_assert_str_eq(dg, hex);
}
END_TEST

START_TEST(checksum_ignores_layout)
{
	char a[EMIT_CHECKSUM_SIZE], b[EMIT_CHECKSUM_SIZE], c[EMIT_CHECKSUM_SIZE];
	emit_checksum(one("a", "SELECT 1 ;", "DROP TABLE t;"), a);
	emit_checksum(one("a", "SELECT   -- why\n  1\n;", "DROP /* x */ TABLE\tt;"), b);
	ck_assert_str_eq(a, b);
	emit_checksum(one("a", "SELECT 2 ;", "DROP TABLE t;"), c);
	ck_assert_str_ne(a, c);
	/* a statement moved across the sections is a change */
	emit_checksum(one("a", "SELECT 1 ; DROP TABLE t;", NULL), c);
	ck_assert_str_ne(a, c);
}
END_TEST

/*
 * Issue 8, item 4: whitespace between tokens, or a missing final ';', is
 * layout. sha256-v1 (still computed, to verify old rows) saw it; v2 must not.
 */
static const char *const same_pairs[][2] = {
	{ "CREATE TABLE t (id int, v text);", "CREATE TABLE t (id int, v text) ;" },
	{ "CREATE TABLE t (id int);", "CREATE TABLE t ( id int )" },
	{ "CREATE INDEX i ON t (key,v);", "CREATE INDEX i ON t (key, v);" },
	{ "SELECT a.b::int FROM t;", "SELECT a . b :: int\nFROM t" },
	{ "SELECT 1;", "SELECT 1;;" },
};

START_TEST(checksum_v2_token_layout)
{
	const char *const *p = same_pairs[_i];
	char a[EMIT_CHECKSUM_SIZE], b[EMIT_CHECKSUM_SIZE];
	char a1[EMIT_CHECKSUM_V1_SIZE], b1[EMIT_CHECKSUM_V1_SIZE];

	emit_checksum(one("a", p[0], NULL), a);
	emit_checksum(one("a", p[1], NULL), b);
	ck_assert_str_eq(a, b);
	/* the false positive this fixes: sha256-v1 tells them apart */
	emit_checksum_v1(one("a", p[0], NULL), a1);
	emit_checksum_v1(one("a", p[1], NULL), b1);
	ck_assert_str_ne(a1, b1);
}
END_TEST

/* Whitespace that separates tokens is not layout: these differ. */
static const char *const different_pairs[][2] = {
	{ "SELECT a b;", "SELECT ab;" },
	{ "SELECT 1 2;", "SELECT 12;" },
	{ "SELECT a <= b;", "SELECT a < = b;" },
	{ "SELECT E'x';", "SELECT E 'x';" },
	{ "SELECT U&'x';", "SELECT U &'x';" },
	{ "SELECT 'a''b';", "SELECT 'a' 'b';" },
	{ "SELECT 'a  b';", "SELECT 'a b';" },
	{ "SELECT \"A\";", "SELECT A;" },
	{ "SELECT $1;", "SELECT $ 1;" },
	{ "SELECT 1;", "SELECT 1; SELECT 2;" },
};

START_TEST(checksum_v2_tokens_count)
{
	const char *const *p = different_pairs[_i];
	char a[EMIT_CHECKSUM_SIZE], b[EMIT_CHECKSUM_SIZE];

	emit_checksum(one("a", p[0], NULL), a);
	emit_checksum(one("a", p[1], NULL), b);
	ck_assert_str_ne(a, b);
}
END_TEST

/* A downgrade-only edit changes only the downgrade's half. */
START_TEST(checksum_v2_halves)
{
	char a[EMIT_CHECKSUM_SIZE], b[EMIT_CHECKSUM_SIZE], c[EMIT_CHECKSUM_SIZE];

	emit_checksum(one("a", "CREATE TABLE t (id int);", "DROP TABLE t;"), a);
	emit_checksum(one("a", "CREATE TABLE t (id int);", "DROP TABLE IF EXISTS t;"), b);
	emit_checksum(one("a", "CREATE TABLE t (id bigint);", "DROP TABLE t;"), c);
	ck_assert_int_eq(memcmp(a, b, 10 + 64), 0);
	ck_assert_str_ne(a + 10 + 64, b + 10 + 64);
	ck_assert_int_ne(memcmp(a, c, 10 + 64), 0);
	ck_assert_str_eq(a + 10 + 64, c + 10 + 64);
}
END_TEST

START_TEST(write_file_replaces)
{
	char path[256];
	snprintf(path, sizeof path, "%s/out.c", tmpdir);
	ck_assert_int_eq(emit_write_file(path, "one\n", 4), 0);
	ck_assert_int_eq(emit_write_file(path, "two\n", 4), 0);
	char *got = tu_read_file(path, NULL);
	ck_assert_str_eq(got, "two\n");
	free(got);
	char cmd[512], *out;
	snprintf(cmd, sizeof cmd, "ls -a %s", tmpdir);
	sh(cmd, &out, NULL);
	ck_assert_str_eq(out, ".\n..\nout.c\n");
	free(out);
}
END_TEST

/* ---- retort end to end ------------------------------------------------------ */

static char *path_in(const char *rel)
{
	return arena_printf(&arena, "%s/%s", tmpdir, rel);
}

static void file(const char *rel, const char *text)
{
	tu_write_file(path_in(rel), text);
}

/* Runs build/retort with args (NULL-ended), from tmpdir's parent. */
static int retort(char **out, char **err, ...)
{
	char *argv[32];
	int n = 0;
	va_list ap;
	argv[n++] = arena_printf(&arena, "%s/retort", tu_build_dir());
	va_start(ap, err);
	const char *s;
	while ((s = va_arg(ap, const char *)) != NULL)
		argv[n++] = (char *)s;
	va_end(ap);
	argv[n] = NULL;
	return tu_run(argv, NULL, out, err);
}

#define HDR(id, revises, msg) \
	"-- Message: " msg "\n-- Revision ID: " id "\n-- Revises: " revises \
	"\n-- Create Date: 2024-01-01 00:00:00\n"

static void branchy_folder(void)
{
	file("m/versions/a.sql", HDR("aaaa", "", "first")
	     "\n-- migrate:upgrade\nCREATE TABLE t (id int);\n"
	     "-- migrate:downgrade\nDROP TABLE t;\n");
	file("m/versions/b.sql", HDR("bbbb", "aaaa", "left") "\n-- migrate:upgrade\n");
	file("m/versions/c.sql", HDR("cccc", "aaaa", "right")
	     "-- Branch Labels: rightside\n\n-- migrate:upgrade\n");
	file("m/versions/notes.txt", "ignored\n");
	file("m/versions/__pycache__/x.pyc", "ignored\n");
	file("m/versions/.hidden.sql", "ignored\n");
}

START_TEST(cli_heads_history)
{
	char *out, *err;
	branchy_folder();
	char *dir = path_in("m");

	ck_assert_int_eq(retort(&out, &err, "heads", dir, NULL), 0);
	ck_assert_str_eq(out, "bbbb (head)\ncccc (rightside) (head)\n");
	ck_assert_str_eq(err, "");
	free(out), free(err);

	ck_assert_int_eq(retort(&out, &err, "history", dir, NULL), 0);
	ck_assert_str_eq(out,
		"aaaa -> cccc (rightside) (head), right\n"
		"aaaa -> bbbb (head), left\n"
		"<base> -> aaaa (branchpoint), first\n");
	free(out), free(err);

	ck_assert_int_eq(retort(&out, &err, "history", "--verbose", dir, NULL), 0);
	char *want = arena_printf(&arena,
		"Rev: cccc (head)\n"
		"Parent: aaaa\n"
		"Branch names: rightside\n"
		"Path: %s/versions/c.sql\n"
		"\n"
		"    right\n"
		"    \n"
		"    Revision ID: cccc\n"
		"    Revises: aaaa\n"
		"    Create Date: 2024-01-01 00:00:00\n"
		"\n", dir);
	ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "got:\n%s", out);
	ck_assert_ptr_nonnull(strstr(out,
		"Rev: aaaa (branchpoint)\n"
		"Parent: <base>\n"
		"Branches into: bbbb, cccc\n"));
	free(out), free(err);
}
END_TEST

START_TEST(cli_merge_and_revision)
{
	char *out, *err;
	branchy_folder();
	char *dir = path_in("m");

	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "more", NULL), 1);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err,
		"error: the folder has 2 heads: 'bbbb', 'cccc'\n"
		"hint: choose one with --head, or join them first with 'retort merge'\n"
		"retort: 1 error\n");
	free(out), free(err);

	ck_assert_int_eq(retort(&out, &err, "merge", dir, "-m", "Join: left & right!",
				"heads", "--rev-id", "mmmm", NULL), 0);
	char *path = arena_printf(&arena, "%s/versions/mmmm_join_left_right.sql", dir);
	ck_assert_str_eq(out, arena_printf(&arena, "%s\n", path));
	ck_assert_str_eq(err, "");
	free(out), free(err);
	char *text = tu_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	/* The date is now; compare everything else. */
	char *date = strstr(text, "-- Create Date: ");
	ck_assert_ptr_nonnull(date);
	memset(date + 16, 'D', 19);
	ck_assert_str_eq(text,
		"-- Message: Join: left & right!\n"
		"-- Revision ID: mmmm\n"
		"-- Revises: bbbb, cccc\n"
		"-- Create Date: DDDDDDDDDDDDDDDDDDD\n"
		"\n"
		"-- migrate:upgrade\n"
		"\n"
		"\n"
		"-- migrate:downgrade\n"
		"\n");
	free(text);

	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "next step",
				"--rev-id", "nnnn", "--depends-on", "rightside",
				"--branch-label", "tip", NULL), 0);
	ck_assert_str_eq(out, arena_printf(&arena, "%s/versions/nnnn_next_step.sql\n", dir));
	free(out), free(err);
	text = tu_read_file(arena_printf(&arena, "%s/versions/nnnn_next_step.sql", dir), NULL);
	ck_assert_ptr_nonnull(strstr(text, "-- Revises: mmmm\n"));
	ck_assert_ptr_nonnull(strstr(text, "-- Branch Labels: tip\n-- Depends On: rightside\n"));
	/* No downgrade section until one is written (the merge above has one). */
	ck_assert_ptr_null(strstr(text, "\n-- migrate:downgrade"));
	ck_assert_ptr_nonnull(strstr(text,
		"\n-- migrate:upgrade\n\n\n"
		"-- No '-- migrate:downgrade' section yet: 'downgrade' refuses to pass\n"
		"-- this revision until one is written below (an empty one undoes nothing).\n"));
	free(text);

	ck_assert_int_eq(retort(&out, &err, "history", dir, NULL), 0);
	ck_assert_str_eq(out,
		"mmmm (rightside) -> nnnn (tip, rightside) (head), next step\n"
		"bbbb, cccc -> mmmm (rightside) (mergepoint), Join: left & right!\n"
		"aaaa -> cccc (rightside), right\n"
		"aaaa -> bbbb, left\n"
		"<base> -> aaaa (branchpoint), first\n");
	free(out), free(err);

	/* A revision that is not a head needs --splice. */
	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "x", "--head", "bbbb", NULL), 1);
	ck_assert_str_eq(err,
		"error: revision 'bbbb' is not a head\n"
		"hint: add --splice to start a new branch from it\n"
		"retort: 1 error\n");
	free(out), free(err);

	/* An id already in the folder is refused and nothing is written. */
	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "dup", "--rev-id", "aaaa",
				NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "duplicate revision id 'aaaa'"));
	ck_assert_ptr_null(tu_read_file(arena_printf(&arena, "%s/versions/aaaa_dup.sql", dir), NULL));
	free(out), free(err);
}
END_TEST

/* script.sql.tmpl is SQL: its dollar quotes pass through, only ${...} is replaced. */
START_TEST(cli_revision_template)
{
	char *out, *err;
	branchy_folder();
	char *dir = path_in("m");
	file("m/script.sql.tmpl",
	     "-- Message: ${message}\n-- Revision ID: ${rev_id}\n-- Revises: ${down_revision}\n"
	     "${if_branch_labels}-- Branch Labels: ${branch_labels}\n"
	     "\n-- migrate:upgrade\nDO $$ BEGIN RAISE NOTICE '${message}'; END $$;\n"
	     "SELECT $tag$ $$ $tag$;\n\n-- migrate:downgrade\n");
	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "templated", "--head", "bbbb",
				"--rev-id", "tttt", NULL), 0);
	free(out), free(err);
	char *text = tu_read_file(arena_printf(&arena, "%s/versions/tttt_templated.sql", dir), NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_str_eq(text,
		"-- Message: templated\n-- Revision ID: tttt\n-- Revises: bbbb\n"
		"\n-- migrate:upgrade\nDO $$ BEGIN RAISE NOTICE 'templated'; END $$;\n"
		"SELECT $tag$ $$ $tag$;\n\n-- migrate:downgrade\n");
	free(text);

	file("m/script.sql.tmpl", "-- Revision ID: ${revision}\n");
	ck_assert_int_eq(retort(&out, &err, "revision", dir, "-m", "x", "--head", "cccc", NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "unknown placeholder '${revision}' in template"));
	free(out), free(err);
}
END_TEST

START_TEST(cli_compile)
{
	char *out, *err;
	branchy_folder();
	char *dir = path_in("m"), *c = path_in("out.c");

	ck_assert_int_eq(retort(&out, &err, "compile", dir, "-o", c, NULL), 0);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "");
	free(out), free(err);
	char *text = tu_read_file(c, NULL);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "/* Generated by retort " RETORT_VERSION
				     " from m. Do not edit. */\n"));
	ck_assert_ptr_null(strstr(text, tmpdir));
	check_compiles(text);
	free(text);

	/* Errors: all reported, a summary, and no output written. */
	file("m/versions/d.sql", HDR("dddd", "zzzz", "bad") "\n-- migrate:upgrade\n");
	file("m/versions/e.py", "revision = 'e'\n");
	char *c2 = path_in("out2.c");
	ck_assert_int_eq(retort(&out, &err, "compile", dir, "-o", c2, NULL), 1);
	/* Paths as DIR was typed, for editors to jump to. */
	ck_assert_str_eq(err, arena_printf(&arena,
		"%s/versions/e.py:1:1: error: the script does not set 'down_revision'\n"
		"    1 | revision = 'e'\n"
		"      | ^\n"
		"hint: a first revision says: down_revision = None\n"
		"%s/versions/e.py:1:1: error: the script has no 'def upgrade()'\n"
		"    1 | revision = 'e'\n"
		"      | ^\n"
		"retort: 2 errors\n", dir, dir));
	free(out), free(err);
	unlink(path_in("m/versions/e.py"));
	ck_assert_int_eq(retort(&out, &err, "compile", dir, "-o", c2, NULL), 1);
	ck_assert_str_eq(err, arena_printf(&arena,
		"%s/versions/d.sql:3:13: error: revision 'zzzz' named in Revises is not in this folder\n"
		"    3 | -- Revises: zzzz\n"
		"      |             ^\n"
		"retort: 1 error\n", dir));
	free(out), free(err);
	ck_assert_ptr_null(tu_read_file(c2, NULL));

	/* Missing versions/ */
	ck_assert_int_eq(retort(&out, &err, "compile", path_in("nope"), "-o", c2, NULL), 1);
	ck_assert_str_eq(err, arena_printf(&arena,
		"error: cannot open '%s/nope/versions': No such file or directory\n"
		"hint: a migration folder keeps its revisions in a 'versions' directory\n"
		"retort: 1 error\n", tmpdir));
	free(out), free(err);
}
END_TEST

START_TEST(cli_compile_empty_folder)
{
	char *out, *err;
	mkdir(path_in("e"), 0777);
	mkdir(path_in("e/versions"), 0777);
	char *c = path_in("e.c");
	ck_assert_int_eq(retort(&out, &err, "compile", path_in("e"), "-o", c,
				"--name", "mine", NULL), 0);
	free(out), free(err);
	char *text = tu_read_file(c, NULL);
	ck_assert_ptr_nonnull(strstr(text, " from mine. Do not edit."));
	check_compiles(text);
	free(text);
}
END_TEST

START_TEST(cli_usage)
{
	char *out, *err;
	ck_assert_int_eq(retort(&out, &err, NULL), 2);
	ck_assert_str_eq(err, "retort: missing COMMAND\ntry 'retort --help'\n");
	free(out), free(err);
	ck_assert_int_eq(retort(&out, &err, "frobnicate", NULL), 2);
	ck_assert_str_eq(err, "retort: unknown command 'frobnicate'\ntry 'retort --help'\n");
	free(out), free(err);
	ck_assert_int_eq(retort(&out, &err, "compile", "dir", NULL), 2);
	ck_assert_str_eq(err, "retort: compile: missing -o FILE.c\ntry 'retort --help'\n");
	free(out), free(err);
	ck_assert_int_eq(retort(&out, &err, "compile", "--bogus", "dir", NULL), 2);
	ck_assert_str_eq(err, "retort: compile: unknown option '--bogus'\ntry 'retort --help'\n");
	free(out), free(err);
	ck_assert_int_eq(retort(&out, &err, "compile", "dir", "-o", NULL), 2);
	ck_assert_str_eq(err, "retort: compile: option '-o' needs a value\ntry 'retort --help'\n");
	free(out), free(err);
	ck_assert_int_eq(retort(&out, &err, "merge", "dir", "-m", "x", NULL), 2);
	ck_assert_str_eq(err, "retort: merge: missing the revisions to merge\n"
			      "try 'retort --help'\n");
	free(out), free(err);

	static const char *const cmds[] = { "compile", "heads", "history", "merge",
					    "revision", "version" };
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		ck_assert_int_eq(retort(&out, &err, cmds[i], "--help", NULL), 0);
		ck_assert_msg(strncmp(out, "usage: retort ", 14) == 0, "%s --help", cmds[i]);
		ck_assert_str_eq(err, "");
		free(out), free(err);
	}
	ck_assert_int_eq(retort(&out, &err, "version", NULL), 0);
	ck_assert_str_eq(out, "retort " RETORT_VERSION "\n");
	free(out), free(err);
}
END_TEST

static Suite *emit_suite(void)
{
	Suite *s = suite_create("emit");
	TCase *t = tcase_create("emit");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, golden_small);
	tcase_add_test(t, golden_empty);
	tcase_add_test(t, golden_baseline);
	tcase_add_test(t, output_is_deterministic);
	tcase_add_test(t, round_trip_any_byte);
	tcase_add_test(t, checksum_input_is_pinned);
	tcase_add_test(t, checksum_ignores_layout);
	tcase_add_loop_test(t, checksum_v2_token_layout, 0, sizeof same_pairs / sizeof *same_pairs);
	tcase_add_loop_test(t, checksum_v2_tokens_count, 0,
			    sizeof different_pairs / sizeof *different_pairs);
	tcase_add_test(t, checksum_v2_halves);
	tcase_add_test(t, write_file_replaces);
	suite_add_tcase(s, t);

	TCase *cli = tcase_create("cli");
	tcase_add_checked_fixture(cli, setup, teardown);
	tcase_set_timeout(cli, 60);
	tcase_add_test(cli, cli_heads_history);
	tcase_add_test(cli, cli_merge_and_revision);
	tcase_add_test(cli, cli_revision_template);
	tcase_add_test(cli, cli_compile);
	tcase_add_test(cli, cli_compile_empty_folder);
	tcase_add_test(cli, cli_usage);
	suite_add_tcase(s, cli);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(emit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
