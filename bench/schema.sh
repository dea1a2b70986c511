#!/usr/bin/env bash
# make bench-schema: `retort diff` between two live databases of N tables
# (columns, indexes, foreign keys, views, functions; bench/schema_gen.py)
# against migra (@pgkit/migra, npm) on the same two databases, median of
# alternating rounds; then the whole `retort revision --autogenerate` (build
# both sides on scratch databases, diff both ways, prove the round trip).
#
#   B=build bench/schema.sh          results: $B/bench/schema.md
#
# Knobs: BENCH_SCHEMA_N (1000), BENCH_ROUNDS (5), BENCH_PORT (55270).
set -euo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=${BENCH_SCHEMA_N:-1000}
rounds=${BENCH_ROUNDS:-5}
out="$B/bench/schema"
pgdir="$out/pg"
mkdir -p "$out"
out=$(cd "$out" && pwd)
retort="$root/$B/retort"

if [ ! -x "$out/npm/node_modules/.bin/migra" ]; then
	mkdir -p "$out/npm"
	(cd "$out/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund @pgkit/migra >/dev/null)
fi
migra="$out/npm/node_modules/.bin/migra"

python3 "$here/schema_gen.py" "$n" "$out/sql"
port=$("$root/scripts/pg.sh" fresh "$pgdir" "${BENCH_PORT:-55270}")
trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
"$root/scripts/pg.sh" start "$pgdir" "$port" durable
pgdir=$(cd "$pgdir" && pwd)
export PGHOST=$pgdir PGPORT=$port PGUSER=postgres
url() { echo "postgresql://postgres@/$1?host=$pgdir&port=$port"; }
for v in a b; do
	psql -X -q -d postgres -c "CREATE DATABASE sb_$v" >/dev/null
	psql -X -q -1 -v ON_ERROR_STOP=1 -d "sb_$v" -f "$out/sql/$v.sql" >/dev/null
done

# Seconds of one run of "$@", output to $out/last.*.
secs() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >"$out/last.out" 2>"$out/last.err" || [ $? -eq 1 ]
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

: >"$out/retort.times"
: >"$out/migra.times"
for i in $(seq "$rounds"); do
	secs "$retort" diff --from "$(url sb_a)" --to "$(url sb_b)" >>"$out/retort.times"
	cp "$out/last.out" "$out/retort.sql"
	secs "$migra" run "$(url sb_a)" "$(url sb_b)" --unsafe >>"$out/migra.times"
	cp "$out/last.out" "$out/migra.sql"
done
r=$(median <"$out/retort.times")
m=$(median <"$out/migra.times")

# The whole revision --autogenerate: a folder whose one revision is a.sql.
rm -rf "$out/folder"
mkdir -p "$out/folder/versions"
{
	printf -- '-- Revision ID: base0001\n-- Revises:\n-- Message: schema a\n\n-- migrate:upgrade\n'
	cat "$out/sql/a.sql"
} >"$out/folder/versions/base0001_schema_a.sql"
cp "$out/sql/b.sql" "$out/folder/schema.sql"
ag=$(secs "$retort" revision "$out/folder" --autogenerate -m "to b" --rev-id auto0001 \
	--dev-url "$(url postgres)")
grep -q auto0001 "$out/last.out" || { cat "$out/last.err" >&2; exit 1; }

{
	echo "| $n tables, PostgreSQL $(psql -X -Atc 'SHOW server_version' -d postgres | cut -d' ' -f1) | seconds (median of $rounds) |"
	echo "| --- | --- |"
	echo "| \`retort diff\` URL → URL | $r |"
	echo "| \`migra\` URL → URL | $m |"
	echo "| \`retort revision --autogenerate\` (folder and schema.sql built on scratch databases, round trip proven) | $ag (one run) |"
	echo
	echo "Statements: retort $(grep -c ';$' "$out/retort.sql"), migra $(grep -c ';$' "$out/migra.sql")."
} >"$B/bench/schema.md"
cat "$B/bench/schema.md"
