#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the demo.
#
#   scripts/pg.sh start DIR PORT [durable]
#                                  initdb DIR/data (once) and start it, with
#                                  its unix socket in DIR and TCP on 127.0.0.1:PORT
#   scripts/pg.sh stop DIR         stop the cluster of DIR/data (by data directory)
#   scripts/pg.sh fresh DIR FROM   stop and remove what an earlier run left in
#                                  DIR, then print the first free TCP port from FROM
#
# The superuser is "postgres" with password "postgres": local socket
# connections are trusted, TCP ones need the password (scram-sha-256), so the
# tests can exercise password handling. As root, the server runs as the
# postgres user, since initdb and postgres refuse to run as root.
set -euo pipefail

bindir=$(pg_config --bindir)
usage="usage: pg.sh start DIR PORT [durable] | stop DIR | fresh DIR FROM"
cmd=${1:?$usage}
dir=${2:?$usage}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "$cmd" in
start)
	port=${3:?usage: pg.sh start DIR PORT}
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		if ! runuser -u postgres -- test -w "$dir"; then
			echo "pg.sh: the postgres user cannot write '$dir'" >&2
			echo "hint: a parent directory is not searchable by others; run from a checkout outside /root or chmod o+x its parents" >&2
			exit 1
		fi
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		printf 'postgres\n' >"$dir/pwfile"
		[ "$(id -u)" -eq 0 ] && chown postgres: "$dir/pwfile"
		as_pg "$bindir/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
			--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
			>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	fi
	# Tests start many short-lived connections; fsync off keeps the suite fast.
	# "durable" keeps PostgreSQL's defaults: the benchmark measures those.
	# PGSH_SERVER_OPTS adds server options (the benchmark's lock table).
	nosync="-c fsync=off"
	[ "${4:-}" = durable ] && nosync=
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 $nosync -c max_connections=60 ${PGSH_SERVER_OPTS:-}" \
		start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
			as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	;;
fresh)
	from=${3:?$usage}
	"$0" stop "$dir"
	rm -rf "$dir"
	for port in $(seq "$from" $((from + 100))); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			exit 0
		fi
	done
	echo "pg.sh: no free port in $from..$((from + 100))" >&2
	exit 1
	;;
*)
	echo "$usage" >&2
	exit 2
	;;
esac
