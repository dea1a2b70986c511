/*
 * fuzz_sqlhdr.c - a whole native .sql migration file from arbitrary bytes
 *
 * A file sqlhdr_parse() accepts must come out as graph.c and emit.c expect
 * it: an id, an upgrade section, statements inside the file.
 */
#include "fuzz.h"
#include "emit.h"
#include "sql/sqlhdr.h"

static void sqlhdr_check_list(const struct src_file *f, const struct stmt_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].off + l->v[i].len > f->len || l->v[i].sql[l->v[i].len])
			abort();
}

#ifdef FUZZ_NO_ENTRY
static int fuzz_sqlhdr_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	struct src_file f;
	struct arena a = { 0 };
	struct rev r;

	fuzz_quiet();
	fuzz_file(&f, "versions/fuzz.sql", data, size);
	memset(&r, 0, sizeof(r));
	if (sqlhdr_parse(&a, &f, &r) == 0) {
		char sum[EMIT_CHECKSUM_SIZE];
		if (!r.id || !*r.id || !r.up.present)
			abort();
		sqlhdr_check_list(&f, &r.up);
		sqlhdr_check_list(&f, &r.down);
		emit_checksum(&r, sum);
	}
	arena_free(&a);
	free((char *)f.text);
	return 0;
}
