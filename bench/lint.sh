#!/usr/bin/env bash
# What parsing and linting every statement costs 'retort compile'.
#
#   B=build bench/lint.sh [N...]     (default: 10000)
#
# Compiles bench/gen.py's N revisions (a CREATE TABLE with a foreign key and
# an index each, plus a DROP TABLE to downgrade) twice with the same binary:
# as it is, and with '[lint] syntax-error = off' in retort.ini, which skips
# the parser (the rules then see no statement). The difference is the
# parse-and-lint cost. Best of BENCH_ROUNDS (5) runs each.
set -euo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
out="$B/bench/lint"
rounds=${BENCH_ROUNDS:-5}
mkdir -p "$out"

# best DIR: the fastest of $rounds compiles, "wall cpu" in seconds (CPU is
# user + system: steadier than wall-clock time on a shared machine).
best() {
	local line bw= bc=
	for _ in $(seq "$rounds"); do
		line=$( { /usr/bin/time -f '%e %U %S' "$B/retort" compile "$1" -o "$out/out.c" 2>&1 >/dev/null; } | tail -1)
		set -- "$1" $line
		bw=$(awk -v a="$2" -v b="$bw" 'BEGIN { print (b == "" || a < b) ? a : b }')
		bc=$(awk -v a="$3" -v s="$4" -v b="$bc" 'BEGIN { c = a + s; print (b == "" || c < b) ? c : b }')
	done
	echo "$bw $bc"
}

for n in "${@:-10000}"; do
	dir="$out/n$n"
	if [ ! -d "$dir/on/versions" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		python3 "$here/gen.py" "$n" "$dir/gen" --only-retort
		mv "$dir/gen/retort" "$dir/on" && rm -rf "$dir/gen"
		mkdir -p "$dir/off" && ln -s "$(cd "$dir/on/versions" && pwd)" "$dir/off/versions"
		printf '[lint]\nsyntax-error = off measuring the compile without the parser\n' \
			>"$dir/off/retort.ini"
	fi
	stmts=$(grep -c ';' "$dir"/on/versions/*.sql | awk -F: '{s += $2} END {print s}')
	read -r on_w on_c <<<"$(best "$dir/on")"
	read -r off_w off_c <<<"$(best "$dir/off")"
	awk -v n="$n" -v s="$stmts" -v ow="$on_w" -v oc="$on_c" -v fw="$off_w" -v fc="$off_c" 'BEGIN {
		printf "lint: %d revisions, %d statements: compile %.2f s wall, %.2f s CPU; " \
		       "without the parser %.2f s wall, %.2f s CPU; parse and lint %.2f s CPU " \
		       "(%.1f us a statement)\n", n, s, ow, oc, fw, fc, oc - fc, (oc - fc) / s * 1e6 }'
done
