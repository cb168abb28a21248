// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Produces interval records: a per-thread region stack fed by uprobes on the
 * marker sites; each region that ends becomes a record in its thread's
 * batch, and a full batch goes to the ring buffer as one sample.
 *
 * The hot path is every helper call it does not make: each costs a call and
 * a return into the kernel, and the return is what the CPU's mitigations
 * make slow. A region pays a timestamp and the site's cookie at each end
 * (the thread's stack costs no call: thread_stack.h), and a 1/SCOPE_BATCH
 * share of a ring-buffer write. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "scope_bpf.h"
#include "scope_bpf_record.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Settings, written by the agent between open and load. */
const volatile __u32 max_depth = SCOPE_MAX_DEPTH;
const volatile __u32 target_tgid = 0;
/* The agent itself: its start-up pass (agent/calibrate.c) probes its own
 * markers with this object before the target's are attached, so its
 * threads are followed too rather than counted as other processes. */
const volatile __u32 agent_tgid = 0;
/* Bytes waiting in the ring buffer past which a flush wakes the agent; below
 * it the agent drains on its own timer and producers never pay a wakeup. */
const volatile __u64 wakeup_bytes = 4 << 20;
/* Regions fold into the aggs table (1) or go to the ring one by one (0:
 * what a trace needs, and the agent-side aggregation to compare with). */
const volatile __u32 aggregate = 1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* resized by the agent */
} records SEC(".maps");

struct scope_bpf_counters counters = {};

/* the maps that hold each thread's stack, and how a probe finds it */
#include "thread_stack.h"

/* Per (thread, call path) statistics; entries of exited threads are taken
 * out by the agent. Allocated on first use: memory follows threads x paths.
 * A thread's first SCOPE_LOCAL_AGGS paths fold in its task storage and are
 * added here at its exit (spill). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SCOPE_AGG_ENTRIES); /* resized by the agent */
	__type(key, struct scope_agg_key);
	__type(value, struct scope_agg);
} aggs SEC(".maps");

/* A new entry's value (a map value: too big for the BPF stack). */
static struct scope_agg agg_zero;

/* Counters: per-CPU perf events at event * ncpus + cpu, opened by the
 * agent (userspace/counters/); none when ncounters is 0, and then the
 * verifier drops every counter branch. */
const volatile __u32 ncounters = 0;
const volatile __u32 ncpus = 1;

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 1); /* resized by the agent */
} pmcs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scope_thread_counts);
} cstacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scope_cpu_switch);
} cswitch SEC(".maps");

/* By tid; an exited thread's entry goes with it (thread_exit). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SCOPE_MAX_COUNTED_THREADS);
	__type(key, __u32);
	__type(value, struct scope_thread_virt);
} cvirt SEC(".maps");

static struct scope_thread_virt virt_zero;

/* Thread numbers handed out so far. */
__u32 threads_seen;

/* Written by the agent through the mmap'ed .bss: probes produce nothing
 * until every site is attached, and nothing once the agent starts to
 * detach, so a profile starts and stops at one instant for all sites
 * rather than link by link. */
volatile __u32 enabled;

/* Hands a thread's pending records to the ring buffer. The exchange makes
 * the flush happen once when the thread's exit and the agent's final flush
 * race for the same batch. */
static __always_inline void flush(struct scope_thread_stack *st)
{
	__u32 n = __sync_lock_test_and_set(&st->pending, 0);
	__u32 traced = __sync_lock_test_and_set(&st->pending_traced, 0);
	__u32 counts = 0;
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (ncounters)
		counts = __sync_lock_test_and_set(&st->pending_counts, 0);
	if (!n)
		return;
	if (n > SCOPE_BATCH)
		n = SCOPE_BATCH;
	if (traced > n)
		traced = n;
	/* counts records are no region: neither dropped nor trace_dropped */
	if (counts > n - traced)
		counts = n - traced;
	if (bpf_ringbuf_query(&records, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	if (!bpf_ringbuf_output(
		    &records, &st->out,
		    sizeof(st->out.hdr) + n * sizeof(st->out.rec[0]), flags))
		return;
	__sync_fetch_and_add(&counters.dropped, n - traced - counts);
	if (traced)
		__sync_fetch_and_add(&counters.trace_dropped, traced);
}

/* The region enclosing frame @i, or SCOPE_REGION_NONE at depth 0. */
static __always_inline __u32 parent_region(const struct scope_thread_stack *st,
					   __u32 i)
{
	return i ? st->frames[(i - 1) & (SCOPE_MAX_DEPTH - 1)].region :
		   SCOPE_REGION_NONE;
}

/* The record of frame @i of @st, ended at @end_ns. */
static __always_inline void fill(struct scope_record *r, __u16 type,
				 const struct scope_thread_stack *st, __u32 i,
				 __u64 end_ns)
{
	const struct scope_frame *f = &st->frames[i & (SCOPE_MAX_DEPTH - 1)];

	r->start_ns = f->start_ns;
	r->end_ns = end_ns;
	r->child_ns = f->child_ns;
	r->region = f->region;
	r->parent = parent_region(st, i);
	r->type = type;
	r->depth = i;
	r->child_calls = f->child_calls;
	r->path = f->path;
	r->parent_path =
		i ? st->frames[(i - 1) & (SCOPE_MAX_DEPTH - 1)].path : 0;
}

/* The current thread's name into the batch header, just before a batch
 * leaves: one helper call per SCOPE_BATCH regions, and the name a thread
 * had last (pthread_setname_np after its first regions included). */
static __always_inline void name_batch(struct scope_thread_stack *st)
{
	bpf_get_current_comm(st->out.hdr.comm, sizeof(st->out.hdr.comm));
}

/* The same from the flush_threads iterator, which runs in the agent. */
static __always_inline void name_batch_of(struct scope_thread_stack *st,
					  struct task_struct *task)
{
	bpf_probe_read_kernel_str(st->out.hdr.comm, sizeof(st->out.hdr.comm),
				  task->comm);
}

/* Trace mode (--trace): regions also go to the ring as records, those of
 * the regions in trace_sel unless trace_all, no shorter than trace_min_ns.
 * A batch then also leaves when its first record is a second old, so the
 * trace file is at most about a second behind a busy thread. */
const volatile __u32 trace = 0;
const volatile __u32 trace_all = 1;
const volatile __u64 trace_min_ns = 0;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SCOPE_MAX_TRACE_REGIONS);
	__type(key, __u32);
	__type(value, __u8);
} trace_sel SEC(".maps");

#define TRACE_BATCH_AGE_NS 1000000000ull

/* Appends the record of frame @i, ended at @end_ns, to the thread's batch. */
static __always_inline void emit(struct scope_thread_stack *st, __u32 i,
				 __u64 end_ns, __u16 type)
{
	__u32 n = st->pending;

	if (n >= SCOPE_BATCH) /* never: a full batch is flushed at once */
		return;
	fill(&st->out.rec[n], type, st, i, end_ns);
	st->pending = n + 1;
	if (type == SCOPE_REC_TRACED)
		st->pending_traced++;
	if (n + 1 == SCOPE_BATCH ||
	    (trace && end_ns - st->out.rec[0].end_ns > TRACE_BATCH_AGE_NS)) {
		name_batch(st);
		flush(st);
	}
}

/* Trace mode with counters: the deltas of the region that started at
 * @stamp and ended last (count_end keeps them), as the counts records
 * after its record; zeros when they could not be counted (counter_errors
 * has it). emit_counted keeps room for them. */
static __always_inline void put_counts(struct scope_thread_stack *st,
				       __u64 stamp)
{
	struct scope_thread_counts *tc;
	const __u64 *d = NULL;

	tc = bpf_task_storage_get(&cstacks, bpf_get_current_task_btf(), 0, 0);
	if (tc && tc->ended_stamp == stamp)
		d = tc->ended;
	for (__u32 k = 0; k < scope_counts_records(SCOPE_MAX_COUNTERS); k++) {
		struct scope_counts_record *c;
		__u32 n = st->pending;

		if (k >= scope_counts_records(ncounters) || n >= SCOPE_BATCH)
			break;
		c = (void *)&st->out.rec[n & (SCOPE_BATCH - 1)];
		c->type = SCOPE_REC_COUNTS;
		c->first = k * SCOPE_COUNTS_PER_RECORD;
		c->reserved = 0;
		for (__u32 j = 0; j < SCOPE_COUNTS_PER_RECORD; j++) {
			__u32 e = k * SCOPE_COUNTS_PER_RECORD + j;
			__u64 v = d && e < ncounters ?
					  d[e & (SCOPE_MAX_COUNTERS - 1)] :
					  0;

			if (j < 4)
				c->lo[j & 3] = v;
			else
				c->hi[(j - 4) & 1] = v;
		}
		st->pending = n + 1;
		st->pending_counts++;
	}
}

/* emit, with counters and a trace: a traced record is followed by its
 * deltas, and a batch leaves as soon as it has no room for one more
 * record and its counts, so that the two never part. A global function,
 * called by record_type only then: the verifier checks it once, and
 * region_end is the same with counters and without (a call there, even
 * in a branch the verifier knows dead, made it verify a quarter
 * slower). */
__noinline int emit_counted(struct scope_thread_stack *st, __u32 i,
			    __u64 end_ns, __u16 type)
{
	__u32 n;

	if (!st)
		return -1;
	n = st->pending;
	if (n >= SCOPE_BATCH)
		return -1;
	fill(&st->out.rec[n], type, st, i, end_ns);
	st->pending = n + 1;
	if (type == SCOPE_REC_TRACED)
		st->pending_traced++;
	if (type != SCOPE_REC_INTERVAL)
		put_counts(st, st->frames[i & (SCOPE_MAX_DEPTH - 1)].start_ns);
	if (st->pending + 1 + scope_counts_records(ncounters) > SCOPE_BATCH ||
	    end_ns - st->out.rec[0].end_ns > TRACE_BATCH_AGE_NS) {
		name_batch(st);
		flush(st);
	}
	return 0;
}

/* Whether the trace keeps frame @i, ended at @end_ns. */
static __always_inline bool traced(const struct scope_thread_stack *st, __u32 i,
				   __u64 end_ns)
{
	const struct scope_frame *f = &st->frames[i & (SCOPE_MAX_DEPTH - 1)];
	__u32 region = f->region;
	__u8 *on;

	if (end_ns - f->start_ns < trace_min_ns)
		return false;
	if (trace_all)
		return true;
	on = bpf_map_lookup_elem(&trace_sel, &region);
	return on && *on;
}

/* A new stack learns its thread's ids once, for every batch it sends. */
static __always_inline void init_stack(struct scope_thread_stack *st)
{
	__u64 id = bpf_get_current_pid_tgid();

	st->out.hdr.pid = id >> 32;
	st->out.hdr.tid = (__u32)id;
	st->out.hdr.serial = __sync_fetch_and_add(&threads_seen, 1) + 1;
}

/* BEGINs from processes the agent does not follow (under run the probes
 * fire in every process that maps the binary): the command's children,
 * which inherit the probe sites through fork, by tgid; others in a sum. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCOPE_MAX_UNFOLLOWED);
	__type(key, __u32);
	__type(value, __u64);
} unfollowed SEC(".maps");

/* Whether the current process descends from the target, a few levels up. */
static __noinline int descends_from_target(void)
{
	struct task_struct *t = (void *)bpf_get_current_task();

	for (int i = 0; i < SCOPE_ANCESTRY_DEPTH; i++) {
		t = BPF_CORE_READ(t, real_parent);
		if (!t)
			return 0;
		if (BPF_CORE_READ(t, tgid) == target_tgid)
			return 1;
	}
	return 0;
}

/* Once per thread of another process: what it is to us. */
static __always_inline void classify(struct scope_thread_stack *st)
{
	if (st->out.hdr.pid == target_tgid || st->out.hdr.pid == agent_tgid)
		st->unfollowed = SCOPE_UNFOLLOWED_NO;
	else
		st->unfollowed = descends_from_target() ?
					 SCOPE_UNFOLLOWED_CHILD :
					 SCOPE_UNFOLLOWED_OTHER;
}

static __noinline int unfollowed_hit(__u32 tgid, __u32 kind)
{
	__u64 one = 1, *n;

	if (kind != SCOPE_UNFOLLOWED_CHILD) {
		__sync_fetch_and_add(&counters.other_hits, 1);
		return 0;
	}
	__sync_fetch_and_add(&counters.unfollowed_hits, 1);
	n = bpf_map_lookup_elem(&unfollowed, &tgid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else if (bpf_map_update_elem(&unfollowed, &tgid, &one, BPF_NOEXIST))
		__sync_fetch_and_add(&counters.unfollowed_untracked, 1);
	return 0;
}

/* Event @e's count on @cpu, the current one. */
static __always_inline __u64 cpu_count(__u32 e, __u32 cpu)
{
	struct bpf_perf_event_value v;

	if (bpf_perf_event_read_value(&pmcs, e * ncpus + cpu, &v, sizeof(v))) {
		__sync_fetch_and_add(&counters.counter_errors, 1);
		return 0;
	}
	return v.counter;
}

/* Reads of a thread's counts that a context switch may interrupt. */
#define SCOPE_COUNT_TRIES 3

/* The current thread's own counts now, into @now; -1 when they cannot be
 * known (no room for the thread in cvirt). */
static __always_inline int thread_counts(__u64 *now)
{
	__u32 cpu = bpf_get_smp_processor_id(), key = 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct scope_thread_virt *v;
	struct scope_cpu_switch *sw;

	v = bpf_map_lookup_elem(&cvirt, &tid);
	if (!v) {
		bpf_map_update_elem(&cvirt, &tid, &virt_zero, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&cvirt, &tid);
	}
	sw = bpf_map_lookup_elem(&cswitch, &key);
	if (!v || !sw)
		return -1;
	/* a switch between reading sw and the counter (the probe preempted,
	 * then back on this CPU: migration is off) would credit this thread
	 * with the other's time: read again until no switch fell between */
	for (int tries = 0; tries < SCOPE_COUNT_TRIES; tries++) {
		__u64 seq = *(volatile __u64 *)&sw->seq;

		for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
			if (e >= ncounters)
				break;
			now[e] = *(volatile __u64 *)&v->virt[e] +
				 (cpu_count(e, cpu) -
				  *(volatile __u64 *)&sw->count[e]);
		}
		if (*(volatile __u64 *)&sw->seq == seq)
			return 0;
	}
	return -1;
}

/* BEGIN's counts, into frame @d, which started at @stamp. Out of line, so
 * that without counters (ncounters 0) the verifier drops it whole. */
static __noinline int count_begin(__u32 d, __u64 stamp)
{
	struct scope_thread_counts *tc;
	struct scope_count_frame *f;
	__u64 now[SCOPE_MAX_COUNTERS] = {};

	tc = bpf_task_storage_get(&cstacks, bpf_get_current_task_btf(), 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tc || thread_counts(now)) {
		__sync_fetch_and_add(&counters.counter_errors, 1);
		return -1;
	}
	f = &tc->frames[d & (SCOPE_MAX_DEPTH - 1)];
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
		f->start[e] = now[e];
		f->child[e] = 0;
	}
	f->stamp = stamp;
	return 0;
}

/* Adds @delta of frame @f to @a. */
static __always_inline void add_counts(struct scope_agg *a,
				       const struct scope_count_frame *f,
				       const __u64 *delta)
{
	/* keeps the compiler from computing a's fields before the NULL
	 * check, which the verifier refuses */
	asm volatile("" : "+r"(a));
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
		if (e >= ncounters)
			break;
		a->counter_incl[e] += delta[e];
		a->counter_self[e] +=
			delta[e] > f->child[e] ? delta[e] - f->child[e] : 0;
	}
}

/* Trace mode: the deltas of the region that began at @stamp, for its
 * trace record (put_counts). */
static __always_inline void keep_ended(struct scope_thread_counts *tc,
				       __u64 stamp, const __u64 *delta)
{
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++)
		tc->ended[e] = delta[e];
	tc->ended_stamp = stamp;
}

/* END's deltas of frame @i, which started at @stamp, into @a (NULL: the
 * region went through the ring, without them) and into its parent's
 * children. */
static __noinline int count_end(__u32 i, __u64 stamp, struct scope_agg *a)
{
	struct scope_thread_counts *tc;
	struct scope_count_frame *f, *up;
	__u64 now[SCOPE_MAX_COUNTERS] = {};

	tc = bpf_task_storage_get(&cstacks, bpf_get_current_task_btf(), 0, 0);
	i &= SCOPE_MAX_DEPTH - 1;
	f = tc ? &tc->frames[i] : NULL;
	/* a BEGIN that could not count leaves a frame of another region */
	if (!f || f->stamp != stamp || thread_counts(now)) {
		__sync_fetch_and_add(&counters.counter_errors, 1);
		if (tc && trace)
			tc->ended_stamp = 0;
		return -1;
	}
	up = &tc->frames[(i - 1) & (SCOPE_MAX_DEPTH - 1)];
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
		now[e] -= f->start[e];
		if (i)
			up->child[e] += now[e];
	}
	if (a)
		add_counts(a, f, now);
	if (trace)
		keep_ended(tc, stamp, now);
	return 0;
}

/* Every context switch on every CPU, with counters only: the outgoing
 * thread (still current here) takes what its CPU counted while it ran. */
SEC("tp_btf/sched_switch")
int BPF_PROG(count_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	__u32 cpu = bpf_get_smp_processor_id(), key = 0;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct scope_thread_virt *v = bpf_map_lookup_elem(&cvirt, &tid);
	struct scope_cpu_switch *sw = bpf_map_lookup_elem(&cswitch, &key);

	if (!sw)
		return 0;
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
		__u64 c;

		if (e >= ncounters)
			break;
		c = cpu_count(e, cpu);
		if (v)
			v->virt[e] += c - sw->count[e];
		sw->count[e] = c;
	}
	sw->seq++;
	return 0;
}

/* A function's entry (--func): the kernel sets up its return probe after
 * this program runs, and omits it when the thread has
 * SCOPE_URETPROBE_DEPTH pending already (deep recursion). Such a call gets
 * no frame, which no return would close, and is counted instead. */
static __noinline int return_omitted(void)
{
	struct task_struct *t = bpf_get_current_task_btf();

	if (BPF_CORE_READ(t, utask, depth) < SCOPE_URETPROBE_DEPTH)
		return 0;
	__sync_fetch_and_add(&counters.returns_omitted, 1);
	return 1;
}

/* Drops the functions' frames on top of the stack whose entry stack
 * pointer is below @limit: a longjmp or a throw left them, and their
 * return probes will never run (the kernel drops those by the same test).
 * Counted as abandoned. Returns the new depth. */
static __noinline __u32 drop_dead(struct scope_thread_stack *st, __u32 d,
				  __u64 limit)
{
	__u32 n = 0;

	if (!st || d > max_depth || d > SCOPE_MAX_DEPTH)
		return d;
	for (int i = 0; i < SCOPE_MAX_DEPTH && d > 0; i++) {
		const struct scope_frame *f =
			&st->frames[(d - 1) & (SCOPE_MAX_DEPTH - 1)];

		if (!f->sp || f->sp >= limit)
			break;
		d--;
		n++;
	}
	if (n) {
		__sync_fetch_and_add(&counters.abandoned, n);
		st->depth = d;
	}
	return d;
}

/* Regions named at run time (scope_bpf_begin_named, LIKWID's tags): the
 * site holds the name's address in %rdi. A name gets its region id the first
 * time any address holds it (named_ids); each address remembers the name it
 * held (name_addrs), and a hit checks that it still holds it by reading as
 * many bytes, so a buffer rewritten with another name is another region. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCOPE_MAX_NAMED_REGIONS);
	__type(key, struct scope_name);
	__type(value, struct scope_named);
} named_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SCOPE_MAX_NAME_ADDRS);
	__type(key, struct scope_name_addr);
	__type(value, struct scope_name_seen);
} name_addrs SEC(".maps");

#ifndef EFAULT
#define EFAULT 14
#endif
#ifndef ENOSPC
#define ENOSPC 28
#endif

/* Named regions numbered so far. */
__u32 named_next;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCOPE_MAX_NAMED_REGIONS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct scope_name_where);
} named_where SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scope_name_where);
} where_scratch SEC(".maps");

/* The location a binding put after the name of region @id at @at (the byte
 * after its NUL), kept when it carries the tag and the region has none yet:
 * once per address the probe reads afresh, never on the hot path. */
__noinline int note_where(__u64 at, __u32 id)
{
	static const char tag[] = SCOPE_BPF_NAME_AT;
	struct scope_name_where *w;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(&named_where, &id))
		return 0;
	w = bpf_map_lookup_elem(&where_scratch, &zero);
	if (!w)
		return 0;
	if (bpf_probe_read_user_str(w->s, sizeof(w->s), (const void *)at) <
	    (long)sizeof(tag))
		return 0;
	for (int i = 0; i < (int)sizeof(tag) - 1; i++) {
		if (w->s[i] != tag[i])
			return 0;
	}
	bpf_map_update_elem(&named_where, &id, w, BPF_NOEXIST);
	return 0;
}

/* Whether @addr still holds @seen's name: its length's worth of bytes, the
 * NUL included, read in one copy and compared word by word. */
static __always_inline bool still_holds(__u64 addr,
					const struct scope_name_seen *seen)
{
	struct scope_name now = {};
	__u32 len = seen->len;
	const __u64 *a = (const __u64 *)now.s, *b = (const __u64 *)seen->name.s;

	if (len == 0 || len > SCOPE_NAME_LEN)
		return false;
	if (bpf_probe_read_user(now.s, len, (const void *)addr))
		return false;
	for (int i = 0; i < SCOPE_NAME_LEN / 8; i++) {
		if (a[i] != b[i])
			return false;
	}
	return true;
}

/* The id of name @n, numbered now if it is new; -1 when the table is full. */
static __always_inline int name_id(const struct scope_name *n, __u32 site)
{
	struct scope_named *got, v = { .site = site };
	__u32 k;

	got = bpf_map_lookup_elem(&named_ids, n);
	if (got)
		return got->region;
	k = __sync_fetch_and_add(&named_next, 1);
	if (k >= SCOPE_MAX_NAMED_REGIONS)
		return -1;
	v.region = SCOPE_REGION_NAMED_BASE + k;
	/* another CPU may number the same name at once: the first wins */
	if (!bpf_map_update_elem(&named_ids, n, &v, BPF_NOEXIST))
		return v.region;
	got = bpf_map_lookup_elem(&named_ids, n);
	return got ? got->region : -1;
}

/* The region of the name at @addr (a site with cookie @site), -EFAULT when
 * it cannot be read now, -ENOSPC past the table (a BEGIN, @begin, counts
 * it: its END would count it again). @tgid is the thread stack's (one
 * helper call less). A global function: verified once, with its own
 * stack. */
__noinline int named_region(__u64 addr, __u32 site, int begin, __u32 tgid)
{
	struct scope_name_addr key = {
		.tgid = tgid,
		.addr = addr,
	};
	struct scope_name_seen *seen, fresh = {};
	long len;
	int id;

	seen = bpf_map_lookup_elem(&name_addrs, &key);
	if (seen && still_holds(addr, seen))
		return seen->region;
	len = bpf_probe_read_user_str(fresh.name.s, sizeof(fresh.name.s),
				      (const void *)addr);
	if (len <= 0)
		return -EFAULT; /* counted by the caller, which may wait */
	if (len == SCOPE_NAME_LEN && begin)
		__sync_fetch_and_add(&counters.named_truncated, 1);
	id = name_id(&fresh.name, site);
	if (id < 0) {
		if (begin)
			__sync_fetch_and_add(&counters.named_full, 1);
		return -ENOSPC;
	}
	fresh.region = id;
	fresh.len = len;
	bpf_map_update_elem(&name_addrs, &key, &fresh, BPF_ANY);
	note_where(addr + len, id);
	return id;
}

/* Whether the 1-byte nops of the sites that have both forms act (0) or
 * leave it to their 5-byte nops (1); the agent flips it when it moves the
 * target from one form to the other, holding both forms' links
 * meanwhile (form_skips). */
volatile __u32 site_form;

/* Threads whose last 1-byte nop left its run to the 5-byte nop, which
 * they have not reached yet: the agent removes the 5-byte nops only once
 * none is left (probes__switch_form). */
volatile __s64 form_pending;

static __always_inline void forget_form(struct scope_thread_stack *st)
{
	if (st->form_ip && !st->form_acted)
		__sync_fetch_and_add(&form_pending, -1);
	st->form_ip = 0;
}

/* Whether this hit of a site that has both forms must do nothing. A run of
 * a marker is decided at its 1-byte nop when that is probed: it acts when
 * site_form says the 1-byte nops act, and the 5-byte nop right after does
 * the opposite; a 5-byte nop whose 1-byte nop was not probed in this run
 * acts. So a run counts once whatever the moment of a switch, even for a
 * thread that sits between the two probes (preempted on its way back from
 * the trap) while the agent attaches, flips and removes. The 1-byte nop
 * runs first, only the lea lies between, and it moves %rsp down 128
 * bytes: the same address and stack tell the same run from a later one (a
 * recursion, a loop whose only site it is). Every hit of a 5-byte nop
 * forgets the last 1-byte nop: what that said was for its run alone. */
static __always_inline bool form_skips(struct scope_thread_stack *st,
				       struct pt_regs *ctx, __u64 cookie)
{
	__u64 ip = PT_REGS_IP(ctx), sp = PT_REGS_SP(ctx), at;
	bool acted;

	if (cookie & SCOPE_COOKIE_TRAP_FORM) {
		forget_form(st);
		st->form_ip = ip;
		st->form_sp = sp;
		st->form_acted = site_form == 0;
		if (!st->form_acted)
			__sync_fetch_and_add(&form_pending, 1);
		return !st->form_acted;
	}
	if (!(cookie & SCOPE_COOKIE_NOP5_FORM))
		return false;
	at = st->form_ip;
	if (!at)
		return false;
	acted = st->form_acted;
	forget_form(st);
	/* the probed address when the nop5 traps; its end is allowed too, in
	 * case a kernel reports the trampoline's return address there: the
	 * lea after it holds no site */
	return (ip - at == SCOPE_NOP5_AFTER_TRAP ||
		ip - at == SCOPE_NOP5_AFTER_TRAP + 5) &&
	       st->form_sp - sp == SCOPE_MARKER_RSP_DROP && acted;
}

/* A region's BEGIN: @named says its id comes from a run-time name, else it
 * is the site's cookie. */
static __always_inline int begin(struct pt_regs *ctx, bool named)
{
	__u64 now = bpf_ktime_get_ns();
	__u64 cookie = bpf_get_attach_cookie(ctx);
	struct scope_thread_stack *st;
	struct scope_frame *f;
	__u32 d;

	if (!enabled)
		return 0;
	st = current_stack(true);
	if (!st) {
		__sync_fetch_and_add(&counters.no_storage, 1);
		return 0;
	}
	if (!st->out.hdr.tid) {
		init_stack(st);
		classify(st);
	}
	if (form_skips(st, ctx, cookie))
		return 0;
	/* a load and a compare: the followed threads' only cost of it */
	if (st->unfollowed)
		return unfollowed_hit(st->out.hdr.pid, st->unfollowed);
	d = st->depth;
	if (!named && (cookie & SCOPE_COOKIE_FUNCTION)) {
		if (return_omitted())
			return 0;
		/* a live caller's entry sp is above this one */
		d = drop_dead(st, d, PT_REGS_SP(ctx) + 1);
	}
	if (d >= max_depth || d >= SCOPE_MAX_DEPTH) {
		__sync_fetch_and_add(&counters.depth_overflow, 1);
		st->depth = d + 1;
		return 0;
	}
	f = &st->frames[d];
	if (named) {
		int id = named_region(PT_REGS_PARM1(ctx), cookie, 1,
				      st->out.hdr.pid);

		if (id == -ENOSPC)
			return 0;
		f->region = id < 0 ? SCOPE_REGION_PENDING : id;
		/* the lookup is the probe's time, not the region's: END
		 * stamps before its own */
		now = bpf_ktime_get_ns();
	} else {
		f->region = cookie;
	}
	f->start_ns = now;
	f->child_ns = 0;
	f->child_calls = 0;
	f->sp = !named && (cookie & SCOPE_COOKIE_FUNCTION) ? PT_REGS_SP(ctx) :
							     0;
	f->path = scope_path_of(
		d ? st->frames[(d - 1) & (SCOPE_MAX_DEPTH - 1)].path : 0,
		f->region);
	st->depth = d + 1;
	if (ncounters)
		count_begin(d, now);
	return 0;
}

SEC("uprobe")
int region_begin(struct pt_regs *ctx)
{
	return begin(ctx, false);
}

SEC("uprobe")
int region_begin_named(struct pt_regs *ctx)
{
	return begin(ctx, true);
}

/* floor(log2(v)), 0 for 0: the histogram bucket of a duration. */
static __always_inline __u32 log2_u64(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	return r + (v >> 1);
}

/* Regions fold into their thread's own aggregates first (struct
 * scope_local_aggs). The agent clears it when the exit program cannot be
 * attached: what an exiting thread holds there would go with it. */
__u32 local_aggs = 1;

/* The slot of @path in @l: its own, else the first free one from its low
 * bits on; SCOPE_LOCAL_AGGS when neither. Slots are freed only all at once
 * (spill), so a free one ends the search. */
static __always_inline __u32 local_slot(const struct scope_local_aggs *l,
					__u64 path)
{
	for (__u32 k = 0; k < SCOPE_LOCAL_AGGS; k++) {
		__u32 j = ((__u32)path + k) & (SCOPE_LOCAL_AGGS - 1);
		__u64 p = l->path[j];

		if (p == path || !p)
			return j;
	}
	return SCOPE_LOCAL_AGGS;
}

/* The thread's entry in aggs for frame @i, created on its first end; NULL
 * when the table is full. With @slot a free slot of the thread's own
 * aggregates, the path takes it, and that slot is where it folds. */
static __always_inline struct scope_agg *
agg_entry(struct scope_thread_stack *st, __u32 i, __u32 slot)
{
	const struct scope_frame *f = &st->frames[i & (SCOPE_MAX_DEPTH - 1)];
	struct scope_agg_key k = {
		.pid = st->out.hdr.pid,
		.tid = st->out.hdr.tid,
		.serial = st->out.hdr.serial,
		.region = f->region,
		.path = f->path,
	};
	struct scope_agg *a = bpf_map_lookup_elem(&aggs, &k);

	if (!a) {
		if (bpf_map_update_elem(&aggs, &k, &agg_zero, BPF_NOEXIST))
			return NULL;
		st->out.hdr.flags |= SCOPE_BATCH_F_AGGREGATED;
		a = bpf_map_lookup_elem(&aggs, &k);
		if (!a)
			return NULL;
		a->parent_path =
			i ? st->frames[(i - 1) & (SCOPE_MAX_DEPTH - 1)].path :
			    0;
		a->depth = i;
	}
	if (slot >= SCOPE_LOCAL_AGGS || st->local.path[slot])
		return a;
	st->local.path[slot] = f->path;
	st->local.region[slot] = f->region;
	return &st->local.agg[slot];
}

/* Folds frame @i, ended at @end_ns, into the thread's statistics; nonzero
 * when it must go through the ring instead. */
static __always_inline int fold(struct scope_thread_stack *st, __u32 i,
				__u64 end_ns)
{
	const struct scope_frame *f = &st->frames[i & (SCOPE_MAX_DEPTH - 1)];
	__u32 slot = SCOPE_LOCAL_AGGS;
	struct scope_agg *a = NULL;
	__u64 dur;

	dur = end_ns > f->start_ns ? end_ns - f->start_ns : 0;
	if (local_aggs) {
		slot = local_slot(&st->local, f->path);
		if (slot < SCOPE_LOCAL_AGGS && st->local.path[slot] == f->path)
			a = &st->local.agg[slot];
	}
	if (!a)
		a = agg_entry(st, i, slot);
	if (ncounters)
		count_end(i, f->start_ns, a);
	if (!a) {
		__sync_fetch_and_add(&counters.agg_full, 1);
		return -1;
	}
	if (!a->calls || dur < a->min_ns)
		a->min_ns = dur;
	if (dur > a->max_ns)
		a->max_ns = dur;
	a->calls++;
	a->child_calls += f->child_calls;
	a->total_ns += dur;
	/* child_ns exceeds dur only through clock skew between CPUs */
	a->self_ns += f->child_ns < dur ? dur - f->child_ns : 0;
	a->hist[log2_u64(dur) & (SCOPE_HIST_BUCKETS - 1)]++;
	return 0;
}

/* Adds @src, a thread's own aggregate, into @dst, its entry in aggs. */
static __always_inline void merge(struct scope_agg *dst,
				  const struct scope_agg *src)
{
	if (!src->calls)
		return;
	if (!dst->calls || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->calls += src->calls;
	dst->child_calls += src->child_calls;
	dst->total_ns += src->total_ns;
	dst->self_ns += src->self_ns;
	for (__u32 b = 0; b < SCOPE_HIST_BUCKETS; b++)
		dst->hist[b] += src->hist[b];
	for (__u32 e = 0; e < SCOPE_MAX_COUNTERS; e++) {
		if (e >= ncounters)
			break;
		dst->counter_incl[e] += src->counter_incl[e];
		dst->counter_self[e] += src->counter_self[e];
	}
}

/* Adds the thread's own aggregates into its entries of aggs, where the
 * agent reads them, and frees their slots: at the thread's exit, before
 * the header that tells the agent to take them, and in the agent's final
 * pass. Once: the two may meet on a thread that exits as the agent ends. */
__noinline int spill(struct scope_thread_stack *st)
{
	struct scope_local_aggs *l;

	if (!st)
		return 0;
	l = &st->local;
	if (__sync_lock_test_and_set(&l->spilling, 1))
		return 0;
	for (__u32 j = 0; j < SCOPE_LOCAL_AGGS; j++) {
		struct scope_agg_key k = {
			.pid = st->out.hdr.pid,
			.tid = st->out.hdr.tid,
			.serial = st->out.hdr.serial,
			.region = l->region[j],
			.path = l->path[j],
		};
		struct scope_agg *a;

		if (!k.path)
			continue;
		/* the entry the path made as it took the slot; none only
		 * for the agent's own, emptied after its start-up pass */
		a = bpf_map_lookup_elem(&aggs, &k);
		if (a)
			merge(a, &l->agg[j]);
		else
			bpf_map_update_elem(&aggs, &k, &l->agg[j], BPF_NOEXIST);
		__builtin_memset(&l->agg[j], 0, sizeof(l->agg[j]));
		l->path[j] = 0;
	}
	asm volatile("" ::: "memory");
	l->spilling = 0;
	return 0;
}

/* Index of the frame below @top that an END for @region closes, or -1: the
 * top is another region (a longjmp or an early return skipped its END). A
 * global function, so that the verifier sees one unknown index come back
 * rather than each constant the search can return (which exceeds its
 * budget once the fold is checked for each). */
__noinline int find_frame_below(const struct scope_thread_stack *st, __u32 top,
				__u32 region)
{
	if (!st)
		return -1;
	for (int i = SCOPE_MAX_DEPTH - 1; i >= 0; i--) {
		if (i < top && st->frames[i].region == region)
			return i;
	}
	return -1;
}

/* Index of the frame an END for @region closes, or -1. A named END normally
 * closes the top frame. */
static __always_inline int find_frame(const struct scope_thread_stack *st,
				      __u32 top, __u32 region)
{
	if (region == SCOPE_REGION_INNERMOST ||
	    st->frames[top].region == region)
		return top;
	return find_frame_below(st, top, region);
}

/* The live status line's count of regions ended (userspace/agent/status.c):
 * one slot per CPU, so no cache line moves between CPUs; the agent sums
 * them once a second. With progress 0 only the load of counting_ended
 * stays, which the site trial sets while it runs. */
const volatile __u32 progress = 0;
/* the agent's site trial counts the regions ended too, for a while */
volatile __u32 counting_ended;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ended SEC(".maps");

static __always_inline void count_ended(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&ended, &zero);

	if (n)
		(*n)++;
}

/* Folds frame @i (unless the ring aggregates), and says which record, if
 * any, goes to the ring: 0 for none (or, with counters and a trace, puts
 * it and its counts in the batch itself, emit_counted). The agent's own
 * regions (its start-up pass) take the target's path, so that a parent
 * pays for its children's probes what the target's parents pay; its
 * outermost regions, whose durations the pass reads, also go to the ring:
 * that record's cost falls after their END's timestamp, inside no measured
 * interval. */
static __always_inline __u16 record_type(struct scope_thread_stack *st, __u32 i,
					 __u64 now)
{
	bool folded, kept;
	__u16 type;

	folded = aggregate && !fold(st, i, now);
	if (!i && st->out.hdr.pid == agent_tgid)
		return SCOPE_REC_INTERVAL;
	kept = trace && traced(st, i, now);
	if (!folded)
		type = kept ? SCOPE_REC_INTERVAL_TRACED : SCOPE_REC_INTERVAL;
	else
		type = kept ? SCOPE_REC_TRACED : 0;
	/* with counters a trace's records go with their deltas, emitted
	 * here, so that region_end is the same with them and without */
	if (ncounters && trace && type) {
		emit_counted(st, i, now, type);
		return 0;
	}
	return type;
}

/* A named END meets a frame whose name its BEGIN could not read (top, at
 * @top): the END's name, @id, is the frame's, in code where regions nest.
 * Nonzero when the frame is gone instead: the END cannot read it either, so
 * the region is lost and counted. */
static __always_inline int settle_pending(struct scope_thread_stack *st,
					  __u32 top, int id)
{
	struct scope_frame *f = &st->frames[top & (SCOPE_MAX_DEPTH - 1)];

	if (f->region != SCOPE_REGION_PENDING)
		return 0;
	if (id < 0) {
		__sync_fetch_and_add(&counters.named_unreadable, 1);
		st->depth = top;
		return 1;
	}
	f->region = id;
	f->path = scope_path_of(
		top ? st->frames[(top - 1) & (SCOPE_MAX_DEPTH - 1)].path : 0,
		id);
	return 0;
}

/* A region's END: @named as for begin(). */
static __always_inline int end(struct pt_regs *ctx, bool named)
{
	__u64 now = bpf_ktime_get_ns();
	struct scope_thread_stack *st;
	__u64 cookie;
	__u32 d, region;
	__u16 type;
	int i;

	if (!enabled)
		return 0;
	st = current_stack(false);
	cookie = bpf_get_attach_cookie(ctx);
	if (st && form_skips(st, ctx, cookie))
		return 0;
	d = st ? st->depth : 0;
	if (!d) {
		/* off the hot path: an unfollowed thread never has a frame */
		if (!st && (bpf_get_current_pid_tgid() >> 32) != target_tgid)
			return 0;
		if (!st || !st->unfollowed)
			__sync_fetch_and_add(&counters.unmatched_end, 1);
		return 0;
	}
	if (d > max_depth || d > SCOPE_MAX_DEPTH) {
		/* closes a frame that overflowed and was never pushed */
		st->depth = d - 1;
		return 0;
	}
	if (named) {
		i = named_region(PT_REGS_PARM1(ctx), cookie, 0,
				 st->out.hdr.pid);
		if (settle_pending(st, d - 1, i))
			return 0;
		if (i < 0)
			return 0;
		region = i;
	} else {
		/* a function's return: sp is its entry sp + 8 (the return
		 * address popped); the functions entered below it are over */
		if (cookie & SCOPE_COOKIE_FUNCTION) {
			d = drop_dead(st, d, PT_REGS_SP(ctx) - 8);
			if (!d)
				return 0;
		}
		region = cookie;
	}
	i = find_frame(st, d - 1, region);
	if (i < 0 || i >= SCOPE_MAX_DEPTH) {
		__sync_fetch_and_add(&counters.unmatched_end, 1);
		return 0;
	}
	if (i != d - 1)
		__sync_fetch_and_add(&counters.abandoned, d - 1 - i);
	if (progress || counting_ended)
		count_ended();

	type = record_type(st, i, now);
	if (type)
		emit(st, i, now, type);
	if (i > 0) {
		struct scope_frame *up =
			&st->frames[(i - 1) & (SCOPE_MAX_DEPTH - 1)];

		up->child_ns += now - st->frames[i].start_ns;
		up->child_calls++;
	}
	st->depth = i;
	return 0;
}

SEC("uprobe")
int region_end(struct pt_regs *ctx)
{
	return end(ctx, false);
}

SEC("uprobe")
int region_end_named(struct pt_regs *ctx)
{
	return end(ctx, true);
}

/* A sample of the thread's header alone, when the thread has aggregates:
 * its name, and with SCOPE_BATCH_F_EXIT that they are final. A lost one
 * loses no region (the agent takes every entry at the end), only the name
 * and the early release of the entries. */
static __always_inline void send_header(const struct scope_thread_stack *st,
					__u32 flags)
{
	struct scope_batch_header h = st->out.hdr;

	if (!(h.flags & SCOPE_BATCH_F_AGGREGATED))
		return;
	h.flags |= flags;
	bpf_ringbuf_output(&records, &h, sizeof(h), BPF_RB_NO_WAKEUP);
}

/* The current thread leaves its image (exit or exec): it sends what it has
 * batched, then one record per region it leaves inside (exit(), a crash, a
 * kill, an exec), so the agent can tell the user rather than lose them. */
static __always_inline void leave_image(__u32 flags)
{
	__u64 now = bpf_ktime_get_ns();
	struct scope_thread_stack *st;
	struct {
		struct scope_batch_header hdr;
		struct scope_record rec;
	} one;
	__u32 d;

	st = task_stack(bpf_get_current_task_btf());
	if (!st)
		return;
	forget_form(st);
	name_batch(st);
	flush(st);
	/* an exec keeps the thread, and its own aggregates with it */
	if (flags & SCOPE_BATCH_F_EXIT)
		spill(st);
	send_header(st, flags);
	d = st->depth;
	/* frames past the limit were never pushed: counted as overflows */
	if (d > max_depth)
		d = max_depth;
	if (d > SCOPE_MAX_DEPTH)
		d = SCOPE_MAX_DEPTH;
	one.hdr = st->out.hdr;
	for (int i = 0; i < SCOPE_MAX_DEPTH; i++) {
		if (i >= d)
			break;
		fill(&one.rec, SCOPE_REC_UNFINISHED, st, i, now);
		if (bpf_ringbuf_output(&records, &one, sizeof(one), 0))
			__sync_fetch_and_add(&counters.dropped, 1);
	}
	st->depth = 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(thread_exit)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;

	/* not gated by `enabled`: a thread that exits while the agent
	 * detaches still sends its records, and zeroes its stack, so they are
	 * counted once, here or by flush_threads */
	if ((id >> 32) == target_tgid) {
		leave_image(SCOPE_BATCH_F_EXIT);
		if (ncounters)
			bpf_map_delete_elem(&cvirt, &tid);
	}
	/* the agent's threads (its start-up pass) hold slots too */
	give_back_slot();
	return 0;
}

/* Execs of the target. The probes belong to the files they were put on
 * (uprobes are per inode): a new image of another file runs unprobed, one
 * of a probed file gets its probes again as the kernel maps it. Under run
 * the first @launch_execs are the agent's own start of the command. */
const volatile __u32 launch_execs = 0;
__u64 execs_seen;
char last_exec[SCOPE_EXEC_NAME_LEN];

/* The files with probes, filled by the agent as it attaches. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SCOPE_MAX_PROBED_FILES);
	__type(key, struct scope_file_id);
	__type(value, __u8);
} probed_files SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(process_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	struct scope_file_id id = {};
	struct inode *inode;

	/* one exec at a time per process: the kernel kills the other
	 * threads first, so plain increments are safe */
	if (p->tgid != target_tgid || execs_seen++ < launch_execs)
		return 0;
	/* not gated by `enabled`: an exec while the agent attaches loses
	 * the regions as well. The frames open in the old image never end. */
	leave_image(0);
	inode = bprm->file->f_inode;
	id.ino = inode->i_ino;
	id.dev = inode->i_sb->s_dev;
	if (bpf_map_lookup_elem(&probed_files, &id)) {
		__sync_fetch_and_add(&counters.probed_execs, 1);
		return 0;
	}
	__sync_fetch_and_add(&counters.unprobed_execs, 1);
	bpf_probe_read_kernel_str(last_exec, sizeof(last_exec), bprm->filename);
	return 0;
}

/* Run by the agent once the probes are gone: sends the records each live
 * thread of the target still has batched, and sums the regions still open
 * into open_frames. */
__u64 open_frames;

SEC("iter/task")
int flush_threads(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct scope_thread_stack *st;
	__u32 d;

	if (!task || task->tgid != target_tgid)
		return 0;
	st = task_stack(task);
	if (!st)
		return 0;
	name_batch_of(st, task);
	flush(st);
	spill(st);
	send_header(st, 0);
	d = st->depth;
	open_frames += d > max_depth ? max_depth : d;
	return 0;
}

/* When each stop signal last reached the target from outside (neither the
 * agent nor the target itself), by number, in bpf_ktime_get_ns() time. A
 * terminal's Ctrl-C, timeout(1) and `kill -TERM -PGID` signal the whole
 * process group, the command included; `kill -TERM AGENT` signals the agent
 * alone. siginfo cannot tell them apart, so the agent looks here before it
 * forwards a signal: each one reaches the command once. */
__u64 target_signal_ns[SCOPE_NSIG_TRACKED];

SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	__u32 sender = bpf_get_current_pid_tgid() >> 32;
	__u32 n = sig;

	if (task->tgid != target_tgid || sender == agent_tgid ||
	    sender == target_tgid || n >= SCOPE_NSIG_TRACKED)
		return 0;
	/* hides n's range from the compiler, which would drop the mask the
	 * verifier needs */
	asm volatile("" : "+r"(n));
	target_signal_ns[n & (SCOPE_NSIG_TRACKED - 1)] = bpf_ktime_get_ns();
	return 0;
}

/* The dynamic linker's r_brk (_dl_debug_state in ld.so): glibc calls it
 * before and after each change of the link map (dlopen, dlclose), the
 * second time after mapping a new object and before running any of its
 * code. The agent, woken at once, attaches what the new object holds; with
 * dl_stop (written by the agent) the target stops here (SIGSTOP) until the
 * agent has (SIGCONT). */
#define SCOPE_SIGSTOP	    19
#define SCOPE_RT_CONSISTENT 0 /* enum r_state: the link map is whole */

volatile __u32 dl_stop;
/* From _dl_debug_state to _r_debug.r_state in ld.so (0: unknown): a stop
 * is only needed once the map is whole again (RT_CONSISTENT), after the
 * loader mapped or unmapped objects, not when it announces the change. */
volatile __s64 dl_state_delta;
/* Calls seen and stops made: the agent compares with those it handled, so
 * a lost wakeup delays the attach (to its next tick) and never leaves the
 * target stopped, and a call that did not stop gets no SIGCONT. */
__u64 dl_events;
__u64 dl_stops;

static __always_inline bool dl_map_whole(struct pt_regs *ctx)
{
	__s64 delta = dl_state_delta;
	int state;

	if (!delta || bpf_probe_read_user(&state, sizeof(state),
					  (void *)(PT_REGS_IP(ctx) + delta)))
		return true; /* unknown: stop, to be safe */
	return state == SCOPE_RT_CONSISTENT;
}

SEC("uprobe")
int dl_activity(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct scope_batch_header h = {
		.pid = id >> 32,
		.tid = (__u32)id,
		.flags = SCOPE_BATCH_F_LINK_MAP,
	};

	if (h.pid != target_tgid || !enabled || !dl_map_whole(ctx))
		return 0;
	if (dl_stop) {
		__sync_fetch_and_add(&dl_stops, 1);
		bpf_send_signal(SCOPE_SIGSTOP);
	}
	__sync_fetch_and_add(&dl_events, 1);
	bpf_ringbuf_output(&records, &h, sizeof(h), BPF_RB_FORCE_WAKEUP);
	return 0;
}
