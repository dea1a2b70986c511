#!/usr/bin/env bash
# make bench-peers: retort diff, @pgkit/migra (npm) and apgdiff (Debian) on
# the pairs of tests/schema/, in both directions. For each pair and tool:
# the tool's FROM→TO script is applied to a copy of FROM, and the result
# must equal TO (`retort diff` between the two databases exits 0); then the
# same from TO back to FROM. The round trip decides, never the script's look.
#
#   B=build bench/peers.sh [PAIR...]     results: $B/bench/peers.md
#
# Knobs: BENCH_PORT (55260).
set -uo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out="$B/bench/peers"
pgdir="$out/pg"
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ ! -x "$out/npm/node_modules/.bin/migra" ]; then
	mkdir -p "$out/npm"
	(cd "$out/npm" && npm init -y >/dev/null && npm install --no-audit --no-fund @pgkit/migra >/dev/null)
fi
migra="$out/npm/node_modules/.bin/migra"

port=$("$root/scripts/pg.sh" fresh "$pgdir" "${BENCH_PORT:-55260}") || exit 1
trap '"$root/scripts/pg.sh" stop "$pgdir"' EXIT
"$root/scripts/pg.sh" start "$pgdir" "$port" || exit 1
pgdir=$(cd "$pgdir" && pwd)
export PGHOST=$pgdir PGPORT=$port PGUSER=postgres
url() { echo "postgresql://postgres@/$1?host=$pgdir&port=$port"; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null 2>&1; }
mkdb() { psql_q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ${2:+TEMPLATE $2}"; }
retort="$root/$B/retort"

# tool DIR FROMDB TODB: writes the script to DIR/script.sql, returns its status.
run_tool() {
	local tool=$1 f=$2 t=$3 dir=$4
	case $tool in
	retort) "$retort" diff --from "$(url "$f")" --to "$(url "$t")" >"$dir/script.sql" 2>"$dir/err"
		[ $? -le 1 ] ;;
	migra) "$migra" run "$(url "$f")" "$(url "$t")" --unsafe >"$dir/script.sql" 2>"$dir/err" ;;
	apgdiff) # apgdiff 2.7 predates pg_dump's \restrict lines: give it dumps without.
		pg_dump --schema-only -d "$f" | grep -v '^\\\(un\)\?restrict ' >"$dir/from.dump" &&
		pg_dump --schema-only -d "$t" | grep -v '^\\\(un\)\?restrict ' >"$dir/to.dump" &&
		apgdiff "$dir/from.dump" "$dir/to.dump" >"$dir/script.sql" 2>"$dir/err" ;;
	esac
}

# One direction: 1 when the tool's script turns f into t exactly.
judge() {
	local tool=$1 f=$2 t=$3 dir=$4
	mkdir -p "$dir"
	run_tool "$tool" "$f" "$t" "$dir" || { echo "generate failed" >"$dir/why"; return 1; }
	mkdb work "$f" || return 1
	psql -X -q -v ON_ERROR_STOP=1 -d work -f "$dir/script.sql" >"$dir/apply.log" 2>&1 ||
		{ echo "apply failed" >"$dir/why"; return 1; }
	"$retort" diff --from "$(url work)" --to "$(url "$t")" >"$dir/residue.sql" 2>/dev/null ||
		{ echo "residue" >"$dir/why"; return 1; }
	return 0
}

pairs=("$@")
[ ${#pairs[@]} -eq 0 ] && pairs=($(cd "$root/tests/schema" && ls))
tools="retort migra apgdiff"
declare -A total
res="$out/results.tsv"
: >"$res"
for p in "${pairs[@]}"; do
	mkdb pf && mkdb pt || exit 1
	psql_q -d pf -f "$root/tests/schema/$p/from.sql" || { echo "peers: $p: from.sql fails" >&2; continue; }
	psql_q -d pt -f "$root/tests/schema/$p/to.sql" || { echo "peers: $p: to.sql fails" >&2; continue; }
	row="$p"
	for tool in $tools; do
		judge "$tool" pf pt "$out/$p/$tool/up" && up=1 || up=0
		judge "$tool" pt pf "$out/$p/$tool/down" && down=1 || down=0
		row="$row	$up$down"
		total[$tool]=$(( ${total[$tool]:-0} + up + down ))
	done
	echo "$row" | tee -a "$res"
done
{
	echo "| pair | retort | migra | apgdiff |"
	echo "| --- | --- | --- | --- |"
	mark() { case $1 in 11) echo "both";; 10) echo "up only";; 01) echo "down only";; *) echo "no";; esac; }
	while IFS=$'\t' read -r p r m a; do
		echo "| $p | $(mark "$r") | $(mark "$m") | $(mark "$a") |"
	done <"$res"
	n=$(( $(wc -l <"$res") * 2 ))
	echo "| **directions right** | **${total[retort]:-0}/$n** | **${total[migra]:-0}/$n** | **${total[apgdiff]:-0}/$n** |"
} >"$B/bench/peers.md"
cat "$B/bench/peers.md"
