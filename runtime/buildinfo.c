/*
 * buildinfo.c - release name and build date of one migrator
 */
#include "buildinfo.h"

#ifndef RT_RELEASE
#define RT_RELEASE "dev"
#endif
#ifndef RT_BUILD_DATE
#define RT_BUILD_DATE "unknown"
#endif

const char rt_release[] = RT_RELEASE;
const char rt_build_date[] = RT_BUILD_DATE;
