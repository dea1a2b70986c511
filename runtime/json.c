/*
 * json.c - JSON text for --json (RFC 8259)
 */
#include "json.h"

/* Length of the well-formed UTF-8 sequence at `p`, or 0. */
static size_t utf8_len(const unsigned char *p)
{
	unsigned c = p[0];
	size_t n;
	unsigned min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, min = 0x10000;
	else
		return 0;
	unsigned cp = c & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', fp);
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			/* Revision files are checked UTF-8; the database's text is not. */
			fputs("\\ufffd", fp);
			p++;
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, fp);
			p += n;
			continue;
		}
		switch (*p) {
		case '"':  fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
		p++;
	}
	fputc('"', fp);
}

void json_key(FILE *fp, const char *key, bool first)
{
	if (!first)
		fputc(',', fp);
	json_str(fp, key);
	fputc(':', fp);
}

void json_ids(FILE *fp, const struct rt_set *s, const unsigned *ix, size_t n)
{
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		json_str(fp, s->revisions[ix[i]].id);
	}
	fputc(']', fp);
}

static void json_bool(FILE *fp, const char *key, bool v)
{
	json_key(fp, key, false);
	fputs(v ? "true" : "false", fp);
}

static void json_field(FILE *fp, const char *key, const char *v)
{
	json_key(fp, key, false);
	json_str(fp, v);
}

void json_revision(FILE *fp, const struct report *r, unsigned ix)
{
	const struct rt_revision *rev = &r->s->revisions[ix];

	fputc('{', fp);
	json_key(fp, "revision", true);
	json_str(fp, rev->id);
	json_field(fp, "message", rev->message);
	json_key(fp, "parents", false);
	json_ids(fp, r->s, rev->parents, rev->n_parents);
	json_key(fp, "depends_on", false);
	json_ids(fp, r->s, rev->depends, rev->n_depends);
	json_key(fp, "branch_labels", false);
	fputc('[', fp);
	for (unsigned i = 0; i < rev->n_labels; i++) {
		if (i)
			fputc(',', fp);
		json_str(fp, rev->labels[i]);
	}
	fputc(']', fp);
	json_field(fp, "create_date", rev->create_date);
	json_field(fp, "path", rev->path);
	json_field(fp, "sha256", rev->sha256);
	json_field(fp, "checksum", rev->checksum);
	json_bool(fp, "transactional", rev->transactional);
	json_bool(fp, "is_head", r->is_head[ix]);
	json_bool(fp, "is_branchpoint", r->is_branchpoint[ix]);
	json_bool(fp, "is_merge", rev->n_parents > 1);
	if (r->is_current)
		json_bool(fp, "is_current", r->is_current[ix]);
	fputc('}', fp);
}

void json_revisions(FILE *fp, const char *key, const struct report *r, const unsigned *ix,
		    size_t n)
{
	fputc('{', fp);
	json_key(fp, key, true);
	fputc('[', fp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		json_revision(fp, r, ix[i]);
	}
	fputs("]}\n", fp);
}
