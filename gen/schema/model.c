/*
 * model.c - the schema model's object list and key index
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

const char *const skind_word[SK__N] = {
#define X(n, w) w,
	SCHEMA_KINDS(X)
#undef X
};

struct sobj *model_add(struct arena *a, struct smodel *m, enum skind kind, const char *name)
{
	arena_grow(a, &m->v, &m->cap, m->n + 1, sizeof *m->v);
	struct sobj *o = &m->v[m->n++];
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->name = name;
	o->key = arena_printf(a, "%s %s", skind_word[kind], name);
	o->local = true;
	return o;
}

static const struct smodel *sort_model;

static int by_key_cmp(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	return strcmp(sort_model->v[i].key, sort_model->v[j].key);
}

const struct sobj *model_index(struct arena *a, struct smodel *m)
{
	m->by_key = arena_alloc(a, (m->n + 1) * sizeof *m->by_key);
	for (size_t i = 0; i < m->n; i++)
		m->by_key[i] = i;
	sort_model = m;
	qsort(m->by_key, m->n, sizeof *m->by_key, by_key_cmp);
	sort_model = NULL;
	for (size_t i = 1; i < m->n; i++)
		if (strcmp(m->v[m->by_key[i]].key, m->v[m->by_key[i - 1]].key) == 0)
			return &m->v[m->by_key[i]];
	return NULL;
}

long model_find(const struct smodel *m, const char *key)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->v[m->by_key[mid]].key, key);
		if (c == 0)
			return (long)m->by_key[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void model_add_dep(struct arena *a, struct sobj *o, size_t on)
{
	for (size_t i = 0; i < o->n_deps; i++)
		if (o->deps[i] == on)
			return;
	arena_grow(a, &o->deps, &o->cap_deps, o->n_deps + 1, sizeof *o->deps);
	o->deps[o->n_deps++] = on;
}
