/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a probe hit costs on this host at each of a marker's two sites, timed
 * on the agent's own markers at start-up, and whether the kernel turns a
 * probed 5-byte nop into a call to its [uprobes] trampoline. */
#ifndef SCOPE_SITE_COST_H
#define SCOPE_SITE_COST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct site_cost {
	bool optimises;		 /* the kernel has the uprobe syscall */
	bool trampoline_seen;	 /* [uprobes] mapped here after nop5 hits */
	double trap_ns, nop5_ns; /* per region (two hits), empty program */
	uint64_t elapsed_ns;	 /* the whole measurement */
};

/* Whether the kernel can optimise nop5 uprobes: libbpf's check, the uprobe
 * syscall (x86-64), which fails with ENXIO unless the trampoline calls it. */
bool site_cost__kernel_optimises(void);
/* Whether process @pid maps the kernel's [uprobes] trampoline page. */
bool site_cost__trampoline_mapped(pid_t pid);
/* Attaches an empty BPF program to the agent's own trap and nop5 sites and
 * times a few hundred regions of each, for at most ~100 ms. 0 or -errno. */
int site_cost__measure(struct site_cost *out);

#endif /* SCOPE_SITE_COST_H */
