/*
 * pyrev.c - fills a struct rev from an Alembic revision script
 */
#include "pyrev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "folder.h"
#include "pyeval.h"
#include "pyparse.h"
#include "revid.h"

/* SQLAlchemy's naming_convention keys: the prefix, or the class (the
 * prefix wins when both are given, as _get_convention looks it up first). */
static const char *const conv_keys[][2] = {
	[PYCONV_IX] = { "ix", "Index" },
	[PYCONV_UQ] = { "uq", "UniqueConstraint" },
	[PYCONV_CK] = { "ck", "CheckConstraint" },
	[PYCONV_FK] = { "fk", "ForeignKeyConstraint" },
	[PYCONV_PK] = { "pk", "PrimaryKeyConstraint" },
};

/* The tokens ConventionDict knows: %(table_name)s, %(constraint_name)s,
 * %(referred_table_name)s, %(column_0_name)s / _key / _label and their
 * joined forms column_0N_ / column_0_N_, referred_column_0_name (and N). */
static bool conv_token_ok(const char *t, size_t n)
{
	char buf[64];
	if (n >= sizeof buf)
		return false;
	memcpy(buf, t, n);
	buf[n] = 0;
	if (!strcmp(buf, "table_name") || !strcmp(buf, "constraint_name") || !strcmp(buf, "referred_table_name"))
		return true;
	const char *p = buf;
	bool referred = !strncmp(p, "referred_", 9);
	if (referred)
		p += 9;
	if (strncmp(p, "column_", 7))
		return false;
	p += 7;
	const char *d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d)
		return false;
	if (!strncmp(p, "N_", 2) || !strncmp(p, "_N_", 3)) {
		if (p - d != 1 || *d != '0')  /* SQLAlchemy replaces "0N" / "0_N" only */
			return false;
		p += *p == 'N' ? 1 : 2;
	}
	if (referred)
		return !strcmp(p, "_name");
	return !strcmp(p, "_name") || !strcmp(p, "_key") || !strcmp(p, "_label");
}

static bool conv_value_ok(const char *v)
{
	for (const char *p = v; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		const char *e = p[1] == '(' ? strchr(p, ')') : NULL;
		if (!e || e[1] != 's' || !conv_token_ok(p + 2, (size_t)(e - p - 2)))
			return false;
		p = e + 1;
	}
	return true;
}

/* retort.ini is read line by line from memory so that each entry's errors
 * point at its line and column. */
struct ini_reader {
	struct arena *a;
	const struct src_file *f;
	size_t pos, line_off;   /* next line; the line inih is handling */
	struct pyconfig *cfg;
	size_t cap_types, cap_sql, cap_consts, cap_cvals, cap_enames, cap_eclasses;
	bool prefix[5];     /* conv[k] came from the prefix key */
};

static char *ini_next_line(char *str, int num, void *stream)
{
	struct ini_reader *r = stream;
	const struct src_file *f = r->f;
	if (r->pos >= f->len)
		return NULL;
	r->line_off = r->pos;
	size_t n = 0;
	while (r->pos < f->len && f->text[r->pos] != '\n') {
		if (n + 1 < (size_t)num)
			str[n++] = f->text[r->pos];
		r->pos++;
	}
	if (r->pos < f->len)
		r->pos++;
	str[n] = '\0';
	return str;
}

/* Offset of `value` on the current line: after its '=' or ':'. */
static size_t value_off(const struct ini_reader *r, const char *value)
{
	const char *line = r->f->text + r->line_off;
	size_t len = strcspn(line, "\n"), sep = strcspn(line, "=:"), n = strlen(value);
	for (size_t i = sep; n && i + n <= len; i++)
		if (!memcmp(line + i, value, n))
			return r->line_off + i;
	return r->line_off + (sep < len ? sep + 1 : 0);
}

static bool dotted_name(const char *s)
{
	bool start = true;
	for (; *s; s++) {
		bool alpha = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_';
		if (*s == '.' && !start) {
			start = true;
			continue;
		}
		if (!alpha && (start || !(*s >= '0' && *s <= '9')))
			return false;
		start = false;
	}
	return !start;
}

/* A [constants] value: true, false, None, an integer or a quoted string. */
static struct pyval *const_value(struct arena *a, const char *v)
{
	struct pyval *x = arena_alloc(a, sizeof *x);
	size_t n = strlen(v);
	if (!strcmp(v, "true") || !strcmp(v, "True") || !strcmp(v, "false") || !strcmp(v, "False")) {
		x->k = PV_BOOL;
		x->i = v[0] == 't' || v[0] == 'T';
		return x;
	}
	if (!strcmp(v, "None")) {
		x->k = PV_NONE;
		return x;
	}
	if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0] && !memchr(v + 1, v[0], n - 2)) {
		x->k = PV_STR;
		x->s = arena_strndup(a, v + 1, n - 2);
		x->len = n - 2;
		return x;
	}
	const char *d = v + (v[0] == '-');
	if (*d && strspn(d, "0123456789") == strlen(d) && (d[0] != '0' || !d[1])) {
		char *end;
		errno = 0;
		long long i = strtoll(v, &end, 10);
		if (errno || *end)
			return NULL;
		x->k = PV_INT;
		x->i = i;
		return x;
	}
	return NULL;
}

/* An [enums] line: an application enum.Enum class and its member names in
 * order (what sa.Enum(Class) stores), "Color = RED, GREEN". */
static int enum_decl(struct ini_reader *r, const char *name, const char *value)
{
	struct pyconfig *c = r->cfg;
	size_t lo = r->line_off + strspn(r->f->text + r->line_off, " \t");
	if (!dotted_name(name)) {
		diag_at(DIAG_ERROR, r->f, lo, "invalid enum class name '%s'", name);
		diag_hint("an enum class is named as the revisions name it: 'Color' or 'app.models.Color'");
		return 1;
	}
	for (size_t i = 0; i < c->nenum; i++)
		if (!strcmp(c->ename[i], name)) {
			diag_at(DIAG_ERROR, r->f, lo, "enum class '%s' is declared twice", name);
			return 1;
		}
	struct pyval *cls = arena_alloc(r->a, sizeof *cls);
	const char *dot = strrchr(name, '.');
	cls->k = PV_ENUMCLASS;
	cls->s = arena_strdup(r->a, dot ? dot + 1 : name);
	size_t cap = 0;
	for (const char *p = value; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, ",");
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		char *m = arena_strndup(r->a, p, n);
		if (!n || strchr(m, '.') || !dotted_name(m)) {
			diag_at(DIAG_ERROR, r->f, value_off(r, value), "invalid members '%s' of enum class '%s'",
				value, name);
			diag_hint("list the member names in order, as the class defines them: Color = RED, GREEN");
			return 1;
		}
		struct pyval *mem = arena_alloc(r->a, sizeof *mem);
		mem->k = PV_ENUMMEMBER;
		mem->s = m;
		arena_grow(r->a, &cls->v, &cap, cls->n + 1, sizeof *cls->v);
		cls->v[cls->n++] = mem;
		p += n;
		p += strspn(p, " \t");
		if (*p == ',')
			p++;
	}
	if (!cls->n) {
		diag_at(DIAG_ERROR, r->f, lo, "enum class '%s' declares no members", name);
		diag_hint("list the member names in order, as the class defines them: Color = RED, GREEN");
		return 1;
	}
	arena_grow(r->a, &c->ename, &r->cap_enames, c->nenum + 1, sizeof *c->ename);
	arena_grow(r->a, &c->eclass, &r->cap_eclasses, c->nenum + 1, sizeof *c->eclass);
	c->ename[c->nenum] = arena_strdup(r->a, name);
	c->eclass[c->nenum++] = cls;
	return 1;
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct ini_reader *r = user;
	struct pyconfig *c = r->cfg;
	const char *path = r->f->path;
	if (!strcmp(section, "naming_convention")) {
		for (size_t k = 0; k < sizeof conv_keys / sizeof *conv_keys; k++)
			for (size_t j = 0; j < 2; j++)
				if (!strcmp(name, conv_keys[k][j])) {
					if (!conv_value_ok(value)) {
						diag_plain(DIAG_ERROR, path, "[naming_convention] %s = %s: not a "
							   "convention SQLAlchemy can apply", name, value);
						diag_hint("tokens are %%(table_name)s, %%(constraint_name)s, "
							  "%%(referred_table_name)s, %%(column_0_name)s, %%(column_0_key)s, "
							  "%%(column_0_label)s, %%(column_0N_name)s, %%(column_0_N_name)s, "
							  "%%(referred_column_0_name)s; %%%% is a percent sign");
						return 1;
					}
					if (k == PYCONV_PK && strstr(value, "%(constraint_name)s")) {
						/* Every Table() names its implicit primary key
						 * before anything names it. */
						diag_plain(DIAG_ERROR, path, "[naming_convention] %s = %s: %%(constraint_name)s "
							   "in the primary key's convention fails on every table Alembic "
							   "makes", name, value);
						diag_hint("Alembic cannot run such a history either; remove the token");
						return 1;
					}
					if (j == 0 || !c->types.conv[k] || !r->prefix[k])
						c->types.conv[k] = arena_strdup(r->a, value);
					r->prefix[k] |= j == 0;
					c->types.conv_declared = true;
					return 1;
				}
		diag_plain(DIAG_ERROR, path, "[naming_convention] key '%s' is not one SQLAlchemy knows", name);
		diag_hint("keys are ix, uq, ck, fk, pk (or Index, UniqueConstraint, CheckConstraint, "
			  "ForeignKeyConstraint, PrimaryKeyConstraint)");
		return 1;
	}
	if (!strcmp(section, "types")) {
		arena_grow(r->a, &c->types.name, &r->cap_types, c->types.n + 1, sizeof *c->types.name);
		arena_grow(r->a, &c->types.sql, &r->cap_sql, c->types.n + 1, sizeof *c->types.sql);
		c->types.name[c->types.n] = arena_strdup(r->a, name);
		c->types.sql[c->types.n++] = arena_strdup(r->a, value);
		return 1;
	}
	if (!strcmp(section, "enums"))
		return enum_decl(r, name, value);
	if (strcmp(section, "constants") != 0)
		return 1;
	if (!dotted_name(name)) {
		diag_at(DIAG_ERROR, r->f, r->line_off + strspn(r->f->text + r->line_off, " \t"),
			"invalid constant name '%s'", name);
		diag_hint("a constant is named as the revisions name it: 'MULTI_TENANT' or 'app.config.MULTI_TENANT'");
		return 1;
	}
	for (size_t i = 0; i < c->nconst; i++)
		if (!strcmp(c->cname[i], name)) {
			diag_at(DIAG_ERROR, r->f, r->line_off + strspn(r->f->text + r->line_off, " \t"),
				"constant '%s' is declared twice", name);
			return 1;
		}
	struct pyval *v = const_value(r->a, value);
	if (!v) {
		diag_at(DIAG_ERROR, r->f, value_off(r, value), "invalid value '%s' for constant '%s'", value, name);
		diag_hint("a constant is true, false, None, an integer or a quoted 'string'");
		return 1;
	}
	arena_grow(r->a, &c->cname, &r->cap_consts, c->nconst + 1, sizeof *c->cname);
	arena_grow(r->a, &c->cval, &r->cap_cvals, c->nconst + 1, sizeof *c->cval);
	c->cname[c->nconst] = arena_strdup(r->a, name);
	c->cval[c->nconst++] = v;
	return 1;
}

const struct pyconfig *pyrev_config(struct arena *a, const char *dir)
{
	struct pyconfig *c = arena_alloc(a, sizeof *c);
	const char *path = arena_printf(a, "%s/retort.ini", dir);
	struct src_file *f = arena_alloc(a, sizeof *f);
	char *text;
	if (folder_slurp(a, path, &text, &f->len) == 0) {
		f->path = path;
		f->text = text;
		c->types.path = path;
		struct ini_reader r = { .a = a, .f = f, .cfg = c };
		int rc = ini_parse_stream(ini_next_line, &r, on_ini, &r);
		if (rc > 0) {
			size_t off = 0;
			for (int line = 1; line < rc && off < f->len; off++)
				line += f->text[off] == '\n';
			diag_at(DIAG_ERROR, f, off, "not a section header, a comment or a 'key = value' line");
		}
	} else if (errno != ENOENT) {
		diag_plain(DIAG_ERROR, path, "cannot read: %s", strerror(errno));
	}
	/* env.py's target_metadata names what revisions leave unnamed: without
	 * its convention, retort would name them otherwise. */
	const char *env = arena_printf(a, "%s/env.py", dir);
	FILE *fp = c->types.conv_declared ? NULL : fopen(env, "r");
	if (fp) {
		char line[4096];
		while (fgets(line, sizeof line, fp))
			if (strstr(line, "naming_convention")) {
				diag_plain(DIAG_ERROR, env, "env.py mentions a naming_convention, and retort.ini "
					   "declares none");
				diag_detail("Alembic names the constraints and indexes that revisions leave unnamed "
					    "(and op.f() aside) by target_metadata's naming convention");
				diag_hint("copy the convention into a [naming_convention] section of %s/retort.ini, "
					  "e.g. uq = uq_%%(table_name)s_%%(column_0_name)s", dir);
				break;
			}
		fclose(fp);
	}
	return c;
}

/* Module-level id lists: None, "a", ("a", "b") or ["a", "b"]. */
static unsigned refs(struct arena *a, struct pyeval *ev, const struct src_file *f, const char *name,
		     struct rev_refs *out)
{
	struct pyval *v = pyeval_global(ev, name);
	size_t off = pyeval_global_off(ev, name);
	struct pyval *one[1];
	struct pyval **items = one;
	size_t n = 1;

	memset(out, 0, sizeof *out);
	if (!v || v->k == PV_NONE)
		return 0;
	if (v->k == PV_STR) {
		one[0] = v;
	} else if (v->k == PV_TUPLE || v->k == PV_LIST) {
		items = v->v;
		n = v->n;
	} else {
		diag_at(DIAG_ERROR, f, off, "'%s' must be None, a string or a tuple of strings", name);
		return 1;
	}
	out->v = arena_alloc(a, (n + 1) * sizeof *out->v);
	for (size_t i = 0; i < n; i++) {
		if (items[i]->k != PV_STR) {
			diag_at(DIAG_ERROR, f, off, "'%s' must be None, a string or a tuple of strings", name);
			return 1;
		}
		if (!revid_check(f, items[i]->off, false, !strcmp(name, "branch_labels"), name, items[i]->s,
				 items[i]->len))
			return 1;
		out->v[out->n].id = items[i]->s;
		out->v[out->n++].off = items[i]->off;
	}
	out->cap = n;
	return 0;
}

/* Alembic's Script.doc: the first paragraph of the stripped docstring. */
static void docstring(struct arena *a, const char *doc, struct rev *r)
{
	r->message = "";
	r->create_date = "";
	if (!doc)
		return;
	while (*doc == ' ' || *doc == '\n' || *doc == '\t' || *doc == '\r')
		doc++;
	const char *para = strstr(doc, "\n\n");
	size_t n = para ? (size_t)(para - doc) : strlen(doc);
	while (n && (doc[n - 1] == ' ' || doc[n - 1] == '\n' || doc[n - 1] == '\t'))
		n--;
	r->message = arena_strndup(a, doc, n);
	const char *cd = strstr(doc, "Create Date:");
	if (cd) {
		cd += 12;
		while (*cd == ' ')
			cd++;
		size_t m = strcspn(cd, "\r\n");
		while (m && cd[m - 1] == ' ')
			m--;
		r->create_date = arena_strndup(a, cd, m);
	}
}

unsigned pyrev_parse(struct arena *a, const struct pyconfig *cfg, const struct src_file *f, struct rev *r)
{
	struct pymodule m;
	unsigned errors = pyparse_module(a, f, &m);
	if (errors)
		return errors;
	unsigned before = diag_errors();
	struct pyeval *ev = pyeval_module(a, &m, cfg);

	r->file = f;
	docstring(a, m.docstring, r);
	r->transactional = true;
	struct pyval *id = pyeval_global(ev, "revision");
	if (!id || id->k != PV_STR) {
		diag_at(DIAG_ERROR, f, id ? pyeval_global_off(ev, "revision") : 0,
			"the script does not set 'revision' to a string");
		diag_hint("Alembic scripts start with: revision = '<id>'");
		return diag_errors() - before;
	}
	r->id = id->s;
	r->id_off = pyeval_global_off(ev, "revision");
	if (!revid_check(f, id->off, false, false, "revision", id->s, id->len))
		return diag_errors() - before;
	if (!pyeval_global(ev, "down_revision")) {
		diag_at(DIAG_ERROR, f, r->id_off, "the script does not set 'down_revision'");
		diag_hint("a first revision says: down_revision = None");
	}
	refs(a, ev, f, "down_revision", &r->parents);
	refs(a, ev, f, "depends_on", &r->depends);
	refs(a, ev, f, "branch_labels", &r->labels);

	bool present;
	pyeval_run(ev, "upgrade", &r->up, &present);
	r->up.present = present;
	if (!present && !pyeval_global(ev, "upgrade"))
		diag_at(DIAG_ERROR, f, r->id_off, "the script has no 'def upgrade()'");
	pyeval_run(ev, "downgrade", &r->down, &present);
	r->down.present = present;
	return diag_errors() - before;
}
