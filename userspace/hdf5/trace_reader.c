// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* trace_reader__*: the intervals of a trace file read back in pieces, from
 * a finished file, one still written (SWMR), or one whose writer died. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/schema.h"
#include "hdf5/trace_file.h"

/* The chunk cache holds this many chunks of each dataset: a read that
 * stops inside a chunk finds it again without inflating it twice. */
#define READER_CACHE_CHUNKS 2
/* a chunk larger than this is a damaged file, not a trace */
#define READER_MAX_CHUNK_BYTES (64u << 20)

struct trace_reader {
	hid_t file, iv, ctr, mtype;
	bool swmr;     /* opened as a SWMR reader: refresh sees more */
	bool finished; /* /meta is in: no writer, nothing torn */
	bool quiet;    /* read errors not said: the caller tries again */
	size_t ncounters;
	uint64_t next, rows;
	struct errmsg msg;
};

/* Opened as a SWMR reader when the file allows it (superblock 3, which
 * every trace file has), so that a file still written is read too. */
static int reader__open_file(struct trace_reader *r, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return errmsg__set(&r->msg, -errno, "%s", strerror(errno));
	if (H5Fis_hdf5(path) <= 0)
		return errmsg__set(&r->msg, -ENOTSUP, "not an HDF5 file");
	r->file =
		H5Fopen(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
	r->swmr = r->file >= 0;
	if (r->file < 0)
		r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	if (r->file < 0)
		return errmsg__set(&r->msg, -EIO,
				   "corrupt or truncated HDF5 file");
	return 0;
}

static int reader__check_version(struct trace_reader *r)
{
	hid_t attr = H5Aopen(r->file, "schema_version", H5P_DEFAULT);
	uint32_t version = 0;
	herr_t ok = -1;

	if (attr >= 0)
		ok = H5Aread(attr, H5T_NATIVE_UINT32, &version);
	schema__close(attr);
	if (ok < 0 || !version)
		return errmsg__set(&r->msg, -ENOTSUP,
				   "not a scope-bpf profile");
	if (version > PROFILE_SCHEMA_VERSION)
		return errmsg__set(&r->msg, -ENOTSUP,
				   "schema version %u: written by a newer "
				   "scope-bpf (this one reads up to %d)",
				   version, PROFILE_SCHEMA_VERSION);
	return 0;
}

/* A dataset access list whose cache holds READER_CACHE_CHUNKS chunks. */
static hid_t dset__open(struct trace_reader *r, const char *path, int rank)
{
	hid_t ds = H5Dopen2(r->file, path, H5P_DEFAULT);
	hid_t dcpl = ds >= 0 ? H5Dget_create_plist(ds) : H5I_INVALID_HID;
	hid_t type = ds >= 0 ? H5Dget_type(ds) : H5I_INVALID_HID;
	hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
	hid_t dapl = H5I_INVALID_HID;
	hsize_t chunk[2] = { 0, 1 };
	bool ok = dcpl >= 0 && type >= 0 && space >= 0 &&
		  H5Sget_simple_extent_ndims(space) == rank &&
		  H5Pget_chunk(dcpl, rank, chunk) == rank;
	size_t bytes =
		ok ? chunk[0] * (rank == 2 ? chunk[1] : 1) * H5Tget_size(type) :
		     0;

	schema__close(space);
	schema__close(type);
	schema__close(dcpl);
	schema__close(ds);
	if (!ok || !bytes || bytes > READER_MAX_CHUNK_BYTES) {
		errmsg__set(&r->msg, -EIO, "dataset %s is damaged", path);
		return H5I_INVALID_HID;
	}
	dapl = H5Pcreate(H5P_DATASET_ACCESS);
	if (dapl >= 0 &&
	    H5Pset_chunk_cache(dapl, 521, READER_CACHE_CHUNKS * bytes, 1.0) >=
		    0)
		ds = H5Dopen2(r->file, path, dapl);
	else
		ds = H5I_INVALID_HID;
	schema__close(dapl);
	if (ds < 0)
		errmsg__set(&r->msg, -EIO, "opening %s", path);
	return ds;
}

/* Every field the reader fills must be in the file's rows. */
static int reader__check_fields(struct trace_reader *r)
{
	hid_t type = H5Dget_type(r->iv);
	bool ok = type >= 0 && H5Tget_class(type) == H5T_COMPOUND;

	for (size_t i = 0; ok && i < schema__trace.nfields; i++)
		ok = H5Tget_member_index(type, schema__trace.fields[i].name) >=
		     0;
	schema__close(type);
	if (!ok)
		return errmsg__set(&r->msg, -EIO, "%s lacks fields",
				   SCHEMA_TRACE_INTERVALS);
	r->mtype = schema__table_type(&schema__trace, false);
	if (r->mtype < 0)
		return errmsg__set(&r->msg, -EIO, "making the row type");
	return 0;
}

static int reader__open_counters(struct trace_reader *r)
{
	hsize_t dims[2];
	hid_t space;
	int ndims;

	if (H5Lexists(r->file, SCHEMA_TRACE_COUNTERS, H5P_DEFAULT) <= 0)
		return 0;
	r->ctr = dset__open(r, SCHEMA_TRACE_COUNTERS, 2);
	if (r->ctr < 0)
		return -EIO;
	space = H5Dget_space(r->ctr);
	ndims = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
	schema__close(space);
	if (ndims != 2 || dims[1] > TRACE_MAX_COUNTERS)
		return errmsg__set(&r->msg, -EIO, "%s has a bad shape",
				   SCHEMA_TRACE_COUNTERS);
	r->ncounters = dims[1];
	return 0;
}

static int reader__open_trace(struct trace_reader *r)
{
	if (H5Lexists(r->file, SCHEMA_TRACE_GROUP, H5P_DEFAULT) <= 0 ||
	    H5Lexists(r->file, SCHEMA_TRACE_INTERVALS, H5P_DEFAULT) <= 0)
		return errmsg__set(&r->msg, -ENODATA,
				   "no trace in it (run with --trace)");
	r->iv = dset__open(r, SCHEMA_TRACE_INTERVALS, 1);
	if (r->iv < 0)
		return -EIO;
	return reader__check_fields(r) ?: reader__open_counters(r);
}

void trace_reader__free(struct trace_reader *r)
{
	if (!r)
		return;
	schema__close(r->mtype);
	schema__close(r->ctr);
	schema__close(r->iv);
	schema__close(r->file);
	free(r);
}

struct trace_reader *trace_reader__open(const char *path)
{
	struct trace_reader *r = calloc(1, sizeof(*r));
	uint64_t n;
	int err;

	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	r->file = r->iv = r->ctr = r->mtype = H5I_INVALID_HID;
	schema__quiet();
	err = reader__open_file(r, path);
	if (!err)
		err = reader__check_version(r);
	if (!err)
		err = reader__open_trace(r);
	if (!err)
		err = trace_reader__refresh(r, &n);
	r->finished = !err && trace_reader__finished(r);
	if (err) {
		pr_err("cannot read the trace %s: %s\n", path, r->msg.msg);
		trace_reader__free(r);
		errno = -err;
		return NULL;
	}
	return r;
}

static int extent__rows(hid_t ds, uint64_t *rows)
{
	hid_t space = H5Dget_space(ds);
	hsize_t dims[2];
	int ndims =
		space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;

	schema__close(space);
	if (ndims < 1)
		return -EIO;
	*rows = dims[0];
	return 0;
}

/* The smaller extent: the writer extends the counters first, but HDF5
 * may put the intervals' on disk first all the same. */
int trace_reader__refresh(struct trace_reader *r, uint64_t *n)
{
	uint64_t iv = 0, ctr = UINT64_MAX;

	if (r->swmr &&
	    (H5Drefresh(r->iv) < 0 || (r->ctr >= 0 && H5Drefresh(r->ctr) < 0)))
		return errmsg__set(&r->msg, -EIO, "refreshing the trace");
	if (extent__rows(r->iv, &iv) ||
	    (r->ctr >= 0 && extent__rows(r->ctr, &ctr)))
		return errmsg__set(&r->msg, -EIO, "reading the extents");
	r->rows = iv < ctr ? iv : ctr;
	*n = r->rows;
	return 0;
}

/* Rows [first, first + n) of @ds into @mem. */
static int rows__read(hid_t ds, hid_t mtype, hid_t mem, uint64_t first,
		      size_t n, size_t ncols, void *buf)
{
	hsize_t start[2] = { first, 0 }, count[2] = { n, ncols };
	hid_t file = H5Dget_space(ds);
	int err = -EIO;

	if (file >= 0 &&
	    H5Sselect_hyperslab(file, H5S_SELECT_SET, start, NULL, count,
				NULL) >= 0 &&
	    H5Dread(ds, mtype, mem, file, H5P_DEFAULT, buf) >= 0)
		err = 0;
	schema__close(file);
	return err;
}

/* The counters straight into the rows: an [n x words] view of them. */
static int counters__read(struct trace_reader *r, struct trace_interval *v,
			  size_t n)
{
	const hsize_t words = sizeof(*v) / sizeof(uint64_t);
	hsize_t dims[2] = { n, words };
	hsize_t start[2] = { 0, offsetof(struct trace_interval, counters) /
					sizeof(uint64_t) };
	hsize_t count[2] = { n, r->ncounters };
	hid_t mem = H5Screate_simple(2, dims, NULL);
	int err = -EIO;

	if (mem >= 0 && H5Sselect_hyperslab(mem, H5S_SELECT_SET, start, NULL,
					    count, NULL) >= 0)
		err = rows__read(r->ctr, H5T_NATIVE_UINT64, mem, r->next, n,
				 r->ncounters, v);
	schema__close(mem);
	return err;
}

/* A writer killed between growing the extent and storing that chunk
 * (a window of one chunk write, if HDF5 wrote the extent out then) leaves
 * rows of zeros, a time no interval has: the readable rows end there. */
static size_t rows__torn(struct trace_reader *r, struct trace_interval *v,
			 size_t n)
{
	if (r->finished)
		return n;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].start_ns && !v[i].end_ns) {
			r->rows = r->next + i;
			return i;
		}
	}
	return n;
}

ssize_t trace_reader__read(struct trace_reader *r, struct trace_interval *v,
			   size_t max)
{
	size_t n = r->rows - r->next < max ? r->rows - r->next : max;
	hsize_t dims[1] = { n };
	hid_t mem;
	int err = 0;

	if (!n)
		return 0;
	/* HDF5 leaves the members the file lacks as they were */
	memset(v, 0, n * sizeof(*v));
	mem = H5Screate_simple(1, dims, NULL);
	if (mem < 0 || rows__read(r->iv, r->mtype, mem, r->next, n, 1, v))
		err = errmsg__set(&r->msg, -EIO, "reading %s",
				  SCHEMA_TRACE_INTERVALS);
	schema__close(mem);
	if (!err && r->ncounters && counters__read(r, v, n))
		err = errmsg__set(&r->msg, -EIO, "reading %s",
				  SCHEMA_TRACE_COUNTERS);
	if (err) {
		if (!r->quiet)
			pr_err("trace: %s\n", r->msg.msg);
		return err;
	}
	n = rows__torn(r, v, n);
	r->next += n;
	return n;
}

int trace_reader__each(struct trace_reader *r, struct trace_interval *buf,
		       size_t max,
		       int (*fn)(void *ctx, struct trace_interval *v, size_t n),
		       void *ctx)
{
	ssize_t got = 0;
	uint64_t n;
	int err = trace_reader__refresh(r, &n);

	while (!err && (got = trace_reader__read(r, buf, max)) > 0)
		err = fn(ctx, buf, (size_t)got);
	return err ?: (got < 0 ? (int)got : 0);
}

void trace_reader__quiet(struct trace_reader *r, bool quiet)
{
	r->quiet = quiet;
}

size_t trace_reader__ncounters(const struct trace_reader *r)
{
	return r->ncounters;
}

int trace_reader__finished(const struct trace_reader *r)
{
	return H5Lexists(r->file, SCHEMA_META_GROUP, H5P_DEFAULT) > 0;
}

int trace_reader__seek(struct trace_reader *r, uint64_t row)
{
	uint64_t n;
	int err = trace_reader__refresh(r, &n);

	if (err)
		return err;
	r->next = row < r->rows ? row : r->rows;
	return 0;
}

/* @path for a quick look, quietly: as a SWMR reader (a trace still
 * written, or left by a killed writer), else plainly. */
static hid_t file__peek(const char *path)
{
	hid_t file;

	schema__quiet();
	file = H5Fopen(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, H5P_DEFAULT);
	return file >= 0 ? file : H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
}

int trace_file__has_trace(const char *path)
{
	hid_t file = file__peek(path);
	int has;

	if (file < 0)
		return -EIO;
	has = H5Lexists(file, SCHEMA_TRACE_GROUP, H5P_DEFAULT) > 0 &&
	      H5Lexists(file, SCHEMA_TRACE_INTERVALS, H5P_DEFAULT) > 0;
	H5Fclose(file);
	return has;
}

int trace_file__is_finished(const char *path)
{
	hid_t file = file__peek(path);
	int done;

	if (file < 0)
		return -EIO;
	done = H5Lexists(file, SCHEMA_META_GROUP, H5P_DEFAULT) > 0;
	H5Fclose(file);
	return done;
}

/* One row of a region table as this reader needs it. */
struct region_name {
	uint32_t id;
	char *name;
};

static hid_t region_name__type(void)
{
	hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(struct region_name));
	/* the writer's string type: HDF5 converts no character set */
	hid_t str = schema__kind_type(SCHEMA_STR, false);

	if (t < 0 || str < 0 ||
	    H5Tinsert(t, "id", offsetof(struct region_name, id),
		      H5T_NATIVE_UINT32) < 0 ||
	    H5Tinsert(t, "name", offsetof(struct region_name, name), str) < 0) {
		schema__close(t);
		t = H5I_INVALID_HID;
	}
	schema__close(str);
	return t;
}

/* Names by id from @rows into a new array of @n (ids past the largest
 * are NULL). */
static int names__index(const struct region_name *rows, size_t nrows,
			char ***names, size_t *n)
{
	size_t max = 0;

	for (size_t i = 0; i < nrows; i++)
		if (rows[i].id + 1 > max)
			max = rows[i].id + 1;
	if (max > TRACE_MAX_REGION_NAMES)
		return -EIO;
	*names = calloc(max ?: 1, sizeof(**names));
	if (!*names)
		return -ENOMEM;
	*n = max;
	for (size_t i = 0; i < nrows; i++) {
		(*names)[rows[i].id] = strdup(rows[i].name ? rows[i].name : "");
		if (!(*names)[rows[i].id])
			return -ENOMEM;
	}
	return 0;
}

int trace_reader__region_names(struct trace_reader *r, char ***names, size_t *n)
{
	const char *path =
		H5Lexists(r->file, "/trace/regions", H5P_DEFAULT) > 0 ?
			"/trace/regions" :
			"/regions";
	hid_t ds = H5Dopen2(r->file, path, H5P_DEFAULT);
	hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
	hid_t type = region_name__type();
	hssize_t rows = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
	struct region_name *v = NULL;
	int err = -EIO;

	*names = NULL;
	*n = 0;
	if (rows >= 0 && rows <= TRACE_MAX_REGION_NAMES && type >= 0)
		v = calloc(rows ?: 1, sizeof(*v));
	if (v && H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0) {
		err = names__index(v, rows, names, n);
		H5Dvlen_reclaim(type, space, H5P_DEFAULT, v);
	}
	free(v);
	schema__close(type);
	schema__close(space);
	schema__close(ds);
	return err;
}
