/*
 * check_gen_py.c - the Alembic front end: tokens, statements, and the exact
 * error for each construct that needs Python at run time
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "py/pylex.h"
#include "py/pyrev.h"

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

/* Compiles HEAD + body as versions/x.py of a folder whose retort.ini is
 * `ini` (NULL: none); returns the upgrade statements, one per line, then
 * "-- down" and the downgrade's when it has any, then any warnings; or the
 * diagnostics when there are errors. */
static char *compile_ini(const char *body, const char *ini)
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
	const char *dir = ini_dir(ini);
	unsigned before = diag_errors();
	const struct pyconfig *cfg = pyrev_config(&a, dir);
	unsigned e = diag_errors() - before;
	if (!e)
		e = pyrev_parse(&a, cfg, &f, &r);
	fclose(diag_stream);
	diag_stream = NULL;
	if (e) {
		sb_addstr(&out, diag);
	} else {
		for (size_t i = 0; i < r.up.n; i++)
			sb_addf(&out, "%s%s\n", r.up.v[i].flags ? "[autocommit] " : "", r.up.v[i].sql);
		if (!r.down.present)
			sb_addstr(&out, "(no downgrade)\n");
		else if (r.down.n)
			sb_addstr(&out, "-- down\n");
		for (size_t i = 0; r.down.present && i < r.down.n; i++)
			sb_addf(&out, "%s\n", r.down.v[i].sql);
		if (diag && *diag)
			sb_addstr(&out, diag);
	}
	free(diag);
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
	arena_free(&a);
	return res;
}

static char *compile(const char *body)
{
	return compile_ini(body, NULL);
}

#define X10 "xxxxxxxxxx"
#define X100 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10
#define X600 X100 X100 X100 X100 X100 X100

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
	/* lexer forms through whole statements: implicit concatenation over
	 * lines, raw and triple-quoted strings, a backslash continuation */
	{ "def upgrade():\n    op.execute('SELECT ' \"1\"\n               r' + 2')\n"
	  "    op.execute(\"\"\"UPDATE t\nSET a = 'x'\"\"\")\n    op.execute('SELECT ' \\\n               '3')\n",
	  "SELECT 1 + 2;\nUPDATE t\nSET a = 'x';\nSELECT 3;\n(no downgrade)\n" },
	/* nested brackets spanning lines, with comments inside */
	{ "def upgrade():\n    op.bulk_insert(sa.table('t', sa.column('a')),  # rows\n        [\n"
	  "            {'a': (1)},  # one\n            {'a': [2, 3][0]},\n        ])\n",
	  "INSERT INTO t (a) VALUES (1);\nINSERT INTO t (a) VALUES (2);\n(no downgrade)\n" },
	/* 'for x, in' unpacks 1-tuples, in loops and comprehensions */
	{ "def upgrade():\n    for n, in [('a',), ('b',)]:\n        op.drop_table(n)\n"
	  "    op.execute(', '.join(x for x, in [('c',)]))\n",
	  "DROP TABLE a;\nDROP TABLE b;\nc;\n(no downgrade)\n" },
	/* __name__ is the module name Alembic gives the file */
	{ "def upgrade():\n    op.execute(\"SELECT '%s'\" % __name__)\n",
	  "SELECT 'x_py';\n(no downgrade)\n" },
	/* logging prints only */
	{ "import logging\nlog = logging.getLogger(__name__)\ndef upgrade():\n"
	  "    log.info('dropping %s', 't')\n    logging.warning('x')\n    op.drop_table('t')\n",
	  "DROP TABLE t;\n(no downgrade)\n" },
	/* sa.text() parameters become literals; '\:' is a colon; '::' a cast */
	{ "def upgrade():\n    op.execute(sa.text(\"UPDATE t SET a = :v WHERE b = :w AND c::text = '\\\\:x'\")"
	  ".bindparams(v=\"it's\", w=2))\n"
	  "    conn = op.get_bind()\n    conn.execute(sa.text('INSERT INTO t (a) VALUES (:a)'), [{'a': 1.5}, {'a': None}])\n"
	  "    conn.execute(sa.text('DELETE FROM t WHERE a = :a'), {'a': True})\n",
	  "UPDATE t SET a = 'it''s' WHERE b = 2 AND c::text = ':x';\nINSERT INTO t (a) VALUES (1.5);\n"
	  "INSERT INTO t (a) VALUES (NULL);\nDELETE FROM t WHERE a = true;\n(no downgrade)\n" },
	/* sa.Index in create_table; column indexes named with the schema;
	 * rename_table keeps the new name unqualified */
	{ "def upgrade():\n    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),\n"
	  "        sa.Column('a', sa.Text(), index=True), sa.Index('ix_t_lower', sa.text('lower(a)'), unique=True),\n"
	  "        schema='s')\n    op.rename_table('t', 'u', schema='s')\n",
	  "CREATE TABLE s.t (\n\tid SERIAL NOT NULL,\n\ta TEXT,\n\tPRIMARY KEY (id)\n);\n"
	  "CREATE INDEX ix_s_t_a ON s.t (a);\nCREATE UNIQUE INDEX ix_t_lower ON s.t (lower(a));\n"
	  "ALTER TABLE s.t RENAME TO u;\n(no downgrade)\n" },
	/* a Column's own CHECK follows it in ADD COLUMN; postgresql_ops keyed
	 * by an sa.text() expression; DROP INDEX ignores the index's options */
	{ "def upgrade():\n    op.add_column('t', sa.Column('n', sa.Integer(), sa.CheckConstraint('n > 0', name='ck_n')))\n"
	  "    op.create_index('ix', 't', [sa.text('lower(a)')], postgresql_using='gin',\n"
	  "                    postgresql_ops={'lower(a)': 'gin_trgm_ops'})\n"
	  "    op.drop_index('ix', table_name='t', postgresql_where=sa.text('a > 0'), postgresql_using='gin')\n",
	  "ALTER TABLE t ADD COLUMN n INTEGER CONSTRAINT ck_n CHECK (n > 0);\n"
	  "CREATE INDEX ix ON t USING gin (lower(a) gin_trgm_ops);\nDROP INDEX ix;\n(no downgrade)\n" },
	/* PARTITION BY; CREATE SCHEMA; options Alembic ignores */
	{ "def upgrade():\n    op.execute(sa.schema.CreateSchema('app'))\n"
	  "    op.create_table('m', sa.Column('d', sa.Date(), nullable=False), postgresql_partition_by='RANGE (d)',\n"
	  "                    postgresql_ignore_search_path=False)\n"
	  "    op.create_foreign_key('fk', 'm', 'u', ['d'], ['d'], use_alter=True)\n"
	  "    op.alter_column('m', 'd', nullable=True, default=None)\n",
	  "CREATE SCHEMA app;\nCREATE TABLE m (\n\td DATE NOT NULL\n)\n PARTITION BY RANGE (d);\n"
	  "ALTER TABLE m ADD CONSTRAINT fk FOREIGN KEY(d) REFERENCES u (d);\n"
	  "ALTER TABLE m ALTER COLUMN d DROP NOT NULL;\n(no downgrade)\n" },
	/* drop_constraint(None, ...) as autogenerate leaves it in a downgrade:
	 * Alembic fails there, so the downgrade is refused, with a warning */
	{ "def upgrade():\n    op.create_foreign_key(None, 't', 'u', ['u_id'], ['id'])\n"
	  "def downgrade():\n    op.drop_table('x')\n    op.drop_constraint(None, 't', type_='foreignkey')\n",
	  "ALTER TABLE t ADD FOREIGN KEY(u_id) REFERENCES u (id);\n(no downgrade)\n"
	  "versions/x.py:16:5: warning: drop_constraint with no constraint name (None) fails under Alembic: "
	  "downgrading through this revision is refused\n"
	  "   16 |     op.drop_constraint(None, 't', type_='foreignkey')\n      |     ^\n"
	  "hint: name what to drop, as the database knows it, to make the downgrade work\n" },
	{ "def upgrade():\n    op.drop_constraint(None, 't', type_='unique')\n",
	  "versions/x.py:13:5: error: drop_constraint with no constraint name (None) fails under Alembic: "
	  "'upgrade' cannot run\n"
	  "   13 |     op.drop_constraint(None, 't', type_='unique')\n      |     ^\n"
	  "hint: name what to drop, as the database knows it\n" },
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
	/* a primary key column that a table-level ForeignKeyConstraint names
	 * is no SERIAL (SQLAlchemy's autoincrement skips foreign keys) */
	{ "def upgrade():\n    op.create_table('d', sa.Column('t_id', sa.Integer(), nullable=False),\n"
	  "        sa.ForeignKeyConstraint(['t_id'], ['t.id']), sa.PrimaryKeyConstraint('t_id'))\n",
	  "CREATE TABLE d (\n\tt_id INTEGER NOT NULL,\n\tPRIMARY KEY (t_id),\n\tFOREIGN KEY(t_id) REFERENCES t (id)\n);\n"
	  "(no downgrade)\n" },
	/* op.f() names past 63 bytes are shortened as SQLAlchemy does */
	{ "def upgrade():\n    op.create_index(op.f('ix_currentprivacypreference_fides_user_device_provided_identity_id'),\n"
	  "                    'currentprivacypreference', ['fides_user_device_provided_identity_id'])\n",
	  "CREATE INDEX ix_currentprivacypreference_fides_user_device_provided__d6ea ON currentprivacypreference "
	  "(fides_user_device_provided_identity_id);\n(no downgrade)\n" },
	{ "def upgrade():\n    op.drop_constraint('uq_currentprivacypreference_fides_user_device_provided_identity_id', 't')\n",
	  "versions/x.py:13:24: error: name 'uq_currentprivacypreference_fides_user_device_provided_identity_id' is longer "
	  "than PostgreSQL's 63 bytes: SQLAlchemy refuses it\n"
	  "   13 |     op.drop_constraint('uq_currentprivacypreference_fides_user_device_provided_identity_id', 't')\n"
	  "      |                        ^\n"
	  "hint: shorten it, or wrap it in op.f() to have SQLAlchemy shorten it with a hash\n" },
	/* each construct that needs the database or the application */
	{ "def upgrade():\n    n = op.get_bind().execute(sa.text('SELECT 1')).scalar()\n",
	  "versions/x.py:13:9: error: reading the result of 'execute' needs the database at run time\n"
	  "   13 |     n = op.get_bind().execute(sa.text('SELECT 1')).scalar()\n      |         ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "from sqlalchemy.orm import Session\ndef upgrade():\n    session = Session(bind=op.get_bind())\n"
	  "    session.query(1)\n",
	  "versions/x.py:15:5: error: the ORM ('sqlalchemy.orm.Session.query'): sessions and model classes "
	  "need the database and the application at run time\n"
	  "   15 |     session.query(1)\n      |     ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "from app.models import Base\nclass User(Base):\n    __tablename__ = 'users'\n"
	  "def upgrade():\n    op.drop_table(User.__tablename__)\n",
	  "versions/x.py:13:1: error: class 'User' is not an enum.Enum with literal members; classes run as Python\n"
	  "   13 | class User(Base):\n      | ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    insp = sa.inspect(op.get_bind())\n    if 'x' in insp.get_table_names():\n"
	  "        op.drop_table('x')\n",
	  "versions/x.py:14:15: error: reflection ('sa.inspect.get_table_names') reads the database at run time\n"
	  "   14 |     if 'x' in insp.get_table_names():\n      |               ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "from app.migration import skip\ndef upgrade():\n    if skip(op, __name__):\n        return\n"
	  "    op.drop_table('t')\n",
	  "versions/x.py:14:8: error: 'if' on the result of 'app.migration.skip', which the application defines, "
	  "is not known at build time\n"
	  "   14 |     if skip(op, __name__):\n      |        ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "from app import settings\ndef upgrade():\n    if settings.DROP:\n        op.drop_table('t')\n",
	  "versions/x.py:14:8: error: 'if' on 'app.settings.DROP', which the application defines, "
	  "is not known at build time\n"
	  "   14 |     if settings.DROP:\n      |        ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'DROP = false'), "
	  "or rewrite this revision as a .sql file\n" },
	/* an application value decides nothing, whatever the operator */
	{ "from app.config import MULTI_TENANT\ndef upgrade():\n    if not MULTI_TENANT:\n"
	  "        op.create_table('t', sa.Column('id', sa.Integer))\n",
	  "versions/x.py:14:12: error: 'not' on 'app.config.MULTI_TENANT', which the application defines, is not known at build time\n"
	  "   14 |     if not MULTI_TENANT:\n"
	  "      |            ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'MULTI_TENANT = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    op.drop_table(settings.A and 't')\n",
	  "versions/x.py:14:19: error: 'and' on 'app.settings.A', which the application defines, is not known at build time\n"
	  "   14 |     op.drop_table(settings.A and 't')\n"
	  "      |                   ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'A = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    op.drop_table(settings.A or 't')\n",
	  "versions/x.py:14:19: error: 'or' on 'app.settings.A', which the application defines, is not known at build time\n"
	  "   14 |     op.drop_table(settings.A or 't')\n"
	  "      |                   ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'A = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    op.drop_table('a' if settings.X else 'b')\n",
	  "versions/x.py:14:26: error: conditional expression on 'app.settings.X', which the application defines, is not known at build time\n"
	  "   14 |     op.drop_table('a' if settings.X else 'b')\n"
	  "      |                          ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'X = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    if settings.MODE in ('a', 'b'):\n        op.drop_table('t')\n",
	  "versions/x.py:14:8: error: comparison 'in' on 'app.settings.MODE', which the application defines, is not known at build time\n"
	  "   14 |     if settings.MODE in ('a', 'b'):\n"
	  "      |        ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'MODE = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    if 'a' != settings.MODE:\n        op.drop_table('t')\n",
	  "versions/x.py:14:8: error: comparison '!=' on 'app.settings.MODE', which the application defines, is not known at build time\n"
	  "   14 |     if 'a' != settings.MODE:\n"
	  "      |        ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'MODE = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    for t in [t for t in ['a'] if settings.X]:\n        op.drop_table(t)\n",
	  "versions/x.py:14:35: error: comprehension 'if' on 'app.settings.X', which the application defines, is not known at build time\n"
	  "   14 |     for t in [t for t in ['a'] if settings.X]:\n"
	  "      |                                   ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'X = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    if any([False, settings.X]):\n        op.drop_table('t')\n",
	  "versions/x.py:14:8: error: 'any' of 'app.settings.X', which the application defines, is not known at build time\n"
	  "   14 |     if any([False, settings.X]):\n"
	  "      |        ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'X = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import settings\ndef upgrade():\n    op.add_column('t', sa.Column('c', sa.Text, nullable=settings.NULLABLE))\n",
	  "versions/x.py:14:57: error: argument 'nullable' is 'app.settings.NULLABLE', which the application defines, is not known at build time\n"
	  "   14 |     op.add_column('t', sa.Column('c', sa.Text, nullable=settings.NULLABLE))\n"
	  "      |                                                         ^\n"
	  "hint: declare its value in the [constants] section of retort.ini (e.g. 'NULLABLE = false'), or rewrite this revision as a .sql file\n" },
	{ "from app import get_flag\ndef upgrade():\n    if not get_flag():\n        op.drop_table('t')\n",
	  "versions/x.py:14:12: error: 'not' on the result of 'app.get_flag', which the application defines, is not known at build time\n"
	  "   14 |     if not get_flag():\n"
	  "      |            ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    while True:\n        break\n",
	  "versions/x.py:13:5: error: 'while' statement in a revision body is not run at build time\n"
	  "   13 |     while True:\n      |     ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    op.execute(open('data.sql').read())\n",
	  "versions/x.py:13:16: error: 'open' does I/O or runs code, which is not done at build time\n"
	  "   13 |     op.execute(open('data.sql').read())\n      |                ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	{ "def upgrade():\n    op.execute(sa.text('DELETE FROM t WHERE a = :a'))\n",
	  "versions/x.py:13:16: error: sa.text() parameter ':a' has no value known at build time\n"
	  "   13 |     op.execute(sa.text('DELETE FROM t WHERE a = :a'))\n      |                ^\n"
	  "hint: give it with .bindparams(a=...) or in the execute() parameters\n" },
	{ "def upgrade():\n    op.create_index(None, 't', ['a'])\n",
	  "versions/x.py:13:5: error: create_index with no index name (None) takes its name from the naming "
	  "convention of env.py's target_metadata, and retort.ini declares none\n"
	  "   13 |     op.create_index(None, 't', ['a'])\n      |     ^\n"
	  "hint: declare it in a [naming_convention] section of retort.ini (ix = ix_%(column_0_label)s is "
	  "SQLAlchemy's default), or write the name: op.f('ix_t_<column>')\n" },
	{ "def upgrade():\n    if op.get_context().as_sql:\n        pass\n",
	  "versions/x.py:13:8: error: 'as_sql' of the migration context is not known at build time\n"
	  "   13 |     if op.get_context().as_sql:\n      |        ^\n"
	  "hint: rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")\n" },
	/* a format spec keeps a long string whole */
	{ "X = 'x' * 600\ndef upgrade():\n    op.execute(f\"SELECT '{X:>3}'\")\n",
	  "SELECT '" X600 "';\n(no downgrade)\n" },
	/* ids are checked as .sql ids are: a quote, a line break or a NUL
	 * would reach the version table's SQL */
	{ "revision = \"r1'; DROP TABLE t;\"\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:12: error: invalid revision id 'r1\\'; DROP TABLE t;' in 'revision'\n"
	  "   12 | revision = \"r1'; DROP TABLE t;\"\n"
	  "      |            ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "revision = 'r1\\nDROP TABLE t'\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:12: error: invalid revision id 'r1\\nDROP TABLE t' in 'revision'\n"
	  "   12 | revision = 'r1\\nDROP TABLE t'\n"
	  "      |            ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "revision = 'r1\\x00x'\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:12: error: invalid revision id 'r1\\x00x' in 'revision'\n"
	  "   12 | revision = 'r1\\x00x'\n"
	  "      |            ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "revision = ''\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:12: error: empty revision id in 'revision'\n"
	  "   12 | revision = ''\n"
	  "      |            ^\n" },
	{ "down_revision = (\"p'\", 'q')\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:18: error: invalid revision id 'p\\'' in 'down_revision'\n"
	  "   12 | down_revision = (\"p'\", 'q')\n"
	  "      |                  ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "down_revision = 'p\\0'\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:17: error: invalid revision id 'p\\x00' in 'down_revision'\n"
	  "   12 | down_revision = 'p\\0'\n"
	  "      |                 ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "branch_labels = ('ok-1.x', 'a\\nb')\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:28: error: invalid branch label 'a\\nb' in 'branch_labels'\n"
	  "   12 | branch_labels = ('ok-1.x', 'a\\nb')\n"
	  "      |                            ^\n"
	  "hint: labels may hold letters, digits, '_', '-' and '.'\n" },
	{ "depends_on = [\"d'\"]\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:15: error: invalid revision id 'd\\'' in 'depends_on'\n"
	  "   12 | depends_on = [\"d'\"]\n"
	  "      |               ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	{ "depends_on = 'd\\r'\ndef upgrade():\n    pass\n",
	  "versions/x.py:12:14: error: invalid revision id 'd\\r' in 'depends_on'\n"
	  "   12 | depends_on = 'd\\r'\n"
	  "      |              ^\n"
	  "hint: revision ids may hold letters, digits and '_'\n" },
	/* lexer and parser errors, at their position */
	{ "def upgrade():\n        op.drop_table('a')\n\top.drop_table('b')\n",
	  "versions/x.py:14:2: error: inconsistent use of tabs and spaces in indentation\n"
	  "   14 | \top.drop_table('b')\n      | \t^\n" },
	{ "def upgrade():\n    if True:\n        pass\n  op.drop_table('t')\n",
	  "versions/x.py:15:3: error: unindent does not match any outer indentation level\n"
	  "   15 |   op.drop_table('t')\n      |   ^\n" },
	{ "def upgrade():\n    op.execute('''SELECT 1\n",
	  "versions/x.py:13:16: error: unterminated triple-quoted string\n"
	  "   13 |     op.execute('''SELECT 1\n      |                ^\n" },
	{ "def upgrade()\n    pass\n",
	  "versions/x.py:12:14: error: invalid syntax: expected ':', found end of line\n"
	  "   12 | def upgrade()\n      |              ^\n" },
	{ "def upgrade():\n    op.drop_table('t' 'u' 1)\n",
	  "versions/x.py:13:27: error: invalid syntax: expected ')', found '1'\n"
	  "   13 |     op.drop_table('t' 'u' 1)\n      |                           ^\n" },
};

/* Cases that need the folder's retort.ini. */
static const struct {
	const char *ini, *body, *want;
} ini_cases[] = {
	{ "[types]\nGUID = UUID\n",
	  "from app.types import GUID\ndef upgrade():\n    op.add_column('t', sa.Column('g', GUID()))\n",
	  "ALTER TABLE t ADD COLUMN g UUID;\n(no downgrade)\n" },
	/* [constants]: by last name or dotted path, each kind of value */
	{ "[constants]\nMULTI_TENANT = false\n",
	  "from app.config import MULTI_TENANT\ndef upgrade():\n    if not MULTI_TENANT:\n"
	  "        op.create_table('t', sa.Column('id', sa.Integer))\n",
	  "CREATE TABLE t (\n"
	  "\tid INTEGER\n"
	  ");\n"
	  "(no downgrade)\n" },
	{ "[constants]\napp.config.MULTI_TENANT = True\nMULTI_TENANT = false\n",
	  "from app import config\ndef upgrade():\n    if not config.MULTI_TENANT:\n"
	  "        op.drop_table('t')\n    op.drop_table('u')\n",
	  "DROP TABLE u;\n"
	  "(no downgrade)\n" },
	{ "[constants]\nMODE = 'b'\nN = -2\nSCHEMA = None\nNULLABLE = false\n",
	  "from app import settings as s\ndef upgrade():\n    if s.MODE in ('a', 'b') and s.N < 0:\n"
	  "        op.add_column('t', sa.Column('c', sa.Text, nullable=s.NULLABLE), schema=s.SCHEMA)\n"
	  "    op.drop_table('x' if s.SCHEMA else 'y')\n",
	  "ALTER TABLE t ADD COLUMN c TEXT NOT NULL;\n"
	  "DROP TABLE y;\n"
	  "(no downgrade)\n" },
	/* bad declarations, each at its line and column */
	{ "[constants]\nA = maybe\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:2:5: error: invalid value 'maybe' for constant 'A'\n"
	  "    2 | A = maybe\n"
	  "      |     ^\n"
	  "hint: a constant is true, false, None, an integer or a quoted 'string'\n" },
	{ "[constants]\nA = 'open\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:2:5: error: invalid value ''open' for constant 'A'\n"
	  "    2 | A = 'open\n"
	  "      |     ^\n"
	  "hint: a constant is true, false, None, an integer or a quoted 'string'\n" },
	{ "[constants]\nA = 99999999999999999999\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:2:5: error: invalid value '99999999999999999999' for constant 'A'\n"
	  "    2 | A = 99999999999999999999\n"
	  "      |     ^\n"
	  "hint: a constant is true, false, None, an integer or a quoted 'string'\n" },
	{ "[constants]\n1A = true\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:2:1: error: invalid constant name '1A'\n"
	  "    2 | 1A = true\n"
	  "      | ^\n"
	  "hint: a constant is named as the revisions name it: 'MULTI_TENANT' or 'app.config.MULTI_TENANT'\n" },
	{ "[constants]\nA = 1\nA = 2\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:3:1: error: constant 'A' is declared twice\n"
	  "    3 | A = 2\n"
	  "      | ^\n" },
	{ "[types\n", "def upgrade():\n    pass\n",
	  "FOLDER/retort.ini:1:1: error: not a section header, a comment or a 'key = value' line\n"
	  "    1 | [types\n"
	  "      | ^\n" },
};

START_TEST(with_ini)
{
	char *got = compile_ini(ini_cases[_i].body, ini_cases[_i].ini);
	ck_assert_msg(strcmp(got, ini_cases[_i].want) == 0, "case %d:\n%s%s\n--- got:\n%s\n--- want:\n%s", _i,
		      ini_cases[_i].ini, ini_cases[_i].body, got, ini_cases[_i].want);
	free(got);
}
END_TEST

START_TEST(statements_and_errors)
{
	char *got = compile(cases[_i].body);
	ck_assert_msg(strcmp(got, cases[_i].want) == 0, "case %d:\n%s\n--- got:\n%s\n--- want:\n%s", _i,
		      cases[_i].body, got, cases[_i].want);
	free(got);
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
 * retort.ini `ini` (NULL: none); returns what compile() returns. */
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
	tcase_add_loop_test(tc, statements_and_errors, 0, sizeof cases / sizeof *cases);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, ini_reread);
	tcase_add_loop_test(tc, with_ini, 0, sizeof ini_cases / sizeof *ini_cases);
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
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	ini_dir(NULL);
	rmdir(ini_folder);
	return failed ? 1 : 0;
}
