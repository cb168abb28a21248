// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loads bpf/regions.bpf.c through its skeleton and owns every uprobe link:
 * links are file descriptors, so the kernel removes the probes when the agent
 * exits, however it exits. */
#include <errno.h>
#include <stdlib.h>

#include <bpf/libbpf.h>

#include "agent/probes.h"
#include "common/log.h"
#include "regions.skel.h"
#include "scope_bpf.h"

struct probes {
	struct regions_bpf *skel;
	struct bpf_link **links;
	size_t nlinks, cap;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	/* libbpf warns about every failed attach itself; the agent says it once
	 * with context, so libbpf's messages only show with -v */
	(void)level;
	log__vmsg(LOG_DEBUG, fmt, ap);
	return 0;
}

struct probes *probes__new(const struct probes_opts *opts)
{
	struct probes *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return NULL;
	libbpf_set_print(libbpf_print);
	p->skel = regions_bpf__open();
	if (!p->skel) {
		err = -errno;
		goto cleanup;
	}
	p->skel->rodata->max_depth = opts->max_depth;
	p->skel->rodata->target_tgid = opts->pid;
	err = bpf_map__set_max_entries(p->skel->maps.records,
				       opts->ringbuf_bytes);
	if (err)
		goto cleanup;
	err = regions_bpf__load(p->skel);
	if (err)
		goto cleanup;
	return p;
cleanup:
	probes__free(p);
	errno = -err;
	return NULL;
}

void probes__free(struct probes *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nlinks; i++)
		bpf_link__destroy(p->links[i]);
	free(p->links);
	regions_bpf__destroy(p->skel);
	free(p);
}

static int keep_link(struct probes *p, struct bpf_link *link)
{
	if (p->nlinks == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		void *v = realloc(p->links, cap * sizeof(*p->links));

		if (!v) {
			bpf_link__destroy(link);
			return -ENOMEM;
		}
		p->links = v;
		p->cap = cap;
	}
	p->links[p->nlinks++] = link;
	return 0;
}

int probes__attach_site(struct probes *p, const char *path, uint64_t offset,
			uint32_t kind, uint32_t region)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo);
	struct bpf_program *prog = p->skel->progs.region_end;
	struct bpf_link *link;

	if (kind == SCOPE_BPF_KIND_BEGIN)
		prog = p->skel->progs.region_begin;
	uo.bpf_cookie = kind == SCOPE_BPF_KIND_END_INNERMOST ?
				SCOPE_REGION_INNERMOST :
				region;
	link = bpf_program__attach_uprobe_opts(prog, p->skel->rodata->target_tgid,
					       path, offset, &uo);
	if (!link)
		return -errno;
	return keep_link(p, link);
}

int probes__attach_exit(struct probes *p)
{
	struct bpf_link *link;

	link = bpf_program__attach(p->skel->progs.thread_exit);
	if (!link)
		return -errno;
	return keep_link(p, link);
}

size_t probes__nlinks(const struct probes *p)
{
	return p->nlinks;
}

int probes__ringbuf_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.records);
}

void probes__counters(const struct probes *p, struct scope_bpf_counters *out)
{
	/* .bss is mmap'ed: a plain copy reads the kernel's current values */
	*out = *(volatile struct scope_bpf_counters *)&p->skel->bss->counters;
}
