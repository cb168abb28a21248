// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* report --metrics: each region's LIKWID group events and metrics per
 * thread, in the shape of `likwid-perfctr -m` output, with the group file
 * the agent stored and the formulas of userspace/counters. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "counters/groups.h"
#include "counters/metric.h"
#include "report/box.h"
#include "report/report.h"

/* What every region's block needs. */
struct metrics_ctx {
	const struct profile *p;
	struct group *g;
	int *col; /* per group event: its counter column, -1 if none */
	double inverse_clock;
	FILE *out;
};

/* The stats rows of one region: its threads, by (pid, tid). */
struct run {
	const struct region_stats *const *s;
	size_t n;
	uint64_t total_ns; /* summed, to order the blocks */
};

/* likwid.lua's num2str: integers whole, else 4 decimals when they fit in
 * 11 characters and are not 0 there, else %e. */
static void num2str(char *buf, size_t len, double v)
{
	char tmp[64];

	if (isnan(v)) {
		snprintf(buf, len, "nan");
	} else if (v == 0) {
		snprintf(buf, len, "0");
	} else if (v == trunc(v) && fabs(v) < 9.2e18) {
		snprintf(buf, len, "%lld", (long long)v);
	} else {
		snprintf(tmp, sizeof(tmp), "%.4f", v);
		if (strlen(tmp) < 12 && strtod(tmp, NULL) != 0)
			snprintf(buf, len, "%s", tmp);
		else
			snprintf(buf, len, "%e", v);
	}
}

static void box__num(struct box *b, size_t row, size_t col, double v)
{
	char buf[64];

	num2str(buf, sizeof(buf), v);
	box__set(b, row, col, "%s", buf);
}

/* LIKWID's counter names may carry options (PMC3:EDGEDETECT); the
 * profile's may or may not. */
static bool counter__same(const char *a, const char *b)
{
	size_t la = strcspn(a, ":"), lb = strcspn(b, ":");

	return !strcmp(a, b) || (la == lb && !strncmp(a, b, la));
}

static int event__column(const struct profile *p, const struct group_event *e)
{
	for (size_t i = 0; i < p->ncounters && i < PROFILE_MAX_COUNTERS; i++) {
		const char *c = p->counters[i].counter;

		if (c && *c && counter__same(c, e->counter))
			return (int)i;
	}
	return -1;
}

static double run__count(const struct metrics_ctx *x, const struct run *r,
			 size_t t, size_t e)
{
	return x->col[e] < 0 ? 0 : (double)r->s[t]->counter_incl[x->col[e]];
}

/* Thread @t's column header. */
static void box__thread(struct box *b, size_t col, const struct run *r,
			size_t t)
{
	box__set(b, 0, col, "Thread %" PRIu32, r->s[t]->tid);
}

static int block__info(const struct metrics_ctx *x, const struct run *r)
{
	struct box *b = box__new(3, 1 + r->n);
	int err;

	if (!b)
		return -ENOMEM;
	box__set(b, 0, 0, "Region Info");
	box__set(b, 1, 0, "Runtime [s]");
	box__set(b, 2, 0, "call count");
	for (size_t t = 0; t < r->n; t++) {
		box__thread(b, 1 + t, r, t);
		box__set(b, 1, 1 + t, "%.6f", (double)r->s[t]->total_ns / 1e9);
		box__set(b, 2, 1 + t, "%" PRIu64, r->s[t]->calls);
	}
	err = box__print(b, x->out);
	box__free(b);
	return err;
}

static int block__events(const struct metrics_ctx *x, const struct run *r)
{
	const struct group *g = x->g;
	struct box *b = box__new(1 + g->nevents, 2 + r->n);
	int err;

	if (!b)
		return -ENOMEM;
	box__set(b, 0, 0, "Event");
	box__set(b, 0, 1, "Counter");
	for (size_t t = 0; t < r->n; t++)
		box__thread(b, 2 + t, r, t);
	for (size_t e = 0; e < g->nevents; e++) {
		box__set(b, 1 + e, 0, "%s", g->events[e].event);
		box__set(b, 1 + e, 1, "%s", g->events[e].counter);
		for (size_t t = 0; t < r->n; t++) {
			if (x->col[e] < 0)
				box__set(b, 1 + e, 2 + t, "-");
			else
				box__num(b, 1 + e, 2 + t,
					 run__count(x, r, t, e));
		}
	}
	err = box__print(b, x->out);
	box__free(b);
	return err;
}

/* Sum, Min, Max and Avg of the @n values at @v that @ok marks, into
 * columns @col.. of @row; "-" when there is none. */
static void box__stat(struct box *b, size_t row, size_t col, const double *v,
		      const bool *ok, size_t n)
{
	double sum = 0, min = INFINITY, max = -INFINITY;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		sum += v[i];
		min = fmin(min, v[i]);
		max = fmax(max, v[i]);
		k++;
	}
	for (size_t i = 0; i < 4 && !k; i++)
		box__set(b, row, col + i, "-");
	if (!k)
		return;
	box__num(b, row, col, sum);
	box__num(b, row, col + 1, min);
	box__num(b, row, col + 2, max);
	box__num(b, row, col + 3, sum / (double)k);
}

static void box__stat_header(struct box *b, size_t col)
{
	box__set(b, 0, col, "Sum");
	box__set(b, 0, col + 1, "Min");
	box__set(b, 0, col + 2, "Max");
	box__set(b, 0, col + 3, "Avg");
}

static int block__events_stat(const struct metrics_ctx *x, const struct run *r,
			      double *v, bool *ok)
{
	const struct group *g = x->g;
	struct box *b = box__new(1 + g->nevents, 6);
	int err;

	if (!b)
		return -ENOMEM;
	box__set(b, 0, 0, "Event");
	box__set(b, 0, 1, "Counter");
	box__stat_header(b, 2);
	for (size_t e = 0; e < g->nevents; e++) {
		box__set(b, 1 + e, 0, "%s STAT", g->events[e].event);
		box__set(b, 1 + e, 1, "%s", g->events[e].counter);
		for (size_t t = 0; t < r->n; t++) {
			v[t] = run__count(x, r, t, e);
			ok[t] = x->col[e] >= 0;
		}
		box__stat(b, 1 + e, 2, v, ok, r->n);
	}
	err = box__print(b, x->out);
	box__free(b);
	return err;
}

/* metric__vars callback: whether a variable is a counter of an event
 * the profile lacks. */
static int var__missing(const char *name, size_t len, void *ctx)
{
	const struct metrics_ctx *x = ctx;

	for (size_t e = 0; e < x->g->nevents; e++) {
		const char *c = x->g->events[e].counter;

		if (x->col[e] < 0 && strlen(c) == len && !strncmp(c, name, len))
			return 1;
	}
	return 0;
}

/* Metric @m of thread @t of @r into @out; false when it cannot be had
 * (an event missing from the profile, a counter the group lacks). */
static bool metric__value(const struct metrics_ctx *x, const struct run *r,
			  size_t t, size_t m, double *counts, double *out)
{
	const struct group *g = x->g;

	if (metric__vars(g->metrics[m].formula, var__missing, (void *)x))
		return false;
	for (size_t e = 0; e < g->nevents; e++)
		counts[e] = run__count(x, r, t, e);
	return !group__metric(g, m, counts, (double)r->s[t]->total_ns / 1e9,
			      x->inverse_clock, out);
}

/* "Name [unit]", as LIKWID names a metric. */
static void box__metric_name(struct box *b, size_t row,
			     const struct group_metric *m, const char *suffix)
{
	if (m->unit && *m->unit)
		box__set(b, row, 0, "%s [%s]%s", m->name, m->unit, suffix);
	else
		box__set(b, row, 0, "%s%s", m->name, suffix);
}

/* The metrics of every thread, [metric][thread] in @v and @ok. */
static int metrics__eval(const struct metrics_ctx *x, const struct run *r,
			 double *v, bool *ok)
{
	double *counts = calloc(x->g->nevents ?: 1, sizeof(*counts));

	if (!counts)
		return -ENOMEM;
	for (size_t m = 0; m < x->g->nmetrics; m++) {
		for (size_t t = 0; t < r->n; t++)
			ok[m * r->n + t] = metric__value(x, r, t, m, counts,
							 &v[m * r->n + t]);
	}
	free(counts);
	return 0;
}

static int block__metrics(const struct metrics_ctx *x, const struct run *r,
			  const double *v, const bool *ok)
{
	const struct group *g = x->g;
	struct box *b = box__new(1 + g->nmetrics, 1 + r->n);
	int err;

	if (!b)
		return -ENOMEM;
	box__set(b, 0, 0, "Metric");
	for (size_t t = 0; t < r->n; t++)
		box__thread(b, 1 + t, r, t);
	for (size_t m = 0; m < g->nmetrics; m++) {
		box__metric_name(b, 1 + m, &g->metrics[m], "");
		for (size_t t = 0; t < r->n; t++) {
			if (ok[m * r->n + t])
				box__num(b, 1 + m, 1 + t, v[m * r->n + t]);
			else
				box__set(b, 1 + m, 1 + t, "-");
		}
	}
	err = box__print(b, x->out);
	box__free(b);
	return err;
}

static int block__metrics_stat(const struct metrics_ctx *x, const struct run *r,
			       const double *v, const bool *ok)
{
	const struct group *g = x->g;
	struct box *b = box__new(1 + g->nmetrics, 5);
	int err;

	if (!b)
		return -ENOMEM;
	box__set(b, 0, 0, "Metric");
	box__stat_header(b, 1);
	for (size_t m = 0; m < g->nmetrics; m++) {
		box__metric_name(b, 1 + m, &g->metrics[m], " STAT");
		box__stat(b, 1 + m, 1, &v[m * r->n], &ok[m * r->n], r->n);
	}
	err = box__print(b, x->out);
	box__free(b);
	return err;
}

/* The metric tables of one region; the STAT ones with several threads. */
static int block__all_metrics(const struct metrics_ctx *x, const struct run *r)
{
	size_t cells = (x->g->nmetrics ?: 1) * r->n;
	double *v = calloc(cells, sizeof(*v));
	bool *ok = calloc(cells, sizeof(*ok));
	int err = v && ok ? metrics__eval(x, r, v, ok) : -ENOMEM;

	if (!err && x->g->nmetrics)
		err = block__metrics(x, r, v, ok);
	if (!err && x->g->nmetrics && r->n > 1)
		err = block__metrics_stat(x, r, v, ok);
	free(v);
	free(ok);
	return err;
}

static int block__print(const struct metrics_ctx *x, const struct run *r)
{
	const char *name = NULL;
	double *v = calloc(r->n, sizeof(*v));
	bool *ok = calloc(r->n, sizeof(*ok));
	int err = v && ok ? 0 : -ENOMEM;

	for (size_t i = 0; i < x->p->regions.n && !name; i++) {
		if (x->p->regions.v[i].id == r->s[0]->region)
			name = x->p->regions.v[i].name;
	}
	if (name)
		fprintf(x->out, "Region %s, Group 1: %s\n", name, x->g->name);
	else
		fprintf(x->out, "Region region#%" PRIu32 ", Group 1: %s\n",
			r->s[0]->region, x->g->name);
	if (!err)
		err = block__info(x, r);
	if (!err)
		err = block__events(x, r);
	if (!err && r->n > 1)
		err = block__events_stat(x, r, v, ok);
	if (!err)
		err = block__all_metrics(x, r);
	free(v);
	free(ok);
	return err;
}

static int stats__by_region(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static int run__by_total(const void *a, const void *b)
{
	const struct run *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->s[0]->region < y->s[0]->region ? -1 : 1;
}

/* The regions' runs of @s (sorted by region), by total time. */
static size_t runs__build(const struct region_stats *const *s, size_t n,
			  struct run *runs)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!k || runs[k - 1].s[0]->region != s[i]->region)
			runs[k++] = (struct run){ .s = &s[i] };
		runs[k - 1].n++;
		runs[k - 1].total_ns += s[i]->total_ns;
	}
	qsort(runs, k, sizeof(*runs), run__by_total);
	return k;
}

static int metrics__regions(const struct metrics_ctx *x)
{
	const struct profile *p = x->p;
	const struct region_stats **s = calloc(p->nstats ?: 1, sizeof(*s));
	struct run *runs = calloc(p->nstats ?: 1, sizeof(*runs));
	size_t n;
	int err = s && runs ? 0 : -ENOMEM;

	for (size_t i = 0; !err && i < p->nstats; i++)
		s[i] = &p->stats[i];
	if (!err) {
		qsort(s, p->nstats, sizeof(*s), stats__by_region);
		n = runs__build(s, p->nstats, runs);
		for (size_t i = 0; i < n && !err; i++)
			err = block__print(x, &runs[i]);
	}
	if (!err && !p->nstats)
		fprintf(x->out, "(no region completed)\n");
	free(runs);
	free(s);
	return err;
}

/* The group as the agent stored it: the file's text, parsed again. */
static int metrics__group(const struct profile *p, struct group **g)
{
	const char *text = p->meta.likwid_group_text;
	FILE *f;
	int err;

	if (!text || !*text)
		return -ENODATA;
	f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		return -errno;
	err = group__parse(f, p->meta.likwid_group ?: "", g);
	fclose(f);
	return err == -EINVAL ? -EBADMSG : err;
}

int report__metrics(const struct profile *p, FILE *out)
{
	struct metrics_ctx x = {
		.p = p,
		.out = out,
		.inverse_clock = p->meta.cpu_clock_hz ?
					 1.0 / (double)p->meta.cpu_clock_hz :
					 0,
	};
	int err = metrics__group(p, &x.g);

	if (err)
		return err;
	x.col = calloc(x.g->nevents ?: 1, sizeof(*x.col));
	if (!x.col) {
		group__free(x.g);
		return -ENOMEM;
	}
	for (size_t e = 0; e < x.g->nevents; e++)
		x.col[e] = event__column(p, &x.g->events[e]);
	err = metrics__regions(&x);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	free(x.col);
	group__free(x.g);
	return err;
}
