#!/usr/bin/env python3
"""The fleet benchmark (bench/fleet.sh): gen DIR | run DIR MIGRATOR POSTMASTER_PID."""
import os
import resource
import statistics
import subprocess
import sys
import time

REVS = 5


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def statements(k):
    # Unqualified names: each tenant's search_path puts them in its schema.
    return [f"CREATE TABLE items_{k} (id bigserial PRIMARY KEY, note text NOT NULL, "
            f"created_at timestamptz NOT NULL DEFAULT now())",
            f"CREATE INDEX items_{k}_created ON items_{k} (created_at)"]


# Alembic's cookbook, "Rudimental Schema-Level Multi Tenancy for PostgreSQL Databases".
ENV_PY = '''import os
from alembic import context
from sqlalchemy import create_engine, pool, text

engine = create_engine(os.environ["BENCH_SQLALCHEMY_URL"], poolclass=pool.NullPool)
current_tenant = context.get_x_argument(as_dictionary=True).get("tenant")
with engine.connect() as connection:
    connection.execute(text('set search_path to "%s"' % current_tenant))
    connection.dialect.default_schema_name = current_tenant
    context.configure(connection=connection, target_metadata=None,
                      version_table_schema=current_tenant)
    with context.begin_transaction():
        context.run_migrations()
'''


def gen(out):
    write(f"{out}/alembic/alembic.ini", "[alembic]\nscript_location = %(here)s\n"
          "sqlalchemy.url = driver://user:pass@localhost/dbname\n")
    write(f"{out}/alembic/env.py", ENV_PY)
    for k in range(1, REVS + 1):
        rid, parent = f"f{k:011d}", (f"f{k - 1:011d}" if k > 1 else "")
        stmts = statements(k)
        write(f"{out}/retort/versions/{rid}.sql",
              f"-- Message: items {k}\n-- Revision ID: {rid}\n-- Revises: {parent}\n\n"
              "-- migrate:upgrade\n" + "".join(s + ";\n" for s in stmts) +
              f"\n-- migrate:downgrade\nDROP TABLE items_{k};\n")
        ops = "".join(f'    op.execute("""{s}""")\n' for s in stmts)
        write(f"{out}/alembic/versions/{rid}.py",
              f'"""items {k}"""\nfrom alembic import op\n\n'
              f"revision = {rid!r}\ndown_revision = {parent or None!r}\n"
              "branch_labels = None\ndepends_on = None\n\n\n"
              f"def upgrade():\n{ops}\n\ndef downgrade():\n"
              f'    op.execute("DROP TABLE items_{k}")\n')


PSQL = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip() + "/psql"


def sql(db, text):
    subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", text], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, PGOPTIONS="-c client_min_messages=warning"))


def server_cpu(pidfile):
    """CPU seconds of the server's ended backends (the postmaster's reaped children)."""
    with open(pidfile) as f:
        pid = f.readline().strip()
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): cutime and cstime are fields 16 and 17.
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def client_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(out, mig, pidfile):
    n = int(os.environ.get("BENCH_TENANTS", "1000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    loop_n = min(n, int(os.environ.get("BENCH_LOOP_SAMPLE", "100")))
    alembic_n = min(n, int(os.environ.get("BENCH_ALEMBIC_SAMPLE", "20")))
    tenants = [f"tenant_{i:04d}" for i in range(n)]
    env = dict(os.environ, PGDATABASE="fleet")
    aenv = dict(env, BENCH_SQLALCHEMY_URL=f"postgresql://postgres@/fleet?host={os.environ['PGHOST']}"
                f"&port={os.environ['PGPORT']}")

    def reset():
        # A fresh database: dropping 1,000 schemas in one transaction overflows the lock table.
        sql("postgres", "DROP DATABASE IF EXISTS fleet")
        sql("postgres", "CREATE DATABASE fleet")
        sql("fleet", f"DO $$ BEGIN FOR i IN 0..{n - 1} LOOP EXECUTE format('CREATE SCHEMA %I', "
                     "'tenant_' || lpad(i::text, 4, '0')); END LOOP; END $$")
        sql("fleet", "CHECKPOINT")

    shell = ("for s in " + " ".join(tenants[:loop_n]) + "; do PGOPTIONS=\"-c search_path=$s\" "
             f"{mig} upgrade head --version-table-schema \"$s\" >/dev/null 2>&1 || exit 1; done")
    alembic = ("for s in " + " ".join(tenants[:alembic_n]) + "; do /usr/bin/python3 -m alembic -c "
               f"{out}/alembic/alembic.ini -x tenant=$s upgrade head >/dev/null 2>&1 || exit 1; done")
    fleet = [mig, "upgrade", "head", "--tenant-schemas", "tenant\\_%"]
    contenders = [
        ("fleet --jobs 1", fleet + ["--jobs", "1"], n),
        ("fleet --jobs 4", fleet + ["--jobs", "4"], n),
        ("fleet --jobs 8", fleet + ["--jobs", "8"], n),
        (f"shell loop, one migrator per tenant ({loop_n} tenants)", ["bash", "-c", shell], loop_n),
        (f"Alembic cookbook loop ({alembic_n} tenants)", ["bash", "-c", alembic], alembic_n),
        ("fleet current --jobs 8 (connect + read)", [mig, "current", "--tenant-schemas", "tenant\\_%",
                                                      "--jobs", "8"], n),
    ]
    samples = {name: [] for name, _, _ in contenders}
    for rnd in range(rounds):
        for name, argv, count in contenders:
            if not name.startswith("fleet current"):
                reset()
            s0, c0, t0 = server_cpu(pidfile), client_cpu(), time.monotonic()
            p = subprocess.run(argv, env=aenv if "Alembic" in name else env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.monotonic() - t0
            srv, cli = server_cpu(pidfile) - s0, client_cpu() - c0
            if p.returncode != 0:
                sys.exit(f"bench: {name} failed ({p.returncode}): {p.stderr[-2000:]}")
            samples[name].append((wall, srv, cli, count))
            print(f"round {rnd + 1}: {name}: {count} targets in {wall:.2f} s, {count / wall:.1f}/s, "
                  f"server CPU {srv:.2f} s, client CPU {cli:.2f} s", file=sys.stderr, flush=True)

    def med(name, i):
        return statistics.median(s[i] for s in samples[name])

    alembic_name = contenders[4][0]
    alembic_rate = statistics.median(s[3] / s[0] for s in samples[alembic_name])
    lines = ["| contender | targets | wall (median) | targets/s | vs Alembic loop | server CPU / target | "
             "client CPU / target |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, _, count in contenders:
        rate = statistics.median(s[3] / s[0] for s in samples[name])
        lines.append(f"| {name} | {count} | {med(name, 0):.2f} s | {rate:.1f} | {rate / alembic_rate:.1f}x | "
                     f"{1000 * med(name, 1) / count:.1f} ms | {1000 * med(name, 2) / count:.1f} ms |")
    text = "\n".join(lines) + "\n"
    write(f"{out}/../fleet.md", text)
    print(text)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2])
    else:
        run(*sys.argv[2:5])
