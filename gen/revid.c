/*
 * revid.c - the rule for revision ids and branch labels
 */
#include "revid.h"

#include <stdio.h>

#include "arena.h"

static bool id_char(char c, bool label)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       (label && (c == '-' || c == '.'));
}

bool revid_check(const struct src_file *f, size_t off, bool exact, bool label, const char *key,
		 const char *s, size_t n)
{
	const char *what = label ? "branch label" : "revision id";
	size_t bad = 0;

	if (n == 0) {
		diag_at(DIAG_ERROR, f, off, "empty %s in '%s'", what, key);
		return false;
	}
	while (bad < n && id_char(s[bad], label))
		bad++;
	if (bad == n)
		return true;
	/* The id as Python would write it inside quotes: what it holds may
	 * be a quote, a line break or a NUL. */
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'' || c == '\\')
			sb_addf(&sb, "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			sb_addf(&sb, "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == 0x7f)
			sb_addf(&sb, "\\x%02x", c);
		else
			sb_addch(&sb, c);
	}
	diag_at(DIAG_ERROR, f, exact ? off + bad : off, "invalid %s '%s' in '%s'", what, sb.buf, key);
	sb_release(&sb);
	diag_hint(label ? "labels may hold letters, digits, '_', '-' and '.'"
			: "revision ids may hold letters, digits and '_'");
	return false;
}
