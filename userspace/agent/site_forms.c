// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The markers' two probe sites (docs/markers.md): a marker of API version 2
 * and later has a 1-byte nop and a 5-byte nop, and the probes hold each
 * file's such sites in the links of one form, apart from every other link,
 * so that the site trial (agent/site_trial.c) can move them to the other
 * form while the target runs: the other form attached, the BPF side told
 * which acts, the old links removed. Sites with one form only (older
 * markers, functions' entries) are attached once, always acting. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/meta.h"
#include "agent/probes.h"
#include "agent/probes_internal.h"
#include "common/array.h"
#include "common/log.h"
#include "regions.skel.h"

/* Links of one form of one file's sites. */
struct link_set {
	struct bpf_link **links;
	size_t nlinks;
	int *fds;
	size_t nfds;
};

/* One file's sites that have both forms, and their links in the current
 * form. */
struct marker_object {
	char *path;
	struct probe_site *sites;
	size_t n;
	struct link_set now;
};

static void link_set__drop(struct link_set *set)
{
	for (size_t i = 0; i < set->nfds; i++)
		close(set->fds[i]);
	for (size_t i = 0; i < set->nlinks; i++)
		bpf_link__destroy(set->links[i]);
	free(set->links);
	free(set->fds);
	memset(set, 0, sizeof(*set));
}

void site_forms__drop(struct probes *p)
{
	for (size_t i = 0; i < p->nobjects; i++) {
		link_set__drop(&p->objects[i].now);
		free(p->objects[i].path);
		free(p->objects[i].sites);
	}
	free(p->objects);
	p->objects = NULL;
	p->nobjects = p->objects_cap = 0;
}

/* Moves what was attached past the first @links and @fds of the flat
 * arrays into @set. */
static int take_tail(struct probes *p, size_t links, size_t fds,
		     struct link_set *set)
{
	set->nlinks = p->nlinks - links;
	set->nfds = p->nmulti - fds;
	set->links = calloc(set->nlinks ?: 1, sizeof(*set->links));
	set->fds = calloc(set->nfds ?: 1, sizeof(*set->fds));
	if (!set->links || !set->fds) {
		free(set->links);
		free(set->fds);
		memset(set, 0, sizeof(*set));
		probes__drop_links(p, links, fds);
		return -ENOMEM;
	}
	/* an array with nothing in it may be NULL, which memcpy must not
	 * get even for no bytes */
	if (set->nlinks)
		memcpy(set->links, p->links + links,
		       set->nlinks * sizeof(*set->links));
	if (set->nfds)
		memcpy(set->fds, p->multi_fds + fds,
		       set->nfds * sizeof(*set->fds));
	p->nlinks = links;
	p->nmulti = fds;
	return 0;
}

/* @o's sites in form @nop5, into @set. */
static int attach_form(struct probes *p, const struct marker_object *o,
		       bool nop5, struct link_set *set)
{
	size_t links = p->nlinks, fds = p->nmulti;
	struct probe_site *at = calloc(o->n ?: 1, sizeof(*at));
	int err;

	if (!at)
		return -ENOMEM;
	for (size_t i = 0; i < o->n; i++) {
		at[i] = o->sites[i];
		at[i].offset =
			nop5 ? o->sites[i].nop5_offset : o->sites[i].offset;
		at[i].form =
			nop5 ? SCOPE_COOKIE_NOP5_FORM : SCOPE_COOKIE_TRAP_FORM;
	}
	err = probes__attach_sites(p, o->path, at, o->n);
	free(at);
	if (err) {
		probes__drop_links(p, links, fds);
		return err;
	}
	return take_tail(p, links, fds, set);
}

int site_forms__attach(struct probes *p, const char *path,
		       const struct probe_site *sites, size_t n)
{
	struct marker_object *o;
	int err;

	if (ARRAY_RESERVE(p->objects, p->objects_cap, p->nobjects + 1))
		return -ENOMEM;
	o = &p->objects[p->nobjects];
	memset(o, 0, sizeof(*o));
	o->path = strdup(path);
	o->sites = calloc(n, sizeof(*o->sites));
	if (!o->path || !o->sites) {
		err = -ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (sites[i].nop5_offset)
			o->sites[o->n++] = sites[i];
	err = attach_form(p, o, p->nop5, &o->now);
	if (!err) {
		p->nobjects++;
		return 0;
	}
fail:
	free(o->path);
	free(o->sites);
	return err;
}

int site_forms__attach_fixed(struct probes *p, const char *path,
			     const struct probe_site *sites, size_t n)
{
	struct probe_site *fixed = calloc(n, sizeof(*fixed));
	size_t k = 0;
	int err;

	if (!fixed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!sites[i].nop5_offset)
			fixed[k++] = sites[i];
	for (size_t i = 0; i < k; i++)
		fixed[i].form = 0;
	err = probes__attach_sites(p, path, fixed, k);
	free(fixed);
	return err;
}

void probes__set_form(struct probes *p, bool nop5)
{
	p->nop5 = nop5;
	__atomic_store_n(&p->skel->bss->site_form, nop5, __ATOMIC_SEQ_CST);
}

bool probes__form_nop5(const struct probes *p)
{
	return p->nop5;
}

size_t probes__switchable(const struct probes *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nobjects; i++)
		n += p->objects[i].n;
	return n;
}

/* How long a switch to the 1-byte nops waits for the threads that sit
 * between a marker's two probes, their run left to the 5-byte nop. */
#define FORM_PENDING_WAIT_NS 200000000ull

/* Until no thread is on its way from a 1-byte nop that left its run to
 * the 5-byte nop (form_pending in bpf/regions.bpf.c); -EBUSY when one
 * stays (a thread stopped or in a signal handler there). */
static int wait_pending(struct probes *p)
{
	const struct timespec nap = { 0, 200000 };
	uint64_t t0 = meta__now_ns();

	while (__atomic_load_n(&p->skel->bss->form_pending, __ATOMIC_SEQ_CST) >
	       0) {
		if (meta__now_ns() - t0 > FORM_PENDING_WAIT_NS)
			return -EBUSY;
		nanosleep(&nap, NULL);
	}
	return 0;
}

/* Removes the @n link sets of @sets, and @sets. */
static void drop_sets(struct link_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++)
		link_set__drop(&sets[i]);
	free(sets);
}

int probes__switch_form(struct probes *p)
{
	struct link_set *next = calloc(p->nobjects ?: 1, sizeof(*next));
	uint64_t t0 = meta__now_ns(), t1;
	bool to = !p->nop5;
	size_t i;
	int err = 0;

	if (!next)
		return -ENOMEM;
	/* both forms attached: the old one still acts */
	for (i = 0; i < p->nobjects && !err; i++)
		err = attach_form(p, &p->objects[i], to, &next[i]);
	if (err) {
		drop_sets(next, i);
		return err;
	}
	probes__set_form(p, to);
	err = to ? 0 : wait_pending(p);
	if (err) {
		/* back: the 5-byte nops stay, the 1-byte nops may go */
		probes__set_form(p, !to);
		drop_sets(next, p->nobjects);
		return err;
	}
	/* the old form's probes do nothing now; their removal waits for
	 * the kernel */
	t1 = meta__now_ns();
	for (i = 0; i < p->nobjects; i++) {
		link_set__drop(&p->objects[i].now);
		p->objects[i].now = next[i];
	}
	free(next);
	pr_debug(
		"site form %s: attached in %.1f ms, the old removed in %.1f ms\n",
		to ? "nop5" : "trap", (t1 - t0) / 1e6,
		(meta__now_ns() - t1) / 1e6);
	return 0;
}

void probes__count_ended(struct probes *p, bool on)
{
	__atomic_store_n(&p->skel->bss->counting_ended, on, __ATOMIC_SEQ_CST);
}
