/*
 * color.h - colour on terminals, for both binaries
 *
 * Labels ("error:", "warning:", "note:", "hint:", the migrator's
 * "Running") are coloured only when the stream written is a terminal,
 * NO_COLOR is unset or empty (https://no-color.org) and TERM is not
 * "dumb"; --color=always|never overrides that, as no-color.org asks of an
 * explicit option. Pure (no libpq): the generator links this file too.
 */
#ifndef RT_COLOR_H
#define RT_COLOR_H

#include <stdbool.h>
#include <stdio.h>

enum color_role { COLOR_ERROR, COLOR_WARNING, COLOR_NOTE, COLOR_RUNNING };

/*
 * Takes every "--color" (meaning always) and "--color=WHEN" (auto, always,
 * never) out of argv[1..argc), up to a "--", and sets the mode. Returns
 * NULL, or the argument whose WHEN is none of those.
 */
const char *color_args(int *argc, char **argv);

/* Whether what is written to fp gets colour. */
bool color_on(FILE *fp);

/* The escape sequences around `role` on fp: "" when color_on(fp) is false. */
const char *color_start(FILE *fp, enum color_role role);
const char *color_end(FILE *fp);

#endif
