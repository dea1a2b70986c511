/*
 * check_gen_badinput.c - 'retort compile' on hostile migration folders
 *
 * Data-driven cases live in tests/errors/: CASE.expected holds exactly what
 * 'retort compile' must print on stderr (empty: it must succeed), and the
 * folder is either the single file CASE.sql (compiled as
 * versions/CASE.sql) or the files of the directory CASE/. Inputs too big to
 * commit (a 50 MB file, 100k revisions, a 10 MB statement, 100k nested
 * comments) are generated here. Windows line endings and a BOM must simply
 * work: the statements are the LF file's, each '\n' inside a statement
 * keeping the '\r' before it, and the checksums are the same.
 *
 * RETORT_BLESS=1 rewrites the .expected files from what retort prints (read
 * the diff before keeping it).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "rev.h"
#include "sql/sqlhdr.h"
#include "testutil.h"

#define ERRORS_DIR "tests/errors"

static void mkdirs(const char *path)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(buf, 0777);
		*p = '/';
	}
	if (mkdir(buf, 0777) != 0 && errno != EEXIST)
		ck_abort_msg("cannot create '%s': %s", buf, strerror(errno));
}

static void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_msg(fp != NULL, "cannot create '%s': %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
}

/* An empty folder $B/tests/badinput/NAME (with versions/); returns its path. */
static char *fresh_folder(const char *name)
{
	char *dir = malloc(1024), versions[1040];
	char *rm[] = { "/bin/rm", "-rf", dir, NULL };

	ck_assert_ptr_nonnull(dir);
	snprintf(dir, 1024, "%s/tests/badinput/%s", tu_build_dir(), name);
	ck_assert_int_eq(tu_run(rm, NULL, NULL, NULL), 0);
	snprintf(versions, sizeof(versions), "%s/versions", dir);
	mkdirs(versions);
	return dir;
}

static void remove_folder(char *dir)
{
	char *rm[] = { "/bin/rm", "-rf", dir, NULL };

	ck_assert_int_eq(tu_run(rm, NULL, NULL, NULL), 0);
	free(dir);
}

static void put_file(const char *dir, const char *name, const char *data, size_t len)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s/versions/%s", dir, name);
	write_bytes(path, data, len);
}

/* What one 'retort compile' printed, and what it cost. */
struct compiled {
	int rc;
	char *out, *err;
	double seconds;
	long max_rss_mb;   /* of the largest child this test process waited for */
};

/* The address space a case may take, in KiB: a generator that loses its
 * bounds fails here fast instead of eating the machine. Not under ASan,
 * whose shadow memory reserves terabytes of address space. */
#if defined(__SANITIZE_ADDRESS__)
#define CASE_VMEM_KB NULL
#else
#define CASE_VMEM_KB "1048576"
#endif

/*
 * Diagnostics name files as DIR was typed, here $B/tests/badinput/NAME/...:
 * what a case checks, .expected files included, is as typed from
 * $B/tests/badinput, NAME/..., the same whatever B is.
 */
static void strip_prefix(char *text, const char *dir)
{
	const char *name = strrchr(dir, '/');
	size_t skip = name ? (size_t)(name + 1 - dir) : 0;
	char *w = text;
	for (const char *r = text; *r;) {
		if (strncmp(r, dir, strlen(dir)) == 0)
			r += skip;
		*w++ = *r++;
	}
	*w = '\0';
}

static struct compiled compile_limited(const char *dir, const char *vmem_kb)
{
	char retort[512], output[1024];
	struct compiled c;
	struct timeval t0, t1;
	struct rusage ru;

	snprintf(retort, sizeof(retort), "%s/retort", tu_build_dir());
	snprintf(output, sizeof(output), "%s.c", dir);
	char *plain[] = { retort, "compile", (char *)dir, "-o", output, NULL };
	char *limited[] = { "/bin/sh", "-c", "ulimit -v \"$0\" && exec \"$@\"", (char *)vmem_kb,
			    retort, "compile", (char *)dir, "-o", output, NULL };
	char **argv = vmem_kb ? limited : plain;
	gettimeofday(&t0, NULL);
	c.rc = tu_run(argv, NULL, &c.out, &c.err);
	gettimeofday(&t1, NULL);
	c.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	getrusage(RUSAGE_CHILDREN, &ru);
	c.max_rss_mb = ru.ru_maxrss / 1024;
	strip_prefix(c.err, dir);
	return c;
}

static struct compiled compile(const char *dir)
{
	return compile_limited(dir, NULL);
}

static void compiled_free(struct compiled *c)
{
	free(c->out);
	free(c->err);
}

/* Reports a measurement of a generated case on the test's output. */
static void measured(const char *what, const struct compiled *c)
{
	printf("badinput: %s: %.2f s, max RSS %ld MB\n", what, c->seconds, c->max_rss_mb);
	fflush(stdout);
}

/* ---- tests/errors/ ------------------------------------------------------- */

static char **cases;
static size_t n_cases;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_cases(void)
{
	DIR *d = opendir(ERRORS_DIR);
	size_t cap = 0;

	if (!d) {
		fprintf(stderr, "cannot open '%s': %s\n", ERRORS_DIR, strerror(errno));
		exit(1);
	}
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t len = strlen(de->d_name);
		if (len <= 9 || strcmp(de->d_name + len - 9, ".expected") != 0)
			continue;
		if (n_cases == cap) {
			cap = cap ? 2 * cap : 32;
			cases = realloc(cases, cap * sizeof(*cases));
		}
		cases[n_cases++] = strndup(de->d_name, len - 9);
	}
	closedir(d);
	qsort(cases, n_cases, sizeof(*cases), cmp_str);
}

/* Copies the case's file, or its directory's files, into dir/versions. */
static void copy_case(const char *name, const char *dir)
{
	char src[512], file[1024];
	size_t len;
	char *data;

	snprintf(src, sizeof(src), ERRORS_DIR "/%s.sql", name);
	data = tu_read_file(src, &len);
	if (data) {
		snprintf(file, sizeof(file), "%s.sql", name);
		put_file(dir, file, data, len);
		free(data);
		return;
	}
	snprintf(src, sizeof(src), ERRORS_DIR "/%s", name);
	DIR *d = opendir(src);
	ck_assert_msg(d != NULL, "case '%s' has neither %s.sql nor a directory", name, name);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", src, de->d_name);
		data = tu_read_file(file, &len);
		ck_assert_msg(data != NULL, "cannot read '%s'", file);
		put_file(dir, de->d_name, data, len);
		free(data);
	}
	closedir(d);
}

START_TEST(error_case)
{
	const char *name = cases[_i];
	char path[1024];
	size_t len;

	char *dir = fresh_folder(name);
	copy_case(name, dir);
	struct compiled c = compile_limited(dir, CASE_VMEM_KB);
	snprintf(path, sizeof(path), ERRORS_DIR "/%s.expected", name);
	if (getenv("RETORT_BLESS"))
		write_bytes(path, c.err, strlen(c.err));
	char *want = tu_read_file(path, &len);
	ck_assert_ptr_nonnull(want);
	ck_assert_msg(strcmp(c.err, want) == 0, "case '%s': retort printed\n%s\nwanted\n%s",
		      name, c.err, want);
	ck_assert_str_eq(c.out, "");
	ck_assert_msg(c.rc == (*want ? 1 : 0), "case '%s': exit %d", name, c.rc);
	free(want);
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

/* ---- generated: too big to commit --------------------------------------- */

static const char header[] = "-- Revision ID: big1\n-- Revises: None\n-- migrate:upgrade\n";

/* 50 MB of ordinary statements: compiles, in memory proportional to it. */
START_TEST(file_50mb)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = fresh_folder("file_50mb");

	sb_addstr(&sb, header);
	for (unsigned i = 0; sb.len < 50u << 20; i++)
		sb_addf(&sb, "INSERT INTO t (id, note) VALUES (%u, 'row %u -- not a comment; "
			"/* nor this */ $$ nor this $$');\n", i, i);
	sb_addstr(&sb, "-- migrate:downgrade\nDELETE FROM t;\n");
	put_file(dir, "big.sql", sb.buf, sb.len);
	sb_release(&sb);

	struct compiled c = compile(dir);
	measured("a 50 MB file", &c);
	ck_assert_str_eq(c.err, "");
	ck_assert_int_eq(c.rc, 0);
	/* Text, statements and C output are each a few times the input. */
	ck_assert_int_lt(c.max_rss_mb, 1024);
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

/* 50 MB of binary garbage: two messages, not one per bad byte. */
START_TEST(garbage_50mb)
{
	size_t len = 50u << 20;
	char *data = malloc(len);
	char *dir = fresh_folder("garbage_50mb");
	uint64_t x = 88172645463325252u;

	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;   /* xorshift64 */
		data[i] = (char)(x >> 32);
	}
	memcpy(data, "\x80", 1);
	put_file(dir, "junk.sql", data, len);
	free(data);

	struct compiled c = compile(dir);
	measured("50 MB of binary garbage", &c);
	ck_assert_int_eq(c.rc, 1);
	ck_assert_pstr_eq(strstr(c.err, "retort: "), "retort: 5 errors\n");
	const char *want = "garbage_50mb/versions/junk.sql:1:1: error: invalid UTF-8 byte 0x80\n";
	ck_assert_msg(strncmp(c.err, want, strlen(want)) == 0,
		      "%s", c.err);
	ck_assert_int_lt(strlen(c.err), 2000);
	ck_assert_int_lt(c.max_rss_mb, 1024);
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

/* 100,000 revisions in one chain, one file each. */
START_TEST(chain_100k)
{
	enum { N = 100000 };
	char *dir = fresh_folder("chain_100k");
	char name[64], text[256];

	for (unsigned i = 0; i < N; i++) {
		int n;
		snprintf(name, sizeof(name), "r%06u.sql", i);
		if (i)
			n = snprintf(text, sizeof(text),
				     "-- Revision ID: r%06u\n-- Revises: r%06u\n-- migrate:upgrade\n"
				     "INSERT INTO t VALUES (%u);\n-- migrate:downgrade\n"
				     "DELETE FROM t WHERE id = %u;\n", i, i - 1, i, i);
		else
			n = snprintf(text, sizeof(text),
				     "-- Revision ID: r000000\n-- Revises: None\n-- migrate:upgrade\n"
				     "CREATE TABLE t (id int);\n-- migrate:downgrade\nDROP TABLE t;\n");
		put_file(dir, name, text, (size_t)n);
	}
	struct compiled c = compile(dir);
	measured("100k revisions in one chain", &c);
	ck_assert_str_eq(c.err, "");
	ck_assert_int_eq(c.rc, 0);
	ck_assert_int_lt(c.max_rss_mb, 1024);
	compiled_free(&c);

	/* The last revision, and only it, is the head. */
	char retort[512];
	snprintf(retort, sizeof(retort), "%s/retort", tu_build_dir());
	char *argv[] = { retort, "heads", dir, NULL };
	char *out, *err;
	ck_assert_int_eq(tu_run(argv, NULL, &out, &err), 0);
	ck_assert_str_eq(out, "r099999 (head)\n");
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
	remove_folder(dir);
}
END_TEST

/* One 10 MB statement: a single literal, split into 100-column pieces. */
START_TEST(statement_10mb)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = fresh_folder("statement_10mb");

	sb_addstr(&sb, header);
	sb_addstr(&sb, "INSERT INTO t VALUES ('");
	while (sb.len < 10u << 20)
		sb_addstr(&sb, "abc;'' $x$ /* -- \n");
	sb_addstr(&sb, "');\n");
	put_file(dir, "big.sql", sb.buf, sb.len);
	sb_release(&sb);

	struct compiled c = compile(dir);
	measured("a 10 MB statement", &c);
	ck_assert_str_eq(c.err, "");
	ck_assert_int_eq(c.rc, 0);
	ck_assert_int_lt(c.max_rss_mb, 512);
	compiled_free(&c);

	/* One statement: one table of one entry. */
	char path[1024];
	size_t len;
	snprintf(path, sizeof(path), "%s.c", dir);
	char *out = tu_read_file(path, &len);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(strstr(out, ".upgrade = { 1, 1, r0_up },"));
	free(out);
	remove_folder(dir);
}
END_TEST

/* A million errors: the first 50 shown, all counted, in linear time. */
START_TEST(errors_1m)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = fresh_folder("errors_1m");

	sb_addstr(&sb, header);
	for (unsigned i = 0; i < 1000000; i++)
		sb_addstr(&sb, "\\i x\n");
	put_file(dir, "meta.sql", sb.buf, sb.len);
	sb_release(&sb);

	struct compiled c = compile(dir);
	measured("a million errors in one file", &c);
	ck_assert_int_eq(c.rc, 1);
	ck_assert_str_eq(strstr(c.err, "versions/meta.sql: note:"),
			 "versions/meta.sql: note: more than 50 problems; the rest are not shown\n"
			 "retort: 1000000 errors\n");
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

/* Comments nested 100,000 deep: fine when closed, one error when not. */
static void nested_comments(const char *name, unsigned open, unsigned close,
			    const char *want_err, int want_rc)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = fresh_folder(name);

	sb_addstr(&sb, header);
	for (unsigned i = 0; i < open; i++)
		sb_addstr(&sb, "/*");
	for (unsigned i = 0; i < close; i++)
		sb_addstr(&sb, "*/");
	sb_addstr(&sb, "\nSELECT 1;\n");
	put_file(dir, "nest.sql", sb.buf, sb.len);
	sb_release(&sb);

	struct compiled c = compile(dir);
	measured(name, &c);
	ck_assert_str_eq(c.err, want_err);
	ck_assert_int_eq(c.rc, want_rc);
	compiled_free(&c);
	remove_folder(dir);
}

START_TEST(comments_nested_100k)
{
	nested_comments("comments_nested_100k", 100000, 100000, "", 0);
}
END_TEST

START_TEST(comments_nested_100k_unterminated)
{
	nested_comments("comments_nested_100k_unterminated", 100000, 99999,
			"comments_nested_100k_unterminated/versions/nest.sql:4:1: error: unterminated /* comment\n"
			"retort: 1 error\n", 1);
}
END_TEST

/* 20,000 nested brackets, minus signs or 'not's in a .py file: an error at
 * the 201st level, not a crash of the parser or the evaluator. */
static const char *const nesters[][2] = { { "(", ")" }, { "[", "]" }, { "-", "" }, { "not ", "" } };

START_TEST(py_nested_20000)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir = fresh_folder("py_nested_20000");
	const char *open = nesters[_i][0], *close = nesters[_i][1];

	sb_addstr(&sb, "from alembic import op\nrevision = 'r1'\ndown_revision = None\n"
		       "def upgrade():\n    op.execute(str(");
	for (int i = 0; i < 20000; i++)
		sb_addstr(&sb, open);
	sb_addstr(&sb, "1");
	for (int i = 0; i < 20000; i++)
		sb_addstr(&sb, close);
	sb_addstr(&sb, "))\n");
	put_file(dir, "deep.py", sb.buf, sb.len);
	sb_release(&sb);

	struct compiled c = compile_limited(dir, CASE_VMEM_KB);
	/* at the 201st level, about 200 of ours into line 5 */
	const char *want = "error: expression nested too deeply: more than 200 levels\n";
	unsigned line, col;
	ck_assert_msg(sscanf(c.err, "py_nested_20000/versions/deep.py:%u:%u: ", &line, &col) == 2, "%.300s", c.err);
	ck_assert_uint_eq(line, 5);
	ck_assert_uint_ge(col, 20 + 197 * strlen(open));
	ck_assert_uint_le(col, 20 + 200 * strlen(open));
	ck_assert_msg(strstr(c.err, want) != NULL && strstr(c.err, want) < strchr(c.err, '\n') + 1, "%.300s", c.err);
	ck_assert_pstr_eq(strstr(c.err, "retort: "), "retort: 1 error\n");
	ck_assert_int_eq(c.rc, 1);
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

/* ---- line endings and BOM ------------------------------------------------ */

/* The file with every "\n" turned into "\r\n", and a BOM when asked. */
static char *crlf(const char *lf, size_t *len, bool bom)
{
	struct strbuf sb = STRBUF_INIT;

	if (bom)
		sb_addstr(&sb, "\xef\xbb\xbf");
	for (const char *p = lf; *p; p++) {
		if (*p == '\n')
			sb_addch(&sb, '\r');
		sb_addch(&sb, *p);
	}
	*len = sb.len;
	return sb_detach(&sb);
}

/* A statement without the '\r' of its CRLF line breaks. */
static char *strip_cr_before_lf(const char *s)
{
	char *out = strdup(s), *o = out;

	for (const char *p = s; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			*o++ = *p;
	*o = '\0';
	return out;
}

static void same_revision(const char *path, bool bom)
{
	struct arena a = { 0 };
	size_t lf_len, crlf_len;
	char *lf_text = tu_read_file(path, &lf_len);
	ck_assert_ptr_nonnull(lf_text);
	char *crlf_text = crlf(lf_text, &crlf_len, bom);
	struct src_file lf = { "versions/lf.sql", lf_text, lf_len };
	struct src_file cr = { "versions/crlf.sql", crlf_text, crlf_len };
	struct rev r1, r2;
	char sum1[EMIT_CHECKSUM_SIZE], sum2[EMIT_CHECKSUM_SIZE];

	ck_assert_uint_eq(sqlhdr_parse(&a, &lf, &r1), 0);
	ck_assert_uint_eq(sqlhdr_parse(&a, &cr, &r2), 0);
	ck_assert_str_eq(r1.id, r2.id);
	ck_assert_str_eq(r1.message, r2.message);
	ck_assert_str_eq(r1.create_date, r2.create_date);
	ck_assert_uint_eq(r1.parents.n, r2.parents.n);
	for (size_t i = 0; i < r1.parents.n; i++)
		ck_assert_str_eq(r1.parents.v[i].id, r2.parents.v[i].id);
	ck_assert_int_eq(r1.transactional, r2.transactional);
	for (int half = 0; half < 2; half++) {
		const struct stmt_list *l1 = half ? &r1.down : &r1.up;
		const struct stmt_list *l2 = half ? &r2.down : &r2.up;
		ck_assert_int_eq(l1->present, l2->present);
		ck_assert_uint_eq(l1->n, l2->n);
		for (size_t i = 0; i < l1->n; i++) {
			unsigned line1, col1, line2, col2;
			char *s = strip_cr_before_lf(l2->v[i].sql);
			ck_assert_str_eq(l1->v[i].sql, s);
			free(s);
			src_linecol(&lf, l1->v[i].off, &line1, &col1);
			src_linecol(&cr, l2->v[i].off, &line2, &col2);
			ck_assert_uint_eq(line1, line2);
			ck_assert_uint_eq(col1 + (bom && line1 == 1 ? 3 : 0), col2);
		}
	}
	/* Line breaks are layout: the checksum does not see them. */
	emit_checksum(&r1, sum1);
	emit_checksum(&r2, sum2);
	ck_assert_str_eq(sum1, sum2);
	arena_free(&a);
	free(lf_text);
	free(crlf_text);
}

/* Real migrations (copies of the example's), and every kind of quote. */
static const char *const example_files[] = {
	"migrations/versions/3d68ea614048_initial_schema.sql",
	"migrations/versions/15f3e49769aa_merge_scheduling_and_analytics.sql",
	"migrations/versions/aa22b9e60179_index_profiles_email_and_due_posts.sql",
	"tests/fixtures/failing/versions/f2_bad.sql",
	"tests/fuzz/corpus/sql/quotes.sql",
};

START_TEST(crlf_same_statements)
{
	same_revision(example_files[_i], false);
	same_revision(example_files[_i], true);
}
END_TEST

/*
 * The example folder with its .sql files in CRLF, some with a BOM, compiles
 * as it does in LF (its Alembic .py files are copied as they are).
 */
START_TEST(crlf_example_folder_compiles)
{
	char *dir = fresh_folder("crlf_example");
	DIR *d = opendir("migrations/versions");
	char path[1024];

	ck_assert_ptr_nonnull(d);
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t len;
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "migrations/versions/%s", de->d_name);
		char *lf = tu_read_file(path, &len);
		ck_assert_ptr_nonnull(lf);
		size_t n = strlen(de->d_name);
		if (n > 4 && strcmp(de->d_name + n - 4, ".sql") == 0) {
			char *cr = crlf(lf, &len, de->d_name[0] < 'a');
			put_file(dir, de->d_name, cr, len);
			free(cr);
		} else {
			put_file(dir, de->d_name, lf, len);
		}
		free(lf);
	}
	closedir(d);
	/* Its [lint] settings are part of the folder. */
	char *ini = tu_read_file("migrations/retort.ini", NULL);
	if (ini) {
		snprintf(path, sizeof(path), "%s/retort.ini", dir);
		tu_write_file(path, ini);
		free(ini);
	}
	struct compiled c = compile(dir);
	ck_assert_str_eq(c.err, "");
	ck_assert_int_eq(c.rc, 0);
	compiled_free(&c);
	remove_folder(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("badinput");
	TCase *tc = tcase_create("errors");

	load_cases();
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, error_case, 0, (int)n_cases);
	tcase_add_loop_test(tc, py_nested_20000, 0, (int)(sizeof(nesters) / sizeof(nesters[0])));
	suite_add_tcase(s, tc);

	/* Generous limits: these check for hangs, not speed (see measured()). */
	tc = tcase_create("big");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, file_50mb);
	tcase_add_test(tc, garbage_50mb);
	tcase_add_test(tc, chain_100k);
	tcase_add_test(tc, statement_10mb);
	tcase_add_test(tc, errors_1m);
	tcase_add_test(tc, comments_nested_100k);
	tcase_add_test(tc, comments_nested_100k_unterminated);
	suite_add_tcase(s, tc);

	tc = tcase_create("line_endings");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, crlf_same_statements, 0,
			    (int)(sizeof(example_files) / sizeof(example_files[0])));
	tcase_add_test(tc, crlf_example_folder_compiles);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (size_t i = 0; i < n_cases; i++)
		free(cases[i]);
	free(cases);
	return failed ? 1 : 0;
}
