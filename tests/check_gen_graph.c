/*
 * check_gen_graph.c - graph validation diagnostics and topological order
 *
 * Revisions are built in memory from "id|revises|depends|labels" specs, each
 * with a small header text so diagnostics point at real lines and columns.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static struct arena arena;

static void add_refs(struct strbuf *text, const char *key, const char *list,
		     struct rev_refs *refs)
{
	if (!*list)
		return;
	sb_addf(text, "-- %s: ", key);
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		arena_grow(&arena, &refs->v, &refs->cap, refs->n + 1, sizeof *refs->v);
		refs->v[refs->n].id = arena_strndup(&arena, p, n);
		refs->v[refs->n].off = text->len;
		refs->n++;
		sb_add(text, p, n);
		p += n;
		if (*p == ',') {
			sb_addstr(text, ", ");
			p++;
		}
	}
	sb_addch(text, '\n');
}

/* "id|revises|depends|labels", lists comma-separated, trailing parts optional. */
static struct rev *mk(const char *spec, size_t copy)
{
	char parts[4][256] = { "", "", "", "" };
	const char *p = spec;
	for (int i = 0; i < 4 && *p; i++) {
		size_t n = strcspn(p, "|");
		memcpy(parts[i], p, n);
		parts[i][n] = '\0';
		p += n;
		if (*p == '|')
			p++;
	}
	struct rev *r = arena_alloc(&arena, sizeof *r);
	struct src_file *f = arena_alloc(&arena, sizeof *f);
	struct strbuf text = STRBUF_INIT;
	sb_addstr(&text, "-- Revision ID: ");
	r->id_off = text.len;
	r->id = arena_strdup(&arena, parts[0]);
	sb_addf(&text, "%s\n", parts[0]);
	add_refs(&text, "Revises", parts[1], &r->parents);
	add_refs(&text, "Depends On", parts[2], &r->depends);
	add_refs(&text, "Branch Labels", parts[3], &r->labels);
	/* A second file with the same id needs a name of its own. */
	f->path = copy ? arena_printf(&arena, "versions/%s_%zu.sql", parts[0], copy + 1)
		       : arena_printf(&arena, "versions/%s.sql", parts[0]);
	f->text = arena_strndup(&arena, text.buf, text.len);
	f->len = text.len;
	r->file = f;
	r->message = r->create_date = "";
	sb_release(&text);
	return r;
}

static struct rev **mk_all(const char *const *specs, size_t n)
{
	struct rev **v = arena_alloc(&arena, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		size_t copy = 0, len = strcspn(specs[i], "|");
		for (size_t j = 0; j < i; j++)
			if (strcspn(specs[j], "|") == len && memcmp(specs[i], specs[j], len) == 0)
				copy++;
		v[i] = mk(specs[i], copy);
	}
	return v;
}

static char *diag_buf;
static size_t diag_len;

static void setup(void)
{
	diag_reset();
	diag_stream = open_memstream(&diag_buf, &diag_len);
}

static void teardown(void)
{
	fclose(diag_stream);
	diag_stream = NULL;
	free(diag_buf);
	diag_buf = NULL;
	arena_free(&arena);
}

static const char *diags(void)
{
	fflush(diag_stream);
	return diag_buf;
}

#define N(a) (sizeof(a) / sizeof *(a))

/* Orders the specs; expects success and returns the dump. */
static char *order_dump(const char *const *specs, size_t n)
{
	struct rev **v = mk_all(specs, n);
	unsigned e = graph_order(&arena, v, n);
	ck_assert_msg(e == 0, "unexpected errors:\n%s", diags());
	struct strbuf sb = STRBUF_INIT;
	graph_dump(v, n, &sb);
	for (size_t i = 0; i < n; i++)
		ck_assert_uint_eq(v[i]->index, i);
	return sb_detach(&sb);
}

/* Orders the specs; expects `errors` errors and exactly `expect` printed. */
static void expect_errors(const char *const *specs, size_t n, unsigned errors,
			  const char *expect)
{
	struct rev **v = mk_all(specs, n);
	unsigned e = graph_order(&arena, v, n);
	ck_assert_str_eq(diags(), expect);
	ck_assert_uint_eq(e, errors);
	ck_assert_uint_eq(diag_errors(), errors);
}

START_TEST(linear_chain)
{
	static const char *const specs[] = { "c|b", "a", "b|a" };
	char *d = order_dump(specs, N(specs));
	ck_assert_str_eq(d,
		"0 a parents=- depends=- children=b labels=-\n"
		"1 b parents=a depends=- children=c labels=-\n"
		"2 c parents=b depends=- children=- labels=-\n"
		"heads: c\n");
	free(d);
}
END_TEST

START_TEST(empty_graph)
{
	char *d = order_dump(NULL, 0);
	ck_assert_str_eq(d, "heads:\n");
	free(d);
}
END_TEST

/*
 *        a
 *      /   \
 *     b1    c1 (label feature)
 *     |     |
 *     b2    c2
 *      \   /
 *        m
 */
static const char *const branchy[] = {
	"a", "b1|a", "b2|b1", "c1|a||feature", "c2|c1", "m|c2,b2",
};

START_TEST(branch_and_merge)
{
	char *d = order_dump(branchy, N(branchy));
	ck_assert_str_eq(d,
		"0 a parents=- depends=- children=b1,c1 labels=-\n"
		"1 b1 parents=a depends=- children=b2 labels=-\n"
		"2 b2 parents=b1 depends=- children=m labels=-\n"
		"3 c1 parents=a depends=- children=c2 labels=feature\n"
		"4 c2 parents=c1 depends=- children=m labels=-\n"
		"5 m parents=c2,b2 depends=- children=- labels=-\n"
		"heads: m\n");
	free(d);
}
END_TEST

/* A dependency across branches pulls the other branch's revision first. */
START_TEST(depends_across_branches)
{
	static const char *const specs[] = {
		"a", "b1|a|c2", "b2|b1", "c1|a", "c2|c1", "x", "y|x|c1",
	};
	char *d = order_dump(specs, N(specs));
	ck_assert_str_eq(d,
		"0 a parents=- depends=- children=c1,b1 labels=-\n"
		"1 c1 parents=a depends=- children=c2 labels=-\n"
		"2 c2 parents=c1 depends=- children=- labels=-\n"
		"3 b1 parents=a depends=c2 children=b2 labels=-\n"
		"4 b2 parents=b1 depends=- children=- labels=-\n"
		"5 x parents=- depends=- children=y labels=-\n"
		"6 y parents=x depends=c1 children=- labels=-\n"
		"heads: b2 y\n");
	free(d);
}
END_TEST

/* Depends On may name a branch label, as in Alembic. */
START_TEST(depends_on_label)
{
	static const char *const specs[] = { "a|||lbl", "b", "c|b|lbl" };
	char *d = order_dump(specs, N(specs));
	ck_assert_str_eq(d,
		"0 a parents=- depends=- children=- labels=lbl\n"
		"1 b parents=- depends=- children=c labels=-\n"
		"2 c parents=b depends=a children=- labels=-\n"
		"heads: c\n");
	free(d);
}
END_TEST

START_TEST(several_heads)
{
	static const char *const specs[] = { "a", "b|a", "c|a", "d" };
	struct rev **v = mk_all(specs, N(specs));
	ck_assert_uint_eq(graph_order(&arena, v, N(specs)), 0);
	size_t heads[4];
	size_t n = graph_heads(v, N(specs), heads);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[heads[0]]->id, "b");
	ck_assert_str_eq(v[heads[1]]->id, "c");
	ck_assert_str_eq(v[heads[2]]->id, "d");
}
END_TEST

/* A revision others only depend on is not a head (Alembic's _real_heads). */
START_TEST(heads_exclude_dependencies)
{
	static const char *const specs[] = { "a", "b||a" };
	struct rev **v = mk_all(specs, N(specs));
	ck_assert_uint_eq(graph_order(&arena, v, N(specs)), 0);
	size_t heads[2];
	ck_assert_uint_eq(graph_heads(v, 2, heads), 1);
	ck_assert_str_eq(v[heads[0]]->id, "b");
}
END_TEST

/* Every read order gives the same result. */
START_TEST(order_is_deterministic)
{
	static const char *const specs[] = {
		"a", "b1|a", "b2|b1", "c1|a||feature", "c2|c1", "m|c2,b2",
		"z", "z2|z|b1", "n|m,z2",
	};
	enum { n = N(specs) };
	char *want = order_dump(specs, n);
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		const char *shuffled[n];
		memcpy(shuffled, specs, sizeof specs);
		for (size_t i = n - 1; i > 0; i--) {
			seed = seed * 1103515245u + 12345u;
			size_t j = (seed >> 8) % (i + 1);
			const char *t = shuffled[i];
			shuffled[i] = shuffled[j];
			shuffled[j] = t;
		}
		char *got = order_dump(shuffled, n);
		ck_assert_str_eq(got, want);
		free(got);
	}
	free(want);
}
END_TEST

START_TEST(duplicate_id)
{
	static const char *const specs[] = { "a", "b|a", "a" };
	expect_errors(specs, N(specs), 1,
		"versions/a_2.sql:1:17: error: duplicate revision id 'a'\n"
		"    1 | -- Revision ID: a\n"
		"      |                 ^\n"
		"detail: first defined at versions/a.sql:1:17\n");
}
END_TEST

START_TEST(unknown_parent)
{
	static const char *const specs[] = { "1a2b3c4d5e6f", "b|1a2b" };
	expect_errors(specs, N(specs), 1,
		"versions/b.sql:2:13: error: revision '1a2b' named in Revises is not in this folder\n"
		"    2 | -- Revises: 1a2b\n"
		"      |             ^\n"
		"hint: did you mean '1a2b3c4d5e6f'? revision files must name full ids\n");
}
END_TEST

START_TEST(unknown_depends)
{
	static const char *const specs[] = { "a", "b|a|a,zz" };
	expect_errors(specs, N(specs), 1,
		"versions/b.sql:3:19: error: revision 'zz' named in Depends On is not in this folder\n"
		"    3 | -- Depends On: a, zz\n"
		"      |                   ^\n");
}
END_TEST

START_TEST(cycle_of_three)
{
	static const char *const specs[] = { "root", "a|c", "b|a", "c|b", "d|a" };
	expect_errors(specs, N(specs), 1,
		"versions/a.sql:2:13: error: revisions form a cycle: a -> c -> b -> a\n"
		"    2 | -- Revises: c\n"
		"      |             ^\n"
		"detail: each revision names the next one in Revises or Depends On\n");
}
END_TEST

START_TEST(cycle_through_depends)
{
	static const char *const specs[] = { "a||b", "b|a" };
	expect_errors(specs, N(specs), 1,
		"versions/a.sql:2:16: error: revisions form a cycle: a -> b -> a\n"
		"    2 | -- Depends On: b\n"
		"      |                ^\n"
		"detail: each revision names the next one in Revises or Depends On\n");
}
END_TEST

START_TEST(self_reference)
{
	static const char *const specs[] = { "a|a", "b||b" };
	expect_errors(specs, N(specs), 2,
		"versions/a.sql:2:13: error: revision 'a' names itself in Revises\n"
		"    2 | -- Revises: a\n"
		"      |             ^\n"
		"versions/b.sql:2:16: error: revision 'b' names itself in Depends On\n"
		"    2 | -- Depends On: b\n"
		"      |                ^\n");
}
END_TEST

START_TEST(named_twice)
{
	static const char *const specs[] = { "a", "b|a,a" };
	expect_errors(specs, N(specs), 1,
		"versions/b.sql:2:16: error: revision 'a' is named twice in Revises\n"
		"    2 | -- Revises: a, a\n"
		"      |                ^\n");
}
END_TEST

START_TEST(duplicate_label)
{
	static const char *const specs[] = { "a|||x", "b|a||y,x", "c|b||z,z" };
	expect_errors(specs, N(specs), 2,
		"versions/b.sql:3:22: error: branch label 'x' is already used by revision 'a'\n"
		"    3 | -- Branch Labels: y, x\n"
		"      |                      ^\n"
		"detail: first used at versions/a.sql:2:19\n"
		"versions/c.sql:3:22: error: branch label 'z' is listed twice\n"
		"    3 | -- Branch Labels: z, z\n"
		"      |                      ^\n"
		"detail: first used at versions/c.sql:3:19\n");
}
END_TEST

START_TEST(label_is_an_id)
{
	static const char *const specs[] = { "a", "b|a||a", "c|b||heads" };
	expect_errors(specs, N(specs), 2,
		"versions/b.sql:3:19: error: branch label 'a' is also a revision id\n"
		"    3 | -- Branch Labels: a\n"
		"      |                   ^\n"
		"detail: revision defined at versions/a.sql:1:17\n"
		"versions/c.sql:3:19: error: branch label 'heads' is reserved\n"
		"    3 | -- Branch Labels: heads\n"
		"      |                   ^\n"
		"detail: 'base', 'head', 'heads', 'current' and names with '@' have a meaning "
		"in revision expressions\n");
}
END_TEST

START_TEST(id_too_long)
{
	static const char *const specs[] = {
		"0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef0",
	};
	expect_errors(specs, N(specs), 1,
		"versions/0123456789abcdef0123456789abcdef0.sql:1:17: error: revision id "
		"'0123456789abcdef0123456789abcdef0' is longer than 32 characters\n"
		"    1 | -- Revision ID: 0123456789abcdef0123456789abcdef0\n"
		"      |                 ^\n"
		"detail: alembic_version.version_num is VARCHAR(32)\n");
}
END_TEST

START_TEST(id_with_reserved_chars)
{
	static const char *const specs[] = { "a-b@c" };
	expect_errors(specs, N(specs), 1,
		"versions/a-b@c.sql:1:17: error: revision id 'a-b@c' contains '@-'\n"
		"    1 | -- Revision ID: a-b@c\n"
		"      |                 ^\n"
		"detail: Alembic reserves '@', '-', '+' and ':' for revision expressions\n");
}
END_TEST

/* All problems are reported in one run, each once. */
START_TEST(several_errors)
{
	static const char *const specs[] = {
		"a", "b|a|nope", "b|a", "c|d", "d|c", "e|missing",
	};
	expect_errors(specs, N(specs), 4,
		"versions/b_2.sql:1:17: error: duplicate revision id 'b'\n"
		"    1 | -- Revision ID: b\n"
		"      |                 ^\n"
		"detail: first defined at versions/b.sql:1:17\n"
		"versions/b.sql:3:16: error: revision 'nope' named in Depends On is not in this folder\n"
		"    3 | -- Depends On: nope\n"
		"      |                ^\n"
		"versions/e.sql:2:13: error: revision 'missing' named in Revises is not in this folder\n"
		"    2 | -- Revises: missing\n"
		"      |             ^\n"
		"versions/c.sql:2:13: error: revisions form a cycle: c -> d -> c\n"
		"    2 | -- Revises: d\n"
		"      |             ^\n"
		"detail: each revision names the next one in Revises or Depends On\n");
}
END_TEST

START_TEST(errors_keep_input_order)
{
	static const char *const specs[] = { "b|a", "a", "c|zz" };
	struct rev **v = mk_all(specs, N(specs));
	ck_assert_uint_eq(graph_order(&arena, v, N(specs)), 1);
	ck_assert_str_eq(v[0]->id, "b");
	ck_assert_str_eq(v[1]->id, "a");
	ck_assert_str_eq(v[2]->id, "c");
}
END_TEST

START_TEST(find_by_id_prefix_label)
{
	static const char *const specs[] = { "abc111|||one", "abc222|abc111", "def333|abc222" };
	struct rev **v = mk_all(specs, N(specs));
	ck_assert_uint_eq(graph_order(&arena, v, N(specs)), 0);
	ck_assert_int_eq(graph_find(v, 3, "abc222"), 1);
	ck_assert_int_eq(graph_find(v, 3, "d"), 2);
	ck_assert_int_eq(graph_find(v, 3, "one"), 0);
	ck_assert_str_eq(diags(), "");
	ck_assert_int_eq(graph_find(v, 3, "abc"), -1);
	ck_assert_int_eq(graph_find(v, 3, "zzz"), -1);
	ck_assert_str_eq(diags(),
		"error: revision prefix 'abc' is ambiguous\n"
		"detail: it matches 'abc111', 'abc222'\n"
		"error: no revision 'zzz' in this folder\n");
}
END_TEST

static Suite *graph_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *order = tcase_create("order");
	tcase_add_checked_fixture(order, setup, teardown);
	tcase_add_test(order, linear_chain);
	tcase_add_test(order, empty_graph);
	tcase_add_test(order, branch_and_merge);
	tcase_add_test(order, depends_across_branches);
	tcase_add_test(order, depends_on_label);
	tcase_add_test(order, several_heads);
	tcase_add_test(order, heads_exclude_dependencies);
	tcase_add_test(order, order_is_deterministic);
	tcase_add_test(order, find_by_id_prefix_label);
	suite_add_tcase(s, order);

	TCase *errors = tcase_create("errors");
	tcase_add_checked_fixture(errors, setup, teardown);
	tcase_add_test(errors, duplicate_id);
	tcase_add_test(errors, unknown_parent);
	tcase_add_test(errors, unknown_depends);
	tcase_add_test(errors, cycle_of_three);
	tcase_add_test(errors, cycle_through_depends);
	tcase_add_test(errors, self_reference);
	tcase_add_test(errors, named_twice);
	tcase_add_test(errors, duplicate_label);
	tcase_add_test(errors, label_is_an_id);
	tcase_add_test(errors, id_too_long);
	tcase_add_test(errors, id_with_reserved_chars);
	tcase_add_test(errors, several_errors);
	tcase_add_test(errors, errors_keep_input_order);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(graph_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
