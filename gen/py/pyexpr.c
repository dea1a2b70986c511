/*
 * pyexpr.c - expressions: literals, operators, comparisons, comprehensions, calls
 *
 * The tree-walking core: eval() of every expression node over pyparse's AST,
 * Python's operators on static values, and the SQL expressions that
 * SQLAlchemy column objects build (comparisons, arithmetic) as PV_SQL.
 */
#include "pyevalint.h"

#include <stdlib.h>
#include <string.h>

/* ---- evaluation ------------------------------------------------------------ */

long long pyexpr_parse_int(const char *s, bool *ok)
{
	char buf[128];
	size_t k = 0;
	for (const char *p = s; *p && k + 1 < sizeof buf; p++)
		if (*p != '_')
			buf[k++] = *p;
	buf[k] = '\0';
	char *end;
	int base = 10;
	const char *b = buf;
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16, b = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
		base = 8, b = buf + 2;
	else if (buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		base = 2, b = buf + 2;
	long long v = strtoll(b, &end, base);
	*ok = *end == '\0';
	return v;
}

static struct pyval *number(struct pyeval *ev, const struct pynode *n)
{
	bool ok;
	long long i = pyexpr_parse_int(n->s, &ok);
	if (ok)
		return pv_mk_int(ev, i, n->off);
	if (strpbrk(n->s, "jJ"))
		return pyctx_unknown(ev, n->off, NULL, "complex number '%s' is not supported", n->s);
	struct pyval *v = pv_mk(ev, PV_FLOAT, n->off);
	v->d = strtod(n->s, NULL);
	v->s = n->s;
	return v;
}

bool pyexpr_equal(struct pyeval *ev, const struct pyval *x, const struct pyval *y)
{
	if ((x->k == PV_INT || x->k == PV_BOOL) && (y->k == PV_INT || y->k == PV_BOOL))
		return x->i == y->i;
	if (x->k == PV_FLOAT || y->k == PV_FLOAT) {
		double a = x->k == PV_FLOAT ? x->d : (double)x->i;
		double b = y->k == PV_FLOAT ? y->d : (double)y->i;
		return (x->k == PV_FLOAT || x->k == PV_INT) && (y->k == PV_FLOAT || y->k == PV_INT) && a == b;
	}
	if (x->k != y->k)
		return false;
	switch (x->k) {
	case PV_NONE: return true;
	case PV_STR: return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
	case PV_LIST: case PV_TUPLE: {
		if (x->n != y->n)
			return false;
		if (ev->nesting >= PYEVAL_MAX_NESTING) {
			pyctx_over(ev, x->off, "value nested more than %d levels deep (a list that holds itself?)",
				   PYEVAL_MAX_NESTING);
			return false;
		}
		ev->nesting++;
		bool eq = true;
		for (size_t i = 0; eq && i < x->n && !ev->over; i++)
			eq = pyexpr_equal(ev, x->v[i], y->v[i]);
		ev->nesting--;
		return eq && !ev->over;
	}
	case PV_ENUMMEMBER: case PV_REF: return x == y || strcmp(x->s, y->s) == 0;
	default: return x == y;
	}
}

bool pyexpr_is_plain(const struct pyval *v)
{
	return v->k <= PV_DICT || v->k == PV_ENUMMEMBER;
}

static struct pyval *sql_atom(struct pyeval *ev, struct pyval *v, size_t off);

struct pyval *pyexpr_mk_sql(struct pyeval *ev, const char *s, size_t off)
{
	struct pyval *v = pv_mk(ev, PV_SQL, off);
	v->s = s;
	return v;
}

/* The operator at the top of an SQL expression, kept in a PV_SQL's `i` so
 * that an operand is parenthesised as SQLAlchemy's self_group() does it
 * (SQ_ATOM: a column, literal or function, never). */
enum sqop { SQ_ATOM, SQ_OR, SQ_AND, SQ_NOT, SQ_CMP, SQ_CONCAT, SQ_ADD, SQ_SUB, SQ_MUL, SQ_DIV, SQ_MOD };

/* What an operand's SQLAlchemy type is, as far as '+' cares (String
 * turns it into '||'): SQK_OTHER (a type '+' is not written for here),
 * NullType (an untyped column, a function SQLAlchemy does not know),
 * numeric, string. */
enum sqkind { SQK_OTHER, SQK_NULL, SQK_NUM, SQK_STR };

unsigned pyexpr_typekind(struct pyeval *ev, const struct pyval *t)
{
	static const char *const str[] = { "String", "Text", "Unicode", "UnicodeText", "VARCHAR", "CHAR",
		"NVARCHAR", "NCHAR", "TEXT", NULL };
	static const char *const num[] = { "Integer", "BigInteger", "SmallInteger", "Numeric", "Float",
		"INTEGER", "BIGINT", "SMALLINT", "NUMERIC", "DECIMAL", "REAL", "FLOAT", "INT", NULL };
	if (!t || t->k == PV_NONE)
		return SQK_NULL;
	if (t->k != PV_REF && t->k != PV_OBJ)
		return SQK_OTHER;
	const char *c = t->k == PV_REF ? pyeval_canon(ev, t->s) : t->s;
	if (!pyctx_starts_with(c, "sa."))
		return SQK_OTHER;
	for (size_t i = 0; str[i]; i++)
		if (!strcmp(c + 3, str[i]))
			return SQK_STR;
	for (size_t i = 0; num[i]; i++)
		if (!strcmp(c + 3, num[i]))
			return SQK_NUM;
	return SQK_OTHER;
}

/* The kind of a value about to enter an SQL expression. */
static unsigned sq_kind(struct pyeval *ev, const struct pyval *v)
{
	/* sqlalchemy.sql.functions' GenericFunction classes have a type */
	static const char *const generic[] = { "coalesce", "max", "min", "sum", "now", "concat",
		"char_length", "random", "count", "current_date", "current_time", "current_timestamp",
		"current_user", "localtime", "localtimestamp", "session_user", "sysdate", "user",
		"array_agg", "mode", "percentile_cont", "percentile_disc", "rank", "dense_rank",
		"percent_rank", "cume_dist", "cube", "rollup", "grouping_sets", "next_value", NULL };
	switch (v->k) {
	case PV_SQL: return v->sqk & ~SQK_QUALIFIED;
	case PV_STR: return SQK_STR;
	case PV_INT: case PV_FLOAT: return SQK_NUM;
	default: break;
	}
	if (pv_is_obj(v, "sa.column"))
		return pyexpr_typekind(ev, pv_arg(v, 1, "type_"));
	if (pv_is_obj(v, "sa.literal") && pv_arg(v, 0, "value") && !pv_arg(v, 1, "type_"))
		return sq_kind(ev, pv_arg(v, 0, "value"));
	if (v->k == PV_OBJ && pyctx_starts_with(v->s, "func.")) {
		for (size_t i = 0; generic[i]; i++)
			if (!strcmp(v->s + 5, generic[i]))
				return SQK_OTHER;
		return SQK_NULL;
	}
	return SQK_OTHER;
}

/* sqlalchemy.sql.operators._PRECEDENCE of each. */
static int sq_prec(long long op)
{
	static const int prec[] = { 100, 2, 3, 5, 5, 6, 7, 7, 8, 8, 8 };
	return prec[op];
}

/* An operand `x` of operator `against`: grouped when its own operator binds
 * no tighter (operators.is_precedent), but for a chain of the same
 * associative operator (a AND b AND c, a + b + c). */
static const char *sq_operand(struct pyeval *ev, const struct pyval *x, long long against)
{
	bool assoc = against == SQ_OR || against == SQ_AND || against == SQ_CONCAT || against == SQ_ADD ||
		     against == SQ_MUL;
	if (x->i == SQ_ATOM || (x->i == against && assoc) || sq_prec(x->i) > sq_prec(against))
		return x->s;
	return arena_printf(ev->a, "(%s)", x->s);
}

/* A binary SQL expression; a comparison keeps its parts for sa.not_(). */
static struct pyval *sq_binary(struct pyeval *ev, long long op, const char *sqlop, struct pyval *l,
			       struct pyval *r, size_t off)
{
	struct pyval *v = pyexpr_mk_sql(ev, arena_printf(ev->a, "%s %s %s", sq_operand(ev, l, op), sqlop,
						  sq_operand(ev, r, op)), off);
	v->i = op;
	v->flag |= PVF_GROUPED;
	v->sqk = (l->sqk | r->sqk) & SQK_QUALIFIED;
	if (op == SQ_CMP) {
		v->v = arena_alloc(ev->a, 2 * sizeof *v->v);
		v->v[0] = l;
		v->v[1] = r;
		v->n = 2;
		v->self = pv_mk_cstr(ev, sqlop, off);
	}
	return v;
}

struct pyval *pyexpr_sql_cmp(struct pyeval *ev, const char *sqlop, struct pyval *l, struct pyval *r, size_t off)
{
	return sq_binary(ev, SQ_CMP, sqlop, l, r, off);
}

/* SQL comparison of a column expression, as SQLAlchemy renders it. */
static struct pyval *sql_compare(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	struct pyval *ls = pyexpr_sql_of(ev, l, off);
	if (pyctx_is_bad(ev, ls))
		return ls;
	if (!strcmp(op, "in") || !strcmp(op, "not in") || !strcmp(op, "is") || !strcmp(op, "is not"))
		return pyctx_unknown(ev, off, "use .in_() or .is_() in SQL expressions",
			       "'%s' on an SQL expression is decided by Python, not SQL", op);
	if (r->k == PV_NONE && (!strcmp(op, "==") || !strcmp(op, "!=")))
		return sq_binary(ev, SQ_CMP, op[0] == '!' ? "IS NOT" : "IS", ls, pyexpr_mk_sql(ev, "NULL", off), off);
	struct pyval *rs = pyexpr_sql_of(ev, r, off);
	if (pyctx_is_bad(ev, rs))
		return rs;
	return sq_binary(ev, SQ_CMP, !strcmp(op, "==") ? "=" : op, ls, rs, off);
}

/* sa.and_() / sa.or_() of SQL expressions (one: itself). */
struct pyval *pyexpr_sql_bool(struct pyeval *ev, bool and, struct pyval **args, size_t n, size_t off)
{
	if (!n)
		return pyctx_unknown(ev, off, NULL, "sa.%s() without conditions", and ? "and_" : "or_");
	long long op = and ? SQ_AND : SQ_OR;
	struct pyval *acc = NULL;
	for (size_t i = 0; i < n; i++) {
		struct pyval *x = pyexpr_sql_of(ev, args[i], off);
		if (pyctx_is_bad(ev, x))
			return x;
		if (!acc) {
			acc = x;
			continue;
		}
		struct pyval *v = pyexpr_mk_sql(ev, arena_printf(ev->a, "%s %s %s", sq_operand(ev, acc, op),
							  and ? "AND" : "OR", sq_operand(ev, x, op)), off);
		v->i = op;
		v->flag |= PVF_GROUPED;
		v->sqk = (acc->sqk | x->sqk) & SQK_QUALIFIED;
		acc = v;
	}
	return acc;
}

/* sa.not_(x) and ~x: a comparison turns into its opposite, as SQLAlchemy
 * negates a binary expression; anything else is NOT over it. */
struct pyval *pyexpr_sql_not(struct pyeval *ev, struct pyval *x, size_t off)
{
	static const char *const neg[][2] = {
		{ "=", "!=" }, { "<", ">=" }, { ">", "<=" }, { "IS", "IS NOT" }, { "LIKE", "NOT LIKE" },
		{ "ILIKE", "NOT ILIKE" },
	};
	x = pyexpr_sql_of(ev, x, off);
	if (pyctx_is_bad(ev, x))
		return x;
	if (x->i == SQ_CMP && x->self) {
		for (size_t k = 0; k < sizeof neg / sizeof *neg; k++)
			for (int d = 0; d < 2; d++)
				if (!strcmp(x->self->s, neg[k][d]))
					return sq_binary(ev, SQ_CMP, neg[k][!d], x->v[0], x->v[1], off);
		if (!strcmp(x->self->s, "IN")) {  /* SQLAlchemy groups a negated IN */
			struct pyval *v = pyexpr_mk_sql(ev, arena_printf(ev->a, "(%s NOT IN %s)",
								  sq_operand(ev, x->v[0], SQ_CMP), x->v[1]->s), off);
			v->sqk = x->sqk & SQK_QUALIFIED;
			return v;
		}
	}
	if (x->i == SQ_ATOM && x->self && !strcmp(x->self->s, "NOT IN"))
		return sq_binary(ev, SQ_CMP, "IN", x->v[0], x->v[1], off);
	struct pyval *v = pyexpr_mk_sql(ev, arena_printf(ev->a, "NOT %s", sq_operand(ev, x, SQ_NOT)), off);
	v->i = SQ_NOT;
	v->flag |= PVF_GROUPED;
	v->sqk = x->sqk & SQK_QUALIFIED;
	return v;
}

/* col.in_([...]) / col.notin_([...]): literals; SQLAlchemy parenthesises
 * the negated form. An empty list renders other SQL: refused. */
struct pyval *pyexpr_sql_in(struct pyeval *ev, struct pyval *self, bool not, struct pyval *seq, size_t off)
{
	struct pyval **items;
	size_t cnt;
	if (!pyexpr_iterate(ev, seq, &items, &cnt, off))
		return pyctx_unknown(ev, off, NULL, "not an SQL expression known at build time");
	if (!cnt)
		return pyctx_unknown(ev, seq->off, NULL, "in_() of an empty list is not supported");
	struct strbuf sb = STRBUF_INIT;
	unsigned qual = 0;
	sb_addch(&sb, '(');
	for (size_t i = 0; i < cnt; i++) {
		struct pyval *x = pyexpr_sql_of(ev, items[i], off);
		if (pyctx_is_bad(ev, x)) {
			sb_release(&sb);
			return x;
		}
		sb_addf(&sb, "%s%s", i ? ", " : "", x->s);
		qual |= x->sqk & SQK_QUALIFIED;
	}
	sb_addch(&sb, ')');
	struct pyval *list = pyexpr_mk_sql(ev, arena_strdup(ev->a, sb.buf), off);
	list->sqk = qual;
	sb_release(&sb);
	struct pyval *v = sq_binary(ev, SQ_CMP, "IN", self, list, off);
	if (not) {
		v->s = arena_printf(ev->a, "(%s NOT IN %s)", sq_operand(ev, self, SQ_CMP), list->s);
		v->i = SQ_ATOM;
		v->self = pv_mk_cstr(ev, "NOT IN", off);
	}
	return v;
}

/* Whether v is an SQL expression (not a Python value): Python operators on
 * it build SQL. */
bool pyexpr_is_sqlish(const struct pyval *v)
{
	return v->k == PV_SQL || pv_is_obj(v, "sa.column") || pv_is_obj(v, "sa.literal") ||
	       pv_is_obj(v, "sa.literal_column") || (v->k == PV_OBJ && pyctx_starts_with(v->s, "func."));
}


/* A value inside an SQL expression: a column stays, a literal is rendered. */
struct pyval *pyexpr_sql_of(struct pyeval *ev, struct pyval *v, size_t off)
{
	if (v->k == PV_SQL)
		return v;
	if (v->k == PV_UNKNOWN)
		return v;
	unsigned kind = sq_kind(ev, v);
	struct pyval *x = sql_atom(ev, v, off);
	if (x->k == PV_SQL)
		x->sqk = kind;
	return x;
}

static struct pyval *sql_atom(struct pyeval *ev, struct pyval *v, size_t off)
{
	if (pv_is_obj(v, "sa.column") && pv_arg(v, 0, "text") && pv_arg(v, 0, "text")->k == PV_STR)
		return pyexpr_mk_sql(ev, pyops_quote(ev, pv_arg(v, 0, "text")->s), off);
	if (pv_is_obj(v, "sa.literal") && pv_arg(v, 0, "value")) {
		const char *lit = pyops_literal(ev, pv_arg(v, 0, "value"), off);
		return lit ? pyexpr_mk_sql(ev, lit, off) : pyctx_unknown(ev, off, NULL, "not an SQL expression known at build time");
	}
	if (v->k == PV_OBJ && (pv_is_obj(v, "sa.text") || pyctx_starts_with(v->s, "func.") ||
			       pv_is_obj(v, "sa.literal_column") ||
			       pv_is_obj(v, "sa.null") || pv_is_obj(v, "sa.true") || pv_is_obj(v, "sa.false"))) {
		const char *s = pyops_sql(ev, v, off);
		return s ? pyexpr_mk_sql(ev, s, off) : pyctx_unknown(ev, off, NULL, "not an SQL expression known at build time");
	}
	const char *lit = pyops_literal(ev, v, off);
	if (!lit)
		return pyctx_unknown(ev, off, NULL, "not an SQL expression known at build time");
	return pyexpr_mk_sql(ev, lit, off);
}

struct pyval *pyexpr_binop(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	if (pyctx_is_bad(ev, l))
		return l;
	if (pyctx_is_bad(ev, r))
		return r;
	if (pyexpr_is_sqlish(l) || pyexpr_is_sqlish(r)) {
		if (!strcmp(op, "&") || !strcmp(op, "|")) {
			struct pyval *two[2] = { l, r };
			return pyexpr_sql_bool(ev, op[0] == '&', two, 2, off);
		}
		if (strchr("+-*/%", op[0]) && !op[1]) {
			/* The SQL expression's type decides (its comparator's
			 * _adapt_expression): the left one's, or the right one's
			 * when the left is a Python value (__radd__). */
			unsigned a = pyexpr_is_sqlish(l) ? sq_kind(ev, l) : sq_kind(ev, r);
			unsigned b = pyexpr_is_sqlish(l) ? sq_kind(ev, r) : sq_kind(ev, l);
			struct pyval *ls = pyexpr_sql_of(ev, l, off), *rs = pyexpr_sql_of(ev, r, off);
			if (pyctx_is_bad(ev, ls) || pyctx_is_bad(ev, rs))
				return ev->failed ? ls : rs;
			long long sq = op[0] == '+' ? SQ_ADD : op[0] == '-' ? SQ_SUB : op[0] == '*' ? SQ_MUL :
				       op[0] == '/' ? SQ_DIV : SQ_MOD;
			unsigned k = a == SQK_NULL && b == SQK_NULL ? SQK_NULL :
				     (a == SQK_NUM || a == SQK_NULL) && (b == SQK_NUM || b == SQK_NULL) ? SQK_NUM : SQK_OTHER;
			if (op[0] == '+' && a != SQK_NUM) {
				bool concat = (a == SQK_STR && (b == SQK_STR || b == SQK_NULL)) ||
					      (a == SQK_NULL && b == SQK_STR);
				if (!concat && (a == SQK_OTHER || b == SQK_OTHER))
					return pyctx_unknown(ev, off, "write the expression with sa.text()",
						       "'+' on '%s' and '%s': which SQL operator SQLAlchemy writes "
						       "depends on types retort does not model",
						       pyeval_describe(ev, l), pyeval_describe(ev, r));
				if (concat)
					op = "||", sq = SQ_CONCAT, k = SQK_STR;
			}
			struct pyval *x = sq_binary(ev, sq, op, ls, rs, off);
			x->sqk |= k;
			return x;
		}
	}
	if ((l->k == PV_INT || l->k == PV_BOOL) && (r->k == PV_INT || r->k == PV_BOOL)) {
		long long a = l->i, b = r->i;
		if (!strcmp(op, "+")) return pv_mk_int(ev, a + b, off);
		if (!strcmp(op, "-")) return pv_mk_int(ev, a - b, off);
		if (!strcmp(op, "*")) return pv_mk_int(ev, a * b, off);
		if ((!strcmp(op, "//") || !strcmp(op, "%")) && b != 0) {
			long long q = a / b, m = a % b;
			if (m != 0 && ((m < 0) != (b < 0)))
				q--, m += b;
			return pv_mk_int(ev, op[0] == '%' ? m : q, off);
		}
		if (!strcmp(op, "|")) return pv_mk_int(ev, a | b, off);
		if (!strcmp(op, "&")) return pv_mk_int(ev, a & b, off);
		if (!strcmp(op, "<<")) return pv_mk_int(ev, a << b, off);
		if (!strcmp(op, "**") && b >= 0) {
			long long x = 1;
			for (long long i = 0; i < b; i++)
				x *= a;
			return pv_mk_int(ev, x, off);
		}
	}
	if (l->k == PV_STR && !strcmp(op, "%"))
		return pystr_percent_format(ev, l, r, off);
	if (l->k == PV_STR && r->k == PV_STR && !strcmp(op, "+")) {
		if (pyctx_too_long(ev, l->len + r->len, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		struct pyval *v = pv_mk(ev, PV_STR, off);
		char *s = arena_alloc(ev->a, l->len + r->len + 1);
		memcpy(s, l->s, l->len);
		memcpy(s + l->len, r->s, r->len);
		v->s = s;
		v->len = l->len + r->len;
		return v;
	}
	if (l->k == PV_STR && r->k == PV_INT && !strcmp(op, "*") && r->i >= 0 && r->i < 10000) {
		if (pyctx_too_long(ev, l->len * (size_t)r->i, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		struct strbuf sb = STRBUF_INIT;
		for (long long i = 0; i < r->i; i++)
			sb_add(&sb, l->s, l->len);
		struct pyval *v = pv_mk_str(ev, sb.buf ? sb.buf : "", sb.len, off);
		sb_release(&sb);
		return v;
	}
	if ((l->k == PV_LIST || l->k == PV_TUPLE) && l->k == r->k && !strcmp(op, "+")) {
		if (pyctx_too_many(ev, l->n + r->n, off))
			return pv_mk(ev, PV_UNKNOWN, off);
		struct pyval *v = pv_mk(ev, l->k, off);
		v->n = l->n + r->n;
		v->v = arena_alloc(ev->a, (v->n + 1) * sizeof *v->v);
		pv_copy_items(v->v, l->v, l->n * sizeof *v->v);
		pv_copy_items(v->v + l->n, r->v, r->n * sizeof *v->v);
		return v;
	}
	if ((l->k == PV_FLOAT || l->k == PV_INT) && (r->k == PV_FLOAT || r->k == PV_INT)) {
		double a = l->k == PV_FLOAT ? l->d : (double)l->i, b = r->k == PV_FLOAT ? r->d : (double)r->i;
		double x;
		if (!strcmp(op, "+")) x = a + b;
		else if (!strcmp(op, "-")) x = a - b;
		else if (!strcmp(op, "*")) x = a * b;
		else if (!strcmp(op, "/") && b != 0) x = a / b;
		else goto bad;
		struct pyval *v = pv_mk(ev, PV_FLOAT, off);
		v->d = x;
		v->s = arena_printf(ev->a, "%.17g", x);
		return v;
	}
bad:
	return pyctx_unknown(ev, off, NULL, "operator '%s' on '%s' and '%s' is not evaluated by this subset",
			     op, pyeval_describe(ev, l), pyeval_describe(ev, r));
}

static bool contains(struct pyeval *ev, struct pyval *hay, struct pyval *x, bool *ok)
{
	*ok = true;
	if (hay->k == PV_STR && x->k == PV_STR) {
		if (!x->len)
			return true;
		for (size_t i = 0; i + x->len <= hay->len; i++)
			if (memcmp(hay->s + i, x->s, x->len) == 0)
				return true;
		return false;
	}
	if (hay->k == PV_LIST || hay->k == PV_TUPLE || hay->k == PV_DICT) {
		for (size_t i = 0; i < hay->n; i++)
			if (pyexpr_equal(ev, hay->v[i], x))
				return true;
		return false;
	}
	*ok = false;
	return false;
}

static struct pyval *compare(struct pyeval *ev, const char *op, struct pyval *l, struct pyval *r, size_t off)
{
	if (pyctx_is_bad(ev, l))
		return l;
	if (pyctx_is_bad(ev, r))
		return r;
	if (pyexpr_is_sqlish(l))
		return sql_compare(ev, op, l, r, off);
	if (pyexpr_is_sqlish(r)) {
		/* 5 < col: Python asks col.__gt__(5), which SQLAlchemy writes col > 5 */
		static const char *const mirror[][2] = { { "<", ">" }, { ">", "<" }, { "<=", ">=" }, { ">=", "<=" } };
		for (size_t i = 0; i < sizeof mirror / sizeof *mirror; i++)
			if (!strcmp(op, mirror[i][0]))
				op = mirror[i][1], i = sizeof mirror / sizeof *mirror;
		return sql_compare(ev, op, r, l, off);
	}

	const char *what = arena_printf(ev->a, "comparison '%s' on", op);
	if (pyctx_app_used(ev, l, off, what) || pyctx_app_used(ev, r, off, what))
		return pv_mk(ev, PV_UNKNOWN, off);
	bool ok = true, res = false;
	if (!strcmp(op, "is") || !strcmp(op, "is not")) {
		if (!pyexpr_is_plain(l) || !pyexpr_is_plain(r))
			ok = false;
		else
			res = (l->k == PV_NONE && r->k == PV_NONE) ||
			      (l->k == PV_BOOL && r->k == PV_BOOL && l->i == r->i) ||
			      (l->k == PV_ENUMMEMBER && l == r);
		if (op[2])
			res = !res;
	} else if (!strcmp(op, "==") || !strcmp(op, "!=")) {
		if (!pyexpr_is_plain(l) || !pyexpr_is_plain(r))
			ok = false;
		res = pyexpr_equal(ev, l, r) == (op[0] == '=');
	} else if (!strcmp(op, "in") || !strcmp(op, "not in")) {
		res = contains(ev, r, l, &ok) == (op[0] == 'i');
	} else if ((l->k == PV_INT || l->k == PV_FLOAT) && (r->k == PV_INT || r->k == PV_FLOAT)) {
		double a = l->k == PV_FLOAT ? l->d : (double)l->i, b = r->k == PV_FLOAT ? r->d : (double)r->i;
		res = !strcmp(op, "<") ? a < b : !strcmp(op, ">") ? a > b : !strcmp(op, "<=") ? a <= b : a >= b;
	} else if (l->k == PV_STR && r->k == PV_STR) {
		int c = strcmp(l->s, r->s);
		res = !strcmp(op, "<") ? c < 0 : !strcmp(op, ">") ? c > 0 : !strcmp(op, "<=") ? c <= 0 : c >= 0;
	} else {
		ok = false;
	}
	if (!ok)
		return pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON,
				     "comparison '%s' of '%s' and '%s' is not static", op,
				     pyeval_describe(ev, l), pyeval_describe(ev, r));
	return pv_mk_bool(ev, res, off);
}

/* Items a for loop or comprehension walks over. */
bool pyexpr_iterate(struct pyeval *ev, struct pyval *it, struct pyval ***items, size_t *n, size_t off)
{
	if (it->k == PV_LIST || it->k == PV_TUPLE || it->k == PV_DICT || it->k == PV_ENUMCLASS) {
		*items = it->v;
		*n = it->n;
		return true;
	}
	if (it->k == PV_STR) {
		if (pyctx_too_many(ev, it->len, off))
			return false;
		*n = it->len;
		*items = arena_alloc(ev->a, (it->len + 1) * sizeof **items);
		for (size_t i = 0; i < it->len; i++)
			(*items)[i] = pv_mk_str(ev, it->s + i, 1, off);
		return true;
	}
	if (!pyctx_is_bad(ev, it))
		pyctx_unknown(ev, off, pyctx_HINT_MOVE_ON,
			      "loop over '%s', which is not a literal list, tuple or dict known at build time",
			      pyeval_describe(ev, it));
	return false;
}

static struct pyval *comprehension(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct scope inner = { .parent = s };
	struct pyval *out = pv_mk(ev, !strcmp(n->s, "dict") ? PV_DICT : PV_LIST, n->off);
	size_t cap = 0, capw = 0;

	/* Nested clauses, walked with an explicit stack of positions. */
	size_t nclauses = n->n;
	size_t *pos = arena_alloc(ev->a, (nclauses + 1) * sizeof *pos);
	struct pyval ***items = arena_alloc(ev->a, (nclauses + 1) * sizeof *items);
	size_t *counts = arena_alloc(ev->a, (nclauses + 1) * sizeof *counts);
	size_t level = 0;
	bool entering = true;
	for (;;) {
		if (ev->failed)
			return pv_mk(ev, PV_UNKNOWN, n->off);
		if (level == nclauses) {
			struct pyval *x = pyexpr_eval(ev, &inner, n->a);
			if (pyctx_is_bad(ev, x))
				return x;
			if (pyctx_too_many(ev, out->n + 1, n->off))
				return pv_mk(ev, PV_UNKNOWN, n->off);
			arena_grow(ev->a, &out->v, &cap, out->n + 1, sizeof *out->v);
			out->v[out->n] = x;
			if (out->k == PV_DICT) {
				struct pyval *y = pyexpr_eval(ev, &inner, n->b);
				if (pyctx_is_bad(ev, y))
					return y;
				arena_grow(ev->a, &out->w, &capw, out->n + 1, sizeof *out->w);
				out->w[out->n] = y;
				out->nw = out->n + 1;
			}
			out->n++;
			entering = false;
			level--;
			continue;
		}
		const struct pynode *c = n->v[level];
		if (c->kind == PY_COMPIF) {
			if (entering) {
				struct pyval *cond = pyexpr_eval(ev, &inner, c->a);
				bool t = pyctx_truth(ev, cond, c->a->off, "comprehension 'if' on");
				if (ev->failed)
					return pv_mk(ev, PV_UNKNOWN, n->off);
				if (t) {
					level++;
					continue;
				}
			}
			entering = false;
			if (level == 0)
				break;
			level--;
			continue;
		}
		if (entering) {
			struct pyval *it = pyexpr_eval(ev, &inner, c->b);
			if (pyctx_is_bad(ev, it))
				return it;
			if (!pyexpr_iterate(ev, it, &items[level], &counts[level], c->b->off))
				return pv_mk(ev, PV_UNKNOWN, n->off);
			pos[level] = 0;
		}
		if (pos[level] < counts[level]) {
			pystmt_assign(ev, &inner, c->a, items[level][pos[level]++]);
			level++;
			entering = true;
			continue;
		}
		if (level == 0)
			break;
		level--;
		entering = false;
	}
	return out;
}

static struct pyval *eval_call(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	struct pyval *fn = pyexpr_eval(ev, s, n->a);
	if (pyctx_is_bad(ev, fn))
		return fn;
	struct pyval **args = NULL, **kwv = NULL;
	const char **kw = NULL;
	size_t na = 0, ca = 0, nk = 0, ck = 0, ckn = 0;

	for (size_t i = 0; i < n->n; i++) {
		const struct pynode *an = n->v[i];
		if (an->kind == PY_STARRED) {
			struct pyval *x = pyexpr_eval(ev, s, an->a);
			if (pyctx_is_bad(ev, x))
				return x;
			struct pyval **items;
			size_t cnt;
			if (!pyexpr_iterate(ev, x, &items, &cnt, an->a->off))
				return pv_mk(ev, PV_UNKNOWN, an->off);
			if (pyctx_too_many(ev, na + cnt, an->off))
				return pv_mk(ev, PV_UNKNOWN, an->off);
			for (size_t k = 0; k < cnt; k++) {
				arena_grow(ev->a, &args, &ca, na + 1, sizeof *args);
				args[na++] = items[k];
			}
			continue;
		}
		struct pyval *x = pyexpr_eval(ev, s, an);
		if (pyctx_is_bad(ev, x))
			return x;
		arena_grow(ev->a, &args, &ca, na + 1, sizeof *args);
		args[na++] = x;
	}
	for (size_t i = 0; i < n->nw; i++) {
		struct pyval *x = pyexpr_eval(ev, s, n->names[i] ? n->w[i] : n->w[i]->a);
		if (pyctx_is_bad(ev, x))
			return x;
		if (!n->names[i]) {
			if (x->k != PV_DICT)
				return pyctx_unknown(ev, n->w[i]->off, NULL, "'**' of something other than a literal dict");
			for (size_t k = 0; k < x->n; k++) {
				if (x->v[k]->k != PV_STR)
					return pyctx_unknown(ev, n->w[i]->off, NULL, "'**' of a dict with non-string keys");
				arena_grow(ev->a, &kwv, &ck, nk + 1, sizeof *kwv);
				arena_grow(ev->a, &kw, &ckn, nk + 1, sizeof *kw);
				kw[nk] = x->v[k]->s;
				kwv[nk++] = x->w[k];
			}
			continue;
		}
		arena_grow(ev->a, &kwv, &ck, nk + 1, sizeof *kwv);
		arena_grow(ev->a, &kw, &ckn, nk + 1, sizeof *kw);
		kw[nk] = n->names[i];
		kwv[nk++] = x;
	}
	return pycall_call(ev, fn, args, na, kw, kwv, nk, n->off);
}

static struct pyval *subscript(struct pyeval *ev, struct pyval *o, struct pyval *ix, size_t off)
{
	if (pyctx_is_bad(ev, o))
		return o;
	if (pyctx_is_bad(ev, ix))
		return ix;
	if ((o->k == PV_LIST || o->k == PV_TUPLE) && ix->k == PV_INT) {
		long long i = ix->i < 0 ? (long long)o->n + ix->i : ix->i;
		if (i >= 0 && (size_t)i < o->n)
			return o->v[i];
		return pyctx_unknown(ev, off, NULL, "index %lld out of range", ix->i);
	}
	if (o->k == PV_STR && ix->k == PV_INT) {
		long long i = ix->i < 0 ? (long long)o->len + ix->i : ix->i;
		if (i >= 0 && (size_t)i < o->len)
			return pv_mk_str(ev, o->s + i, 1, off);
	}
	if (o->k == PV_DICT) {
		for (size_t i = 0; i < o->n; i++)
			if (pyexpr_equal(ev, o->v[i], ix))
				return o->w[i];
		return pyctx_unknown(ev, off, NULL, "key '%s' is not in the dict", pyeval_describe(ev, ix));
	}
	if (o->k == PV_COLS && ix->k == PV_STR)
		return pyattr_getattr(ev, o, ix->s, off);
	if (o->k == PV_ENUMCLASS && ix->k == PV_STR)
		return pyattr_getattr(ev, o, ix->s, off);
	if (o->k == PV_REF || o->k == PV_OBJ)
		return o;  /* typing annotations such as Union[str, None] */
	return pyctx_unknown(ev, off, NULL, "subscript of '%s' is not evaluated by this subset",
			     pyeval_describe(ev, o));
}

struct pyval *pyexpr_eval(struct pyeval *ev, struct scope *s, const struct pynode *n)
{
	if (ev->failed || !pyctx_step(ev, n->off))
		return pv_mk(ev, PV_UNKNOWN, n->off);
	switch (n->kind) {
	case PY_NAME:
		return pyctx_lookup(ev, s, n->s, n->off);
	case PY_NUM:
		return number(ev, n);
	case PY_STR:
		return pv_mk_str(ev, n->s, n->len, n->off);
	case PY_FSTR:
		return pystr_fstring(ev, s, n);
	case PY_CONST:
		if (!strcmp(n->s, "None"))
			return pv_none_val(ev, n->off);
		if (!strcmp(n->s, "..."))
			return pv_mk(ev, PV_NONE, n->off);
		return pv_mk_bool(ev, n->s[0] == 'T', n->off);
	case PY_ATTR: {
		struct pyval *o = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, o))
			return o;
		return pyattr_getattr(ev, o, n->s, n->off);
	}
	case PY_CALL:
		return eval_call(ev, s, n);
	case PY_SUBSCRIPT: {
		struct pyval *o = pyexpr_eval(ev, s, n->a);
		if (n->b->kind == PY_SLICE) {
			if (pyctx_is_bad(ev, o))
				return o;
			if (o->k != PV_LIST && o->k != PV_TUPLE && o->k != PV_STR)
				return pyctx_unknown(ev, n->off, NULL, "slice of '%s'", pyeval_describe(ev, o));
			long long len = o->k == PV_STR ? (long long)o->len : (long long)o->n;
			long long lo = 0, hi = len;
			if (n->b->c)
				return pyctx_unknown(ev, n->b->off, NULL, "slices with a step are not supported");
			if (n->b->a) {
				struct pyval *x = pyexpr_eval(ev, s, n->b->a);
				if (x->k != PV_INT)
					return pyctx_unknown(ev, n->b->off, NULL, "slice bound is not an integer");
				lo = x->i < 0 ? len + x->i : x->i;
			}
			if (n->b->b) {
				struct pyval *x = pyexpr_eval(ev, s, n->b->b);
				if (x->k != PV_INT)
					return pyctx_unknown(ev, n->b->off, NULL, "slice bound is not an integer");
				hi = x->i < 0 ? len + x->i : x->i;
			}
			lo = lo < 0 ? 0 : lo > len ? len : lo;
			hi = hi < lo ? lo : hi > len ? len : hi;
			if (o->k == PV_STR)
				return pv_mk_str(ev, o->s + lo, (size_t)(hi - lo), n->off);
			struct pyval *r = pv_mk(ev, o->k, n->off);
			r->n = (size_t)(hi - lo);
			r->v = o->v + lo;
			return r;
		}
		struct pyval *ix = pyexpr_eval(ev, s, n->b);
		return subscript(ev, o, ix, n->off);
	}
	case PY_LIST: case PY_TUPLE: case PY_SET: {
		struct pyval *v = pv_mk(ev, n->kind == PY_TUPLE ? PV_TUPLE : PV_LIST, n->off);
		size_t cap = 0;
		for (size_t i = 0; i < n->n; i++) {
			if (n->v[i]->kind == PY_STARRED) {
				struct pyval *x = pyexpr_eval(ev, s, n->v[i]->a);
				struct pyval **items;
				size_t cnt;
				if (pyctx_is_bad(ev, x))
					return x;
				if (!pyexpr_iterate(ev, x, &items, &cnt, n->v[i]->off))
					return pv_mk(ev, PV_UNKNOWN, n->off);
				if (pyctx_too_many(ev, v->n + cnt, n->off))
					return pv_mk(ev, PV_UNKNOWN, n->off);
				for (size_t k = 0; k < cnt; k++) {
					arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
					v->v[v->n++] = items[k];
				}
				continue;
			}
			struct pyval *x = pyexpr_eval(ev, s, n->v[i]);
			if (pyctx_is_bad(ev, x))
				return x;
			arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
			v->v[v->n++] = x;
		}
		return v;
	}
	case PY_DICT: {
		struct pyval *v = pv_mk(ev, PV_DICT, n->off);
		size_t cap = 0, capw = 0;
		for (size_t i = 0; i < n->n; i++) {
			if (!n->v[i]) {
				struct pyval *x = pyexpr_eval(ev, s, n->w[i]);
				if (pyctx_is_bad(ev, x))
					return x;
				if (x->k != PV_DICT)
					return pyctx_unknown(ev, n->w[i]->off, NULL, "'**' of something other than a dict");
				for (size_t k = 0; k < x->n; k++) {
					arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
					arena_grow(ev->a, &v->w, &capw, v->n + 1, sizeof *v->w);
					v->v[v->n] = x->v[k];
					v->w[v->n++] = x->w[k];
				}
				continue;
			}
			struct pyval *k = pyexpr_eval(ev, s, n->v[i]);
			struct pyval *x = pyexpr_eval(ev, s, n->w[i]);
			if (pyctx_is_bad(ev, k))
				return k;
			if (pyctx_is_bad(ev, x))
				return x;
			size_t j;
			for (j = 0; j < v->n; j++)
				if (pyexpr_equal(ev, v->v[j], k))
					break;
			if (j < v->n) {
				v->w[j] = x;
				continue;
			}
			arena_grow(ev->a, &v->v, &cap, v->n + 1, sizeof *v->v);
			arena_grow(ev->a, &v->w, &capw, v->n + 1, sizeof *v->w);
			v->v[v->n] = k;
			v->w[v->n++] = x;
		}
		v->nw = v->n;
		return v;
	}
	case PY_BINOP: {
		struct pyval *l = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, l))
			return l;
		struct pyval *r = pyexpr_eval(ev, s, n->b);
		return pyexpr_binop(ev, n->s, l, r, n->off);
	}
	case PY_UNARY: {
		struct pyval *x = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, x))
			return x;
		if (!strcmp(n->s, "not")) {
			if (pyexpr_is_sqlish(x))
				return pyctx_unknown(ev, n->off, "use sa.not_() in SQL expressions",
					       "'not' on an SQL expression is decided by Python, not SQL");
			bool t = pyctx_truth(ev, x, n->a->off, "'not' on");
			if (ev->failed)
				return pv_mk(ev, PV_UNKNOWN, n->off);
			return pv_mk_bool(ev, !t, n->off);
		}
		if (!strcmp(n->s, "~") && pyexpr_is_sqlish(x))
			return pyexpr_sql_not(ev, x, n->off);
		if (!strcmp(n->s, "-") && pyexpr_is_sqlish(x)) {
			struct pyval *e = pyexpr_sql_of(ev, x, n->off);
			if (pyctx_is_bad(ev, e))
				return e;
			struct pyval *v = pyexpr_mk_sql(ev, arena_printf(ev->a, "-%s", sq_operand(ev, e, SQ_MUL)), n->off);
			v->i = SQ_MUL;
			unsigned k = e->sqk & ~SQK_QUALIFIED;
			v->sqk = (k == SQK_NUM || k == SQK_NULL ? k : SQK_OTHER) | (e->sqk & SQK_QUALIFIED);
			v->flag |= PVF_GROUPED;
			return v;
		}
		if (x->k == PV_INT && n->s[0] != '~')
			return pv_mk_int(ev, n->s[0] == '-' ? -x->i : x->i, n->off);
		if (x->k == PV_FLOAT && n->s[0] != '~') {
			struct pyval *f = pv_mk(ev, PV_FLOAT, n->off);
			f->d = n->s[0] == '-' ? -x->d : x->d;
			f->s = n->s[0] == '-' ? arena_printf(ev->a, "-%s", x->s) : x->s;
			return f;
		}
		return pyctx_unknown(ev, n->off, NULL, "operator '%s' on '%s'", n->s, pyeval_describe(ev, x));
	}
	case PY_BOOLOP: {
		struct pyval *l = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, l))
			return l;
		if (l->k == PV_SQL) {
			struct pyval *r = pyexpr_eval(ev, s, n->b);
			return pyctx_unknown(ev, n->off, "use sa.and_()/sa.or_() in SQL expressions",
					     "'%s' between SQL expressions is decided by Python, not SQL", n->s);
			(void)r;
		}
		bool t = pyctx_truth(ev, l, n->a->off, n->s[0] == 'a' ? "'and' on" : "'or' on");
		if (ev->failed)
			return pv_mk(ev, PV_UNKNOWN, n->off);
		if ((n->s[0] == 'a') != t)
			return l;
		return pyexpr_eval(ev, s, n->b);
	}
	case PY_COMPARE: {
		struct pyval *l = pyexpr_eval(ev, s, n->a);
		if (pyctx_is_bad(ev, l))
			return l;
		struct pyval *r = pyexpr_eval(ev, s, n->b);
		return compare(ev, n->s, l, r, n->off);
	}
	case PY_IFEXP: {
		struct pyval *c = pyexpr_eval(ev, s, n->b);
		if (pyctx_is_bad(ev, c))
			return c;
		bool t = pyctx_truth(ev, c, n->b->off, "conditional expression on");
		if (ev->failed)
			return pv_mk(ev, PV_UNKNOWN, n->off);
		return pyexpr_eval(ev, s, t ? n->a : n->c);
	}
	case PY_COMP:
		return comprehension(ev, s, n);
	case PY_LAMBDA: {
		struct pyval *f = pv_mk(ev, PV_FUNC, n->off);
		f->fn = n;
		f->closure = s;
		return f;
	}
	case PY_STARRED:
		return pyctx_unknown(ev, n->off, NULL, "'%s' is only supported in calls and literal lists", n->s);
	case PY_OTHEREXPR:
		return pyctx_unknown(ev, n->off, pyctx_HINT_MOVE_ON, "%s is not supported in a revision script", n->s);
	default:
		return pyctx_unknown(ev, n->off, NULL, "unexpected %s", pyparse_kind_name(n->kind));
	}
}
