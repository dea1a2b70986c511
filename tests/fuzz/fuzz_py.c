/*
 * fuzz_py.c - a whole Alembic .py revision script from arbitrary bytes
 *
 * Lexer, parser, evaluator and operation renderer all run on it, with an
 * empty retort.ini. A script pyrev_parse() accepts must come out as
 * graph.c and emit.c expect it: an id, an upgrade section, each statement
 * a NUL-terminated string at an offset inside the file.
 */
#include "fuzz.h"
#include "emit.h"
#include "py/pyeval.h"
#include "py/pyrev.h"

static void py_check_list(const struct src_file *f, const struct stmt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].off > f->len || !l->v[i].sql || strlen(l->v[i].sql) != l->v[i].len)
			abort();
}

#ifdef FUZZ_NO_ENTRY
static int fuzz_py_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	static const struct pyconfig cfg;  /* no retort.ini */
	struct src_file f;
	struct arena a = { 0 };
	struct rev r;

	fuzz_quiet();
	fuzz_file(&f, "versions/fuzz.py", data, size);
	memset(&r, 0, sizeof(r));
	if (pyrev_parse(&a, &cfg, &f, &r) == 0) {
		char sum[EMIT_CHECKSUM_SIZE];
		if (!r.id || !*r.id || !r.up.present)
			abort();
		py_check_list(&f, &r.up);
		py_check_list(&f, &r.down);
		emit_checksum(&r, sum);
	}
	arena_free(&a);
	free((char *)f.text);
	return 0;
}
