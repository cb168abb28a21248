// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The rows every view prints: stats rows filtered, merged and sorted.
 *
 * Every view is a sort of the stats rows and one walk over them: by region
 * for the summed view, by thread then region for the per-thread views, and
 * thread names come from a sorted index, so a profile of many threads costs
 * O(n log n), not a scan of every row per thread. A key (thread, region)
 * may have several stats rows (one per call path): rows are merged, never
 * taken one per key. */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "profile/hist.h"
#include "report/rows.h"

size_t report__ncounters(const struct profile *p)
{
	return p->ncounters < PROFILE_MAX_COUNTERS ? p->ncounters :
						     PROFILE_MAX_COUNTERS;
}

const char *region__name(const struct profile *p, uint32_t id)
{
	const struct region_table *t = &p->regions;

	if (id < t->n && t->v[id].id == id)
		return t->v[id].name;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].id == id)
			return t->v[i].name;
	}
	return NULL;
}

const char *region__label(const struct profile *p, uint32_t id, char *buf)
{
	const char *name = region__name(p, id);

	if (name)
		return name;
	snprintf(buf, 24, "region#%" PRIu32, id);
	return buf;
}

uint64_t report__wall_ns(const struct profile *p)
{
	if (p->meta.end_ns > p->meta.start_ns)
		return p->meta.end_ns - p->meta.start_ns;
	return 0;
}

uint64_t report__mean(uint64_t total_ns, uint64_t calls)
{
	return calls ? total_ns / calls : 0;
}

static int ids__cmp(uint32_t pid_a, uint32_t tid_a, uint32_t pid_b,
		    uint32_t tid_b)
{
	if (pid_a != pid_b)
		return pid_a < pid_b ? -1 : 1;
	return tid_a < tid_b ? -1 : tid_a > tid_b;
}

static int thread__by_ids(const void *a, const void *b)
{
	const struct profile_thread *x =
		*(const struct profile_thread *const *)a;
	const struct profile_thread *y =
		*(const struct profile_thread *const *)b;

	return ids__cmp(x->pid, x->tid, y->pid, y->tid);
}

const char *view__comm(const struct view *v, uint32_t pid, uint32_t tid)
{
	struct profile_thread key = { .pid = pid, .tid = tid };
	const struct profile_thread *k = &key, **hit;

	hit = bsearch(&k, v->names, v->nnames, sizeof(*v->names),
		      thread__by_ids);
	return hit && (*hit)->comm ? (*hit)->comm : "";
}

int rows__by_region(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return ids__cmp(x->pid, x->tid, y->pid, y->tid);
}

int rows__by_thread(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;
	int c = ids__cmp(x->pid, x->tid, y->pid, y->tid);

	return c ?: rows__by_region(a, b);
}

static bool glob__any(const char *const *globs, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!fnmatch(globs[i], s, 0))
			return true;
	}
	return false;
}

/* A TID as given, all digits; else a name to match the comm. */
static bool thread__selected(const struct report_opts *o, uint32_t tid,
			     const char *comm)
{
	char num[16];

	snprintf(num, sizeof(num), "%" PRIu32, tid);
	for (size_t i = 0; i < o->nthread_sel; i++) {
		const char *sel = o->thread_sel[i];

		if (!strcmp(sel, num) || !fnmatch(sel, comm, 0))
			return true;
	}
	return false;
}

static bool view__passes(const struct view *v, const struct profile *p,
			 const struct report_opts *o,
			 const struct region_stats *s)
{
	char buf[24];

	if (!o)
		return true;
	if (o->nregions && !glob__any(o->regions, o->nregions,
				      region__label(p, s->region, buf)))
		return false;
	return !o->nthread_sel ||
	       thread__selected(o, s->tid, view__comm(v, s->pid, s->tid));
}

int view__new(struct view *v, const struct profile *p,
	      const struct report_opts *o,
	      int (*cmp)(const void *, const void *))
{
	v->n = 0;
	v->nnames = p->nthreads;
	v->s = calloc(p->nstats ?: 1, sizeof(*v->s));
	v->names = calloc(v->nnames ?: 1, sizeof(*v->names));
	if (!v->s || !v->names) {
		free(v->s);
		free(v->names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < v->nnames; i++)
		v->names[i] = &p->threads[i];
	qsort(v->names, v->nnames, sizeof(*v->names), thread__by_ids);
	for (size_t i = 0; i < p->nstats; i++) {
		if (view__passes(v, p, o, &p->stats[i]))
			v->s[v->n++] = &p->stats[i];
	}
	qsort(v->s, v->n, sizeof(*v->s), cmp);
	return 0;
}

void view__free(struct view *v)
{
	free(v->s);
	free(v->names);
}

size_t view__thread_run(const struct view *v, size_t i)
{
	size_t j = i + 1;

	while (j < v->n && !ids__cmp(v->s[i]->pid, v->s[i]->tid, v->s[j]->pid,
				     v->s[j]->tid))
		j++;
	return j - i;
}

size_t view__nthreads(const struct view *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->n; i += view__thread_run(v, i))
		n++;
	return n;
}

static void row__init(struct row *r, const struct region_stats *s)
{
	*r = (struct row){
		.region = s->region,
		.pid = s->pid,
		.tid = s->tid,
		.threads = 1,
		.calls = s->calls,
		.total_ns = s->total_ns,
		.self_ns = s->self_ns,
		.min_ns = s->min_ns,
		.max_ns = s->max_ns,
		.child_calls = s->child_calls,
	};
	memcpy(r->counter_incl, s->counter_incl, sizeof(r->counter_incl));
	memcpy(r->counter_self, s->counter_self, sizeof(r->counter_self));
	memcpy(r->hist, s->hist, sizeof(r->hist));
}

/* A region that never ran on a thread has no min: skip it in the min.
 * Rows come by thread within a region: a thread's second row (another
 * call path) adds no thread. */
static void row__merge(struct row *r, const struct region_stats *s)
{
	if (s->calls && (!r->calls || s->min_ns < r->min_ns))
		r->min_ns = s->min_ns;
	if (s->max_ns > r->max_ns)
		r->max_ns = s->max_ns;
	r->threads += s->pid != r->pid || s->tid != r->tid;
	r->pid = s->pid;
	r->tid = s->tid;
	r->calls += s->calls;
	r->total_ns += s->total_ns;
	r->self_ns += s->self_ns;
	r->child_calls += s->child_calls;
	for (int i = 0; i < PROFILE_MAX_COUNTERS; i++) {
		r->counter_incl[i] += s->counter_incl[i];
		r->counter_self[i] += s->counter_self[i];
	}
	for (int i = 0; i < PROFILE_HIST_BUCKETS; i++)
		r->hist[i] += s->hist[i];
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* Each instance's own duration includes the in-region share of its BEGIN
 * and END (c_in); each direct child adds the whole pair (c_pair) to the
 * parent's total. The children's measured totals, which self excludes,
 * carry their own c_in already: self keeps c_pair - c_in per child. */
void report__compensate(const struct profile_meta *m, uint64_t calls,
			uint64_t child_calls, uint64_t total_ns,
			uint64_t self_ns, struct report_comp *out)
{
	uint64_t in = m->calib_inregion_ns, pair = m->calib_pair_ns;
	uint64_t outside = sub0(pair, in);

	out->total_ns = sub0(total_ns, calls * in + child_calls * pair);
	out->self_ns = sub0(self_ns, calls * in + child_calls * outside);
	/* children compensated below 0 (a cost calibrated higher than this
	 * run paid) would leave self above total */
	if (out->self_ns > out->total_ns)
		out->self_ns = out->total_ns;
}

uint64_t row__instance_cost(const struct row *r, const struct profile_meta *m)
{
	uint64_t in = m->calib_inregion_ns;

	if (r->calls)
		in += r->child_calls * m->calib_pair_ns / r->calls;
	return in;
}

struct row row__shown(const struct row *r, const struct profile_meta *m,
		      bool raw)
{
	struct row v = *r;
	uint64_t in = row__instance_cost(r, m);

	if (raw)
		return v;
	v.total_ns = r->comp.total_ns;
	v.self_ns = r->comp.self_ns;
	v.min_ns = sub0(r->min_ns, in);
	v.max_ns = sub0(r->max_ns, in);
	return v;
}

uint64_t row__quantile(const struct row *r, double q)
{
	return profile_hist__quantile(r->hist, r->min_ns, r->max_ns, q);
}

static const struct {
	const char *name;
	enum report_sort_col col;
} sort_names[] = {
	{ "total", REPORT_SORT_TOTAL }, { "self", REPORT_SORT_SELF },
	{ "calls", REPORT_SORT_CALLS }, { "mean", REPORT_SORT_MEAN },
	{ "min", REPORT_SORT_MIN },	{ "max", REPORT_SORT_MAX },
	{ "p50", REPORT_SORT_P50 },	{ "p90", REPORT_SORT_P90 },
	{ "p99", REPORT_SORT_P99 },	{ "name", REPORT_SORT_NAME },
};

/* A counter's name, or NAME_self. */
static int sort__counter(const char *name, const struct profile *p,
			 struct report_sort *out)
{
	size_t len = strlen(name), slen = strlen(REPORT_CSV_SELF_SUFFIX);

	for (size_t i = 0; i < report__ncounters(p); i++) {
		const char *c = p->counters[i].name ?: "";
		size_t clen = strlen(c);

		out->counter = i;
		out->col = REPORT_SORT_COUNTER;
		if (!strcmp(name, c))
			return 0;
		out->col = REPORT_SORT_COUNTER_SELF;
		if (len == clen + slen && !strncmp(name, c, clen) &&
		    !strcmp(name + clen, REPORT_CSV_SELF_SUFFIX))
			return 0;
	}
	*out = (struct report_sort){ REPORT_SORT_TOTAL, 0 };
	return -EINVAL;
}

int report__sort_parse(const char *name, const struct profile *p,
		       struct report_sort *out)
{
	*out = (struct report_sort){ REPORT_SORT_TOTAL, 0 };
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]);
	     i++) {
		if (!strcmp(name, sort_names[i].name)) {
			out->col = sort_names[i].col;
			return 0;
		}
	}
	return sort__counter(name, p, out);
}

void rows_order__init(struct rows_order *ord, const struct profile *p,
		      const struct report_opts *o, bool comp)
{
	*ord = (struct rows_order){ .p = p, .comp = comp };
	if (!o)
		return;
	/* the caller checked the name: an unknown one sorts by total */
	report__sort_parse(o->sort, p, &ord->sort);
	ord->top = o->top;
}

/* The sort key of @r: what the table shows (compensated) with @comp. */
static uint64_t row__key(const struct row *r, const struct rows_order *ord)
{
	struct row v = row__shown(r, &ord->p->meta, !ord->comp);
	/* the percentiles lose what min and max lose (row__shown) */
	uint64_t shift = ord->comp ? row__instance_cost(r, &ord->p->meta) : 0;

	switch (ord->sort.col) {
	case REPORT_SORT_SELF:
		return v.self_ns;
	case REPORT_SORT_CALLS:
		return v.calls;
	case REPORT_SORT_MEAN:
		return report__mean(v.total_ns, v.calls);
	case REPORT_SORT_MIN:
		return v.min_ns;
	case REPORT_SORT_MAX:
		return v.max_ns;
	case REPORT_SORT_P50:
		return sub0(row__quantile(r, 0.50), shift);
	case REPORT_SORT_P90:
		return sub0(row__quantile(r, 0.90), shift);
	case REPORT_SORT_P99:
		return sub0(row__quantile(r, 0.99), shift);
	case REPORT_SORT_COUNTER:
		return r->counter_incl[ord->sort.counter];
	case REPORT_SORT_COUNTER_SELF:
		return r->counter_self[ord->sort.counter];
	default:
		return v.total_ns;
	}
}

static int u64__desc(uint64_t x, uint64_t y)
{
	return x < y ? 1 : -(x > y);
}

static int row__cmp(const void *a, const void *b, void *arg)
{
	const struct rows_order *ord = arg;
	const struct row *x = a, *y = b;
	char bx[24], by[24];
	int c;

	if (ord->sort.col == REPORT_SORT_NAME)
		c = strcmp(region__label(ord->p, x->region, bx),
			   region__label(ord->p, y->region, by));
	else
		c = u64__desc(row__key(x, ord), row__key(y, ord));
	/* ties: by measured total (compensation can make equal), then ids */
	if (!c)
		c = u64__desc(x->total_ns, y->total_ns);
	if (!c && x->region != y->region)
		c = x->region < y->region ? -1 : 1;
	return c ?: ids__cmp(x->pid, x->tid, y->pid, y->tid);
}

void rows__sort(const struct rows_order *ord, struct row *rows, size_t n)
{
	qsort_r(rows, n, sizeof(*rows), row__cmp, (void *)ord);
}

int rows__build(const struct rows_order *ord,
		const struct region_stats *const *s, size_t n, struct row **out,
		size_t *nrows)
{
	struct row *rows = calloc(n ?: 1, sizeof(*rows));
	size_t k = 0;

	if (!rows)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (k && rows[k - 1].region == s[i]->region)
			row__merge(&rows[k - 1], s[i]);
		else
			row__init(&rows[k++], s[i]);
	}
	for (size_t i = 0; i < k; i++)
		report__compensate(&ord->p->meta, rows[i].calls,
				   rows[i].child_calls, rows[i].total_ns,
				   rows[i].self_ns, &rows[i].comp);
	rows__sort(ord, rows, k);
	*out = rows;
	*nrows = ord->top && ord->top < k ? ord->top : k;
	return 0;
}

/* Appends the rows of one thread's stats to @all at *@n. */
static int rows__append(const struct rows_order *ord,
			const struct region_stats *const *s, size_t n,
			struct row *all, size_t *k)
{
	struct row *rows;
	size_t nrows;
	int err = rows__build(ord, s, n, &rows, &nrows);

	if (err)
		return err;
	memcpy(all + *k, rows, nrows * sizeof(*rows));
	*k += nrows;
	free(rows);
	return 0;
}

int rows__per_thread(const struct rows_order *ord, const struct view *v,
		     struct row **out, size_t *nrows)
{
	struct row *all = calloc(v->n ?: 1, sizeof(*all));
	size_t k = 0, run;
	int err = 0;

	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < v->n && !err; i += run) {
		run = view__thread_run(v, i);
		err = rows__append(ord, &v->s[i], run, all, &k);
	}
	if (err) {
		free(all);
		return err;
	}
	*out = all;
	*nrows = k;
	return 0;
}
