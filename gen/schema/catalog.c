/*
 * catalog.c - read a database's schema into a model, in a few queries
 *
 * Every query returns text the server printed; the C side only assembles
 * statements from it. Objects are found again from pg_depend's
 * (classid, objid, objsubid) through `oidmap`, filled while reading.
 */
#include "schema/catalog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "schema/privilege.h"

/* Catalog OIDs are fixed in every PostgreSQL release (pg_*.h). */
enum {
	C_PG_TYPE = 1247, C_PG_PROC = 1255, C_PG_CLASS = 1259,
	C_PG_ATTRDEF = 2604, C_PG_CONSTRAINT = 2606, C_PG_NAMESPACE = 2615,
	C_PG_REWRITE = 2618, C_PG_TRIGGER = 2620, C_PG_EXTENSION = 3079,
	C_PG_POLICY = 3256,
};

/* Schemas compared: not the system's nor retort's own (its history log), and
 * only $1's when it is given. */
#define NSP(n) \
	"(" n ".nspname <> ALL ('{pg_catalog,information_schema,retort}') AND " \
	n ".nspname !~ '^pg_(toast|temp_)' AND " \
	"($1::text[] IS NULL OR " n ".nspname = ANY ($1::text[])))"
/* Not a member of an extension (the extension stands for it). */
#define NOTEXT(cls, oid) \
	"NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" cls "'::regclass " \
	"AND e.objid = " oid " AND e.deptype = 'e')"
/* The version tables of Alembic and retort. */
#define NOTVT(c) "(" c ".relname <> ALL ('{alembic_version,alembic_version_log}'))"
#define QN(n, o) "quote_ident(" n ".nspname) || '.' || quote_ident(" o ")"
#define COLL(x) \
	"(SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) " \
	"FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace " \
	"WHERE co.oid = " x ")"
#define TABLES(c, n) \
	"pg_class " c " JOIN pg_namespace " n " ON " n ".oid = " c ".relnamespace"

static const char q_schemas[] =
	"SELECT n.oid, quote_ident(n.nspname), quote_literal(obj_description(n.oid, 'pg_namespace'))\n"
	"FROM pg_namespace n WHERE " NSP("n") " AND " NOTEXT("pg_namespace", "n.oid");

static const char q_extensions[] =
	"SELECT x.oid, quote_ident(x.extname), quote_ident(n.nspname), x.extversion,\n"
	"  quote_literal(obj_description(x.oid, 'pg_extension'))\n"
	"FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace\n"
	"WHERE x.extname <> 'plpgsql' AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))";

static const char q_types[] =
	"SELECT t.oid, t.typarray, " QN("n", "t.typname") ", t.typtype,\n"
	"  CASE t.typtype\n"
	"  WHEN 'e' THEN 'AS ENUM (' || coalesce((SELECT string_agg(quote_literal(enumlabel), ', '\n"
	"      ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid), '') || ')'\n"
	"  WHEN 'd' THEN 'AS ' || format_type(t.typbasetype, t.typtypmod)\n"
	"    || CASE WHEN t.typcollation <> (SELECT typcollation FROM pg_type b WHERE b.oid = t.typbasetype)\n"
	"       THEN ' COLLATE ' || " COLL("t.typcollation") " ELSE '' END\n"

	"  WHEN 'c' THEN 'AS (' || coalesce((SELECT string_agg(quote_ident(a.attname) || ' '\n"
	"       || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attcollation <> 0 AND a.attcollation <>\n"
	"       (SELECT typcollation FROM pg_type WHERE oid = a.atttypid) THEN ' COLLATE ' || " COLL("a.attcollation") "\n"
	"       ELSE '' END, ', ' ORDER BY a.attnum) FROM pg_attribute a\n"
	"       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'\n"
	"  WHEN 'r' THEN 'AS RANGE (SUBTYPE = ' || format_type(r.rngsubtype, NULL)\n"
	"    || CASE WHEN NOT oc.opcdefault THEN ', SUBTYPE_OPCLASS = ' || quote_ident(ocn.nspname) || '.'\n"
	"       || quote_ident(oc.opcname) ELSE '' END\n"
	"    || CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> (SELECT typcollation FROM pg_type\n"
	"       WHERE oid = r.rngsubtype) THEN ', COLLATION = ' || " COLL("r.rngcollation") " ELSE '' END\n"
	"    || CASE WHEN r.rngcanonical <> 0 THEN ', CANONICAL = ' || r.rngcanonical::regproc::text ELSE '' END\n"
	"    || CASE WHEN r.rngsubdiff <> 0 THEN ', SUBTYPE_DIFF = ' || r.rngsubdiff::regproc::text ELSE '' END\n"
	"    || ')'\n"
	"  END,\n"
	"  quote_literal(obj_description(t.oid, 'pg_type')), t.typdefault, t.typnotnull\n"
	"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"LEFT JOIN pg_range r ON r.rngtypid = t.oid\n"
	"LEFT JOIN pg_opclass oc ON oc.oid = r.rngsubopc LEFT JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace\n"
	"WHERE t.typtype IN ('e', 'd', 'c', 'r')\n"
	"  AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')\n"
	"  AND " NSP("n") " AND " NOTEXT("pg_type", "t.oid");

/* A domain's constraints are objects of their own: ALTER DOMAIN adds and drops them. */
static const char q_domain_constraints[] =
	"SELECT co.oid, " QN("n", "t.typname") ", quote_ident(co.conname), pg_get_constraintdef(co.oid),\n"
	"  quote_literal(obj_description(co.oid, 'pg_constraint'))\n"
	"FROM pg_constraint co JOIN pg_type t ON t.oid = co.contypid\n"
	"JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"WHERE co.contype = 'c' AND " NSP("n") " AND " NOTEXT("pg_type", "t.oid");

static const char q_enum_labels[] =
	"SELECT e.enumtypid, quote_literal(e.enumlabel) FROM pg_enum e\n"
	"JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"WHERE " NSP("n") " ORDER BY e.enumtypid, e.enumsortorder";

/* A composite type's attributes, in order, for ALTER TYPE ... ATTRIBUTE. */
static const char q_composite_attrs[] =
	"SELECT t.oid, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod)\n"
	"  || CASE WHEN a.attcollation <> 0 AND a.attcollation <> (SELECT typcollation FROM pg_type\n"
	"     WHERE oid = a.atttypid) THEN ' COLLATE ' || " COLL("a.attcollation") " ELSE '' END\n"
	"FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'\n"
	"JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped\n"
	"WHERE " NSP("n") " ORDER BY t.oid, a.attnum";

static const char q_sequences[] =
	"SELECT c.oid, " QN("n", "c.relname") ",\n"
	"  'AS ' || format_type(s.seqtypid, NULL) || ' INCREMENT BY ' || s.seqincrement\n"
	"  || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || ' START WITH ' || s.seqstart\n"
	"  || ' CACHE ' || s.seqcache || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END,\n"
	"  (SELECT quote_ident(dn.nspname) || '.' || quote_ident(dc.relname) || '.' || quote_ident(a.attname)\n"
	"   FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid\n"
	"   JOIN pg_namespace dn ON dn.oid = dc.relnamespace\n"
	"   JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid\n"
	"   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid\n"
	"     AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0),\n"
	"  quote_literal(obj_description(c.oid, 'pg_class'))\n"
	"FROM " TABLES("c", "n") " JOIN pg_sequence s ON s.seqrelid = c.oid\n"
	"WHERE c.relkind = 'S' AND " NSP("n") " AND " NOTEXT("pg_class", "c.oid") "\n"
	"  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass\n"
	"    AND d.objid = c.oid AND d.deptype = 'i')";

static const char q_tables[] =
	"SELECT c.oid, c.reltype, " QN("n", "c.relname") ", c.relkind, c.relpersistence,\n"
	"  c.relrowsecurity, c.relforcerowsecurity,\n"
	"  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,\n"
	"  (SELECT quote_ident(pn.nspname) || '.' || quote_ident(pc.relname) FROM pg_inherits i\n"
	"   JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace\n"
	"   WHERE i.inhrelid = c.oid AND c.relispartition),\n"
	"  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,\n"
	"  array_to_string(c.reloptions, ', '),\n"
	"  quote_literal(obj_description(c.oid, 'pg_class'))\n"
	"FROM " TABLES("c", "n") "\n"
	"WHERE c.relkind IN ('r', 'p') AND " NSP("n") " AND " NOTVT("c") " AND " NOTEXT("pg_class", "c.oid") "\n"
	"ORDER BY c.oid";

static const char q_columns[] =
	"SELECT a.attrelid, a.attnum, " QN("n", "c.relname") ", quote_ident(a.attname),\n"
	"  format_type(a.atttypid, a.atttypmod),\n"
	"  CASE WHEN a.attcollation <> t.typcollation THEN " COLL("a.attcollation") " END,\n"
	"  a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END, ad.oid,\n"
	"  a.attidentity, CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END,\n"
	"  a.attislocal, quote_literal(col_description(a.attrelid, a.attnum))\n"
	"FROM pg_attribute a JOIN " TABLES("c", "n") " ON c.oid = a.attrelid\n"
	"JOIN pg_type t ON t.oid = a.atttypid\n"
	"LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum\n"
	"WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped\n"
	"  AND " NSP("n") " AND " NOTVT("c") " AND " NOTEXT("pg_class", "c.oid") "\n"
	"ORDER BY a.attrelid, a.attnum";

static const char q_constraints[] =
	"SELECT co.oid, " QN("n", "c.relname") ", quote_ident(co.conname), co.contype,\n"
	"  pg_get_constraintdef(co.oid), quote_literal(obj_description(co.oid, 'pg_constraint')), co.conindid\n"
	"FROM pg_constraint co JOIN " TABLES("c", "n") " ON c.oid = co.conrelid\n"
	"WHERE co.contype IN ('p', 'u', 'c', 'f', 'x') AND co.conislocal AND co.conparentid = 0\n"
	"  AND " NSP("n") " AND " NOTVT("c") " AND " NOTEXT("pg_class", "c.oid");

static const char q_indexes[] =
	"SELECT i.indexrelid, " QN("n", "c.relname") ", " QN("n", "ic.relname") ",\n"
	"  pg_get_indexdef(i.indexrelid), quote_literal(obj_description(i.indexrelid, 'pg_class')), c.relkind\n"
	"FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid\n"
	"JOIN " TABLES("c", "n") " ON c.oid = i.indrelid\n"
	"WHERE c.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition\n"
	"  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid\n"
	"    AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))\n"
	"  AND " NSP("n") " AND " NOTVT("c") " AND " NOTEXT("pg_class", "c.oid");

static const char q_views[] =
	"SELECT c.oid, r.oid, " QN("n", "c.relname") ", c.relkind, pg_get_viewdef(c.oid),\n"
	"  array_to_string(c.reloptions, ', '), quote_literal(obj_description(c.oid, 'pg_class'))\n"
	"FROM " TABLES("c", "n") "\n"
	"LEFT JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'\n"
	"WHERE c.relkind IN ('v', 'm') AND " NSP("n") " AND " NOTEXT("pg_class", "c.oid");

static const char q_functions[] =
	"SELECT p.oid, " QN("n", "p.proname") " || '(' || pg_get_function_identity_arguments(p.oid) || ')',\n"
	"  p.prokind, pg_get_functiondef(p.oid), pg_get_function_result(p.oid),\n"
	"  quote_literal(obj_description(p.oid, 'pg_proc'))\n"
	"FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
	"WHERE p.prokind IN ('f', 'p', 'w') AND " NSP("n") " AND " NOTEXT("pg_proc", "p.oid") "\n"
	/* A range type's constructors come with it. */
	"  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass\n"
	"    AND d.objid = p.oid AND d.deptype = 'i')";

/* %s: "AND t.tgparentid = 0" from PostgreSQL 13 (partition clones). */
static const char q_triggers[] =
	"SELECT t.oid, " QN("n", "c.relname") ", quote_ident(t.tgname), pg_get_triggerdef(t.oid),\n"
	"  quote_literal(obj_description(t.oid, 'pg_trigger')), c.relkind\n"
	"FROM pg_trigger t JOIN " TABLES("c", "n") " ON c.oid = t.tgrelid\n"
	"WHERE NOT t.tgisinternal %s AND c.relkind IN ('r', 'p', 'v', 'm')\n"
	"  AND " NSP("n") " AND " NOTVT("c") " AND " NOTEXT("pg_class", "c.oid");

static const char q_policies[] =
	"SELECT p.oid, " QN("n", "c.relname") ", quote_ident(p.polname),\n"
	"  'AS ' || CASE WHEN p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END || ' FOR '\n"
	"  || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'\n"
	"     WHEN 'd' THEN 'DELETE' ELSE 'ALL' END || ' TO '\n"
	"  || CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(rolname), ', '\n"
	"     ORDER BY rolname) FROM pg_roles WHERE oid = ANY (p.polroles)) END\n"
	"  || coalesce(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '')\n"
	"  || coalesce(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', ''),\n"
	"  quote_literal(obj_description(p.oid, 'pg_policy'))\n"
	"FROM pg_policy p JOIN " TABLES("c", "n") " ON c.oid = p.polrelid\n"
	"WHERE " NSP("n") " AND " NOTEXT("pg_class", "c.oid");

static const char q_unsupported[] =
	"SELECT 'aggregate ' || p.oid::regprocedure::text FROM pg_proc p\n"
	"  JOIN pg_namespace n ON n.oid = p.pronamespace\n"
	"  WHERE p.prokind = 'a' AND " NSP("n") " AND " NOTEXT("pg_proc", "p.oid") "\n"
	"UNION ALL SELECT 'operator ' || o.oid::regoperator::text FROM pg_operator o\n"
	"  JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE " NSP("n") " AND " NOTEXT("pg_operator", "o.oid") "\n"
	"UNION ALL SELECT 'collation ' || " QN("n", "o.collname") " FROM pg_collation o\n"
	"  JOIN pg_namespace n ON n.oid = o.collnamespace WHERE " NSP("n") " AND " NOTEXT("pg_collation", "o.oid") "\n"
	"UNION ALL SELECT 'base type ' || " QN("n", "t.typname") " FROM pg_type t\n"
	"  JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"  WHERE t.typtype IN ('b', 'p') AND t.typcategory <> 'A' AND " NSP("n") " AND " NOTEXT("pg_type", "t.oid") "\n"
	"UNION ALL SELECT CASE c.relkind WHEN 'f' THEN 'foreign table ' ELSE 'inheritance of table ' END\n"
	"  || " QN("n", "c.relname") " FROM " TABLES("c", "n") "\n"
	"  WHERE (c.relkind = 'f' OR (c.relkind IN ('r', 'p') AND NOT c.relispartition\n"
	"    AND EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)))\n"
	"    AND " NSP("n") " AND " NOTEXT("pg_class", "c.oid") "\n"
	"UNION ALL SELECT 'rule ' || quote_ident(r.rulename) || ' on ' || " QN("n", "c.relname") "\n"
	"  FROM pg_rewrite r JOIN " TABLES("c", "n") " ON c.oid = r.ev_class\n"
	"  WHERE r.rulename <> '_RETURN' AND " NSP("n") " AND " NOTEXT("pg_class", "c.oid") "\n"
	"UNION ALL SELECT 'text search configuration ' || " QN("n", "o.cfgname") " FROM pg_ts_config o\n"
	"  JOIN pg_namespace n ON n.oid = o.cfgnamespace WHERE " NSP("n") " AND " NOTEXT("pg_ts_config", "o.oid") "\n"
	"UNION ALL SELECT 'statistics ' || " QN("n", "o.stxname") " FROM pg_statistic_ext o\n"
	"  JOIN pg_namespace n ON n.oid = o.stxnamespace WHERE " NSP("n") " AND " NOTEXT("pg_statistic_ext", "o.oid") "\n"
	"UNION ALL SELECT 'event trigger ' || quote_ident(evtname) FROM pg_event_trigger WHERE $1::text[] IS NULL\n"
	"UNION ALL SELECT 'default privileges of ' || quote_ident(pg_get_userbyid(d.defaclrole))\n"
	"  || coalesce(' in schema ' || quote_ident(n.nspname), '') || ' on ' || CASE d.defaclobjtype\n"
	"  WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types'\n"
	"  ELSE 'schemas' END FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace\n"
	"  WHERE CASE WHEN d.defaclnamespace = 0 THEN $1::text[] IS NULL ELSE " NSP("n") " END\n"
	"ORDER BY 1";

/*
 * Access lists that are not the default (NULL), exploded, the owner's own
 * entries left out: owners are not compared. Objects outside the model
 * (other schemas, extension members) find no object and are passed over.
 */
static const char q_privileges[] =
	"SELECT o.cls, o.oid, o.sub,\n"
	"  (CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END) COLLATE \"C\",\n"
	"  x.privilege_type, x.is_grantable\n"
	"FROM (SELECT 2615 AS cls, n.oid, 0 AS sub, n.nspowner AS owner, n.nspacl AS acl\n"
	"  FROM pg_namespace n WHERE n.nspacl IS NOT NULL AND " NSP("n") "\n"
	"UNION ALL SELECT 1259, c.oid, 0, c.relowner, c.relacl FROM " TABLES("c", "n") "\n"
	"  WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S') AND " NSP("n") "\n"
	"UNION ALL SELECT 1259, c.oid, a.attnum, c.relowner, a.attacl\n"
	"  FROM pg_attribute a JOIN " TABLES("c", "n") " ON c.oid = a.attrelid\n"
	"  WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND " NSP("n") "\n"
	"UNION ALL SELECT 1255, p.oid, 0, p.proowner, p.proacl\n"
	"  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace\n"
	"  WHERE p.proacl IS NOT NULL AND " NSP("n") "\n"
	"UNION ALL SELECT 1247, t.oid, 0, t.typowner, t.typacl\n"
	"  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n"
	"  WHERE t.typacl IS NOT NULL AND " NSP("n") ") o\n"
	/* A row with no grantee for a list with only the owner's entries. */
	"LEFT JOIN LATERAL (SELECT * FROM aclexplode(o.acl) e WHERE e.grantee <> o.owner) x ON true\n"
	"ORDER BY 1, 2, 3, 4, 5";

/* Dependencies between user objects; 'e' rows map extension members. */
static const char q_depend[] =
	"SELECT classid, objid, objsubid, refclassid, refobjid, refobjsubid, deptype\n"
	"FROM pg_depend WHERE deptype IN ('n', 'a', 'e') AND objid >= 16384 AND refobjid >= 16384";

/* ---- oid map ------------------------------------------------------------------ */

struct oidref {
	uint32_t cls, oid;
	int32_t sub;
	size_t obj;
};

struct reader {
	PGconn *conn;
	struct arena *a;
	const char *schemas;
	struct smodel *m;
	struct oidref *refs;
	size_t n_refs, cap_refs;
	size_t n_sorted; /* map_find looks in refs[0, n_sorted) */
};

static void map_add(struct reader *r, uint32_t cls, const char *oid, int32_t sub, size_t obj)
{
	if (!oid || !*oid)
		return;
	arena_grow(r->a, &r->refs, &r->cap_refs, r->n_refs + 1, sizeof *r->refs);
	r->refs[r->n_refs++] = (struct oidref){ cls, (uint32_t)strtoul(oid, NULL, 10), sub, obj };
}

static int ref_cmp(const void *x, const void *y)
{
	const struct oidref *a = x, *b = y;
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->oid != b->oid)
		return a->oid < b->oid ? -1 : 1;
	if (a->sub != b->sub)
		return a->sub < b->sub ? -1 : 1;
	return 0;
}

static void map_sort(struct reader *r)
{
	qsort(r->refs, r->n_refs, sizeof *r->refs, ref_cmp);
	r->n_sorted = r->n_refs;
}

static long map_find(const struct reader *r, uint32_t cls, uint32_t oid, int32_t sub)
{
	struct oidref k = { cls, oid, sub, 0 };
	const struct oidref *f = bsearch(&k, r->refs, r->n_sorted, sizeof k, ref_cmp);
	if (!f && sub != 0) {
		k.sub = 0;
		f = bsearch(&k, r->refs, r->n_sorted, sizeof k, ref_cmp);
	}
	return f ? (long)f->obj : -1;
}

/* ---- queries ------------------------------------------------------------------ */

static PGresult *run(struct reader *r, const char *what, const char *sql, bool param)
{
	const char *values[1] = { r->schemas };
	PGresult *res = PQexecParams(r->conn, sql, param ? 1 : 0, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		diag_plain(DIAG_ERROR, NULL, "cannot read the %s: %s", what,
			   PQresultErrorMessage(res));
		PQclear(res);
		return NULL;
	}
	return res;
}

static const char *val(struct reader *r, PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return arena_strdup(r->a, PQgetvalue(res, row, col));
}

static bool truth(PGresult *res, int row, int col)
{
	return !PQgetisnull(res, row, col) && PQgetvalue(res, row, col)[0] == 't';
}

/* A comment on `o`, as an object of its own. `target` is what COMMENT ON names. */
static void add_comment(struct reader *r, size_t oi, const char *target, const char *lit)
{
	if (!lit)
		return;
	const char *key = r->m->v[oi].key;
	struct sobj *c = model_add(r->a, r->m, SK_COMMENT, key);
	c->def = lit;
	c->parent = key;
	c->create = arena_printf(r->a, "COMMENT ON %s IS %s", target, lit);
	c->drop = arena_printf(r->a, "COMMENT ON %s IS NULL", target);
	model_add_dep(r->a, c, oi);
}

static int read_schemas(struct reader *r)
{
	PGresult *res = run(r, "schemas", q_schemas, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 1);
		struct sobj *o = model_add(r->a, r->m, SK_SCHEMA, name);
		size_t oi = (size_t)(o - r->m->v);
		o->def = "";
		o->create = arena_printf(r->a, "CREATE SCHEMA %s", name);
		o->drop = arena_printf(r->a, "DROP SCHEMA %s", name);
		map_add(r, C_PG_NAMESPACE, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "SCHEMA %s", name), val(r, res, i, 2));
	}
	PQclear(res);
	return 0;
}

static int read_extensions(struct reader *r)
{
	PGresult *res = run(r, "extensions", q_extensions, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 1), *nsp = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_EXTENSION, name);
		size_t oi = (size_t)(o - r->m->v);
		o->def = arena_printf(r->a, "schema %s", nsp);
		o->extra = val(r, res, i, 3);
		o->create = arena_printf(r->a, "CREATE EXTENSION IF NOT EXISTS %s WITH SCHEMA %s", name, nsp);
		o->drop = arena_printf(r->a, "DROP EXTENSION %s", name);
		map_add(r, C_PG_EXTENSION, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "EXTENSION %s", name), val(r, res, i, 4));
	}
	PQclear(res);
	return 0;
}

static int read_types(struct reader *r)
{
	PGresult *res = run(r, "types", q_types, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 2);
		char tt = PQgetvalue(res, i, 3)[0];
		const char *word = tt == 'd' ? "DOMAIN" : "TYPE";
		struct sobj *o = model_add(r->a, r->m, SK_TYPE, name);
		size_t oi = (size_t)(o - r->m->v);
		o->relkind = tt;
		o->def = val(r, res, i, 4);
		if (tt == 'd') {
			/* Base type here; default and NOT NULL can be altered. */
			o->type = o->def;
			o->dflt = val(r, res, i, 6);
			o->notnull = truth(res, i, 7);
			o->def = arena_printf(r->a, "%s%s%s%s", o->type, o->dflt ? " DEFAULT " : "",
					      o->dflt ? o->dflt : "", o->notnull ? " NOT NULL" : "");
		}
		o->create = arena_printf(r->a, "CREATE %s %s %s", word, name, o->def);
		o->drop = arena_printf(r->a, "DROP %s %s", word, name);
		map_add(r, C_PG_TYPE, PQgetvalue(res, i, 0), 0, oi);
		map_add(r, C_PG_TYPE, PQgetvalue(res, i, 1), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "%s %s", word, name), val(r, res, i, 5));
	}
	PQclear(res);

	res = run(r, "domain constraints", q_domain_constraints, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *dom = val(r, res, i, 1), *name = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_CONSTRAINT, arena_printf(r->a, "%s.%s", dom, name));
		size_t oi = (size_t)(o - r->m->v);
		o->relkind = 'd';
		o->table = dom;
		o->col = name;
		o->parent = arena_printf(r->a, "%s %s", skind_word[SK_TYPE], dom);
		o->def = val(r, res, i, 3);
		o->create = arena_printf(r->a, "ALTER DOMAIN %s ADD CONSTRAINT %s %s", dom, name, o->def);
		o->drop = arena_printf(r->a, "ALTER DOMAIN %s DROP CONSTRAINT %s", dom, name);
		map_add(r, C_PG_CONSTRAINT, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "CONSTRAINT %s ON DOMAIN %s", name, dom),
			    val(r, res, i, 4));
	}
	PQclear(res);

	/* Enum labels, in order, for ALTER TYPE ... ADD VALUE. */
	res = run(r, "enum labels", q_enum_labels, true);
	if (!res)
		return -1;
	map_sort(r);
	int n = PQntuples(res);
	for (int i = 0; i < n;) {
		const char *typ = PQgetvalue(res, i, 0);
		int j = i;
		while (j < n && strcmp(PQgetvalue(res, j, 0), typ) == 0)
			j++;
		long oi = map_find(r, C_PG_TYPE, (uint32_t)strtoul(typ, NULL, 10), 0);
		if (oi >= 0) {
			struct sobj *o = &r->m->v[oi];
			o->labels = arena_alloc(r->a, (size_t)(j - i) * sizeof *o->labels);
			for (int k = i; k < j; k++)
				o->labels[o->n_labels++] = val(r, res, k, 1);
		}
		i = j;
	}
	PQclear(res);

	res = run(r, "composite type attributes", q_composite_attrs, true);
	if (!res)
		return -1;
	n = PQntuples(res);
	for (int i = 0; i < n;) {
		const char *typ = PQgetvalue(res, i, 0);
		int j = i;
		while (j < n && strcmp(PQgetvalue(res, j, 0), typ) == 0)
			j++;
		long oi = map_find(r, C_PG_TYPE, (uint32_t)strtoul(typ, NULL, 10), 0);
		if (oi >= 0 && r->m->v[oi].kind == SK_TYPE) {
			struct sobj *o = &r->m->v[oi];
			o->labels = arena_alloc(r->a, (size_t)(j - i) * sizeof *o->labels);
			o->attr_types = arena_alloc(r->a, (size_t)(j - i) * sizeof *o->attr_types);
			for (int k = i; k < j; k++) {
				o->labels[o->n_labels] = val(r, res, k, 1);
				o->attr_types[o->n_labels++] = val(r, res, k, 2);
			}
		}
		i = j;
	}
	PQclear(res);
	return 0;
}

static int read_sequences(struct reader *r)
{
	PGresult *res = run(r, "sequences", q_sequences, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 1), *owner = val(r, res, i, 3);
		struct sobj *o = model_add(r->a, r->m, SK_SEQUENCE, name);
		size_t oi = (size_t)(o - r->m->v);
		o->def = val(r, res, i, 2);
		o->create = arena_printf(r->a, "CREATE SEQUENCE %s %s", name, o->def);
		o->drop = arena_printf(r->a, "DROP SEQUENCE %s", name);
		map_add(r, C_PG_CLASS, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "SEQUENCE %s", name), val(r, res, i, 4));
		if (owner) {
			/* Not parented: OWNED BY NONE must run before the table goes,
			 * or dropping the table would take the sequence with it. */
			struct sobj *ob = model_add(r->a, r->m, SK_OWNEDBY, name);
			ob->def = owner;
			ob->dep_key = arena_printf(r->a, "%s %s", skind_word[SK_COLUMN], owner);
			ob->create = arena_printf(r->a, "ALTER SEQUENCE %s OWNED BY %s", name, owner);
			ob->drop = arena_printf(r->a, "ALTER SEQUENCE %s OWNED BY NONE", name);
			model_add_dep(r->a, ob, oi);
		}
	}
	PQclear(res);
	return 0;
}

static void add_flag(struct reader *r, size_t ti, const char *name, const char *what)
{
	const char *t = r->m->v[ti].name;
	struct sobj *o = model_add(r->a, r->m, SK_RLS, name);
	o->def = what;
	o->parent = r->m->v[ti].key;
	o->create = arena_printf(r->a, "ALTER TABLE %s %s ROW LEVEL SECURITY", t, what);
	o->drop = arena_printf(r->a, "ALTER TABLE %s NO %s ROW LEVEL SECURITY", t, what);
	if (strcmp(what, "ENABLE") == 0)
		o->drop = arena_printf(r->a, "ALTER TABLE %s DISABLE ROW LEVEL SECURITY", t);
	model_add_dep(r->a, o, ti);
}

static int read_tables(struct reader *r, size_t *first)
{
	PGresult *res = run(r, "tables", q_tables, true);
	if (!res)
		return -1;
	*first = r->m->n;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_TABLE, name);
		size_t oi = (size_t)(o - r->m->v);
		o->relkind = PQgetvalue(res, i, 3)[0];
		bool unlogged = PQgetvalue(res, i, 4)[0] == 'u';
		const char *partkey = val(r, res, i, 7), *partof = val(r, res, i, 8);
		const char *bound = val(r, res, i, 9), *opts = val(r, res, i, 10);
		if (opts && !*opts)
			opts = NULL;
		o->extra = opts;
		o->def = arena_printf(r->a, "%s%s%s%s%s%s",
				      unlogged ? "UNLOGGED " : "",
				      partkey ? "PARTITION BY " : "", partkey ? partkey : "",
				      partof ? "PARTITION OF " : "", partof ? partof : "",
				      bound ? arena_printf(r->a, " %s", bound) : "");
		if (partof) {
			o->create = arena_printf(r->a, "CREATE %sTABLE %s PARTITION OF %s %s%s%s%s",
						 unlogged ? "UNLOGGED " : "", name, partof, bound,
						 opts ? " WITH (" : "", opts ? opts : "", opts ? ")" : "");
			o->dep_key = arena_printf(r->a, "%s %s", skind_word[SK_TABLE], partof);
		} else {
			/* The columns are filled in by finish_tables. */
			o->create = arena_printf(r->a, "%s%s%s%s%s%s",
						 partkey ? " PARTITION BY " : "", partkey ? partkey : "",
						 opts ? " WITH (" : "", opts ? opts : "", opts ? ")" : "",
						 unlogged ? "U" : "");
		}
		o->drop = arena_printf(r->a, "DROP TABLE %s", name);
		map_add(r, C_PG_CLASS, PQgetvalue(res, i, 0), 0, oi);
		map_add(r, C_PG_TYPE, PQgetvalue(res, i, 1), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "TABLE %s", name), val(r, res, i, 11));
		if (truth(res, i, 5))
			add_flag(r, oi, name, "ENABLE");
		if (truth(res, i, 6))
			add_flag(r, oi, arena_printf(r->a, "%s (force)", name), "FORCE");
	}
	PQclear(res);
	return 0;
}

/* The column as CREATE TABLE and ADD COLUMN write it. */
static const char *column_sql(struct arena *a, const struct sobj *c)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%s %s", c->col, c->type);
	if (c->collation)
		sb_addf(&sb, " COLLATE %s", c->collation);
	if (c->generated)
		sb_addf(&sb, " GENERATED ALWAYS AS (%s) STORED", c->generated);
	else if (c->dflt)
		sb_addf(&sb, " DEFAULT %s", c->dflt);
	if (c->identity)
		sb_addf(&sb, " GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	else if (c->notnull)
		sb_addstr(&sb, " NOT NULL");
	const char *s = arena_strdup(a, sb.buf ? sb.buf : "");
	sb_release(&sb);
	return s;
}

/*
 * Reads the columns, and writes the CREATE TABLE of each table of
 * [first, last) with its columns in their order.
 */
static int read_columns(struct reader *r, size_t first, size_t last)
{
	PGresult *res = run(r, "columns", q_columns, true);
	if (!res)
		return -1;
	map_sort(r);
	struct strbuf *body = xmalloc((last - first + 1) * sizeof *body);
	size_t *ncols = xmalloc((last - first + 1) * sizeof *ncols);
	for (size_t t = first; t < last; t++) {
		body[t - first] = (struct strbuf)STRBUF_INIT;
		ncols[t - first] = 0;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *table = val(r, res, i, 2), *col = val(r, res, i, 3);
		long ti = map_find(r, C_PG_CLASS, (uint32_t)strtoul(PQgetvalue(res, i, 0), NULL, 10), 0);
		if (ti < 0 || (size_t)ti < first || (size_t)ti >= last || !truth(res, i, 11))
			continue; /* inherited by a partition: its parent's */
		struct sobj *o = model_add(r->a, r->m, SK_COLUMN, arena_printf(r->a, "%s.%s", table, col));
		size_t oi = (size_t)(o - r->m->v);
		o->parent = r->m->v[ti].key;
		o->table = table;
		o->col = col;
		o->type = val(r, res, i, 4);
		o->collation = val(r, res, i, 5);
		o->notnull = truth(res, i, 6);
		o->dflt = val(r, res, i, 7);
		o->identity = PQgetvalue(res, i, 9)[0];
		o->generated = val(r, res, i, 10);
		o->def = column_sql(r->a, o);
		o->create = arena_printf(r->a, "ALTER TABLE %s ADD COLUMN %s", table, o->def);
		o->drop = arena_printf(r->a, "ALTER TABLE %s DROP COLUMN %s", table, col);
		int32_t attnum = (int32_t)strtol(PQgetvalue(res, i, 1), NULL, 10);
		map_add(r, C_PG_CLASS, PQgetvalue(res, i, 0), attnum, oi);
		map_add(r, C_PG_ATTRDEF, PQgetvalue(res, i, 8), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "COLUMN %s.%s", table, col), val(r, res, i, 12));
		size_t k = (size_t)ti - first;
		sb_addf(&body[k], "%s\n    %s", ncols[k]++ ? "," : "", o->def);
	}
	PQclear(res);

	for (size_t t = first; t < last; t++) {
		struct sobj *o = &r->m->v[t];
		struct strbuf *b = &body[t - first];
		if (o->kind == SK_TABLE && !o->dep_key) {
			const char *tail = o->create;
			size_t tl = strlen(tail);
			bool unlogged = tl && tail[tl - 1] == 'U';
			o->create = arena_printf(r->a, "CREATE %sTABLE %s (%s%s)%.*s",
						 unlogged ? "UNLOGGED " : "", o->name,
						 b->buf ? b->buf : "", ncols[t - first] ? "\n" : "",
						 (int)(tl - unlogged), tail);
		}
		sb_release(b);
	}
	free(body);
	free(ncols);
	return 0;
}

static const char *table_key(struct reader *r, char relkind, const char *name)
{
	enum skind k = relkind == 'm' ? SK_MATVIEW : relkind == 'v' ? SK_VIEW : SK_TABLE;
	return arena_printf(r->a, "%s %s", skind_word[k], name);
}

static int read_constraints(struct reader *r)
{
	PGresult *res = run(r, "constraints", q_constraints, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *table = val(r, res, i, 1), *name = val(r, res, i, 2);
		char type = PQgetvalue(res, i, 3)[0];
		struct sobj *o = model_add(r->a, r->m, SK_CONSTRAINT, arena_printf(r->a, "%s.%s", table, name));
		size_t oi = (size_t)(o - r->m->v);
		o->relkind = type;
		o->table = table;
		o->col = name;
		o->parent = table_key(r, 'r', table);
		o->def = val(r, res, i, 4);
		o->create = arena_printf(r->a, "ALTER TABLE %s ADD CONSTRAINT %s %s", table, name, o->def);
		o->drop = arena_printf(r->a, "ALTER TABLE %s DROP CONSTRAINT %s", table, name);
		map_add(r, C_PG_CONSTRAINT, PQgetvalue(res, i, 0), 0, oi);
		if (strchr("pux", type))
			map_add(r, C_PG_CLASS, PQgetvalue(res, i, 6), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "CONSTRAINT %s ON %s", name, table), val(r, res, i, 5));
	}
	PQclear(res);
	return 0;
}

static int read_indexes(struct reader *r)
{
	PGresult *res = run(r, "indexes", q_indexes, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_INDEX, name);
		size_t oi = (size_t)(o - r->m->v);
		o->table = val(r, res, i, 1);
		o->parent = table_key(r, PQgetvalue(res, i, 5)[0], o->table);
		o->def = val(r, res, i, 3);
		o->create = o->def;
		o->drop = arena_printf(r->a, "DROP INDEX %s", name);
		map_add(r, C_PG_CLASS, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "INDEX %s", name), val(r, res, i, 4));
	}
	PQclear(res);
	return 0;
}

static int read_views(struct reader *r)
{
	PGresult *res = run(r, "views", q_views, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 2), *opts = val(r, res, i, 5);
		bool mat = PQgetvalue(res, i, 3)[0] == 'm';
		char *body = (char *)val(r, res, i, 4);
		size_t bl = body ? strlen(body) : 0;
		while (bl && strchr(" \n;", body[bl - 1]))
			body[--bl] = '\0';
		struct sobj *o = model_add(r->a, r->m, mat ? SK_MATVIEW : SK_VIEW, name);
		size_t oi = (size_t)(o - r->m->v);
		const char *with = opts && *opts ? arena_printf(r->a, " WITH (%s)", opts) : "";
		o->def = arena_printf(r->a, "%s AS\n%s", with, body ? body : "");
		o->create = arena_printf(r->a, "CREATE %sVIEW %s%s%s", mat ? "MATERIALIZED " : "",
					 name, o->def, mat ? "\nWITH DATA" : "");
		o->drop = arena_printf(r->a, "DROP %sVIEW %s", mat ? "MATERIALIZED " : "", name);
		map_add(r, C_PG_CLASS, PQgetvalue(res, i, 0), 0, oi);
		map_add(r, C_PG_REWRITE, PQgetvalue(res, i, 1), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "%sVIEW %s", mat ? "MATERIALIZED " : "", name),
			    val(r, res, i, 6));
	}
	PQclear(res);
	return 0;
}

static int read_functions(struct reader *r)
{
	PGresult *res = run(r, "functions", q_functions, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = val(r, res, i, 1);
		const char *word = PQgetvalue(res, i, 2)[0] == 'p' ? "PROCEDURE" : "FUNCTION";
		char *def = (char *)val(r, res, i, 3);
		size_t dl = strlen(def);
		while (dl && strchr(" \n", def[dl - 1]))
			def[--dl] = '\0';
		struct sobj *o = model_add(r->a, r->m, SK_FUNCTION, name);
		size_t oi = (size_t)(o - r->m->v);
		o->def = def;
		o->extra = val(r, res, i, 4);
		o->create = def;
		o->drop = arena_printf(r->a, "DROP %s %s", word, name);
		map_add(r, C_PG_PROC, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "%s %s", word, name), val(r, res, i, 5));
	}
	PQclear(res);
	return 0;
}

static int read_triggers(struct reader *r)
{
	const char *sql = arena_printf(r->a, q_triggers,
				       PQserverVersion(r->conn) >= 130000 ? "AND t.tgparentid = 0" : "");
	PGresult *res = run(r, "triggers", sql, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *table = val(r, res, i, 1), *name = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_TRIGGER, arena_printf(r->a, "%s.%s", table, name));
		size_t oi = (size_t)(o - r->m->v);
		o->parent = table_key(r, PQgetvalue(res, i, 5)[0], table);
		o->def = val(r, res, i, 3);
		o->create = o->def;
		o->drop = arena_printf(r->a, "DROP TRIGGER %s ON %s", name, table);
		map_add(r, C_PG_TRIGGER, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "TRIGGER %s ON %s", name, table), val(r, res, i, 4));
	}
	PQclear(res);
	return 0;
}

static int read_policies(struct reader *r)
{
	PGresult *res = run(r, "policies", q_policies, true);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *table = val(r, res, i, 1), *name = val(r, res, i, 2);
		struct sobj *o = model_add(r->a, r->m, SK_POLICY, arena_printf(r->a, "%s.%s", table, name));
		size_t oi = (size_t)(o - r->m->v);
		o->parent = table_key(r, 'r', table);
		o->def = val(r, res, i, 3);
		o->create = arena_printf(r->a, "CREATE POLICY %s ON %s %s", name, table, o->def);
		o->drop = arena_printf(r->a, "DROP POLICY %s ON %s", name, table);
		map_add(r, C_PG_POLICY, PQgetvalue(res, i, 0), 0, oi);
		add_comment(r, oi, arena_printf(r->a, "POLICY %s ON %s", name, table), val(r, res, i, 4));
	}
	PQclear(res);
	return 0;
}

/* What GRANT names `o` with, and its default access list; NULL: not a securable. */
static const char *grant_target(struct reader *r, const struct sobj *o, const char *const **dflt,
				size_t *n_dflt)
{
	static const char *const execute[] = { "PUBLIC\tEXECUTE\tf" };
	static const char *const usage[] = { "PUBLIC\tUSAGE\tf" };
	*dflt = NULL;
	*n_dflt = 0;
	switch (o->kind) {
	case SK_SCHEMA:
		return arena_printf(r->a, "SCHEMA %s", o->name);
	case SK_TABLE:
	case SK_VIEW:
	case SK_MATVIEW:
		return arena_printf(r->a, "TABLE %s", o->name);
	case SK_COLUMN:
		return arena_printf(r->a, "TABLE %s", o->table);
	case SK_SEQUENCE:
		return arena_printf(r->a, "SEQUENCE %s", o->name);
	case SK_FUNCTION:
		*dflt = execute;
		*n_dflt = 1;
		return arena_printf(r->a, "%s %s", strncmp(o->drop, "DROP PROCEDURE", 14) == 0
				    ? "PROCEDURE" : "FUNCTION", o->name);
	case SK_TYPE:
		*dflt = usage;
		*n_dflt = 1;
		return arena_printf(r->a, "%s %s", o->relkind == 'd' ? "DOMAIN" : "TYPE", o->name);
	default:
		return NULL;
	}
}

/* Statements turning list `from` into `to`, without the final ';'. */
static const char *priv_sql(struct reader *r, const char *on, const char *col,
			    const char *const *from, size_t nf, const char *const *to, size_t nt)
{
	struct strbuf sb = STRBUF_INIT;
	priv_change(&sb, on, col, from, nf, to, nt);
	const char *s = arena_strndup(r->a, sb.buf ? sb.buf : "", sb.len > 2 ? sb.len - 2 : 0);
	sb_release(&sb);
	return s;
}

/* One object's access list, when it is not the default. */
static void add_privileges(struct reader *r, size_t oi, const char **list, size_t n)
{
	const struct sobj *t = &r->m->v[oi];
	const char *const *dflt;
	size_t n_dflt;
	const char *on = grant_target(r, t, &dflt, &n_dflt);
	if (!on)
		return;
	bool is_default = n == n_dflt;
	for (size_t i = 0; i < n && is_default; i++)
		is_default = strcmp(list[i], dflt[i]) == 0;
	if (is_default)
		return;
	const char *key = t->key;
	const char *col = t->kind == SK_COLUMN ? t->col : NULL;
	struct sobj *o = model_add(r->a, r->m, SK_PRIVILEGE, key + strlen(skind_word[t->kind]) + 1);
	o->key = arena_printf(r->a, "%s %s", skind_word[SK_PRIVILEGE], key);
	o->parent = key;
	o->table = on;
	o->col = col;
	o->labels = list;
	o->n_labels = n;
	struct strbuf def = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		sb_addf(&def, "%s%s", i ? ", " : "", list[i]);
	o->def = arena_strdup(r->a, def.buf ? def.buf : "");
	sb_release(&def);
	o->create = priv_sql(r, on, col, dflt, n_dflt, list, n);
	o->drop = priv_sql(r, on, col, list, n, dflt, n_dflt);
	model_add_dep(r->a, o, oi);
}

static int read_privileges(struct reader *r)
{
	PGresult *res = run(r, "privileges", q_privileges, true);
	if (!res)
		return -1;
	map_sort(r);
	int n = PQntuples(res);
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && strcmp(PQgetvalue(res, j, 0), PQgetvalue(res, i, 0)) == 0 &&
		       strcmp(PQgetvalue(res, j, 1), PQgetvalue(res, i, 1)) == 0 &&
		       strcmp(PQgetvalue(res, j, 2), PQgetvalue(res, i, 2)) == 0)
			j++;
		int32_t sub = (int32_t)strtol(PQgetvalue(res, i, 2), NULL, 10);
		long oi = map_find(r, (uint32_t)strtoul(PQgetvalue(res, i, 0), NULL, 10),
				   (uint32_t)strtoul(PQgetvalue(res, i, 1), NULL, 10), sub);
		/* A column's list, never its table's; a type's, never a table's row type. */
		bool fits = oi >= 0 && (sub > 0) == (r->m->v[oi].kind == SK_COLUMN) &&
			    (strcmp(PQgetvalue(res, i, 0), "1247") != 0 || r->m->v[oi].kind == SK_TYPE);
		if (fits) {
			const char **list = arena_alloc(r->a, (size_t)(j - i) * sizeof *list);
			size_t nl = 0;
			for (int k = i; k < j; k++)
				if (!PQgetisnull(res, k, 3))
					list[nl++] = arena_printf(r->a, "%s\t%s\t%s", PQgetvalue(res, k, 3),
								  PQgetvalue(res, k, 4), PQgetvalue(res, k, 5));
			add_privileges(r, (size_t)oi, list, nl);
		}
		i = j;
	}
	PQclear(res);
	return 0;
}

static int read_unsupported(struct reader *r)
{
	PGresult *res = run(r, "objects retort does not compare", q_unsupported, true);
	if (!res)
		return -1;
	struct smodel *m = r->m;
	for (int i = 0; i < PQntuples(res); i++) {
		arena_grow(r->a, &m->unsupported, &m->cap_unsupported, m->n_unsupported + 1,
			   sizeof *m->unsupported);
		m->unsupported[m->n_unsupported++] = val(r, res, i, 0);
	}
	PQclear(res);
	return 0;
}

/* Links every object to what it depends on: pg_depend, parents, dep_key. */
static int read_depend(struct reader *r)
{
	PGresult *res = run(r, "dependencies", q_depend, false);
	if (!res)
		return -1;
	int n = PQntuples(res);
	/* Extension members stand for their extension. */
	map_sort(r);
	for (int i = 0; i < n; i++) {
		if (PQgetvalue(res, i, 6)[0] != 'e' ||
		    strtoul(PQgetvalue(res, i, 3), NULL, 10) != C_PG_EXTENSION)
			continue;
		long x = map_find(r, C_PG_EXTENSION, (uint32_t)strtoul(PQgetvalue(res, i, 4), NULL, 10), 0);
		if (x >= 0)
			map_add(r, (uint32_t)strtoul(PQgetvalue(res, i, 0), NULL, 10),
				PQgetvalue(res, i, 1), 0, (size_t)x);
	}
	map_sort(r);
	for (int i = 0; i < n; i++) {
		if (PQgetvalue(res, i, 6)[0] == 'e')
			continue;
		long from = map_find(r, (uint32_t)strtoul(PQgetvalue(res, i, 0), NULL, 10),
				     (uint32_t)strtoul(PQgetvalue(res, i, 1), NULL, 10),
				     (int32_t)strtol(PQgetvalue(res, i, 2), NULL, 10));
		long to = map_find(r, (uint32_t)strtoul(PQgetvalue(res, i, 3), NULL, 10),
				   (uint32_t)strtoul(PQgetvalue(res, i, 4), NULL, 10),
				   (int32_t)strtol(PQgetvalue(res, i, 5), NULL, 10));
		if (from < 0 || to < 0 || from == to)
			continue;
		struct sobj *f = &r->m->v[from];
		const struct sobj *t = &r->m->v[to];
		/* A sequence owned by a column is created before its table. */
		if (f->kind == SK_SEQUENCE && (t->kind == SK_COLUMN || t->kind == SK_TABLE))
			continue;
		model_add_dep(r->a, f, (size_t)to);
		/* Depending on a column is depending on its table. */
		if (t->kind == SK_COLUMN && f->kind != SK_COLUMN) {
			long p = model_find(r->m, t->parent);
			if (p >= 0 && p != from)
				model_add_dep(r->a, f, (size_t)p);
		}
	}
	PQclear(res);
	return 0;
}

static void link_parents(struct reader *r)
{
	for (size_t i = 0; i < r->m->n; i++) {
		struct sobj *o = &r->m->v[i];
		long p;
		if (o->parent && (p = model_find(r->m, o->parent)) >= 0)
			model_add_dep(r->a, o, (size_t)p);
		if (o->dep_key && (p = model_find(r->m, o->dep_key)) >= 0)
			model_add_dep(r->a, o, (size_t)p);
	}
}

int catalog_read(PGconn *conn, struct arena *a, const char *schemas, bool privileges,
		 struct smodel *m)
{
	struct reader r = { .conn = conn, .a = a, .schemas = schemas, .m = m };
	static const char *const setup[] = {
		"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		"SELECT pg_catalog.set_config('search_path', '', true)",
	};
	for (size_t i = 0; i < sizeof setup / sizeof *setup; i++) {
		PGresult *res = PQexec(conn, setup[i]);
		ExecStatusType st = PQresultStatus(res);
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
			diag_plain(DIAG_ERROR, NULL, "cannot read the schema: %s", PQresultErrorMessage(res));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	int v = PQserverVersion(conn);
	m->server = arena_printf(a, "PostgreSQL %d.%d", v / 10000, v % 10000);
	size_t first = 0, last;
	int rc = read_schemas(&r) || read_extensions(&r) || read_types(&r) ||
		 read_sequences(&r) || read_tables(&r, &first);
	if (!rc) {
		last = m->n;
		rc = read_columns(&r, first, last) || read_constraints(&r) || read_indexes(&r) ||
		     read_views(&r) || read_functions(&r) || read_triggers(&r) ||
		     read_policies(&r) || (privileges && read_privileges(&r)) ||
		     read_unsupported(&r);
	}
	if (!rc) {
		const struct sobj *dup = model_index(a, m);
		if (dup) {
			diag_plain(DIAG_ERROR, NULL, "two objects are both named '%s'", dup->key);
			rc = -1;
		}
	}
	if (!rc)
		rc = read_depend(&r);
	if (!rc)
		link_parents(&r);
	PGresult *res = PQexec(conn, rc ? "ROLLBACK" : "COMMIT");
	PQclear(res);
	return rc ? -1 : 0;
}
