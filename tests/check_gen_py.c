/*
 * check_gen_py.c - the Alembic front end: tokens, and the runner of the
 * data cases of tests/py/
 *
 * tests/py/NAME/ is a migration folder: versions/FILE.py (each compiled on
 * its own), an optional retort.ini, and `expected`,
 * holding exactly what compile_file() returns for each file in name order:
 * the upgrade statements, one per line, "-- down" and the downgrade's (or
 * "(no downgrade)"), then any warnings; or the diagnostics when there are
 * errors. Messages about the folder's own files name it as
 * tests/py/NAME/. A new case is a new folder; nothing here changes. The
 * plain-Python cases (in-operator-NN, builtins-NN, str-methods-NN) hold what
 * CPython prints: tests/py/python_cases.py checks them against it.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "py/pylex.h"
#include "py/pyrev.h"
#include "testutil.h"

static const char HEAD[] =
	"\"\"\"msg\n\nRevision ID: r1\nRevises:\nCreate Date: 2024-01-01 00:00:00\n\n\"\"\"\n"
	"from alembic import op\nimport sqlalchemy as sa\n"
	"revision = 'r1'\ndown_revision = None\n";

/* A folder for retort.ini, the same one for every case of this process: with
 * CK_FORK=no every case reads it again through a stack arena at the same
 * address, which a cache keyed on that address would mistake for the last. */
static char ini_folder[] = "/tmp/check_gen_py.XXXXXX";

static const char *ini_dir(const char *ini)
{
	char path[sizeof ini_folder + 16];
	snprintf(path, sizeof path, "%s/retort.ini", ini_folder);
	if (!ini) {
		unlink(path);
		return ini_folder;
	}
	FILE *fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(ini, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return ini_folder;
}

/* Compiles f as a revision of folder `dir` (its retort.ini, env.py) and
 * appends what it gives to *out: the upgrade statements, one per line, then
 * "-- down" and the downgrade's when it has any, then any warnings; or the
 * diagnostics when there are errors. */
static void compile_file(const char *dir, const struct src_file *f, struct strbuf *out)
{
	struct arena a = { 0 };
	char *diag = NULL;
	size_t dlen = 0;
	struct rev r = { 0 };
	diag_stream = open_memstream(&diag, &dlen);
	diag_reset();
	unsigned before = diag_errors();
	const struct pyconfig *cfg = pyrev_config(&a, dir);
	unsigned e = diag_errors() - before;
	if (!e)
		e = pyrev_parse(&a, cfg, f, &r);
	fclose(diag_stream);
	diag_stream = NULL;
	if (e) {
		sb_addstr(out, diag);
	} else {
		for (size_t i = 0; i < r.up.n; i++)
			sb_addf(out, "%s%s\n", r.up.v[i].flags ? "[autocommit] " : "", r.up.v[i].sql);
		if (!r.down.present)
			sb_addstr(out, "(no downgrade)\n");
		else if (r.down.n)
			sb_addstr(out, "-- down\n");
		for (size_t i = 0; r.down.present && i < r.down.n; i++)
			sb_addf(out, "%s\n", r.down.v[i].sql);
		if (diag && *diag)
			sb_addstr(out, diag);
	}
	free(diag);
	arena_free(&a);
}

/* Compiles HEAD + body as versions/x.py of a folder whose retort.ini is
 * `ini` (NULL: none); returns what compile_file() gives, the folder named
 * FOLDER. */
static char *compile_ini(const char *body, const char *ini)
{
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	sb_addstr(&src, HEAD);
	sb_addstr(&src, body);
	struct src_file f = { .path = "versions/x.py", .text = src.buf, .len = src.len };
	compile_file(ini_dir(ini), &f, &out);
	/* the folder's name is the test's, not the case's */
	for (char *p = out.buf; p && (p = strstr(p, ini_folder)) != NULL;) {
		size_t n = strlen(ini_folder);
		memcpy(p, "FOLDER", 6);
		memmove(p + 6, p + n, strlen(p + n) + 1);
		out.len -= n - 6;
	}
	char *res = strdup(out.buf ? out.buf : "");
	sb_release(&src);
	sb_release(&out);
	return res;
}

/* ---- tests/py/ ------------------------------------------------------------ */

#define PY_DIR "tests/py"

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The entries of `dir` not starting with '.' and ending in `suffix`
 * ("": the folders), sorted; NULL-terminated; *n their number. */
static char **list_dir(const char *dir, const char *suffix, size_t *n)
{
	DIR *d = opendir(dir);
	char **v = NULL;
	size_t len = strlen(suffix);
	*n = 0;
	if (!d)
		return NULL;
	for (struct dirent *de; (de = readdir(d)) != NULL;) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < len || strcmp(de->d_name + l - len, suffix))
			continue;
		if (!len && de->d_type != DT_DIR)
			continue;
		v = realloc(v, (*n + 2) * sizeof *v);
		v[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (v) {
		qsort(v, *n, sizeof *v, name_cmp);
		v[*n] = NULL;
	}
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char **py_cases;
static size_t py_ncases;

START_TEST(py_case)
{
	const char *name = py_cases[_i];
	char dir[512], path[1024];
	size_t n, len;
	struct strbuf out = STRBUF_INIT;

	snprintf(dir, sizeof dir, "%s/%s", PY_DIR, name);
	snprintf(path, sizeof path, "%s/versions", dir);
	char **files = list_dir(path, ".py", &n);
	ck_assert_msg(n > 0, "%s: no versions/*.py", dir);
	for (size_t i = 0; i < n; i++) {
		char rel[512];
		snprintf(path, sizeof path, "%s/versions/%s", dir, files[i]);
		snprintf(rel, sizeof rel, "versions/%s", files[i]);
		char *text = tu_read_file(path, &len);
		ck_assert_msg(text != NULL, "cannot read '%s'", path);
		struct src_file f = { .path = rel, .text = text, .len = len };
		compile_file(dir, &f, &out);
		free(text);
	}
	free_list(files);
	snprintf(path, sizeof path, "%s/expected", dir);
	char *want = tu_read_file(path, &len);
	ck_assert_msg(want != NULL, "cannot read '%s'", path);
	const char *got = out.buf ? out.buf : "";
	ck_assert_msg(strcmp(got, want) == 0, "%s:\n--- got:\n%s\n--- want (%s):\n%s", dir, got, path, want);
	free(want);
	sb_release(&out);
}
END_TEST

/* The upgrade's half of the sha256-v2 checksum of HEAD + body. */
static char *up_checksum(const char *body)
{
	struct arena a = { 0 };
	struct strbuf src = STRBUF_INIT;
	char sum[EMIT_CHECKSUM_SIZE];
	sb_addstr(&src, HEAD);
	sb_addstr(&src, body);
	struct src_file f = { .path = "versions/x.py", .text = src.buf, .len = src.len };
	struct rev r = { 0 };
	diag_reset();
	const struct pyconfig *cfg = pyrev_config(&a, ini_dir(NULL));
	ck_assert_uint_eq(diag_errors(), 0);
	ck_assert_uint_eq(pyrev_parse(&a, cfg, &f, &r), 0);
	emit_checksum(&r, sum);
	sb_release(&src);
	arena_free(&a);
	return strndup(sum, 10 + 64);
}

/*
 * A .py revision's checksum is over the SQL it renders: Python layout never
 * counts, and an op.execute() string is normalised like a .sql statement
 * (whitespace between tokens, final ';').
 */
START_TEST(checksum_over_rendered_sql)
{
	char *a = up_checksum("def upgrade():\n"
			      "    op.execute('CREATE TABLE t (id int, v text);')\n"
			      "    op.add_column('t', sa.Column('w', sa.Integer()))\n");
	char *b = up_checksum("def upgrade():\n"
			      "    op.execute(\"\"\"\n        CREATE TABLE t ( id int,v text )\n    \"\"\")\n"
			      "    op.add_column( 't',\n        sa.Column( 'w' , sa.Integer() ) )  # why\n");
	char *c = up_checksum("def upgrade():\n"
			      "    op.execute('CREATE TABLE t (id int, v varchar);')\n"
			      "    op.add_column('t', sa.Column('w', sa.Integer()))\n");
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	free(a), free(b), free(c);
}
END_TEST

START_TEST(tokens)
{
	const char *src = "if x:\n    y = ('a'\n         r'\\d' \"\"\"t\n\"\"\")  # c\n\n  # only a comment\nz = 1_000 \\\n + 0x1f\n";
	struct src_file f = { .path = "t.py", .text = src, .len = strlen(src) };
	struct strbuf sb = STRBUF_INIT;
	pylex_dump(&f, &sb);
	ck_assert_str_eq(sb.buf,
			 "NAME if\nNAME x\nOP :\nNEWLINE\nINDENT\nNAME y\nOP =\nOP (\nSTRING 'a'\n"
			 "STRING r'\\d'\nSTRING \"\"\"t\n\"\"\"\nOP )\nNEWLINE\nDEDENT\nNAME z\nOP =\n"
			 "NUMBER 1_000\nOP +\nNUMBER 0x1f\nNEWLINE\nEOF\n");
	sb_release(&sb);
}
END_TEST

/* Prefixes, quotes inside other quotes, f-strings, number forms, and a
 * bracket that spans lines, blank lines and comments (no NEWLINE inside). */
START_TEST(tokens_edge_cases)
{
	const char *src = "x = (u'a' b\"b\" Rb'\\\\' f'{y!r:>{w}}' '''q'\"'''\n"
			  "\n"
			  "     # c\n"
			  "  , [0o17, 1e-3, 2j, .5])\n"
			  "if x:\n"
			  "\tpass\n";
	struct src_file f = { .path = "t.py", .text = src, .len = strlen(src) };
	struct strbuf sb = STRBUF_INIT;
	pylex_dump(&f, &sb);
	ck_assert_str_eq(sb.buf,
			 "NAME x\nOP =\nOP (\nSTRING u'a'\nSTRING b\"b\"\nSTRING Rb'\\\\'\n"
			 "STRING f'{y!r:>{w}}'\nSTRING '''q'\"'''\nOP ,\nOP [\nNUMBER 0o17\nOP ,\n"
			 "NUMBER 1e-3\nOP ,\nNUMBER 2j\nOP ,\nNUMBER .5\nOP ]\nOP )\nNEWLINE\n"
			 "NAME if\nNAME x\nOP :\nNEWLINE\nINDENT\nNAME pass\nNEWLINE\nDEDENT\nEOF\n");
	sb_release(&sb);
}
END_TEST

/* Compiles `body` as a revision of a folder holding env.py `env` and
 * retort.ini `ini` (NULL: none); returns its upgrade statements, then the
 * diagnostics, the folder named DIR. */
static char *compile_in(const char *env, const char *ini, const char *body)
{
	char dir[] = "/tmp/retort-gen-py-XXXXXX";
	char path[256];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/env.py", dir);
	FILE *fp = fopen(path, "w");
	fputs(env, fp);
	fclose(fp);
	if (ini) {
		snprintf(path, sizeof path, "%s/retort.ini", dir);
		fp = fopen(path, "w");
		fputs(ini, fp);
		fclose(fp);
	}
	struct arena a = { 0 };
	struct strbuf src = STRBUF_INIT, out = STRBUF_INIT;
	char *diag = NULL;
	size_t dlen = 0;
	sb_addstr(&src, HEAD);
	sb_addstr(&src, body);
	struct src_file f = { .path = "versions/x.py", .text = src.buf, .len = src.len };
	struct rev r = { 0 };
	diag_stream = open_memstream(&diag, &dlen);
	diag_reset();
	unsigned before = diag_errors();
	const struct pyconfig *cfg = pyrev_config(&a, dir);
	unsigned e = diag_errors() - before;
	if (!e)
		e = pyrev_parse(&a, cfg, &f, &r);
	fclose(diag_stream);
	diag_stream = NULL;
	for (size_t i = 0; !e && i < r.up.n; i++)
		sb_addf(&out, "%s\n", r.up.v[i].sql);
	/* Messages name the temporary folder: keep what follows it. */
	for (char *p = diag, *q; p && (q = strstr(p, dir)); p = q + strlen(dir))
		sb_add(&out, p, (size_t)(q - p)), sb_addstr(&out, "DIR");
	if (diag) {
		const char *tail = diag;
		for (const char *q; (q = strstr(tail, dir)); tail = q + strlen(dir))
			;
		sb_addstr(&out, tail);
	}
	free(diag);
	snprintf(path, sizeof path, "%s/env.py", dir);
	remove(path);
	snprintf(path, sizeof path, "%s/retort.ini", dir);
	remove(path);
	rmdir(dir);
	char *res = strdup(out.buf ? out.buf : "");
	sb_release(&src);
	sb_release(&out);
	arena_free(&a);
	return res;
}

/* A convention in env.py must be declared; a declared one names what the
 * revision leaves unnamed; a key or token SQLAlchemy does not know is refused. */
START_TEST(naming_convention_is_declared)
{
	static const char env[] = "target_metadata = MetaData(naming_convention=NAMING)\n";
	static const char body[] = "def upgrade():\n    op.create_index(None, 't', ['a'])\n"
				   "    op.create_unique_constraint(None, 't', ['a', 'b'])\n";
	char *got = compile_in(env, NULL, body);
	ck_assert_msg(strstr(got, "DIR/env.py: error: env.py mentions a naming_convention, and retort.ini "
			      "declares none\n") != NULL, "%s", got);
	free(got);
	got = compile_in(env, "[naming_convention]\nix = ix_%(column_0_label)s\n"
			 "uq = uq_%(table_name)s_%(column_0_N_name)s\n", body);
	ck_assert_str_eq(got, "CREATE INDEX ix_t_a ON t (a);\nALTER TABLE t ADD CONSTRAINT uq_t_a_b UNIQUE (a, b);\n");
	free(got);
	got = compile_in("", "[naming_convention]\nuk = x\n", body);
	ck_assert_msg(strstr(got, "DIR/retort.ini: error: [naming_convention] key 'uk' is not one SQLAlchemy "
			      "knows\n") != NULL, "%s", got);
	free(got);
	got = compile_in("", "[naming_convention]\nuq = uq_%(column_1N_name)s\n", body);
	ck_assert_msg(strstr(got, "not a convention SQLAlchemy can apply") != NULL, "%s", got);
	free(got);
	/* What real Alembic cannot run (each checked against Alembic 1.8). */
	static const struct {
		const char *ini, *body, *want;
	} fails[] = {
		{ "ck = ck_%(table_name)s_%(constraint_name)s",
		  "def upgrade():\n    op.create_check_constraint(None, 't', 'a > 0')\n",
		  "versions/x.py:13:5: error: naming convention 'ck_%(table_name)s_%(constraint_name)s' includes "
		  "%(constraint_name)s, which needs the constraint to be named: Alembic fails\n" },
		{ "uq = uq_%(table_name)s",
		  "def upgrade():\n    op.create_table('t', sa.Column('a', sa.Integer, index=True))\n",
		  "versions/x.py:13:26: error: an index without a name, and the naming convention of DIR/retort.ini "
		  "has no 'ix': Alembic fails\n" },
		{ "fk = fk_%(referred_column_0_name)s",
		  "def upgrade():\n    op.create_table('t', sa.Column('a', sa.Integer, sa.ForeignKey('u.id')))\n",
		  "versions/x.py:13:53: error: naming convention 'fk_%(referred_column_0_name)s' needs "
		  "%(referred_column_0_name)s, which SQLAlchemy cannot resolve here: Alembic fails\n" },
		{ "pk = pk_%(constraint_name)s", "def upgrade():\n    pass\n",
		  "DIR/retort.ini: error: [naming_convention] pk = pk_%(constraint_name)s: %(constraint_name)s in "
		  "the primary key's convention fails on every table Alembic makes\n" },
	};
	for (size_t i = 0; i < sizeof fails / sizeof *fails; i++) {
		char ini[256];
		snprintf(ini, sizeof ini, "[naming_convention]\n%s\n", fails[i].ini);
		got = compile_in("", ini, fails[i].body);
		ck_assert_msg(strncmp(got, fails[i].want, strlen(fails[i].want)) == 0, "case %zu:\n%s", i, got);
		free(got);
	}
}
END_TEST

/* The folder's retort.ini is read for each build: a second build in the
 * same process (same stack arena address, same folder) sees its new text. */
START_TEST(ini_reread)
{
	const char *body = "from app.types import GUID\ndef upgrade():\n    op.add_column('t', sa.Column('g', GUID()))\n";
	char *got = compile_ini(body, "[types]\nGUID = UUID\n");
	ck_assert_str_eq(got, "ALTER TABLE t ADD COLUMN g UUID;\n(no downgrade)\n");
	free(got);
	got = compile_ini(body, "[types]\nGUID = TEXT\n");
	ck_assert_str_eq(got, "ALTER TABLE t ADD COLUMN g TEXT;\n(no downgrade)\n");
	free(got);
	got = compile_ini(body, NULL);
	ck_assert_msg(strstr(got, "has no SQL mapping") != NULL, "%s", got);
	free(got);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("gen_py");
	TCase *tc = tcase_create("pyrev");
	tcase_add_loop_test(tc, py_case, 0, (int)py_ncases);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, ini_reread);
	tcase_add_test(tc, checksum_over_rendered_sql);
	tcase_add_test(tc, tokens_edge_cases);
	tcase_add_test(tc, naming_convention_is_declared);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!mkdtemp(ini_folder)) {
		perror("mkdtemp");
		return 1;
	}
	py_cases = list_dir(PY_DIR, "", &py_ncases);
	if (!py_ncases) {
		fprintf(stderr, "no cases in %s\n", PY_DIR);
		return 1;
	}
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free_list(py_cases);
	ini_dir(NULL);
	rmdir(ini_folder);
	return failed ? 1 : 0;
}
