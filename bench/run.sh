#!/usr/bin/env bash
# make bench: retort's migrator against the psql floor, Alembic and dbmate,
# on a throwaway cluster with PostgreSQL's default durability (fsync on).
#
#   B=build bench/run.sh          (make bench does this)
#
# Knobs: BENCH_N ("200 1000"), BENCH_COMPILE_N ("1000 10000"), BENCH_ROUNDS
# (7, upgrade and compile), BENCH_QUERY_ROUNDS (15, current/check and start),
# BENCH_PORT (55250), BENCH_DBMATE (auto; "no" leaves dbmate out),
# BENCH_BUILD_ONLY (1: build the migrators and sets, time nothing), BENCH_ONLY
# (check: only check against current and psql, with and without the digest row),
# BENCH_CHAIN (20000: a chain of that many revisions, commands timed at its
# head; 0 leaves it out). dbmate
# comes from npm (@dbmate/linux-x64) into $B/bench/npm when npm is there;
# without it that column is left out. Results: $B/bench/results.md.
set -euo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$B/bench"
pgdir="$out/pg"
mkdir -p "$out"

BENCH_N=${BENCH_N:-200 1000}
BENCH_COMPILE_N=${BENCH_COMPILE_N:-1000 10000}
export BENCH_N BENCH_COMPILE_N

# The example's release migrator (process start, size), and one per
# synthetic migration set. Those sets are generated under $B, never
# committed: their build date is retort's commit's.
make -C "$root" --no-print-directory B="$B" release >/dev/null
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
for n in $BENCH_N; do
	if [ ! -d "$out/n$n/retort/versions" ]; then
		echo "bench: generating $n revisions" >&2
		rm -rf "$out/n$n"
		python3 "$here/gen.py" "$n" "$out/n$n"
	fi
	SOURCE_DATE_EPOCH=$epoch make -C "$root" --no-print-directory B="$B" \
		MIGRATIONS="$out/n$n/retort" MIGRATOR="bench-n$n" release >/dev/null
done
BENCH_CHAIN=${BENCH_CHAIN:-20000}
export BENCH_CHAIN
if [ "$BENCH_CHAIN" -gt 0 ]; then
	if [ ! -d "$out/chain$BENCH_CHAIN/retort/versions" ]; then
		echo "bench: generating a chain of $BENCH_CHAIN revisions" >&2
		rm -rf "$out/chain$BENCH_CHAIN"
		python3 "$here/gen.py" "$BENCH_CHAIN" "$out/chain$BENCH_CHAIN" --chain
	fi
	SOURCE_DATE_EPOCH=$epoch make -C "$root" --no-print-directory B="$B" \
		MIGRATIONS="$out/chain$BENCH_CHAIN/retort" MIGRATOR="bench-chain$BENCH_CHAIN" release >/dev/null
fi
for n in $BENCH_COMPILE_N; do
	[ -d "$out/compile$n/versions" ] ||
		{ python3 "$here/gen.py" "$n" "$out/compile$n.tmp" --only-retort &&
		  rm -rf "$out/compile$n" && mv "$out/compile$n.tmp/retort" "$out/compile$n" &&
		  rm -rf "$out/compile$n.tmp"; }
done

if [ "${BENCH_BUILD_ONLY:-}" = 1 ]; then
	echo "bench: built; timing nothing (BENCH_BUILD_ONLY=1)" >&2
	exit 0
fi

BENCH_DBMATE_WANT=${BENCH_DBMATE:-auto}
BENCH_DBMATE=
if [ "$BENCH_DBMATE_WANT" = no ]; then
	echo "bench: leaving dbmate out (BENCH_DBMATE=no)" >&2
elif [ -x "$out/npm/node_modules/@dbmate/linux-x64/bin/dbmate" ] ||
	{ command -v npm >/dev/null &&
	  npm install --silent --no-audit --no-fund --prefix "$out/npm" @dbmate/linux-x64 >/dev/null 2>&1; }; then
	BENCH_DBMATE=$(cd "$out/npm/node_modules/@dbmate/linux-x64/bin" && pwd)/dbmate
else
	echo "bench: dbmate is not installable here (npm @dbmate/linux-x64); leaving it out" >&2
fi

port=$("$root/scripts/pg.sh" fresh "$pgdir" "${BENCH_PORT:-55250}")
trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
# One transaction creating 1000 tables (table, sequence, two indexes, a
# foreign key each) holds more locks than the default lock table has room
# for (64 x max_connections): Alembic, psql and retort alike need this.
PGSH_SERVER_OPTS="-c max_locks_per_transaction=1024" \
	"$root/scripts/pg.sh" start "$pgdir" "$port" durable

PGHOST=$(cd "$pgdir" && pwd)
# Debian's /usr/bin/psql is a Perl wrapper (~40 ms a call): time the binary.
BENCH_PSQL=$(pg_config --bindir)/psql
export PGHOST PGPORT=$port PGUSER=postgres BENCH_PSQL BENCH_DBMATE B
unset PGPASSWORD PGSERVICE DATABASE_URL DB_USER DB_PASSWORD DB_HOST DB_PORT DB_NAME ALEMBIC_CONFIG PGDATABASE

echo "bench: cluster on port $port, fsync=$("$BENCH_PSQL" -X -At -d postgres -c 'SHOW fsync')," \
	"synchronous_commit=$("$BENCH_PSQL" -X -At -d postgres -c 'SHOW synchronous_commit')" >&2
python3 "$here/bench.py"
