#!/usr/bin/env bash
# Runs libFuzzer targets, each for FUZZ_SECONDS (default 60), bounded in
# memory and time per input, from its seeds (seed_dirs below) and every crash
# kept so far (tests/fuzz/regressions/NAME). New inputs go to OUT/corpus/NAME,
# never into the tree. Fails when any target reports a
# crash, leak, timeout, out-of-memory or sanitizer error.
#
#   tests/fuzz/run.sh OUT TARGET...
set -uo pipefail

out=${1:?usage: run.sh OUT TARGET...}
shift
secs=${FUZZ_SECONDS:-60}
# A fixed seed makes a CI run reproducible (the same inputs in the same
# order); FUZZ_SEED=0 lets libFuzzer pick one, to explore further by hand.
seed=${FUZZ_SEED:-1}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
status=0

# The SQL targets start from the project's own migration files as they are
# (no copies to drift), plus tests/fuzz/corpus/sql for the nasty cases.
# Keep in step with seed_dirs() in tests/check_gen_fuzzreplay.c.
seed_dirs() {
	dict="$here/sql.dict"
	case "$1" in
	fuzz_sqlhdr|fuzz_sqllex|fuzz_lint)
		seeds=("$here/corpus/sql" "$root/migrations/versions" "$root"/tests/fixtures/*/versions) ;;
	fuzz_emit)
		seeds=("$here/corpus/fuzz_emit" "$root/migrations/versions") ;;
	fuzz_py)
		seeds=("$here/corpus/py" "$root"/tests/alembic/*/versions "$root"/tests/py/*/versions)
		dict="$here/py.dict" ;;
	*)
		seeds=("$here/corpus/$1") ;;
	esac
}

for t in "$@"; do
	name=$(basename "$t")
	work="$out/corpus/$name"
	art="$out/artifacts/$name"
	log="$out/$name.log"
	mkdir -p "$work" "$art" "$here/regressions/$name"
	seed_dirs "$name"
	start=$(date +%s)
	# -timeout: one input taking 10 s is a hang. -rss_limit_mb: a runaway
	# allocation is a bug. -max_len: migration files are small; longer inputs
	# only slow the search (the big-input cases live in check_gen_badinput).
	"$t" -seed="$seed" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
		-dict="$dict" -artifact_prefix="$art/" -print_final_stats=1 \
		"$work" "${seeds[@]}" "$here/regressions/$name" >"$log" 2>&1
	rc=$?
	runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
	if [ $rc -ne 0 ] || grep -qE 'runtime error:|ERROR: (Address|Leak|Undefined)Sanitizer' "$log"; then
		echo "FAIL $name (exit $rc after $(($(date +%s) - start)) s); log: $log"
		grep -E 'ERROR:|runtime error:|SUMMARY:|Test unit written' "$log" | head -20
		echo "hint: fix the bug, then keep the input in tests/fuzz/regressions/$name/"
		status=1
	else
		echo "ok   $name: ${runs:-?} runs in $(($(date +%s) - start)) s, ${cov:-cov: ?}"
	fi
done
exit $status
