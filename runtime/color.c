/*
 * color.c - ANSI colour for diagnostics, when wanted
 */
#include "color.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum { WHEN_AUTO, WHEN_ALWAYS, WHEN_NEVER } when;

const char *color_args(int *argc, char **argv)
{
	static const char *const names[] = { "auto", "always", "never" };
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--color") == 0) {
			when = WHEN_ALWAYS;
			continue;
		}
		if (strncmp(a, "--color=", 8) != 0) {
			argv[out++] = argv[i];
			continue;
		}
		size_t k = 0;
		while (k < 3 && strcmp(a + 8, names[k]) != 0)
			k++;
		if (k == 3)
			return a;
		when = k == 0 ? WHEN_AUTO : k == 1 ? WHEN_ALWAYS : WHEN_NEVER;
	}
	*argc = out;
	argv[out] = NULL;
	return NULL;
}

bool color_on(FILE *fp)
{
	if (when != WHEN_AUTO)
		return when == WHEN_ALWAYS;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if ((no && *no) || (term && strcmp(term, "dumb") == 0))
		return false;
	/* isatty() sets errno (ENOTTY): callers print strerror(errno) after us. */
	int fd = fileno(fp), saved = errno;
	bool tty = fd >= 0 && isatty(fd);
	errno = saved;
	return tty;
}

const char *color_start(FILE *fp, enum color_role role)
{
	static const char *const esc[] = {
		[COLOR_ERROR] = "\033[1;31m",   /* bold red */
		[COLOR_WARNING] = "\033[1;33m", /* bold yellow */
		[COLOR_NOTE] = "\033[1;36m",    /* bold cyan */
		[COLOR_RUNNING] = "\033[1;32m", /* bold green */
	};
	return color_on(fp) ? esc[role] : "";
}

const char *color_end(FILE *fp)
{
	return color_on(fp) ? "\033[0m" : "";
}
