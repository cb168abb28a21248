// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* BPF_LINK_CREATE for uprobe_multi through the raw syscall. One link per
 * (object, program) instead of one perf event per site matters at detach:
 * the kernel waits for an RCU grace period per perf-event uprobe, under a
 * global mutex (~100 ms each here), but once per uprobe_multi link. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "agent/uprobe_multi.h"

#define BPF_LINK_CREATE_CMD 28

/* The link_create member of union bpf_attr, uprobe_multi flavour (the
 * installed UAPI header may be older than the kernel). */
struct link_create_attr {
	uint32_t prog_fd;
	uint32_t target_fd;
	uint32_t attach_type;
	uint32_t flags;
	uint64_t path;
	uint64_t offsets;
	uint64_t ref_ctr_offsets;
	uint64_t cookies;
	uint32_t cnt;
	uint32_t multi_flags;
	uint32_t pid;
	uint32_t pad;
};

_Static_assert(__builtin_offsetof(struct link_create_attr, path) == 16,
	       "link_create's union starts after four u32");

/* Before 6.10 a uprobe_multi link with a pid ran its program for the
 * process's main thread only ("bpf: fix multi-uprobe PID filtering
 * logic"): worker threads would go silently unprofiled. */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

bool uprobe_multi__supported(void)
{
	struct btf *btf;
	bool yes;

	if (!kernel_at_least(6, 10))
		return false;
	btf = btf__load_vmlinux_btf();
	if (!btf)
		return false;
	yes = btf__find_by_name_kind(btf, "bpf_uprobe_multi_link",
				     BTF_KIND_STRUCT) > 0;
	btf__free(btf);
	return yes;
}

int uprobe_multi__attach(int prog_fd, const char *path, const uint64_t *offsets,
			 const uint64_t *cookies, uint32_t cnt, pid_t pid)
{
	return uprobe_multi__attach_flags(prog_fd, path, offsets, cookies, cnt,
					  pid, 0);
}

int uprobe_multi__attach_flags(int prog_fd, const char *path,
			       const uint64_t *offsets, const uint64_t *cookies,
			       uint32_t cnt, pid_t pid, uint32_t flags)
{
	struct link_create_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_fd = prog_fd;
	attr.attach_type = UPROBE_MULTI_ATTACH_TYPE;
	attr.path = (uint64_t)(uintptr_t)path;
	attr.offsets = (uint64_t)(uintptr_t)offsets;
	attr.cookies = (uint64_t)(uintptr_t)cookies;
	attr.cnt = cnt;
	attr.pid = pid;
	attr.multi_flags = flags;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE_CMD, &attr, sizeof(attr));
	return fd < 0 ? -errno : (int)fd;
}
