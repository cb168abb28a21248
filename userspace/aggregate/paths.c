// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Aggregates regions per (process, thread, call path), beside the per
 * region statistics: what a call tree is built from. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/paths.h"
#include "common/array.h"
#include "common/rowindex.h"

struct path_table {
	struct path_stats *rows;
	size_t nrows, cap;
	struct rowindex index; /* by (pid, tid, path) */
};

struct path_key {
	uint32_t pid, tid;
	uint64_t path;
};

static uint64_t key_hash(const struct path_key *k)
{
	return rowindex__mix(k->path ^ ((uint64_t)k->tid << 32 | k->pid));
}

static uint64_t row_hash(const void *rows, size_t i)
{
	const struct path_stats *r = (const struct path_stats *)rows + i;
	struct path_key k = { r->pid, r->tid, r->path };

	return key_hash(&k);
}

static bool row_is(const void *rows, size_t i, const void *key)
{
	const struct path_stats *r = (const struct path_stats *)rows + i;
	const struct path_key *k = key;

	return r->path == k->path && r->tid == k->tid && r->pid == k->pid;
}

static const struct rowindex_ops row_ops = { row_hash, row_is };

struct path_table *paths__new(void)
{
	return calloc(1, sizeof(struct path_table));
}

void paths__free(struct path_table *t)
{
	if (!t)
		return;
	free(t->rows);
	rowindex__free(&t->index);
	free(t);
}

/* The row of @k, new (with @region, @parent, @depth) if need be. */
static struct path_stats *lookup(struct path_table *t, const struct path_key *k,
				 uint32_t region, uint64_t parent,
				 uint32_t depth)
{
	struct path_stats *row;
	size_t s;
	long i;

	if (rowindex__fit(&t->index, t->nrows + 1, &row_ops, t->rows, t->nrows))
		return NULL;
	s = rowindex__slot(&t->index, key_hash(k), k, &row_ops, t->rows);
	i = rowindex__row(&t->index, s);
	if (i >= 0)
		return &t->rows[i];
	if (ARRAY_RESERVE(t->rows, t->cap, t->nrows + 1))
		return NULL;
	row = &t->rows[t->nrows];
	*row = (struct path_stats){ .pid = k->pid,
				    .tid = k->tid,
				    .region = region,
				    .depth = depth,
				    .path = k->path,
				    .parent_path = parent };
	t->index.slots[s] = ++t->nrows;
	return row;
}

int paths__add(struct path_table *t, uint32_t pid, uint32_t tid,
	       const struct scope_record *r)
{
	struct path_key k = { pid, tid, r->path };
	uint64_t dur = r->end_ns >= r->start_ns ? r->end_ns - r->start_ns : 0;
	struct path_stats *row =
		lookup(t, &k, r->region, r->parent_path, r->depth);

	if (!row)
		return -ENOMEM;
	row->calls++;
	row->child_calls += r->child_calls;
	row->total_ns += dur;
	row->self_ns += r->child_ns < dur ? dur - r->child_ns : 0;
	return 0;
}

int paths__merge(struct path_table *t, const struct scope_agg_key *k,
		 const struct scope_agg *a)
{
	struct path_key pk = { k->pid, k->tid, k->path };
	struct path_stats *row;

	if (!a->calls)
		return 0;
	row = lookup(t, &pk, k->region, a->parent_path, a->depth);
	if (!row)
		return -ENOMEM;
	row->calls += a->calls;
	row->child_calls += a->child_calls;
	row->total_ns += a->total_ns;
	row->self_ns += a->self_ns;
	for (size_t i = 0; i < PROFILE_MAX_COUNTERS; i++) {
		row->counter_incl[i] += a->counter_incl[i];
		row->counter_self[i] += a->counter_self[i];
	}
	return 0;
}

size_t paths__count(const struct path_table *t)
{
	return t->nrows;
}

const struct path_stats *paths__at(const struct path_table *t, size_t i)
{
	return i < t->nrows ? &t->rows[i] : NULL;
}
