/*
 * fuzz.h - shared by the libFuzzer targets in tests/fuzz/
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput, unless FUZZ_NO_ENTRY is
 * defined: then it only defines fuzz_NAME_one(), so that
 * tests/check_gen_fuzzreplay.c can include every target in one binary and
 * replay the seed corpus and every crash found so far under a plain build
 * (and under the sanitizers, with 'make asan-test').
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnostics are formatted (that code is fuzzed too) but not shown. */
static inline void fuzz_quiet(void)
{
	if (!diag_stream) {
		diag_stream = fopen("/dev/null", "w");
		if (!diag_stream)
			abort();
	}
}

/*
 * The input as a src_file: a private, NUL-terminated copy, as folder_slurp
 * makes one (the parsers may rely on that NUL, never on more). Free with
 * free((char *)f->text).
 */
static inline void fuzz_file(struct src_file *f, const char *path,
			     const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);

	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	*f = (struct src_file){ path, text, size };
}

#endif
