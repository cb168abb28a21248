/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The profile data model: what one profiling run leaves behind, built by the
 * agent's consumer, written and read by hdf5/, shown by report/. No module
 * below this one: it depends on nothing but the C library. */
#ifndef SCOPE_PROFILE_H
#define SCOPE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "profile/losses.h"
#include "profile/regions.h"

#define PROFILE_SCHEMA_NAME "scope-bpf"
/* The newest schema this build reads. A file without /trace is still
 * written as version 1, which older readers read; a trace file (/trace,
 * docs/hdf5-schema.md) is version 2 from its creation on, so that an
 * older reader says "newer" rather than "corrupt" of one still running. */
#define PROFILE_SCHEMA_VERSION	     2
#define PROFILE_SCHEMA_VERSION_PLAIN 1
#define PROFILE_SCHEMA_VERSION_TRACE 2

struct profile_meta {
	char *tool_version;
	char *mode;    /* "run" or "attach" */
	char *command; /* the target's command line */
	int64_t pid;   /* target tgid */
	char *host;
	char *kernel;	       /* uname -r */
	char *start_time;      /* UTC, ISO 8601 */
	char *clock;	       /* "CLOCK_MONOTONIC" */
	char *options;	       /* the agent's command line */
	uint64_t start_ns;     /* clock value when probes were live */
	uint64_t end_ns;       /* clock value when the agent stopped */
	int64_t exit_status;   /* target's under run, else -1 (not our child) */
	int64_t target_exited; /* 1: the target ended during the profile */
	uint64_t records;      /* interval records received */
	uint64_t losses[LOSS__COUNT]; /* indexed by enum loss (profile/losses.h)
				       */
	uint64_t ringbuf_bytes;
	/* run: the command's descendants that hit probes, not followed */
	uint64_t unfollowed_processes;
	/* execs of the target into files without probes */
	uint64_t unfollowed_execs;
	/* libraries with markers mapped after attach, not probed */
	uint64_t late_libraries;
	/* the probe sites used: "trap" (1-byte nops) or "nop5" (5-byte nops,
	 * where the markers have them); "" in files from before the choice */
	char *site_mode;
	/* ns per region (two hits) of an empty BPF program at each site, as
	 * timed at start-up under --site-mode=auto; 0: not timed */
	uint64_t site_cost_trap_ns;
	uint64_t site_cost_nop5_ns;
	/* 1: the target mapped the kernel's [uprobes] trampoline (nop5 sites
	 * optimised into calls), 0: not seen */
	uint64_t site_trampoline;
	/* the target's own site trial under auto (agent/site_trial.h): what
	 * it did, and the target's CPU time a region it measured at each
	 * site (0: not measured) */
	char *site_trial;
	uint64_t site_trial_trap_ns;
	uint64_t site_trial_nop5_ns;
	/* What one probe pair costs on this host, measured by the agent at
	 * start (docs/compensation.md); all 0 under --no-calibrate. The share
	 * a region's own duration includes (BEGIN after its timestamp, END
	 * before its), and the whole cost of a child's BEGIN+END as its
	 * parent sees it; each with its spread (p90 - p10). */
	uint64_t calib_inregion_ns;
	uint64_t calib_pair_ns;
	uint64_t calib_inregion_spread_ns;
	uint64_t calib_pair_spread_ns;
	char *calib_method; /* how they were measured; "" when they were not */
	/* regions of @records aggregated in the kernel (docs/performance.md);
	 * the rest came through the ring one by one */
	uint64_t aggregated;
	/* of those through the ring, the ones the kernel's table had no room
	 * for */
	uint64_t agg_full;
	/* threads whose region stacks the probes find without a helper call
	 * (0: none, every stack in task storage), and the threads that found
	 * them all taken (bpf/thread_stack.h) */
	uint64_t stack_slots;
	uint64_t slotless_threads;
	/* probes of threads with a slot that paid the task storage lookup
	 * all the same (a thread's first, after a failed switch lookup) */
	uint64_t stack_slot_misses;
	/* How the counters' per-region deltas were taken, "" without
	 * counters (docs/counters.md) */
	char *counter_method;
	/* --group: the LIKWID group's name and its file's text, whose
	 * metrics report evaluates; "" without */
	char *likwid_group;
	char *likwid_group_text;
	/* the CPU's nominal clock (Hz) for LIKWID's inverseClock; 0 unknown */
	uint64_t cpu_clock_hz;
	/* --trace: intervals in /trace, those lost on the way (a full ring
	 * or writer buffer: the statistics have them), and those left out
	 * once --trace-max was reached; all 0 without a trace */
	uint64_t trace_intervals;
	uint64_t trace_dropped;
	uint64_t trace_past_max;
	/* not a field of the file: the profile was rebuilt from the
	 * intervals of a trace whose agent did not finish it (still
	 * running, or killed), so its losses and end are unknown */
	bool unfinished;
};

/* Bucket i counts durations d with floor(log2(d)) == i (d = 0 goes to 0). */
#define PROFILE_HIST_BUCKETS 64

/* Counters a profile holds at most (--counters, --group). */
#define PROFILE_MAX_COUNTERS 8

/* One counter of the profile: a perf event as the agent opened it. Its
 * per-region values are column @index of region_stats.counter_incl and
 * counter_self. */
struct profile_counter {
	uint32_t index;
	uint32_t type;	 /* perf_event_attr.type */
	uint64_t config; /* perf_event_attr.config, config1, config2 */
	uint64_t config1;
	uint64_t config2;
	/* over the whole run, summed over CPUs: running < enabled means the
	 * PMU multiplexed the event (the agent refuses that beforehand) */
	uint64_t enabled_ns;
	uint64_t running_ns;
	char *name;    /* as asked: "task-clock", "r01c2", "cpu/event=0x3c/" */
	char *counter; /* --group: the LIKWID counter (PMC0, FIXC1), else "" */
	char *units;   /* "count", or "ns" for the clocks */
	char *note;    /* what was counted instead of the name, or "" */
};

/* Statistics of one region in one thread of one process. */
struct region_stats {
	uint32_t pid;
	uint32_t tid;
	uint32_t region;
	uint32_t reserved;
	uint64_t calls;
	uint64_t total_ns; /* inclusive */
	uint64_t self_ns;  /* total minus time in nested regions */
	uint64_t min_ns;
	uint64_t max_ns;
	/* regions that ended directly inside this one: their probes' cost
	 * is in total_ns and self_ns (docs/compensation.md) */
	uint64_t child_calls;
	uint64_t hist[PROFILE_HIST_BUCKETS];
	/* counter deltas summed over calls, inclusive and without the
	 * nested regions' (profile.counters gives the columns in use) */
	uint64_t counter_incl[PROFILE_MAX_COUNTERS];
	uint64_t counter_self[PROFILE_MAX_COUNTERS];
};

/* Statistics of one call path in one thread: a region entered under a
 * chain of enclosing ones. Rows link to their parent path, so the call
 * tree is rebuilt from them; a region's per-path rows sum to its stats
 * row (minus the histogram, min and max, which only stats keeps). */
struct path_stats {
	uint32_t pid;
	uint32_t tid;
	uint32_t region;
	uint32_t depth;	      /* 0: outermost */
	uint64_t path;	      /* an id unique in the profile (scope_path_of) */
	uint64_t parent_path; /* 0 at depth 0 */
	uint64_t calls;
	uint64_t total_ns;
	uint64_t self_ns;
	uint64_t child_calls;
	uint64_t counter_incl[PROFILE_MAX_COUNTERS];
	uint64_t counter_self[PROFILE_MAX_COUNTERS];
};

struct profile_thread {
	uint32_t pid;
	uint32_t tid;
	char *comm;
};

struct profile {
	struct profile_meta meta;
	struct region_table regions;
	struct profile_thread *threads;
	size_t nthreads;
	struct region_stats *stats;
	size_t nstats;
	struct profile_counter *counters;
	size_t ncounters;
	/* none in files from before call paths */
	struct path_stats *paths;
	size_t npaths;
	/* the paths' counter_incl and counter_self hold the counters; false
	 * in files from before per-path counters (the columns read 0) */
	bool paths_counted;
};

/* How a field of the profile is stored: the C type of its member. */
enum profile_kind {
	PROFILE_U32,
	PROFILE_U64,
	PROFILE_I64,
	PROFILE_STR, /* char * */
};

/* One field of a profile struct, for the code that walks them all (the
 * HDF5 file, the CSV's metadata block). */
struct profile_field {
	const char *name;
	size_t offset; /* in the struct */
	enum profile_kind kind;
	const char *units; /* "ns", "count", "bytes"; NULL: none (ids, names) */
	/* added after files were written without it: such a file reads 0 or
	 * "" there rather than being refused */
	bool later;
};

/* Field @i of struct profile_meta (the losses included, under their loss
 * table names) into @out; false past the last. */
bool profile_meta__field(size_t i, struct profile_field *out);

void profile_counter__free(struct profile_counter *c);
/* Frees what profile__free's callers own: every string, row and table. */
void profile__free(struct profile *p);
void profile_meta__free(struct profile_meta *m);

#endif /* SCOPE_PROFILE_H */
