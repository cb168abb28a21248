// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The empty program the agent times its own probe sites with at start-up
 * (agent/site_cost.c): what a probe hit costs on this host before any work,
 * so the cheaper site form can be chosen. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("uprobe")
int site_cost_hit(void *ctx)
{
	return 0;
}
