/*
 * fuzz_lint.c - a native .sql migration file from arbitrary bytes, linted
 *
 * A file sqlhdr_parse() accepts goes through PostgreSQL's parser and every
 * lint rule: the ignore comments, the CREATE TABLE names read from tokens
 * and the rules' tree walks must hold on anything.
 */
#include "fuzz.h"
#include "lint/lint.h"
#include "sql/sqlhdr.h"

#ifdef FUZZ_NO_ENTRY
static int fuzz_lint_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	struct src_file f;
	struct arena a = { 0 };
	struct rev r, *revs[1] = { &r };

	fuzz_quiet();
	fuzz_file(&f, "versions/fuzz.sql", data, size);
	memset(&r, 0, sizeof(r));
	if (sqlhdr_parse(&a, &f, &r) == 0) {
		struct lint_opts o = { 0 };
		struct lint_counts c;
		/* No such folder: no retort.ini, the rules' defaults. */
		if (lint_folder(&a, "/nonexistent/fuzz", revs, 1, &o, &c) != 0)
			abort();
	}
	arena_free(&a);
	free((char *)f.text);
	return 0;
}
