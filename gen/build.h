/*
 * build.h - `retort build` and `retort init`: from a folder to a migrator,
 * and an empty folder to start from
 *
 * `retort build` drives the C compiler itself, with the runtime retort was
 * installed with (docs/install.md), so a project needs no Makefile of
 * ours. Where that runtime is: $RETORT_PREFIX, else the directory above
 * the one holding the retort executable; under it lib/retort/ (the
 * runtime libraries, nogss.o, buildinfo.c) and include/retort/ (the
 * headers). The Makefile stages the same layout in $(B)/prefix.
 */
#ifndef GEN_BUILD_H
#define GEN_BUILD_H

#include "arena.h"

int build_main(int argc, char **argv, struct arena *a);
int init_main(int argc, char **argv, struct arena *a);

/*
 * The migration folder when the command line names none: alembic.ini's
 * script_location in the current directory, as typed there. NULL after
 * printing why not.
 */
const char *build_default_dir(struct arena *a);

#endif
