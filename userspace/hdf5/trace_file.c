// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* trace_file__*: the trace writer. It shuffles and deflates each chunk
 * itself and hands it to HDF5 whole (H5Dwrite_chunk): the datasets
 * declare the same shuffle + deflate pipeline, so every HDF5 reader
 * decodes them, and the writer chooses how deflate runs (zlib's Z_RLE
 * strategy, docs/performance.md) and never makes HDF5 read a chunk back. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/schema.h"
#include "hdf5/trace_file.h"

#ifndef SCOPE_BPF_TOOL_VERSION
#define SCOPE_BPF_TOOL_VERSION "unknown"
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the chunks are packed as the file's little-endian bytes"
#endif

static const char trace_description[] =
	"every region interval of the run, in the order the agent received "
	"them (per thread: by end); /trace/counters row i holds the counter "
	"deltas of /trace/intervals row i (docs/hdf5-schema.md)";

/* One dataset whose chunks the writer makes itself. */
struct trace_dset {
	hid_t ds;
	size_t row_bytes;  /* of one row in the file */
	size_t elem_bytes; /* what the shuffle filter groups by */
	uint8_t *plain;	   /* a chunk, shuffled */
	uint8_t *packed;   /* the same, deflated */
	size_t packed_cap;
};

struct trace_file {
	char *path;
	hid_t file;
	hid_t group;
	struct trace_dset iv, ctr; /* ctr.ds < 0 without counters */
	size_t ncounters, chunk_rows;
	int level;
	uint64_t flush_ns;
	struct trace_interval *buf; /* rows not yet flushed, from @base */
	size_t cap, nbuf;
	uint64_t base;	  /* the file row of buf[0], a chunk's first */
	uint64_t in_file; /* rows in the datasets' extent */
	uint64_t last_flush;
	z_stream z;
	bool z_ready;
	int err; /* after a failed write: every later call's answer */
	struct trace_file_stats st;
	struct errmsg msg;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* Byte b of row i of the chunk goes to plain[b * rows + i]: HDF5's
 * shuffle filter, here fused with packing the struct into the file's row.
 * One field at a time keeps the stores to a few streams. */
static void shuffle__u64(uint8_t *plane, size_t rows, const uint8_t *src,
			 size_t stride, size_t n)
{
	for (size_t i = 0; i < n; i++, src += stride) {
		uint64_t v;

		memcpy(&v, src, sizeof(v));
		for (size_t b = 0; b < 8; b++)
			plane[b * rows + i] = v >> (8 * b);
	}
}

static void shuffle__u32(uint8_t *plane, size_t rows, const uint8_t *src,
			 size_t stride, size_t n)
{
	for (size_t i = 0; i < n; i++, src += stride) {
		uint32_t v;

		memcpy(&v, src, sizeof(v));
		for (size_t b = 0; b < 4; b++)
			plane[b * rows + i] = v >> (8 * b);
	}
}

/* The interval fields of @n rows, in schema__trace's packed order. */
static void pack__intervals(struct trace_file *tf,
			    const struct trace_interval *v, size_t n)
{
	const size_t rows = tf->chunk_rows;
	uint8_t *plane = tf->iv.plain;

	for (size_t f = 0; f < schema__trace.nfields; f++) {
		const struct schema_field *fd = &schema__trace.fields[f];
		const uint8_t *src = (const uint8_t *)v + fd->offset;

		if (fd->kind == SCHEMA_U64) {
			shuffle__u64(plane, rows, src, sizeof(*v), n);
			plane += 8 * rows;
		} else {
			shuffle__u32(plane, rows, src, sizeof(*v), n);
			plane += 4 * rows;
		}
	}
}

/* Element (i, j) of the [rows x ncounters] chunk is element
 * i * ncounters + j of the shuffle. */
static void pack__counters(struct trace_file *tf,
			   const struct trace_interval *v, size_t n)
{
	const size_t elems = tf->chunk_rows * tf->ncounters;

	for (size_t j = 0; j < tf->ncounters; j++) {
		const uint8_t *src = (const uint8_t *)&v[0].counters[j];

		for (size_t i = 0; i < n; i++, src += sizeof(*v)) {
			uint64_t c;
			size_t e = i * tf->ncounters + j;

			memcpy(&c, src, sizeof(c));
			for (size_t b = 0; b < 8; b++)
				tf->ctr.plain[b * elems + e] = c >> (8 * b);
		}
	}
}

/* Deflates the shuffled chunk of @d and writes it as chunk @c. */
static int chunk__put(struct trace_file *tf, struct trace_dset *d, uint64_t c)
{
	hsize_t offset[2] = { c * tf->chunk_rows, 0 };
	size_t size = tf->chunk_rows * d->row_bytes;
	int zerr;

	if (deflateReset(&tf->z) != Z_OK)
		return errmsg__set(&tf->msg, -EIO, "resetting zlib");
	tf->z.next_in = d->plain;
	tf->z.avail_in = size;
	tf->z.next_out = d->packed;
	tf->z.avail_out = d->packed_cap;
	zerr = deflate(&tf->z, Z_FINISH);
	if (zerr != Z_STREAM_END)
		return errmsg__set(&tf->msg, -EIO, "deflating a chunk (%d)",
				   zerr);
	if (H5Dwrite_chunk(d->ds, H5P_DEFAULT, 0, offset, tf->z.total_out,
			   d->packed) < 0)
		return errmsg__set(&tf->msg, -EIO, "writing chunk %llu",
				   (unsigned long long)c);
	tf->st.file_bytes += tf->z.total_out;
	return 0;
}

/* Rows [from, to) of the buffer, which lie in one chunk; the rest of the
 * chunk is zeros (past the extent: no reader sees them). */
static int chunk__write(struct trace_file *tf, size_t from, size_t to)
{
	const struct trace_interval *v = tf->buf + from;
	uint64_t c = (tf->base + from) / tf->chunk_rows;
	size_t n = to - from;
	int err;

	if (n < tf->chunk_rows)
		memset(tf->iv.plain, 0, tf->chunk_rows * tf->iv.row_bytes);
	pack__intervals(tf, v, n);
	err = chunk__put(tf, &tf->iv, c);
	if (err || tf->ctr.ds < 0)
		return err;
	if (n < tf->chunk_rows)
		memset(tf->ctr.plain, 0, tf->chunk_rows * tf->ctr.row_bytes);
	pack__counters(tf, v, n);
	return chunk__put(tf, &tf->ctr, c);
}

/* The counters first: a reader that sees the intervals' extent grow
 * finds their counters (and takes the smaller extent all the same). */
static int extent__set(struct trace_file *tf, uint64_t rows)
{
	hsize_t dims[2] = { rows, tf->ncounters };

	if (tf->ctr.ds >= 0 && H5Dset_extent(tf->ctr.ds, dims) < 0)
		return errmsg__set(&tf->msg, -EIO, "extending %s",
				   SCHEMA_TRACE_COUNTERS);
	if (H5Dset_extent(tf->iv.ds, dims) < 0)
		return errmsg__set(&tf->msg, -EIO, "extending %s",
				   SCHEMA_TRACE_INTERVALS);
	tf->in_file = rows;
	return 0;
}

/* Every chunk of the buffer with rows not yet in the file, the last one
 * partly, then the extent over them. */
static int buf__write(struct trace_file *tf)
{
	size_t first = (tf->in_file - tf->base) / tf->chunk_rows;
	int err = 0;

	/* H5Dwrite_chunk writes only inside the extent; HDF5 orders the
	 * flushes (SWMR) so that a reader never sees a row before its chunk,
	 * as in the usual extend-then-write append */
	if (tf->base + tf->nbuf > tf->in_file)
		err = extent__set(tf, tf->base + tf->nbuf);
	for (size_t from = first * tf->chunk_rows; !err && from < tf->nbuf;
	     from += tf->chunk_rows) {
		size_t to = from + tf->chunk_rows;

		err = chunk__write(tf, from, to < tf->nbuf ? to : tf->nbuf);
	}
	if (!err)
		tf->st.written = tf->in_file;
	return err;
}

/* Forgets the buffer's whole chunks, which are in the file; the rows of a
 * partial last chunk stay, to be written again with the chunk whole. */
static void buf__drop_written(struct trace_file *tf)
{
	size_t whole = tf->nbuf / tf->chunk_rows * tf->chunk_rows;

	memmove(tf->buf, tf->buf + whole,
		(tf->nbuf - whole) * sizeof(*tf->buf));
	tf->nbuf -= whole;
	tf->base += whole;
}

/* A failed write stops the trace: the file keeps what it had. */
static int trace__fail(struct trace_file *tf, int err)
{
	if (!tf->err) {
		tf->err = err;
		pr_err("trace %s: %s: %s; tracing stopped\n", tf->path,
		       tf->msg.msg, strerror(-err));
	}
	return err;
}

static int trace__flush(struct trace_file *tf)
{
	int err = buf__write(tf);

	if (!err && tf->ctr.ds >= 0 && H5Dflush(tf->ctr.ds) < 0)
		err = errmsg__set(&tf->msg, -EIO, "flushing %s",
				  SCHEMA_TRACE_COUNTERS);
	if (!err && H5Dflush(tf->iv.ds) < 0)
		err = errmsg__set(&tf->msg, -EIO, "flushing %s",
				  SCHEMA_TRACE_INTERVALS);
	if (err)
		return trace__fail(tf, err);
	buf__drop_written(tf);
	tf->st.flushed = tf->in_file;
	tf->last_flush = now_ns();
	return 0;
}

int trace_file__flush(struct trace_file *tf)
{
	return tf->err ?: trace__flush(tf);
}

int trace_file__append(struct trace_file *tf, const struct trace_interval *v,
		       size_t n)
{
	int err = tf->err;

	tf->st.appended += n;
	while (n && !err) {
		size_t take = tf->cap - tf->nbuf < n ? tf->cap - tf->nbuf : n;

		memcpy(tf->buf + tf->nbuf, v, take * sizeof(*v));
		tf->nbuf += take;
		v += take;
		n -= take;
		if (tf->nbuf > tf->st.buffer_rows_peak)
			tf->st.buffer_rows_peak = tf->nbuf;
		if (tf->nbuf < tf->cap)
			break;
		/* the buffer is whole chunks: all go, none stays */
		err = buf__write(tf);
		if (err)
			err = trace__fail(tf, err);
		else
			buf__drop_written(tf);
	}
	if (err) {
		tf->st.dropped += n;
		return err;
	}
	if (now_ns() - tf->last_flush >= tf->flush_ns)
		return trace__flush(tf);
	return 0;
}

void trace_file__stats(const struct trace_file *tf,
		       struct trace_file_stats *st)
{
	*st = tf->st;
}

/* Extendible, chunked, shuffle + deflate: the pipeline readers decode and
 * chunk__put produces. */
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

static int dset__create(struct trace_file *tf, struct trace_dset *d,
			const char *path, hid_t type, int rank)
{
	hsize_t dims[2] = { 0, tf->ncounters };
	hsize_t max[2] = { H5S_UNLIMITED, tf->ncounters };
	hsize_t chunk[2] = { tf->chunk_rows, tf->ncounters };
	hid_t space = H5Screate_simple(rank, dims, max);
	hid_t dcpl = dset__dcpl(rank, chunk, tf->level);
	size_t size = tf->chunk_rows * d->row_bytes;

	if (space >= 0 && dcpl >= 0)
		d->ds = H5Dcreate2(tf->file, path, type, space, H5P_DEFAULT,
				   dcpl, H5P_DEFAULT);
	schema__close(dcpl);
	schema__close(space);
	if (d->ds < 0)
		return errmsg__set(&tf->msg, -EIO, "creating %s", path);
	d->packed_cap = compressBound(size);
	d->plain = calloc(1, size);
	d->packed = malloc(d->packed_cap);
	if (!d->plain || !d->packed)
		return errmsg__set(&tf->msg, -ENOMEM, "chunk buffers of %s",
				   path);
	return 0;
}

static int create__intervals(struct trace_file *tf)
{
	hid_t type = schema__table_type(&schema__trace, true);
	int err;

	if (type < 0)
		return errmsg__set(&tf->msg, -EIO, "the type of %s",
				   SCHEMA_TRACE_INTERVALS);
	tf->iv.row_bytes = H5Tget_size(type);
	tf->iv.elem_bytes = tf->iv.row_bytes;
	err = dset__create(tf, &tf->iv, SCHEMA_TRACE_INTERVALS, type, 1);
	H5Tclose(type);
	return err ?: schema__write_units(tf->iv.ds, &schema__trace, &tf->msg);
}

static int create__counters(struct trace_file *tf,
			    const struct trace_file_opts *o)
{
	const char *units[TRACE_MAX_COUNTERS];
	int err;

	tf->ctr.row_bytes = 8 * tf->ncounters;
	tf->ctr.elem_bytes = 8;
	err = dset__create(tf, &tf->ctr, SCHEMA_TRACE_COUNTERS, H5T_STD_U64LE,
			   2);
	for (size_t i = 0; i < tf->ncounters; i++)
		units[i] = o->counter_units ? o->counter_units[i] : "count";
	if (!err)
		err = schema__write_strv(tf->ctr.ds, SCHEMA_COLUMNS_ATTR,
					 o->counter_names, tf->ncounters,
					 &tf->msg);
	if (!err)
		err = schema__write_strv(tf->ctr.ds, SCHEMA_UNITS_ATTR, units,
					 tf->ncounters, &tf->msg);
	return err;
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

static int opts__apply(struct trace_file *tf, const struct trace_file_opts *o)
{
	size_t bytes = o->buffer_bytes ?: TRACE_BUFFER_BYTES;

	tf->ncounters = o->ncounters;
	tf->chunk_rows = o->chunk_rows ?: TRACE_CHUNK_ROWS;
	tf->level = o->level ?: TRACE_LEVEL;
	tf->flush_ns = (uint64_t)(o->flush_ms ?: 1000) * 1000000u;
	if (tf->ncounters > TRACE_MAX_COUNTERS ||
	    (tf->ncounters && !o->counter_names) || tf->level < 1 ||
	    tf->level > 9 || tf->chunk_rows > (1u << 24))
		return errmsg__set(&tf->msg, -EINVAL, "invalid options");
	tf->cap = bytes / sizeof(*tf->buf) / tf->chunk_rows * tf->chunk_rows;
	if (tf->cap < 2 * tf->chunk_rows)
		tf->cap = 2 * tf->chunk_rows;
	tf->buf = malloc(tf->cap * sizeof(*tf->buf));
	if (!tf->buf)
		return errmsg__set(&tf->msg, -ENOMEM, "the buffer");
	tf->st.buffer_bytes = tf->cap * sizeof(*tf->buf);
	return 0;
}

/* Z_RLE: matches at distance 1 only, which is what shuffled planes hold
 * (runs of equal high bytes); still plain deflate for every reader. */
static int zlib__init(struct trace_file *tf)
{
	if (deflateInit2(&tf->z, tf->level, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
		return errmsg__set(&tf->msg, -ENOMEM, "zlib");
	tf->z_ready = true;
	return 0;
}

static void trace__free(struct trace_file *tf)
{
	schema__close(tf->ctr.ds);
	schema__close(tf->iv.ds);
	schema__close(tf->group);
	if (tf->file >= 0 && H5Fclose(tf->file) < 0)
		pr_warn("trace %s: closing the file failed\n", tf->path);
	if (tf->z_ready)
		deflateEnd(&tf->z);
	free(tf->iv.plain);
	free(tf->iv.packed);
	free(tf->ctr.plain);
	free(tf->ctr.packed);
	free(tf->buf);
	free(tf->path);
	free(tf);
}

static struct trace_file *trace__new(const char *path)
{
	struct trace_file *tf = calloc(1, sizeof(*tf));

	if (!tf)
		return NULL;
	tf->file = tf->group = tf->iv.ds = tf->ctr.ds = H5I_INVALID_HID;
	tf->path = strdup(path);
	if (!tf->path) {
		free(tf);
		return NULL;
	}
	return tf;
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
	err = opts__apply(tf, o ?: &none);
	if (!err)
		err = zlib__init(tf);
	if (!err)
		err = create__file(tf);
	if (!err)
		err = create__layout(tf, o ?: &none);
	if (!err && H5Fstart_swmr_write(tf->file) < 0)
		err = errmsg__set(&tf->msg, -EIO, "starting SWMR");
	if (err) {
		pr_err("trace %s: %s: %s\n", path, tf->msg.msg, strerror(-err));
		trace__free(tf);
		errno = -err;
		return NULL;
	}
	tf->last_flush = now_ns();
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
	hid_t file = H5Fopen(tf->path, H5F_ACC_RDWR, H5P_DEFAULT);
	hid_t group = H5I_INVALID_HID;
	int err;

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
	int err = tf->err ?: trace__flush(tf);
	int fin;

	schema__close(tf->ctr.ds);
	schema__close(tf->iv.ds);
	schema__close(tf->group);
	tf->ctr.ds = tf->iv.ds = tf->group = H5I_INVALID_HID;
	if (H5Fclose(tf->file) < 0 && !err)
		err = errmsg__set(&tf->msg, -EIO, "closing the SWMR file");
	tf->file = H5I_INVALID_HID;
	fin = finish__profile(tf, p);
	if (fin) {
		pr_err("trace %s: %s: %s\n", tf->path, tf->msg.msg,
		       strerror(-fin));
		err = err ?: fin;
	}
	trace__free(tf);
	return err;
}
