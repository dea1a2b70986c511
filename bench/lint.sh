#!/usr/bin/env bash
# What parsing and linting every statement costs 'retort compile'.
#
#   B=build bench/lint.sh [N...]     (default: 10000)
#
# Compiles bench/gen.py's N revisions (a CREATE TABLE with a foreign key and
# an index each, plus a DROP TABLE to downgrade) twice with the same binary:
# as it is, and with '[lint] syntax-error = off' in retort.ini, which skips
# the parser (the rules then see no statement). The difference is the
# parse-and-lint cost. Best of BENCH_ROUNDS (5) wall-clock runs each.
set -euo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
out="$B/bench/lint"
rounds=${BENCH_ROUNDS:-5}
mkdir -p "$out"

best() { # best DIR: the fastest of $rounds compiles, in seconds
	local t best=
	for _ in $(seq "$rounds"); do
		t=$( { /usr/bin/time -f %e "$B/retort" compile "$1" -o "$out/out.c" 2>&1 >/dev/null; } | tail -1)
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
	done
	echo "$best"
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
	on=$(best "$dir/on")
	off=$(best "$dir/off")
	# The notes and warnings the corpus draws go to stderr; only time them.
	awk -v n="$n" -v s="$stmts" -v on="$on" -v off="$off" 'BEGIN {
		printf "lint: %d revisions, %d statements: compile %.2f s, without the parser %.2f s: parse and lint %.2f s (%.1f us a statement)\n",
			n, s, on, off, on - off, (on - off) / s * 1e6 }'
done
