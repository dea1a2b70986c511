/*
 * privilege.c - the GRANTs and REVOKEs between two access lists
 *
 * Per grantee, in the order the lists give them: what `from` has and `to`
 * lacks is revoked, a grant option `to` lacks is revoked alone, and what `to`
 * has that `from` lacks (or lacks with its grant option) is granted.
 */
#include "schema/privilege.h"

#include <stdbool.h>
#include <string.h>

/* Length of "grantee\tPRIVILEGE", the part two entries are matched on. */
static size_t stem(const char *e)
{
	const char *t = strrchr(e, '\t');
	return t ? (size_t)(t - e) : strlen(e);
}

static bool grantable(const char *e)
{
	return e[stem(e) + 1] == 't';
}

static size_t grantee_len(const char *e)
{
	return strcspn(e, "\t");
}

/* The entry of `list` with e's grantee and privilege, or NULL. */
static const char *find(const char *e, const char *const *list, size_t n)
{
	size_t k = stem(e);
	for (size_t i = 0; i < n; i++)
		if (stem(list[i]) == k && strncmp(list[i], e, k) == 0)
			return list[i];
	return NULL;
}

/* Appends ", PRIV (col)" to a statement's privilege list. */
static void add_priv(struct strbuf *sb, const char *e, const char *col)
{
	size_t g = grantee_len(e);
	sb_addf(sb, "%s%.*s", sb->len ? ", " : "", (int)(stem(e) - g - 1), e + g + 1);
	if (col)
		sb_addf(sb, " (%s)", col);
}

/* One grantee's statements: kind 0 revoke, 1 revoke grant option, 2 grant, 3 grant with option. */
static size_t one_grantee(struct strbuf *out, const char *on, const char *col, const char *who,
			  size_t wl, const char *const *from, size_t nf, const char *const *to,
			  size_t nt)
{
	size_t n = 0;
	for (int kind = 0; kind < 4; kind++) {
		struct strbuf privs = STRBUF_INIT;
		const char *const *list = kind < 2 ? from : to;
		size_t nl = kind < 2 ? nf : nt;
		for (size_t i = 0; i < nl; i++) {
			const char *e = list[i];
			if (grantee_len(e) != wl || strncmp(e, who, wl) != 0)
				continue;
			const char *other = find(e, kind < 2 ? to : from, kind < 2 ? nt : nf);
			bool take;
			switch (kind) {
			case 0: take = !other; break;
			case 1: take = other && grantable(e) && !grantable(other); break;
			case 2: take = !grantable(e) && !other; break;
			default: take = grantable(e) && (!other || !grantable(other)); break;
			}
			if (take)
				add_priv(&privs, e, col);
		}
		if (privs.len) {
			static const char *const fmt[] = {
				"REVOKE %s ON %s FROM %.*s;\n",
				"REVOKE GRANT OPTION FOR %s ON %s FROM %.*s;\n",
				"GRANT %s ON %s TO %.*s;\n",
				"GRANT %s ON %s TO %.*s WITH GRANT OPTION;\n",
			};
			sb_addf(out, fmt[kind], privs.buf, on, (int)wl, who);
			n++;
		}
		sb_release(&privs);
	}
	return n;
}

size_t priv_change(struct strbuf *sb, const char *on, const char *col, const char *const *from,
		   size_t nf, const char *const *to, size_t nt)
{
	size_t n = 0;
	/* Every grantee once: those of `from`, then those only `to` has. */
	for (int side = 0; side < 2; side++) {
		const char *const *list = side ? to : from;
		size_t nl = side ? nt : nf;
		for (size_t i = 0; i < nl; i++) {
			const char *who = list[i];
			size_t wl = grantee_len(who);
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = grantee_len(list[j]) == wl && strncmp(list[j], who, wl) == 0;
			for (size_t j = 0; side && j < nf && !seen; j++)
				seen = grantee_len(from[j]) == wl && strncmp(from[j], who, wl) == 0;
			if (!seen)
				n += one_grantee(sb, on, col, who, wl, from, nf, to, nt);
		}
	}
	return n;
}
