/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The kernel's uprobe_multi link (Linux 6.6; usable here from 6.10), which
 * libbpf 1.1 predates. */
#ifndef SCOPE_UPROBE_MULTI_H
#define SCOPE_UPROBE_MULTI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* expected_attach_type a program needs for uprobe_multi links */
#define UPROBE_MULTI_ATTACH_TYPE 48 /* BPF_TRACE_UPROBE_MULTI */

/* Whether the running kernel has uprobe_multi links that filter by process
 * correctly (6.10 or later, and the link type in its BTF). */
bool uprobe_multi__supported(void);
/* One link: @prog_fd at each of @cnt file @offsets of @path, with @cookies,
 * firing for process @pid only. The link fd, or -errno. */
int uprobe_multi__attach(int prog_fd, const char *path, const uint64_t *offsets,
			 const uint64_t *cookies, uint32_t cnt, pid_t pid);
/* As uprobe_multi__attach, with the link's flags: UPROBE_MULTI_RETURN
 * makes them return probes (uretprobes). */
#define UPROBE_MULTI_RETURN 1u /* BPF_F_UPROBE_MULTI_RETURN */
int uprobe_multi__attach_flags(int prog_fd, const char *path,
			       const uint64_t *offsets, const uint64_t *cookies,
			       uint32_t cnt, pid_t pid, uint32_t flags);

#endif /* SCOPE_UPROBE_MULTI_H */
