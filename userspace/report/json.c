// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report as one JSON document: the CSV's rows under the CSV's column
 * names, and the run's summary, for tools that would rather not parse a
 * table (docs/report.md lists the keys). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "report/rows.h"

/* Bumped when a key changes meaning or goes; new keys keep it. */
#define REPORT_JSON_VERSION 1

static void json_out__losses(struct json *j, const struct profile_meta *m)
{
	json__key(j, "losses");
	json__begin_object(j);
	for (int i = 0; i < LOSS__COUNT; i++)
		json__kv_u64(j, loss__table[i].name, m->losses[i]);
	json__end_object(j);
}

/* What the table's header says, always there. */
void report__json_run(struct json *j, const char *key, const struct profile *p)
{
	const struct profile_meta *m = &p->meta;

	json__key(j, key);
	json__begin_object(j);
	json__kv_string(j, "command", m->command ?: "");
	json__kv_string(j, "mode", m->mode ?: "");
	json__kv_i64(j, "pid", m->pid);
	json__kv_i64(j, "exit_status", m->exit_status);
	json__kv_string(j, "host", m->host ?: "");
	json__kv_string(j, "kernel", m->kernel ?: "");
	json__kv_string(j, "start_time", m->start_time ?: "");
	json__kv_u64(j, "wall_ns", report__wall_ns(p));
	json__kv_u64(j, "calib_inregion_ns", m->calib_inregion_ns);
	json__kv_u64(j, "calib_pair_ns", m->calib_pair_ns);
	json_out__losses(j, m);
	json__end_object(j);
}

/* Every /meta field under its name, numbers as numbers. */
static void json_out__meta(struct json *j, const struct profile_meta *m)
{
	struct profile_field f;

	json__key(j, "meta");
	json__begin_object(j);
	for (size_t i = 0; profile_meta__field(i, &f); i++) {
		const void *at = (const char *)m + f.offset;

		json__key(j, f.name);
		if (f.kind == PROFILE_STR)
			json__string(j, *(char *const *)at ?: "");
		else if (f.kind == PROFILE_I64)
			json__i64(j, *(const int64_t *)at);
		else if (f.kind == PROFILE_U64)
			json__u64(j, *(const uint64_t *)at);
		else
			json__u64(j, *(const uint32_t *)at);
	}
	json__end_object(j);
}

static void json_out__counter(struct json *j, const struct profile_counter *c,
			      bool full)
{
	json__begin_object(j);
	json__kv_string(j, "name", c->name ?: "");
	json__kv_string(j, "units", c->units ?: "");
	json__kv_string(j, "counter", c->counter ?: "");
	json__kv_string(j, "note", c->note ?: "");
	if (full) {
		json__kv_u64(j, "type", c->type);
		json__kv_u64(j, "config", c->config);
		json__kv_u64(j, "config1", c->config1);
		json__kv_u64(j, "config2", c->config2);
		json__kv_u64(j, "enabled_ns", c->enabled_ns);
		json__kv_u64(j, "running_ns", c->running_ns);
	}
	json__end_object(j);
}

static void json_out__counters(struct json *j, const struct profile *p,
			       bool full)
{
	json__key(j, "counters");
	json__begin_array(j);
	for (size_t i = 0; i < report__ncounters(p); i++)
		json_out__counter(j, &p->counters[i], full);
	json__end_array(j);
}

/* The row's counters as the CSV names them: NAME and NAME_self. */
static void json_out__row_counters(struct json *j, const struct profile *p,
				   const struct row *r)
{
	char self[256];

	if (!report__ncounters(p))
		return;
	json__key(j, "counters");
	json__begin_object(j);
	for (size_t i = 0; i < report__ncounters(p); i++) {
		const char *name = p->counters[i].name ?: "";

		snprintf(self, sizeof(self), "%s" REPORT_CSV_SELF_SUFFIX, name);
		json__kv_u64(j, name, r->counter_incl[i]);
		json__kv_u64(j, self, r->counter_self[i]);
	}
	json__end_object(j);
}

static void json_out__percentiles(struct json *j, const struct row *r)
{
	json__kv_u64(j, "p50_ns", row__quantile(r, 0.50));
	json__kv_u64(j, "p90_ns", row__quantile(r, 0.90));
	json__kv_u64(j, "p99_ns", row__quantile(r, 0.99));
}

/* A row under the CSV's names; "threads" only where rows are summed. */
static void json_out__row(struct json *j, const struct profile *p,
			  const struct row *r, const struct report_opts *o,
			  bool summed)
{
	char name[24];

	json__begin_object(j);
	json__kv_string(j, "region", region__label(p, r->region, name));
	if (summed)
		json__kv_u64(j, "threads", r->threads);
	json__kv_u64(j, "calls", r->calls);
	json__kv_u64(j, "total_ns", r->total_ns);
	json__kv_u64(j, "self_ns", r->self_ns);
	json__kv_u64(j, "min_ns", r->min_ns);
	json__kv_u64(j, "max_ns", r->max_ns);
	json__kv_u64(j, "mean_ns", report__mean(r->total_ns, r->calls));
	json__kv_u64(j, "child_calls", r->child_calls);
	json__kv_u64(j, "total_comp_ns", r->comp.total_ns);
	json__kv_u64(j, "self_comp_ns", r->comp.self_ns);
	json__kv_u64(j, "mean_comp_ns",
		     report__mean(r->comp.total_ns, r->calls));
	if (o && o->percentiles)
		json_out__percentiles(j, r);
	json_out__row_counters(j, p, r);
	json__end_object(j);
}

static int json_out__summed(struct json *j, const struct profile *p,
			    const struct report_opts *o)
{
	struct rows_order ord;
	struct view v;
	struct row *rows;
	size_t n;
	int err = view__new(&v, p, o, rows__by_region);

	if (err)
		return err;
	rows_order__init(&ord, p, o, false);
	err = rows__build(&ord, v.s, v.n, &rows, &n);
	view__free(&v);
	if (err)
		return err;
	json__key(j, "regions");
	json__begin_array(j);
	for (size_t i = 0; i < n; i++)
		json_out__row(j, p, &rows[i], o, true);
	json__end_array(j);
	free(rows);
	return 0;
}

/* The rows from @i on that belong to the thread of row @i, as one
 * object; the index past them. */
static size_t json_out__thread(struct json *j, const struct profile *p,
			       const struct view *v, const struct row *rows,
			       size_t n, size_t i, const struct report_opts *o)
{
	const struct row *first = &rows[i];

	json__begin_object(j);
	json__kv_u64(j, "pid", first->pid);
	json__kv_u64(j, "tid", first->tid);
	json__kv_string(j, "comm", view__comm(v, first->pid, first->tid));
	json__key(j, "regions");
	json__begin_array(j);
	for (; i < n && rows[i].pid == first->pid && rows[i].tid == first->tid;
	     i++)
		json_out__row(j, p, &rows[i], o, false);
	json__end_array(j);
	json__end_object(j);
	return i;
}

static int json_out__threads(struct json *j, const struct profile *p,
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
		json__key(j, "threads");
		json__begin_array(j);
		for (size_t i = 0; i < n;)
			i = json_out__thread(j, p, &v, rows, n, i, o);
		json__end_array(j);
		free(rows);
	}
	view__free(&v);
	return err;
}

/* What every report document starts with. */
void report__json_head(struct json *j, const char *view)
{
	json__kv_string(j, "format", "scope-bpf-report");
	json__kv_u64(j, "version", REPORT_JSON_VERSION);
	json__kv_string(j, "view", view);
	json__key(j, "units");
	json__begin_object(j);
	json__kv_string(j, "*_ns", "ns");
	json__kv_string(j, "calls", "count");
	json__kv_string(j, "counters", "each counter's units");
	json__end_object(j);
}

int report__json(const struct profile *p, FILE *out,
		 const struct report_opts *o)
{
	bool threads = o && o->threads, meta = o && o->meta;
	struct json j;
	int err;

	json__init(&j, out);
	json__begin_object(&j);
	report__json_head(&j, threads ? "threads" : "summary");
	report__json_run(&j, "run", p);
	if (meta)
		json_out__meta(&j, &p->meta);
	json_out__counters(&j, p, meta);
	err = threads ? json_out__threads(&j, p, o) :
			json_out__summed(&j, p, o);
	json__end_object(&j);
	if (!err)
		err = json__end(&j);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}
