// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The kernel's side of a marker's 5-byte nop site (docs/markers.md): the
 * optimisation it may or may not do, and its trace in a process. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "agent/site_cost.h"

/* x86-64's uprobe syscall (Linux 6.18); libbpf upstream probes it too */
#define SYS_UPROBE 336

bool site_cost__kernel_optimises(void)
{
	long r = syscall(SYS_UPROBE);

	/* ENOSYS: no such syscall; ENXIO: there, and not called from the
	 * trampoline, the answer libbpf looks for */
	return r < 0 && errno == ENXIO;
}

bool site_cost__trampoline_mapped(pid_t pid)
{
	char path[64], line[512];
	bool seen = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!seen && fgets(line, sizeof(line), f))
		seen = strstr(line, "[uprobes-trampoline]") != NULL;
	fclose(f);
	return seen;
}
