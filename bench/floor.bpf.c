// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The floor: the cheapest program a uprobe can run. What a region costs with
 * it attached is what every uprobe tool pays before doing any work. The
 * cost_* programs each add one ingredient of the agent's BPF side, so the
 * harness can say where the time above the floor goes. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "scope_bpf_record.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} cost_storage_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} cost_records SEC(".maps");

__u64 sink;

SEC("uprobe")
int floor_hit(void *ctx)
{
	return 0;
}

/* a timestamp, as both region probes take one */
SEC("uprobe")
int cost_ktime(void *ctx)
{
	sink = bpf_ktime_get_ns();
	return 0;
}

/* the thread's stack: task storage, created on first use */
SEC("uprobe")
int cost_storage(void *ctx)
{
	__u64 *v = bpf_task_storage_get(&cost_storage_map,
					bpf_get_current_task_btf(), 0,
					BPF_LOCAL_STORAGE_GET_F_CREATE);

	if (v)
		(*v)++;
	return 0;
}

/* one record reserved, filled and submitted without a wakeup */
SEC("uprobe")
int cost_ringbuf(void *ctx)
{
	struct scope_record *r;

	r = bpf_ringbuf_reserve(&cost_records, sizeof(*r), 0);
	if (!r)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

/* the current task, which task storage is keyed by */
SEC("uprobe")
int cost_task(void *ctx)
{
	sink = (__u64)bpf_get_current_task_btf();
	return 0;
}

/* the site's cookie: the region it marks */
SEC("uprobe")
int cost_cookie(void *ctx)
{
	sink = bpf_get_attach_cookie(ctx);
	return 0;
}
