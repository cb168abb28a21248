/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A session's --counters and --group: the perf events opened before the
 * run, for the BPF programs to read (docs/counters.md). */
#ifndef SCOPE_AGENT_COUNTERS_H
#define SCOPE_AGENT_COUNTERS_H

#include "agent/session.h"

struct evlist;
struct group;

struct session_counters {
	/* NULL without --counters or --group; else open, one fd per event
	 * and CPU (evlist__perf_array_fds gives the BPF array's layout) */
	struct evlist *evlist;
	struct group *group; /* --group's file, for its metrics; or NULL */
};

/* Opens what @opts asks for, saying on stderr each event this host cannot
 * count (one line each). 0; -EINVAL when the request cannot be met (an
 * unknown name, a group unavailable here, no event left, more hardware
 * events than the PMU holds), said; or another -errno. */
int session_counters__open(const struct session_opts *opts,
			   struct session_counters *out);
void session_counters__close(struct session_counters *c);

#endif /* SCOPE_AGENT_COUNTERS_H */
