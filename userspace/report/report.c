// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Report tables and CSV from a struct profile, with no HDF5 in sight.
 *
 * Every view is a sort of the stats rows and one walk over them: by region
 * for the summed view, by thread then region for the per-thread views, and
 * thread names come from a sorted index, so a profile of many threads costs
 * O(n log n), not a scan of every row per thread. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "common/csv.h"

#define NAME_WIDTH_MIN 6
#define NAME_WIDTH_MAX 40

/* One line of a table: a region's stats summed over some threads. */
struct row {
	uint32_t region;
	uint32_t threads; /* rows (threads) summed into it */
	uint64_t calls, total_ns, self_ns, min_ns, max_ns, child_calls;
	struct report_comp comp; /* the probes' cost taken out */
	/* summed over the threads, as read: counters are not compensated */
	uint64_t counter_incl[PROFILE_MAX_COUNTERS];
	uint64_t counter_self[PROFILE_MAX_COUNTERS];
};

/* How a table shows its times. */
struct table_ctx {
	const struct profile *p;
	bool raw;	/* measured, not compensated */
	bool dominated; /* a row so marked was printed: say what it means */
};

/* The stats rows in some order, and the thread names by (pid, tid). */
struct view {
	const struct region_stats **s;
	size_t n;
	const struct profile_thread **names;
	size_t nnames;
};

void report__fmt_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		double limit, scale;
		const char *unit;
	} units[] = {
		{ 999.5, 1, "ns" },
		{ 999.5e3, 1e3, "us" },
		{ 999.5e6, 1e6, "ms" },
		{ 0, 1e9, "s" },
	};
	size_t i = 0;
	int decimals = 0;
	double v;

	while (units[i].limit && (double)ns >= units[i].limit)
		i++;
	v = (double)ns / units[i].scale;
	/* the limits keep v below 999.5, so rounding never shows 1000 */
	if (i && v < 9.995)
		decimals = 2;
	else if (i && v < 99.95)
		decimals = 1;
	snprintf(buf, len, "%.*f %s", decimals, v, units[i].unit);
}

/* @v with 3 significant digits and a k/M/G/T suffix: "812", "1.23 k",
 * "45.6 M"; the same scheme as report__fmt_ns. */
void report__fmt_count(char *buf, size_t len, uint64_t v)
{
	static const struct {
		double limit, scale;
		const char *unit;
	} units[] = {
		{ 999.5, 1, "" },	  { 999.5e3, 1e3, " k" },
		{ 999.5e6, 1e6, " M" },	  { 999.5e9, 1e9, " G" },
		{ 999.5e12, 1e12, " T" }, { 999.5e15, 1e15, " P" },
		{ 0, 1e18, " E" },
	};
	size_t i = 0;
	int decimals = 0;
	double x;

	if (v < 1000) {
		snprintf(buf, len, "%" PRIu64, v);
		return;
	}
	while (units[i].limit && (double)v >= units[i].limit)
		i++;
	x = (double)v / units[i].scale;
	if (x < 9.995)
		decimals = 2;
	else if (x < 99.95)
		decimals = 1;
	snprintf(buf, len, "%.*f%s", decimals, x, units[i].unit);
}

void report__fmt_counter(char *buf, size_t len, uint64_t v, const char *units)
{
	if (units && !strcmp(units, "ns"))
		report__fmt_ns(buf, len, v);
	else
		report__fmt_count(buf, len, v);
}

/* The counter columns in use; the reader refuses more than the rows hold,
 * a profile built in memory is trusted no further. */
static size_t ncounters(const struct profile *p)
{
	return p->ncounters < PROFILE_MAX_COUNTERS ? p->ncounters :
						     PROFILE_MAX_COUNTERS;
}

static const char *region__name(const struct profile *p, uint32_t id)
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

/* The region's name, or "region#ID" in @buf[24] when the table lacks it. */
static const char *region__label(const struct profile *p, uint32_t id,
				 char *buf)
{
	const char *name = region__name(p, id);

	if (name)
		return name;
	snprintf(buf, 24, "region#%" PRIu32, id);
	return buf;
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

/* The name of thread @tid of @pid ("" when the file has none). */
static const char *view__comm(const struct view *v, uint32_t pid, uint32_t tid)
{
	struct profile_thread key = { .pid = pid, .tid = tid };
	const struct profile_thread *k = &key, **hit;

	hit = bsearch(&k, v->names, v->nnames, sizeof(*v->names),
		      thread__by_ids);
	return hit && (*hit)->comm ? (*hit)->comm : "";
}

static int rows__by_region(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	return x->region < y->region ? -1 : x->region > y->region;
}

static int rows__by_thread(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;
	int c = ids__cmp(x->pid, x->tid, y->pid, y->tid);

	return c ?: rows__by_region(a, b);
}

static int rows__by_total(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return ids__cmp(x->pid, x->tid, y->pid, y->tid);
}

/* The stats rows of @p sorted by @cmp, and the thread names indexed. */
static int view__new(struct view *v, const struct profile *p,
		     int (*cmp)(const void *, const void *))
{
	v->n = p->nstats;
	v->nnames = p->nthreads;
	v->s = calloc(v->n ?: 1, sizeof(*v->s));
	v->names = calloc(v->nnames ?: 1, sizeof(*v->names));
	if (!v->s || !v->names) {
		free(v->s);
		free(v->names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < v->n; i++)
		v->s[i] = &p->stats[i];
	for (size_t i = 0; i < v->nnames; i++)
		v->names[i] = &p->threads[i];
	qsort(v->s, v->n, sizeof(*v->s), cmp);
	qsort(v->names, v->nnames, sizeof(*v->names), thread__by_ids);
	return 0;
}

static void view__free(struct view *v)
{
	free(v->s);
	free(v->names);
}

/* Distinct threads among the stats rows. */
static size_t view__nthreads(const struct profile *p)
{
	struct view v;
	size_t n = 0;

	if (view__new(&v, p, rows__by_thread))
		return 0;
	for (size_t i = 0; i < v.n; i++)
		n += !i || ids__cmp(v.s[i - 1]->pid, v.s[i - 1]->tid,
				    v.s[i]->pid, v.s[i]->tid);
	view__free(&v);
	return n;
}

static void row__init(struct row *r, const struct region_stats *s)
{
	*r = (struct row){
		.region = s->region,
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
}

/* A region that never ran on a thread has no min: skip it in the min. */
static void row__merge(struct row *r, const struct region_stats *s)
{
	if (s->calls && (!r->calls || s->min_ns < r->min_ns))
		r->min_ns = s->min_ns;
	if (s->max_ns > r->max_ns)
		r->max_ns = s->max_ns;
	r->threads++;
	r->calls += s->calls;
	r->total_ns += s->total_ns;
	r->self_ns += s->self_ns;
	r->child_calls += s->child_calls;
	for (int i = 0; i < PROFILE_MAX_COUNTERS; i++) {
		r->counter_incl[i] += s->counter_incl[i];
		r->counter_self[i] += s->counter_self[i];
	}
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

static void row__compensate(struct row *r, const struct profile_meta *m)
{
	report__compensate(m, r->calls, r->child_calls, r->total_ns, r->self_ns,
			   &r->comp);
}

/* The row as the table shows it: compensated unless raw. Which instance
 * was the shortest or the longest, and how many children it had, is not
 * known: min and max lose the in-region share and the pairs of the
 * average instance's children. */
static struct row row__shown(const struct row *r, const struct table_ctx *t)
{
	const struct profile_meta *m = &t->p->meta;
	struct row v = *r;
	uint64_t in = m->calib_inregion_ns;

	if (t->raw)
		return v;
	if (r->calls)
		in += r->child_calls * m->calib_pair_ns / r->calls;
	v.total_ns = r->comp.total_ns;
	v.self_ns = r->comp.self_ns;
	v.min_ns = sub0(r->min_ns, in);
	v.max_ns = sub0(r->max_ns, in);
	return v;
}

/* Whether the probes cost more than a few times what they measure. */
static bool row__dominated(const struct row *r, const struct profile_meta *m)
{
	return m->calib_pair_ns && r->calls &&
	       r->comp.total_ns / r->calls <
		       REPORT_DOMINATED_PAIRS * m->calib_pair_ns;
}

static int row__by_total(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->region < y->region ? -1 : x->region > y->region;
}

static int row__by_comp_total(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->comp.total_ns != y->comp.total_ns)
		return x->comp.total_ns < y->comp.total_ns ? 1 : -1;
	return row__by_total(a, b);
}

/* Rows of the @n stats at @s (sorted so that a region's rows are
 * adjacent), one per region, by total time: measured, or with @comp,
 * compensated. */
static int rows__build(const struct profile *p,
		       const struct region_stats *const *s, size_t n, bool comp,
		       struct row **out, size_t *nrows)
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
		row__compensate(&rows[i], &p->meta);
	qsort(rows, k, sizeof(*rows),
	      comp ? row__by_comp_total : row__by_total);
	*out = rows;
	*nrows = k;
	return 0;
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

static uint64_t wall__ns(const struct profile *p)
{
	if (p->meta.end_ns > p->meta.start_ns)
		return p->meta.end_ns - p->meta.start_ns;
	return 0;
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
	for (size_t i = 0; i < ncounters(p); i++)
		fprintf(out, " %*s", counter__width(&p->counters[i]),
			p->counters[i].name ?: "");
	fputc('\n', out);
}

/* The row's inclusive counts, in each counter's unit, and the line's end. */
static void table__counters(FILE *out, const struct profile *p,
			    const struct row *r)
{
	char v[24];

	for (size_t i = 0; i < ncounters(p); i++) {
		report__fmt_counter(v, sizeof(v), r->counter_incl[i],
				    p->counters[i].units);
		fprintf(out, " %*s", counter__width(&p->counters[i]), v);
	}
	fputc('\n', out);
}

static void table__row(FILE *out, struct table_ctx *t, const struct row *raw,
		       int width, int pct_width)
{
	const struct profile *p = t->p;
	struct row shown = row__shown(raw, t), *r = &shown;
	bool dominated = row__dominated(raw, &p->meta);
	uint64_t wall_ns = wall__ns(p);
	uint64_t v[5] = { r->total_ns, r->self_ns,
			  r->calls ? r->total_ns / r->calls : 0, r->min_ns,
			  r->max_ns };
	char d[5][16], name[24], label[NAME_WIDTH_MAX + 2];

	for (int i = 0; i < 5; i++)
		report__fmt_ns(d[i], sizeof(d[i]), v[i]);
	snprintf(label, sizeof(label), "%s%s",
		 region__label(p, r->region, name), dominated ? "*" : "");
	t->dominated |= dominated;
	fprintf(out, "%-*s %10" PRIu64 " %10s %10s %10s %10s %10s", width,
		label, r->calls, d[0], d[1], d[2], d[3], d[4]);
	if (wall_ns)
		fprintf(out, " %*.1f", pct_width,
			100.0 * (double)r->total_ns / (double)wall_ns);
	else
		fprintf(out, " %*s", pct_width, "-");
	table__counters(out, p, r);
}

/* A table of the @n stats at @s; @pct names the last column. */
static int table__print(FILE *out, struct table_ctx *t,
			const struct region_stats *const *s, size_t n,
			const char *pct)
{
	const struct profile *p = t->p;
	int pct_width = strlen(pct) > 7 ? (int)strlen(pct) : 7;
	struct row *rows;
	size_t nrows;
	int width, err = rows__build(p, s, n, !t->raw, &rows, &nrows);

	if (err)
		return err;
	width = name__width(p, rows, nrows);
	fprintf(out, "%-*s %10s %10s %10s %10s %10s %10s %*s", width, "region",
		"calls", "total", "self", "mean", "min", "max", pct_width, pct);
	table__counter_header(out, p);
	for (size_t i = 0; i < nrows; i++)
		table__row(out, t, &rows[i], width, pct_width);
	if (!nrows)
		fprintf(out, "(no region completed)\n");
	free(rows);
	return 0;
}

/* Counters of records the profile lacks: the numbers above are short by
 * that much, and the user must know it. */
static void header__warn(FILE *out, const struct profile_meta *m)
{
	bool any = false;

	for (int i = 0; i < LOSS__COUNT; i++) {
		if (!m->losses[i])
			continue;
		fprintf(out, "%s%" PRIu64 " %s",
			any ? ", " : "warning: ", m->losses[i],
			loss__table[i].short_);
		any = true;
	}
	if (any)
		fprintf(out, "\n");
}

/* What the agent saw but did not follow (children, execs, libraries loaded
 * later): not losses of the profiled process, but regions the user may
 * expect to see. */
static void header__unfollowed(FILE *out, const struct profile_meta *m)
{
	const struct {
		uint64_t n;
		const char *fmt; /* %s: the plural ending of the noun */
		const char *one, *many;
	} notes[] = {
		{ m->unfollowed_processes,
		  "child process%s hit regions that were not recorded", "",
		  "es" },
		{ m->unfollowed_execs,
		  "exec%s of unprobed files: regions after them were not recorded",
		  "", "s" },
		{ m->late_libraries,
		  "librar%s with markers loaded after attach, not profiled",
		  "y", "ies" },
	};

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		if (!notes[i].n)
			continue;
		fprintf(out, "note: %" PRIu64 " ", notes[i].n);
		fprintf(out, notes[i].fmt,
			notes[i].n == 1 ? notes[i].one : notes[i].many);
		fputc('\n', out);
	}
}

/* What the probes cost, and what they added to this profile: every
 * region instance paid one BEGIN and one END. */
static void header__probes(FILE *out, const struct profile *p, bool raw)
{
	const struct profile_meta *m = &p->meta;
	uint64_t calls = 0, added, wall = wall__ns(p);
	char in[16], pair[16], sum[16];

	if (!m->calib_pair_ns) {
		fprintf(out,
			"note: no probe-cost calibration in this profile "
			"(--no-calibrate, or an older agent): times include "
			"the probes' cost\n");
		return;
	}
	for (size_t i = 0; i < p->nstats; i++)
		calls += p->stats[i].calls;
	added = calls * m->calib_pair_ns;
	report__fmt_ns(in, sizeof(in), m->calib_inregion_ns);
	report__fmt_ns(pair, sizeof(pair), m->calib_pair_ns);
	report__fmt_ns(sum, sizeof(sum), added);
	fprintf(out,
		"probes    %s inside each region, %s per region to its "
		"caller (calibrated)\n",
		in, pair);
	fprintf(out, "          added %s to %" PRIu64 " regions", sum, calls);
	if (wall)
		fprintf(out, " (%.1f%% of the wall time, summed over threads)",
			100.0 * (double)added / (double)wall);
	fprintf(out, "\ntimes     %s\n",
		raw ? "as measured, probes' cost included (--raw)" :
		      "compensated: the probes' cost taken out (--raw: as "
		      "measured)");
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

/* Which probe site the agent used, and what it timed when it chose. */
static void header__sites(FILE *out, const struct profile_meta *m)
{
	char trap[16], nop5[16];

	if (!m->site_mode || !*m->site_mode)
		return;
	fprintf(out, "sites     %s", m->site_mode);
	if (m->site_cost_trap_ns && m->site_cost_nop5_ns) {
		report__fmt_ns(trap, sizeof(trap), m->site_cost_trap_ns);
		report__fmt_ns(nop5, sizeof(nop5), m->site_cost_nop5_ns);
		fprintf(out,
			" (auto timed %s a region at the 1-byte nop, %s at "
			"the nop5)",
			trap, nop5);
	}
	fprintf(out, "%s\n",
		m->site_trampoline ? ", run through the uprobe trampoline" :
				     "");
}

/* A counter's full definition, for --meta: what perf_event_open got. */
static void header__counter_def(FILE *out, const struct profile_counter *c)
{
	char enabled[16], running[16];

	report__fmt_ns(enabled, sizeof(enabled), c->enabled_ns);
	report__fmt_ns(running, sizeof(running), c->running_ns);
	fprintf(out,
		"          %s: type %" PRIu32 ", config %#" PRIx64
		", config1 %#" PRIx64 ", config2 %#" PRIx64
		"; enabled %s, running %s (summed over CPUs)",
		or_unknown(c->name), c->type, c->config, c->config1, c->config2,
		enabled, running);
	if (c->counter && *c->counter)
		fprintf(out, "; LIKWID counter %s", c->counter);
	fputc('\n', out);
}

/* Why a counter's numbers may not be what its name says. */
static void header__counter_notes(FILE *out, const struct profile_counter *c)
{
	if (c->note && *c->note)
		fprintf(out, "note: %s: %s\n", or_unknown(c->name), c->note);
	if (c->running_ns < c->enabled_ns)
		fprintf(out,
			"warning: %s counted %.1f%% of the time it was "
			"enabled (multiplexed): its per-region counts are low\n",
			or_unknown(c->name),
			100.0 * (double)c->running_ns / (double)c->enabled_ns);
}

/* What the counter columns count, and how; with @full, each event's
 * definition. */
static void header__counters(FILE *out, const struct profile *p, bool full)
{
	const struct profile_meta *m = &p->meta;

	if (!ncounters(p))
		return;
	fprintf(out, "counters  ");
	for (size_t i = 0; i < ncounters(p); i++)
		fprintf(out, "%s%s [%s]", i ? ", " : "",
			or_unknown(p->counters[i].name),
			or_unknown(p->counters[i].units));
	fprintf(out, ": inclusive, summed over calls, as counted\n");
	if (m->counter_method && *m->counter_method)
		fprintf(out, "          %s\n", m->counter_method);
	for (size_t i = 0; full && i < ncounters(p); i++)
		header__counter_def(out, &p->counters[i]);
	if (m->likwid_group_text && *m->likwid_group_text)
		fprintf(out,
			"group     %s (LIKWID): its events and metrics per "
			"region with --metrics\n",
			or_unknown(m->likwid_group));
	for (size_t i = 0; i < ncounters(p); i++)
		header__counter_notes(out, &p->counters[i]);
}

static void header__print(FILE *out, const struct profile *p, bool raw,
			  bool meta)
{
	const struct profile_meta *m = &p->meta;
	char duration[16];

	report__fmt_ns(duration, sizeof(duration), wall__ns(p));
	fprintf(out, "command   %s\n", or_unknown(m->command));
	fprintf(out, "pid       %" PRId64 " (%s", m->pid, or_unknown(m->mode));
	if (m->exit_status >= 0)
		fprintf(out, ", exit status %" PRId64 ")\n", m->exit_status);
	else if (m->target_exited)
		fprintf(out, ", exited during the profile)\n");
	else
		fprintf(out, ", left running)\n");
	fprintf(out, "duration  %s\n", duration);
	fprintf(out, "host      %s (kernel %s)\n", or_unknown(m->host),
		or_unknown(m->kernel));
	fprintf(out, "start     %s\n", or_unknown(m->start_time));
	header__sites(out, m);
	header__probes(out, p, raw);
	header__counters(out, p, meta);
	header__warn(out, m);
	header__unfollowed(out, m);
	fprintf(out, "\n");
}

/* Time summed over threads is not wall time: threads that overlap add up
 * past 100 %, and the column says so rather than look like a bug. */
static void table__note(FILE *out, const struct profile *p)
{
	char wall[16];

	if (!wall__ns(p))
		return;
	report__fmt_ns(wall, sizeof(wall), wall__ns(p));
	fprintf(out,
		"%s: total time summed over %zu thread%s, in %% of the "
		"%s wall time (may exceed 100%%)\n",
		REPORT_PCT_THREAD_TIME, view__nthreads(p),
		view__nthreads(p) == 1 ? "" : "s", wall);
}

static int table__summed(FILE *out, struct table_ctx *t)
{
	const struct profile *p = t->p;
	struct view v;
	int err = view__new(&v, p, rows__by_region);

	if (err)
		return err;
	table__note(out, p);
	err = table__print(out, t, v.s, v.n, REPORT_PCT_THREAD_TIME);
	view__free(&v);
	return err;
}

/* Rows from @i on that belong to the thread of row @i. */
static size_t view__thread_run(const struct view *v, size_t i)
{
	size_t j = i + 1;

	while (j < v->n && !ids__cmp(v->s[i]->pid, v->s[i]->tid, v->s[j]->pid,
				     v->s[j]->tid))
		j++;
	return j - i;
}

static int table__threads(FILE *out, struct table_ctx *t)
{
	const struct profile *p = t->p;
	struct view v;
	int err = view__new(&v, p, rows__by_thread);
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
	struct table_ctx t = { .p = p, .raw = o && o->raw };
	int err;

	header__print(out, p, t.raw, o && o->meta);
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

/* "# key: value": a value on one line whatever its text holds. */
static void csv_out__meta_line(FILE *out, const char *key, const char *value)
{
	fprintf(out, "# %s: ", key);
	for (; *value; value++)
		fputc(*value == '\n' || *value == '\r' ? ' ' : *value, out);
	fputc('\n', out);
}

static void csv_out__meta(FILE *out, const struct profile_meta *m)
{
	struct profile_field f;
	char num[32];

	for (size_t i = 0; profile_meta__field(i, &f); i++) {
		const void *at = (const char *)m + f.offset;
		const char *value = num;

		if (f.kind == PROFILE_STR)
			value = *(char *const *)at ?: "";
		else if (f.kind == PROFILE_I64)
			snprintf(num, sizeof(num), "%" PRId64,
				 *(const int64_t *)at);
		else if (f.kind == PROFILE_U64)
			snprintf(num, sizeof(num), "%" PRIu64,
				 *(const uint64_t *)at);
		else
			snprintf(num, sizeof(num), "%" PRIu32,
				 *(const uint32_t *)at);
		csv_out__meta_line(out, f.name, value);
	}
}

static uint64_t mean_ns(uint64_t total_ns, uint64_t calls)
{
	return calls ? total_ns / calls : 0;
}

/* The columns after the measured ones. */
static void csv_out__comp(FILE *out, uint64_t calls, uint64_t child_calls,
			  const struct report_comp *c)
{
	fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
		child_calls, c->total_ns, c->self_ns,
		mean_ns(c->total_ns, calls));
}

/* The header's last columns: per counter, its name (inclusive) and
 * NAME_self (exclusive), quoted as their names need. */
static void csv_out__header(FILE *out, const struct profile *p,
			    const char *header)
{
	char self[256];

	fputs(header, out);
	for (size_t i = 0; i < ncounters(p); i++) {
		const char *name = p->counters[i].name ?: "";

		snprintf(self, sizeof(self), "%s" REPORT_CSV_SELF_SUFFIX, name);
		fputc(',', out);
		csv__field(out, name);
		fputc(',', out);
		csv__field(out, self);
	}
	fputc('\n', out);
}

/* A row's counter columns, and the end of the line. */
static void csv_out__counters(FILE *out, const struct profile *p,
			      const uint64_t *incl, const uint64_t *self)
{
	for (size_t i = 0; i < ncounters(p); i++)
		fprintf(out, ",%" PRIu64 ",%" PRIu64, incl[i], self[i]);
	fputc('\n', out);
}

/* "# counter_I: name=... units=... ...": a counter's definition, the
 * free-text note last. */
static void csv_out__counter_defs(FILE *out, const struct profile *p)
{
	char key[32], value[512];

	for (size_t i = 0; i < ncounters(p); i++) {
		const struct profile_counter *c = &p->counters[i];

		snprintf(key, sizeof(key), "counter_%zu", i);
		snprintf(value, sizeof(value),
			 "name=%s units=%s counter=%s type=%" PRIu32
			 " config=%#" PRIx64 " config1=%#" PRIx64
			 " config2=%#" PRIx64 " enabled_ns=%" PRIu64
			 " running_ns=%" PRIu64 " note=%s",
			 c->name ?: "", c->units ?: "", c->counter ?: "",
			 c->type, c->config, c->config1, c->config2,
			 c->enabled_ns, c->running_ns, c->note ?: "");
		csv_out__meta_line(out, key, value);
	}
}

/* One row per region summed over threads: the table's numbers, exact. */
static int csv_out__summed(FILE *out, const struct profile *p)
{
	struct view v;
	struct row *rows = NULL;
	size_t n = 0;
	char name[24];
	int err = view__new(&v, p, rows__by_region);

	if (err)
		return err;
	err = rows__build(p, v.s, v.n, false, &rows, &n);
	view__free(&v);
	if (err)
		return err;
	csv_out__header(out, p, REPORT_CSV_HEADER);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		csv__field(out, region__label(p, r->region, name));
		fprintf(out,
			",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
			r->threads, r->calls, r->total_ns, r->self_ns,
			r->min_ns, r->max_ns, mean_ns(r->total_ns, r->calls));
		csv_out__comp(out, r->calls, r->child_calls, &r->comp);
		csv_out__counters(out, p, r->counter_incl, r->counter_self);
	}
	free(rows);
	return 0;
}

static int csv_out__threads(FILE *out, const struct profile *p)
{
	struct report_comp c;
	struct view v;
	char name[24];
	int err = view__new(&v, p, rows__by_total);

	if (err)
		return err;
	csv_out__header(out, p, REPORT_CSV_THREADS_HEADER);
	for (size_t i = 0; i < v.n; i++) {
		const struct region_stats *s = v.s[i];

		csv__field(out, region__label(p, s->region, name));
		fprintf(out,
			",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",",
			s->tid, s->calls, s->total_ns, s->self_ns, s->min_ns,
			s->max_ns, mean_ns(s->total_ns, s->calls), s->pid);
		csv__field(out, view__comm(&v, s->pid, s->tid));
		report__compensate(&p->meta, s->calls, s->child_calls,
				   s->total_ns, s->self_ns, &c);
		csv_out__comp(out, s->calls, s->child_calls, &c);
		csv_out__counters(out, p, s->counter_incl, s->counter_self);
	}
	view__free(&v);
	return 0;
}

int report__csv(const struct profile *p, FILE *out, const struct report_opts *o)
{
	int err;

	if (o && o->meta) {
		csv_out__meta(out, &p->meta);
		csv_out__counter_defs(out, p);
	}
	if (o && o->threads)
		err = csv_out__threads(out, p);
	else
		err = csv_out__summed(out, p);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
