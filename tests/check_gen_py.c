/*
 * check_gen_py.c - the Alembic front end: tokens, statements, and the exact
 * error for each construct that needs Python at run time
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "pylex.h"
#include "pyrev.h"

static const char HEAD[] =
	"\"\"\"msg\n\nRevision ID: r1\nRevises:\nCreate Date: 2024-01-01 00:00:00\n\n\"\"\"\n"
	"from alembic import op\nimport sqlalchemy as sa\n"
	"revision = 'r1'\ndown_revision = None\n";

/* Compiles HEAD + body as versions/x.py; returns the upgrade statements, one
 * per line, or the diagnostics when there are errors. */
static char *compile(const char *body)
{
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
	unsigned e = pyrev_parse(&a, "/nonexistent", &f, &r);
	fclose(diag_stream);
	diag_stream = NULL;
	if (e) {
		sb_addstr(&out, diag);
	} else {
		for (size_t i = 0; i < r.up.n; i++)
			sb_addf(&out, "%s%s\n", r.up.v[i].flags ? "[autocommit] " : "", r.up.v[i].sql);
		if (!r.down.present)
			sb_addstr(&out, "(no downgrade)\n");
	}
	free(diag);
	char *res = strdup(out.buf ? out.buf : "");
	sb_release(&src);
	sb_release(&out);
	arena_free(&a);
	return res;
}

static const struct {
	const char *body, *want;
} cases[] = {
	/* statements */
	{ "def upgrade():\n    op.add_column('t', sa.Column('c', sa.String(5), nullable=False))\n",
	  "ALTER TABLE t ADD COLUMN c VARCHAR(5) NOT NULL;\n(no downgrade)\n" },
	{ "def upgrade():\n    for t in ['a', 'b']:\n        op.drop_table(f'x_{t}')\n",
	  "DROP TABLE x_a;\nDROP TABLE x_b;\n(no downgrade)\n" },
	{ "T = 'users'\ndef h(c):\n    op.drop_column(T, c)\ndef upgrade():\n    h('a')\n    h(c='b')\n"
	  "def downgrade():\n    raise NotImplementedError()\n",
	  "ALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN b;\n(no downgrade)\n" },
	{ "def upgrade():\n    with op.get_context().autocommit_block():\n"
	  "        op.create_index('i', 't', ['c'], postgresql_concurrently=True)\n    op.execute('SELECT 1')\n",
	  "[autocommit] CREATE INDEX CONCURRENTLY i ON t (c);\nSELECT 1;\n(no downgrade)\n" },
	{ "def upgrade():\n    op.execute(\"UPDATE t SET a = '%s'\" % 'it''s')\n    op.execute('x = {}'.format(1 + 2))\n",
	  "UPDATE t SET a = 'its';\nx = 3;\n(no downgrade)\n" },
	{ "def upgrade():\n    op.create_table('t', sa.Column('User', sa.Integer, primary_key=True), "
	  "sa.Column('order', sa.Text(), server_default=\"it's\"))\n",
	  "CREATE TABLE t (\n\t\"User\" SERIAL NOT NULL,\n\t\"order\" TEXT DEFAULT 'it''s',\n"
	  "\tPRIMARY KEY (\"User\")\n);\n(no downgrade)\n" },
	/* errors: each names the construct, at its position */
	{ "def upgrade():\n    try:\n        op.drop_table('t')\n    except Exception:\n        pass\n",
	  "versions/x.py:13:5: error: 'try' statement in a revision body is not run at build time\n"
	  "   13 |     try:\n      |     ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    conn = op.get_bind()\n    rows = conn.execute(sa.text('SELECT id FROM t')).fetchall()\n",
	  "versions/x.py:14:12: error: reading the result of 'execute' needs the database at run time\n"
	  "   14 |     rows = conn.execute(sa.text('SELECT id FROM t')).fetchall()\n      |            ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "from app.types import GUID\ndef upgrade():\n    op.add_column('t', sa.Column('g', GUID()))\n",
	  "versions/x.py:14:39: error: column type 'app.types.GUID' has no SQL mapping\n"
	  "   14 |     op.add_column('t', sa.Column('g', GUID()))\n      |                                       ^\n"
	  "hint: add 'GUID = <SQL type>' to the [types] section of retort.ini in the migration folder\n" },
	{ "from app import helpers\ndef upgrade():\n    helpers.backfill(op)\n",
	  "versions/x.py:14:5: error: call of 'app.helpers.backfill', which the application defines, is not run at build time\n"
	  "   14 |     helpers.backfill(op)\n      |     ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    for row in op.get_bind().execute('SELECT 1'):\n        pass\n",
	  "versions/x.py:13:16: error: reading the result of 'execute' needs the database at run time\n"
	  "   13 |     for row in op.get_bind().execute('SELECT 1'):\n      |                ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    op.drop_table('t'\n",
	  "versions/x.py:14:1: error: invalid syntax: expected ')', found end of file\n"
	  "   14 | \n      | ^\n" },
	{ "def upgrade():\n    op.create_table('t', sa.Column('e', sa.Enum('a', 'b')))\n",
	  "versions/x.py:13:41: error: PostgreSQL ENUM type requires a name\n"
	  "   13 |     op.create_table('t', sa.Column('e', sa.Enum('a', 'b')))\n      |                                         ^\n"
	  "hint: add name='...' to the Enum\n" },
};

START_TEST(statements_and_errors)
{
	char *got = compile(cases[_i].body);
	ck_assert_msg(strcmp(got, cases[_i].want) == 0, "case %d:\n%s\n--- got:\n%s\n--- want:\n%s", _i,
		      cases[_i].body, got, cases[_i].want);
	free(got);
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

static Suite *suite(void)
{
	Suite *s = suite_create("gen_py");
	TCase *tc = tcase_create("pyrev");
	tcase_add_loop_test(tc, statements_and_errors, 0, sizeof cases / sizeof *cases);
	tcase_add_test(tc, tokens);
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
