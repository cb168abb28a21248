/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A session's --counters and --group: the perf events opened before the
 * run, for the BPF programs to read (docs/counters.md). */
#ifndef SCOPE_AGENT_COUNTERS_H
#define SCOPE_AGENT_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/session.h"
#include "profile/profile.h"

struct evlist;
struct group;

struct session_counters {
	/* NULL without --counters or --group; else open, one fd per event
	 * and CPU (evlist__perf_array_fds gives the BPF array's layout) */
	struct evlist *evlist;
	struct group *group; /* --group's file, for its metrics; or NULL */
	char *group_text;    /* the file's text, kept in the profile */
	int *fds;	     /* evlist__perf_array_fds, for the probes */
};

/* Opens what @opts asks for, saying on stderr each event this host cannot
 * count (one line each). 0; -EINVAL when the request cannot be met (an
 * unknown name, a group unavailable here, no event left, more hardware
 * events than the PMU holds), said; or another -errno. */
int session_counters__open(const struct session_opts *opts,
			   struct session_counters *out);
void session_counters__close(struct session_counters *c);
/* The probes' view: events, CPUs and fds (probes_opts); 0 events without
 * counters. */
void session_counters__probes(const struct session_counters *c,
			      uint32_t *nevents, uint32_t *ncpus,
			      const int **fds);
/* The profile's counter rows and /meta fields, at the end of the run.
 * 0 or -ENOMEM. */
int session_counters__to_profile(const struct session_counters *c,
				 struct profile_counter **rows, size_t *n);
int session_counters__to_meta(const struct session_counters *c,
			      struct profile_meta *m);

#endif /* SCOPE_AGENT_COUNTERS_H */
