// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A trace as Chrome's JSON trace-event format, which ui.perfetto.dev and
 * chrome://tracing open: one "X" (complete) event per interval, "M"
 * (metadata) events naming processes and threads. Streamed: the trace is
 * read a chunk at a time and each event written as it comes, so memory
 * stays bounded whatever the trace's size. One compact line per event: the
 * indenting writer would triple the size of files that are already the
 * viewers' limit (docs/export.md). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/json.h"
#include "common/log.h"
#include "export/export.h"
#include "export/names.h"
#include "hdf5/trace_file.h"

/* Intervals read per trace_reader__read: a few hundred KiB of buffer. */
#define PERFETTO_BATCH 4096

/* A thread's counts so far, summed over its outermost intervals: the
 * values of its counter tracks. */
struct perfetto_sum {
	uint32_t pid, tid;
	uint64_t v[TRACE_MAX_COUNTERS];
};

struct perfetto {
	const struct profile *p; /* NULL: an unfinished trace */
	char **names;		 /* then its regions' names, by id */
	size_t nnames;
	FILE *out;
	bool any; /* an event written: the next one after a comma */
	uint64_t events;
	/* the trace's counters (/trace/counters), named as /counters */
	size_t ncounters;
	/* by (pid, tid), for bsearch */
	struct perfetto_sum *sums;
	size_t nsums, cap;
};

/* The start of an event: its comma and line. */
static FILE *perfetto__begin(struct perfetto *pf)
{
	fputs(pf->any ? ",\n" : "\n", pf->out);
	pf->any = true;
	return pf->out;
}

static void perfetto__meta(struct perfetto *pf, const char *what, uint32_t pid,
			   uint32_t tid, const char *name)
{
	FILE *out = perfetto__begin(pf);

	fprintf(out,
		"{\"ph\":\"M\",\"name\":\"%s\",\"pid\":%" PRIu32
		",\"tid\":%" PRIu32 ",\"args\":{\"name\":",
		what, pid, tid);
	json__quote(out, name);
	fputs("}}", out);
}

/* process_name once per process, thread_name per thread, from /threads:
 * names the viewers show instead of bare ids. */
static void perfetto__names(struct perfetto *pf)
{
	const struct profile *p = pf->p;

	for (size_t i = 0; p && i < p->nthreads; i++) {
		const struct profile_thread *t = &p->threads[i];
		size_t j = 0;

		while (j < i && p->threads[j].pid != t->pid)
			j++;
		if (j == i)
			perfetto__meta(pf, "process_name", t->pid, t->pid,
				       export__process_comm(p, t->pid));
		perfetto__meta(pf, "thread_name", t->pid, t->tid,
			       t->comm ?: "");
	}
}

/* @ns as microseconds with the ns as 3 decimals: exact, where a double's
 * %g would round a long run's timestamps. */
static void perfetto__us(FILE *out, const char *key, uint64_t ns)
{
	fprintf(out, ",\"%s\":%" PRIu64 ".%03u", key, ns / 1000,
		(unsigned int)(ns % 1000));
}

static const char *perfetto__region(const struct perfetto *pf, uint32_t id)
{
	if (pf->p)
		return export__region_name(pf->p, id);
	return id < pf->nnames && pf->names[id] ? pf->names[id] : "?";
}

static const char *perfetto__counter_name(const struct perfetto *pf, size_t i)
{
	return pf->p && i < pf->p->ncounters && pf->p->counters[i].name ?
		       pf->p->counters[i].name :
		       "?";
}

/* "NAME":value for each counter of @v, a comma between. */
static void perfetto__counter_args(const struct perfetto *pf, const uint64_t *v)
{
	for (size_t i = 0; i < pf->ncounters; i++) {
		if (i)
			fputc(',', pf->out);
		json__quote(pf->out, perfetto__counter_name(pf, i));
		fprintf(pf->out, ":%" PRIu64, v[i]);
	}
}

static int perfetto__sum_cmp(const void *a, const void *b)
{
	const struct perfetto_sum *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* The sums of @v's thread, a new one (zeros) the first time. */
static struct perfetto_sum *perfetto__sum(struct perfetto *pf,
					  const struct trace_interval *v)
{
	struct perfetto_sum key = { .pid = v->pid, .tid = v->tid }, *s;
	size_t lo = 0, hi = pf->nsums;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = perfetto__sum_cmp(&pf->sums[mid], &key);

		if (!c)
			return &pf->sums[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ARRAY_RESERVE(pf->sums, pf->cap, pf->nsums + 1))
		return NULL;
	s = &pf->sums[lo];
	memmove(s + 1, s, (pf->nsums - lo) * sizeof(*s));
	pf->nsums++;
	*s = key;
	return s;
}

static void perfetto__sample(struct perfetto *pf,
			     const struct trace_interval *v, uint64_t ns,
			     const uint64_t *values)
{
	FILE *out = perfetto__begin(pf);

	fprintf(out, "{\"ph\":\"C\",\"name\":\"tid %" PRIu32 "\"", v->tid);
	perfetto__us(out, "ts", ns);
	fprintf(out, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32 ",\"args\":{",
		v->pid, v->tid);
	perfetto__counter_args(pf, values);
	fputs("}}", out);
}

/* The counter tracks of an outermost interval's thread: what its
 * outermost intervals counted so far (cumulative, as the viewers take
 * perf counters, which they show as a rate on request), before @v at its
 * start and with it at its end. A thread's outermost intervals never
 * overlap and come in the order they ended, so the values only grow. */
static int perfetto__counters(struct perfetto *pf,
			      const struct trace_interval *v)
{
	struct perfetto_sum *s = perfetto__sum(pf, v);

	if (!s)
		return -ENOMEM;
	perfetto__sample(pf, v, v->start_ns, s->v);
	for (size_t i = 0; i < pf->ncounters; i++)
		s->v[i] += v->counters[i];
	perfetto__sample(pf, v, v->end_ns, s->v);
	return 0;
}

static void perfetto__event(struct perfetto *pf, const struct trace_interval *v)
{
	FILE *out = perfetto__begin(pf);

	pf->events++;
	fputs("{\"ph\":\"X\",\"name\":", out);
	json__quote(out, perfetto__region(pf, v->region));
	/* ts on CLOCK_MONOTONIC, as /meta start_ns: the viewers show it
	 * from the trace's first event on */
	perfetto__us(out, "ts", v->start_ns);
	perfetto__us(out, "dur",
		     v->end_ns > v->start_ns ? v->end_ns - v->start_ns : 0);
	fprintf(out, ",\"pid\":%" PRIu32 ",\"tid\":%" PRIu32, v->pid, v->tid);
	/* the interval's own counts, in the slice's details */
	if (pf->ncounters) {
		fputs(",\"args\":{", out);
		perfetto__counter_args(pf, v->counters);
		fputc('}', out);
	}
	fputc('}', out);
}

/* The next intervals. Those of an unfinished trace past its writer's last
 * flush may not be readable (a killed writer's): smaller pieces up to the
 * first that is not, and the export ends there. */
static ssize_t perfetto__read(struct perfetto *pf, struct trace_reader *r,
			      struct trace_interval *v)
{
	size_t max = PERFETTO_BATCH;
	ssize_t got;

	while ((got = trace_reader__read(r, v, max)) < 0 && !pf->p && max > 1)
		max /= 2;
	if (got >= 0 || pf->p)
		return got;
	pr_warn("trace: the intervals after the first %llu cannot be read "
		"(written after the last flush): left out\n",
		(unsigned long long)pf->events);
	return 0;
}

/* Every interval readable now, PERFETTO_BATCH at a time. */
static int perfetto__events(struct perfetto *pf, struct trace_reader *r)
{
	struct trace_interval *v = calloc(PERFETTO_BATCH, sizeof(*v));
	uint64_t n;
	ssize_t got = 0;
	int err;

	if (!v)
		return -ENOMEM;
	err = trace_reader__refresh(r, &n);
	while (!err && (got = perfetto__read(pf, r, v)) > 0) {
		for (ssize_t i = 0; i < got && !err; i++) {
			perfetto__event(pf, &v[i]);
			if (pf->ncounters && !v[i].depth)
				err = perfetto__counters(pf, &v[i]);
		}
	}
	if (!err && got < 0)
		err = (int)got;
	free(v);
	return err;
}

int export__perfetto(const struct profile *p, const char *path, FILE *out)
{
	struct perfetto pf = { .p = p, .out = out };
	struct trace_reader *r = trace_reader__open(path);
	int err = 0;

	if (!r)
		return errno == ENODATA ? -ENODATA : -EIO;
	if (!p) {
		trace_reader__quiet(r, true);
		err = trace_reader__region_names(r, &pf.names, &pf.nnames);
		if (err == -EIO) /* a writer from before /trace/regions */
			pr_warn("trace: no region names in it: the regions are "
				"\"?\"\n");
		err = err == -EIO ? 0 : err;
	}
	pf.ncounters = trace_reader__ncounters(r);
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", out);
	perfetto__names(&pf);
	if (!err)
		err = perfetto__events(&pf, r);
	trace_reader__free(r);
	for (size_t i = 0; i < pf.nnames; i++)
		free(pf.names[i]);
	free(pf.names);
	free(pf.sums);
	fputs("\n]}\n", out);
	if (!err && ferror(out))
		err = -EIO;
	return err;
}
