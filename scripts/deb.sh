#!/bin/sh
# deb.sh ROOT OUTDIR: package the tree `make install DESTDIR=ROOT PREFIX=/usr`
# staged as OUTDIR/retort_VERSION_ARCH.deb, printing its path.
#
# Depends: the shared libraries retort itself loads (found from its
# NEEDED entries, through the packages that own them here), then what
# `retort build` drives: a C compiler and libc's headers, libpq and inih
# for every migrator, OpenSSL and PostgreSQL's static support libraries for
# --static (pg_config comes with libpq-dev). git gives a build date from
# the folder's last commit; SOURCE_DATE_EPOCH does without.
set -eu
root=$1 out=$2
bin=$root/usr/bin/retort

version=$(sed -n 's/^#define RETORT_VERSION "\(.*\)"$/\1/p' gen/emit.h)
arch=$(dpkg --print-architecture)
[ -n "$version" ] || { echo "deb.sh: error: no RETORT_VERSION in gen/emit.h" >&2; exit 1; }

# libcrypto.so.3 => /lib/x86_64-linux-gnu/libcrypto.so.3 (0x...) -> libssl3.
# dpkg knows a file by the path its package ships it at, /lib or /usr/lib
# (merged /usr makes both work): ask for both, in one slow query.
libs=$(ldd "$bin" | sed -n 's/.* => \(\/[^ ]*\) .*/\1/p')
both=$(for l in $libs; do echo "$l"; case $l in /usr/*) echo "${l#/usr}";; *) echo "/usr$l";; esac; done)
owners=$(dpkg -S $both 2>/dev/null) || true
shlibs=
for l in $libs; do
	pkg=$(printf '%s\n' "$owners" | grep -F ": ${l#/usr}" -m1 ||
	      printf '%s\n' "$owners" | grep -F ": /usr${l#/usr}" -m1) || {
		echo "deb.sh: error: no package owns $l" >&2; exit 1; }
	pkg=${pkg%%:*}
	case "$shlibs" in *"$pkg, "*) ;; *) shlibs="$shlibs$pkg, ";; esac
done

pgmajor=$(pg_config --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
depends="${shlibs}gcc | c-compiler, libc6-dev, libpq-dev, libinih-dev, libssl-dev, postgresql-server-dev-$pgmajor"

# Debian's man pages are compressed (policy 12.1), reproducibly (-n).
for page in "$root"/usr/share/man/man1/*.1; do
	[ -e "$page" ] && gzip -9nf "$page"
done

mkdir -p "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<CONTROL
Package: retort
Version: $version
Architecture: $arch
Maintainer: retort developers <retort@localhost>
Installed-Size: $size
Depends: $depends
Recommends: git
Section: database
Priority: optional
Description: compile PostgreSQL migration folders into one migrator binary
 retort compiles a folder of PostgreSQL migrations (native .sql files and
 Alembic revision scripts in a static subset) into one self-contained
 migrator speaking Alembic's commands on Alembic's alembic_version table.
 'retort build' drives the C compiler with the runtime this package holds.
CONTROL

deb="$out/retort_${version}_${arch}.deb"
# Owned by root whoever builds it; no timestamps beyond the files'.
dpkg-deb --root-owner-group -Zgzip -z1 --build "$root" "$deb" >/dev/null
echo "$deb"
