// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* report --compare: what changed between two profiles, region by region
 * (matched by name: ids are per file), and whether a change is larger
 * than the noise the histograms show. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/json.h"
#include "profile/hist.h"
#include "report/rows.h"

/* A region in one of the profiles, summed over its threads. */
struct side {
	bool present;
	uint64_t calls, total_ns; /* total as shown: compensated unless raw */
	uint64_t min_ns, max_ns;  /* measured, for the histogram's range */
	uint64_t hist[PROFILE_HIST_BUCKETS];
};

struct change {
	char *name;
	struct side old, new;
	enum report_change what;
	uint64_t noise_ns;
	double speedup; /* old mean / new mean; NAN when either lacks one */
};

struct changes {
	struct change *v;
	size_t n, cap;
};

static const char *const change_names[] = {
	[REPORT_SAME] = "within_noise", [REPORT_SLOWER] = "slower",
	[REPORT_FASTER] = "faster",	[REPORT_APPEARED] = "appeared",
	[REPORT_VANISHED] = "vanished",
};

uint64_t report__noise(uint64_t spread_old, uint64_t calls_old,
		       uint64_t spread_new, uint64_t calls_new)
{
	double var = 0;

	if (calls_old)
		var += (double)spread_old * (double)spread_old /
		       (double)calls_old;
	if (calls_new)
		var += (double)spread_new * (double)spread_new /
		       (double)calls_new;
	return (uint64_t)llround(sqrt(var));
}

static uint64_t side__mean(const struct side *s)
{
	return report__mean(s->total_ns, s->calls);
}

static uint64_t side__spread(const struct side *s)
{
	return profile_hist__quantile(s->hist, s->min_ns, s->max_ns, 0.90) -
	       profile_hist__quantile(s->hist, s->min_ns, s->max_ns, 0.10);
}

static void side__add(struct side *s, const struct row *r, bool raw)
{
	if (r->calls && (!s->calls || r->min_ns < s->min_ns))
		s->min_ns = r->min_ns;
	if (r->max_ns > s->max_ns)
		s->max_ns = r->max_ns;
	s->present = true;
	s->calls += r->calls;
	s->total_ns += raw ? r->total_ns : r->comp.total_ns;
	for (int i = 0; i < PROFILE_HIST_BUCKETS; i++)
		s->hist[i] += r->hist[i];
}

/* The entry of region @name, added when new; NULL without memory. */
static struct change *changes__get(struct changes *c, const char *name)
{
	struct change *v;

	for (size_t i = 0; i < c->n; i++) {
		if (!strcmp(c->v[i].name, name))
			return &c->v[i];
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;

		v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
	v = &c->v[c->n];
	*v = (struct change){ .name = strdup(name) };
	if (!v->name)
		return NULL;
	c->n++;
	return v;
}

static void changes__free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].name);
	free(c->v);
}

/* The regions of @p that pass the filters into the @new or old side. */
static int changes__add(struct changes *c, const struct profile *p,
			const struct report_opts *o, bool new)
{
	struct rows_order ord;
	struct view v;
	struct row *rows = NULL;
	size_t n = 0;
	char buf[24];
	int err = view__new(&v, p, o, rows__by_region);

	if (err)
		return err;
	rows_order__init(&ord, p, NULL, false);
	err = rows__build(&ord, v.s, v.n, &rows, &n);
	view__free(&v);
	for (size_t i = 0; !err && i < n; i++) {
		struct change *ch =
			changes__get(c, region__label(p, rows[i].region, buf));

		if (!ch)
			err = -ENOMEM;
		else
			side__add(new ? &ch->new : &ch->old, &rows[i],
				  o && o->raw);
	}
	free(rows);
	return err;
}

static void change__judge(struct change *c)
{
	uint64_t mo = side__mean(&c->old), mn = side__mean(&c->new);

	c->speedup = NAN;
	if (!c->old.present || !c->new.present) {
		c->what = c->old.present ? REPORT_VANISHED : REPORT_APPEARED;
		return;
	}
	c->noise_ns = report__noise(side__spread(&c->old), c->old.calls,
				    side__spread(&c->new), c->new.calls);
	if (c->old.calls && c->new.calls &&mn)
		c->speedup = (double)mo / (double)mn;
	if ((mo > mn ? mo - mn : mn - mo) <= c->noise_ns)
		c->what = REPORT_SAME;
	else
		c->what = mn > mo ? REPORT_SLOWER : REPORT_FASTER;
}

static uint64_t change__abs_total(const struct change *c)
{
	uint64_t o = c->old.total_ns, n = c->new.total_ns;

	return o > n ? o - n : n - o;
}

static int change__cmp(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	uint64_t dx = change__abs_total(x), dy = change__abs_total(y);

	if (dx != dy)
		return dx < dy ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int changes__build(struct changes *c, const struct profile *old,
			  const struct profile *new,
			  const struct report_opts *o)
{
	int err;

	*c = (struct changes){ 0 };
	err = changes__add(c, old, o, false);
	if (!err)
		err = changes__add(c, new, o, true);
	if (err) {
		changes__free(c);
		return err;
	}
	for (size_t i = 0; i < c->n; i++)
		change__judge(&c->v[i]);
	qsort(c->v, c->n, sizeof(*c->v), change__cmp);
	if (o && o->top && o->top < c->n)
		c->n = o->top;
	return 0;
}

static int64_t delta(uint64_t old, uint64_t new)
{
	return (int64_t)(new - old);
}

/* A signed duration: "+1.23 ms", "-500 ns". */
static void fmt_delta_ns(char *buf, size_t len, int64_t d)
{
	char v[16];

	report__fmt_ns(v, sizeof(v), d < 0 ? -(uint64_t)d : (uint64_t)d);
	snprintf(buf, len, "%c%s", d < 0 ? '-' : '+', v);
}

/* "-" for the side a region lacks. */
static void fmt_side_ns(char *buf, size_t len, const struct side *s,
			uint64_t ns)
{
	if (s->present)
		report__fmt_ns(buf, len, ns);
	else
		snprintf(buf, len, "-");
}

static void table__run(FILE *out, const char *which, const struct profile *p)
{
	char wall[16];

	report__fmt_ns(wall, sizeof(wall), report__wall_ns(p));
	fprintf(out, "%-9s %s (%s, %s)\n", which, or_unknown(p->meta.command),
		or_unknown(p->meta.start_time), wall);
}

static void table__change(FILE *out, const struct change *c)
{
	char d[5][24], calls[2][24], speedup[16];

	fmt_side_ns(d[0], sizeof(d[0]), &c->old, c->old.total_ns);
	fmt_side_ns(d[1], sizeof(d[1]), &c->new, c->new.total_ns);
	fmt_delta_ns(d[2], sizeof(d[2]),
		     delta(c->old.total_ns, c->new.total_ns));
	fmt_side_ns(d[3], sizeof(d[3]), &c->old, side__mean(&c->old));
	fmt_side_ns(d[4], sizeof(d[4]), &c->new, side__mean(&c->new));
	snprintf(calls[0], sizeof(calls[0]), "%" PRIu64, c->old.calls);
	snprintf(calls[1], sizeof(calls[1]), "%" PRIu64, c->new.calls);
	if (isnan(c->speedup))
		snprintf(speedup, sizeof(speedup), "-");
	else
		snprintf(speedup, sizeof(speedup), "%.2fx", c->speedup);
	fprintf(out, "%-24s %10s %10s %10s %10s %10s %10s %10s %8s  %s\n",
		c->name, c->old.present ? calls[0] : "-",
		c->new.present ? calls[1] : "-", d[0], d[1], d[2], d[3], d[4],
		speedup, change_names[c->what]);
}

static void compare__table(FILE *out, const struct changes *c,
			   const struct profile *old, const struct profile *new,
			   bool raw)
{
	table__run(out, "old", old);
	table__run(out, "new", new);
	fprintf(out, "times     %s\n\n",
		raw ? "as measured, probes' cost included (--raw)" :
		      "compensated: each profile's probe cost taken out");
	fprintf(out, "%-24s %10s %10s %10s %10s %10s %10s %10s %8s  %s\n",
		"region", "calls old", "calls new", "total old", "total new",
		"change", "mean old", "mean new", "speedup", "note");
	for (size_t i = 0; i < c->n; i++)
		table__change(out, &c->v[i]);
	if (!c->n)
		fprintf(out, "(no region in either profile)\n");
	fprintf(out,
		"\nspeedup: old mean / new mean. within_noise: the means "
		"differ by no more than\nsqrt(s_old^2/n_old + s_new^2/n_new), "
		"s = p90 - p10 of the region's histogram,\nn its calls "
		"(docs/report.md)\n");
}

/* A side's calls, total and mean: empty fields for a missing side. */
static void csv__sides(FILE *out, const struct change *c)
{
	const struct side *s[2] = { &c->old, &c->new };

	for (int i = 0; i < 2; i++)
		fprintf(out, s[i]->present ? ",%" PRIu64 : ",", s[i]->calls);
	fprintf(out, ",%" PRId64, delta(c->old.calls, c->new.calls));
	for (int i = 0; i < 2; i++)
		fprintf(out, s[i]->present ? ",%" PRIu64 : ",", s[i]->total_ns);
	fprintf(out, ",%" PRId64, delta(c->old.total_ns, c->new.total_ns));
	for (int i = 0; i < 2; i++)
		fprintf(out, s[i]->present ? ",%" PRIu64 : ",",
			side__mean(s[i]));
}

static void compare__csv(FILE *out, const struct changes *c)
{
	fputs(REPORT_CSV_COMPARE_HEADER "\n", out);
	for (size_t i = 0; i < c->n; i++) {
		const struct change *ch = &c->v[i];

		csv__field(out, ch->name);
		fprintf(out, ",%s", change_names[ch->what]);
		csv__sides(out, ch);
		if (isnan(ch->speedup))
			fputc(',', out);
		else
			fprintf(out, ",%.4f", ch->speedup);
		fprintf(out, ",%" PRIu64 "\n", ch->noise_ns);
	}
}

static void json__side(struct json *j, const char *key, const struct side *s)
{
	json__key(j, key);
	if (!s->present) {
		json__null(j);
		return;
	}
	json__begin_object(j);
	json__kv_u64(j, "calls", s->calls);
	json__kv_u64(j, "total_ns", s->total_ns);
	json__kv_u64(j, "mean_ns", side__mean(s));
	json__kv_u64(j, "spread_ns", side__spread(s));
	json__end_object(j);
}

static void json__change(struct json *j, const struct change *c)
{
	json__begin_object(j);
	json__kv_string(j, "region", c->name);
	json__kv_string(j, "status", change_names[c->what]);
	json__side(j, "old", &c->old);
	json__side(j, "new", &c->new);
	json__kv_i64(j, "calls_change", delta(c->old.calls, c->new.calls));
	json__kv_i64(j, "total_change_ns",
		     delta(c->old.total_ns, c->new.total_ns));
	json__key(j, "speedup");
	json__double(j, c->speedup);
	json__kv_u64(j, "noise_ns", c->noise_ns);
	json__end_object(j);
}

static int compare__json(FILE *out, const struct changes *c,
			 const struct profile *old, const struct profile *new,
			 bool raw)
{
	struct json j;

	json__init(&j, out);
	json__begin_object(&j);
	report__json_head(&j, "compare");
	json__kv_string(&j, "times", raw ? "measured" : "compensated");
	report__json_run(&j, "old", old);
	report__json_run(&j, "new", new);
	json__key(&j, "regions");
	json__begin_array(&j);
	for (size_t i = 0; i < c->n; i++)
		json__change(&j, &c->v[i]);
	json__end_array(&j);
	json__end_object(&j);
	return json__end(&j);
}

int report__compare(const struct profile *old, const struct profile *new,
		    FILE *out, const struct report_opts *o,
		    enum output_format format)
{
	bool raw = o && o->raw;
	struct changes c;
	int err = changes__build(&c, old, new, o);

	if (err)
		return err;
	if (format == FORMAT_JSON)
		err = compare__json(out, &c, old, new, raw);
	else if (format == FORMAT_CSV)
		compare__csv(out, &c);
	else
		compare__table(out, &c, old, new, raw);
	changes__free(&c);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
