#!/usr/bin/env bash
# recipes.sh: runs tests/docs/recipes.py against a throwaway cluster started
# here (PGTEST_PORT) and always stopped, in $B/recipes (make test-recipes).
set -uo pipefail
B=${B:-build}
here=$(cd "$(dirname "$0")" && pwd)
pg=$here/../../scripts/pg.sh
pgdir="$B/recipes-pg"
port=$("$pg" fresh "$pgdir" "${PGTEST_PORT:-54329}") || exit 1
trap '"$pg" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
"$pg" start "$pgdir" "$port" || exit 1
unset PGPASSWORD PGSERVICE DATABASE_URL PGHOST PGPORT PGUSER PGDATABASE
/usr/bin/python3 "$here/recipes.py" "$B/recipes" "$port"
