/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* LIKWID performance groups: the group files likwid ships
 * (PERFGROUPS/<arch>/<GROUP>.txt: SHORT, EVENTSET, METRICS, LONG), the
 * host's arch as LIKWID names it, and a group's events as perf events
 * (docs/counters.md). */
#ifndef SCOPE_COUNTERS_GROUPS_H
#define SCOPE_COUNTERS_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GROUPS_DIR "/usr/share/likwid/perfgroups"

struct group_event {
	char *counter; /* PMC0, FIXC1, PMC3:EDGEDETECT: what formulas name */
	char *event;   /* LIKWID's event name: INSTR_RETIRED_ANY */
};

struct group_metric {
	char *name;    /* "Runtime (RDTSC)" */
	char *unit;    /* "s", or "" when the line has no [unit] */
	char *formula; /* "FIXC1*inverseClock" */
};

struct group {
	char *name;
	char *short_info;
	char *long_info;
	struct group_event *events;
	size_t nevents;
	struct group_metric *metrics;
	size_t nmetrics;
	bool require_noht; /* REQUIRE_NOHT: LIKWID wants SMT off */
};

/* Parses a group file's text from @f. 0 and *@out, -EINVAL for a file of
 * another shape (no EVENTSET, a line that is no COUNTER EVENT pair), or
 * -ENOMEM. */
int group__parse(FILE *f, const char *name, struct group **out);
/* @dir/@arch/@name.txt; -ENOENT when there is no such group. */
int group__read(const char *dir, const char *arch, const char *name,
		struct group **out);
void group__free(struct group *g);

/* The groups of @arch in @dir, sorted: *@names of *@n; -ENOENT when @dir
 * has no @arch. Free with groups__free_names. */
int groups__list(const char *dir, const char *arch, char ***names, size_t *n);
void groups__free_names(char **names, size_t n);

/* The CPU clock LIKWID's metrics call 1/inverseClock (liblikwid's timer,
 * which times the TSC for a moment); 0 when it cannot tell. */
uint64_t groups__cpu_clock_hz(void);
/* The host CPU's short name as LIKWID knows it (liblikwid's topology:
 * haswellEP, zen3, ...), or $SCOPE_BPF_LIKWID_ARCH when set. 0, or
 * -EOPNOTSUPP with why in @why ("LIKWID 5.2 does not know this CPU ...").
 * liblikwid's own messages on stderr are kept from the user. */
int groups__host_arch(char *arch, size_t len, char *why, size_t whylen);

/* The perf event counting LIKWID's @event, or NULL when none is known
 * (the fixed counters and a few generic events: docs/counters.md). */
const char *groups__perf_event(const char *event);
/* Each of @g's events as a perf event name into @perf (nevents long). 0,
 * or -ENOENT with the first event that has none in *@missing. */
int group__perf_events(const struct group *g, const char **perf,
		       const struct group_event **missing);

/* Metric @m of @g from @counts (one per event, in EVENTSET order), the
 * measured @time in seconds and @inverse_clock (1 / the CPU's clock in
 * Hz). 0, or metric__eval's error. */
int group__metric(const struct group *g, size_t m, const double *counts,
		  double time, double inverse_clock, double *out);

#endif /* SCOPE_COUNTERS_GROUPS_H */
