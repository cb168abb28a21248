/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Trace mode's sink (--trace): the records the trace keeps, as intervals,
 * into the trace file (hdf5/trace_file.h) as they come. */
#ifndef SCOPE_AGENT_TRACE_H
#define SCOPE_AGENT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "profile/profile.h"
#include "scope_bpf_record.h"

struct trace_sink;

struct trace_sink_counts {
	uint64_t intervals; /* handed to the file */
	uint64_t dropped;   /* the writer had no room (its buffer's bound) */
	uint64_t past_max;  /* left out once --trace-max was reached */
};

struct trace_sink_opts {
	size_t buffer_bytes; /* --trace-buffer; 0: the writer's default */
	uint64_t max_bytes;  /* --trace-max; 0: no limit */
	const struct region_table *regions; /* known at the start */
	const struct profile_meta *meta;    /* as known at the start */
	/* the profile's counters: each interval's deltas go to
	 * /trace/counters; 0 without */
	size_t ncounters;
	const char *const *counter_names;
	const char *const *counter_units;
	uid_t uid; /* the file's owner, (uid_t)-1: the agent */
	gid_t gid;
};

/* Creates the trace file at @path (which must be free: output_file__clear)
 * under its final name, readers may follow it from now on. NULL with
 * errno set, said on stderr. */
struct trace_sink *trace_sink__open(const char *path,
				    const struct trace_sink_opts *o);
/* consumer_trace_fn: one record of the thread of @h, with its counter
 * deltas or NULL. */
int trace_sink__record(void *ctx, const struct scope_batch_header *h,
		       const struct scope_record *r, const uint64_t *counts);
/* Hands over what waits and flushes the file: at each drain, so readers
 * and a SIGKILL are at most a drain and a second behind. 0 or -errno. */
int trace_sink__tick(struct trace_sink *s);
/* The last intervals, then @p's tables into the file; frees @s. 0 or
 * -errno (the file keeps the trace up to its last flush). */
int trace_sink__finish(struct trace_sink *s, const struct profile *p);
/* Closes the file without a profile (the agent failed): the trace up to
 * the last flush stays. Frees @s; NULL is fine. */
void trace_sink__abort(struct trace_sink *s);
void trace_sink__counts(struct trace_sink *s, struct trace_sink_counts *out);
/* Whether --trace-max stopped the trace (said once on stderr). */
bool trace_sink__stopped(const struct trace_sink *s);

#endif /* SCOPE_AGENT_TRACE_H */
