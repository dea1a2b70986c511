#!/usr/bin/python3
"""Real Alembic's autogenerate against a database our migrator manages must
not propose to drop (or otherwise touch) retort's own tables.

    autogen.py MIGRATOR

MIGRATOR is build/tests/migrate-linear. Runs against the cluster in
PGHOST/PGPORT/PGUSER (scripts/run-tests.sh). Exits 1 with the generated
script when it mentions our tables.
"""
import os
import shutil
import subprocess
import sys
import tempfile

migrator = os.path.abspath(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
db = "ag_autogen"
url = "postgresql://%s@/%s?host=%s&port=%s" % (
    os.environ.get("PGUSER", "postgres"), db, os.environ["PGHOST"], os.environ["PGPORT"])

# The linear fixture's schema as application models would declare it.
ENV_PY = '''
from alembic import context
from sqlalchemy import create_engine, pool, MetaData, Table, Column, Integer, Text, String, Index

metadata = MetaData()
accounts = Table("accounts", metadata,
                 Column("id", Integer, primary_key=True),
                 Column("name", Text, nullable=False),
                 Column("email", String(255)))
Index("idx_accounts_email", accounts.c.email)

engine = create_engine(%r, poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
''' % url


def run(argv, cwd=None, check=True):
    env = dict(os.environ, PGDATABASE=db)
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd)
    if check and p.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s%s" % (" ".join(argv), p.returncode, p.stdout, p.stderr))
    return p


def psql(database, sql):
    run([bindir + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql])


def autogenerate(work, n):
    """The script autogenerate writes (removed again, so the database stays at head)."""
    run(["/usr/bin/python3", "-m", "alembic", "revision", "--autogenerate", "-m", "check%d" % n,
         "--rev-id", "ag%d" % n], cwd=work)
    [script] = [f for f in os.listdir(os.path.join(work, "versions")) if f.startswith("ag%d_" % n)]
    path = os.path.join(work, "versions", script)
    with open(path) as f:
        text = f.read()
    os.unlink(path)
    return text


psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
psql("postgres", 'CREATE DATABASE "%s"' % db)
run([migrator, "upgrade", "head"])

work = tempfile.mkdtemp(prefix="retort-autogen-")
try:
    os.mkdir(os.path.join(work, "versions"))
    shutil.copy(os.path.join(here, "ops", "script.py.mako"), work)
    with open(os.path.join(work, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s\n")
    # Alembic autogenerates only against a database at its head: the same ids.
    for rev, down in (("a1a1a1a1a1a1", None), ("b2b2b2b2b2b2", "a1a1a1a1a1a1"),
                      ("c3c3c3c3c3c3", "b2b2b2b2b2b2")):
        with open(os.path.join(work, "versions", rev + ".py"), "w") as f:
            f.write("revision = %r\ndown_revision = %r\nbranch_labels = None\ndepends_on = None\n\n"
                    "def upgrade():\n    pass\n\ndef downgrade():\n    pass\n" % (rev, down))
    with open(os.path.join(work, "env.py"), "w") as f:
        f.write(ENV_PY)
    got = autogenerate(work, 1)
    bad = [w for w in ("retort", "alembic_version", "drop_table") if w in got]
    if bad:
        raise SystemExit("autogenerate touches %s:\n%s" % (", ".join(bad), got))
    # The check can fail: a table the models lack is proposed for dropping.
    psql(db, "CREATE TABLE not_in_models (id int)")
    got = autogenerate(work, 2)
    if "op.drop_table('not_in_models')" not in got:
        raise SystemExit("autogenerate did not see a table the models lack:\n" + got)
    print("autogenerate leaves retort's tables alone")
finally:
    shutil.rmtree(work)
