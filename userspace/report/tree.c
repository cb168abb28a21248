// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Builds the call tree from the per-thread call-path rows: rows of the same
 * path (and thread, per thread) merge into a node, a node hangs under the
 * node of its parent path, and siblings go largest first. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/tree.h"

/* Sort key while merging: the thread (per thread only), then the path. */
struct keyed {
	const struct path_stats *row;
	uint32_t pid, tid;
};

static int keyed__cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->row->path != y->row->path)
		return x->row->path < y->row->path ? -1 : 1;
	return 0;
}

static void node__add(struct tree_node *n, const struct path_stats *r)
{
	n->calls += r->calls;
	n->child_calls += r->child_calls;
	n->total_ns += r->total_ns;
	n->self_ns += r->self_ns;
	for (size_t i = 0; i < PROFILE_MAX_COUNTERS; i++) {
		n->counter_incl[i] += r->counter_incl[i];
		n->counter_self[i] += r->counter_self[i];
	}
}

/* One node per (thread,) path, in (thread,) path order. */
static int nodes__merge(const struct profile *p, const struct tree_opts *o,
			struct tree *t)
{
	struct keyed *k = calloc(p->npaths ?: 1, sizeof(*k));

	t->nodes = calloc(p->npaths ?: 1, sizeof(*t->nodes));
	if (!k || !t->nodes) {
		free(k);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->npaths; i++)
		k[i] = (struct keyed){ &p->paths[i],
				       o->per_thread ? p->paths[i].pid : 0,
				       o->per_thread ? p->paths[i].tid : 0 };
	qsort(k, p->npaths, sizeof(*k), keyed__cmp);
	for (size_t i = 0; i < p->npaths; i++) {
		struct tree_node *n = &t->nodes[t->n];

		if (i && !keyed__cmp(&k[i - 1], &k[i])) {
			node__add(n - 1, k[i].row);
			continue;
		}
		*n = (struct tree_node){ .path = k[i].row->path,
					 .parent_path = k[i].row->parent_path,
					 .region = k[i].row->region,
					 .depth = k[i].row->depth,
					 .pid = k[i].pid,
					 .tid = k[i].tid,
					 .parent = TREE_NONE };
		node__add(n, k[i].row);
		t->n++;
	}
	free(k);
	return 0;
}

/* The node of @path in @n's thread: nodes are sorted by (thread, path). */
static size_t node__find(const struct tree *t, const struct tree_node *n,
			 uint64_t path)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tree_node *m = &t->nodes[mid];
		int c = m->pid != n->pid ? (m->pid < n->pid ? -1 : 1) :
			m->tid != n->tid ? (m->tid < n->tid ? -1 : 1) :
			m->path != path	 ? (m->path < path ? -1 : 1) :
					   0;

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return TREE_NONE;
}

static const struct tree *sort_tree; /* qsort has no context argument */

static int child__cmp(const void *a, const void *b)
{
	const struct tree_node *x = &sort_tree->nodes[*(const size_t *)a];
	const struct tree_node *y = &sort_tree->nodes[*(const size_t *)b];

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->region < y->region ? -1 : x->region > y->region;
}

/* Parent links, then each node's children and the roots, largest first. */
static int tree__link(struct tree *t)
{
	size_t *slots = calloc(2 * t->n + 1, sizeof(*slots)), used = 0;

	if (!slots)
		return -ENOMEM;
	t->store = slots;
	for (size_t i = 0; i < t->n; i++) {
		struct tree_node *n = &t->nodes[i];

		n->parent = n->parent_path ? node__find(t, n, n->parent_path) :
					     TREE_NONE;
		if (n->parent == TREE_NONE)
			t->nroots++;
		else
			t->nodes[n->parent].nchildren++;
	}
	/* one array holds every child list, and the roots after them */
	for (size_t i = 0; i < t->n; i++) {
		t->nodes[i].children = slots + used;
		used += t->nodes[i].nchildren;
		t->nodes[i].nchildren = 0;
	}
	t->roots = slots + used;
	t->nroots = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct tree_node *n = &t->nodes[i];

		if (n->parent == TREE_NONE) {
			t->roots[t->nroots++] = i;
		} else {
			struct tree_node *up = &t->nodes[n->parent];

			up->children[up->nchildren++] = i;
		}
	}
	return 0;
}

/* Siblings and roots largest first, once the totals are final. */
static void tree__order(struct tree *t)
{
	t->roots_ns = 0;
	for (size_t r = 0; r < t->nroots; r++)
		t->roots_ns += t->nodes[t->roots[r]].total_ns;
	sort_tree = t;
	for (size_t i = 0; i < t->n; i++)
		qsort(t->nodes[i].children, t->nodes[i].nchildren,
		      sizeof(size_t), child__cmp);
	qsort(t->roots, t->nroots, sizeof(size_t), child__cmp);
	sort_tree = NULL;
}

/* A node's compensated total: its compensated self time and its
 * children's compensated totals. A region's own formula (report__compensate)
 * takes out its direct children's probe pairs only; the probes of regions
 * deeper down are inside it too, and the tree knows where they are. */
static uint64_t total__compensated(struct tree *t, size_t i)
{
	struct tree_node *n = &t->nodes[i];
	uint64_t total = n->self_ns;

	for (size_t c = 0; c < n->nchildren; c++)
		total += total__compensated(t, n->children[c]);
	n->total_ns = total;
	return total;
}

static void tree__compensate(struct tree *t, const struct profile_meta *m)
{
	for (size_t i = 0; i < t->n; i++) {
		struct tree_node *n = &t->nodes[i];
		struct report_comp c;

		report__compensate(m, n->calls, n->child_calls, n->total_ns,
				   n->self_ns, &c);
		n->self_ns = c.self_ns;
	}
	for (size_t r = 0; r < t->nroots; r++)
		total__compensated(t, t->roots[r]);
}

int tree__build(const struct profile *p, const struct tree_opts *o,
		struct tree *t)
{
	int err;

	memset(t, 0, sizeof(*t));
	if (!p->npaths)
		return -ENODATA;
	err = nodes__merge(p, o, t);
	if (!err)
		err = tree__link(t);
	if (err) {
		tree__free(t);
		return err;
	}
	if (!o->raw)
		tree__compensate(t, &p->meta);
	tree__order(t);
	return 0;
}

void tree__free(struct tree *t)
{
	free(t->store);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

static void walk(const struct tree *t, size_t i,
		 int (*fn)(const struct tree *, size_t, void *), void *ctx)
{
	const struct tree_node *n = &t->nodes[i];

	if (fn(t, i, ctx))
		return;
	for (size_t c = 0; c < n->nchildren; c++)
		walk(t, n->children[c], fn, ctx);
}

void tree__walk(const struct tree *t,
		int (*fn)(const struct tree *t, size_t node, void *ctx),
		void *ctx)
{
	for (size_t r = 0; r < t->nroots; r++)
		walk(t, t->roots[r], fn, ctx);
}
