#!/usr/bin/env bash
# `make demo`: the example migrations against a throwaway local cluster,
# the seed's workflow end to end. The cluster is stopped however this ends.
set -euo pipefail

B=${B:-build}
MIGRATOR=${MIGRATOR:-migrate}
here=$(cd "$(dirname "$0")" && pwd)
pgdir="$B/demo-pg"
m="$B/$MIGRATOR"

port=$("$here/pg.sh" fresh "$pgdir" "${PGDEMO_PORT:-54400}")
trap '"$here/pg.sh" stop "$pgdir"' EXIT
trap 'exit 130' INT TERM
echo "starting a throwaway PostgreSQL cluster in $pgdir (port $port)"
"$here/pg.sh" start "$pgdir" "$port"
"$(pg_config --bindir)/createdb" -h "$(cd "$pgdir" && pwd)" -p "$port" -U postgres postbot_dev

# The seed's option 2: individual variables (the password is never printed).
export DB_USER=postgres DB_PASSWORD=postgres DB_HOST=127.0.0.1 DB_PORT=$port DB_NAME=postbot_dev
unset DATABASE_URL

step() {
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
}

step "$m" version
step "$m" upgrade head
step "$m" history
step "$m" current
step "$m" downgrade -1
step "$m" current
step "$m" upgrade head
step "$m" check
printf '\nThe example is at head. Try "%s --help", or "%s upgrade head --sql".\n' "$m" "$m"
