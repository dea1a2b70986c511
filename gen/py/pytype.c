/*
 * pytype.c - SQLAlchemy and PostgreSQL dialect types to SQL, and ENUM types
 *
 * PGTypeCompiler's spellings, retort.ini [types] for the application's own
 * types, and CREATE/DROP TYPE of sa.Enum/pg.ENUM as the DDL runner emits them.
 */
#include "pyopsint.h"

#include <string.h>

/* ---- types ------------------------------------------------------------------- */

static const struct {
	const char *name;   /* after "sa." or "pg." */
	const char *sql;
	enum affinity aff;
} simple_types[] = {
	{ "Integer", "INTEGER", AFF_INT }, { "INTEGER", "INTEGER", AFF_INT }, { "INT", "INTEGER", AFF_INT },
	{ "BigInteger", "BIGINT", AFF_BIGINT }, { "BIGINT", "BIGINT", AFF_BIGINT },
	{ "SmallInteger", "SMALLINT", AFF_SMALLINT }, { "SMALLINT", "SMALLINT", AFF_SMALLINT },
	{ "Text", "TEXT", AFF_OTHER }, { "TEXT", "TEXT", AFF_OTHER }, { "UnicodeText", "TEXT", AFF_OTHER },
	{ "Boolean", "BOOLEAN", AFF_OTHER }, { "BOOLEAN", "BOOLEAN", AFF_OTHER },
	{ "Date", "DATE", AFF_OTHER }, { "DATE", "DATE", AFF_OTHER },
	{ "JSON", "JSON", AFF_OTHER }, { "JSONB", "JSONB", AFF_OTHER },
	{ "UUID", "UUID", AFF_OTHER }, { "INET", "INET", AFF_OTHER }, { "CIDR", "CIDR", AFF_OTHER },
	{ "MACADDR", "MACADDR", AFF_OTHER }, { "MONEY", "MONEY", AFF_OTHER }, { "OID", "OID", AFF_OTHER },
	{ "REGCLASS", "REGCLASS", AFF_OTHER }, { "TSVECTOR", "TSVECTOR", AFF_OTHER },
	{ "HSTORE", "HSTORE", AFF_OTHER }, { "BYTEA", "BYTEA", AFF_OTHER },
	{ "LargeBinary", "BYTEA", AFF_OTHER }, { "LargeBinary", "BYTEA", AFF_OTHER },
	{ "BLOB", "BYTEA", AFF_OTHER }, { "PickleType", "BYTEA", AFF_OTHER },
	{ "REAL", "REAL", AFF_NUMERIC }, { "DOUBLE_PRECISION", "DOUBLE PRECISION", AFF_NUMERIC },
	{ "INT4RANGE", "INT4RANGE", AFF_OTHER }, { "INT8RANGE", "INT8RANGE", AFF_OTHER },
	{ "NUMRANGE", "NUMRANGE", AFF_OTHER }, { "DATERANGE", "DATERANGE", AFF_OTHER },
	{ "TSRANGE", "TSRANGE", AFF_OTHER }, { "TSTZRANGE", "TSTZRANGE", AFF_OTHER },
};

static const char *lookup_typemap(struct pyeval *ev, const char *name)
{
	const struct pytypemap *m = pyeval_types(ev);
	const char *last = strrchr(name, '.');
	last = last ? last + 1 : name;
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->name[i], name))
			return m->sql[i];
	for (size_t i = 0; m && i < m->n; i++)
		if (!strcmp(m->name[i], last))
			return m->sql[i];
	return NULL;
}

static bool enum_values(struct pyeval *ev, const struct pyval *t, struct enuminfo *e, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	struct pyval *first = t->n ? t->v[0] : NULL;
	const char *name = pyarg_str_arg(ev, t, -1, "name", false, off, "Enum");
	const char *schema = pyarg_str_arg(ev, t, -1, "schema", false, off, "Enum");
	if (pyeval_failed(ev))
		return false;
	if (first && first->k == PV_ENUMCLASS) {
		struct pyval *vc = pyarg_arg(t, -1, "values_callable");
		struct pyval *list = first;
		if (vc) {
			pyeval_error(ev, vc->off, "Enum values_callable is not supported");
			diag_hint("list the values: sa.Enum('a', 'b', name='...')");
			return false;
		}
		e->n = list->n;
		e->values = arena_alloc(a, (list->n + 1) * sizeof *e->values);
		for (size_t i = 0; i < list->n; i++)
			e->values[i] = list->v[i]->s;
		if (!name) {
			char *lc = arena_strdup(a, first->s);
			for (char *p = lc; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p + 32);
			name = lc;
		}
	} else if (first && first->k == PV_REF) {
		/* An application enum.Enum class, at its use in sa.Enum(). */
		const char *last = strrchr(first->s, '.');
		pyeval_error(ev, first->off, "sa.Enum() of '%s', a class the application defines: its members "
			     "are not known at build time", first->s);
		diag_hint("declare them in retort.ini, the member names in order: [enums] %s = NAME1, NAME2",
			  last ? last + 1 : first->s);
		return false;
	} else {
		e->n = t->n;
		e->values = arena_alloc(a, (t->n + 1) * sizeof *e->values);
		for (size_t i = 0; i < t->n; i++) {
			if (t->v[i]->k != PV_STR) {
				pyeval_error(ev, t->v[i]->off, "Enum values must be strings known at build time");
				return false;
			}
			e->values[i] = t->v[i]->s;
		}
	}
	e->raw = name;
	if (!name && !pyarg_bool_arg(ev, t, -1, "native_enum", true))
		return true;  /* VARCHAR: no type to name */
	if (!name) {
		pyeval_error(ev, t->off, "PostgreSQL ENUM type requires a name");
		diag_hint("add name='...' to the Enum");
		return false;
	}
	e->name = pyquote_qtable(ev, schema, name);
	e->create = pyarg_bool_arg(ev, t, -1, "create_type", true);
	e->off = t->off;
	return true;
}

/* The SQL of a column type; fills ti (affinity, named enums to create). */
bool pytype_type_sql(struct pyeval *ev, const struct pyval *t, struct typeinfo *ti, size_t off)
{
	struct arena *a = pyeval_arena(ev);
	ti->aff = AFF_OTHER;
	if (!t || (t->k != PV_REF && t->k != PV_OBJ)) {
		pyeval_error(ev, t ? t->off : off, "'%s' is not a column type", t ? pyeval_describe(ev, t) : "?");
		return false;
	}
	const char *c = t->k == PV_REF ? pyeval_canon(ev, t->s) : t->s;
	bool std = !strncmp(c, "sa.", 3) || !strncmp(c, "pg.", 3);
	const char *n = std ? c + 3 : c;
	if (t->k == PV_REF && std) {
		/* sa.Integer written without parentheses */
		struct pyval *o = arena_alloc(a, sizeof *o);
		*o = *t;
		o->k = PV_OBJ;
		o->n = o->nw = 0;
		t = o;
	} else if (t->k == PV_REF && !std) {
		const char *m = lookup_typemap(ev, c);
		if (m) {
			ti->sql = m;
			return true;
		}
	}
	if (std) {
		for (size_t i = 0; i < sizeof simple_types / sizeof *simple_types; i++)
			if (!strcmp(simple_types[i].name, n)) {
				ti->sql = simple_types[i].sql;
				ti->aff = simple_types[i].aff;
				return true;
			}
		if (!strcmp(n, "String") || !strcmp(n, "Unicode") || !strcmp(n, "VARCHAR") ||
		    !strcmp(n, "NVARCHAR") || !strcmp(n, "CHAR") || !strcmp(n, "NCHAR")) {
			struct pyval *len = pyarg_arg(t, 0, "length");
			const char *coll = pyarg_str_arg(ev, t, 1, "collation", false, off, n);
			const char *base = n[0] == 'C' || !strcmp(n, "NCHAR") ? "CHAR" : "VARCHAR";
			if (len && len->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld)", base, len->i);
			else
				ti->sql = base;
			if (coll)
				ti->sql = arena_printf(a, "%s COLLATE \"%s\"", ti->sql, coll);
			return true;
		}
		if (!strcmp(n, "Numeric") || !strcmp(n, "NUMERIC") || !strcmp(n, "DECIMAL")) {
			struct pyval *p = pyarg_arg(t, 0, "precision"), *s = pyarg_arg(t, 1, "scale");
			const char *base = n[0] == 'D' ? "DECIMAL" : "NUMERIC";
			ti->aff = AFF_NUMERIC;
			if (p && p->k == PV_INT && s && s->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld, %lld)", base, p->i, s->i);
			else if (p && p->k == PV_INT)
				ti->sql = arena_printf(a, "%s(%lld)", base, p->i);
			else
				ti->sql = base;
			return true;
		}
		if (!strcmp(n, "Float") || !strcmp(n, "FLOAT")) {
			struct pyval *p = pyarg_arg(t, 0, "precision");
			ti->aff = AFF_NUMERIC;
			ti->sql = p && p->k == PV_INT && p->i ? arena_printf(a, "FLOAT(%lld)", p->i) : "FLOAT";
			return true;
		}
		if (!strcmp(n, "DateTime") || !strcmp(n, "TIMESTAMP") || !strcmp(n, "Time") || !strcmp(n, "TIME")) {
			bool tz = pyarg_bool_arg(ev, t, 0, "timezone", false);
			struct pyval *p = pyarg_arg(t, -1, "precision");
			const char *base = n[0] == 'T' && n[1] == 'I' && n[2] == 'M' && n[3] == 'E' && !n[4] ? "TIME" :
					   !strcmp(n, "Time") ? "TIME" : "TIMESTAMP";
			ti->sql = arena_printf(a, "%s%s %s TIME ZONE", base,
					       p && p->k == PV_INT ? arena_printf(a, "(%lld)", p->i) : "",
					       tz ? "WITH" : "WITHOUT");
			return true;
		}
		if (!strcmp(n, "Interval") || !strcmp(n, "INTERVAL")) {
			const char *fields = pyarg_str_arg(ev, t, -1, "fields", false, off, n);
			struct pyval *p = pyarg_arg(t, std && c[0] == 'p' ? 0 : -1, "precision");
			if (c[0] == 's') {
				fields = NULL;
				p = pyarg_arg(t, -1, "second_precision");
			}
			ti->sql = arena_printf(a, "INTERVAL%s%s%s", fields ? " " : "", fields ? fields : "",
					       p && p->k == PV_INT ? arena_printf(a, " (%lld)", p->i) : "");
			return true;
		}
		if (!strcmp(n, "BIT")) {
			struct pyval *l = pyarg_arg(t, 0, "length");
			bool varying = pyarg_bool_arg(ev, t, 1, "varying", false);
			if (varying)
				ti->sql = l && l->k == PV_INT ? arena_printf(a, "BIT VARYING(%lld)", l->i) : "BIT VARYING";
			else
				ti->sql = arena_printf(a, "BIT(%lld)", l && l->k == PV_INT ? l->i : 1);
			return true;
		}
		if (!strcmp(n, "ARRAY")) {
			struct pyval *item = pyarg_arg(t, 0, "item_type");
			struct pyval *dims = pyarg_arg(t, -1, "dimensions");
			struct typeinfo inner = { 0 };
			if (!pytype_type_sql(ev, item, &inner, off))
				return false;
			long long nd = dims && dims->k == PV_INT ? dims->i : 1;
			struct strbuf sb = STRBUF_INIT;
			const char *coll = strstr(inner.sql, " COLLATE");
			size_t base = coll ? (size_t)(coll - inner.sql) : strlen(inner.sql);
			sb_add(&sb, inner.sql, base);
			for (long long i = 0; i < nd; i++)
				sb_addstr(&sb, "[]");
			sb_addstr(&sb, inner.sql + base);
			ti->sql = arena_strdup(a, sb.buf);
			sb_release(&sb);
			for (size_t i = 0; i < inner.n_enums && ti->n_enums < 8; i++)
				ti->enums[ti->n_enums++] = inner.enums[i];
			if (inner.ck_in) {
				pyeval_error(ev, item->off, "an ARRAY of a non-native Enum with create_constraint=True is not supported");
				return false;
			}
			return true;
		}
		if (!strcmp(n, "Enum") || !strcmp(n, "ENUM")) {
			struct enuminfo *e = arena_alloc(a, sizeof *e);
			if (!enum_values(ev, t, e, off))
				return false;
			if (!pyarg_bool_arg(ev, t, -1, "native_enum", true)) {
				struct pyval *len = pyarg_arg(t, -1, "length");
				size_t m = 0;
				for (size_t i = 0; i < e->n; i++) {
					size_t chars = 0;  /* Python's len(): characters */
					for (const char *p = e->values[i]; *p; p++)
						chars += ((unsigned char)*p & 0xC0) != 0x80;
					if (chars > m)
						m = chars;
				}
				if (len && len->k == PV_INT)
					m = (size_t)len->i;
				if (pyarg_bool_arg(ev, t, -1, "create_constraint", false)) {
					/* The CHECK SQLAlchemy adds to the table (Enum._set_table). */
					if (pyconstraint_conv_of(ev, PYCONV_CK)) {
						pyeval_error(ev, t->off, "the CHECK of a non-native Enum under a naming convention is not supported");
						diag_hint("add the CHECK with op.create_check_constraint() and create_constraint=False");
						return false;
					}
					struct strbuf sb = STRBUF_INIT;
					sb_addch(&sb, '(');
					for (size_t i = 0; i < e->n; i++)
						sb_addf(&sb, "%s%s", i ? ", " : "", pyquote_quote_lit(ev, e->values[i], strlen(e->values[i])));
					sb_addch(&sb, ')');
					ti->ck_in = arena_strdup(a, sb.buf);
					sb_release(&sb);
					ti->ck_name = e->raw;
				}
				ti->sql = arena_printf(a, "VARCHAR(%zu)", m);
				return true;
			}
			ti->sql = e->name;
			if (ti->n_enums < 8)
				ti->enums[ti->n_enums++] = e;
			return true;
		}
		if (!strcmp(n, "TypeDecorator") || !strcmp(n, "PickleType") || !strcmp(n, "Sequence")) {
			pyeval_error(ev, t->off, "'%s' is not a column type retort renders", c);
			return false;
		}
	}
	const char *m = lookup_typemap(ev, c);
	if (m) {
		ti->sql = m;
		if (!strcmp(m, "INTEGER"))
			ti->aff = AFF_INT;
		else if (!strcmp(m, "BIGINT"))
			ti->aff = AFF_BIGINT;
		return true;
	}
	const struct pytypemap *tm = pyeval_types(ev);
	const char *last = strrchr(c, '.');
	pyeval_error(ev, t->off, "column type '%s' has no SQL mapping", c);
	if (std)
		diag_detail("retort does not know this SQLAlchemy type");
	diag_hint("add '%s = <SQL type>' to the [types] section of %s", last ? last + 1 : c,
		  tm && tm->path ? tm->path : "retort.ini in the migration folder");
	return false;
}

/* ---- enums ---------------------------------------------------------------------- */

void pytype_emit_create_enum(struct pyeval *ev, const struct enuminfo *e, size_t off)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "CREATE TYPE %s AS ENUM (", e->name);
	for (size_t i = 0; i < e->n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", pyquote_quote_lit(ev, e->values[i], strlen(e->values[i])));
	sb_addch(&sb, ')');
	pyeval_emit(ev, off, sb.buf);
	sb_release(&sb);
}

void pyops_enum(struct pyeval *ev, const struct pyval *type, bool create, bool checkfirst, size_t off)
{
	struct enuminfo e;
	if (!enum_values(ev, type, &e, off))
		return;
	if (create && !checkfirst) {
		pytype_emit_create_enum(ev, &e, off);
	} else if (create) {
		/* checkfirst: Alembic asks the database first; one statement does both. */
		struct strbuf sb = STRBUF_INIT;
		sb_addf(&sb, "DO $retort$ BEGIN IF to_regtype(%s) IS NULL THEN CREATE TYPE %s AS ENUM (",
			pyquote_quote_lit(ev, e.name, strlen(e.name)), e.name);
		for (size_t i = 0; i < e.n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", pyquote_quote_lit(ev, e.values[i], strlen(e.values[i])));
		sb_addstr(&sb, "); END IF; END $retort$");
		pyeval_emit(ev, off, sb.buf);
		sb_release(&sb);
	} else {
		pyeval_emit(ev, off, arena_printf(pyeval_arena(ev), "DROP TYPE %s%s",
						  checkfirst ? "IF EXISTS " : "", e.name));
	}
}
