/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Drains the BPF ring buffer into the per-thread statistics. */
#ifndef SCOPE_CONSUME_H
#define SCOPE_CONSUME_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate/stats.h"
#include "profile/profile.h"

struct consumer;

/* A thread of the profile: its ids and its number (scope_batch_header). */
struct consumer_thread_id {
	uint32_t pid, tid, serial;
};

struct consumer_counts {
	uint64_t records;    /* interval records folded in */
	uint64_t unfinished; /* regions open when their thread exited */
	uint64_t malformed;  /* records of an unknown type or size */
	uint64_t traced;     /* trace mode: records of aggregated regions */
};

/* Trace mode's sink: every record the trace keeps, with its thread's
 * header, and its counter deltas (SCOPE_MAX_COUNTERS of them, by counter
 * index) when the profile has counters, else NULL. 0 or -errno (the first
 * error stops nothing, it is reported). */
typedef int (*consumer_trace_fn)(void *ctx, const struct scope_batch_header *h,
				 const struct scope_record *r,
				 const uint64_t *counts);

/* Turns the probes' region id into the profile's, in place (the regions
 * named at run time have ids of the probes' own). 0 or -errno. */
struct region_map {
	int (*fn)(void *ctx, uint32_t *region);
	void *ctx;
};

/* Consumes the ring buffer map @ringbuf_fd into @stats (not owned). NULL with
 * errno set on failure. */
struct consumer *consumer__new(int ringbuf_fd, struct stats_table *stats);
void consumer__free(struct consumer *c);
/* Maps the region ids of every record through @map (copied) first. */
void consumer__set_region_map(struct consumer *c, const struct region_map *map);
/* Hands the records the trace keeps to @fn (trace mode). */
void consumer__set_trace(struct consumer *c, consumer_trace_fn fn, void *ctx);
/* An fd that is readable when records are waiting (for the agent's epoll). */
int consumer__epoll_fd(const struct consumer *c);
/* Consumes every record available now; records consumed or -errno. */
int consumer__drain(struct consumer *c);
void consumer__counts(const struct consumer *c, struct consumer_counts *out);
/* The threads that exited with aggregates in the kernel since the last
 * consumer__forget_exited; the array stays owned by @c. */
const struct consumer_thread_id *consumer__exited(const struct consumer *c,
						  size_t *n);
void consumer__forget_exited(struct consumer *c);
/* The target's link map changes (dlopen, dlclose) said since the last
 * call; resets the count. */
uint64_t consumer__take_link_map(struct consumer *c);
/* Adds thread @tid of @pid, unnamed, if no sample named it (its header was
 * lost). 0 or -ENOMEM. */
int consumer__add_thread(struct consumer *c, uint32_t pid, uint32_t tid);
/* The threads seen, with their names; the array stays owned by @c. */
const struct profile_thread *consumer__threads(const struct consumer *c,
					       size_t *n);

#endif /* SCOPE_CONSUME_H */
