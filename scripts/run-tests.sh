#!/usr/bin/env bash
# Runs the Check suites given as arguments against a throwaway PostgreSQL
# cluster started here and always stopped on exit, then prints one summary
# line "N passed, M failed".
set -uo pipefail

B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
pgdir="$B/testpg"

# Stale data from an earlier, interrupted run must not leak into this one.
port=$("$here/pg.sh" fresh "$pgdir" "${PGTEST_PORT:-54329}") || exit 1

trap '"$here/pg.sh" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
"$here/pg.sh" start "$pgdir" "$port" || exit 1

PGHOST=$(cd "$pgdir" && pwd)
export PGHOST PGPORT=$port PGUSER=postgres PGDATABASE=postgres
export RETORT_TEST_PGPORT=$port RETORT_TEST_PGPASSWORD=postgres B
unset PGPASSWORD PGSERVICE DATABASE_URL DB_USER DB_PASSWORD DB_HOST DB_PORT DB_NAME ALEMBIC_CONFIG
# No Python behind the hints of "rewrite as SQL" errors (docs/python.md)
# unless a test asks for it: the same output whether Alembic is installed.
export RETORT_PYTHON=

passed=0 failed=0 status=0
for t in "$@"; do
	echo "== $t"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
	if [ -n "$line" ]; then
		checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
		bad=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1+\2/' <<<"$line")
		bad=$((bad))
		passed=$((passed + checks - bad))
		failed=$((failed + bad))
	fi
	if [ $rc -ne 0 ] || [ -z "$line" ]; then
		status=1
		[ -z "$line" ] && failed=$((failed + 1)) && echo "$t: no Check summary (crashed?)"
	fi
done
echo "$passed passed, $failed failed"
exit $status
