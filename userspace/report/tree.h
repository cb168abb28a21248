/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The call tree of a profile, from its call paths (/paths): merged over
 * threads or one per thread, each node's children by inclusive time. What
 * `report --tree` prints and exports (folded stacks, flame graphs) walk. */
#ifndef SCOPE_REPORT_TREE_H
#define SCOPE_REPORT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"

struct tree_node {
	uint64_t path, parent_path;
	uint32_t region;
	uint32_t depth;
	uint32_t pid, tid; /* per thread; 0 when merged */
	uint64_t calls, child_calls;
	uint64_t total_ns, self_ns; /* compensated unless raw */
	uint64_t counter_incl[PROFILE_MAX_COUNTERS];
	uint64_t counter_self[PROFILE_MAX_COUNTERS];
	size_t parent;	  /* index in the tree's nodes, or TREE_NONE */
	size_t *children; /* indices, by total_ns, largest first */
	size_t nchildren;
};

#define TREE_NONE ((size_t)-1)

struct tree {
	struct tree_node *nodes;
	size_t n;
	size_t *roots; /* indices of the depth-0 nodes (or orphans) */
	size_t nroots;
	uint64_t roots_ns; /* the roots' total time summed */
	size_t *store;	   /* every child list and the roots */
};

struct tree_opts {
	bool per_thread; /* one tree per thread, roots grouped by thread */
	bool raw;	 /* times as measured; else compensated */
};

/* The tree of @p's paths. 0, -ENODATA (a file without call paths) or
 * -ENOMEM. */
int tree__build(const struct profile *p, const struct tree_opts *o,
		struct tree *t);
void tree__free(struct tree *t);
/* Calls @fn on every node, parents before children, children by total
 * time; @fn's nonzero return skips the node's subtree. */
void tree__walk(const struct tree *t,
		int (*fn)(const struct tree *t, size_t node, void *ctx),
		void *ctx);

#endif /* SCOPE_REPORT_TREE_H */
