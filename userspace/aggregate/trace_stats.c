// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Rebuilds the agent's statistics from a trace. Within a thread the trace
 * holds intervals by end time, so a region's children all come before it:
 * each thread keeps, per depth, the time and calls of the children that
 * ended since the last region one level up ended, which that region takes
 * as its child time when it ends (self = duration - children, as the BPF
 * side computes it). The same region also adopts the distinct call paths
 * of those children: a child's parent path is known only once its parent
 * ends. Memory: per thread a few hundred bytes, per path a link. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/paths.h"
#include "aggregate/stats.h"
#include "aggregate/trace_stats.h"
#include "common/array.h"
#include "common/rowindex.h"

#define DEPTHS (SCOPE_MAX_DEPTH + 1)

/* A call path that ended at @depth and waits for its parent to end. */
struct orphan {
	uint64_t path;
	uint32_t depth;
};

struct thread_acc {
	uint32_t pid, tid;
	uint64_t child_ns[DEPTHS];
	uint32_t child_calls[DEPTHS];
	struct orphan *orphans; /* distinct (depth, path) pairs */
	size_t norphans, cap;
};

struct link {
	uint64_t path, parent;
};

struct trace_stats {
	struct stats_table *stats;
	struct thread_acc *threads;
	size_t nthreads, cap;
	struct rowindex tindex; /* by (pid, tid) */
	struct link *links;
	size_t nlinks, lcap;
	struct rowindex lindex; /* by path */
};

struct tid_key {
	uint32_t pid, tid;
};

static uint64_t thread_hash(const void *rows, size_t i)
{
	const struct thread_acc *t = (const struct thread_acc *)rows + i;

	return rowindex__mix((uint64_t)t->pid << 32 | t->tid);
}

static bool thread_is(const void *rows, size_t i, const void *key)
{
	const struct thread_acc *t = (const struct thread_acc *)rows + i;
	const struct tid_key *k = key;

	return t->pid == k->pid && t->tid == k->tid;
}

static const struct rowindex_ops thread_ops = { thread_hash, thread_is };

static uint64_t link_hash(const void *rows, size_t i)
{
	return rowindex__mix(((const struct link *)rows)[i].path);
}

static bool link_is(const void *rows, size_t i, const void *key)
{
	return ((const struct link *)rows)[i].path == *(const uint64_t *)key;
}

static const struct rowindex_ops link_ops = { link_hash, link_is };

struct trace_stats *trace_stats__new(void)
{
	struct trace_stats *t = calloc(1, sizeof(*t));

	if (t)
		t->stats = stats__new();
	if (t && !t->stats) {
		free(t);
		return NULL;
	}
	return t;
}

void trace_stats__free(struct trace_stats *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nthreads; i++)
		free(t->threads[i].orphans);
	free(t->threads);
	rowindex__free(&t->tindex);
	free(t->links);
	rowindex__free(&t->lindex);
	stats__free(t->stats);
	free(t);
}

static struct thread_acc *thread__get(struct trace_stats *t, uint32_t pid,
				      uint32_t tid)
{
	struct tid_key k = { pid, tid };
	struct thread_acc *th;
	size_t s;
	long row;

	if (rowindex__fit(&t->tindex, t->nthreads + 1, &thread_ops, t->threads,
			  t->nthreads))
		return NULL;
	s = rowindex__slot(&t->tindex, rowindex__mix((uint64_t)pid << 32 | tid),
			   &k, &thread_ops, t->threads);
	row = rowindex__row(&t->tindex, s);
	if (row >= 0)
		return &t->threads[row];
	if (ARRAY_RESERVE(t->threads, t->cap, t->nthreads + 1))
		return NULL;
	th = &t->threads[t->nthreads];
	memset(th, 0, sizeof(*th));
	th->pid = pid;
	th->tid = tid;
	t->tindex.slots[s] = ++t->nthreads;
	return th;
}

/* @path's parent is @parent; the first link found stands (a path has one
 * parent path by construction). */
static int link__add(struct trace_stats *t, uint64_t path, uint64_t parent)
{
	size_t s;

	if (rowindex__fit(&t->lindex, t->nlinks + 1, &link_ops, t->links,
			  t->nlinks))
		return -ENOMEM;
	s = rowindex__slot(&t->lindex, rowindex__mix(path), &path, &link_ops,
			   t->links);
	if (rowindex__row(&t->lindex, s) >= 0)
		return 0;
	if (ARRAY_RESERVE(t->links, t->lcap, t->nlinks + 1))
		return -ENOMEM;
	t->links[t->nlinks] = (struct link){ path, parent };
	t->lindex.slots[s] = ++t->nlinks;
	return 0;
}

static const struct link *link__find(const struct trace_stats *t, uint64_t path)
{
	size_t s;
	long row;

	if (!t->lindex.nslots)
		return NULL;
	s = rowindex__slot(&t->lindex, rowindex__mix(path), &path, &link_ops,
			   t->links);
	row = rowindex__row(&t->lindex, s);
	return row >= 0 ? &t->links[row] : NULL;
}

/* The interval at @depth with @path ended: the orphans one level down
 * are its children. */
static int orphans__adopt(struct trace_stats *t, struct thread_acc *th,
			  uint32_t depth, uint64_t path)
{
	size_t i = 0;

	while (i < th->norphans) {
		struct orphan *o = &th->orphans[i];

		if (o->depth != depth + 1) {
			i++;
			continue;
		}
		if (link__add(t, o->path, path))
			return -ENOMEM;
		*o = th->orphans[--th->norphans];
	}
	return 0;
}

static int orphans__add(struct thread_acc *th, uint32_t depth, uint64_t path)
{
	for (size_t i = 0; i < th->norphans; i++)
		if (th->orphans[i].depth == depth &&
		    th->orphans[i].path == path)
			return 0;
	if (ARRAY_RESERVE(th->orphans, th->cap, th->norphans + 1))
		return -ENOMEM;
	th->orphans[th->norphans++] = (struct orphan){ path, depth };
	return 0;
}

static int interval__add(struct trace_stats *t, const struct trace_interval *v)
{
	struct thread_acc *th = thread__get(t, v->pid, v->tid);
	uint32_t d =
		v->depth < SCOPE_MAX_DEPTH ? v->depth : SCOPE_MAX_DEPTH - 1;
	uint64_t dur = v->end_ns >= v->start_ns ? v->end_ns - v->start_ns : 0;
	struct scope_record r = {
		.start_ns = v->start_ns,
		.end_ns = v->end_ns,
		.region = v->region,
		.parent = v->parent,
		.type = SCOPE_REC_INTERVAL,
		.depth = (__u16)d,
		.path = v->path,
	};

	if (!th)
		return -ENOMEM;
	r.child_ns = th->child_ns[d + 1];
	r.child_calls = th->child_calls[d + 1];
	th->child_ns[d + 1] = 0;
	th->child_calls[d + 1] = 0;
	th->child_ns[d] += dur;
	th->child_calls[d]++;
	if (orphans__adopt(t, th, d, v->path) ||
	    (d && orphans__add(th, d, v->path)))
		return -ENOMEM;
	return stats__add(t->stats, v->pid, v->tid, &r);
}

int trace_stats__add(struct trace_stats *t, const struct trace_interval *v,
		     size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++)
		err = interval__add(t, &v[i]);
	return err;
}

static int copy__threads(const struct trace_stats *t, struct profile *p)
{
	p->threads = calloc(t->nthreads ?: 1, sizeof(*p->threads));
	if (!p->threads)
		return -ENOMEM;
	for (size_t i = 0; i < t->nthreads; i++) {
		p->threads[i].pid = t->threads[i].pid;
		p->threads[i].tid = t->threads[i].tid;
		/* a trace names no thread: the agent writes names at the end */
		p->threads[i].comm = strdup("");
		if (!p->threads[i].comm)
			return -ENOMEM;
		p->nthreads++;
	}
	return 0;
}

static int copy__paths(const struct trace_stats *t, struct profile *p)
{
	const struct path_table *pt = stats__paths(t->stats);
	size_t n = paths__count(pt);

	p->paths = calloc(n ?: 1, sizeof(*p->paths));
	if (!p->paths)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct link *l;

		p->paths[i] = *paths__at(pt, i);
		l = link__find(t, p->paths[i].path);
		if (l && p->paths[i].depth)
			p->paths[i].parent_path = l->parent;
	}
	p->npaths = n;
	return 0;
}

int trace_stats__profile(const struct trace_stats *t, struct profile *p)
{
	size_t n = stats__count(t->stats);

	p->stats = calloc(n ?: 1, sizeof(*p->stats));
	if (!p->stats)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		p->stats[i] = *stats__at(t->stats, i);
	p->nstats = n;
	if (copy__threads(t, p))
		return -ENOMEM;
	return copy__paths(t, p);
}
