/*
 * pyrev.c - fills a struct rev from an Alembic revision script
 */
#include "pyrev.h"

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
} types;

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	(void)user;
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
	int rc = ini_parse(path, on_ini, NULL);
	if (rc == 0) {
		types.map.path = path;
	} else if (rc > 0) {
		diag_plain(DIAG_ERROR, path, "line %d: not an ini line", rc);
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
