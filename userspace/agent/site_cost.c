// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Times the two probe sites of a marker on this host. Which is cheaper
 * depends on the host far more than on the code (docs/markers.md), so the
 * agent measures instead of guessing: an empty BPF program on its own
 * markers, a few hundred regions of each form, alternated. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/meta.h"
#include "agent/site_cost.h"
#include "agent/uprobe_multi.h"
#include "common/log.h"
#include "discover/sites.h"
#include "scope_bpf.h"
#include "site_cost.skel.h"

/* x86-64's uprobe syscall (Linux 6.18); libbpf upstream probes it too */
#define SYS_UPROBE 336

#define REGIONS_PER_ROUND 400
#define MAX_ROUNDS	  9
#define WARMUP		  20
/* no round starts past this: a host where a probe costs 10 us still
 * finishes well under 200 ms */
#define BUDGET_NS 100000000ull

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

/* The two forms, each in its own function so that a probe on one site of
 * one does not fire in the other. noinline: the sites must stay where the
 * notes say. */
static __attribute__((noinline)) void site_cost__trap_regions(int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(scope_bpf_site_cost_trap);
		SCOPE_BPF_END(scope_bpf_site_cost_trap);
	}
}

static __attribute__((noinline)) void site_cost__nop5_regions(int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(scope_bpf_site_cost_nop5);
		SCOPE_BPF_END(scope_bpf_site_cost_nop5);
	}
}

/* ns per region of @n regions of @fn */
static double site_cost__time(void (*fn)(int), int n)
{
	uint64_t t = meta__now_ns();

	fn(n);
	return (double)(meta__now_ns() - t) / n;
}

struct own_sites {
	uint64_t off[4]; /* trap begin, trap end, nop5 begin, nop5 end */
	int n;
};

/* The agent's own marker sites, from its ELF file like any target's. */
static int own_sites__read(const char *exe, struct own_sites *o)
{
	struct site_list l = {};
	int err = sites__read_elf(exe, &l);

	o->n = 0;
	for (size_t i = 0; err >= 0 && i < l.n; i++) {
		const struct site *s = &l.v[i];
		int trap = !strcmp(s->name, "scope_bpf_site_cost_trap");
		int k = s->kind == SCOPE_BPF_KIND_END;

		if (!trap && strcmp(s->name, "scope_bpf_site_cost_nop5"))
			continue;
		if (!s->nop5_offset)
			continue;
		o->off[trap ? k : 2 + k] =
			trap ? s->file_offset : s->nop5_offset;
		o->n++;
	}
	site_list__free(&l);
	if (err < 0)
		return err;
	return o->n == 4 ? 0 : -ENOENT;
}

/* One uprobe_multi link where the kernel has them: removing a probe waits
 * for an RCU grace period (~100 ms here once nop5 sites were optimised),
 * and a multi link waits once for all its sites, perf-event links once
 * each. *@multi_fd is the link's fd, or -1 and @links are the links. */
static int site_cost__attach(struct site_cost_bpf *skel, const char *exe,
			     const struct own_sites *o, struct bpf_link **links,
			     int *multi_fd)
{
	int fd = bpf_program__fd(skel->progs.site_cost_hit);

	if (*multi_fd >= 0) {
		*multi_fd = uprobe_multi__attach(fd, exe, o->off, NULL, 4,
						 getpid());
		return *multi_fd < 0 ? *multi_fd : 0;
	}
	for (int i = 0; i < 4; i++) {
		links[i] = bpf_program__attach_uprobe(skel->progs.site_cost_hit,
						      false, getpid(), exe,
						      o->off[i]);
		if (!links[i])
			return -errno;
	}
	return 0;
}

/* Alternates the forms, round by round, and keeps each one's cheapest
 * round: interference from the host only ever adds time. */
static void site_cost__rounds(struct site_cost *out, uint64_t t0)
{
	double t, n5;

	site_cost__trap_regions(WARMUP);
	/* the kernel rewrites a probed nop5 on its first hit */
	site_cost__nop5_regions(WARMUP);
	out->trap_ns = out->nop5_ns = 0;
	for (int r = 0; r < MAX_ROUNDS && meta__now_ns() - t0 < BUDGET_NS;
	     r++) {
		t = site_cost__time(site_cost__trap_regions, REGIONS_PER_ROUND);
		n5 = site_cost__time(site_cost__nop5_regions,
				     REGIONS_PER_ROUND);
		if (!out->trap_ns || t < out->trap_ns)
			out->trap_ns = t;
		if (!out->nop5_ns || n5 < out->nop5_ns)
			out->nop5_ns = n5;
	}
}

int site_cost__measure(struct site_cost *out)
{
	struct bpf_link *links[4] = {};
	struct site_cost_bpf *skel = NULL;
	uint64_t t0 = meta__now_ns();
	char exe[PATH_MAX];
	bool multi = uprobe_multi__supported();
	int multi_fd = multi ? 0 : -1;
	struct own_sites o;
	ssize_t len;
	int err;

	memset(out, 0, sizeof(*out));
	out->optimises = site_cost__kernel_optimises();
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len < 0)
		return -errno;
	exe[len] = '\0';
	err = own_sites__read(exe, &o);
	if (err)
		goto cleanup;
	skel = site_cost_bpf__open();
	if (skel && multi)
		bpf_program__set_expected_attach_type(skel->progs.site_cost_hit,
						      UPROBE_MULTI_ATTACH_TYPE);
	if (skel && site_cost_bpf__load(skel)) {
		site_cost_bpf__destroy(skel);
		skel = NULL;
	}
	if (!skel) {
		err = -errno;
		goto cleanup;
	}
	err = site_cost__attach(skel, exe, &o, links, &multi_fd);
	if (err)
		goto cleanup;
	site_cost__rounds(out, t0);
	out->trampoline_seen = site_cost__trampoline_mapped(getpid());
cleanup:
	if (multi_fd > 0)
		close(multi_fd);
	for (int i = 0; i < 4; i++)
		bpf_link__destroy(links[i]);
	site_cost_bpf__destroy(skel);
	out->elapsed_ns = meta__now_ns() - t0;
	return err;
}
