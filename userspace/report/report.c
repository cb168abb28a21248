// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Report tables and CSV from a struct profile, with no HDF5 in sight. */
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
	uint64_t calls, total_ns, self_ns, min_ns, max_ns;
};

struct thread_key {
	uint32_t pid, tid;
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

static const char *thread__comm(const struct profile *p, uint32_t pid,
				uint32_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		if (p->threads[i].pid == pid && p->threads[i].tid == tid)
			return p->threads[i].comm;
	}
	return NULL;
}

static void row__init(struct row *r, const struct region_stats *s)
{
	*r = (struct row){
		.region = s->region,
		.calls = s->calls,
		.total_ns = s->total_ns,
		.self_ns = s->self_ns,
		.min_ns = s->min_ns,
		.max_ns = s->max_ns,
	};
}

/* A region that never ran on a thread has no min: skip it in the min. */
static void row__merge(struct row *r, const struct region_stats *s)
{
	if (s->calls && (!r->calls || s->min_ns < r->min_ns))
		r->min_ns = s->min_ns;
	if (s->max_ns > r->max_ns)
		r->max_ns = s->max_ns;
	r->calls += s->calls;
	r->total_ns += s->total_ns;
	r->self_ns += s->self_ns;
}

static int row__by_total(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	return x->region < y->region ? -1 : x->region > y->region;
}

static int stats__by_region(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	return x->region < y->region ? -1 : x->region > y->region;
}

static bool stats__match(const struct region_stats *s,
			 const struct thread_key *only)
{
	return !only || (s->pid == only->pid && s->tid == only->tid);
}

/* Rows of the stats of @only (all threads when NULL), by total time. */
static int rows__build(const struct profile *p, const struct thread_key *only,
		       struct row **out, size_t *n)
{
	const struct region_stats **sel = calloc(p->nstats ?: 1, sizeof(*sel));
	struct row *rows = calloc(p->nstats ?: 1, sizeof(*rows));
	size_t m = 0, k = 0;

	if (!sel || !rows) {
		free(sel);
		free(rows);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->nstats; i++) {
		if (stats__match(&p->stats[i], only))
			sel[m++] = &p->stats[i];
	}
	qsort(sel, m, sizeof(*sel), stats__by_region);
	for (size_t i = 0; i < m; i++) {
		if (k && rows[k - 1].region == sel[i]->region)
			row__merge(&rows[k - 1], sel[i]);
		else
			row__init(&rows[k++], sel[i]);
	}
	free(sel);
	qsort(rows, k, sizeof(*rows), row__by_total);
	*out = rows;
	*n = k;
	return 0;
}

static int name__width(const struct profile *p, const struct row *rows,
		       size_t n)
{
	size_t w = NAME_WIDTH_MIN;

	for (size_t i = 0; i < n; i++) {
		const char *name = region__name(p, rows[i].region);
		size_t len = name ? strlen(name) : 12;

		if (len > w)
			w = len;
	}
	return w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : (int)w;
}

static void table__row(FILE *out, const struct profile *p,
		       const struct row *r, int width, uint64_t wall_ns)
{
	const char *name = region__name(p, r->region);
	char unknown[24];
	uint64_t v[5] = { r->total_ns, r->self_ns,
			  r->calls ? r->total_ns / r->calls : 0, r->min_ns,
			  r->max_ns };
	char d[5][16];

	for (int i = 0; i < 5; i++)
		report__fmt_ns(d[i], sizeof(d[i]), v[i]);
	if (!name) {
		snprintf(unknown, sizeof(unknown), "region#%" PRIu32,
			 r->region);
		name = unknown;
	}
	fprintf(out, "%-*s %10" PRIu64 " %10s %10s %10s %10s %10s", width,
		name, r->calls, d[0], d[1], d[2], d[3], d[4]);
	if (wall_ns)
		fprintf(out, " %7.1f\n", 100.0 * (double)r->total_ns /
						 (double)wall_ns);
	else
		fprintf(out, " %7s\n", "-");
}

static uint64_t profile__wall_ns(const struct profile *p)
{
	if (p->meta.end_ns > p->meta.start_ns)
		return p->meta.end_ns - p->meta.start_ns;
	return 0;
}

static int table__print(FILE *out, const struct profile *p,
			const struct thread_key *only)
{
	struct row *rows;
	size_t n;
	int width, err = rows__build(p, only, &rows, &n);

	if (err)
		return err;
	width = name__width(p, rows, n);
	fprintf(out, "%-*s %10s %10s %10s %10s %10s %10s %7s\n", width,
		"region", "calls", "total", "self", "mean", "min", "max",
		"%wall");
	for (size_t i = 0; i < n; i++)
		table__row(out, p, &rows[i], width, profile__wall_ns(p));
	if (!n)
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
		fprintf(out, "%s%" PRIu64 " %s", any ? ", " : "warning: ",
			m->losses[i], loss__table[i].short_);
		any = true;
	}
	if (any)
		fprintf(out, "\n");
}

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

static void header__print(FILE *out, const struct profile *p)
{
	const struct profile_meta *m = &p->meta;
	char duration[16];

	report__fmt_ns(duration, sizeof(duration), profile__wall_ns(p));
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
	header__warn(out, m);
	fprintf(out, "\n");
}

static int thread_key__cmp(const void *a, const void *b)
{
	const struct thread_key *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* The distinct threads of the stats rows, by pid then tid. */
static int threads__list(const struct profile *p, struct thread_key **out,
			 size_t *n)
{
	struct thread_key *keys = calloc(p->nstats ?: 1, sizeof(*keys));
	size_t k = 0;

	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < p->nstats; i++)
		keys[i] = (struct thread_key){ p->stats[i].pid,
					       p->stats[i].tid };
	qsort(keys, p->nstats, sizeof(*keys), thread_key__cmp);
	for (size_t i = 0; i < p->nstats; i++) {
		if (!k || thread_key__cmp(&keys[k - 1], &keys[i]))
			keys[k++] = keys[i];
	}
	*out = keys;
	*n = k;
	return 0;
}

static int table__threads(FILE *out, const struct profile *p)
{
	struct thread_key *keys = NULL;
	size_t n = 0;
	int err = threads__list(p, &keys, &n);

	for (size_t i = 0; i < n && !err; i++) {
		const char *comm = thread__comm(p, keys[i].pid, keys[i].tid);

		fprintf(out, "%sthread %" PRIu32 " (pid %" PRIu32 ", %s)\n",
			i ? "\n" : "", keys[i].tid, keys[i].pid, comm ?: "?");
		err = table__print(out, p, &keys[i]);
	}
	if (!err && !n)
		fprintf(out, "(no region completed)\n");
	free(keys);
	return err;
}

int report__table(const struct profile *p, FILE *out,
		  const struct report_opts *o)
{
	int err;

	header__print(out, p);
	if (o && o->threads)
		err = table__threads(out, p);
	else
		err = table__print(out, p, NULL);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}

static int stats__by_total(const void *a, const void *b)
{
	const struct region_stats *x = *(const struct region_stats *const *)a;
	const struct region_stats *y = *(const struct region_stats *const *)b;

	if (x->total_ns != y->total_ns)
		return x->total_ns < y->total_ns ? 1 : -1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static void csv__row(FILE *out, const struct profile *p,
		     const struct region_stats *s)
{
	const char *name = region__name(p, s->region);
	char unknown[24];

	if (!name) {
		snprintf(unknown, sizeof(unknown), "region#%" PRIu32,
			 s->region);
		name = unknown;
	}
	csv__field(out, name);
	fprintf(out,
		",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu32 "\n",
		s->tid, s->calls, s->total_ns, s->self_ns, s->min_ns,
		s->max_ns, s->calls ? s->total_ns / s->calls : 0, s->pid);
}

int report__csv(const struct profile *p, FILE *out,
		const struct report_opts *o)
{
	const struct region_stats **sel = calloc(p->nstats ?: 1, sizeof(*sel));

	(void)o; /* CSV rows are always per thread */
	if (!sel)
		return -ENOMEM;
	for (size_t i = 0; i < p->nstats; i++)
		sel[i] = &p->stats[i];
	qsort(sel, p->nstats, sizeof(*sel), stats__by_total);
	fprintf(out, "region,tid,calls,total_ns,self_ns,min_ns,max_ns,"
		     "mean_ns,pid\n");
	for (size_t i = 0; i < p->nstats; i++)
		csv__row(out, p, sel[i]);
	free(sel);
	return fflush(out) || ferror(out) ? -EIO : 0;
}
