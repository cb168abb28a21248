// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The region table: region names to dense ids, in first-seen order. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "profile/regions.h"

/* A region's location is where it begins; an END only stands in for it
 * until the first BEGIN turns up (a region whose BEGIN is in a later
 * object). */
static int region__add_site(struct region *r, const char *file, uint32_t line,
			    int is_begin)
{
	char *copy;

	if (!r->file || (is_begin && !r->nbegin)) {
		copy = strdup(file ? file : "");
		if (!copy)
			return -ENOMEM;
		free(r->file);
		r->file = copy;
		r->line = line;
	}
	r->nsites++;
	if (is_begin)
		r->nbegin++;
	return r->id;
}

static struct region *region_table__append(struct region_table *t,
					   const char *name)
{
	char *copy;

	/* ids are returned as int */
	if (t->n >= INT_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	copy = strdup(name);
	if (!copy || ARRAY_RESERVE(t->v, t->cap, t->n + 1)) {
		free(copy);
		errno = ENOMEM;
		return NULL;
	}
	t->v[t->n] = (struct region){ .id = t->n, .name = copy };
	return &t->v[t->n++];
}

/* A linear search: a program has tens of regions, and this runs once per
 * site at start-up. */
static struct region *region_table__find(struct region_table *t,
					 const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].name, name))
			return &t->v[i];
	}
	return NULL;
}

int region_table__intern(struct region_table *t, const char *name,
			 const char *file, uint32_t line, int is_begin)
{
	struct region *r;
	int id;

	if (!name)
		return -EINVAL;
	r = region_table__find(t, name);
	if (r)
		return region__add_site(r, file, line, is_begin);
	r = region_table__append(t, name);
	if (!r)
		return -errno;
	id = region__add_site(r, file, line, is_begin);
	if (id < 0) {
		/* no region without a location */
		free(r->name);
		t->n--;
	}
	return id;
}

void region_table__free(struct region_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].file);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
