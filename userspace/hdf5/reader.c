// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* profile_file__read and profile__free: a profile file back in memory, checked
 * so that a foreign, newer, truncated or corrupt file is an error, not a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/array.h"
#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/profile_file.h"
#include "hdf5/schema.h"

struct reader {
	hid_t file;
	hid_t dxpl; /* dataset strings come from malloc(): profile__free */
	struct errmsg err; /* the step that failed, for the one error line */
	unsigned long long size; /* of the file, the bound of every extent */
	/* Strings allocated by the current H5Dread, so that a read failing
	 * halfway (corrupt file) can free those it made. */
	void **strings;
	size_t nstrings, capacity;
	/* a trace whose profile is not in yet (trace__unfinished) */
	bool unfinished;
};

static void *strings__alloc(size_t size, void *info)
{
	struct reader *r = info;
	void *mem;

	if (ARRAY_RESERVE(r->strings, r->capacity, r->nstrings + 1))
		return NULL;
	mem = malloc(size);
	if (mem)
		r->strings[r->nstrings++] = mem;
	return mem;
}

static void strings__release(void *mem, void *info)
{
	struct reader *r = info;

	for (size_t i = r->nstrings; i-- > 0;) {
		if (r->strings[i] == mem) {
			r->strings[i] = r->strings[--r->nstrings];
			break;
		}
	}
	free(mem);
}

/* After a read: the strings now belong to the rows (@keep), or are freed. */
static void strings__settle(struct reader *r, bool keep)
{
	for (size_t i = 0; i < r->nstrings && !keep; i++)
		free(r->strings[i]);
	r->nstrings = 0;
}

/* errno's answer first (missing, unreadable), then HDF5's signature. */
static int file__check(struct reader *r, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	int err = 0;

	if (fd < 0)
		return errmsg__set(&r->err, -errno, "%s", strerror(errno));
	if (fstat(fd, &st))
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else
		r->size = (unsigned long long)st.st_size;
	close(fd);
	if (err)
		return errmsg__set(&r->err, err, "%s", strerror(-err));
	if (H5Fis_hdf5(path) <= 0)
		return errmsg__set(&r->err, -ENOTSUP, "not an HDF5 file");
	return 0;
}

/* A trace file before its end (docs/hdf5-schema.md): /trace without
 * /meta. HDF5 opens it only as a SWMR reader while its superblock says
 * a SWMR writer has it. */
static bool trace__unfinished(hid_t file, const char *path)
{
	hid_t f = file >= 0 ? file :
			      H5Fopen(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ,
				      H5P_DEFAULT);
	bool yes = f >= 0 && H5Lexists(f, "/trace", H5P_DEFAULT) > 0 &&
		   H5Lexists(f, SCHEMA_META_GROUP, H5P_DEFAULT) <= 0;

	if (f >= 0 && f != file)
		H5Fclose(f);
	return yes;
}

/* An unfinished trace opens as a SWMR reader: its writer may still run,
 * or died with the superblock saying it writes. */
static int reader__open(struct reader *r, const char *path)
{
	r->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
	if (r->file < 0 && trace__unfinished(H5I_INVALID_HID, path))
		r->file = H5Fopen(path, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ,
				  H5P_DEFAULT);
	if (r->file < 0)
		return errmsg__set(&r->err, -EIO,
				   "corrupt or truncated HDF5 file");
	r->unfinished = trace__unfinished(r->file, NULL);
	r->dxpl = H5Pcreate(H5P_DATASET_XFER);
	if (r->dxpl < 0 || H5Pset_vlen_mem_manager(r->dxpl, strings__alloc, r,
						   strings__release, r) < 0)
		return errmsg__set(&r->err, -EIO, "cannot set up HDF5 reads");
	return 0;
}

/* Attribute @name of @loc if it holds one value of class @cls; its type
 * goes to @type. */
static hid_t attr__open(struct reader *r, hid_t loc, const char *name,
			H5T_class_t cls, hid_t *type)
{
	hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
	hid_t space = attr >= 0 ? H5Aget_space(attr) : H5I_INVALID_HID;
	bool ok;

	*type = attr >= 0 ? H5Aget_type(attr) : H5I_INVALID_HID;
	ok = space >= 0 && *type >= 0 &&
	     H5Sget_simple_extent_npoints(space) == 1 &&
	     H5Tget_class(*type) == cls;
	schema__close(space);
	if (ok)
		return attr;
	errmsg__set(&r->err, -EIO,
		    attr < 0 ? "no attribute %s" :
			       "attribute %s has the wrong type",
		    name);
	schema__close(*type);
	schema__close(attr);
	return H5I_INVALID_HID;
}

/* A memory string type in the file's character set; @size 0: variable. */
static hid_t str_mem_type(hid_t ftype, size_t size)
{
	hid_t mem = H5Tcopy(H5T_C_S1);

	if (mem < 0)
		return H5I_INVALID_HID;
	if (H5Tset_size(mem, size ?: H5T_VARIABLE) < 0 ||
	    H5Tset_cset(mem, H5Tget_cset(ftype)) < 0) {
		H5Tclose(mem);
		return H5I_INVALID_HID;
	}
	return mem;
}

static int attr__read_vlen(hid_t attr, hid_t mem, char **out)
{
	char *s = NULL;
	int err = -EIO;

	if (H5Aread(attr, mem, &s) >= 0) {
		*out = strdup(s ?: "");
		err = *out ? 0 : -ENOMEM;
	}
	if (s)
		H5free_memory(s);
	return err;
}

static int attr__read_fixed(hid_t attr, hid_t mem, size_t size, char **out)
{
	char *s = calloc(1, size);

	if (!s)
		return -ENOMEM;
	if (H5Aread(attr, mem, s) < 0) {
		free(s);
		return -EIO;
	}
	*out = s;
	return 0;
}

/* Variable-length strings (ours) or fixed-length ones (other writers may
 * use them) to a malloc'd copy. */
static int attr__read_str(hid_t attr, hid_t ftype, char **out)
{
	bool vlen = H5Tis_variable_str(ftype) > 0;
	size_t size = vlen ? 0 : H5Tget_size(ftype) + 1; /* room for a NUL */
	hid_t mem = str_mem_type(ftype, size);
	int err = -EIO;

	if (mem >= 0)
		err = vlen ? attr__read_vlen(attr, mem, out) :
			     attr__read_fixed(attr, mem, size, out);
	schema__close(mem);
	return err;
}

static int attr__read(struct reader *r, hid_t loc, const char *name,
		      enum schema_kind kind, void *out)
{
	hid_t type, mem = H5I_INVALID_HID;
	hid_t attr = attr__open(r, loc, name,
				kind == SCHEMA_STR ? H5T_STRING : H5T_INTEGER,
				&type);
	int err = -EIO;

	if (attr < 0)
		return err;
	if (kind == SCHEMA_STR) {
		err = attr__read_str(attr, type, out);
	} else {
		mem = schema__kind_type(kind, false);
		if (mem >= 0 && H5Aread(attr, mem, out) >= 0)
			err = 0;
	}
	if (err)
		errmsg__set(&r->err, err, "cannot read attribute %s", name);
	schema__close(mem);
	schema__close(type);
	schema__close(attr);
	return err;
}

static int read__schema(struct reader *r)
{
	char *name = NULL;
	uint32_t version = 0;
	int err = -ENOTSUP;

	if (H5Aexists(r->file, "schema") > 0 &&
	    attr__read(r, r->file, "schema", SCHEMA_STR, &name)) {
		/* there, but unreadable: damage, not a foreign file */
		err = errmsg__set(&r->err, -EIO,
				  "corrupt file: cannot read "
				  "its schema attribute");
		goto cleanup;
	}
	if (!name || strcmp(name, PROFILE_SCHEMA_NAME)) {
		errmsg__set(&r->err, err,
			    "not a scope-bpf profile (no schema "
			    "attribute \"%s\")",
			    PROFILE_SCHEMA_NAME);
		goto cleanup;
	}
	if (attr__read(r, r->file, "schema_version", SCHEMA_U32, &version) ||
	    !version) {
		errmsg__set(&r->err, err,
			    "not a scope-bpf profile (no valid "
			    "schema_version)");
		goto cleanup;
	}
	if (version > PROFILE_SCHEMA_VERSION) {
		errmsg__set(&r->err, err,
			    "schema version %u: written by a newer "
			    "scope-bpf (this one reads up to %d)",
			    version, PROFILE_SCHEMA_VERSION);
		goto cleanup;
	}
	err = 0;
cleanup:
	free(name);
	return err;
}

/* A field the meta table marks as added later, absent from an older file:
 * it reads 0 or "" there rather than the file being refused. */
static bool reader__absent_field(hid_t group, const struct schema_field *f)
{
	return f->later && H5Aexists(group, f->name) == 0;
}

static int reader__zero(struct reader *r, void *field, enum schema_kind kind)
{
	if (kind != SCHEMA_STR) {
		memset(field, 0, sizeof(uint64_t));
		return 0;
	}
	*(char **)field = strdup("");
	return *(char **)field ? 0 : errmsg__set(&r->err, -ENOMEM, "no memory");
}

/* /meta, or an unfinished trace's /trace/start (all fields absent in
 * traces from before it: zeros and empty strings). */
static int read__meta(struct reader *r, struct profile_meta *m)
{
	const char *path =
		r->unfinished ? SCHEMA_TRACE_START : SCHEMA_META_GROUP;
	bool none = r->unfinished && H5Lexists(r->file, path, H5P_DEFAULT) <= 0;
	hid_t group =
		none ? H5I_INVALID_HID : H5Gopen2(r->file, path, H5P_DEFAULT);
	struct schema_field f;
	int err = 0;

	if (group < 0 && !none)
		return errmsg__set(&r->err, -EIO, "no group %s", path);
	for (size_t i = 0; !err && schema__meta_field(i, &f); i++) {
		if (none || reader__absent_field(group, &f))
			err = reader__zero(r, (char *)m + f.offset, f.kind);
		else
			err = attr__read(r, group, f.name, f.kind,
					 (char *)m + f.offset);
	}
	schema__close(group);
	return err;
}

/* Dataset @path if it has @rank dimensions, which go to @dims. */
static hid_t dataset__open(struct reader *r, const char *path, int rank,
			   hsize_t *dims)
{
	hid_t ds = H5Dopen2(r->file, path, H5P_DEFAULT);
	hid_t space = ds >= 0 ? H5Dget_space(ds) : H5I_INVALID_HID;
	bool ok = space >= 0 && H5Sget_simple_extent_ndims(space) == rank &&
		  H5Sget_simple_extent_dims(space, dims, NULL) == rank;

	schema__close(space);
	if (ok)
		return ds;
	errmsg__set(&r->err, -EIO,
		    ds < 0 ? "no dataset %s" : "dataset %s has the wrong shape",
		    path);
	schema__close(ds);
	return H5I_INVALID_HID;
}

/* The most that deflate (the one filter HDF5 builds in that shrinks data)
 * can shrink data by: zlib's documented limit is 1032:1. */
#define DEFLATE_MAX_RATIO 1032

/* Elements of @dims (@rank of them) to @n; false past ULLONG_MAX. */
static bool dims__count(int rank, const hsize_t *dims, unsigned long long *n)
{
	*n = 1;
	for (int i = 0; i < rank; i++) {
		if (dims[i] && *n > ULLONG_MAX / dims[i])
			return false;
		*n *= dims[i];
	}
	return true;
}

/* Whether a chunked dataset's chunks fit in its extent: a corrupt chunk
 * size would have HDF5 allocate it whole for each read. */
static bool chunks__sane(hid_t dcpl, int rank, const hsize_t *dims)
{
	hsize_t chunk[2];

	if (H5Pget_layout(dcpl) != H5D_CHUNKED)
		return true;
	if (rank > 2 || H5Pget_chunk(dcpl, rank, chunk) != rank)
		return false;
	for (int i = 0; i < rank; i++) {
		if (!chunk[i] || chunk[i] > (dims[i] ?: 1))
			return false;
	}
	return true;
}

/* A dataset claiming more rows than the file's bytes can hold is corrupt:
 * checked before anything is allocated for it, so that one flipped bit in
 * an extent costs an error line, not gigabytes. */
static int dataset__check_extent(struct reader *r, hid_t ds, const char *path,
				 int rank, const hsize_t *dims)
{
	hid_t type = H5Dget_type(ds), dcpl = H5Dget_create_plist(ds);
	size_t elem = type >= 0 ? H5Tget_size(type) : 0;
	int nfilters = dcpl >= 0 ? H5Pget_nfilters(dcpl) : -1;
	unsigned long long n, bound = r->size;
	bool ok = elem > 0 && nfilters >= 0 && dims__count(rank, dims, &n);

	if (ok && nfilters > 0)
		bound = r->size > ULLONG_MAX / DEFLATE_MAX_RATIO ?
				ULLONG_MAX :
				r->size * DEFLATE_MAX_RATIO;
	ok = ok && n <= bound / elem && chunks__sane(dcpl, rank, dims);
	schema__close(dcpl);
	schema__close(type);
	if (ok)
		return 0;
	return errmsg__set(&r->err, -EIO,
			   "corrupt file: dataset %s claims "
			   "more data than the file's %llu bytes hold",
			   path, r->size);
}

/* HDF5 1.10 trusts member offsets when it converts rows: a corrupt one
 * would make it copy out of bounds. */
static bool compound__sane(hid_t type)
{
	size_t size = H5Tget_size(type);
	int n = H5Tget_nmembers(type);
	bool ok = size > 0 && n > 0;

	for (int i = 0; i < n && ok; i++) {
		hid_t member = H5Tget_member_type(type, i);
		size_t off = H5Tget_member_offset(type, i);
		size_t msize = member >= 0 ? H5Tget_size(member) : 0;

		ok = msize > 0 && off < size && msize <= size - off;
		schema__close(member);
	}
	return ok;
}

/* Fields added to a table later: a file from before has none, and HDF5
 * leaves them as read__table's calloc made them, 0. */
static bool field__later(const struct schema_table *t,
			 const struct schema_field *f)
{
	return t == &schema__stats && !strcmp(f->name, "child_calls");
}

/* HDF5 leaves a field the file lacks untouched: catch it here instead. */
static int dataset__check_fields(struct reader *r, hid_t ds,
				 const struct schema_table *t)
{
	hid_t type = H5Dget_type(ds);
	bool ok = type >= 0 && H5Tget_class(type) == H5T_COMPOUND &&
		  compound__sane(type);

	for (size_t i = 0; i < t->nfields && ok; i++)
		ok = field__later(t, &t->fields[i]) ||
		     H5Tget_member_index(type, t->fields[i].name) >= 0;
	schema__close(type);
	if (ok)
		return 0;
	return errmsg__set(&r->err, -EIO,
			   "dataset %s lacks fields of schema %d", t->path,
			   PROFILE_SCHEMA_VERSION);
}

/* A nil string in the file reads as NULL: make every string one to use. */
static int strings__fill(const struct schema_table *t, void *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < t->nfields; j++) {
			char **s = (char **)((char *)rows + i * t->size +
					     t->fields[j].offset);

			if (t->fields[j].kind != SCHEMA_STR || *s)
				continue;
			*s = strdup("");
			if (!*s)
				return -ENOMEM;
		}
	}
	return 0;
}

static int read__table(struct reader *r, const struct schema_table *t,
		       void **rows, size_t *n)
{
	hid_t mem = H5I_INVALID_HID;
	hsize_t dims[1];
	hid_t ds = dataset__open(r, t->path, 1, dims);
	void *buf = NULL;
	int err = -EIO;

	if (ds < 0 || dataset__check_extent(r, ds, t->path, 1, dims) ||
	    dataset__check_fields(r, ds, t))
		goto cleanup;
	buf = calloc(dims[0] ?: 1, t->size);
	if (!buf) {
		err = errmsg__set(&r->err, -ENOMEM, "%llu rows in %s",
				  (unsigned long long)dims[0], t->path);
		goto cleanup;
	}
	mem = schema__table_type(t, false);
	if (dims[0] &&
	    (mem < 0 || H5Dread(ds, mem, H5S_ALL, H5S_ALL, r->dxpl, buf) < 0)) {
		strings__settle(r, false);
		errmsg__set(&r->err, err, "cannot read %s (corrupt file?)",
			    t->path);
		goto cleanup;
	}
	strings__settle(r, true);
	*rows = buf;
	*n = dims[0];
	buf = NULL;
	err = strings__fill(t, *rows, *n);
	if (err)
		errmsg__set(&r->err, err, "copying strings of %s", t->path);
cleanup:
	free(buf);
	schema__close(mem);
	schema__close(ds);
	return err;
}

/* Dataset @path, [n x ncols], into the @ncols uint64_t columns at byte
 * @offset of the @n rows of @row_bytes at @s: one row per row. */
static int read__rows_matrix(struct reader *r, const char *path, void *s,
			     size_t n, size_t row_bytes, size_t offset,
			     size_t ncols)
{
	hsize_t dims[2];
	hid_t ds = dataset__open(r, path, 2, dims);
	hid_t mem = H5I_INVALID_HID;
	int err = -EIO;

	if (ds < 0 || dataset__check_extent(r, ds, path, 2, dims))
		goto cleanup;
	if (dims[0] != n || dims[1] != ncols) {
		errmsg__set(&r->err, err, "%s is %llu x %llu, not %zu x %zu",
			    path, (unsigned long long)dims[0],
			    (unsigned long long)dims[1], n, ncols);
		goto cleanup;
	}
	mem = n ? schema__rows_memspace(n, row_bytes, offset, ncols) :
		  H5I_INVALID_HID;
	if (n && (mem < 0 || H5Dread(ds, H5T_NATIVE_UINT64, mem, H5S_ALL,
				     H5P_DEFAULT, s) < 0)) {
		errmsg__set(&r->err, err, "cannot read %s (corrupt file?)",
			    path);
		goto cleanup;
	}
	err = 0;
cleanup:
	schema__close(mem);
	schema__close(ds);
	return err;
}

/* The same into the @n stats rows at @s: one row per /stats row. */
static int read__matrix(struct reader *r, const char *path,
			struct region_stats *s, size_t n, size_t offset,
			size_t ncols)
{
	return read__rows_matrix(r, path, s, n, sizeof(*s), offset, ncols);
}

/* Column j of the matrices is /counters row j: rows out of that order, or
 * more than the stats rows have room for, are damage. */
static int counters__check(struct reader *r, const struct profile *p)
{
	if (p->ncounters > PROFILE_MAX_COUNTERS)
		return errmsg__set(&r->err, -EIO,
				   "corrupt file: %zu counters in %s, at "
				   "most %d",
				   p->ncounters, schema__counters.path,
				   PROFILE_MAX_COUNTERS);
	for (size_t i = 0; i < p->ncounters; i++) {
		if (p->counters[i].index != i)
			return errmsg__set(&r->err, -EIO,
					   "corrupt file: row %zu of %s has "
					   "index %u",
					   i, schema__counters.path,
					   p->counters[i].index);
	}
	return 0;
}

/* /counters and its matrices, in files with counters; a file without
 * /counters (no counters asked, or an agent from before them) has none. */
static int read__counters(struct reader *r, struct profile *p)
{
	htri_t there = H5Lexists(r->file, schema__counters.path, H5P_DEFAULT);
	void *rows = NULL;
	int err;

	if (there < 0)
		return errmsg__set(&r->err, -EIO,
				   "corrupt file: cannot look for %s",
				   schema__counters.path);
	if (!there)
		return 0;
	err = read__table(r, &schema__counters, &rows, &p->ncounters);
	p->counters = rows;
	if (!err)
		err = counters__check(r, p);
	if (!err && p->ncounters)
		err = read__matrix(r, SCHEMA_COUNTER_INCL, p->stats, p->nstats,
				   offsetof(struct region_stats, counter_incl),
				   p->ncounters);
	if (!err && p->ncounters)
		err = read__matrix(r, SCHEMA_COUNTER_SELF, p->stats, p->nstats,
				   offsetof(struct region_stats, counter_self),
				   p->ncounters);
	return err;
}

/* The paths' counter matrices, in files with counters from the agents
 * that added them; one without them reads its paths without counters. */
static int read__path_counters(struct reader *r, struct profile *p)
{
	htri_t there;
	int err;

	if (!p->ncounters)
		return 0;
	there = H5Lexists(r->file, SCHEMA_PATH_COUNTER_SELF, H5P_DEFAULT);
	if (there < 0)
		return errmsg__set(&r->err, -EIO,
				   "corrupt file: cannot look for %s",
				   SCHEMA_PATH_COUNTER_SELF);
	if (!there)
		return 0;
	err = read__rows_matrix(r, SCHEMA_PATH_COUNTER_INCL, p->paths,
				p->npaths, sizeof(*p->paths),
				offsetof(struct path_stats, counter_incl),
				p->ncounters);
	if (!err)
		err = read__rows_matrix(
			r, SCHEMA_PATH_COUNTER_SELF, p->paths, p->npaths,
			sizeof(*p->paths),
			offsetof(struct path_stats, counter_self),
			p->ncounters);
	p->paths_counted = !err;
	return err;
}

/* /paths, in files from agents that aggregate per call path. */
static int read__paths(struct reader *r, struct profile *p)
{
	htri_t there = H5Lexists(r->file, schema__paths.path, H5P_DEFAULT);
	void *rows = NULL;
	int err;

	if (there < 0)
		return errmsg__set(&r->err, -EIO,
				   "corrupt file: cannot look for %s",
				   schema__paths.path);
	if (!there)
		return 0;
	err = read__table(r, &schema__paths, &rows, &p->npaths);
	p->paths = rows;
	return err ?: read__path_counters(r, p);
}

static int read__tables(struct reader *r, struct profile *p)
{
	void *rows = NULL;
	int err;

	err = read__table(r, &schema__regions, &rows, &p->regions.n);
	p->regions.v = rows;
	rows = NULL;
	if (!err)
		err = read__table(r, &schema__threads, &rows, &p->nthreads);
	p->threads = rows;
	rows = NULL;
	if (!err)
		err = read__table(r, &schema__stats, &rows, &p->nstats);
	p->stats = rows;
	if (!err)
		err = read__matrix(r, SCHEMA_HIST_DATASET, p->stats, p->nstats,
				   offsetof(struct region_stats, hist),
				   PROFILE_HIST_BUCKETS);
	if (!err)
		err = read__counters(r, p);
	if (!err)
		err = read__paths(r, p);
	return err;
}

int profile_file__read(struct profile *p, const char *path)
{
	struct reader r = { .file = H5I_INVALID_HID, .dxpl = H5I_INVALID_HID };
	int err;

	memset(p, 0, sizeof(*p));
	schema__quiet();
	err = file__check(&r, path);
	if (!err)
		err = reader__open(&r, path);
	if (!err)
		err = read__schema(&r);
	if (!err)
		err = read__meta(&r, &p->meta);
	if (!err && !r.unfinished)
		err = read__tables(&r, p);
	schema__close(r.dxpl);
	free(r.strings);
	if (r.file >= 0)
		H5Fclose(r.file);
	/* its tables are the trace's intervals: the caller's to fold */
	p->meta.unfinished = !err && r.unfinished;
	if (err) {
		pr_err("%s: %s\n", path, r.err.msg);
		profile__free(p);
	}
	return err;
}
