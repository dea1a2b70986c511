/*
 * nearest.h - did-you-mean: the closest known word to a typo
 *
 * One implementation for both binaries (the generator links this file
 * too): commands, long options, revision ids and labels, .sql header keys.
 */
#ifndef RT_NEAREST_H
#define RT_NEAREST_H

#include <getopt.h>
#include <stddef.h>

/*
 * Edit distance (insertions, deletions, substitutions and swaps of
 * neighbours); SIZE_MAX when either word is over 64 bytes.
 */
size_t nearest_distance(const char *a, const char *b);

/*
 * The closest of cands[0..n) to `word`, when close enough to be a typo of
 * it (one edit in words of up to four letters, two in longer ones, never
 * most of the word), else NULL. The first of equally close ones wins.
 */
const char *nearest(const char *word, const char *const *cands, size_t n);

/*
 * For an unknown long option `arg` as typed ("--verbos", "--sqll=x"): the
 * closest name in `opts` (ended by a NULL name), else NULL.
 */
const char *nearest_option(const char *arg, const struct option *opts);

#endif
