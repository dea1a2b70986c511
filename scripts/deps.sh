#!/usr/bin/env bash
# Makes sure the Debian packages retort builds and tests with are installed:
# installs them when run as root, otherwise prints the exact command to run.
set -euo pipefail

pkgs=(gcc make re2c check pkg-config libpq-dev libssl-dev libinih-dev postgresql postgresql-client)
# Real Alembic, the oracle of the differential test (tests/check_e2e_alembic.c).
pkgs+=(python3-alembic python3-psycopg2)
# The migrator must not leak under memcheck (tests/check_e2e_hostile.c).
pkgs+=(valgrind)
# The generator parses every statement with PostgreSQL's own parser (gen/lint/).
pkgs+=(libpg-query-dev libprotobuf-c-dev)
# make release links libpq statically: libpgcommon_shlib.a and
# libpgport_shlib.a; its tests use cmake (toolchain.cmake) and openssl (a CA).
pkgs+=(postgresql-server-dev-15 cmake openssl)
# Completion scripts are checked by their shells, man pages by mandoc and
# man (tests/check_e2e_complete.c).
pkgs+=(zsh fish mandoc man-db)
pkgs+=("$@")

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "retort needs these Debian packages: ${missing[*]}" >&2
	echo "install them with:  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine may be empty or stale.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
