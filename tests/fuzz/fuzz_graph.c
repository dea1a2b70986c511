/*
 * fuzz_graph.c - a migration folder of several files built from one input
 *
 * The input is split into files at each line "%%" (as versions/f000.sql,
 * f001.sql, ...); they go through sqlhdr_parse() and graph_order() as
 * folder_read() and 'retort compile' send them, and an ordered graph is then
 * listed, searched and emitted. Checked: parents and dependencies come
 * before their revision, and the heads are what graph_heads() says.
 */
#include "fuzz.h"
#include "emit.h"
#include "graph.h"
#include "sql/sqlhdr.h"

enum { GRAPH_MAX_FILES = 64 };

static void graph_check(struct rev *const *revs, size_t n)
{
	size_t heads[GRAPH_MAX_FILES + 1];
	size_t nh = graph_heads(revs, n, heads);

	for (size_t i = 0; i < n; i++) {
		const struct rev *r = revs[i];
		if (r->index != i)
			abort();
		for (size_t j = 0; j < r->parents.n; j++)
			if (r->parent_ix[j] >= i)
				abort();
		for (size_t j = 0; j < r->depends.n; j++)
			if (r->depend_ix[j] >= i)
				abort();
		for (size_t j = 0; j < r->n_children; j++)
			if (r->child_ix[j] <= i)
				abort();
		(void)graph_is_versioned_head(revs, n, i);
	}
	if (n && nh == 0)
		abort();
}

#ifdef FUZZ_NO_ENTRY
static int fuzz_graph_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	struct arena a = { 0 };
	struct src_file files[GRAPH_MAX_FILES];
	struct rev *revs[GRAPH_MAX_FILES];
	size_t n_files = 0, n = 0, pos = 0;

	fuzz_quiet();
	while (n_files < GRAPH_MAX_FILES) {
		const uint8_t *sep = NULL;
		for (size_t i = pos; i + 4 <= size; i++)
			if (memcmp(data + i, "\n%%\n", 4) == 0) {
				sep = data + i;
				break;
			}
		size_t end = sep ? (size_t)(sep - data) + 1 : size;
		char *path = arena_printf(&a, "versions/f%03zu.sql", n_files);
		fuzz_file(&files[n_files], path, data + pos, end - pos);
		struct rev *r = arena_alloc(&a, sizeof(*r));
		if (sqlhdr_parse(&a, &files[n_files], r) == 0)
			revs[n++] = r;
		n_files++;
		if (!sep)
			break;
		pos = end + 3;
	}
	if (graph_order(&a, revs, n) == 0) {
		struct strbuf sb = STRBUF_INIT;
		graph_check(revs, n);
		graph_dump(revs, n, &sb);
		for (size_t i = 0; i < n; i++) {
			char prefix[3] = { revs[i]->id[0], revs[i]->id[0] ? revs[i]->id[1] : 0, 0 };
			if (graph_find(revs, n, revs[i]->id) != (long)i)
				abort();
			(void)graph_find(revs, n, prefix);
			for (size_t j = 0; j < revs[i]->labels.n; j++)
				(void)graph_find(revs, n, revs[i]->labels.v[j].id);
		}
		sb_reset(&sb);
		emit_c(&sb, revs, n, "fuzz");
		sb_release(&sb);
	}
	for (size_t i = 0; i < n_files; i++)
		free((char *)files[i].text);
	arena_free(&a);
	return 0;
}
