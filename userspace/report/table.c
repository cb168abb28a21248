// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Report tables for people: one per profile, or one per thread. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/rows.h"

#define NAME_WIDTH_MIN 6
#define NAME_WIDTH_MAX 40

/* How a table shows its times. */
struct table_ctx {
	const struct profile *p;
	const struct report_opts *o; /* filters, sort, top; NULL: none */
	bool raw;		     /* measured, not compensated */
	bool percentiles;	     /* p50, p90 and p99 after max */
	bool dominated; /* a row so marked was printed: say what it means */
};

/* Whether the probes cost more than a few times what they measure. */
static bool row__dominated(const struct row *r, const struct profile_meta *m)
{
	return m->calib_pair_ns && r->calls &&
	       r->comp.total_ns / r->calls <
		       REPORT_DOMINATED_PAIRS * m->calib_pair_ns;
}

static int name__width(const struct profile *p, const struct row *rows,
		       size_t n)
{
	size_t w = NAME_WIDTH_MIN;

	for (size_t i = 0; i < n; i++) {
		const char *name = region__name(p, rows[i].region);
		/* a '*' may follow it */
		size_t len = (name ? strlen(name) : 12) + 1;

		if (len > w)
			w = len;
	}
	return w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : (int)w;
}

/* A counter's column is as wide as its name, at least as the times'. */
static int counter__width(const struct profile_counter *c)
{
	size_t len = c->name ? strlen(c->name) : 0;

	return len > 10 ? (int)len : 10;
}

/* The counters' headers after the last column, and the line's end. */
static void table__counter_header(FILE *out, const struct profile *p)
{
	for (size_t i = 0; i < report__ncounters(p); i++)
		fprintf(out, " %*s", counter__width(&p->counters[i]),
			p->counters[i].name ?: "");
	fputc('\n', out);
}

/* The row's inclusive counts, in each counter's unit, and the line's end. */
static void table__counters(FILE *out, const struct profile *p,
			    const struct row *r)
{
	char v[24];

	for (size_t i = 0; i < report__ncounters(p); i++) {
		report__fmt_counter(v, sizeof(v), r->counter_incl[i],
				    p->counters[i].units);
		fprintf(out, " %*s", counter__width(&p->counters[i]), v);
	}
	fputc('\n', out);
}

/* p50, p90 and p99 of the row as shown: less the probes' cost with it. */
static void table__percentiles(FILE *out, const struct table_ctx *t,
			       const struct row *r)
{
	static const double q[] = { 0.50, 0.90, 0.99 };
	uint64_t cost = t->raw ? 0 : row__instance_cost(r, &t->p->meta);
	char d[16];

	if (!t->percentiles)
		return;
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		uint64_t v = row__quantile(r, q[i]);

		report__fmt_ns(d, sizeof(d), v > cost ? v - cost : 0);
		fprintf(out, " %10s", d);
	}
}

static void table__row(FILE *out, struct table_ctx *t, const struct row *raw,
		       int width, int pct_width)
{
	const struct profile *p = t->p;
	struct row shown = row__shown(raw, &p->meta, t->raw), *r = &shown;
	bool dominated = row__dominated(raw, &p->meta);
	uint64_t wall_ns = report__wall_ns(p);
	uint64_t v[5] = { r->total_ns, r->self_ns,
			  report__mean(r->total_ns, r->calls), r->min_ns,
			  r->max_ns };
	char d[5][16], name[24], label[NAME_WIDTH_MAX + 2];

	for (int i = 0; i < 5; i++)
		report__fmt_ns(d[i], sizeof(d[i]), v[i]);
	snprintf(label, sizeof(label), "%s%s",
		 region__label(p, r->region, name), dominated ? "*" : "");
	t->dominated |= dominated;
	fprintf(out, "%-*s %10" PRIu64 " %10s %10s %10s %10s %10s", width,
		label, r->calls, d[0], d[1], d[2], d[3], d[4]);
	table__percentiles(out, t, raw);
	if (wall_ns)
		fprintf(out, " %*.1f", pct_width,
			100.0 * (double)r->total_ns / (double)wall_ns);
	else
		fprintf(out, " %*s", pct_width, "-");
	table__counters(out, p, r);
}

static void table__header(FILE *out, const struct table_ctx *t, int width,
			  const char *pct, int pct_width)
{
	fprintf(out, "%-*s %10s %10s %10s %10s %10s %10s", width, "region",
		"calls", "total", "self", "mean", "min", "max");
	if (t->percentiles)
		fprintf(out, " %10s %10s %10s", "p50", "p90", "p99");
	fprintf(out, " %*s", pct_width, pct);
	table__counter_header(out, t->p);
}

/* A table of the @n stats at @s; @pct names the last column. */
static int table__print(FILE *out, struct table_ctx *t,
			const struct region_stats *const *s, size_t n,
			const char *pct)
{
	const struct profile *p = t->p;
	int pct_width = strlen(pct) > 7 ? (int)strlen(pct) : 7;
	struct rows_order ord;
	struct row *rows;
	size_t nrows;
	int width, err;

	rows_order__init(&ord, p, t->o, !t->raw);
	err = rows__build(&ord, s, n, &rows, &nrows);
	if (err)
		return err;
	width = name__width(p, rows, nrows);
	table__header(out, t, width, pct, pct_width);
	for (size_t i = 0; i < nrows; i++)
		table__row(out, t, &rows[i], width, pct_width);
	if (!nrows)
		fprintf(out, "(no region completed)\n");
	free(rows);
	return 0;
}

/* Time summed over threads is not wall time: threads that overlap add up
 * past 100 %, and the column says so rather than look like a bug. */
static void table__note(FILE *out, const struct profile *p, size_t threads)
{
	char wall[16];

	if (!report__wall_ns(p))
		return;
	report__fmt_ns(wall, sizeof(wall), report__wall_ns(p));
	fprintf(out,
		"%s: total time summed over %zu thread%s, in %% of the "
		"%s wall time (may exceed 100%%)\n",
		REPORT_PCT_THREAD_TIME, threads, threads == 1 ? "" : "s", wall);
}

static int table__summed(FILE *out, struct table_ctx *t)
{
	const struct profile *p = t->p;
	struct view v;
	int err = view__new(&v, p, t->o, rows__by_thread);

	if (err)
		return err;
	table__note(out, p, view__nthreads(&v));
	qsort(v.s, v.n, sizeof(*v.s), rows__by_region);
	err = table__print(out, t, v.s, v.n, REPORT_PCT_THREAD_TIME);
	view__free(&v);
	return err;
}

static int table__threads(FILE *out, struct table_ctx *t)
{
	const struct profile *p = t->p;
	struct view v;
	int err = view__new(&v, p, t->o, rows__by_thread);
	size_t run;

	if (err)
		return err;
	for (size_t i = 0; i < v.n && !err; i += run) {
		const struct region_stats *s = v.s[i];

		run = view__thread_run(&v, i);
		fprintf(out, "%sthread %" PRIu32 " (pid %" PRIu32 ", %s)\n",
			i ? "\n" : "", s->tid, s->pid,
			or_unknown(view__comm(&v, s->pid, s->tid)));
		err = table__print(out, t, &v.s[i], run, REPORT_PCT_WALL);
	}
	if (!err && !v.n)
		fprintf(out, "(no region completed)\n");
	view__free(&v);
	return err;
}

/* Below the tables: what a '*' means. */
static void table__legend(FILE *out, const struct table_ctx *t)
{
	char pair[16];

	if (!t->dominated)
		return;
	report__fmt_ns(pair, sizeof(pair), t->p->meta.calib_pair_ns);
	fprintf(out,
		"\n*: dominated by probe cost: a mean below %d probe pairs "
		"(%d x %s); compensated, it is an estimate, not a "
		"measurement\n",
		REPORT_DOMINATED_PAIRS, REPORT_DOMINATED_PAIRS, pair);
}

int report__table(const struct profile *p, FILE *out,
		  const struct report_opts *o)
{
	struct table_ctx t = {
		.p = p,
		.o = o,
		.raw = o && o->raw,
		.percentiles = o && o->percentiles,
	};
	int err;

	report__header(out, p, t.raw, o && o->meta);
	if (o && o->threads)
		err = table__threads(out, &t);
	else
		err = table__summed(out, &t);
	if (!err)
		table__legend(out, &t);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
