/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as the agent sees it: load the object, attach region sites,
 * read its counters. */
#ifndef SCOPE_PROBES_H
#define SCOPE_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scope_bpf_record.h"

struct probes;

struct probes_opts {
	pid_t pid;	      /* the only process the probes fire for */
	uint32_t max_depth;   /* <= SCOPE_MAX_DEPTH */
	size_t ringbuf_bytes; /* power of two, >= page size */
	/* probes fire in every process that maps a probed file, and BPF
	 * counts the hits of the others (a fork of @pid inherits the probe
	 * sites) instead of the kernel filtering them out */
	bool all_processes;
	/* execs of @pid that are the agent's own start of it (run: 1), not
	 * counted as execs during the profile */
	uint32_t launch_execs;
	/* every region through the ring as a record, whatever
	 * SCOPE_BPF_AGGREGATE says: for readers of single regions */
	bool records;
	/* count the regions ended, for probes__regions_ended (the live
	 * status line); off, the probes do not pay for it */
	bool progress;
	/* perf events the probes read at each region's ends: @ncounters
	 * events on @ncpus CPUs, fds at event * ncpus + cpu (-1: none on
	 * that CPU) */
	/* --trace: records of the regions traced too; all of them, or with
	 * @trace_some only those probes__trace_region names */
	bool trace;
	bool trace_some;
	uint64_t trace_min_ns;
	uint32_t ncounters;
	uint32_t ncpus;
	const int *counter_fds;
};

/* Opens and loads the BPF object; NULL with errno set on failure. */
struct probes *probes__new(const struct probes_opts *opts);
void probes__free(struct probes *p);
/* The target's threads whose stacks the probes find without a helper call
 * (the agent's one apart); 0 when every stack is in task storage
 * (bpf/thread_stack.h). */
uint64_t probes__stack_slots(const struct probes *p);

struct probe_site {
	uint64_t offset; /* in the ELF file: the 1-byte nop of a marker */
	/* probes__attach_object: the same marker's 5-byte nop, 0 where it
	 * has none (API version 1, a function's entry) */
	uint64_t nop5_offset;
	uint64_t form;	 /* the probes' own: SCOPE_COOKIE_*_FORM or 0 */
	uint32_t kind;	 /* SCOPE_BPF_KIND_* */
	uint32_t region; /* ignored for END_INNERMOST */
};

/* The form the markers' sites are probed in from now on, by later
 * attaches (the 5-byte nops when @nop5); before any target site. */
void probes__set_form(struct probes *p, bool nop5);
bool probes__form_nop5(const struct probes *p);
/* Uprobes on the @n marker sites of the ELF file @path, each at its site
 * of the current form (its 1-byte nop where it has no 5-byte nop). 0 or
 * -errno. */
int probes__attach_object(struct probes *p, const char *path,
			  const struct probe_site *sites, size_t n);
/* Sites that have both forms: what probes__switch_form moves. */
size_t probes__switchable(const struct probes *p);
/* Moves every site that has both forms to the other form, the target
 * running: the other form's links are attached, the BPF side told which
 * form acts, and the old links removed (which waits for the kernel). No
 * region is counted twice or lost on the way (SCOPE_COOKIE_TRAP_FORM). 0,
 * or -errno with the old form in place. */
int probes__switch_form(struct probes *p);
/* The trial's count of regions ended, on or off (probes__regions_ended). */
void probes__count_ended(struct probes *p, bool on);
struct probe_func {
	uint64_t offset; /* of the entry probe, in the ELF file */
	uint32_t region;
};

/* A function region on each of @n functions of the ELF file @path: an
 * entry uprobe that opens the region and a return probe (uretprobe) that
 * ends it, both with the region id as cookie, marked as a function's
 * (SCOPE_COOKIE_FUNCTION). Two probes a function, which fire in the target
 * alone whatever all_processes says: a library's functions would otherwise
 * trap in every process that maps it. 0 or -errno. */
int probes__attach_functions(struct probes *p, const char *path,
			     const struct probe_func *f, size_t n);
/* Uprobes on @n marker sites of the agent's own executable, firing for the
 * agent alone, for its start-up pass (agent/calibrate.c): not counted in
 * probes__nsites, and an exec into the agent's file is no probed exec.
 * Before any other attach (-EBUSY after one). probes__detach leaves them:
 * they go with probes__free, after the profile is written. 0 or -errno. */
int probes__attach_self(struct probes *p, const struct probe_site *sites,
			size_t n);
/* Counts the target's execs, telling those into a probed file (their
 * probes fire again) from the others. 0 or -errno. */
int probes__attach_exec(struct probes *p);
/* The file name of the target's last exec into an unprobed file, "" if
 * none (at most SCOPE_EXEC_NAME_LEN - 1 bytes). */
const char *probes__last_exec(const struct probes *p);
/* --trace-regions: region @id is traced. 0 or -errno. */
int probes__trace_region(struct probes *p, uint32_t id);
/* A probe on the dynamic linker's r_brk at @offset of @path (ld.so's
 * _dl_debug_state), in process @pid alone (every process maps ld.so): each
 * change of the target's link map, once the map is whole again (the int
 * @state_delta bytes past the probe's address: _r_debug.r_state; 0 when
 * unknown, then at every call), wakes the agent (consumer__take_link_map)
 * and counts in probes__link_map_events. 0 or -errno. */
int probes__attach_link_map(struct probes *p, const char *path, uint64_t offset,
			    int64_t state_delta, pid_t pid);
/* Whether the target stops (SIGSTOP) at each such change until the agent
 * sends SIGCONT. */
void probes__set_link_map_stop(struct probes *p, bool on);
uint64_t probes__link_map_events(const struct probes *p);
/* Of those, the ones that stopped the target. */
uint64_t probes__link_map_stops(const struct probes *p);
/* Keeps each thread's share of the per-CPU counters as the scheduler
 * switches threads (with counters only). 0 or -errno. */
int probes__attach_counters(struct probes *p);
/* Reports regions still open when a thread exits, and hands its own
 * aggregates (regions.bpf.c) to the table; on failure regions fold into
 * the table directly. 0 or -errno. */
int probes__attach_exit(struct probes *p);
/* Sites with a probe. */
size_t probes__nsites(const struct probes *p);
/* Removes the agent's own probes (probes__attach_self) in a thread of
 * their own, since each removal may wait for the kernel; before any
 * target site is attached. 0 or -errno (they stay until probes__free). */
int probes__release_self(struct probes *p);
/* Starts and stops every probe at once (they are attached disabled). */
void probes__enable(struct probes *p, bool on);
/* Removes every probe (the maps stay readable); when it returns, no probe
 * runs any more, so every record is in the ring buffer. */
void probes__detach(struct probes *p);
/* Sends the records the target's live threads still hold in their batches
 * to the ring buffer, and returns the regions still open on them, read from
 * their stacks (after probes__detach, so they hold still). -errno when they
 * cannot be read. */
long probes__flush_threads(const struct probes *p);
/* Timestamps the stop signals that reach the target from other processes
 * than the agent and the target. 0 or -errno. */
int probes__attach_signals(struct probes *p);
/* When signal @sig last reached the target that way (CLOCK_MONOTONIC ns),
 * 0 if never. */
uint64_t probes__target_signal_ns(const struct probes *p, int sig);
/* Processes other than the target with counted hits: its descendants. */
size_t probes__unfollowed_processes(const struct probes *p);
int probes__ringbuf_fd(const struct probes *p);
/* The run-time names the probes have numbered: scope_name -> scope_named. */
int probes__named_fd(const struct probes *p);
/* Where bindings say those names come from: region -> scope_name_where. */
int probes__named_where_fd(const struct probes *p);
/* Whether regions are aggregated in the kernel, in the table at
 * probes__aggs_fd (scope_agg_key -> scope_agg), rather than sent as
 * records through the ring. */
bool probes__aggregates(const struct probes *p);
int probes__aggs_fd(const struct probes *p);
/* Empties the aggregates table: the agent's own start-up regions leave
 * entries that are no part of the profile (before any target site is
 * live). 0 or -errno. */
int probes__reset_aggregates(struct probes *p);
void probes__counters(const struct probes *p, struct scope_bpf_counters *out);
/* Regions ended so far, on every CPU, whichever path they took (kernel
 * aggregates or the ring); 0 unless opened with progress. 0 or -errno. */
int probes__regions_ended(const struct probes *p, uint64_t *out);

#endif /* SCOPE_PROBES_H */
