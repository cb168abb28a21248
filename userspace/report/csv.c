// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Report CSV for tools: the table's rows with exact numbers, units in the
 * columns' names. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "report/rows.h"

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

/* The columns after the measured ones. */
static void csv_out__comp(FILE *out, uint64_t calls, uint64_t child_calls,
			  const struct report_comp *c)
{
	fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
		child_calls, c->total_ns, c->self_ns,
		report__mean(c->total_ns, calls));
}

/* The header's last columns: per counter, its name (inclusive) and
 * NAME_self (exclusive), quoted as their names need. */
static void csv_out__header(FILE *out, const struct profile *p,
			    const char *header, const struct report_opts *o)
{
	char self[256];

	fputs(header, out);
	if (o && o->percentiles)
		fputs(REPORT_CSV_PERCENTILES, out);
	for (size_t i = 0; i < report__ncounters(p); i++) {
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
	for (size_t i = 0; i < report__ncounters(p); i++)
		fprintf(out, ",%" PRIu64 ",%" PRIu64, incl[i], self[i]);
	fputc('\n', out);
}

/* "# counter_I: name=... units=... ...": a counter's definition, the
 * free-text note last. */
static void csv_out__counter_defs(FILE *out, const struct profile *p)
{
	char key[32], value[512];

	for (size_t i = 0; i < report__ncounters(p); i++) {
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

/* p50_ns, p90_ns and p99_ns of the row, as measured. */
static void csv_out__percentiles(FILE *out, const struct row *r, bool on)
{
	if (on)
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
			row__quantile(r, 0.50), row__quantile(r, 0.90),
			row__quantile(r, 0.99));
}

/* The columns after the measured ones, up to the counters. */
static void csv_out__tail(FILE *out, const struct profile *p,
			  const struct row *r, const struct report_opts *o)
{
	csv_out__comp(out, r->calls, r->child_calls, &r->comp);
	csv_out__percentiles(out, r, o && o->percentiles);
	csv_out__counters(out, p, r->counter_incl, r->counter_self);
}

/* One row per region summed over threads: the table's numbers, exact. */
static int csv_out__summed(FILE *out, const struct profile *p,
			   const struct report_opts *o)
{
	struct rows_order ord;
	struct view v;
	struct row *rows = NULL;
	size_t n = 0;
	char name[24];
	int err = view__new(&v, p, o, rows__by_region);

	if (err)
		return err;
	rows_order__init(&ord, p, o, false);
	err = rows__build(&ord, v.s, v.n, &rows, &n);
	view__free(&v);
	if (err)
		return err;
	csv_out__header(out, p, REPORT_CSV_HEADER, o);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		csv__field(out, region__label(p, r->region, name));
		fprintf(out,
			",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
			r->threads, r->calls, r->total_ns, r->self_ns,
			r->min_ns, r->max_ns,
			report__mean(r->total_ns, r->calls));
		csv_out__tail(out, p, r, o);
	}
	free(rows);
	return 0;
}

static void csv_out__thread_row(FILE *out, const struct profile *p,
				const struct view *v, const struct row *r,
				const struct report_opts *o)
{
	char name[24];

	csv__field(out, region__label(p, r->region, name));
	fprintf(out,
		",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
		",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",",
		r->tid, r->calls, r->total_ns, r->self_ns, r->min_ns, r->max_ns,
		report__mean(r->total_ns, r->calls), r->pid);
	csv__field(out, view__comm(v, r->pid, r->tid));
	csv_out__tail(out, p, r, o);
}

/* One row per (thread, region), merged over its call paths; --top cuts
 * each thread's, and the rows of all threads are sorted together. */
static int csv_out__threads(FILE *out, const struct profile *p,
			    const struct report_opts *o)
{
	struct rows_order ord;
	struct view v;
	struct row *rows;
	size_t n;
	int err = view__new(&v, p, o, rows__by_thread);

	if (err)
		return err;
	rows_order__init(&ord, p, o, false);
	err = rows__per_thread(&ord, &v, &rows, &n);
	if (!err) {
		rows__sort(&ord, rows, n);
		csv_out__header(out, p, REPORT_CSV_THREADS_HEADER, o);
		for (size_t i = 0; i < n; i++)
			csv_out__thread_row(out, p, &v, &rows[i], o);
		free(rows);
	}
	view__free(&v);
	return err;
}

int report__csv(const struct profile *p, FILE *out, const struct report_opts *o)
{
	int err;

	if (o && o->meta) {
		csv_out__meta(out, &p->meta);
		csv_out__counter_defs(out, p);
	}
	if (o && o->threads)
		err = csv_out__threads(out, p, o);
	else
		err = csv_out__summed(out, p, o);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
