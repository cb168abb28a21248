// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Turns trace records into intervals and hands them to the trace file in
 * batches: the file's writer threads compress and write; its buffer is
 * bounded, so what does not fit is dropped and counted, never queued. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/meta.h"
#include "agent/trace.h"
#include "common/log.h"
#include "hdf5/trace_file.h"
#include "profile/trace.h"

_Static_assert(TRACE_MAX_COUNTERS == SCOPE_MAX_COUNTERS,
	       "a record's counts fill an interval's");

#define SINK_BATCH	    1024
#define TRACE_SINK_FLUSH_NS 1000000000ull

struct trace_sink {
	struct trace_file *tf;
	uint64_t max_bytes;
	bool stopped;
	uint64_t past_max;
	uint64_t flushed_at; /* of the last flush, CLOCK_MONOTONIC ns */
	uint64_t appended;   /* by then */
	size_t n;
	struct trace_interval batch[SINK_BATCH];
};

struct trace_sink *trace_sink__open(const char *path,
				    const struct trace_sink_opts *o)
{
	struct trace_file_opts fo = { .buffer_bytes = o->buffer_bytes,
				      .regions = o->regions,
				      .meta = o->meta,
				      .ncounters = o->ncounters,
				      .counter_names = o->counter_names,
				      .counter_units = o->counter_units };
	struct trace_sink *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return NULL;
	s->max_bytes = o->max_bytes;
	s->tf = trace_file__create(path, &fo);
	if (!s->tf) {
		err = errno;
		free(s);
		errno = err;
		return NULL;
	}
	/* readers without root (report --follow) open it as its user */
	if ((o->uid != (uid_t)-1 || o->gid != (gid_t)-1) &&
	    chown(path, o->uid, o->gid))
		pr_warn("%s: cannot give it to uid %d: %s\n", path, (int)o->uid,
			strerror(errno));
	return s;
}

static int hand_over(struct trace_sink *s)
{
	int err = s->n ? trace_file__append(s->tf, s->batch, s->n) : 0;

	s->n = 0;
	return err;
}

/* --trace-max: the file's compressed size so far against the limit. */
static bool past_max(struct trace_sink *s)
{
	struct trace_file_stats st;

	if (s->stopped || !s->max_bytes)
		return s->stopped;
	trace_file__stats(s->tf, &st);
	if (st.file_bytes < s->max_bytes)
		return false;
	s->stopped = true;
	pr_warn("the trace reached --trace-max (%llu bytes): it stops here, the statistics go on\n",
		(unsigned long long)s->max_bytes);
	return true;
}

int trace_sink__record(void *ctx, const struct scope_batch_header *h,
		       const struct scope_record *r, const uint64_t *counts)
{
	struct trace_sink *s = ctx;
	struct trace_interval *v;

	if (s->stopped) {
		s->past_max++;
		return 0;
	}
	v = &s->batch[s->n++];
	*v = (struct trace_interval){
		.start_ns = r->start_ns,
		.end_ns = r->end_ns,
		.pid = h->pid,
		.tid = h->tid,
		.region = r->region,
		.parent = r->depth ? r->parent : TRACE_NO_PARENT,
		.depth = r->depth,
		.path = r->path,
	};
	if (counts)
		memcpy(v->counters, counts, sizeof(v->counters));
	if (s->n < SINK_BATCH)
		return 0;
	/* the size check costs a lock: once a batch */
	if (past_max(s)) {
		s->past_max += s->n;
		s->n = 0;
	}
	return hand_over(s);
}

/* Appends flush the file once a second while intervals come; this flushes
 * the last of them once they stop (a partial chunk: not at every drain). */
int trace_sink__tick(struct trace_sink *s)
{
	struct trace_file_stats st;
	uint64_t now = meta__now_ns();
	int err = hand_over(s);

	if (err || now - s->flushed_at < TRACE_SINK_FLUSH_NS)
		return err;
	trace_file__stats(s->tf, &st);
	s->flushed_at = now;
	if (st.appended == s->appended)
		return 0;
	s->appended = st.appended;
	return trace_file__flush(s->tf);
}

int trace_sink__finish(struct trace_sink *s, const struct profile *p)
{
	int err = hand_over(s);
	int fin = trace_file__finish(s->tf, p);

	free(s);
	return err ? err : fin;
}

void trace_sink__abort(struct trace_sink *s)
{
	if (!s)
		return;
	hand_over(s);
	trace_file__abort(s->tf);
	free(s);
}

void trace_sink__counts(struct trace_sink *s, struct trace_sink_counts *out)
{
	struct trace_file_stats st;

	trace_file__stats(s->tf, &st);
	*out = (struct trace_sink_counts){ .intervals = st.appended + s->n,
					   .dropped = st.dropped,
					   .past_max = s->past_max };
}

bool trace_sink__stopped(const struct trace_sink *s)
{
	return s->stopped;
}
