// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Enter and leave events in time order from a thread's intervals in the
 * order they ended. That order is a post-order of the thread's call tree:
 * a region comes right after the regions nested in it, which form a run
 * just before it. An enter must come before those, so the intervals wait
 * until the outermost one that holds them has come, then go out in
 * pre-order: by the first interval of their run, the outer first. */
#include <errno.h>
#include <stdlib.h>

#include "common/array.h"
#include "export/enter_leave.h"

struct node {
	uint64_t start, end;
	uint32_t region, depth;
	uint32_t pos;	/* the order it came in */
	uint32_t first; /* pos of the first interval nested in it, else pos */
};

struct enter_leave {
	enter_leave_fn fn;
	void *ctx;
	struct node *nodes; /* waiting, in the order they came */
	size_t n, cap;
	uint32_t *roots; /* nodes no later one holds (yet), in order */
	size_t nroots, roots_cap;
	uint32_t *open; /* while emitting: the regions entered, not left */
	size_t open_cap;
};

struct enter_leave *enter_leave__new(enter_leave_fn fn, void *ctx)
{
	struct enter_leave *el = calloc(1, sizeof(*el));

	if (!el) {
		errno = ENOMEM;
		return NULL;
	}
	el->fn = fn;
	el->ctx = ctx;
	return el;
}

void enter_leave__free(struct enter_leave *el)
{
	if (!el)
		return;
	free(el->nodes);
	free(el->roots);
	free(el->open);
	free(el);
}

size_t enter_leave__waiting(const struct enter_leave *el)
{
	return el->n;
}

/* Whether @c is nested in @v: deeper, and within its times (a thread's
 * regions nest, so times decide; the depth breaks a tie of zero-length
 * regions). */
static bool node__holds(const struct trace_interval *v, const struct node *c)
{
	return c->depth > v->depth && c->start >= v->start_ns &&
	       c->end <= v->end_ns;
}

/* Pre-order: a run's first interval first; of the regions whose runs
 * start there, the outermost (the one that came last) first. */
static int node__cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->pos > y->pos ? -1 : x->pos < y->pos;
}

/* Leaves the open regions that do not hold @c (all of them, @c NULL). */
static int leave_until(struct enter_leave *el, size_t *nopen,
		       const struct node *c)
{
	int err = 0;

	while (!err && *nopen) {
		const struct node *o = &el->nodes[el->open[*nopen - 1]];

		if (c && o->first <= c->pos && c->pos < o->pos)
			break;
		err = el->fn(el->ctx, false, o->end, o->region);
		(*nopen)--;
	}
	return err;
}

/* Every waiting interval as events, then none waits. */
static int enter_leave__emit(struct enter_leave *el)
{
	size_t nopen = 0;
	int err = 0;

	if (!el->n)
		return 0;
	if (ARRAY_RESERVE(el->open, el->open_cap, el->n))
		return -ENOMEM;
	qsort(el->nodes, el->n, sizeof(*el->nodes), node__cmp);
	for (size_t i = 0; !err && i < el->n; i++) {
		const struct node *c = &el->nodes[i];

		err = leave_until(el, &nopen, c);
		if (!err)
			err = el->fn(el->ctx, true, c->start, c->region);
		el->open[nopen++] = i;
	}
	if (!err)
		err = leave_until(el, &nopen, NULL);
	el->n = el->nroots = 0;
	return err;
}

int enter_leave__add(struct enter_leave *el, const struct trace_interval *v)
{
	uint32_t pos = el->n, first = pos;

	if (el->n >= UINT32_MAX)
		return -E2BIG;
	if (ARRAY_RESERVE(el->nodes, el->cap, el->n + 1) ||
	    ARRAY_RESERVE(el->roots, el->roots_cap, el->nroots + 1))
		return -ENOMEM;
	/* the regions nested in @v are the last roots: it adopts them */
	while (el->nroots &&
	       node__holds(v, &el->nodes[el->roots[el->nroots - 1]])) {
		first = el->nodes[el->roots[el->nroots - 1]].first;
		el->nroots--;
	}
	el->nodes[el->n++] = (struct node){ .start = v->start_ns,
					    .end = v->end_ns,
					    .region = v->region,
					    .depth = v->depth,
					    .pos = pos,
					    .first = first };
	el->roots[el->nroots++] = pos;
	/* nothing encloses an outermost region: its run is complete */
	return v->depth ? 0 : enter_leave__emit(el);
}

int enter_leave__drain(struct enter_leave *el)
{
	return enter_leave__emit(el);
}
