/*
 * fuzz_sqllex.c - the statement splitter and the checksum normaliser on
 * arbitrary bytes
 *
 * Besides "no crash, no leak, no undefined behaviour", it checks what the
 * rest of the generator relies on: statements are in file order, do not
 * overlap, are exact NUL-terminated copies of their bytes, and, when
 * nothing is unterminated (an unterminated literal runs to the end, blanks
 * included), the normalised text has no leading or trailing space.
 */
#include "fuzz.h"
#include "sql/sqllex.h"

static void sqllex_check(const struct src_file *f, const struct stmt_list *l)
{
	size_t prev_end = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct stmt *s = &l->v[i];
		if (s->off < prev_end || s->len == 0 || s->off + s->len > f->len ||
		    memcmp(s->sql, f->text + s->off, s->len) != 0 || s->sql[s->len])
			abort();
		prev_end = s->off + s->len;
	}
}

static void sqllex_check_normalized(const char *sql, size_t len, bool strict)
{
	struct strbuf sb = STRBUF_INIT;

	sb_addstr(&sb, "x");
	sqllex_normalize(sql, len, &sb);
	if (strict && sb.len > 1 && (sb.buf[1] == ' ' || sb.buf[sb.len - 1] == ' '))
		abort();
	sb_release(&sb);

	/* sha256-v2's form: no edge spaces, and a fixed point (layout-free),
	 * CRs aside ("\r\r\n" reads as "\r\n", which reads as "\n"). */
	struct strbuf c1 = STRBUF_INIT, c2 = STRBUF_INIT;
	sqllex_canon(sql, len, &c1);
	if (strict && c1.len && (c1.buf[0] == ' ' || c1.buf[c1.len - 1] == ' '))
		abort();
	sqllex_canon(c1.buf ? c1.buf : "", c1.len, &c2);
	if (strict && !memchr(sql, '\r', len) &&
	    (c1.len != c2.len || (c1.len && memcmp(c1.buf, c2.buf, c1.len) != 0)))
		abort();
	sb_release(&c1);
	sb_release(&c2);
}

#ifdef FUZZ_NO_ENTRY
static int fuzz_sqllex_one(const uint8_t *data, size_t size)
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif
{
	struct src_file f;
	struct arena a = { 0 };
	struct stmt_list l = { 0 };

	fuzz_quiet();
	fuzz_file(&f, "versions/fuzz.sql", data, size);
	/* A section may start and end anywhere; the first byte picks where. */
	size_t begin = size ? (data[0] % 8 < size ? data[0] % 8 : 0) : 0;
	unsigned errors = sqllex_split(&a, &f, begin, size, &l);
	sqllex_check(&f, &l);
	sqllex_check_normalized(f.text + begin, f.len - begin, errors == 0);
	for (size_t i = 0; i < l.n; i++)
		sqllex_check_normalized(l.v[i].sql, l.v[i].len, errors == 0);
	arena_free(&a);
	free((char *)f.text);
	return 0;
}
