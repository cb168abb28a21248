/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One region interval of a trace (`--trace`): what the agent hands the
 * trace writer and what the trace reader gives back (docs/hdf5-schema.md,
 * group /trace). Fixed-width fields so that it copies as it is. */
#ifndef SCOPE_PROFILE_TRACE_H
#define SCOPE_PROFILE_TRACE_H

#include <stdint.h>

#include "profile/profile.h"

/* parent of an outermost region */
#define TRACE_NO_PARENT UINT32_MAX
/* counter deltas an interval carries at most: one per profile counter */
#define TRACE_MAX_COUNTERS PROFILE_MAX_COUNTERS

struct trace_interval {
	uint64_t start_ns; /* CLOCK_MONOTONIC, as /meta start_ns */
	uint64_t end_ns;
	uint32_t pid; /* tgid */
	uint32_t tid;
	uint32_t region; /* /regions id */
	uint32_t parent; /* the enclosing region's id, or TRACE_NO_PARENT */
	uint32_t depth;	 /* 0: outermost */
	uint32_t reserved;
	uint64_t path; /* call-path id, as /paths path */
	/* END minus BEGIN of each counter; the first ncounters are used */
	uint64_t counters[TRACE_MAX_COUNTERS];
};

_Static_assert(sizeof(struct trace_interval) == 48 + 8 * TRACE_MAX_COUNTERS,
	       "trace_interval has no padding");

#endif /* SCOPE_PROFILE_TRACE_H */
