/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The record layout shared by the BPF producer (bpf/) and the agent. */
#ifndef SCOPE_BPF_RECORD_H
#define SCOPE_BPF_RECORD_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/* Frames per thread stack in BPF task storage. Deeper regions are counted as
 * depth overflows and skipped, their ENDs matched by count. */
#define SCOPE_MAX_DEPTH 64

/* Perf events the probes read at each region's begin and end (--counters,
 * --group). */
#define SCOPE_MAX_COUNTERS 8

/* BPF cookie of an end site that closes the innermost open region. */
#define SCOPE_REGION_INNERMOST 0xffffffffu
/* BPF cookie bit of a function's probes (--func), entry and return: the
 * region id is in the low 32 bits. */
#define SCOPE_COOKIE_FUNCTION (1ull << 32)
/* BPF cookie bits of a marker site that has both forms (API version 2 and
 * later), one for the link at its 1-byte nop, one for the link at its
 * 5-byte nop. The agent may hold both links of a site for a moment while it
 * moves the target from one form to the other (its site trial): a probe
 * acts only through the form the bss says, and a marker run once is one
 * BEGIN or END whatever the moment of the switch (form_skips in
 * bpf/regions.bpf.c). Sites with neither bit always act. */
#define SCOPE_COOKIE_TRAP_FORM (1ull << 33)
#define SCOPE_COOKIE_NOP5_FORM (1ull << 34)
/* The 5-byte nop of a marker lies this far after its 1-byte nop (the lea
 * between them is 5 bytes: include/scope_bpf.h, SCOPE_BPF_NOP5_FORM). */
#define SCOPE_NOP5_AFTER_TRAP 6
/* and the lea moves %rsp this far down first, past the red zone */
#define SCOPE_MARKER_RSP_DROP 128
/* Return probes the kernel keeps pending per thread (MAX_URETPROBE_DEPTH
 * in kernel/events/uprobes.c): a function entered with this many pending
 * gets no return probe, so its call is not timed but counted. */
#define SCOPE_URETPROBE_DEPTH 64
/* parent of a region opened at depth 0. */
#define SCOPE_REGION_NONE 0xffffffffu
/* A frame whose run-time name could not be read at its BEGIN (its page was
 * not mapped in yet: a probe cannot fault it in); its END, which reads the
 * same name once the code has touched it, gives it its region. */
#define SCOPE_REGION_PENDING 0xfffffffeu

/* Regions named at run time (scope_bpf_begin_named, LIKWID's tags): the
 * probes number each distinct name from here up, in the order they first
 * meet it, and the agent reads the names back from the named_ids map. */
#define SCOPE_REGION_NAMED_BASE 0x40000000u
/* Distinct run-time names a profile holds; past it their regions are
 * counted (named_full) and not recorded. */
#define SCOPE_MAX_NAMED_REGIONS 16384
/* Name addresses the probes remember (an LRU: an old one is read again). */
#define SCOPE_MAX_NAME_ADDRS 65536
/* Bytes of a run-time name read, its NUL included (SCOPE_BPF_NAME_MAX). */
#define SCOPE_NAME_LEN 64

static inline int scope_region_is_named(__u32 region)
{
	return region >= SCOPE_REGION_NAMED_BASE &&
	       region < SCOPE_REGION_NAMED_BASE + SCOPE_MAX_NAMED_REGIONS;
}

/* The key of named_ids: a name, NUL-padded to its full size. */
struct scope_name {
	char s[SCOPE_NAME_LEN];
};

/* Its value: the region's id and the cookie of the site that met the name
 * first (the agent's number for the site, for a location). */
struct scope_named {
	__u32 region;
	__u32 site;
};

/* The address cache: where a process keeps a name, and which name that
 * was, to check on each hit that the address still holds it. */
struct scope_name_addr {
	__u32 tgid;
	__u32 reserved;
	__u64 addr;
};

/* Where a language binding says a run-time name comes from: the bytes
 * after the name's NUL when they start with SCOPE_BPF_NAME_AT (the tag and
 * "file:line", cut at SCOPE_WHERE_LEN - 1 bytes), read when the probe first
 * meets the name at an address; the first such location of a region wins
 * (named_where: region -> scope_name_where). */
#define SCOPE_WHERE_LEN 256

struct scope_name_where {
	char s[SCOPE_WHERE_LEN];
};

struct scope_name_seen {
	__u32 region;
	__u32 len; /* of name, its NUL included */
	struct scope_name name;
};

enum scope_record_type {
	/* a region that began and ended on this thread */
	SCOPE_REC_INTERVAL = 1,
	/* a region still open when its thread exited (end_ns = exit time) */
	SCOPE_REC_UNFINISHED = 2,
	/* trace mode: a region the kernel has aggregated already, sent for
	 * the trace only */
	SCOPE_REC_TRACED = 3,
	/* trace mode: a region to aggregate (the kernel's table was full, or
	 * SCOPE_BPF_AGGREGATE=ring) and to trace */
	SCOPE_REC_INTERVAL_TRACED = 4,
	/* trace mode with counters: the counter deltas of the record before
	 * it (struct scope_counts_record) */
	SCOPE_REC_COUNTS = 5,
};

/* One record per completed (or abandoned at exit) region instance. */
struct scope_record {
	__u64 start_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 end_ns;
	__u64 child_ns; /* time spent in directly nested regions */
	__u32 region;	/* region id (the BPF cookie of its sites) */
	__u32 parent;	/* enclosing region id or SCOPE_REGION_NONE */
	__u16 type;	/* enum scope_record_type */
	__u16 depth;	/* 0 = outermost */
	/* directly nested regions that ended inside this one: each paid a
	 * BEGIN and an END probe that the parent's duration includes, which
	 * the report takes back out (docs/compensation.md) */
	__u32 child_calls;
	/* the call path: this region under its enclosing ones
	 * (scope_path_of), and the enclosing region's path (0 at depth 0) */
	__u64 path;
	__u64 parent_path;
};

_Static_assert(sizeof(struct scope_record) == 56, "record layout is ABI");

/* Trace mode with counters: each traced record (SCOPE_REC_TRACED,
 * SCOPE_REC_INTERVAL_TRACED) is followed in its batch by the records of its
 * counter deltas, END minus BEGIN (scope_counts_records(ncounters) of
 * them, never split from it across batches). A record of its own type
 * rather than a longer record: without counters a record stays 56 bytes
 * and the hot path is the same. Counters first .. first + 5, in lo then
 * hi, around the type that every record has at the same place. */
struct scope_counts_record {
	__u64 lo[4];
	__u16 type; /* SCOPE_REC_COUNTS */
	__u16 first;
	__u32 reserved;
	__u64 hi[2];
};

#define SCOPE_COUNTS_PER_RECORD 6

/* The counts records that follow a traced record with @ncounters
 * counters. */
#define scope_counts_records(ncounters)                                        \
	(((ncounters) + SCOPE_COUNTS_PER_RECORD - 1) / SCOPE_COUNTS_PER_RECORD)

_Static_assert(sizeof(struct scope_counts_record) ==
		       sizeof(struct scope_record),
	       "a counts record takes a record's place");
_Static_assert(__builtin_offsetof(struct scope_counts_record, type) ==
		       __builtin_offsetof(struct scope_record, type),
	       "every record has its type at the same place");

/* A call path's id: the path of @region entered under @parent (0: none),
 * a 64-bit mix of both (splitmix64's finaliser), so that a thread's
 * regions aggregate per path and a tree is rebuilt from parent links. Two
 * paths of a profile colliding is a 2^-64 chance per pair. */
static inline __u64 scope_path_of(__u64 parent, __u32 region)
{
	__u64 z = parent * 0x9e3779b97f4a7c15ull + region + 1;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ?: 1; /* 0 means no parent */
}

/* Records a thread keeps before it hands them to the ring buffer at once:
 * one ring-buffer reservation (a spinlock, a header, helper calls) per
 * SCOPE_BATCH regions rather than per region. */
#define SCOPE_BATCH 64

/* One ring-buffer sample: a thread's records, as many as the sample's size
 * holds after the header ((size - sizeof(struct scope_batch_header)) /
 * sizeof(struct scope_record), at least one). */
#define SCOPE_COMM_LEN 16 /* TASK_COMM_LEN */

struct scope_batch_header {
	__u32 pid; /* tgid */
	__u32 tid;
	/* the thread's number in this profile (its stack's), so that a tid
	 * the kernel hands out again is another thread's aggregates */
	__u32 serial;
	__u32 flags; /* SCOPE_BATCH_F_* */
	/* the thread's name when the batch left (NUL-padded): every batch
	 * carries it, the exit flush too, so the agent keeps the last name a
	 * thread had even when the thread is long gone from /proc */
	char comm[SCOPE_COMM_LEN];
};

_Static_assert(sizeof(struct scope_batch_header) == 32,
	       "batch header layout is ABI");

/* Flags of a batch header. A sample may be a header alone when one of them
 * says why. */
enum {
	/* the thread has aggregates in the kernel's table (scope_agg) */
	SCOPE_BATCH_F_AGGREGATED = 1,
	/* the thread exited: its aggregates are final */
	SCOPE_BATCH_F_EXIT = 2,
	/* a header alone, from the dynamic linker's probe: the target's link
	 * map changes (dlopen, dlclose); no aggregates implied */
	SCOPE_BATCH_F_LINK_MAP = 4,
};

struct scope_batch {
	struct scope_batch_header hdr;
	struct scope_record rec[SCOPE_BATCH];
};

/* In-kernel aggregation: each thread folds the regions it ends into its own
 * entries of a BPF hash, so a region costs a lookup and a few adds instead
 * of a record, and the agent reads the table at thread exit and at the end.
 * One writer per entry (its thread): no atomics. */
#define SCOPE_HIST_BUCKETS 64 /* bucket i: floor(log2(ns)) == i, 0 -> 0 */

struct scope_agg_key {
	__u32 pid;
	__u32 tid;
	__u32 serial; /* the batch header's */
	__u32 region;
	__u64 path; /* a region has an entry per call path */
};

struct scope_agg {
	__u64 parent_path; /* the key's path's parent, 0 at depth 0 */
	__u32 depth;
	__u32 reserved;
	__u64 calls;
	__u64 child_calls; /* regions ended directly inside these */
	__u64 total_ns;
	__u64 self_ns;
	__u64 min_ns; /* valid when calls > 0 */
	__u64 max_ns;
	__u64 hist[SCOPE_HIST_BUCKETS];
	/* counter deltas (columns: the agent's events), inclusive and not */
	__u64 counter_incl[SCOPE_MAX_COUNTERS];
	__u64 counter_self[SCOPE_MAX_COUNTERS];
};

/* A thread's own aggregates (SCOPE_LOCAL_AGGS call paths), beside its stack
 * in task storage: a region that ends on one of them costs a few loads and
 * adds, without the aggs table's hash lookup. Each path here also has its
 * entry in aggs, made when the path took its slot (so the table's capacity
 * and its full-table fallback are as without them); the thread's exit, and
 * the agent's final pass, add these into those entries (a spill), which is
 * where the agent reads them. An open-addressed table: the slot of a path
 * is the first free or matching one from its low bits on. */
#define SCOPE_LOCAL_AGGS 8

struct scope_local_aggs {
	__u64 path[SCOPE_LOCAL_AGGS]; /* 0: a free slot */
	__u32 region[SCOPE_LOCAL_AGGS];
	/* nonzero while a spill runs: a thread's exit and the agent's final
	 * pass may meet, and the adds must happen once */
	__u32 spilling;
	__u32 reserved;
	struct scope_agg agg[SCOPE_LOCAL_AGGS];
};

/* A thread's region stack, the value of the BPF task storage map. */
struct scope_frame {
	__u64 start_ns;
	__u64 child_ns;
	__u32 region;
	__u32 child_calls; /* children ended so far */
	__u64 path;	   /* scope_path_of(the parent's path, region) */
	/* a function's (--func): the stack pointer at its entry, which
	 * tells the frames a longjmp or a throw left behind; 0: a marker's */
	__u64 sp;
};

struct scope_thread_stack {
	/* may exceed the depth limit: frames past it are only counted */
	__u32 depth;
	/* records waiting in out.rec; taken with an atomic exchange, so a
	 * batch is flushed once when a thread's exit and the agent's final
	 * flush meet */
	__u32 pending;
	/* SCOPE_UNFOLLOWED_*: a thread of another process than the target,
	 * seen when the probes fire in every process (run) */
	__u32 unfollowed;
	/* of the pending records, those for the trace only: lost, they are
	 * no region lost (the kernel aggregated them) */
	__u32 pending_traced;
	/* of the pending records, counts records (trace mode with counters):
	 * no region either */
	__u32 pending_counts;
	/* whether the probe at form_ip, a 1-byte nop, acted, and %rsp
	 * there (form_skips) */
	__u32 form_acted;
	__u64 form_ip;
	__u64 form_sp;
	/* out.hdr also holds the thread's ids, serial and flags */
	struct scope_batch out;
	struct scope_frame frames[SCOPE_MAX_DEPTH];
	/* The thread's first SCOPE_LOCAL_AGGS call paths fold here, the
	 * rest into the aggs table: see struct scope_local_aggs. */
	struct scope_local_aggs local;
};

/* Counters (--counters). The events count per CPU, whatever runs there; a
 * thread's own count is what they advanced while it ran. At each context
 * switch the outgoing thread adds what its CPU counted since the last
 * switch (the one that brought it in) to its virt, and the CPU keeps the
 * values of this switch; a thread's count now is virt plus what its CPU
 * counted since. Nothing in the scheduler's path needs the incoming task,
 * nor task storage (which a tracing program may find busy). */
struct scope_cpu_switch {
	__u64 count[SCOPE_MAX_COUNTERS]; /* at this CPU's last switch */
	/* switches so far: a probe preempted while it reads (a helper's
	 * preempt_enable is a preemption point) sees it move, and reads
	 * again */
	__u64 seq;
};

struct scope_thread_virt {
	__u64 virt[SCOPE_MAX_COUNTERS]; /* up to the last switch-out */
};

/* The counts of an open region, in a task storage map of their own that
 * only profiles with counters fill. */
struct scope_count_frame {
	__u64 start[SCOPE_MAX_COUNTERS]; /* the thread's counts at BEGIN */
	__u64 child[SCOPE_MAX_COUNTERS]; /* of regions ended inside */
	__u64 stamp; /* the frame's start_ns: whether BEGIN filled it */
};

struct scope_thread_counts {
	struct scope_count_frame frames[SCOPE_MAX_DEPTH];
	/* the deltas of the region that ended last (count_end), for its
	 * trace record; ended_stamp is its start_ns, 0 when they could not
	 * be counted */
	__u64 ended[SCOPE_MAX_COUNTERS];
	__u64 ended_stamp;
};

/* Threads with counters at once (the virt table). */
#define SCOPE_MAX_COUNTED_THREADS 65536

/* Event counters kept by the BPF side in .bss, read by the agent at the end. */
struct scope_bpf_counters {
	__u64 dropped;	       /* ring buffer full: record lost */
	__u64 depth_overflow;  /* BEGIN beyond SCOPE_MAX_DEPTH (region skipped)
				*/
	__u64 unmatched_end;   /* END with no matching open region */
	__u64 abandoned;       /* frames skipped by an END of an outer region */
	__u64 no_storage;      /* task storage could not be allocated */
	__u64 unfollowed_hits; /* BEGINs in the target's descendants */
	__u64 other_hits;      /* BEGINs in unrelated processes */
	__u64 unfollowed_untracked; /* descendants past SCOPE_MAX_UNFOLLOWED */
	__u64 unprobed_execs;	    /* the target's execs of unprobed files */
	__u64 probed_execs;	    /* the target's execs of probed files */
	/* regions sent through the ring because the kernel's aggregate
	 * table was full (not lost: the agent aggregates them) */
	__u64 agg_full;
	/* counter reads that failed (bpf_perf_event_read_value): the delta
	 * of that read's region is short */
	__u64 counter_errors;
	/* trace mode: records of aggregated regions the ring had no room
	 * for (the trace misses them, the statistics do not) */
	__u64 trace_dropped;
	/* run-time names (scope_bpf_begin_named): regions whose name could
	 * not be read (not recorded), names cut at SCOPE_NAME_LEN - 1 bytes
	 * (recorded under the cut name), and regions past
	 * SCOPE_MAX_NAMED_REGIONS distinct names (not recorded) */
	__u64 named_unreadable;
	__u64 named_truncated;
	__u64 named_full;
	/* function entries (--func) whose return the kernel did not probe:
	 * SCOPE_URETPROBE_DEPTH return probes were pending in the thread */
	__u64 returns_omitted;
	/* threads of the profile that found every stack slot taken: their
	 * stacks are in task storage, their probes a lookup slower
	 * (bpf/thread_stack.h) */
	__u64 slotless_threads;
	/* probes of a thread with a slot whose CPU did not know it (its first
	 * probe, a failed lookup at a switch): each paid the task storage
	 * lookup; and slots that could not go back (never expected) */
	__u64 slot_misses;
	__u64 slots_lost;
};

/* Trace mode's --trace-regions: region ids the trace keeps (a BPF array). */
#define SCOPE_MAX_TRACE_REGIONS 65536

/* Entries (threads x regions) the table holds at most; the agent may
 * change it. Past it, regions go through the ring (agg_full). */
#define SCOPE_AGG_ENTRIES (1u << 18)

/* A file as the kernel names it: the key of the probed files' map. @dev is
 * the kernel's encoding (major << 20 | minor), not glibc's st_dev. */
struct scope_file_id {
	__u64 ino;
	__u32 dev;
	__u32 reserved;
};

/* Files the exec program can recognise as probed. */
#define SCOPE_MAX_PROBED_FILES 1024
/* Bytes of the last exec'd file name kept (last_exec in .bss). */
#define SCOPE_EXEC_NAME_LEN 256

/* The unfollowed field of a thread stack. */
enum {
	SCOPE_UNFOLLOWED_NO = 0,
	SCOPE_UNFOLLOWED_CHILD = 1, /* the target's descendant (fork) */
	SCOPE_UNFOLLOWED_OTHER = 2, /* another process with the same binary */
};

/* Descendant processes whose hits are counted one by one (a BPF hash). */
#define SCOPE_MAX_UNFOLLOWED 1024
/* Parents walked up from a hitting process to find the target. */
#define SCOPE_ANCESTRY_DEPTH 8

/* Signals 1..31 (the standard ones) whose delivery to the target BPF
 * timestamps (target_signal_ns in .bss). */
#define SCOPE_NSIG_TRACKED 32

#endif /* SCOPE_BPF_RECORD_H */
