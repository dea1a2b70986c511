#!/usr/bin/env python3
"""bench.py: time retort's migrator against the psql floor, Alembic and dbmate.

Run by bench/run.sh, which starts the cluster (default durability), builds
the migrators and passes everything in the environment (see run.sh). These
machines are noisy, so contenders alternate within each round (A B C A B C
...) and each ratio is the median of the per-round ratios, not a ratio of
medians. Creating and dropping databases is never timed.
"""
import os
import statistics
import subprocess
import sys
import time

E = os.environ
B = E["B"]
PSQL = E["BENCH_PSQL"]
SOCK = E["PGHOST"]
PORT = E["PGPORT"]
DBMATE = E.get("BENCH_DBMATE", "")
ROUNDS = int(E.get("BENCH_ROUNDS", "7"))
QROUNDS = int(E.get("BENCH_QUERY_ROUNDS", "15"))
RESULTS = []  # rows for the table: (what, contender, median seconds, ratios)


def run(argv, db=None, env=None, out=subprocess.DEVNULL):
    full = dict(E)
    if db:
        full["PGDATABASE"] = db
    full.update(env or {})
    r = subprocess.run(argv, env=full, stdout=out, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(argv)} exited {r.returncode}\n{r.stderr}")
    return r


def timed(argv, db=None, env=None):
    t0 = time.perf_counter()
    run(argv, db, env)
    return time.perf_counter() - t0


def sql(db, text):
    return run([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", text], db,
               out=subprocess.PIPE).stdout.strip()


def createdb(name):
    sql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    sql("postgres", f'CREATE DATABASE "{name}"')


def alembic_env(db):
    return {"BENCH_SQLALCHEMY_URL": f"postgresql://postgres@/{db}?host={SOCK}&port={PORT}"}


def dbmate_argv(n, db, *cmd):
    url = f"postgres://postgres@:{PORT}/{db}?socket={SOCK}&sslmode=disable"
    return [DBMATE, "--url", url, "--migrations-dir", f"{B}/bench/n{n}/dbmate",
            "--no-dump-schema", *cmd]


def contenders_upgrade(n):
    mig = f"{B}/release/bench-n{n}"
    floor = f"{B}/bench/n{n}/floor.sql"
    with open(floor, "w") as f:
        subprocess.run([mig, "upgrade", "head", "--sql"], stdout=f, check=True, env=E)
    c = [
        ("psql -f (floor)", [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", floor], None),
        ("retort upgrade head", [mig, "upgrade", "head"], None),
        ("alembic upgrade head", ["/usr/bin/python3", "-m", "alembic", "-c",
                                  f"{B}/bench/n{n}/alembic/alembic.ini", "upgrade", "head"], "alembic"),
    ]
    if DBMATE:
        c.append(("dbmate migrate", dbmate_argv(n, "{db}", "migrate"), "dbmate"))
    return c


def fill(argv, db):
    return [a.replace("{db}", db) for a in argv]


def median_table(what, samples, floor_name, peer_name):
    """samples: {contender: [seconds per round]} in round order."""
    for name, ts in samples.items():
        ratios = {}
        for ref in (floor_name, peer_name):
            if ref in samples:
                ratios[ref] = statistics.median(t / r for t, r in zip(ts, samples[ref]))
        RESULTS.append((what, name, statistics.median(ts), ratios))


def bench_upgrade(n):
    cs = contenders_upgrade(n)
    samples = {name: [] for name, _, _ in cs}
    for rnd in range(ROUNDS):
        for i, (name, argv, kind) in enumerate(cs):
            db = f"up{n}_{i}"
            createdb(db)
            env = alembic_env(db) if kind == "alembic" else None
            samples[name].append(timed(fill(argv, db), db, env))
            tables = sql(db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\\_%'")
            if tables != str(n):
                sys.exit(f"bench: {name} left {tables} tables, want {n}")
        print(f"  upgrade N={n} round {rnd + 1}/{ROUNDS}: " +
              ", ".join(f"{k} {v[-1]:.3f}s" for k, v in samples.items()), file=sys.stderr)
    median_table(f"upgrade head, N={n}", samples, "psql -f (floor)", "alembic upgrade head")
    return cs


def bench_queries(n, cs):
    """current/check on the up-to-date databases bench_upgrade left."""
    mig = f"{B}/release/bench-n{n}"
    retort_db, alembic_db, dbmate_db = f"up{n}_1", f"up{n}_2", f"up{n}_3"
    q = [
        ("psql: connect + 1 query", [PSQL, "-X", "-q", "-At", "-c",
                                     "SELECT version_num FROM alembic_version"], retort_db, None),
        ("retort current", [mig, "current"], retort_db, None),
        ("retort check", [mig, "check"], retort_db, None),
        ("alembic current", ["/usr/bin/python3", "-m", "alembic", "-c",
                             f"{B}/bench/n{n}/alembic/alembic.ini", "current"], alembic_db,
         alembic_env(alembic_db)),
    ]
    if DBMATE:
        q.append(("dbmate status", dbmate_argv(n, dbmate_db, "status"), dbmate_db, None))
    samples = {name: [] for name, _, _, _ in q}
    for _ in range(QROUNDS):
        for name, argv, db, env in q:
            samples[name].append(timed(argv, db, env))
    median_table(f"current/check, N={n}", samples, "psql: connect + 1 query", "alembic current")


def bench_chain(n):
    """Commands at the head of an n-revision chain: each must stay linear in n."""
    mig = f"{B}/release/bench-chain{n}"
    db = f"chain{n}"
    createdb(db)
    run([mig, "stamp", "head"], db)
    q = [
        ("psql: connect + 1 query", [PSQL, "-X", "-q", "-At", "-c",
                                     "SELECT version_num FROM alembic_version"]),
        ("retort current", [mig, "current"]),
        ("retort check", [mig, "check"]),
        ("retort heads", [mig, "heads"]),
        ("retort history", [mig, "history"]),
        ("retort downgrade -1", [mig, "downgrade", "-1"]),
        ("retort upgrade +1", [mig, "upgrade", "+1"]),
        ("retort compile (generator)", [f"{B}/retort", "compile", f"{B}/bench/chain{n}/retort",
                                        "-o", f"{B}/bench/chain{n}.c"]),
        ("retort history (generator)", [f"{B}/retort", "history",
                                        f"{B}/bench/chain{n}/retort"]),
    ]
    samples = {name: [] for name, _ in q}
    for _ in range(QROUNDS):
        for name, argv in q:
            samples[name].append(timed(argv, db))
    median_table(f"chain of {n}, at its head", samples, "psql: connect + 1 query", "")


def bench_check_flat(mig, n, label):
    """check against current and psql, on the log a writing run left (its digest row
    standing) and on the same log without that row (every row read: the fallback)."""
    with_row, without = f"flat{label}_1", f"flat{label}_2"
    for db in (with_row, without):
        createdb(db)
        run([mig, "stamp", "head"], db)
    sql(without, "DELETE FROM retort.digests")
    q = [
        ("psql: connect + 1 query", [PSQL, "-X", "-q", "-At", "-c",
                                     "SELECT version_num FROM alembic_version"], with_row),
        ("retort current", [mig, "current"], with_row),
        ("retort check", [mig, "check"], with_row),
        ("retort check, no digest row", [mig, "check"], without),
    ]
    samples = {name: [] for name, _, _ in q}
    for _ in range(QROUNDS):
        for name, argv, db in q:
            samples[name].append(timed(argv, db))
    median_table(f"check vs current, {label}", samples, "psql: connect + 1 query", "")


def bench_start():
    mig = f"{B}/release/migrate"
    samples = {"psql --version": [], "retort --help": []}
    for _ in range(QROUNDS * 2):
        samples["psql --version"].append(timed([PSQL, "--version"]))
        samples["retort --help"].append(timed([mig, "--help"]))
    median_table("process start", samples, "psql --version", "")


def bench_compile():
    samples = {}
    for n in (int(x) for x in E.get("BENCH_COMPILE_N", "1000 10000").split()):
        d = f"{B}/bench/compile{n}"
        ts = [timed([f"{B}/retort", "compile", d, "-o", f"{B}/bench/compile{n}.c"])
              for _ in range(ROUNDS)]
        samples[f"retort compile, N={n}"] = ts
    for name, ts in samples.items():
        RESULTS.append(("compile", name, statistics.median(ts), {}))


def peak_kb(argv, db=None):
    r = run(["/usr/bin/time", "-f", "%M", *argv], db)
    return int(r.stderr.strip().splitlines()[-1])


def bench_memory(n):
    mig = f"{B}/release/bench-n{n}"
    createdb("mem_r")
    createdb("mem_p")
    mem = [
        (f"retort upgrade head, N={n}", peak_kb([mig, "upgrade", "head"], "mem_r")),
        (f"psql -f floor, N={n}", peak_kb([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f",
                                           f"{B}/bench/n{n}/floor.sql"], "mem_p")),
        ("retort current", peak_kb([mig, "current"], "mem_r")),
        ("psql: connect + 1 query", peak_kb([PSQL, "-X", "-q", "-At", "-c",
                                             "SELECT version_num FROM alembic_version"], "mem_r")),
    ]
    return mem


def result_lines():
    lines = ["| what | contender | median | vs floor | vs Alembic |",
             "| --- | --- | ---: | ---: | ---: |"]
    for what, name, t, ratios in RESULTS:
        refs = list(ratios)
        floor = f"{ratios[refs[0]]:.2f}x" if refs else ""
        peer = f"{ratios[refs[1]]:.2f}x" if len(refs) > 1 else ""
        lines.append(f"| {what} | {name} | {t * 1000:.1f} ms | {floor} | {peer} |")
    return lines


def write_results(lines):
    text = "\n".join(lines) + "\n"
    with open(f"{B}/bench/results.md", "w") as f:
        f.write(text)
    print(text)


def main():
    sizes = [int(x) for x in E.get("BENCH_N", "200 1000").split()]
    chain = int(E.get("BENCH_CHAIN", "20000"))
    if E.get("BENCH_ONLY") == "check":
        # Only check against current and psql (issue 8, item 16), quick.
        for n in sizes:
            bench_check_flat(f"{B}/release/bench-n{n}", n, f"N={n}")
        if chain:
            bench_check_flat(f"{B}/release/bench-chain{chain}", chain, f"chain of {chain}")
        write_results(result_lines())
        return
    for n in sizes:
        cs = bench_upgrade(n)
        bench_queries(n, cs)
    if chain:
        bench_chain(chain)
        bench_check_flat(f"{B}/release/bench-chain{chain}", chain, f"chain of {chain}")
    bench_start()
    bench_compile()
    mem = bench_memory(sizes[-1])

    lines = result_lines()
    lines += ["", "| size / peak memory | |", "| --- | ---: |"]
    for name in ("migrate", f"bench-n{sizes[-1]}"):
        lines.append(f"| static migrator `{name}` | {os.path.getsize(f'{B}/release/{name}') / 1e6:.2f} MB |")
    for name, kb in mem:
        lines.append(f"| peak RSS: {name} | {kb / 1024:.1f} MiB |")
    write_results(lines)


if __name__ == "__main__":
    main()
