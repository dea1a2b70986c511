#!/bin/sh
# buildinfo.sh OUT.h FOLDER RELEASE [release]: a migrator's build facts
#
# Writes OUT.h (#define RT_RELEASE, RT_BUILD_DATE) for runtime/buildinfo.c,
# replacing it only when its bytes change, so make relinks only then. The
# date is the migrations', not retort's: SOURCE_DATE_EPOCH, else the time of
# the last commit touching FOLDER, so a rebuild of the same commit gives the
# same bytes. Without either a release build refuses; an everyday build
# says "unknown". CMakeLists.txt computes the date the same way.
set -u
out=$1 folder=$2 release=$3 kind=${4:-dev}

epoch=${SOURCE_DATE_EPOCH:-}
if [ -z "$epoch" ]; then
	epoch=$(git -C "$folder" log -1 --format=%ct -- . 2>/dev/null) || epoch=
fi
if [ -n "$epoch" ]; then
	date=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ) || {
		echo "make: error: SOURCE_DATE_EPOCH='$epoch' is not a number of seconds" >&2
		exit 1
	}
elif [ "$kind" = release ]; then
	echo "make: error: no build date for a release: $folder has no commit" \
		"(not in a git checkout, or not committed)" >&2
	echo "hint: commit the migrations, or set SOURCE_DATE_EPOCH, e.g." \
		"SOURCE_DATE_EPOCH=\$(date +%s)" >&2
	exit 1
else
	date=unknown
fi

mkdir -p "$(dirname "$out")"
printf '#define RT_RELEASE "%s"\n#define RT_BUILD_DATE "%s"\n' "$release" "$date" >"$out.new"
if cmp -s "$out.new" "$out"; then rm -f "$out.new"; else mv -f "$out.new" "$out"; fi
