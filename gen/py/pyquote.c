/*
 * pyquote.c - identifiers and literals as SQLAlchemy's PostgreSQL preparer writes them
 *
 * Quoting follows the dialect's RESERVED_WORDS and legal characters, so a
 * name comes out quoted exactly where Alembic's --sql output quotes it.
 */
#include "pyopsint.h"

#include <stdlib.h>
#include <string.h>

const char pyquote_HINT[] =
	"rewrite this revision as a .sql file, or put its SQL in op.execute(\"...\")";

/* The PostgreSQL dialect's RESERVED_WORDS, sorted. */
static const char *const reserved[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
	"authorization", "between", "binary", "both", "case", "cast", "check", "collate",
	"column", "constraint", "create", "cross", "current_catalog", "current_date",
	"current_role", "current_schema", "current_time", "current_timestamp", "current_user",
	"default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false",
	"fetch", "for", "foreign", "freeze", "from", "full", "grant", "group", "having",
	"ilike", "in", "initially", "inner", "intersect", "into", "is", "isnull", "join",
	"leading", "left", "like", "limit", "localtime", "localtimestamp", "natural", "new",
	"not", "notnull", "null", "of", "off", "offset", "old", "on", "only", "or", "order",
	"outer", "over", "overlaps", "placing", "primary", "references", "returning", "right",
	"select", "session_user", "similar", "some", "symmetric", "table", "then", "to",
	"trailing", "true", "union", "unique", "user", "using", "variadic", "verbose", "when",
	"where", "window", "with",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* IdentifierPreparer._requires_quotes */
static bool requires_quotes(const char *s)
{
	char lc[256];
	size_t n = strlen(s);
	if (!n || n >= sizeof lc)
		return true;
	if ((s[0] >= '0' && s[0] <= '9') || s[0] == '$')
		return true;
	for (size_t i = 0; i <= n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			return true;
		if (c && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$'))
			return true;
		lc[i] = c;
	}
	const char *key = lc;
	return bsearch(&key, reserved, sizeof reserved / sizeof *reserved, sizeof *reserved, cmp_str) != NULL;
}

const char *pyops_quote(struct pyeval *ev, const char *name)
{
	if (!requires_quotes(name))
		return name;
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			sb_addch(&sb, '"');
		sb_addch(&sb, *p);
	}
	sb_addch(&sb, '"');
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

const char *pyquote_qtable(struct pyeval *ev, const char *schema, const char *name)
{
	if (schema)
		return arena_printf(pyeval_arena(ev), "%s.%s", pyops_quote(ev, schema), pyops_quote(ev, name));
	return pyops_quote(ev, name);
}

const char *pyquote_quote_lit(struct pyeval *ev, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addch(&sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			sb_addch(&sb, '\'');
		sb_addch(&sb, s[i]);
	}
	sb_addch(&sb, '\'');
	const char *r = arena_strdup(pyeval_arena(ev), sb.buf);
	sb_release(&sb);
	return r;
}

const char *pyops_literal(struct pyeval *ev, const struct pyval *v, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	switch (v->k) {
	case PV_NONE: return "NULL";
	case PV_BOOL: return v->i ? "true" : "false";
	case PV_INT: return arena_printf(a, "%lld", v->i);
	case PV_FLOAT: return v->s;
	case PV_STR: return pyquote_quote_lit(ev, v->s, v->len);
	case PV_ENUMMEMBER: return pyquote_quote_lit(ev, v->s, strlen(v->s));
	case PV_SQL: return v->s;
	default:
		pyeval_error(ev, v->off ? v->off : off, "'%s' is not a literal value known at build time",
			     pyeval_describe(ev, v));
		diag_hint("%s", pyquote_HINT);
		return NULL;
	}
}
