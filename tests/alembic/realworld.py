#!/usr/bin/python3
"""Real-world reach of retort's Alembic front end, file by file.

    realworld.py HISTORY WORK [BUILD_DIR]     measure one history
    realworld.py --summary WORK...            totals and grouped errors

BUILD_DIR holds retort and libretort.a (default build). Run from the
repository root; the cluster comes from PGHOST/PGPORT/PGUSER (any
throwaway cluster, e.g. scripts/pg.sh start DIR PORT). Real Alembic is
Debian's /usr/bin/python3 -m alembic (1.8, SQLAlchemy 1.4). RW_SHIMS may
name a directory put first on Alembic's sys.path: stand-ins for the
application modules a history imports for its column types (the same
types HISTORY/retort.ini maps), so that real Alembic can load those files.
Nothing of the measured history belongs in this repository.

HISTORY/versions/*.py is one public project's Alembic history (HISTORY may
hold a retort.ini with a [types] map, as a user would write it). WORK is a
scratch directory. The cluster comes from PGHOST/PGPORT/PGUSER.

Method:
1. `retort compile` the history as it is; a file compiles when no error
   names it (retort reports every file's errors, not only the first).
2. Each file is loaded as real Alembic loads it; one that cannot be imported
   (it imports the application) is replaced by a stub with the same
   identifiers on both sides (its revision is not measured by schema).
3. Our migrator is built from the history with the files that do not compile
   replaced by such stubs, so that every compiled file can run even when an
   earlier one does not compile.
4. In topological order: database A holds what real Alembic did up to the
   parents of revision R. B := a clone of A (CREATE DATABASE .. TEMPLATE);
   Alembic upgrades A to R (if it fails, the step rolls back and A is
   stamped at R: the oracle could not run R); our migrator upgrades B to R;
   pg_dump --schema-only of A and B must be identical. So each file is
   measured on the schema real Alembic produced before it, independent of
   whether other files compile.
Writes WORK/result.json (one record per file) and prints a summary.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import traceback



def summary(works):
    """Totals over WORK dirs, and the first error of each failing file
    grouped by message with quoted names masked."""
    import collections
    tot = collections.Counter()
    groups = collections.Counter()
    example = {}
    for w in works:
        d = json.load(open(os.path.join(w, "result.json")))
        for r in d["files"]:
            tot[r["verdict"]] += 1
            tot["files"] += 1
            if r["verdict"] == "error":
                msg = re.sub(r"'[^']*'", "'…'", r["error"]["msg"])
                groups[msg] += 1
                example.setdefault(msg, "%s/%s:%d" % (d["history"], r["file"], r["error"]["line"]))
    n = tot["files"]
    print("files %d  compile %d (%.1f%%)  identical %d (%.1f%%)  wrong %d  unverified %d  error %d" % (
        n, n - tot["error"], 100.0 * (n - tot["error"]) / n, tot["identical"],
        100.0 * tot["identical"] / n, tot["wrong"], tot["unverified"], tot["error"]))
    for msg, k in groups.most_common(25):
        print("%5d  %s   e.g. %s" % (k, msg, example[msg]))


if sys.argv[1] == "--summary":
    summary(sys.argv[2:])
    sys.exit(0)
hist, work = sys.argv[1], os.path.abspath(sys.argv[2])
rtb = os.path.abspath(sys.argv[3] if len(sys.argv) > 3 else "build")
name = os.path.basename(os.path.abspath(hist))
bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
dbname = re.sub(r"\W", "_", (os.path.basename(os.path.dirname(work)) + "_" + name).lower())
DA, DB = "rwa_" + dbname, "rwb_" + dbname


def url(db):
    return "postgresql://%s@/%s?host=%s&port=%s" % (
        os.environ.get("PGUSER", "postgres"), db, os.environ["PGHOST"], os.environ["PGPORT"])


def psql(db, sql):
    subprocess.run([bindir + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                   check=True, capture_output=True)


def schema(db):
    out = subprocess.run([bindir + "/pg_dump", "--schema-only", "--no-owner",
                          "--exclude-table=alembic_version_log", "--exclude-schema=retort", "-d", db],
                         capture_output=True, text=True, check=True).stdout
    return "\n".join(l for l in out.splitlines()
                     if not l.startswith(("--", "SET ", "\\restrict", "\\unrestrict",
                                          "SELECT pg_catalog.set_config")))


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
files = sorted(f for f in os.listdir(os.path.join(hist, "versions"))
               if f.endswith(".py") and f != "__init__.py")

# 1. Compile as it is.
p = subprocess.run([rtb + "/retort", "compile", hist, "-o", work + "/asis.c"],
                   capture_output=True, text=True)
errs = {}
for line in p.stderr.splitlines():
    m = re.match(r"(?:.*/)?versions/([^:/]+\.py):(\d+):(\d+): error: (.*)", line)
    if m and m.group(1) not in errs:
        errs[m.group(1)] = {"line": int(m.group(2)), "col": int(m.group(3)), "msg": m.group(4)}
other_errs = [l for l in p.stderr.splitlines() if ": error:" in l and not re.match(r"(?:.*/)?versions/", l)]

# 2. Identifiers and loadability under real Alembic.
if os.environ.get("RW_SHIMS"):
    sys.path.insert(0, os.environ["RW_SHIMS"])
from alembic.util.pyfiles import load_python_file  # noqa: E402


def literal_ids(path):
    ids = {"revision": None, "down_revision": None, "branch_labels": None, "depends_on": None}
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in tree.body:
        tgt = val = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            tgt, val = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            tgt, val = node.target, node.value
        if isinstance(tgt, ast.Name) and tgt.id in ids and val is not None:
            try:
                ids[tgt.id] = ast.literal_eval(val)
            except ValueError:
                pass
    return ids


meta = {}
for f in files:
    path = os.path.join(hist, "versions", f)
    rec = {"file": f}
    try:
        mod = load_python_file(os.path.join(hist, "versions"), f)
        rec["ids"] = {k: getattr(mod, k, None) for k in
                      ("revision", "down_revision", "branch_labels", "depends_on")}
        rec["loadable"] = True
    except Exception as e:  # the application is not installed here
        rec["ids"] = literal_ids(path)
        rec["loadable"] = False
        rec["load_error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    for k, v in rec["ids"].items():
        if isinstance(v, list):
            rec["ids"][k] = tuple(v)
    meta[f] = rec


def stub(f):
    ids = meta[f]["ids"]
    return ('"""stub for %s"""\n' % f + "".join("%s = %r\n" % kv for kv in ids.items())
            + "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")


def folder(dirname, keep):
    d = os.path.join(work, dirname)
    os.makedirs(d + "/versions")
    if os.path.exists(os.path.join(hist, "retort.ini")):
        shutil.copy(os.path.join(hist, "retort.ini"), d)
    for f in files:
        if keep(f):
            shutil.copy(os.path.join(hist, "versions", f), d + "/versions/" + f)
        else:
            open(d + "/versions/" + f, "w").write(stub(f))
    with open(d + "/alembic.ini", "w") as fh:
        fh.write("[alembic]\nscript_location = %(here)s\n")
    return d


adir = folder("alembic", lambda f: meta[f]["loadable"])
odir = folder("ours", lambda f: f not in errs)

# 3. Our migrator from the compiled files and stubs.
p = subprocess.run([rtb + "/retort", "compile", odir, "-o", work + "/m.c"], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("%s: the stubbed folder does not compile:\n%s" % (name, p.stderr[-3000:]))
here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cc = ["cc", "-O0", "-I", here + "/runtime", "-o", work + "/migrate", work + "/m.c",
      here + "/runtime/buildinfo.c", '-DRT_RELEASE="rw"', '-DRT_BUILD_DATE="rw"',
      rtb + "/libretort.a", "-lpq", "-linih"]
subprocess.run(cc, check=True)

# 4. Step by step.
from alembic.config import Config  # noqa: E402
from alembic.runtime.environment import EnvironmentContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

cfg = Config(adir + "/alembic.ini")
script = ScriptDirectory.from_config(cfg)
order = [s.revision for s in reversed(list(script.walk_revisions()))]
byrev = {meta[f]["ids"]["revision"]: f for f in files}


def alembic_to(db, rev, stamp):
    engine = create_engine(url(db), poolclass=NullPool)

    def fn(heads, ctx):
        return script._stamp_revs(rev, heads) if stamp else script._upgrade_revs(rev, heads)
    try:
        with EnvironmentContext(cfg, script, fn=fn, destination_rev=rev) as env:
            with engine.connect() as conn:
                env.configure(connection=conn, target_metadata=None, transaction_per_migration=True)
                with env.begin_transaction():
                    env.run_migrations()
    finally:
        engine.dispose()


def statements(text):
    """Migration statements of an offline script, whitespace-normalised,
    without transaction, comment and version-table lines (as difftest.py)."""
    out = []
    for block in text.split("\n\n"):
        s = " ".join(block.split())
        if s.endswith(";"):
            s = s[:-1].rstrip()
        if not s or s in ("BEGIN", "COMMIT") or s.startswith("--"):
            continue
        if re.match(r"(CREATE TABLE( IF NOT EXISTS)?|INSERT INTO|UPDATE|DELETE FROM) alembic_version(_log)?\b", s):
            continue
        if s.startswith(("DO $retort$", "INSERT INTO pg_temp.retort_log ")):
            continue
        out.append(s)
    return out


def alembic_sql(rev, parent):
    import io
    buf = io.StringIO()

    def fn(heads, ctx):
        return script._upgrade_revs(rev, parent)
    with EnvironmentContext(cfg, script, fn=fn, as_sql=True, starting_rev=parent,
                            destination_rev=rev) as env:
        env.configure(url="postgresql://", dialect_name="postgresql", literal_binds=True,
                      output_buffer=buf, transaction_per_migration=True,
                      dialect_opts={"paramstyle": "named"})
        with env.begin_transaction():
            env.run_migrations()
    return statements(buf.getvalue())


def offline(rec, rev):
    """Our `upgrade PARENT:REV --sql` against Alembic's, for one revision."""
    down = rec["ids"]["down_revision"]
    if isinstance(down, tuple):
        if len(down) != 1:
            return "merge"
        down = down[0]
    try:
        a = alembic_sql(rev, down)
    except Exception as e:
        rec["offline_error"] = "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0][:300])
        return "oracle failed"
    p = subprocess.run([work + "/migrate", "upgrade", ("%s:%s" % (down, rev)) if down else rev, "--sql"],
                       capture_output=True, text=True, cwd=odir, env=dict(os.environ, DATABASE_URL=url(DB)))
    if p.returncode != 0:
        rec["offline_ours_error"] = p.stderr[-300:]
        return "ours failed"
    o = statements(p.stdout)
    if a == o:
        return "same"
    if sorted(a) == sorted(o):
        # SQLAlchemy creates table.indexes from a set: their order is
        # not defined, the schema is the same.
        return "same"
    import difflib
    rec["offline_diff"] = "\n".join(list(difflib.unified_diff(a, o, "alembic", "retort", lineterm="", n=0))[:30])
    return "differs"


psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % DA)
psql("postgres", 'CREATE DATABASE "%s"' % DA)
results = []
for rev in order:
    f = byrev[rev]
    rec = dict(meta[f])
    rec["compiled"] = f not in errs
    if f in errs:
        rec["error"] = errs[f]
    if rec["compiled"]:
        psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % DB)
        psql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (DB, DA))
    try:
        alembic_to(DA, rev, False)
        rec["oracle"] = "ok" if rec["loadable"] else "stub"
    except Exception as e:
        rec["oracle"] = "failed"
        rec["oracle_error"] = "%s: %s" % (type(e).__name__, (str(e).splitlines() or [""])[0][:300])
        alembic_to(DA, rev, True)
    if rec["compiled"] and rec["loadable"]:
        rec["offline"] = offline(rec, rev)
    if rec["compiled"]:
        env = dict(os.environ, DATABASE_URL=url(DB))
        p = subprocess.run([work + "/migrate", "upgrade", rev], capture_output=True, text=True,
                           env=env, cwd=odir)
        if p.returncode != 0:
            rec["ours"] = "failed"
            rec["ours_error"] = ([l for l in p.stderr.strip().splitlines() if "note:" not in l] or [""])[0][:300]
        else:
            a, b = schema(DA), schema(DB)
            rec["ours"] = "same" if a == b else "differs"
            if a != b:
                import difflib
                rec["diff"] = "\n".join(list(difflib.unified_diff(
                    a.splitlines(), b.splitlines(), "alembic", "retort", lineterm="", n=1))[:40])
    results.append(rec)

for db in (DA, DB):
    psql("postgres", 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % db)


def verdict(r):
    """identical: the schema matched after real Alembic ran the file online,
    or (online impossible: history needs an existing database, or the step
    fails under Alembic 1.8) its offline statements matched."""
    if not r["compiled"]:
        return "error"
    if r["oracle"] == "ok" and r.get("ours") == "same":
        return "identical"
    if r["oracle"] == "ok" and r.get("ours") in ("differs", "failed"):
        return "wrong"
    if r.get("offline") == "same":
        return "identical"
    if r.get("offline") in ("differs", "ours failed"):
        return "wrong"
    return "unverified"


for r in results:
    r["verdict"] = verdict(r)
json.dump({"history": name, "other_errors": other_errs, "files": results},
          open(work + "/result.json", "w"), indent=1, default=str)
n = len(results)
c = {k: sum(r["verdict"] == k for r in results) for k in ("identical", "wrong", "unverified", "error")}
print("%-18s files %4d  compile %4d (%5.1f%%)  identical %4d (%5.1f%%)  wrong %3d  unverified %3d" % (
    name, n, n - c["error"], 100.0 * (n - c["error"]) / n, c["identical"], 100.0 * c["identical"] / n,
    c["wrong"], c["unverified"]))
