// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Consumes interval records from the ring buffer: each one is folded into the
 * statistics right away, so the agent holds no record after its callback. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "agent/consume.h"
#include "common/array.h"
#include "common/log.h"
#include "common/rowindex.h"

struct consumer {
	struct ring_buffer *rb;
	struct stats_table *stats;
	struct consumer_counts counts;
	struct profile_thread *threads;
	size_t nthreads, cap;
	struct rowindex index; /* threads by (pid, tid) */
	/* threads that exited with aggregates in the kernel, not yet taken */
	struct consumer_thread_id *exited;
	size_t nexited, exited_cap;
	uint64_t link_map;	 /* link map changes seen, not yet taken */
	int err;		 /* first error met inside the callback */
	struct region_map map;	 /* fn NULL: ids are the profile's */
	consumer_trace_fn trace; /* trace mode's sink, or NULL */
	void *trace_ctx;
};

struct thread_key {
	uint32_t pid, tid;
};

static uint64_t thread_hash(uint32_t pid, uint32_t tid)
{
	return rowindex__mix((uint64_t)pid << 32 | tid);
}

static uint64_t thread_row_hash(const void *rows, size_t i)
{
	const struct profile_thread *t =
		(const struct profile_thread *)rows + i;

	return thread_hash(t->pid, t->tid);
}

static bool thread_is(const void *rows, size_t i, const void *key)
{
	const struct profile_thread *t =
		(const struct profile_thread *)rows + i;
	const struct thread_key *k = key;

	return t->pid == k->pid && t->tid == k->tid;
}

static const struct rowindex_ops thread_ops = { thread_row_hash, thread_is };

/* The slot of the batch's thread: its row's, or the empty one it takes. */
static size_t thread_slot(const struct consumer *c,
			  const struct scope_batch_header *h)
{
	struct thread_key k = { h->pid, h->tid };

	return rowindex__slot(&c->index, thread_hash(h->pid, h->tid), &k,
			      &thread_ops, c->threads);
}

/* The name a batch carried (at most SCOPE_COMM_LEN bytes, NUL-padded). */
static char *batch_comm(const struct scope_batch_header *h)
{
	return strndup(h->comm, sizeof(h->comm));
}

static int thread_add(struct consumer *c, const struct scope_batch_header *h)
{
	struct profile_thread *t;
	size_t slot;

	if (rowindex__fit(&c->index, c->nthreads + 1, &thread_ops, c->threads,
			  c->nthreads) ||
	    ARRAY_RESERVE(c->threads, c->cap, c->nthreads + 1))
		return -ENOMEM;
	t = &c->threads[c->nthreads];
	*t = (struct profile_thread){ .pid = h->pid,
				      .tid = h->tid,
				      .comm = batch_comm(h) };
	if (!t->comm)
		return -ENOMEM;
	slot = thread_slot(c, h);
	c->index.slots[slot] = ++c->nthreads;
	return 0;
}

/* Every batch names its thread as it was when the batch left: keep the
 * last name. A thread enters the table with its first completed region,
 * as its first stats row does. */
static int note_thread(struct consumer *c, const struct scope_batch_header *h,
		       bool completed)
{
	long row = c->index.nslots ?
			   rowindex__row(&c->index, thread_slot(c, h)) :
			   -1;
	struct profile_thread *t;
	char *comm;

	if (row < 0)
		return completed ? thread_add(c, h) : 0;
	t = &c->threads[row];
	if (!strncmp(t->comm, h->comm, sizeof(h->comm)))
		return 0;
	comm = batch_comm(h);
	if (!comm)
		return -ENOMEM;
	free(t->comm);
	t->comm = comm;
	return 0;
}

static int on_interval(struct consumer *c, uint32_t pid, uint32_t tid,
		       const struct scope_record *r)
{
	int err = stats__add(c->stats, pid, tid, r);

	if (err)
		return err;
	c->counts.records++;
	return 0;
}

static int on_traced(struct consumer *c, const struct scope_batch_header *h,
		     const struct scope_record *r, const uint64_t *counts)
{
	c->counts.traced++;
	return c->trace ? c->trace(c->trace_ctx, h, r, counts) : 0;
}

/* The counts records among the @n records at @r that follow a traced
 * record, into @v by counter index: how many there are. */
static size_t take_counts(const struct scope_record *r, size_t n, uint64_t *v)
{
	size_t k;

	memset(v, 0, SCOPE_MAX_COUNTERS * sizeof(*v));
	for (k = 0; k < n && r[k].type == SCOPE_REC_COUNTS; k++) {
		const struct scope_counts_record *cr = (const void *)&r[k];

		for (size_t j = 0; j < SCOPE_COUNTS_PER_RECORD; j++) {
			size_t e = cr->first + j;

			if (e < SCOPE_MAX_COUNTERS)
				v[e] = j < 4 ? cr->lo[j] : cr->hi[j - 4];
		}
	}
	return k;
}

/* @r with the profile's region ids, in @copy; NULL when an id is unknown
 * (counted as malformed: the probes name every region they number). */
static const struct scope_record *map_ids(struct consumer *c,
					  const struct scope_record *r,
					  struct scope_record *copy)
{
	int err;

	if (!c->map.fn || (!scope_region_is_named(r->region) &&
			   !scope_region_is_named(r->parent)))
		return r;
	*copy = *r;
	err = c->map.fn(c->map.ctx, &copy->region);
	if (!err)
		err = c->map.fn(c->map.ctx, &copy->parent);
	if (err == -ENOMEM && !c->err)
		c->err = err;
	return err ? NULL : copy;
}

/* @counts: the record's counter deltas, or NULL (none followed it). */
static int on_one(struct consumer *c, const struct scope_batch_header *h,
		  const struct scope_record *r, const uint64_t *counts)
{
	struct scope_record copy;
	int err;

	r = map_ids(c, r, &copy);
	if (!r) {
		c->counts.malformed++;
		return 0;
	}
	switch (r->type) {
	case SCOPE_REC_INTERVAL:
		return on_interval(c, h->pid, h->tid, r);
	case SCOPE_REC_INTERVAL_TRACED:
		err = on_interval(c, h->pid, h->tid, r);
		return err ? err : on_traced(c, h, r, counts);
	case SCOPE_REC_TRACED:
		return on_traced(c, h, r, counts);
	case SCOPE_REC_UNFINISHED:
		c->counts.unfinished++;
		return 0;
	default:
		c->counts.malformed++;
		return 0;
	}
}

/* A thread with aggregates exited: they are final, and the agent can take
 * them out of the kernel's table. */
static int note_exit(struct consumer *c, const struct scope_batch_header *h)
{
	if (ARRAY_RESERVE(c->exited, c->exited_cap, c->nexited + 1))
		return -ENOMEM;
	c->exited[c->nexited++] =
		(struct consumer_thread_id){ h->pid, h->tid, h->serial };
	return 0;
}

/* A header alone: a thread with aggregates in the kernel names itself. */
static int on_header(struct consumer *c, const struct scope_batch_header *h)
{
	int err;

	if (h->flags & SCOPE_BATCH_F_LINK_MAP) {
		c->link_map++;
		return 0;
	}
	if (!(h->flags & SCOPE_BATCH_F_AGGREGATED)) {
		c->counts.malformed++;
		return 0;
	}
	err = note_thread(c, h, true);
	if (!err && (h->flags & SCOPE_BATCH_F_EXIT))
		err = note_exit(c, h);
	return err;
}

/* One sample: a thread's header and the records its size holds. */
static int on_batch(void *ctx, void *data, size_t size)
{
	const struct scope_batch_header *h = data;
	const struct scope_record *r = (const void *)(h + 1);
	struct consumer *c = ctx;
	uint64_t before;
	size_t n;
	int err = 0;

	if (size == sizeof(*h)) {
		err = on_header(c, h);
		if (err && !c->err)
			c->err = err;
		return 0;
	}
	if (size < sizeof(*h) + sizeof(*r) ||
	    (size - sizeof(*h)) % sizeof(*r)) {
		c->counts.malformed++;
		return 0;
	}
	n = (size - sizeof(*h)) / sizeof(*r);
	before = c->counts.records + c->counts.traced;
	for (size_t i = 0; i < n && !err; i++) {
		uint64_t counts[SCOPE_MAX_COUNTERS];
		size_t k = take_counts(&r[i + 1], n - i - 1, counts);

		/* a counts record with no traced record before it is
		 * malformed, like any record of an unknown type */
		err = on_one(c, h, &r[i], k ? counts : NULL);
		i += k;
	}
	if (!err)
		err = note_thread(
			c, h, c->counts.records + c->counts.traced != before);
	if (err && !c->err)
		c->err = err;
	/* a negative return stops the drain; keep going and report later */
	return 0;
}

struct consumer *consumer__new(int ringbuf_fd, struct stats_table *stats)
{
	struct consumer *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->stats = stats;
	c->rb = ring_buffer__new(ringbuf_fd, on_batch, c, NULL);
	if (!c->rb) {
		int err = errno;

		free(c);
		errno = err;
		return NULL;
	}
	return c;
}

void consumer__set_region_map(struct consumer *c, const struct region_map *map)
{
	c->map = *map;
}

void consumer__set_trace(struct consumer *c, consumer_trace_fn fn, void *ctx)
{
	c->trace = fn;
	c->trace_ctx = ctx;
}

void consumer__free(struct consumer *c)
{
	if (!c)
		return;
	ring_buffer__free(c->rb);
	for (size_t i = 0; i < c->nthreads; i++)
		free(c->threads[i].comm);
	free(c->threads);
	free(c->exited);
	rowindex__free(&c->index);
	free(c);
}

int consumer__epoll_fd(const struct consumer *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

int consumer__drain(struct consumer *c)
{
	int n = ring_buffer__consume(c->rb);

	if (c->err)
		return c->err;
	return n;
}

void consumer__counts(const struct consumer *c, struct consumer_counts *out)
{
	*out = c->counts;
}

const struct consumer_thread_id *consumer__exited(const struct consumer *c,
						  size_t *n)
{
	*n = c->nexited;
	return c->exited;
}

uint64_t consumer__take_link_map(struct consumer *c)
{
	uint64_t n = c->link_map;

	c->link_map = 0;
	return n;
}

void consumer__forget_exited(struct consumer *c)
{
	c->nexited = 0;
}

int consumer__add_thread(struct consumer *c, uint32_t pid, uint32_t tid)
{
	struct scope_batch_header h = { .pid = pid, .tid = tid };

	if (c->index.nslots &&
	    rowindex__row(&c->index, thread_slot(c, &h)) >= 0)
		return 0;
	return thread_add(c, &h);
}

const struct profile_thread *consumer__threads(const struct consumer *c,
					       size_t *n)
{
	*n = c->nthreads;
	return c->threads;
}
