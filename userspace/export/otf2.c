// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A trace as an OTF2 archive (Score-P's format: Vampir, Scalasca,
 * otf2-print): a location per thread, grouped by process, the regions as
 * OTF2 regions, an enter and a leave event per interval. Built only where
 * libotf2 is (Debian's libopen-trace-format2-dev); without it the export
 * says which package it needs. */
#include <errno.h>
#include <stdlib.h>

#include "export/export.h"

#ifdef SCOPE_HAVE_OTF2

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <otf2/otf2.h>

#include "common/array.h"
#include "common/log.h"
#include "export/enter_leave.h"
#include "export/names.h"
#include "hdf5/trace_file.h"

/* Intervals read per trace_reader__read, as perfetto reads them. */
#define ARCHIVE_BATCH 4096
/* The smallest chunk OTF2 takes, and at most this many per writer (its
 * default is 128 MiB per writer, for each thread): then a flush. */
#define ARCHIVE_EVENT_CHUNK OTF2_CHUNK_SIZE_MIN
#define ARCHIVE_DEF_CHUNK   OTF2_CHUNK_SIZE_MIN
#define ARCHIVE_POOL_CHUNKS 2
/* Score-P's name for the anchor file: DIR/traces.otf2 */
#define ARCHIVE_NAME "traces"

struct otf2_thread {
	uint32_t pid, tid;
	/* its OTF2 location: the profile's threads by (pid, tid), then any
	 * other in the order it came in */
	uint64_t location;
	uint64_t events;
	uint64_t last_ns;  /* the last event's time */
	OTF2_EvtWriter *w; /* from its first interval on */
	struct enter_leave *el;
	struct otf2_export *x;
};

struct otf2_export {
	const struct profile *p;
	OTF2_Archive *archive;
	struct otf2_thread **threads; /* by (pid, tid) */
	size_t n, cap;
	struct otf2_thread *last; /* the previous interval's: they come in
				   * batches of one thread */
	uint64_t first_ns, last_ns;
	uint32_t regions; /* region ids 0 .. regions - 1 are defined */
	uint32_t strings; /* the next string ref */
	uint64_t clamped; /* events moved up to their predecessor's time */
	OTF2_ErrorCode err;
};

bool export__otf2_available(void)
{
	return true;
}

/* libotf2's messages go through our log, at debug level: our own say
 * what failed, in the words of this export. */
static OTF2_ErrorCode otf2__on_error(void *data, const char *file,
				     uint64_t line, const char *func,
				     OTF2_ErrorCode code, const char *fmt,
				     va_list va)
{
	char msg[256];

	(void)data, (void)file, (void)line;
	vsnprintf(msg, sizeof(msg), fmt ?: "", va);
	pr_debug("libotf2: %s: %s: %s\n", func, OTF2_Error_GetName(code), msg);
	return code;
}

static OTF2_FlushType otf2__pre_flush(void *data, OTF2_FileType type,
				      OTF2_LocationRef loc, void *caller,
				      bool final)
{
	(void)data, (void)type, (void)loc, (void)caller, (void) final;
	return OTF2_FLUSH;
}

/* No post-flush callback: no BufferFlush records among the events. */
static const OTF2_FlushCallbacks otf2__flush = {
	.otf2_pre_flush = otf2__pre_flush,
};

/* A writer's chunks. */
struct otf2_pool {
	void *chunk[ARCHIVE_POOL_CHUNKS];
	size_t n;
};

/* A chunk for a writer, none once it has ARCHIVE_POOL_CHUNKS: libotf2 then
 * flushes the writer's chunks to its file and frees them (free_all). */
static void *otf2__alloc(void *data, OTF2_FileType type, OTF2_LocationRef loc,
			 void **per_buffer, uint64_t size)
{
	struct otf2_pool *pool = *per_buffer;

	(void)data, (void)type, (void)loc;
	if (!pool) {
		pool = calloc(1, sizeof(*pool));
		*per_buffer = pool;
	}
	if (!pool || pool->n == ARCHIVE_POOL_CHUNKS)
		return NULL;
	pool->chunk[pool->n] = malloc(size);
	return pool->chunk[pool->n] ? pool->chunk[pool->n++] : NULL;
}

static void otf2__free_all(void *data, OTF2_FileType type, OTF2_LocationRef loc,
			   void **per_buffer, bool final)
{
	struct otf2_pool *pool = *per_buffer;

	(void)data, (void)type, (void)loc;
	if (!pool)
		return;
	while (pool->n)
		free(pool->chunk[--pool->n]);
	if (final) {
		free(pool);
		*per_buffer = NULL;
	}
}

static const OTF2_MemoryCallbacks otf2__memory = {
	.otf2_allocate = otf2__alloc,
	.otf2_free_all = otf2__free_all,
};

/* Keeps the first error of libotf2 for the end. */
static int otf2__check(struct otf2_export *x, OTF2_ErrorCode err,
		       const char *what)
{
	if (err == OTF2_SUCCESS)
		return 0;
	if (x->err == OTF2_SUCCESS) {
		x->err = err;
		pr_err("otf2: %s: %s\n", what, OTF2_Error_GetDescription(err));
	}
	return -EIO;
}

static int otf2__event(void *ctx, bool enter, uint64_t ns, uint32_t region)
{
	struct otf2_thread *t = ctx;
	OTF2_ErrorCode err;

	/* libotf2 refuses a time before the last; a thread's regions nest,
	 * so only intervals that overlap without nesting (a damaged or
	 * synthetic trace) bring one: kept, at the last time, and counted */
	if (ns < t->last_ns) {
		ns = t->last_ns;
		t->x->clamped++;
	}
	t->last_ns = ns;
	err = enter ? OTF2_EvtWriter_Enter(t->w, NULL, ns, region) :
		      OTF2_EvtWriter_Leave(t->w, NULL, ns, region);
	t->events++;
	return otf2__check(t->x, err, enter ? "enter" : "leave");
}

static int thread__cmp(uint32_t pid, uint32_t tid, const struct otf2_thread *t)
{
	if (pid != t->pid)
		return pid < t->pid ? -1 : 1;
	return tid < t->tid ? -1 : tid > t->tid;
}

/* Where (pid, tid) is, or goes, in x->threads. */
static size_t otf2__find(const struct otf2_export *x, uint32_t pid,
			 uint32_t tid, bool *found)
{
	size_t lo = 0, hi = x->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = thread__cmp(pid, tid, x->threads[mid]);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = false;
	return lo;
}

static void thread__free(struct otf2_thread *t)
{
	if (!t)
		return;
	enter_leave__free(t->el);
	free(t);
}

/* Thread (pid, tid) at @at of x->threads, new. NULL: no memory. */
static struct otf2_thread *otf2__new_thread(struct otf2_export *x, size_t at,
					    uint32_t pid, uint32_t tid)
{
	struct otf2_thread *t = calloc(1, sizeof(*t));

	if (!t || ARRAY_RESERVE(x->threads, x->cap, x->n + 1)) {
		free(t);
		return NULL;
	}
	*t = (struct otf2_thread){
		.pid = pid, .tid = tid, .location = x->n, .x = x
	};
	t->el = enter_leave__new(otf2__event, t);
	if (!t->el) {
		free(t);
		return NULL;
	}
	memmove(&x->threads[at + 1], &x->threads[at],
		(x->n - at) * sizeof(*x->threads));
	x->threads[at] = t;
	x->n++;
	return t;
}

/* The profile's threads, their locations numbered in (pid, tid) order: the
 * main thread first, as the viewers list them. */
static int otf2__threads(struct otf2_export *x)
{
	for (size_t i = 0; i < x->p->nthreads; i++) {
		const struct profile_thread *pt = &x->p->threads[i];
		bool found;
		size_t at = otf2__find(x, pt->pid, pt->tid, &found);

		if (!found && !otf2__new_thread(x, at, pt->pid, pt->tid))
			return -ENOMEM;
	}
	for (size_t i = 0; i < x->n; i++)
		x->threads[i]->location = i;
	return 0;
}

/* The thread of an interval, its event writer open. */
static struct otf2_thread *otf2__thread(struct otf2_export *x, uint32_t pid,
					uint32_t tid)
{
	struct otf2_thread *t = x->last;
	bool found;
	size_t at;

	if (t && t->pid == pid && t->tid == tid)
		return t;
	at = otf2__find(x, pid, tid, &found);
	t = found ? x->threads[at] : otf2__new_thread(x, at, pid, tid);
	if (!t) {
		errno = ENOMEM;
		return NULL;
	}
	if (!t->w)
		t->w = OTF2_Archive_GetEvtWriter(x->archive, t->location);
	if (!t->w) {
		otf2__check(x, OTF2_ERROR_MEM_ALLOC_FAILED, "an event writer");
		errno = EIO;
		return NULL;
	}
	x->last = t;
	return t;
}

static int otf2__interval(struct otf2_export *x, const struct trace_interval *v)
{
	struct otf2_thread *t = otf2__thread(x, v->pid, v->tid);

	if (!t)
		return -errno;
	if (v->start_ns < x->first_ns)
		x->first_ns = v->start_ns;
	if (v->end_ns > x->last_ns)
		x->last_ns = v->end_ns;
	if (v->region >= x->regions)
		x->regions = v->region + 1;
	return enter_leave__add(t->el, v);
}

static int otf2__batch(void *ctx, struct trace_interval *v, size_t n)
{
	int err = 0;

	for (size_t i = 0; !err && i < n; i++)
		err = otf2__interval(ctx, &v[i]);
	return err;
}

/* Every interval of the trace, a batch at a time, then what waits. */
static int otf2__events(struct otf2_export *x, struct trace_reader *r)
{
	struct trace_interval *v = calloc(ARCHIVE_BATCH, sizeof(*v));
	int err;

	if (!v)
		return -ENOMEM;
	err = trace_reader__each(r, v, ARCHIVE_BATCH, otf2__batch, x);
	for (size_t i = 0; !err && i < x->n; i++)
		err = enter_leave__drain(x->threads[i]->el);
	free(v);
	return err;
}

/* The events' files closed, and an (empty) local definitions file per
 * location, which readers expect beside its events. */
static int otf2__close_events(struct otf2_export *x)
{
	for (size_t i = 0; i < x->n; i++) {
		if (!x->threads[i]->w)
			continue;
		otf2__check(x,
			    OTF2_Archive_CloseEvtWriter(x->archive,
							x->threads[i]->w),
			    "closing an event writer");
	}
	otf2__check(x, OTF2_Archive_CloseEvtFiles(x->archive),
		    "closing the event files");
	otf2__check(x, OTF2_Archive_OpenDefFiles(x->archive),
		    "opening the definition files");
	for (size_t i = 0; x->err == OTF2_SUCCESS && i < x->n; i++) {
		OTF2_DefWriter *d;

		if (!x->threads[i]->w)
			continue;
		d = OTF2_Archive_GetDefWriter(x->archive,
					      x->threads[i]->location);
		otf2__check(x,
			    d ? OTF2_Archive_CloseDefWriter(x->archive, d) :
				OTF2_ERROR_MEM_ALLOC_FAILED,
			    "a location's definitions");
	}
	otf2__check(x, OTF2_Archive_CloseDefFiles(x->archive),
		    "closing the definition files");
	return x->err == OTF2_SUCCESS ? 0 : -EIO;
}

/* A new string definition; its ref. */
static OTF2_StringRef otf2__string(struct otf2_export *x,
				   OTF2_GlobalDefWriter *g, const char *s)
{
	OTF2_StringRef ref = x->strings++;

	otf2__check(x, OTF2_GlobalDefWriter_WriteString(g, ref, s ?: ""),
		    "a string");
	return ref;
}

/* "comm-id", perf's and the folded export's name of a thread; the id
 * alone without a comm. */
static OTF2_StringRef otf2__name(struct otf2_export *x, OTF2_GlobalDefWriter *g,
				 const char *comm, uint32_t id)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s%s%" PRIu32, comm, *comm ? "-" : "", id);
	return otf2__string(x, g, buf);
}

/* /meta start_time (UTC, to the second, taken as start_ns was) moved to
 * @ns, in ns since the epoch; OTF2's undefined where it is unknown. */
static uint64_t otf2__realtime(const struct profile_meta *m, uint64_t ns)
{
	struct tm tm = { 0 };
	const char *end;
	time_t t;

	end = m->start_time ?
		      strptime(m->start_time, "%Y-%m-%dT%H:%M:%SZ", &tm) :
		      NULL;
	if (!end || *end || !m->start_ns || ns < m->start_ns)
		return OTF2_UNDEFINED_TIMESTAMP;
	t = timegm(&tm);
	if (t < 0)
		return OTF2_UNDEFINED_TIMESTAMP;
	return (uint64_t)t * 1000000000ull + (ns - m->start_ns);
}

/* Regions 0 .. x->regions - 1, named by the profile ("?" for an id it
 * lacks), with their source file and line. */
static void otf2__regions(struct otf2_export *x, OTF2_GlobalDefWriter *g)
{
	OTF2_StringRef none = otf2__string(x, g, "");

	for (uint32_t id = 0; id < x->regions; id++) {
		const struct region *r = NULL;
		OTF2_StringRef name, file = none;

		for (size_t i = 0; i < x->p->regions.n && !r; i++)
			if (x->p->regions.v[i].id == id)
				r = &x->p->regions.v[i];
		name = otf2__string(x, g, export__region_name(x->p, id));
		if (r && r->file && *r->file)
			file = otf2__string(x, g, r->file);
		otf2__check(x,
			    OTF2_GlobalDefWriter_WriteRegion(
				    g, id, name, name, none,
				    OTF2_REGION_ROLE_CODE, OTF2_PARADIGM_USER,
				    OTF2_REGION_FLAG_NONE, file,
				    r ? r->line : 0, r ? r->line : 0),
			    "a region");
	}
}

/* A location group for process @pid. */
static void otf2__process(struct otf2_export *x, OTF2_GlobalDefWriter *g,
			  OTF2_LocationGroupRef group, uint32_t pid)
{
	OTF2_StringRef name =
		otf2__name(x, g, export__process_comm(x->p, pid), pid);

	otf2__check(x,
		    OTF2_GlobalDefWriter_WriteLocationGroup(
			    g, group, name, OTF2_LOCATION_GROUP_TYPE_PROCESS, 0,
			    OTF2_UNDEFINED_LOCATION_GROUP),
		    "a process");
}

/* The system tree (the host), a location group per process (threads are
 * sorted by pid: a process's are together), a location per thread with
 * events. */
static void otf2__locations(struct otf2_export *x, OTF2_GlobalDefWriter *g)
{
	const struct profile_meta *m = &x->p->meta;
	OTF2_LocationGroupRef group = 0;
	const struct otf2_thread *prev = NULL;

	otf2__check(x,
		    OTF2_GlobalDefWriter_WriteSystemTreeNode(
			    g, 0, otf2__string(x, g, m->host ?: "host"),
			    otf2__string(x, g, "node"),
			    OTF2_UNDEFINED_SYSTEM_TREE_NODE),
		    "the system tree");
	for (size_t i = 0; i < x->n; i++) {
		const struct otf2_thread *t = x->threads[i];

		if (!t->w)
			continue;
		if (prev && t->pid != prev->pid)
			group++;
		if (!prev || t->pid != prev->pid)
			otf2__process(x, g, group, t->pid);
		prev = t;
		otf2__check(x,
			    OTF2_GlobalDefWriter_WriteLocation(
				    g, t->location,
				    otf2__name(x, g,
					       export__thread_comm(x->p, t->pid,
								   t->tid),
					       t->tid),
				    OTF2_LOCATION_TYPE_CPU_THREAD, t->events,
				    group),
			    "a thread");
	}
}

/* The global definitions: the clock (ns of CLOCK_MONOTONIC, the trace's
 * span), the strings, regions, processes and threads. */
static int otf2__definitions(struct otf2_export *x)
{
	OTF2_GlobalDefWriter *g = OTF2_Archive_GetGlobalDefWriter(x->archive);

	if (!g)
		return otf2__check(x, OTF2_ERROR_MEM_ALLOC_FAILED,
				   "the global definitions");
	if (x->first_ns > x->last_ns) /* no interval */
		x->first_ns = x->last_ns = 0;
	otf2__check(x,
		    OTF2_GlobalDefWriter_WriteClockProperties(
			    g, 1000000000ull, x->first_ns,
			    x->last_ns - x->first_ns,
			    otf2__realtime(&x->p->meta, x->first_ns)),
		    "the clock");
	otf2__regions(x, g);
	otf2__locations(x, g);
	otf2__check(x, OTF2_Archive_CloseGlobalDefWriter(x->archive, g),
		    "closing the global definitions");
	return x->err == OTF2_SUCCESS ? 0 : -EIO;
}

/* The archive's header: who wrote it, from what, on which clock. */
static int otf2__open(struct otf2_export *x, const char *dir)
{
	const struct profile_meta *m = &x->p->meta;

	x->archive = OTF2_Archive_Open(
		dir, ARCHIVE_NAME, OTF2_FILEMODE_WRITE, ARCHIVE_EVENT_CHUNK,
		ARCHIVE_DEF_CHUNK, OTF2_SUBSTRATE_POSIX, OTF2_COMPRESSION_NONE);
	if (!x->archive) {
		pr_err("%s: cannot create an OTF2 archive there\n", dir);
		return -EIO;
	}
	otf2__check(
		x,
		OTF2_Archive_SetFlushCallbacks(x->archive, &otf2__flush, NULL),
		"the flush callbacks");
	otf2__check(x,
		    OTF2_Archive_SetMemoryCallbacks(x->archive, &otf2__memory,
						    NULL),
		    "the memory callbacks");
	otf2__check(x, OTF2_Archive_SetSerialCollectiveCallbacks(x->archive),
		    "the collective callbacks");
	otf2__check(x,
		    OTF2_Archive_SetCreator(
			    x->archive, "scope-bpf " SCOPE_BPF_TOOL_VERSION),
		    "the creator");
	otf2__check(x,
		    OTF2_Archive_SetDescription(x->archive, m->command ?: ""),
		    "the description");
	otf2__check(x, OTF2_Archive_SetMachineName(x->archive, m->host ?: ""),
		    "the machine name");
	otf2__check(x,
		    OTF2_Archive_SetProperty(x->archive, "SCOPE_BPF::CLOCK",
					     m->clock ?: "", false),
		    "the clock's name");
	otf2__check(x, OTF2_Archive_OpenEvtFiles(x->archive),
		    "opening the event files");
	return x->err == OTF2_SUCCESS ? 0 : -EIO;
}

static void otf2__free(struct otf2_export *x)
{
	for (size_t i = 0; i < x->n; i++)
		thread__free(x->threads[i]);
	free(x->threads);
}

int export__otf2(const struct profile *p, const char *path, const char *dir)
{
	struct otf2_export x = { .p = p,
				 .regions = p->regions.n,
				 .first_ns = UINT64_MAX };
	struct trace_reader *r = trace_reader__open(path);
	int err;

	if (!r)
		return errno == ENODATA ? -ENODATA : -EIO;
	OTF2_Error_RegisterCallback(otf2__on_error, NULL);
	err = otf2__threads(&x) ?: otf2__open(&x, dir);
	if (!err)
		err = otf2__events(&x, r);
	if (!err)
		err = otf2__close_events(&x);
	if (!err)
		err = otf2__definitions(&x);
	if (x.archive &&
	    otf2__check(&x, OTF2_Archive_Close(x.archive), "closing") && !err)
		err = -EIO;
	if (x.clamped)
		pr_warn("otf2: %llu events came before the one ahead of them in "
			"their thread (intervals that overlap without nesting): "
			"written at its time\n",
			(unsigned long long)x.clamped);
	trace_reader__free(r);
	otf2__free(&x);
	return err;
}

#else /* !SCOPE_HAVE_OTF2 */

bool export__otf2_available(void)
{
	return false;
}

int export__otf2(const struct profile *p, const char *path, const char *dir)
{
	(void)p, (void)path, (void)dir;
	return -ENOTSUP;
}

#endif
