/*
 * nearest.c - did-you-mean by edit distance
 */
#include "nearest.h"

#include <stdint.h>
#include <string.h>

size_t nearest_distance(const char *a, const char *b)
{
	/*
	 * Levenshtein's edits plus the swap of two neighbours ("jsno" for
	 * "json" is one typo, not two): the optimal string alignment distance.
	 * Capped: only small distances matter for a typo, and rows fit the stack.
	 */
	size_t la = strlen(a), lb = strlen(b), rows[3][65];
	size_t *prev2 = rows[0], *prev = rows[1], *row = rows[2];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			row[j] = best;
		}
		size_t *t = prev2;
		prev2 = prev, prev = row, row = t;
	}
	return prev[lb];
}

const char *nearest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bd = SIZE_MAX, len = strlen(word);
	/* One edit in short words, two in longer ones, never most of the word. */
	size_t limit = len <= 4 ? 1 : 2;

	for (size_t i = 0; i < n; i++) {
		size_t d = nearest_distance(word, cands[i]);
		if (d < bd && d <= limit && d < len) {
			bd = d;
			best = cands[i];
		}
	}
	return best;
}

const char *nearest_option(const char *arg, const struct option *opts)
{
	char name[65];
	size_t n = 0;

	if (strncmp(arg, "--", 2) != 0)
		return NULL;
	arg += 2;
	while (arg[n] && arg[n] != '=' && n < sizeof(name) - 1)
		n++;
	memcpy(name, arg, n);
	name[n] = '\0';

	const char *best = NULL;
	for (size_t i = 0; opts[i].name; i++) {
		const char *cand = opts[i].name;
		const char *near = nearest(name, &cand, 1);
		if (near && (!best || nearest_distance(name, near) < nearest_distance(name, best)))
			best = near;
	}
	return best;
}
