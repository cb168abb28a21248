// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The tables of a profile as exports write them: the file's own (regions,
 * threads, stats, paths, counters, meta) with names beside ids and the
 * compensated times beside the measured ones, the call tree built from
 * the paths, a trace's every interval (streamed from /trace), and last
 * "columns", every table's columns with their units, so that a reader of
 * any one file knows what its numbers count. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "export/names.h"
#include "export/tables.h"
#include "hdf5/trace_file.h"
#include "report/rows.h"
#include "report/tree.h"

/* Up to this many columns per table: stats has 11 fixed, 2 per counter
 * and one per histogram bucket. */
#define TABLE_MAX_COLS (16 + 2 * PROFILE_MAX_COUNTERS + PROFILE_HIST_BUCKETS)
/* The tables, "columns" included. */
#define TABLE_MAX 10
/* Intervals read per trace_reader__read: a few hundred KiB. */
#define TABLE_TRACE_BATCH 4096

/* The columns of a table being described, kept for the columns table. */
struct cols {
	struct table_col v[TABLE_MAX_COLS];
	size_t n;
};

struct tables {
	const struct profile *p;
	const char *trace; /* the file whose /trace is the trace table */
	struct table_sink *s;
	size_t ncounters;
	/* every table's name and columns, for the last table */
	const char *names[TABLE_MAX];
	struct cols all[TABLE_MAX];
	size_t ntables;
};

static void cols__add(struct cols *c, const char *name, const char *unit)
{
	snprintf(c->v[c->n].name, TABLE_COL_NAME, "%s", name);
	c->v[c->n++].unit = unit;
}

/* NAME and NAME_self per counter, in the counter's own units. */
static void cols__counters(const struct tables *t, struct cols *c)
{
	for (size_t i = 0; i < t->ncounters; i++) {
		const struct profile_counter *k = &t->p->counters[i];
		char name[TABLE_COL_NAME];

		cols__add(c, k->name ?: "", k->units);
		snprintf(name, sizeof(name), "%s_self", k->name ?: "");
		cols__add(c, name, k->units);
	}
}

static void cells__counters(struct table_sink *s, size_t n,
			    const uint64_t *incl, const uint64_t *self)
{
	for (size_t i = 0; i < n; i++) {
		s->u64(s, incl[i]);
		s->u64(s, self[i]);
	}
}

/* Opens table @name with @c's columns, remembered for the columns table. */
static struct cols *tables__begin(struct tables *t, const char *name)
{
	struct cols *c = &t->all[t->ntables];

	t->names[t->ntables++] = name;
	c->n = 0;
	return c;
}

static int tables__regions(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "regions");
	int err;

	cols__add(c, "id", NULL);
	cols__add(c, "name", NULL);
	cols__add(c, "file", NULL);
	cols__add(c, "line", NULL);
	cols__add(c, "sites", "count");
	cols__add(c, "begin_sites", "count");
	err = s->begin(s, "regions", c->v, c->n);
	for (size_t i = 0; !err && i < t->p->regions.n; i++) {
		const struct region *r = &t->p->regions.v[i];

		s->u64(s, r->id);
		s->str(s, r->name ?: "");
		s->str(s, r->file ?: "");
		s->u64(s, r->line);
		s->u64(s, r->nsites);
		s->u64(s, r->nbegin);
		s->row(s);
	}
	return err ?: s->end(s);
}

static int tables__threads(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "threads");
	int err;

	cols__add(c, "pid", NULL);
	cols__add(c, "tid", NULL);
	cols__add(c, "comm", NULL);
	err = s->begin(s, "threads", c->v, c->n);
	for (size_t i = 0; !err && i < t->p->nthreads; i++) {
		s->u64(s, t->p->threads[i].pid);
		s->u64(s, t->p->threads[i].tid);
		s->str(s, t->p->threads[i].comm ?: "");
		s->row(s);
	}
	return err ?: s->end(s);
}

/* The columns every per-thread row of stats and paths starts with. */
static void cols__times(struct cols *c)
{
	cols__add(c, "calls", "count");
	cols__add(c, "total_ns", "ns");
	cols__add(c, "self_ns", "ns");
	cols__add(c, "child_calls", "count");
	cols__add(c, "total_comp_ns", "ns");
	cols__add(c, "self_comp_ns", "ns");
}

static void cells__times(const struct tables *t, uint64_t calls, uint64_t total,
			 uint64_t self, uint64_t child_calls)
{
	struct table_sink *s = t->s;
	struct report_comp comp;

	report__compensate(&t->p->meta, calls, child_calls, total, self, &comp);
	s->u64(s, calls);
	s->u64(s, total);
	s->u64(s, self);
	s->u64(s, child_calls);
	s->u64(s, comp.total_ns);
	s->u64(s, comp.self_ns);
}

static void cells__who(const struct tables *t, uint32_t pid, uint32_t tid,
		       uint32_t region)
{
	t->s->u64(t->s, pid);
	t->s->u64(t->s, tid);
	t->s->str(t->s, export__thread_comm(t->p, pid, tid));
	t->s->str(t->s, export__region_name(t->p, region));
	t->s->u64(t->s, region);
}

static void cols__who(struct cols *c)
{
	cols__add(c, "pid", NULL);
	cols__add(c, "tid", NULL);
	cols__add(c, "comm", NULL);
	cols__add(c, "region", NULL);
	cols__add(c, "region_id", NULL);
}

static int tables__stats(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "stats");
	char name[TABLE_COL_NAME];
	int err;

	cols__who(c);
	cols__times(c);
	cols__add(c, "min_ns", "ns");
	cols__add(c, "max_ns", "ns");
	cols__counters(t, c);
	for (int b = 0; b < PROFILE_HIST_BUCKETS; b++) {
		snprintf(name, sizeof(name), "hist_%d", b);
		cols__add(c, name, "count");
	}
	err = s->begin(s, "stats", c->v, c->n);
	for (size_t i = 0; !err && i < t->p->nstats; i++) {
		const struct region_stats *r = &t->p->stats[i];

		cells__who(t, r->pid, r->tid, r->region);
		cells__times(t, r->calls, r->total_ns, r->self_ns,
			     r->child_calls);
		s->u64(s, r->min_ns);
		s->u64(s, r->max_ns);
		cells__counters(s, t->ncounters, r->counter_incl,
				r->counter_self);
		for (int b = 0; b < PROFILE_HIST_BUCKETS; b++)
			s->u64(s, r->hist[b]);
		s->row(s);
	}
	return err ?: s->end(s);
}

static int tables__paths(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "paths");
	int err;

	cols__who(c);
	cols__add(c, "depth", NULL);
	cols__add(c, "path", NULL);
	cols__add(c, "parent_path", NULL);
	cols__times(c);
	/* files from before per-path counters have them per region only */
	if (t->p->paths_counted)
		cols__counters(t, c);
	err = s->begin(s, "paths", c->v, c->n);
	for (size_t i = 0; !err && i < t->p->npaths; i++) {
		const struct path_stats *r = &t->p->paths[i];

		cells__who(t, r->pid, r->tid, r->region);
		s->u64(s, r->depth);
		s->u64(s, r->path);
		s->u64(s, r->parent_path);
		cells__times(t, r->calls, r->total_ns, r->self_ns,
			     r->child_calls);
		if (t->p->paths_counted)
			cells__counters(s, t->ncounters, r->counter_incl,
					r->counter_self);
		s->row(s);
	}
	return err ?: s->end(s);
}

/* The tree merged over threads, walked parents first; the compensated
 * tree's nodes are at the same indices (nodes go by path, not by time). */
struct tree_rows {
	const struct tables *t;
	const struct tree *comp;
};

static int tree_row(const struct tree *raw, size_t i, void *ctx)
{
	struct tree_rows *w = ctx;
	const struct tree_node *n = &raw->nodes[i], *c = &w->comp->nodes[i];
	struct table_sink *s = w->t->s;
	uint64_t of = n->parent == TREE_NONE ? raw->roots_ns :
					       raw->nodes[n->parent].total_ns;

	s->str(s, export__region_name(w->t->p, n->region));
	s->u64(s, n->region);
	s->u64(s, n->depth);
	s->u64(s, n->path);
	s->u64(s, n->parent_path);
	s->u64(s, n->calls);
	s->u64(s, n->total_ns);
	s->u64(s, n->self_ns);
	s->u64(s, n->child_calls);
	s->u64(s, c->total_ns);
	s->u64(s, c->self_ns);
	s->dbl(s, of ? 100.0 * n->total_ns / of : 0.0);
	s->row(s);
	return 0;
}

static int tables__tree(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "tree");
	struct tree_opts ro = { .raw = true }, co = { .raw = false };
	struct tree raw, comp;
	struct tree_rows w = { .t = t, .comp = &comp };
	int err, eraw, ecomp;

	cols__add(c, "region", NULL);
	cols__add(c, "region_id", NULL);
	cols__add(c, "depth", NULL);
	cols__add(c, "path", NULL);
	cols__add(c, "parent_path", NULL);
	cols__times(c);
	cols__add(c, "pct_parent", "percent");
	eraw = tree__build(t->p, &ro, &raw);
	ecomp = eraw ? eraw : tree__build(t->p, &co, &comp);
	/* no call paths (an old file): an empty table */
	if ((eraw && eraw != -ENODATA) || (ecomp && ecomp != -ENODATA)) {
		if (!eraw)
			tree__free(&raw);
		return eraw ?: ecomp;
	}
	err = s->begin(s, "tree", c->v, c->n);
	if (!err && !eraw)
		tree__walk(&raw, tree_row, &w);
	if (!eraw) {
		tree__free(&raw);
		tree__free(&comp);
	}
	return err ?: s->end(s);
}

static int tables__counters(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "counters");
	static const char *const names[] = {
		"index",   "name",	 "units",     "counter",
		"note",	   "type",	 "config",    "config1",
		"config2", "enabled_ns", "running_ns"
	};
	int err;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		cols__add(c, names[i], i >= 9 ? "ns" : NULL);
	err = s->begin(s, "counters", c->v, c->n);
	for (size_t i = 0; !err && i < t->p->ncounters; i++) {
		const struct profile_counter *k = &t->p->counters[i];

		s->u64(s, k->index);
		s->str(s, k->name ?: "");
		s->str(s, k->units ?: "");
		s->str(s, k->counter ?: "");
		s->str(s, k->note ?: "");
		s->u64(s, k->type);
		s->u64(s, k->config);
		s->u64(s, k->config1);
		s->u64(s, k->config2);
		s->u64(s, k->enabled_ns);
		s->u64(s, k->running_ns);
		s->row(s);
	}
	return err ?: s->end(s);
}

/* /meta, one row per field: its value in the field's type, its unit. */
static int tables__meta(struct tables *t)
{
	struct table_sink *s = t->s;
	struct cols *c = tables__begin(t, "meta");
	struct profile_field f;
	int err;

	cols__add(c, "name", NULL);
	cols__add(c, "value", NULL);
	cols__add(c, "unit", NULL);
	err = s->begin(s, "meta", c->v, c->n);
	for (size_t i = 0; !err && profile_meta__field(i, &f); i++) {
		const void *at = (const char *)&t->p->meta + f.offset;

		s->str(s, f.name);
		if (f.kind == PROFILE_STR)
			s->str(s, *(char *const *)at ?: "");
		else if (f.kind == PROFILE_I64)
			s->i64(s, *(const int64_t *)at);
		else if (f.kind == PROFILE_U64)
			s->u64(s, *(const uint64_t *)at);
		else
			s->u64(s, *(const uint32_t *)at);
		s->str(s, f.units ?: "");
		s->row(s);
	}
	return err ?: s->end(s);
}

/* Region names by id for the trace's rows, which are many: a lookup, not
 * export__region_name's search. */
struct trace_names {
	const char **v;
	size_t n;
};

static int trace_names__init(struct trace_names *tn, const struct profile *p)
{
	tn->n = 0;
	for (size_t i = 0; i < p->regions.n; i++)
		if (p->regions.v[i].id >= tn->n)
			tn->n = p->regions.v[i].id + 1;
	tn->v = calloc(tn->n ?: 1, sizeof(*tn->v));
	if (!tn->v)
		return -ENOMEM;
	for (size_t i = 0; i < p->regions.n; i++)
		tn->v[p->regions.v[i].id] = p->regions.v[i].name;
	return 0;
}

static const char *trace_names__get(const struct trace_names *tn, uint32_t id)
{
	return id < tn->n && tn->v[id] ? tn->v[id] : "?";
}

static void cells__interval(const struct tables *t,
			    const struct trace_names *tn, size_t ncounters,
			    const struct trace_interval *v)
{
	struct table_sink *s = t->s;
	bool outer = v->parent == TRACE_NO_PARENT;

	s->u64(s, v->pid);
	s->u64(s, v->tid);
	s->str(s, trace_names__get(tn, v->region));
	s->u64(s, v->region);
	s->u64(s, v->start_ns);
	s->u64(s, v->end_ns);
	s->u64(s, v->end_ns > v->start_ns ? v->end_ns - v->start_ns : 0);
	s->u64(s, v->depth);
	s->str(s, outer ? "" : trace_names__get(tn, v->parent));
	if (outer)
		s->i64(s, -1);
	else
		s->u64(s, v->parent);
	s->u64(s, v->path);
	for (size_t k = 0; k < ncounters; k++)
		s->u64(s, v->counters[k]);
	s->row(s);
}

struct rows_ctx {
	struct tables *t;
	struct trace_names *tn;
	size_t ncounters;
};

static int trace__batch(void *ctx, struct trace_interval *v, size_t n)
{
	struct rows_ctx *c = ctx;

	for (size_t i = 0; i < n; i++)
		cells__interval(c->t, c->tn, c->ncounters, &v[i]);
	return 0;
}

/* Every interval readable now, TABLE_TRACE_BATCH at a time. */
static int trace__rows(struct tables *t, struct trace_reader *r,
		       size_t ncounters)
{
	struct trace_interval *v = calloc(TABLE_TRACE_BATCH, sizeof(*v));
	struct trace_names tn = { 0 };
	struct rows_ctx c = { t, &tn, ncounters };
	int err = v ? trace_names__init(&tn, t->p) : -ENOMEM;

	if (!err)
		err = trace_reader__each(r, v, TABLE_TRACE_BATCH, trace__batch,
					 &c);
	free(tn.v);
	free(v);
	return err;
}

/* /trace/intervals, a row per interval in the file's order (a thread's in
 * the order they ended), with the counters' deltas where it has them.
 * Only in a file with a trace. */
static int tables__trace(struct tables *t)
{
	struct table_sink *s = t->s;
	struct trace_reader *r;
	struct cols *c;
	size_t ncounters;
	int err;

	if (!t->trace || trace_file__has_trace(t->trace) != 1)
		return 0;
	r = trace_reader__open(t->trace); /* says why not */
	if (!r)
		return -EIO;
	ncounters = trace_reader__ncounters(r);
	if (ncounters > t->ncounters)
		ncounters = t->ncounters;
	c = tables__begin(t, "trace");
	cols__add(c, "pid", NULL);
	cols__add(c, "tid", NULL);
	cols__add(c, "region", NULL);
	cols__add(c, "region_id", NULL);
	cols__add(c, "start_ns", "ns");
	cols__add(c, "end_ns", "ns");
	cols__add(c, "duration_ns", "ns");
	cols__add(c, "depth", NULL);
	cols__add(c, "parent", NULL);
	cols__add(c, "parent_id", NULL);
	cols__add(c, "path", NULL);
	for (size_t k = 0; k < ncounters; k++)
		cols__add(c, t->p->counters[k].name ?: "",
			  t->p->counters[k].units);
	err = s->begin(s, "trace", c->v, c->n);
	if (!err)
		err = trace__rows(t, r, ncounters);
	trace_reader__free(r);
	return err ?: s->end(s);
}

static int tables__columns(struct tables *t)
{
	static const struct table_col cols[] = { { "table", NULL },
						 { "column", NULL },
						 { "unit", NULL } };
	struct table_sink *s = t->s;
	int err = s->begin(s, "columns", cols, 3);

	for (size_t i = 0; !err && i < t->ntables; i++) {
		for (size_t k = 0; k < t->all[i].n; k++) {
			s->str(s, t->names[i]);
			s->str(s, t->all[i].v[k].name);
			s->str(s, t->all[i].v[k].unit ?: "");
			s->row(s);
		}
	}
	return err ?: s->end(s);
}

int tables__write(const struct profile *p, const char *trace,
		  struct table_sink *s)
{
	static int (*const each[])(struct tables *) = {
		tables__regions, tables__threads, tables__stats,
		tables__paths,	 tables__tree,	  tables__counters,
		tables__meta,	 tables__trace,	  tables__columns,
	};
	struct tables *t = calloc(1, sizeof(*t));
	int err = t ? 0 : -ENOMEM;

	if (t) {
		t->p = p;
		t->trace = trace;
		t->s = s;
		t->ncounters = report__ncounters(p);
	}
	for (size_t i = 0; !err && i < sizeof(each) / sizeof(each[0]); i++)
		err = each[i](t);
	free(t);
	return err;
}
