// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Aggregates interval records per (process, thread, region): an open-addressing
 * index over an insertion-ordered array, so memory grows with regions x threads
 * and never with run length. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/paths.h"
#include "aggregate/stats.h"
#include "common/array.h"
#include "common/rowindex.h"

_Static_assert(PROFILE_HIST_BUCKETS == SCOPE_HIST_BUCKETS,
	       "the kernel's histogram is the profile's");
_Static_assert(PROFILE_MAX_COUNTERS == SCOPE_MAX_COUNTERS,
	       "the kernel's counter columns are the profile's");

struct stats_table {
	struct region_stats *rows;
	size_t nrows, cap;
	struct rowindex index;	  /* by (pid, tid, region) */
	struct path_table *paths; /* the same regions by call path */
};

struct stats_key {
	uint32_t pid, tid, region;
};

unsigned int stats__bucket(uint64_t ns)
{
	return ns ? 63 - __builtin_clzll(ns) : 0;
}

static uint64_t key_hash(const struct stats_key *k)
{
	return rowindex__mix(((uint64_t)k->tid << 32 | k->region) ^
			     ((uint64_t)k->pid << 17));
}

static uint64_t row_hash(const void *rows, size_t i)
{
	const struct region_stats *r = (const struct region_stats *)rows + i;
	struct stats_key k = { r->pid, r->tid, r->region };

	return key_hash(&k);
}

static bool row_is(const void *rows, size_t i, const void *key)
{
	const struct region_stats *r = (const struct region_stats *)rows + i;
	const struct stats_key *k = key;

	return r->tid == k->tid && r->region == k->region && r->pid == k->pid;
}

static const struct rowindex_ops row_ops = { row_hash, row_is };

struct stats_table *stats__new(void)
{
	struct stats_table *t = calloc(1, sizeof(*t));

	if (t)
		t->paths = paths__new();
	if (t && !t->paths) {
		free(t);
		return NULL;
	}
	return t;
}

void stats__free(struct stats_table *t)
{
	if (!t)
		return;
	free(t->rows);
	rowindex__free(&t->index);
	paths__free(t->paths);
	free(t);
}

static struct region_stats *insert_row(struct stats_table *t, size_t slot,
				       const struct stats_key *k)
{
	struct region_stats *row;

	if (ARRAY_RESERVE(t->rows, t->cap, t->nrows + 1))
		return NULL;
	row = &t->rows[t->nrows];
	memset(row, 0, sizeof(*row));
	row->pid = k->pid;
	row->tid = k->tid;
	row->region = k->region;
	row->min_ns = UINT64_MAX;
	t->index.slots[slot] = ++t->nrows;
	return row;
}

static struct region_stats *lookup(struct stats_table *t, uint32_t pid,
				   uint32_t tid, uint32_t region)
{
	struct stats_key k = { pid, tid, region };
	size_t s;
	long row;

	if (rowindex__fit(&t->index, t->nrows + 1, &row_ops, t->rows, t->nrows))
		return NULL;
	s = rowindex__slot(&t->index, key_hash(&k), &k, &row_ops, t->rows);
	row = rowindex__row(&t->index, s);
	return row >= 0 ? &t->rows[row] : insert_row(t, s, &k);
}

int stats__add(struct stats_table *t, uint32_t pid, uint32_t tid,
	       const struct scope_record *r)
{
	uint64_t dur = r->end_ns >= r->start_ns ? r->end_ns - r->start_ns : 0;
	struct region_stats *row = lookup(t, pid, tid, r->region);

	if (!row || paths__add(t->paths, pid, tid, r))
		return -ENOMEM;
	row->calls++;
	row->child_calls += r->child_calls;
	row->total_ns += dur;
	/* child_ns can only exceed dur through clock skew between CPUs */
	row->self_ns += r->child_ns < dur ? dur - r->child_ns : 0;
	if (dur < row->min_ns)
		row->min_ns = dur;
	if (dur > row->max_ns)
		row->max_ns = dur;
	row->hist[stats__bucket(dur)]++;
	return 0;
}

int stats__merge(struct stats_table *t, const struct scope_agg_key *k,
		 const struct scope_agg *a)
{
	struct region_stats *row;

	if (!a->calls)
		return 0;
	row = lookup(t, k->pid, k->tid, k->region);
	if (!row || paths__merge(t->paths, k, a))
		return -ENOMEM;
	row->calls += a->calls;
	row->child_calls += a->child_calls;
	row->total_ns += a->total_ns;
	row->self_ns += a->self_ns;
	if (a->min_ns < row->min_ns)
		row->min_ns = a->min_ns;
	if (a->max_ns > row->max_ns)
		row->max_ns = a->max_ns;
	for (size_t i = 0; i < PROFILE_HIST_BUCKETS; i++)
		row->hist[i] += a->hist[i];
	for (size_t i = 0; i < PROFILE_MAX_COUNTERS; i++) {
		row->counter_incl[i] += a->counter_incl[i];
		row->counter_self[i] += a->counter_self[i];
	}
	return 0;
}

const struct path_table *stats__paths(const struct stats_table *t)
{
	return t->paths;
}

size_t stats__count(const struct stats_table *t)
{
	return t->nrows;
}

const struct region_stats *stats__at(const struct stats_table *t, size_t i)
{
	return i < t->nrows ? &t->rows[i] : NULL;
}
