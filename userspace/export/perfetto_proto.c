// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A trace in Perfetto's own protobuf format (a stream of TracePackets, as
 * its tracing service writes them): a track per process and per thread,
 * a slice begun and ended on its thread's track per interval, region names
 * interned once. Denser than the JSON trace events and read by Perfetto's
 * trace processor without parsing one whole document, so that viewers
 * open longer traces. The messages come from perfetto_trace.proto through
 * protoc-c at build time; without protobuf-c the export says what to
 * install. */
#include <errno.h>
#include <stdlib.h>

#include "export/export.h"

#ifdef SCOPE_HAVE_PROTOBUF_C

#include <string.h>

#include "common/array.h"
#include "export/enter_leave.h"
#include "export/names.h"
#include "hdf5/trace_file.h"
/* the messages' code, made from perfetto_trace.proto into the build's
 * output directory: compiled here, the only place that uses it */
#include "perfetto_trace.pb-c.c"

typedef Perfetto__Protos__TracePacket packet_t;

/* Intervals read per trace_reader__read. */
#define PROTO_BATCH 4096
/* All packets are one sequence, whose interned names the first clears. */
#define PROTO_SEQUENCE 1
/* Trace.packet: field 1, length-delimited */
#define PROTO_PACKET_TAG 0x0a

struct proto_thread {
	uint32_t pid, tid;
	uint64_t uuid, process_uuid; /* its track's and its process's */
	struct enter_leave *el;
	struct proto *pp;
};

struct proto {
	const struct profile *p;
	FILE *out;
	uint8_t *buf; /* one packet, packed */
	size_t cap;
	uint32_t unknown_iid; /* the name of a region the profile lacks */
	uint64_t uuids;	      /* the last track uuid given */
	struct proto_thread **threads; /* by (pid, tid) */
	size_t n, tcap;
	struct proto_thread *last;
};

bool export__perfetto_proto_available(void)
{
	return true;
}

/* @pk as the next element of Trace.packet: its tag, length and bytes. */
static int proto__write(struct proto *pp, const packet_t *pk)
{
	size_t n = perfetto__protos__trace_packet__get_packed_size(pk);
	uint8_t head[1 + 10];
	size_t h = 0;

	if (n > pp->cap) {
		uint8_t *b = realloc(pp->buf, n);

		if (!b)
			return -ENOMEM;
		pp->buf = b;
		pp->cap = n;
	}
	perfetto__protos__trace_packet__pack(pk, pp->buf);
	head[h++] = PROTO_PACKET_TAG;
	for (size_t v = n; h == 1 || v; v >>= 7)
		head[h++] = (v & 0x7f) | (v >> 7 ? 0x80 : 0);
	if (fwrite(head, 1, h, pp->out) != h ||
	    fwrite(pp->buf, 1, n, pp->out) != n)
		return -EIO;
	return 0;
}

static void packet__init(packet_t *pk)
{
	perfetto__protos__trace_packet__init(pk);
	pk->has_trusted_packet_sequence_id = true;
	pk->trusted_packet_sequence_id = PROTO_SEQUENCE;
}

/* The first packet: the sequence's state cleared, every region's name
 * interned (iid = id + 1: 0 is no name), and "?" for an id the profile
 * lacks. */
static int proto__names(struct proto *pp)
{
	size_t n = pp->p->regions.n + 1;
	Perfetto__Protos__EventName *names = calloc(n, sizeof(*names));
	Perfetto__Protos__EventName **ptrs = calloc(n, sizeof(*ptrs));
	Perfetto__Protos__InternedData data =
		PERFETTO__PROTOS__INTERNED_DATA__INIT;
	packet_t pk;
	int err = -ENOMEM;

	if (names && ptrs) {
		for (size_t i = 0; i < n; i++) {
			const struct region *r =
				i + 1 < n ? &pp->p->regions.v[i] : NULL;

			perfetto__protos__event_name__init(&names[i]);
			names[i].has_iid = true;
			names[i].iid = r ? (uint64_t)r->id + 1 : 0;
			names[i].name = r && r->name ? r->name : (char *)"?";
			if (r && names[i].iid > pp->unknown_iid)
				pp->unknown_iid = names[i].iid;
			ptrs[i] = &names[i];
		}
		names[n - 1].iid = ++pp->unknown_iid;
		data.n_event_names = n;
		data.event_names = ptrs;
		packet__init(&pk);
		pk.has_sequence_flags = true;
		pk.sequence_flags =
			PERFETTO__PROTOS__TRACE_PACKET__SEQUENCE_FLAGS__SEQ_INCREMENTAL_STATE_CLEARED;
		pk.interned_data = &data;
		err = proto__write(pp, &pk);
	}
	free(ptrs);
	free(names);
	return err;
}

/* A track descriptor: @t's process's (@process), or @t's. */
static int proto__track(struct proto *pp, const struct proto_thread *t,
			bool process)
{
	Perfetto__Protos__TrackDescriptor track =
		PERFETTO__PROTOS__TRACK_DESCRIPTOR__INIT;
	Perfetto__Protos__ProcessDescriptor proc =
		PERFETTO__PROTOS__PROCESS_DESCRIPTOR__INIT;
	Perfetto__Protos__ThreadDescriptor thread =
		PERFETTO__PROTOS__THREAD_DESCRIPTOR__INIT;
	packet_t pk;

	track.has_uuid = true;
	if (process) {
		track.uuid = t->process_uuid;
		proc.has_pid = true;
		proc.pid = (int32_t)t->pid;
		proc.process_name = (char *)export__process_comm(pp->p, t->pid);
		track.process = &proc;
	} else {
		track.uuid = t->uuid;
		track.has_parent_uuid = true;
		track.parent_uuid = t->process_uuid;
		thread.has_pid = thread.has_tid = true;
		thread.pid = (int32_t)t->pid;
		thread.tid = (int32_t)t->tid;
		thread.thread_name =
			(char *)export__thread_comm(pp->p, t->pid, t->tid);
		track.thread = &thread;
	}
	packet__init(&pk);
	pk.track_descriptor = &track;
	return proto__write(pp, &pk);
}

static int proto__event(void *ctx, bool enter, uint64_t ns, uint32_t region)
{
	struct proto_thread *t = ctx;
	struct proto *pp = t->pp;
	Perfetto__Protos__TrackEvent ev = PERFETTO__PROTOS__TRACK_EVENT__INIT;
	packet_t pk;

	ev.has_type = ev.has_track_uuid = true;
	ev.track_uuid = t->uuid;
	if (enter) {
		ev.type = PERFETTO__PROTOS__TRACK_EVENT__TYPE__TYPE_SLICE_BEGIN;
		ev.has_name_iid = true;
		ev.name_iid = region < pp->unknown_iid - 1 ?
				      (uint64_t)region + 1 :
				      pp->unknown_iid;
	} else {
		ev.type = PERFETTO__PROTOS__TRACK_EVENT__TYPE__TYPE_SLICE_END;
	}
	packet__init(&pk);
	pk.has_timestamp = true;
	pk.timestamp = ns;
	pk.has_sequence_flags = true;
	pk.sequence_flags =
		PERFETTO__PROTOS__TRACE_PACKET__SEQUENCE_FLAGS__SEQ_NEEDS_INCREMENTAL_STATE;
	pk.track_event = &ev;
	return proto__write(pp, &pk);
}

/* Thread (pid, tid): found, or new, its track (and its process's, for a
 * process not seen yet) described. */
static struct proto_thread *proto__thread(struct proto *pp, uint32_t pid,
					  uint32_t tid, int *err)
{
	struct proto_thread *t = pp->last, *kin = NULL;
	size_t at = 0;

	if (t && t->pid == pid && t->tid == tid)
		return t;
	while (at < pp->n &&
	       (pp->threads[at]->pid < pid ||
		(pp->threads[at]->pid == pid && pp->threads[at]->tid < tid)))
		at++;
	if (at < pp->n && pp->threads[at]->pid == pid &&
	    pp->threads[at]->tid == tid)
		return pp->last = pp->threads[at];
	if (at < pp->n && pp->threads[at]->pid == pid)
		kin = pp->threads[at];
	else if (at && pp->threads[at - 1]->pid == pid)
		kin = pp->threads[at - 1];
	t = calloc(1, sizeof(*t));
	*err = -ENOMEM;
	if (!t || ARRAY_RESERVE(pp->threads, pp->tcap, pp->n + 1) ||
	    !(t->el = enter_leave__new(proto__event, t))) {
		free(t);
		return NULL;
	}
	t->pid = pid;
	t->tid = tid;
	t->pp = pp;
	/* small uuids, short varints in every event; 0 is the global track */
	t->process_uuid = kin ? kin->process_uuid : ++pp->uuids;
	t->uuid = ++pp->uuids;
	memmove(&pp->threads[at + 1], &pp->threads[at],
		(pp->n - at) * sizeof(*pp->threads));
	pp->threads[at] = t;
	pp->n++;
	*err = kin ? 0 : proto__track(pp, t, true);
	if (!*err)
		*err = proto__track(pp, t, false);
	return *err ? NULL : (pp->last = t);
}

/* Every interval, a batch at a time, then what waits for its outermost
 * region. The thread search is linear: intervals come in batches of one
 * thread, so it runs once a batch. */
static int proto__batch(void *ctx, struct trace_interval *v, size_t n)
{
	struct proto *pp = ctx;
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		struct proto_thread *t =
			proto__thread(pp, v[i].pid, v[i].tid, &err);

		if (t)
			err = enter_leave__add(t->el, &v[i]);
	}
	return err;
}

static int proto__events(struct proto *pp, struct trace_reader *r)
{
	struct trace_interval *v = calloc(PROTO_BATCH, sizeof(*v));
	int err;

	if (!v)
		return -ENOMEM;
	err = trace_reader__each(r, v, PROTO_BATCH, proto__batch, pp);
	for (size_t i = 0; !err && i < pp->n; i++)
		err = enter_leave__drain(pp->threads[i]->el);
	free(v);
	return err;
}

int export__perfetto_proto(const struct profile *p, const char *path, FILE *out)
{
	struct proto pp = { .p = p, .out = out };
	struct trace_reader *r = trace_reader__open(path);
	int err;

	if (!r)
		return errno == ENODATA ? -ENODATA : -EIO;
	err = proto__names(&pp);
	if (!err)
		err = proto__events(&pp, r);
	trace_reader__free(r);
	for (size_t i = 0; i < pp.n; i++) {
		enter_leave__free(pp.threads[i]->el);
		free(pp.threads[i]);
	}
	free(pp.threads);
	free(pp.buf);
	if (!err && ferror(out))
		err = -EIO;
	return err;
}

#else /* !SCOPE_HAVE_PROTOBUF_C */

bool export__perfetto_proto_available(void)
{
	return false;
}

int export__perfetto_proto(const struct profile *p, const char *path, FILE *out)
{
	(void)p, (void)path, (void)out;
	return -ENOTSUP;
}

#endif
