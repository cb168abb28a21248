/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Statistics rebuilt from a trace's intervals, for a trace whose agent
 * never wrote its profile (killed, or still running): the same rows the
 * agent aggregates, with self time and call-path links recovered from the
 * nesting (docs/trace.md). */
#ifndef SCOPE_TRACE_STATS_H
#define SCOPE_TRACE_STATS_H

#include <stddef.h>

#include "profile/profile.h"
#include "profile/trace.h"

struct trace_stats;

struct trace_stats *trace_stats__new(void);
void trace_stats__free(struct trace_stats *t);
/* Folds @n intervals in, in the trace's order (within a thread, by end
 * time: a region's children come before it). 0 or -ENOMEM. */
int trace_stats__add(struct trace_stats *t, const struct trace_interval *v,
		     size_t n);
/* Copies the rows so far into @p's stats, paths and threads (replacing
 * none: they must be empty). Paths whose enclosing region never ended in
 * the trace keep parent_path 0. 0 or -ENOMEM. */
int trace_stats__profile(const struct trace_stats *t, struct profile *p);

#endif /* SCOPE_TRACE_STATS_H */
