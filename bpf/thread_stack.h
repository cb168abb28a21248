/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where a thread's region stack lives, for regions.bpf.c.
 *
 * A task storage lookup costs a probe two helper calls (the current task,
 * then the lookup), ~15% of an empty uprobe's cost on some hosts. So the
 * followed threads' stacks live in an array of slots instead, and each CPU
 * knows the slot of the thread it runs: a probe finds its stack with two
 * lookups the verifier inlines (this CPU's slot, then the array) and no
 * helper call.
 *
 * The invariant that makes it safe: cpu_slot on a CPU is the slot of the
 * thread running there, or 0. The sched_switch program writes the
 * incoming thread's at every switch; the only other writer is a probe of
 * the running thread itself, writing its own (probes run with migration
 * off, so the CPU cannot change under it). A thread takes a slot at its
 * first BEGIN and gives it back at its exit; a thread that finds none free
 * (more threads than slots), or of a process the agent does not follow,
 * keeps its stack in task storage as before, and so does every thread when
 * the agent gives no slots (fast_stacks 0). */
#ifndef SCOPE_BPF_THREAD_STACK_H
#define SCOPE_BPF_THREAD_STACK_H

/* Slots in slot_stacks; 0: every stack is task storage. */
const volatile __u32 fast_stacks = 0;
/* Set by the agent once the sched_switch program runs: until then no
 * thread takes a slot, so no CPU's slot can go stale. */
volatile __u32 slots_on;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scope_thread_stack);
} stacks SEC(".maps");

/* A slot: a stack in a whole number of pages. The array is mmapable (not
 * for userspace: that puts its first slot on a page), so every thread's
 * stack lies on pages and cache lines alike, and the agent's start-up
 * pass, which calibrates the probes on its own thread's slot, pays what
 * the target's threads pay. */
struct scope_stack_slot {
	struct scope_thread_stack st;
} __attribute__((aligned(4096)));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* fast_stacks, set by the agent */
	__type(key, __u32);
	__type(value, struct scope_stack_slot);
} slot_stacks SEC(".maps");

/* The slots no thread holds, filled by the agent before the probes run. */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1); /* fast_stacks */
	__type(value, __u32);
} free_slots SEC(".maps");

/* A thread's slot, + 1 (0: its stack is in `stacks`), and whether it has
 * asked for one: a thread asks once. */
struct scope_thread_slot {
	__u32 slot;
	__u32 asked;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scope_thread_slot);
} thread_slots SEC(".maps");

/* The slot + 1 of the thread this CPU runs; 0 when it has none or it is
 * not known yet. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cpu_slot SEC(".maps");

static __always_inline struct scope_thread_stack *slot_stack(__u32 slot)
{
	__u32 k = slot - 1;
	struct scope_stack_slot *s = bpf_map_lookup_elem(&slot_stacks, &k);

	return s ? &s->st : NULL;
}

static __always_inline void set_cpu_slot(__u32 slot)
{
	__u32 zero = 0, *s = bpf_map_lookup_elem(&cpu_slot, &zero);

	if (s)
		*s = slot;
}

/* A slot's stack as a new thread's: what the probes read before they
 * write (the frames and records they write first). */
static __always_inline void reset_stack(struct scope_thread_stack *st)
{
	__builtin_memset(st, 0, offsetof(struct scope_thread_stack, out.rec));
	for (__u32 j = 0; j < SCOPE_LOCAL_AGGS; j++) {
		st->local.path[j] = 0;
		st->local.region[j] = 0;
		__builtin_memset(&st->local.agg[j], 0,
				 sizeof(st->local.agg[j]));
		/* one aggregate at a time: clang would make the loop one
		 * memset, which BPF has not */
		asm volatile("" ::: "memory");
	}
	st->local.spilling = 0;
}

/* The current thread, of a followed process, takes a free slot if it has
 * no stack yet: never two stacks for one thread. */
static __always_inline void take_slot(struct task_struct *task,
				      struct scope_thread_slot *ts)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32, k;
	struct scope_thread_stack *st;

	ts->asked = 1;
	if (tgid != target_tgid && tgid != agent_tgid)
		return;
	if (bpf_task_storage_get(&stacks, task, 0, 0))
		return;
	/* once: a thread that finds none keeps task storage for life
	 * rather than pay for the queue's lock at every probe */
	if (bpf_map_pop_elem(&free_slots, &k)) {
		__sync_fetch_and_add(&counters.slotless_threads, 1);
		return;
	}
	st = slot_stack(k + 1);
	if (!st) {
		__sync_fetch_and_add(&counters.slotless_threads, 1);
		return;
	}
	reset_stack(st);
	ts->slot = k + 1;
}

/* The stack of @task, which may not run: NULL when it has none. */
static __always_inline struct scope_thread_stack *
task_stack(struct task_struct *task)
{
	struct scope_thread_slot *ts;

	if (fast_stacks) {
		ts = bpf_task_storage_get(&thread_slots, task, 0, 0);
		if (ts && ts->slot)
			return slot_stack(ts->slot);
	}
	return bpf_task_storage_get(&stacks, task, 0, 0);
}

/* The current thread's stack when this CPU does not know its slot: its
 * slot (which the CPU learns), else its task storage; created with
 * @create (a BEGIN), else NULL when it has none. */
static __always_inline struct scope_thread_stack *
current_stack_slow(bool create)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 flags = create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0;
	struct scope_thread_slot *ts;

	if (fast_stacks && slots_on) {
		ts = bpf_task_storage_get(&thread_slots, task, 0, flags);
		/* not found (a kernel whose task storage refuses a lookup
		 * while busy): the thread may hold a slot, so no second
		 * stack for it; counted by the caller, which finds none */
		if (!ts)
			return bpf_task_storage_get(&stacks, task, 0, 0);
		if (!ts->slot && !ts->asked && create)
			take_slot(task, ts);
		if (ts->slot) {
			/* a probe of a thread with a slot that its CPU did
			 * not know: a first probe, or a switch whose lookup
			 * failed */
			__sync_fetch_and_add(&counters.slot_misses, 1);
			set_cpu_slot(ts->slot);
			return slot_stack(ts->slot);
		}
	}
	return bpf_task_storage_get(&stacks, task, 0, flags);
}

/* The current thread's stack: no helper call when this CPU knows its
 * slot, the steady state of a thread that has one. */
static __always_inline struct scope_thread_stack *current_stack(bool create)
{
	__u32 zero = 0, *s;

	if (fast_stacks) {
		s = bpf_map_lookup_elem(&cpu_slot, &zero);
		if (s && *s)
			return slot_stack(*s);
	}
	return current_stack_slow(create);
}

/* The current thread exits: its slot goes back, for the next thread. Its
 * CPU's slot still names it until the switch away, but no probe of it
 * runs again. */
static __always_inline void give_back_slot(void)
{
	struct scope_thread_slot *ts;
	__u32 k;

	if (!fast_stacks)
		return;
	ts = bpf_task_storage_get(&thread_slots, bpf_get_current_task_btf(), 0,
				  0);
	if (!ts || !ts->slot)
		return;
	k = ts->slot - 1;
	ts->slot = 0;
	/* the queue holds every slot: a push cannot find it full */
	if (bpf_map_push_elem(&free_slots, &k, 0))
		__sync_fetch_and_add(&counters.slots_lost, 1);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(slot_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next)
{
	struct scope_thread_slot *ts = NULL;

	/* only the followed processes' threads hold slots: the others'
	 * switches (all of the machine's) skip the lookup */
	if (next->tgid == target_tgid || next->tgid == agent_tgid)
		ts = bpf_task_storage_get(&thread_slots, next, 0, 0);
	/* a lookup that fails (task storage busy) leaves 0: the thread's
	 * next probe asks its task storage */
	set_cpu_slot(ts ? ts->slot : 0);
	return 0;
}

#endif /* SCOPE_BPF_THREAD_STACK_H */
