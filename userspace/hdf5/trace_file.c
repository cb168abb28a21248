// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* trace_file__*: the trace writer. The caller's thread only copies
 * intervals into chunk-sized slots; writer threads pack, shuffle and
 * deflate full slots in parallel (hdf5/trace_chunk.c) and store them in
 * chunk order, so that the extent never covers a chunk not yet stored,
 * and run the flushes. The slots are all the memory there is: when none
 * is free, the intervals are dropped and counted (or the caller waits,
 * opts.block). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/schema.h"
#include "hdf5/trace_chunk.h"
#include "hdf5/trace_file.h"

static const char trace_description[] =
	"every region interval of the run, in the order the agent received "
	"them (per thread: by end); /trace/counters row i holds the counter "
	"deltas of /trace/intervals row i (docs/hdf5-schema.md)";

enum slot_state {
	SLOT_FREE,
	SLOT_FILLING, /* the caller's */
	SLOT_QUEUED,  /* full, for the writer thread */
	SLOT_WRITING,
};

/* One chunk's rows on their way to the file. */
struct trace_slot {
	struct trace_interval *rows;
	size_t n;
	uint64_t chunk; /* its chunk index, given when the caller takes it */
	enum slot_state state;
};

/* A writer thread and its own codecs (zlib state, chunk buffers). */
struct trace_writer {
	pthread_t thread;
	bool started;
	struct trace_file *tf;
	struct trace_codec iv, ctr;
};

struct trace_file {
	char *path;
	hid_t file, group, iv, ctr; /* ctr < 0 without counters */
	size_t ncounters, chunk_rows;
	int level;
	bool block, rle;
	uint64_t flush_ns;

	/* @lock guards what follows; the writer thread alone touches HDF5
	 * between create and finish */
	pthread_mutex_t lock;
	pthread_cond_t work; /* to the writer: a slot queued, a flush, stop */
	pthread_cond_t done; /* to the caller: a slot freed, a flush done */
	struct trace_writer *writers;
	size_t nwriters;
	bool stop;
	/* chunks are stored in order: the next one, and whether a flush is
	 * storing the caller's partial chunk (nothing else stores then) */
	uint64_t next_store;
	bool flush_storing, flushing;
	struct trace_slot *slots;
	size_t nslots, inuse;
	struct trace_slot **queue; /* FIFO of queued slots, by chunk */
	size_t qhead, qlen;
	struct trace_slot *cur; /* the caller's, NULL when none was free */
	uint64_t next_chunk;
	uint64_t flush_req, flush_done;
	uint64_t last_flush; /* when the caller last asked */
	int err;	     /* after a failed write: every later answer */
	struct trace_file_stats st;

	/* the storing writer's (one at a time, see next_store) */
	uint64_t in_file; /* the datasets' extent */
	struct errmsg msg;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* The counters first: a reader that sees the intervals' extent grow
 * finds their counters (and takes the smaller extent all the same).
 * H5Dwrite_chunk writes only inside the extent, so it grows first; HDF5
 * orders the flushes (SWMR) so that a reader never sees a row before its
 * chunk, as in the usual extend-then-write append. */
static int extent__grow(struct trace_file *tf, uint64_t rows)
{
	hsize_t dims[2] = { rows, tf->ncounters };

	if (rows <= tf->in_file)
		return 0;
	if (tf->ctr >= 0 && H5Dset_extent(tf->ctr, dims) < 0)
		return errmsg__set(&tf->msg, -EIO, "extending %s",
				   SCHEMA_TRACE_COUNTERS);
	if (H5Dset_extent(tf->iv, dims) < 0)
		return errmsg__set(&tf->msg, -EIO, "extending %s",
				   SCHEMA_TRACE_INTERVALS);
	tf->in_file = rows;
	return 0;
}

/* The first @n rows of @s, compressed by @w as its chunk of both
 * datasets, stored once the chunks before it are. */
static int slot__store(struct trace_writer *w, struct trace_slot *s, size_t n)
{
	struct trace_file *tf = w->tf;
	size_t bytes = 0, more = 0;
	int err = extent__grow(tf, s->chunk * tf->chunk_rows + n);

	if (!err)
		err = trace_chunk__store(&w->iv, tf->iv, s->chunk, &bytes);
	if (!err && tf->ctr >= 0)
		err = trace_chunk__store(&w->ctr, tf->ctr, s->chunk, &more);
	if (err)
		return errmsg__set(&tf->msg, err, "writing chunk %llu",
				   (unsigned long long)s->chunk);
	pthread_mutex_lock(&tf->lock);
	tf->st.file_bytes += bytes + more;
	tf->st.written = tf->in_file;
	pthread_mutex_unlock(&tf->lock);
	return 0;
}

static int slot__compress(struct trace_writer *w, struct trace_slot *s,
			  size_t n)
{
	struct trace_file *tf = w->tf;
	int err = trace_chunk__compress(&w->iv, tf->chunk_rows, 0, s->rows, n);

	if (!err && tf->ctr >= 0)
		err = trace_chunk__compress(&w->ctr, tf->chunk_rows,
					    tf->ncounters, s->rows, n);
	if (err)
		return errmsg__set(&tf->msg, err, "compressing chunk %llu",
				   (unsigned long long)s->chunk);
	return 0;
}

/* Under the lock. A failed write stops the trace: the file keeps what it
 * had, the caller hears the error at its next call. */
static void writer__fail(struct trace_file *tf, int err)
{
	if (tf->err)
		return;
	tf->err = err;
	pr_err("trace %s: %s: %s; tracing stopped\n", tf->path, tf->msg.msg,
	       strerror(-err));
}

/* Under the lock: the oldest queued slot, compressed (unlocked, beside
 * the other writers), stored in its turn, and freed. After a failure the
 * slots are only freed. */
static void writer__one(struct trace_writer *w)
{
	struct trace_file *tf = w->tf;
	struct trace_slot *s = tf->queue[tf->qhead];
	int err = 0;

	tf->qhead = (tf->qhead + 1) % tf->nslots;
	tf->qlen--;
	s->state = SLOT_WRITING;
	pthread_mutex_unlock(&tf->lock);
	if (!tf->err)
		err = slot__compress(w, s, s->n);
	pthread_mutex_lock(&tf->lock);
	while (tf->next_store != s->chunk || tf->flush_storing)
		pthread_cond_wait(&tf->done, &tf->lock);
	if (!err && !tf->err) {
		pthread_mutex_unlock(&tf->lock);
		err = slot__store(w, s, s->n);
		pthread_mutex_lock(&tf->lock);
	}
	if (err)
		writer__fail(tf, err);
	tf->next_store++;
	s->state = SLOT_FREE;
	tf->inuse--;
	pthread_cond_broadcast(&tf->done);
}

static int datasets__flush(struct trace_file *tf)
{
	if (tf->ctr >= 0 && H5Dflush(tf->ctr) < 0)
		return errmsg__set(&tf->msg, -EIO, "flushing %s",
				   SCHEMA_TRACE_COUNTERS);
	if (H5Dflush(tf->iv) < 0)
		return errmsg__set(&tf->msg, -EIO, "flushing %s",
				   SCHEMA_TRACE_INTERVALS);
	return 0;
}

/* Under the lock: every chunk before the caller's stored (helping the
 * other writers with the queue), so that a partial chunk after them
 * leaves no hole under the extent. */
static void flush__drain(struct trace_writer *w)
{
	struct trace_file *tf = w->tf;
	uint64_t target = tf->cur ? tf->cur->chunk : tf->next_chunk;

	while (tf->next_store < target) {
		if (tf->qlen)
			writer__one(w);
		else
			pthread_cond_wait(&tf->done, &tf->lock);
	}
}

/* Under the lock. The chunks before the caller's, then the caller's slot
 * as far as it is filled (its rows below n are its own no more; no
 * writer stores meanwhile), then H5Dflush. A busy caller delays a flush
 * by at most the buffer. */
static void writer__flush(struct trace_writer *w)
{
	struct trace_file *tf = w->tf;
	uint64_t req = tf->flush_req;
	struct trace_slot *s;
	int err = 0;
	size_t n;

	flush__drain(w);
	s = tf->cur && tf->cur->n && tf->cur->chunk == tf->next_store ?
		    tf->cur :
		    NULL;
	n = s ? s->n : 0;
	tf->flush_storing = true;
	if (!tf->err) {
		pthread_mutex_unlock(&tf->lock);
		err = s ? slot__compress(w, s, n) : 0;
		err = err ?: (s ? slot__store(w, s, n) : 0);
		err = err ?: datasets__flush(tf);
		pthread_mutex_lock(&tf->lock);
	}
	tf->flush_storing = false;
	if (err)
		writer__fail(tf, err);
	else if (!tf->err)
		tf->st.flushed = tf->in_file;
	tf->flush_done = req;
	pthread_cond_broadcast(&tf->done);
}

/* One writer runs a flush at a time: the one that saw it first. */
static void *writer__main(void *arg)
{
	struct trace_writer *w = arg;
	struct trace_file *tf = w->tf;

	pthread_mutex_lock(&tf->lock);
	for (;;) {
		if (tf->flush_req != tf->flush_done && !tf->flushing) {
			tf->flushing = true;
			writer__flush(w);
			tf->flushing = false;
		} else if (tf->qlen) {
			writer__one(w);
		} else if (tf->stop) {
			break;
		} else {
			pthread_cond_wait(&tf->work, &tf->lock);
		}
	}
	pthread_mutex_unlock(&tf->lock);
	return NULL;
}

/* Under the lock: a free slot for the caller; false when none is. */
static bool slot__take(struct trace_file *tf)
{
	for (size_t i = 0; i < tf->nslots; i++) {
		struct trace_slot *s = &tf->slots[i];

		if (s->state != SLOT_FREE)
			continue;
		s->state = SLOT_FILLING;
		s->n = 0;
		s->chunk = tf->next_chunk++;
		tf->cur = s;
		if (++tf->inuse * tf->chunk_rows > tf->st.buffer_rows_peak)
			tf->st.buffer_rows_peak = tf->inuse * tf->chunk_rows;
		return true;
	}
	return false;
}

static void slot__queue(struct trace_file *tf)
{
	size_t tail = (tf->qhead + tf->qlen) % tf->nslots;

	tf->cur->state = SLOT_QUEUED;
	tf->queue[tail] = tf->cur;
	tf->qlen++;
	tf->cur = NULL;
	pthread_cond_signal(&tf->work);
}

/* Under the lock: a flush for the writer thread; the request's number. */
static uint64_t flush__post(struct trace_file *tf)
{
	tf->last_flush = now_ns();
	pthread_cond_broadcast(&tf->work);
	return ++tf->flush_req;
}

int trace_file__flush(struct trace_file *tf)
{
	uint64_t req;
	int err;

	pthread_mutex_lock(&tf->lock);
	req = flush__post(tf);
	while (tf->flush_done < req)
		pthread_cond_wait(&tf->done, &tf->lock);
	err = tf->err;
	pthread_mutex_unlock(&tf->lock);
	return err;
}

/* Under the lock: copies what fits in the caller's slot (unlocked: no
 * one else reads a slot's rows past n), queues it when full. */
static size_t append__some(struct trace_file *tf,
			   const struct trace_interval *v, size_t n)
{
	struct trace_slot *s = tf->cur;
	size_t take = tf->chunk_rows - s->n < n ? tf->chunk_rows - s->n : n;

	pthread_mutex_unlock(&tf->lock);
	memcpy(s->rows + s->n, v, take * sizeof(*v));
	pthread_mutex_lock(&tf->lock);
	s->n += take;
	if (s->n == tf->chunk_rows)
		slot__queue(tf);
	return take;
}

int trace_file__append(struct trace_file *tf, const struct trace_interval *v,
		       size_t n)
{
	int err;

	pthread_mutex_lock(&tf->lock);
	tf->st.appended += n;
	while (n && !tf->err) {
		size_t took;

		if (!tf->cur && !slot__take(tf)) {
			if (!tf->block)
				break;
			pthread_cond_wait(&tf->done, &tf->lock);
			continue;
		}
		took = append__some(tf, v, n);
		v += took;
		n -= took;
	}
	tf->st.dropped += n;
	err = tf->err;
	if (!err && now_ns() - tf->last_flush >= tf->flush_ns)
		flush__post(tf);
	pthread_mutex_unlock(&tf->lock);
	return err;
}

void trace_file__stats(struct trace_file *tf, struct trace_file_stats *st)
{
	pthread_mutex_lock(&tf->lock);
	*st = tf->st;
	pthread_mutex_unlock(&tf->lock);
}

/* Extendible, chunked, shuffle + deflate: the pipeline readers decode and
 * trace_chunk__write produces. */
static hid_t dset__dcpl(int rank, const hsize_t *chunk, int level)
{
	hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);

	if (dcpl < 0)
		return H5I_INVALID_HID;
	if (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
	    H5Pset_deflate(dcpl, level) < 0) {
		H5Pclose(dcpl);
		return H5I_INVALID_HID;
	}
	return dcpl;
}

static hid_t dset__create(struct trace_file *tf, const char *path, hid_t type,
			  int rank)
{
	hsize_t dims[2] = { 0, tf->ncounters };
	hsize_t max[2] = { H5S_UNLIMITED, tf->ncounters };
	hsize_t chunk[2] = { tf->chunk_rows, tf->ncounters };
	hid_t space = H5Screate_simple(rank, dims, max);
	hid_t dcpl = dset__dcpl(rank, chunk, tf->level);
	hid_t ds = H5I_INVALID_HID;

	if (space >= 0 && dcpl >= 0)
		ds = H5Dcreate2(tf->file, path, type, space, H5P_DEFAULT, dcpl,
				H5P_DEFAULT);
	schema__close(dcpl);
	schema__close(space);
	if (ds < 0)
		errmsg__set(&tf->msg, -EIO, "creating %s", path);
	return ds;
}

static int create__intervals(struct trace_file *tf)
{
	hid_t type = schema__table_type(&schema__trace, true);

	if (type < 0 || H5Tget_size(type) != trace_chunk__row_bytes(0)) {
		schema__close(type);
		return errmsg__set(&tf->msg, -EIO, "the type of %s",
				   SCHEMA_TRACE_INTERVALS);
	}
	tf->iv = dset__create(tf, SCHEMA_TRACE_INTERVALS, type, 1);
	H5Tclose(type);
	if (tf->iv < 0)
		return -EIO;
	return schema__write_units(tf->iv, &schema__trace, &tf->msg);
}

/* Its columns and units as /counter_incl has them. */
static int create__counters(struct trace_file *tf,
			    const struct trace_file_opts *o)
{
	const char *units[TRACE_MAX_COUNTERS];
	int err;

	tf->ctr = dset__create(tf, SCHEMA_TRACE_COUNTERS, H5T_STD_U64LE, 2);
	if (tf->ctr < 0)
		return -EIO;
	for (size_t i = 0; i < tf->ncounters; i++)
		units[i] = o->counter_units ? o->counter_units[i] : "count";
	err = schema__write_strv(tf->ctr, SCHEMA_COLUMNS_ATTR, o->counter_names,
				 tf->ncounters, &tf->msg);
	return err   ?:
		       schema__write_strv(tf->ctr, SCHEMA_UNITS_ATTR, units,
					  tf->ncounters, &tf->msg);
}

/* What SWMR cannot add later (objects, attributes) is made here. */
static int create__layout(struct trace_file *tf,
			  const struct trace_file_opts *o)
{
	const char *desc = trace_description, *clock = "CLOCK_MONOTONIC";
	int err = schema__write_root(tf->file, PROFILE_SCHEMA_VERSION_TRACE,
				     &tf->msg);

	if (err)
		return err;
	tf->group = H5Gcreate2(tf->file, SCHEMA_TRACE_GROUP, H5P_DEFAULT,
			       H5P_DEFAULT, H5P_DEFAULT);
	if (tf->group < 0)
		return errmsg__set(&tf->msg, -EIO, "creating %s",
				   SCHEMA_TRACE_GROUP);
	err = schema__write_attr(tf->group, SCHEMA_HIST_ATTR, SCHEMA_STR, &desc,
				 &tf->msg);
	if (!err)
		err = schema__write_attr(tf->group, "clock", SCHEMA_STR, &clock,
					 &tf->msg);
	if (!err)
		err = create__intervals(tf);
	if (!err && tf->ncounters)
		err = create__counters(tf, o);
	if (!err && o->regions)
		err = schema__write_table(tf->file, &schema__trace_regions,
					  o->regions->v, o->regions->n,
					  &tf->msg);
	if (!err && o->meta)
		err = schema__write_meta(tf->file, SCHEMA_TRACE_START, o->meta,
					 &tf->msg);
	return err;
}

/* libver latest: SWMR needs the newest superblock and chunk indexes.
 * EXCL: O_CREAT | O_EXCL, which never follows a symlink. */
static int create__file(struct trace_file *tf)
{
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	struct stat st;

	if (fapl >= 0 && H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST,
					      H5F_LIBVER_LATEST) >= 0)
		tf->file = H5Fcreate(tf->path, H5F_ACC_EXCL, H5P_DEFAULT, fapl);
	schema__close(fapl);
	if (tf->file >= 0)
		return 0;
	if (lstat(tf->path, &st) == 0 || errno != ENOENT)
		return errmsg__set(&tf->msg, -EEXIST, "the file exists");
	return errmsg__set(&tf->msg, -EIO, "creating the file");
}

static int opts__check(struct trace_file *tf, const struct trace_file_opts *o)
{
	tf->ncounters = o->ncounters;
	tf->chunk_rows = o->chunk_rows ?: TRACE_CHUNK_ROWS;
	tf->level = o->level ?: TRACE_LEVEL;
	tf->block = o->block;
	tf->rle = !o->full_deflate;
	tf->nwriters = o->writers ?: TRACE_WRITERS;
	tf->flush_ns = (uint64_t)(o->flush_ms ?: 1000) * 1000000u;
	if (tf->ncounters > TRACE_MAX_COUNTERS ||
	    (tf->ncounters && !o->counter_names) || tf->level < 1 ||
	    tf->level > 9 || tf->chunk_rows > (1u << 20) || tf->nwriters > 64)
		return errmsg__set(&tf->msg, -EINVAL, "invalid options");
	tf->nslots = (o->buffer_bytes ?: TRACE_BUFFER_BYTES) /
		     (tf->chunk_rows * sizeof(struct trace_interval));
	if (tf->nslots < 2)
		tf->nslots = 2;
	return 0;
}

static int writers__alloc(struct trace_file *tf)
{
	size_t iv_bytes = tf->chunk_rows * trace_chunk__row_bytes(0);
	size_t ctr_bytes = tf->chunk_rows * trace_chunk__row_bytes(8);

	tf->writers = calloc(tf->nwriters, sizeof(*tf->writers));
	if (!tf->writers)
		return -ENOMEM;
	for (size_t i = 0; i < tf->nwriters; i++) {
		struct trace_writer *w = &tf->writers[i];

		w->tf = tf;
		if (trace_codec__init(&w->iv, tf->level, tf->rle, iv_bytes) ||
		    (tf->ncounters &&
		     trace_codec__init(&w->ctr, tf->level, tf->rle, ctr_bytes)))
			return -ENOMEM;
	}
	return 0;
}

/* Every byte the writer will hold, allocated now. */
static int buffers__alloc(struct trace_file *tf)
{
	size_t rows_bytes = tf->chunk_rows * sizeof(struct trace_interval);

	tf->slots = calloc(tf->nslots, sizeof(*tf->slots));
	tf->queue = calloc(tf->nslots, sizeof(*tf->queue));
	if (!tf->slots || !tf->queue)
		return errmsg__set(&tf->msg, -ENOMEM, "the buffer");
	for (size_t i = 0; i < tf->nslots; i++) {
		tf->slots[i].rows = malloc(rows_bytes);
		if (!tf->slots[i].rows)
			return errmsg__set(&tf->msg, -ENOMEM, "the buffer");
	}
	tf->st.buffer_bytes = tf->nslots * rows_bytes;
	if (writers__alloc(tf))
		return errmsg__set(&tf->msg, -ENOMEM, "zlib");
	return 0;
}

/* The writers block every signal: the process's signals are for the
 * thread that waits for them (the agent's signalfd), never a writer. */
static int writers__start(struct trace_file *tf)
{
	sigset_t all, old;
	int err = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (size_t i = 0; !err && i < tf->nwriters; i++) {
		struct trace_writer *w = &tf->writers[i];

		err = pthread_create(&w->thread, NULL, writer__main, w);
		w->started = !err;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err ? errmsg__set(&tf->msg, -err, "starting the writers") : 0;
}

/* The writer threads end once what is queued is stored (skipped after
 * a failure). */
static void writers__stop(struct trace_file *tf)
{
	pthread_mutex_lock(&tf->lock);
	tf->stop = true;
	pthread_cond_broadcast(&tf->work);
	pthread_mutex_unlock(&tf->lock);
	for (size_t i = 0; tf->writers && i < tf->nwriters; i++) {
		if (tf->writers[i].started)
			pthread_join(tf->writers[i].thread, NULL);
		tf->writers[i].started = false;
	}
}

static void writers__free(struct trace_file *tf)
{
	for (size_t i = 0; tf->writers && i < tf->nwriters; i++) {
		trace_codec__fini(&tf->writers[i].iv);
		trace_codec__fini(&tf->writers[i].ctr);
	}
	free(tf->writers);
}

static void handles__close(struct trace_file *tf)
{
	schema__close(tf->ctr);
	schema__close(tf->iv);
	schema__close(tf->group);
	tf->ctr = tf->iv = tf->group = H5I_INVALID_HID;
	if (tf->file >= 0 && H5Fclose(tf->file) < 0 && !tf->err)
		tf->err = errmsg__set(&tf->msg, -EIO, "closing the file");
	tf->file = H5I_INVALID_HID;
}

static void trace__free(struct trace_file *tf)
{
	writers__stop(tf);
	handles__close(tf);
	writers__free(tf);
	for (size_t i = 0; tf->slots && i < tf->nslots; i++)
		free(tf->slots[i].rows);
	free(tf->slots);
	free(tf->queue);
	pthread_cond_destroy(&tf->done);
	pthread_cond_destroy(&tf->work);
	pthread_mutex_destroy(&tf->lock);
	free(tf->path);
	free(tf);
}

static struct trace_file *trace__new(const char *path)
{
	struct trace_file *tf = calloc(1, sizeof(*tf));

	if (!tf)
		return NULL;
	tf->file = tf->group = tf->iv = tf->ctr = H5I_INVALID_HID;
	pthread_mutex_init(&tf->lock, NULL);
	pthread_cond_init(&tf->work, NULL);
	pthread_cond_init(&tf->done, NULL);
	tf->path = strdup(path);
	if (!tf->path) {
		trace__free(tf);
		return NULL;
	}
	return tf;
}

static int trace__open(struct trace_file *tf, const struct trace_file_opts *o)
{
	int err = opts__check(tf, o);

	err = err ?: buffers__alloc(tf);
	err = err ?: create__file(tf);
	err = err ?: create__layout(tf, o);
	if (!err && H5Fstart_swmr_write(tf->file) < 0)
		err = errmsg__set(&tf->msg, -EIO, "starting SWMR");
	tf->last_flush = now_ns();
	return err ?: writers__start(tf);
}

struct trace_file *trace_file__create(const char *path,
				      const struct trace_file_opts *o)
{
	static const struct trace_file_opts none;
	struct trace_file *tf = trace__new(path);
	int err;

	if (!tf) {
		pr_err("trace %s: %s\n", path, strerror(ENOMEM));
		errno = ENOMEM;
		return NULL;
	}
	schema__quiet();
	err = trace__open(tf, o ?: &none);
	if (err) {
		pr_err("trace %s: %s: %s\n", path, tf->msg.msg, strerror(-err));
		trace__free(tf);
		errno = -err;
		return NULL;
	}
	return tf;
}

void trace_file__abort(struct trace_file *tf)
{
	if (tf)
		trace__free(tf);
}

/* Out of SWMR (closed, opened again read-write) the file takes new
 * objects: the profile's tables, /meta (which marks it finished) and
 * /trace's totals. */
static int finish__profile(struct trace_file *tf, const struct profile *p)
{
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	hid_t file = H5I_INVALID_HID, group = H5I_INVALID_HID;
	int err;

	/* A reader that follows the trace (h5py with swmr=True) holds a lock
	 * that refuses a writer: the profile must not be lost to it. Only
	 * this agent ever writes the file; the reader sees the end of SWMR
	 * and opens the file again for the profile. */
	if (fapl >= 0 && H5Pset_file_locking(fapl, false, true) >= 0)
		file = H5Fopen(tf->path, H5F_ACC_RDWR, fapl);
	schema__close(fapl);
	if (file < 0)
		return errmsg__set(&tf->msg, -EIO, "opening it again");
	err = schema__write_profile(file, p, &tf->msg);
	if (!err)
		group = H5Gopen2(file, SCHEMA_TRACE_GROUP, H5P_DEFAULT);
	if (!err && group < 0)
		err = errmsg__set(&tf->msg, -EIO, "opening %s",
				  SCHEMA_TRACE_GROUP);
	if (!err)
		err = schema__write_attr(group, "intervals", SCHEMA_U64,
					 &tf->st.written, &tf->msg);
	if (!err)
		err = schema__write_attr(group, "dropped", SCHEMA_U64,
					 &tf->st.dropped, &tf->msg);
	schema__close(group);
	if (H5Fclose(file) < 0 && !err)
		err = errmsg__set(&tf->msg, -EIO, "closing it");
	return err;
}

int trace_file__finish(struct trace_file *tf, const struct profile *p)
{
	int err = trace_file__flush(tf);
	int fin;

	writers__stop(tf);
	handles__close(tf);
	err = err ?: tf->err;
	fin = finish__profile(tf, p);
	if (fin) {
		pr_err("trace %s: %s: %s\n", tf->path, tf->msg.msg,
		       strerror(-fin));
		err = err ?: fin;
	}
	trace__free(tf);
	return err;
}
