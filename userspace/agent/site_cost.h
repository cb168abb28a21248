/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the kernel does with a probed 5-byte nop: whether it can turn it
 * into a call to its [uprobes] trampoline, and whether a process runs
 * one. Which site is cheaper is timed by the start-up pass
 * (agent/calibrate.c). */
#ifndef SCOPE_SITE_COST_H
#define SCOPE_SITE_COST_H

#include <stdbool.h>
#include <sys/types.h>

/* Whether the kernel can optimise nop5 uprobes: libbpf's check, the uprobe
 * syscall (x86-64), which fails with ENXIO unless the trampoline calls it. */
bool site_cost__kernel_optimises(void);
/* Whether process @pid maps the kernel's [uprobes] trampoline page. */
bool site_cost__trampoline_mapped(pid_t pid);

#endif /* SCOPE_SITE_COST_H */
