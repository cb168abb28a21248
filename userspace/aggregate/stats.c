// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Aggregates interval records per (process, thread, region): an open-addressing
 * index over an insertion-ordered array, so memory grows with regions x threads
 * and never with run length. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/stats.h"
#include "common/array.h"

struct stats_table {
	struct region_stats *rows;
	size_t nrows, cap;
	uint32_t *index; /* row + 1, 0 = empty slot */
	size_t nslots;	 /* power of two, kept at most half full */
};

unsigned int stats__bucket(uint64_t ns)
{
	return ns ? 63 - __builtin_clzll(ns) : 0;
}

static uint64_t key_hash(uint32_t pid, uint32_t tid, uint32_t region)
{
	uint64_t h = ((uint64_t)tid << 32 | region) ^ ((uint64_t)pid << 17);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct stats_table *stats__new(void)
{
	struct stats_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->nslots = 256;
	t->index = calloc(t->nslots, sizeof(*t->index));
	if (!t->index) {
		free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

void stats__free(struct stats_table *t)
{
	if (!t)
		return;
	free(t->rows);
	free(t->index);
	free(t);
}

static size_t slot_of(const struct stats_table *t, uint32_t pid, uint32_t tid,
		      uint32_t region)
{
	size_t mask = t->nslots - 1;
	size_t s = key_hash(pid, tid, region) & mask;

	for (;; s = (s + 1) & mask) {
		const struct region_stats *row;

		if (!t->index[s])
			return s;
		row = &t->rows[t->index[s] - 1];
		if (row->tid == tid && row->region == region && row->pid == pid)
			return s;
	}
}

static int grow_index(struct stats_table *t)
{
	size_t n = t->nslots * 2;
	uint32_t *old = t->index;
	size_t i;

	t->index = calloc(n, sizeof(*t->index));
	if (!t->index) {
		t->index = old;
		return -ENOMEM;
	}
	t->nslots = n;
	for (i = 0; i < t->nrows; i++) {
		const struct region_stats *r = &t->rows[i];

		t->index[slot_of(t, r->pid, r->tid, r->region)] = i + 1;
	}
	free(old);
	return 0;
}

static struct region_stats *insert_row(struct stats_table *t, size_t slot,
				       uint32_t pid, uint32_t tid,
				       uint32_t region)
{
	struct region_stats *row;

	if (ARRAY_RESERVE(t->rows, t->cap, t->nrows + 1))
		return NULL;
	row = &t->rows[t->nrows];
	memset(row, 0, sizeof(*row));
	row->pid = pid;
	row->tid = tid;
	row->region = region;
	row->min_ns = UINT64_MAX;
	t->index[slot] = ++t->nrows;
	return row;
}

static struct region_stats *lookup(struct stats_table *t, uint32_t pid,
				   uint32_t tid, uint32_t region)
{
	size_t s;

	if ((t->nrows + 1) * 2 > t->nslots && grow_index(t))
		return NULL;
	s = slot_of(t, pid, tid, region);
	if (t->index[s])
		return &t->rows[t->index[s] - 1];
	return insert_row(t, s, pid, tid, region);
}

int stats__add(struct stats_table *t, uint32_t pid, uint32_t tid,
	       const struct scope_record *r)
{
	uint64_t dur = r->end_ns >= r->start_ns ? r->end_ns - r->start_ns : 0;
	struct region_stats *row = lookup(t, pid, tid, r->region);

	if (!row)
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

size_t stats__count(const struct stats_table *t)
{
	return t->nrows;
}

const struct region_stats *stats__at(const struct stats_table *t, size_t i)
{
	return i < t->nrows ? &t->rows[i] : NULL;
}
