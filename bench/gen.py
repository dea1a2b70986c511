#!/usr/bin/env python3
"""gen.py N OUT [--only-retort | --chain]: N synthetic revisions, the same SQL three ways.

Revision k creates table t_k with a few columns, an index and a foreign key
to t_(k-1), written as
  OUT/retort/versions/rNNNNN.sql     native retort revisions
  OUT/alembic/versions/rNNNNN.py     Alembic scripts, one op.execute per statement
  OUT/dbmate/NNNNN_tK.sql            dbmate migrations
so each tool runs the identical statements. --chain writes only
OUT/retort/versions, each revision a single `SELECT k;` both ways: a long
chain whose commands can be timed at its head without creating N tables.
"""
import os
import sys


def statements(k):
    fk = f",\n    prev_id bigint REFERENCES t_{k - 1:05d} (id)" if k > 1 else ""
    return [
        f"CREATE TABLE t_{k:05d} (\n"
        f"    id bigserial PRIMARY KEY,\n"
        f"    name text NOT NULL,\n"
        f"    amount numeric(12,2) NOT NULL DEFAULT 0,\n"
        f"    created_at timestamptz NOT NULL DEFAULT now(){fk}\n)",
        f"CREATE INDEX t_{k:05d}_name_idx ON t_{k:05d} (name, created_at)",
    ]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


ALEMBIC_INI = """[alembic]
script_location = %(here)s
sqlalchemy.url = driver://user:pass@localhost/dbname
"""

ENV_PY = '''import os
from alembic import context
from sqlalchemy import create_engine, pool

engine = create_engine(os.environ["BENCH_SQLALCHEMY_URL"], poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    chain = "--chain" in sys.argv
    only_retort = chain or "--only-retort" in sys.argv
    dirs = [f"{out}/retort/versions"]
    if not only_retort:
        dirs += [f"{out}/alembic/versions", f"{out}/dbmate"]
    for d in dirs:
        os.makedirs(d, exist_ok=True)
    if not only_retort:
        write(f"{out}/alembic/alembic.ini", ALEMBIC_INI)
        write(f"{out}/alembic/env.py", ENV_PY)
    for k in range(1, n + 1):
        rid, parent = f"r{k:05d}", (f"r{k - 1:05d}" if k > 1 else "")
        if chain:
            write(f"{out}/retort/versions/{rid}.sql",
                  f"-- Message: step {k}\n-- Revision ID: {rid}\n-- Revises: {parent}\n\n"
                  f"-- migrate:upgrade\nSELECT {k};\n-- migrate:downgrade\nSELECT -{k};\n")
            continue
        stmts = statements(k)
        write(f"{out}/retort/versions/{rid}.sql",
              f"-- Message: create t_{k:05d}\n-- Revision ID: {rid}\n-- Revises: {parent}\n\n"
              "-- migrate:upgrade\n" + "".join(s + ";\n" for s in stmts) +
              f"\n-- migrate:downgrade\nDROP TABLE t_{k:05d};\n")
        if only_retort:
            continue
        ops = "".join(f'    op.execute("""{s}""")\n' for s in stmts)
        write(f"{out}/alembic/versions/{rid}.py",
              f'"""create t_{k:05d}"""\nfrom alembic import op\n\n'
              f"revision = {rid!r}\ndown_revision = {parent or None!r}\n"
              "branch_labels = None\ndepends_on = None\n\n\n"
              f"def upgrade():\n{ops}\n\ndef downgrade():\n"
              f'    op.execute("DROP TABLE t_{k:05d}")\n')
        write(f"{out}/dbmate/{k:05d}_t_{k:05d}.sql",
              "-- migrate:up\n" + "".join(s + ";\n" for s in stmts) +
              f"\n-- migrate:down\nDROP TABLE t_{k:05d};\n")


if __name__ == "__main__":
    main()
