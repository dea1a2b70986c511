/*
 * duration.h - durations on the command line: "500ms", "5s", "2m", "1h"
 *
 * Used by --lock-timeout, --db-lock-timeout, --statement-timeout and
 * `wait --timeout`. A unit is required (a bare "5" would be seconds to one
 * reader and PostgreSQL's milliseconds to another), except for "0".
 */
#ifndef RT_DURATION_H
#define RT_DURATION_H

/* Parses `s` into milliseconds. Returns 0, or -1 when it is not a duration. */
int duration_parse(const char *s, long *ms);

/* Milliseconds on the monotonic clock, for timing steps and waits. */
double duration_now_ms(void);

#endif
