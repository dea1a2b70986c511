/*
 * page.h - the prose of retort(1); the commands and options come from the
 * tables (runtime/cmdspec.h, `retort manpage`)
 */
#ifndef GEN_PAGE_H
#define GEN_PAGE_H

#include "cmdspec.h"

extern const struct spec_page retort_page;

#endif
