/*
 * testutil.h - helpers shared by the Check suites
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

/* Reads a whole file (NUL-terminated); NULL when it cannot. Caller frees. */
char *tu_read_file(const char *path, size_t *len);

/* Writes `text` to `path`, creating directories on the way. Aborts on failure. */
void tu_write_file(const char *path, const char *text);

/*
 * Runs argv[0] with the extra environment `env` ("K=V" strings, NULL-ended;
 * "K=" with nothing after unsets K), captures stdout and stderr (caller
 * frees) and returns the exit status (128+signal when killed).
 */
int tu_run(char *const argv[], char *const env[], char **out, char **err);

/* Path of the build directory ($B, default "build"). */
const char *tu_build_dir(void);

#endif
