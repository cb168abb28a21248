/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The BPF side as the agent sees it: load the object, attach region sites,
 * read its counters. */
#ifndef SCOPE_PROBES_H
#define SCOPE_PROBES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "scope_bpf_record.h"

struct probes;

struct probes_opts {
	pid_t pid;		/* the only process the probes fire for */
	uint32_t max_depth;	/* <= SCOPE_MAX_DEPTH */
	size_t ringbuf_bytes;	/* power of two, >= page size */
};

/* Opens and loads the BPF object; NULL with errno set on failure. */
struct probes *probes__new(const struct probes_opts *opts);
void probes__free(struct probes *p);

/* A uprobe at @offset of the ELF file @path: a BEGIN or END site (kind from
 * scope_bpf.h) of region @region (ignored for END_INNERMOST). 0 or -errno. */
int probes__attach_site(struct probes *p, const char *path, uint64_t offset,
			uint32_t kind, uint32_t region);
/* Reports regions still open when a thread exits. 0 or -errno. */
int probes__attach_exit(struct probes *p);
size_t probes__nlinks(const struct probes *p);
int probes__ringbuf_fd(const struct probes *p);
void probes__counters(const struct probes *p, struct scope_bpf_counters *out);

#endif /* SCOPE_PROBES_H */
