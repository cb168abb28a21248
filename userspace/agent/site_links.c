// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* How sites become links: the marker programs a site runs, its cookie, one
 * uprobe_multi link per program and file (or a perf-event link per site on
 * kernels without it, SCOPE_BPF_ATTACH=per-site), and the flat arrays of
 * links and fds the probes keep (agent/probes.c, agent/site_forms.c). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/probes.h"
#include "agent/probes_internal.h"
#include "agent/uprobe_multi.h"
#include "common/array.h"
#include "regions.skel.h"
#include "scope_bpf.h"

static uint64_t site_cookie(const struct probe_site *s)
{
	return s->form | (s->kind == SCOPE_BPF_KIND_END_INNERMOST ?
				  SCOPE_REGION_INNERMOST :
				  s->region);
}

static struct bpf_program *site_prog(const struct probes *p,
				     const struct probe_site *s)
{
	switch (s->kind) {
	case SCOPE_BPF_KIND_BEGIN:
		return p->skel->progs.region_begin;
	case SCOPE_BPF_KIND_BEGIN_NAMED:
		return p->skel->progs.region_begin_named;
	case SCOPE_BPF_KIND_END_NAMED:
		return p->skel->progs.region_end_named;
	default:
		return p->skel->progs.region_end;
	}
}

/* The programs that marker sites run, one link per program and file. */
static const uint32_t site_progs[] = {
	SCOPE_BPF_KIND_BEGIN,
	SCOPE_BPF_KIND_END,
	SCOPE_BPF_KIND_BEGIN_NAMED,
	SCOPE_BPF_KIND_END_NAMED,
};
#define NSITE_PROGS (sizeof(site_progs) / sizeof(site_progs[0]))

static struct bpf_program *site_prog_of(const struct probes *p, size_t i)
{
	struct probe_site s = { .kind = site_progs[i] };

	return site_prog(p, &s);
}

void probes__expect_multi(struct probes *p)
{
	for (size_t i = 0; i < NSITE_PROGS; i++)
		bpf_program__set_expected_attach_type(site_prog_of(p, i),
						      UPROBE_MULTI_ATTACH_TYPE);
}

void probes__drop_links(struct probes *p, size_t links, size_t fds)
{
	for (size_t i = fds; i < p->nmulti; i++)
		close(p->multi_fds[i]);
	p->nmulti = fds;
	for (size_t i = links; i < p->nlinks; i++)
		bpf_link__destroy(p->links[i]);
	p->nlinks = links;
}

int probes__keep_link(struct probes *p, struct bpf_link *link)
{
	if (ARRAY_RESERVE(p->links, p->cap, p->nlinks + 1)) {
		bpf_link__destroy(link);
		return -ENOMEM;
	}
	p->links[p->nlinks++] = link;
	return 0;
}

static int attach_per_site(struct probes *p, const char *path,
			   const struct probe_site *sites, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, uo,
			    .bpf_cookie = site_cookie(&sites[i]));
		struct bpf_link *link;
		int err;

		link = bpf_program__attach_uprobe_opts(site_prog(p, &sites[i]),
						       p->filter_pid, path,
						       sites[i].offset, &uo);
		if (!link)
			return -errno;
		err = probes__keep_link(p, link);
		if (err)
			return err;
	}
	return 0;
}

int probes__keep_fd(struct probes *p, int fd)
{
	if (ARRAY_RESERVE(p->multi_fds, p->multi_cap, p->nmulti + 1)) {
		close(fd);
		return -ENOMEM;
	}
	p->multi_fds[p->nmulti++] = fd;
	return 0;
}

/* One link for the sites of @sites that run @prog. */
static int attach_multi(struct probes *p, struct bpf_program *prog,
			const char *path, const struct probe_site *sites,
			size_t n)
{
	uint64_t *offsets = calloc(n, sizeof(*offsets));
	uint64_t *cookies = calloc(n, sizeof(*cookies));
	uint32_t cnt = 0;
	int fd = 0;

	if (!offsets || !cookies) {
		fd = -ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if (site_prog(p, &sites[i]) != prog)
			continue;
		offsets[cnt] = sites[i].offset;
		cookies[cnt++] = site_cookie(&sites[i]);
	}
	if (cnt)
		fd = uprobe_multi__attach(
			bpf_program__fd(prog), path, offsets, cookies, cnt,
			p->filter_pid < 0 ? 0 : p->filter_pid);
	if (cnt && fd >= 0)
		fd = probes__keep_fd(p, fd);
cleanup:
	free(offsets);
	free(cookies);
	return fd < 0 ? fd : 0;
}

int probes__attach_sites(struct probes *p, const char *path,
			 const struct probe_site *sites, size_t n)
{
	int err = 0;

	if (!p->multi)
		return attach_per_site(p, path, sites, n);
	for (size_t i = 0; i < NSITE_PROGS && !err; i++)
		err = attach_multi(p, site_prog_of(p, i), path, sites, n);
	return err;
}
