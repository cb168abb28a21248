/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Perf events for per-region counters, shaped like libperf's evsel and
 * evlist: an event name to a struct perf_event_attr, opened once per CPU
 * (pid -1) for the BPF programs to read on the CPU they run on, read with
 * enabled/running times, scaled, closed (docs/counters.md). */
#ifndef SCOPE_COUNTERS_EVSEL_H
#define SCOPE_COUNTERS_EVSEL_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SCOPE_MAX_COUNTERS: events per session, shared with the BPF side */
#include "scope_bpf_record.h"

#define EVSEL_NAME_MAX 128

/* Where the kernel lists its PMUs; tests pass a tree of their own. */
#define EVSEL_SYSFS_PMUS "/sys/bus/event_source/devices"

struct evsel;
struct evlist;

/* One read of one CPU's counter, as PERF_FORMAT_TOTAL_TIME_* gives it. */
struct evsel_counts {
	uint64_t val;
	uint64_t ena; /* ns the event was enabled */
	uint64_t run; /* ns it was on the PMU: less than ena = multiplexed */
};

/* A perf event name (perf's generic names, hw-cache names, rNNNN, or
 * PMU/term=value,.../ read from @sysfs, NULL for the kernel's) to @attr.
 * 0, -EINVAL for a name of no known form, -ENOENT for an unknown PMU or
 * term, -ERANGE for a value too wide for its field. @note, when not NULL,
 * gets what differs from the name asked (task-clock is cpu-clock per CPU),
 * or "". */
int evsel__parse(const char *name, const char *sysfs,
		 struct perf_event_attr *attr, const char **note);

/* @name parsed (see evsel__parse); NULL with errno set. */
struct evsel *evsel__new(const char *name, const char *sysfs);
void evsel__free(struct evsel *e);
const char *evsel__name(const struct evsel *e);
const struct perf_event_attr *evsel__attr(const struct evsel *e);
/* "" or what the agent counts instead of the name asked. */
const char *evsel__note(const struct evsel *e);
/* Whether it takes one of the CPU PMU's counters (hardware, cache, raw,
 * the cpu PMU): those must fit the PMU at once. */
bool evsel__is_hardware(const struct evsel *e);
/* One fd per CPU 0..@ncpus-1, pid -1, enabled. A CPU that is offline
 * keeps fd -1. 0, or the -errno of the first CPU that refused. */
int evsel__open(struct evsel *e, int ncpus);
/* The fd on @cpu, -1 when none. */
int evsel__fd(const struct evsel *e, int cpu);
int evsel__read(const struct evsel *e, int cpu, struct evsel_counts *c);
void evsel__close(struct evsel *e);

/* val scaled by ena/run like libperf's perf_counts_values__scale: 0 not
 * scaled, 1 scaled, -1 never ran (val set to 0). */
int evsel_counts__scale(struct evsel_counts *c);

/* Why perf_event_open refused @e with @err, in words for one line. */
const char *evsel__strerror(const struct evsel *e, int err);

struct evlist_opts {
	const char *sysfs; /* NULL: EVSEL_SYSFS_PMUS */
	int ncpus;	   /* 0: the possible CPUs */
};

struct evlist *evlist__new(const struct evlist_opts *opts);
void evlist__free(struct evlist *l);
/* Adds one event by name. 0; -E2BIG past SCOPE_MAX_COUNTERS, -EEXIST for
 * a name already there, else evsel__parse's error (said on stderr). */
int evlist__add(struct evlist *l, const char *name);
/* Adds each of a comma-separated list (commas inside PMU/.../ belong to
 * the event). 0 or the first error. */
int evlist__add_list(struct evlist *l, const char *list);

/* Before the run: opens every event on every CPU. One warning line for
 * each event this host cannot count, which is dropped; then the hardware
 * events are opened once more as one group per CPU, to refuse what the PMU
 * cannot hold at once instead of multiplexing it. 0 when at least one
 * event is left; -ENOENT when none is (said), -E2BIG when the hardware
 * events do not fit (said, with how many do), or another -errno. */
int evlist__open(struct evlist *l);

size_t evlist__nr(const struct evlist *l);	   /* events kept */
size_t evlist__nr_dropped(const struct evlist *l); /* unavailable ones */
struct evsel *evlist__evsel(const struct evlist *l, size_t i);
int evlist__ncpus(const struct evlist *l);
/* The fds for a BPF_MAP_TYPE_PERF_EVENT_ARRAY: fds[event * ncpus + cpu],
 * -1 where a CPU has none. @n must be at least nr * ncpus. 0 or -ENOSPC. */
int evlist__perf_array_fds(const struct evlist *l, int *fds, size_t n);
void evlist__close(struct evlist *l);

/* The generic names evsel__parse knows, NULL-terminated, for listings. */
extern const char *const evsel__generic_names[];

#endif /* SCOPE_COUNTERS_EVSEL_H */
