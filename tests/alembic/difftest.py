#!/usr/bin/python3
"""Differential test: a migration folder applied by real Alembic and by the
retort migrator compiled from it must give the same schema, step by step,
and the same statements offline.

    difftest.py FOLDER MIGRATOR

Runs against the cluster in PGHOST/PGPORT/PGUSER (scripts/run-tests.sh).
Prints what differs and exits 1 on any difference.
"""
import os
import re
import subprocess
import sys

folder, migrator = sys.argv[1], os.path.abspath(sys.argv[2])
name = os.path.basename(folder.rstrip("/"))
bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
failures = []


def url(db):
    return "postgresql://%s@/%s?host=%s&port=%s" % (
        os.environ.get("PGUSER", "postgres"), db, os.environ["PGHOST"], os.environ["PGPORT"])


def run(argv, db=None, check=True):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    if db:
        env["DATABASE_URL"] = url(db)
        env["PGDATABASE"] = db
    p = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=folder)
    if check and p.returncode != 0:
        raise SystemExit("%s failed (%d):\n%s%s" % (" ".join(argv), p.returncode, p.stdout, p.stderr))
    return p


def alembic(db, *args, check=True):
    return run(["/usr/bin/python3", "-m", "alembic", *args], db, check)


def ours(db, *args, check=True):
    return run([migrator, *args], db, check)


def psql(db, sql):
    run([bindir + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql])


def createdb(db):
    psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
    psql("postgres", 'CREATE DATABASE "%s"' % db)


def schema(db):
    out = run([bindir + "/pg_dump", "--schema-only", "--no-owner",
                "--exclude-table=alembic_version_log", "--exclude-schema=retort", "-d", db]).stdout
    keep = []
    for line in out.splitlines():
        if line.startswith(("--", "SET ", "\\restrict", "\\unrestrict", "SELECT pg_catalog.set_config")):
            continue
        keep.append(line)
    return "\n".join(keep)


def versions(db):
    p = run([bindir + "/psql", "-X", "-A", "-t", "-d", db, "-c",
             "SELECT coalesce(string_agg(version_num, ',' ORDER BY version_num), '') FROM alembic_version"],
            check=False)
    return p.stdout.strip() if p.returncode == 0 else ""


def same(what, a, b):
    if a != b:
        import difflib
        d = "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(), "alembic", "retort", lineterm=""))
        failures.append("%s: %s differs:\n%s" % (name, what, d))


def statements(script):
    """Migration statements of an offline script by revision step,
    whitespace-normalised; the version table and retort's own log table
    (Alembic ignores it) aside. Steps are sorted: independent branches may
    run in either order."""
    steps, cur = {}, None
    for block in script.split("\n\n"):
        s = " ".join(block.split())
        if s.endswith(";"):
            s = s[:-1].rstrip()
        if s.startswith("-- Running"):
            cur = s
            steps[cur] = []
            continue
        if not s or s in ("BEGIN", "COMMIT") or cur is None:
            continue
        if re.match(r"(CREATE TABLE( IF NOT EXISTS)?|INSERT INTO|UPDATE|DELETE FROM) alembic_version(_log)?\b", s):
            continue
        if s.startswith(("DO $retort$", "INSERT INTO pg_temp.retort_log ")):
            continue
        steps[cur].append(s)
    out = []
    for k in sorted(steps):
        out.append(k)
        out.extend(index_runs_sorted(steps[k]))
    return out


def index_runs_sorted(stmts):
    """SQLAlchemy keeps a table's indexes in a set, so the CREATE INDEX
    statements that follow its CREATE TABLE come in an order that changes
    from run to run: sort each run of consecutive CREATE INDEX statements."""
    out, run_ = [], []
    for s in stmts + [None]:
        if s is not None and re.match(r"CREATE (UNIQUE )?INDEX\b", s):
            run_.append(s)
            continue
        out.extend(sorted(run_))
        run_ = []
        if s is not None:
            out.append(s)
    return out


def current_alembic(db):
    out = alembic(db, "current").stdout
    return ",".join(sorted(line.split()[0] for line in out.splitlines() if line.strip()))


def current_ours(db):
    out = ours(db, "current").stdout
    return ",".join(sorted(line.split()[0] for line in out.splitlines() if line.strip()))


# Revisions oldest first, from the migrator's own history.
hist = ours(None, "history").stdout.splitlines()
revs = []
for line in reversed(hist):
    m = re.match(r"(.*?) -> (\w+)", line)
    if m:
        revs.append(m.group(2))

# 1. Offline statements (unless FOLDER/online-only says why real Alembic
# cannot write them).
o_sql = ours(None, "upgrade", "heads", "--sql").stdout
if not os.path.exists(os.path.join(folder, "online-only")):
    a_sql = alembic(None, "upgrade", "heads", "--sql").stdout
    same("upgrade heads --sql statements", "\n".join(statements(a_sql)), "\n".join(statements(o_sql)))

# 2. Step by step, then heads, then base.
A, B = "da_" + name, "do_" + name
createdb(A)
createdb(B)
for rev in revs:
    alembic(A, "upgrade", rev)
    ours(B, "upgrade", rev)
    same("schema after upgrade %s" % rev, schema(A), schema(B))
    same("version table after upgrade %s" % rev, versions(A), versions(B))
alembic(A, "upgrade", "heads")
ours(B, "upgrade", "heads")
same("schema at heads", schema(A), schema(B))
same("current at heads", current_alembic(A), current_ours(B))
head_schema = schema(B)
alembic(A, "downgrade", "base")
ours(B, "downgrade", "base")
same("schema after downgrade base", schema(A), schema(B))

# 3. Hand-over both ways, from the middle of the history.
if len(revs) > 1:
    mid = revs[len(revs) // 2 - 1]
    createdb(A)
    createdb(B)
    alembic(A, "upgrade", mid)
    ours(A, "upgrade", "heads")
    same("current after alembic -> retort", current_alembic(A), current_ours(A))
    same("schema after alembic -> retort", head_schema, schema(A))
    ours(B, "upgrade", mid)
    same("current after retort at %s" % mid, mid, current_alembic(B))
    alembic(B, "upgrade", "heads")
    same("current after retort -> alembic", current_alembic(B), current_ours(B))
    same("schema after retort -> alembic", head_schema, schema(B))

for db in (A, B):
    psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)
if failures:
    print("\n\n".join(failures))
    sys.exit(1)
print("%s: %d revisions, %d statements: same as Alembic" % (name, len(revs), len(statements(o_sql)) - len(revs)))
