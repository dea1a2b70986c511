/*
 * duration.c - parse "500ms", "5s", "2m", "1h"
 */
#include "duration.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int duration_parse(const char *s, long *ms)
{
	static const struct { const char *unit; long ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60 * 1000 }, { "h", 60 * 60 * 1000 },
	};
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno)
		return -1;
	if (*end == '\0' && n == 0) {
		*ms = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			/* PostgreSQL's timeouts are int milliseconds. */
			if (n > INT_MAX / units[i].ms)
				return -1;
			*ms = n * units[i].ms;
			return 0;
		}
	}
	return -1;
}

double duration_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
