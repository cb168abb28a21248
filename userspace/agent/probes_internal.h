/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What agent/probes.c shares with agent/site_forms.c, which holds the
 * markers' sites that have two forms: the probes' own state, and the two
 * ways links are attached and removed. Nothing else includes it. */
#ifndef SCOPE_PROBES_INTERNAL_H
#define SCOPE_PROBES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct bpf_link;
struct marker_object;
struct probe_site;
struct self_reaper;

struct probes {
	struct regions_bpf *skel;
	bool multi; /* uprobe_multi links, else a perf-event link per site */
	bool in_kernel;	  /* regions aggregated in the aggs map */
	pid_t filter_pid; /* the kernel's pid filter: -1 for none */
	/* the target: function probes (often in a shared library such as
	 * libc) fire for it alone, never in every process that maps it */
	pid_t target_pid;
	struct bpf_link **links;
	size_t nlinks, cap;
	int *multi_fds;
	size_t nmulti, multi_cap;
	/* the first links and fds are the agent's own (probes__attach_self):
	 * probes__detach leaves them; probes__release_self hands them to a
	 * thread, since each removal waits for the kernel */
	size_t nself_links, nself_fds;
	size_t nsites;
	/* the markers' sites that have both forms, per file, in their links
	 * of the current form (nop5), apart from the flat arrays above */
	struct marker_object *objects;
	size_t nobjects, objects_cap;
	bool nop5;
	struct self_reaper *reaper; /* joined by probes__free */
};

/* site_links.c: the marker programs take uprobe_multi links. */
void probes__expect_multi(struct probes *p);
/* A link or an fd into the flat arrays (closed on failure). 0 or
 * -ENOMEM. */
int probes__keep_link(struct probes *p, struct bpf_link *link);
int probes__keep_fd(struct probes *p, int fd);
/* Sites of @path, each at its @offset, in the flat arrays (one link per
 * program, or one per site). 0 or -errno. */
int probes__attach_sites(struct probes *p, const char *path,
			 const struct probe_site *sites, size_t n);
/* Removes the flat arrays' links and fds past the first @links and @fds. */
void probes__drop_links(struct probes *p, size_t links, size_t fds);

/* site_forms.c: the sites of @sites that have both forms, kept per file
 * and attached in the current form; those without a 5-byte nop, in the
 * flat arrays. 0 or -errno. */
int site_forms__attach(struct probes *p, const char *path,
		       const struct probe_site *sites, size_t n);
int site_forms__attach_fixed(struct probes *p, const char *path,
			     const struct probe_site *sites, size_t n);
/* Every file's two-form links, removed. */
void site_forms__drop(struct probes *p);

#endif /* SCOPE_PROBES_INTERNAL_H */
