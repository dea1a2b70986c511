#!/usr/bin/env bash
# make bench-fleet: one migrator over 1,000 tenant schemas against a shell
# loop running it once per tenant and Alembic's cookbook loop (one
# `alembic -x tenant=... upgrade head` per tenant), on a throwaway cluster
# with PostgreSQL's default durability (fsync on).
#
#   B=build bench/fleet.sh
#
# Knobs: BENCH_TENANTS (1000), BENCH_ROUNDS (3), BENCH_LOOP_SAMPLE (100
# tenants for the shell loop), BENCH_ALEMBIC_SAMPLE (20 tenants for Alembic:
# at 1-3 s a tenant the whole fleet would take an hour), BENCH_PORT (55812).
# Results: $B/bench/fleet.md.
set -euo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$B/bench/fleet"
pgdir="$out/pg"
mkdir -p "$out"

python3 "$here/fleet.py" gen "$out"
make -C "$root" --no-print-directory B="$B" MIGRATIONS="$out/retort" MIGRATOR=bench-fleet release >/dev/null

port=$("$root/scripts/pg.sh" fresh "$pgdir" "${BENCH_PORT:-55812}")
trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
"$root/scripts/pg.sh" start "$pgdir" "$port" durable

PGHOST=$(cd "$pgdir" && pwd)
export PGHOST PGPORT=$port PGUSER=postgres PGDATABASE=postgres B
unset DATABASE_URL DB_USER DB_PASSWORD DB_HOST DB_PORT DB_NAME ALEMBIC_CONFIG PGOPTIONS
python3 "$here/fleet.py" run "$out" "$B/release/bench-fleet" "$pgdir/data/postmaster.pid"
