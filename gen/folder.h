/*
 * folder.h - read a migration folder's versions/ into revisions
 *
 * Files are read in byte order of their names so that nothing downstream
 * depends on the order the directory lists them in. Each file is parsed by
 * the front end for its kind: sqlhdr.c for native .sql files, pyrev.c for
 * Alembic's .py scripts. A .py file that the static subset cannot compile is
 * an error, never skipped: silently dropping a revision would change the
 * graph.
 */
#ifndef GEN_FOLDER_H
#define GEN_FOLDER_H

#include <stddef.h>

#include "arena.h"
#include "rev.h"

struct folder {
	struct rev **revs; /* in file name order */
	size_t n;
	/* Files with errors whose Revision ID was read (their edges may be
	 * partial): squash replaces such revisions when they are old enough. */
	struct rev **failed;
	size_t n_failed;
	size_t n_unread;   /* files with errors and no Revision ID */
};

/*
 * Reads DIR/versions/ into *out (arena-allocated). Problems are reported
 * through diag; returns how many errors there were. A file with errors is
 * left out of *out.
 */
unsigned folder_read(struct arena *a, const char *dir, struct folder *out);

/* Reads a whole file into the arena with a NUL after it; -1 with errno. */
int folder_slurp(struct arena *a, const char *path, char **text, size_t *len);

/*
 * Writes all of data to fd, then closes it. Returns 0, or the errno of the
 * first failure (the fd is closed either way).
 */
int folder_write_close(int fd, const char *data, size_t len);

#endif
