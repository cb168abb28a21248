/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* report/'s own: the stats rows selected (--region, --thread), merged into
 * one row per region or per (thread, region), sorted (--sort) and cut
 * (--top), for every view to print its way. */
#ifndef SCOPE_REPORT_ROWS_H
#define SCOPE_REPORT_ROWS_H

#include "report/report.h"

/* A region's stats merged over some stats rows: threads, and the call
 * paths a thread may have several rows for. */
struct row {
	uint32_t region;
	uint32_t pid,
		tid;	  /* of the last row merged: the thread's, per thread */
	uint32_t threads; /* distinct threads merged */
	uint64_t calls, total_ns, self_ns, min_ns, max_ns, child_calls;
	struct report_comp comp; /* the probes' cost taken out */
	/* summed over the threads, as read: counters are not compensated */
	uint64_t counter_incl[PROFILE_MAX_COUNTERS];
	uint64_t counter_self[PROFILE_MAX_COUNTERS];
	uint64_t hist[PROFILE_HIST_BUCKETS];
};

/* The stats rows that pass the filters, in some order, and the thread
 * names by (pid, tid). */
struct view {
	const struct region_stats **s;
	size_t n;
	const struct profile_thread **names;
	size_t nnames;
};

/* How rows are sorted and cut. */
struct rows_order {
	const struct profile *p;
	struct report_sort sort;
	bool comp;  /* by the compensated times (the table's) */
	size_t top; /* rows kept, 0: all */
};

/* The counter columns in use; the reader refuses more than the rows hold,
 * a profile built in memory is trusted no further. */
size_t report__ncounters(const struct profile *p);
const char *region__name(const struct profile *p, uint32_t id);
/* The region's name, or "region#ID" in @buf[24] when the table lacks it. */
const char *region__label(const struct profile *p, uint32_t id, char *buf);
uint64_t report__wall_ns(const struct profile *p);
uint64_t report__mean(uint64_t total_ns, uint64_t calls);

/* Orders by (pid, tid), then region: a thread's rows adjacent. */
int rows__by_thread(const void *a, const void *b);
/* Orders by region, then (pid, tid): a region's rows adjacent. */
int rows__by_region(const void *a, const void *b);

/* The stats rows of @p that pass @o's filters (all with @o NULL), sorted
 * by @cmp, and the thread names indexed. 0 or -ENOMEM. */
int view__new(struct view *v, const struct profile *p,
	      const struct report_opts *o,
	      int (*cmp)(const void *, const void *));
void view__free(struct view *v);
/* The name of thread @tid of @pid ("" when the file has none). */
const char *view__comm(const struct view *v, uint32_t pid, uint32_t tid);
/* Rows from @i on that belong to the thread of row @i (by_thread order). */
size_t view__thread_run(const struct view *v, size_t i);
/* Distinct threads among the view's rows (by_thread order). */
size_t view__nthreads(const struct view *v);

/* @o's sort and --top for rows of @p, by compensated times with @comp. */
void rows_order__init(struct rows_order *ord, const struct profile *p,
		      const struct report_opts *o, bool comp);
/* Rows of the @n stats at @s (sorted so that a region's rows are
 * adjacent), one per region, sorted and cut by @ord. 0 or -ENOMEM. */
int rows__build(const struct rows_order *ord,
		const struct region_stats *const *s, size_t n, struct row **out,
		size_t *nrows);
/* One row per (thread, region) of the view @v (by_thread order): each
 * thread's rows sorted and cut by @ord, the threads by (pid, tid). 0 or
 * -ENOMEM. */
int rows__per_thread(const struct rows_order *ord, const struct view *v,
		     struct row **out, size_t *nrows);
/* Sorts @n rows by @ord, ties by region then thread. */
void rows__sort(const struct rows_order *ord, struct row *rows, size_t n);

/* The row as the table shows it: compensated unless @raw. Which instance
 * was the shortest or the longest, and how many children it had, is not
 * known: min, max and the percentiles lose the in-region share and the
 * pairs of the average instance's children. */
struct row row__shown(const struct row *r, const struct profile_meta *m,
		      bool raw);
/* Quantile @q of the row's histogram, as measured (profile/hist.h). */
uint64_t row__quantile(const struct row *r, double q);
/* What the probes' cost takes out of each instance's min, max or
 * percentile: its in-region share and its average children's pairs. */
uint64_t row__instance_cost(const struct row *r, const struct profile_meta *m);

/* @s, or "?" when NULL or empty. */
const char *or_unknown(const char *s);
/* The table's header (command, pid, duration, host, probes, counters,
 * losses); with @meta, the counters' definitions in full. */
void report__header(FILE *out, const struct profile *p, bool raw, bool meta);

struct json;
/* A JSON report's first members: format, version, @view, units. */
void report__json_head(struct json *j, const char *view);
/* @key: the run's summary (what the table's header says) as an object. */
void report__json_run(struct json *j, const char *key, const struct profile *p);

#endif /* SCOPE_REPORT_ROWS_H */
