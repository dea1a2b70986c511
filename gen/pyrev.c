/*
 * pyrev.c - fills a struct rev from an Alembic revision script
 */
#include "pyrev.h"

#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "pyeval.h"
#include "pyparse.h"

/* The type map of the last folder read: a build reads one folder. */
static struct {
	char *dir;
	struct pytypemap map;
	struct arena *a;
	size_t cap;
	bool prefix[5];     /* conv[k] came from the prefix key */
} types;

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

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	const char *path = user;
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
					if (j == 0 || !types.map.conv[k] || !types.prefix[k])
						types.map.conv[k] = arena_strdup(types.a, value);
					types.prefix[k] |= j == 0;
					types.map.conv_declared = true;
					return 1;
				}
		diag_plain(DIAG_ERROR, path, "[naming_convention] key '%s' is not one SQLAlchemy knows", name);
		diag_hint("keys are ix, uq, ck, fk, pk (or Index, UniqueConstraint, CheckConstraint, "
			  "ForeignKeyConstraint, PrimaryKeyConstraint)");
		return 1;
	}
	if (strcmp(section, "types") != 0)
		return 1;
	arena_grow(types.a, &types.map.name, &types.cap, types.map.n + 1, sizeof *types.map.name);
	size_t cap2 = types.map.n;
	arena_grow(types.a, &types.map.sql, &cap2, types.map.n + 1, sizeof *types.map.sql);
	types.map.name[types.map.n] = arena_strdup(types.a, name);
	types.map.sql[types.map.n++] = arena_strdup(types.a, value);
	return 1;
}

static const struct pytypemap *load_types(struct arena *a, const char *dir)
{
	if (types.dir && !strcmp(types.dir, dir) && types.a == a)
		return &types.map;
	memset(&types, 0, sizeof types);
	types.a = a;
	types.dir = arena_strdup(a, dir);
	const char *path = arena_printf(a, "%s/retort.ini", dir);
	int rc = ini_parse(path, on_ini, (void *)path);
	if (rc == 0) {
		types.map.path = path;
	} else if (rc > 0) {
		diag_plain(DIAG_ERROR, path, "line %d: not an ini line", rc);
	}
	/* env.py's target_metadata names what revisions leave unnamed: without
	 * its convention, retort would name them otherwise. */
	const char *env = arena_printf(a, "%s/env.py", dir);
	FILE *fp = types.map.conv_declared ? NULL : fopen(env, "r");
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
	return &types.map;
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
		out->v[out->n].id = items[i]->s;
		out->v[out->n++].off = off;
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

unsigned pyrev_parse(struct arena *a, const char *dir, const struct src_file *f, struct rev *r)
{
	struct pymodule m;
	unsigned errors = pyparse_module(a, f, &m);
	if (errors)
		return errors;
	unsigned before = diag_errors();
	const struct pytypemap *tm = load_types(a, dir);
	struct pyeval *ev = pyeval_module(a, &m, tm);

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
