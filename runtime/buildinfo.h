/*
 * buildinfo.h - facts fixed when a migrator is linked
 *
 * buildinfo.c is compiled once per migrator with RT_RELEASE and
 * RT_BUILD_DATE defined by the build (SOURCE_DATE_EPOCH when set), so the
 * runtime library itself never changes with them.
 */
#ifndef RT_BUILDINFO_H
#define RT_BUILDINFO_H

extern const char rt_release[];    /* RELEASE=..., "dev" by default */
extern const char rt_build_date[]; /* ISO 8601, UTC */

#endif
