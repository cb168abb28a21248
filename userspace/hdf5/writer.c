// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* profile_file__write: a profile to an HDF5 image in memory, which
 * output/file.c puts on disk. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/profile_file.h"
#include "hdf5/schema.h"
#include "output/file.h"

#ifndef SCOPE_BPF_TOOL_VERSION
#define SCOPE_BPF_TOOL_VERSION "unknown"
#endif

#define IMAGE_INCREMENT	  (1 << 20)
#define MATRIX_CHUNK_ROWS 1024

static const char hist_description[] =
	"row i is the log2 histogram of the durations of /stats row i: "
	"column b counts the calls whose duration d (ns) has floor(log2(d)) == b; "
	"d = 0 counts in column 0";

static const char counter_incl_description[] =
	"row i holds the counters of /stats row i summed over its calls: "
	"column j is /counters row j, counted from the region's BEGIN to its "
	"END (nested regions included)";
static const char counter_self_description[] =
	"row i holds the counters of /stats row i summed over its calls, "
	"without what its directly nested regions counted: column j is "
	"/counters row j";
static const char path_counter_incl_description[] =
	"row i holds the counters of /paths row i summed over its calls: "
	"column j is /counters row j, counted from the region's BEGIN to its "
	"END (nested regions included)";
static const char path_counter_self_description[] =
	"row i holds the counters of /paths row i summed over its calls, "
	"without what its directly nested regions counted: column j is "
	"/counters row j";

/* every cell of /stats_hist counts calls */
static const char *const hist_units = "count";

struct writer {
	hid_t file;
	struct errmsg err; /* the step that failed, for the one error line */
};

/* Scalar attribute; @value points to the C value (a char * for strings). */
static int attr__write(struct writer *w, hid_t loc, const char *name,
		       enum schema_kind kind, const void *value)
{
	hid_t ftype = schema__kind_type(kind, true);
	hid_t mtype = schema__kind_type(kind, false);
	hid_t space = H5Screate(H5S_SCALAR);
	hid_t attr = H5I_INVALID_HID;
	int err = 0;

	if (ftype >= 0 && mtype >= 0 && space >= 0)
		attr = H5Acreate2(loc, name, ftype, space, H5P_DEFAULT,
				  H5P_DEFAULT);
	if (attr < 0 || H5Awrite(attr, mtype, value) < 0)
		err = errmsg__set(&w->err, -EIO, "writing attribute %s", name);
	schema__close(attr);
	schema__close(space);
	schema__close(mtype);
	schema__close(ftype);
	return err;
}

static int write__field(struct writer *w, hid_t loc,
			const struct schema_field *f, const void *base)
{
	const void *value = (const char *)base + f->offset;
	const char *str;

	if (f->kind == SCHEMA_STR) {
		str = *(char *const *)value ?: "";
		value = &str;
	}
	return attr__write(w, loc, f->name, f->kind, value);
}

static int write__root(struct writer *w, uint32_t version)
{
	const char *schema = PROFILE_SCHEMA_NAME;
	const char *tool = SCOPE_BPF_TOOL_VERSION;
	int err;

	err = attr__write(w, w->file, "schema", SCHEMA_STR, &schema);
	if (!err)
		err = attr__write(w, w->file, "schema_version", SCHEMA_U32,
				  &version);
	if (!err)
		err = attr__write(w, w->file, "tool_version", SCHEMA_STR,
				  &tool);
	return err;
}

/* A 1-D attribute of @n strings. */
static int attr__write_strv(struct writer *w, hid_t loc, const char *name,
			    const char *const *v, size_t n)
{
	hsize_t dims[1] = { n };
	hid_t type = schema__kind_type(SCHEMA_STR, true);
	hid_t space = H5Screate_simple(1, dims, NULL);
	hid_t attr = H5I_INVALID_HID;
	int err = 0;

	if (type >= 0 && space >= 0)
		attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT,
				  H5P_DEFAULT);
	if (attr < 0 || H5Awrite(attr, type, v) < 0)
		err = errmsg__set(&w->err, -EIO, "writing attribute %s", name);
	schema__close(attr);
	schema__close(space);
	schema__close(type);
	return err;
}

/* The units of a table: a `units` attribute, an array of strings with one
 * entry per field in the dataset's field order ("" for ids and names), so
 * that h5py reads dict(zip(ds.dtype.names, ds.attrs["units"])). */
static int write__table_units(struct writer *w, hid_t ds,
			      const struct schema_table *t)
{
	const char *units[16];

	if (t->nfields > 16)
		return errmsg__set(&w->err, -EINVAL, "the units of %s",
				   t->path);
	for (size_t i = 0; i < t->nfields; i++)
		units[i] = t->fields[i].units ?: "";
	return attr__write_strv(w, ds, SCHEMA_UNITS_ATTR, units, t->nfields);
}

/* An attribute cannot carry attributes: the unit of /meta attribute NAME
 * is the string attribute units_NAME beside it (numbers with a unit only). */
static int write__meta_units(struct writer *w, hid_t group)
{
	struct schema_field f;
	char name[64];
	int err = 0;

	for (size_t i = 0; !err && schema__meta_field(i, &f); i++) {
		if (!f.units)
			continue;
		snprintf(name, sizeof(name), SCHEMA_UNITS_ATTR "_%s", f.name);
		err = attr__write(w, group, name, SCHEMA_STR, &f.units);
	}
	return err;
}

/* @m field for field as the attributes of a new group @path: /meta, or a
 * trace's /trace/start. */
static int write__meta_at(struct writer *w, hid_t file, const char *path,
			  const struct profile_meta *m)
{
	hid_t group =
		H5Gcreate2(file, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
	struct schema_field f;
	int err = 0;

	if (group < 0)
		return errmsg__set(&w->err, -EIO, "creating %s", path);
	for (size_t i = 0; !err && schema__meta_field(i, &f); i++)
		err = write__field(w, group, &f, m);
	if (!err)
		err = write__meta_units(w, group);
	H5Gclose(group);
	return err;
}

/* Zero rows make a zero-extent dataspace, which h5dump and h5py read as an
 * empty array. */
static hid_t dataset__create(struct writer *w, const char *path, hid_t type,
			     int rank, const hsize_t *dims, hid_t dcpl)
{
	hid_t space = H5Screate_simple(rank, dims, NULL);
	hid_t ds = H5I_INVALID_HID;

	if (space >= 0)
		ds = H5Dcreate2(w->file, path, type, space, H5P_DEFAULT, dcpl,
				H5P_DEFAULT);
	schema__close(space);
	if (ds < 0)
		errmsg__set(&w->err, -EIO, "creating dataset %s", path);
	return ds;
}

static int write__table(struct writer *w, const struct schema_table *t,
			const void *rows, size_t n)
{
	hid_t ftype = schema__table_type(t, true);
	hid_t mtype = schema__table_type(t, false);
	hid_t ds = H5I_INVALID_HID;
	hsize_t dims[1] = { n };
	int err = -EIO;

	if (ftype < 0 || mtype < 0) {
		errmsg__set(&w->err, err, "making the types of %s", t->path);
		goto cleanup;
	}
	ds = dataset__create(w, t->path, ftype, 1, dims, H5P_DEFAULT);
	if (ds < 0)
		goto cleanup;
	if (n && H5Dwrite(ds, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) < 0) {
		errmsg__set(&w->err, err, "writing %s", t->path);
		goto cleanup;
	}
	err = write__table_units(w, ds, t);
cleanup:
	schema__close(ds);
	schema__close(mtype);
	schema__close(ftype);
	return err;
}

/* Histograms and counters are mostly zeros: chunk and compress them when
 * there are rows (a chunk cannot have a zero extent). */
static hid_t matrix__dcpl(size_t n, size_t ncols)
{
	hsize_t chunk[2] = { n < MATRIX_CHUNK_ROWS ? n : MATRIX_CHUNK_ROWS,
			     ncols };
	hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);

	if (dcpl < 0 || !n || H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0)
		return dcpl;
	if (H5Pset_chunk(dcpl, 2, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
	    H5Pset_deflate(dcpl, 4) < 0) {
		H5Pclose(dcpl);
		return H5I_INVALID_HID;
	}
	return dcpl;
}

/* Where a matrix's cells are: the @n rows of @row_bytes at @rows, the
 * columns from byte @offset of each. */
struct matrix_src {
	const void *rows;
	size_t n, row_bytes, offset;
};

/* Dataset @path, [n x ncols] u64, from the @ncols columns of @m. Its id
 * (for the caller's attributes), or H5I_INVALID_HID with the step in
 * w->err. */
static hid_t write__matrix(struct writer *w, const char *path,
			   const struct matrix_src *m, size_t ncols)
{
	const void *s = m->rows;
	size_t n = m->n;
	hsize_t dims[2] = { n, ncols };
	hid_t dcpl = matrix__dcpl(n, ncols);
	hid_t mem =
		n ? schema__rows_memspace(n, m->row_bytes, m->offset, ncols) :
		    H5I_INVALID_HID;
	hid_t ds = H5I_INVALID_HID;

	if (dcpl < 0 || (n && mem < 0)) {
		errmsg__set(&w->err, -EIO, "preparing %s", path);
		goto cleanup;
	}
	ds = dataset__create(w, path, H5T_STD_U64LE, 2, dims, dcpl);
	if (ds >= 0 && n &&
	    H5Dwrite(ds, H5T_NATIVE_UINT64, mem, H5S_ALL, H5P_DEFAULT, s) < 0) {
		errmsg__set(&w->err, -EIO, "writing %s", path);
		schema__close(ds);
		ds = H5I_INVALID_HID;
	}
cleanup:
	schema__close(mem);
	schema__close(dcpl);
	return ds;
}

static int write__hist(struct writer *w, const struct region_stats *s, size_t n)
{
	struct matrix_src m = { s, n, sizeof(*s),
				offsetof(struct region_stats, hist) };
	hid_t ds =
		write__matrix(w, SCHEMA_HIST_DATASET, &m, PROFILE_HIST_BUCKETS);
	const char *desc = hist_description;
	int err;

	if (ds < 0)
		return -EIO;
	err = attr__write(w, ds, SCHEMA_HIST_ATTR, SCHEMA_STR, &desc);
	if (!err)
		err = attr__write(w, ds, SCHEMA_UNITS_ATTR, SCHEMA_STR,
				  &hist_units);
	schema__close(ds);
	return err;
}

/* A counter matrix, with its columns' names and units beside it, so that
 * pandas gets pd.DataFrame(ds[:], columns=ds.attrs["columns"]). */
static int write__counter_matrix(struct writer *w, const struct profile *p,
				 const char *path, const struct matrix_src *m,
				 const char *desc)
{
	const char *names[PROFILE_MAX_COUNTERS], *units[PROFILE_MAX_COUNTERS];
	hid_t ds = write__matrix(w, path, m, p->ncounters);
	int err;

	if (ds < 0)
		return -EIO;
	for (size_t i = 0; i < p->ncounters; i++) {
		names[i] = p->counters[i].name ?: "";
		units[i] = p->counters[i].units ?: "";
	}
	err = attr__write(w, ds, SCHEMA_HIST_ATTR, SCHEMA_STR, &desc);
	if (!err)
		err = attr__write_strv(w, ds, SCHEMA_COLUMNS_ATTR, names,
				       p->ncounters);
	if (!err)
		err = attr__write_strv(w, ds, SCHEMA_UNITS_ATTR, units,
				       p->ncounters);
	schema__close(ds);
	return err;
}

/* Row i of /counters is column i of the matrices: the writer keeps the
 * rows in index order, which is what the reader checks. */
static int counters__check(struct writer *w, const struct profile *p)
{
	if (p->ncounters > PROFILE_MAX_COUNTERS)
		return errmsg__set(&w->err, -EINVAL, "%zu counters, at most %d",
				   p->ncounters, PROFILE_MAX_COUNTERS);
	for (size_t i = 0; i < p->ncounters; i++) {
		if (p->counters[i].index != i)
			return errmsg__set(&w->err, -EINVAL,
					   "counter %zu has index %u", i,
					   p->counters[i].index);
	}
	return 0;
}

/* Nothing at all without counters: such a file is the same as one from
 * before counters existed. */
static int write__counters(struct writer *w, const struct profile *p)
{
	int err;

	if (!p->ncounters)
		return 0;
	err = counters__check(w, p);
	if (!err)
		err = write__table(w, &schema__counters, p->counters,
				   p->ncounters);
	if (!err)
		err = write__counter_matrix(
			w, p, SCHEMA_COUNTER_INCL,
			&(struct matrix_src){
				p->stats, p->nstats, sizeof(*p->stats),
				offsetof(struct region_stats, counter_incl) },
			counter_incl_description);
	if (!err)
		err = write__counter_matrix(
			w, p, SCHEMA_COUNTER_SELF,
			&(struct matrix_src){
				p->stats, p->nstats, sizeof(*p->stats),
				offsetof(struct region_stats, counter_self) },
			counter_self_description);
	return err;
}

/* /paths and, with counters, its counter matrices (what folded stacks
 * weighted by a counter need). */
static int write__paths(struct writer *w, const struct profile *p)
{
	int err;

	if (!p->npaths)
		return 0;
	err = write__table(w, &schema__paths, p->paths, p->npaths);
	if (!err && p->ncounters)
		err = write__counter_matrix(
			w, p, SCHEMA_PATH_COUNTER_INCL,
			&(struct matrix_src){
				p->paths, p->npaths, sizeof(*p->paths),
				offsetof(struct path_stats, counter_incl) },
			path_counter_incl_description);
	if (!err && p->ncounters)
		err = write__counter_matrix(
			w, p, SCHEMA_PATH_COUNTER_SELF,
			&(struct matrix_src){
				p->paths, p->npaths, sizeof(*p->paths),
				offsetof(struct path_stats, counter_self) },
			path_counter_self_description);
	return err;
}

/* Everything but the root's attributes. */
static int write__tables(struct writer *w, const struct profile *p)
{
	int err;

	err = write__meta_at(w, w->file, SCHEMA_META_GROUP, &p->meta);
	if (!err)
		err = write__table(w, &schema__regions, p->regions.v,
				   p->regions.n);
	if (!err)
		err = write__table(w, &schema__threads, p->threads,
				   p->nthreads);
	if (!err)
		err = write__table(w, &schema__stats, p->stats, p->nstats);
	if (!err)
		err = write__hist(w, p->stats, p->nstats);
	if (!err)
		err = write__counters(w, p);
	if (!err)
		err = write__paths(w, p);
	return err;
}

static int write__all(struct writer *w, const struct profile *p)
{
	int err = write__root(w, PROFILE_SCHEMA_VERSION_PLAIN);

	return err ?: write__tables(w, p);
}

int schema__write_root(hid_t file, uint32_t version, struct errmsg *err)
{
	struct writer w = { .file = file };
	int ret = write__root(&w, version);

	*err = w.err;
	return ret;
}

int schema__write_meta(hid_t file, const char *path,
		       const struct profile_meta *m, struct errmsg *err)
{
	struct writer w = { .file = file };
	int ret = write__meta_at(&w, file, path, m);

	*err = w.err;
	return ret;
}

int schema__write_attr(hid_t loc, const char *name, enum schema_kind kind,
		       const void *value, struct errmsg *err)
{
	struct writer w = { .file = H5I_INVALID_HID };
	int ret = attr__write(&w, loc, name, kind, value);

	*err = w.err;
	return ret;
}

int schema__write_strv(hid_t loc, const char *name, const char *const *v,
		       size_t n, struct errmsg *err)
{
	struct writer w = { .file = H5I_INVALID_HID };
	int ret = attr__write_strv(&w, loc, name, v, n);

	*err = w.err;
	return ret;
}

int schema__write_units(hid_t ds, const struct schema_table *t,
			struct errmsg *err)
{
	struct writer w = { .file = H5I_INVALID_HID };
	int ret = write__table_units(&w, ds, t);

	*err = w.err;
	return ret;
}

int schema__write_table(hid_t file, const struct schema_table *t,
			const void *rows, size_t n, struct errmsg *err)
{
	struct writer w = { .file = file };
	int ret = write__table(&w, t, rows, n);

	*err = w.err;
	return ret;
}

int schema__write_profile(hid_t file, const struct profile *p,
			  struct errmsg *err)
{
	struct writer w = { .file = file };
	int ret = write__tables(&w, p);

	*err = w.err;
	return ret;
}

/* The file is built in memory (the core driver, no backing store) and
 * written out by plain write(2): HDF5 writing to disk itself hides the
 * errno of a full disk behind -EIO, and an H5Fclose that fails there
 * leaves the file open for HDF5's exit handler, which crashed (SIGSEGV).
 * A profile is small next to the agent's ring buffer. */
static hid_t image__create(struct writer *w)
{
	static unsigned int seq;
	hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
	char name[64];

	/* the name only tells in-memory files apart */
	snprintf(name, sizeof(name), "scope-bpf-image-%d-%u", (int)getpid(),
		 seq++);
	if (fapl < 0 || H5Pset_fapl_core(fapl, IMAGE_INCREMENT, false) < 0 ||
	    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0)
		w->file = H5I_INVALID_HID;
	else
		w->file = H5Fcreate(name, H5F_ACC_EXCL, H5P_DEFAULT, fapl);
	schema__close(fapl);
	if (w->file < 0)
		errmsg__set(&w->err, -ENOMEM, "creating the file in memory");
	return w->file;
}

static int image__copy(struct writer *w, void **buf, size_t *len)
{
	ssize_t n = -1;

	if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) >= 0)
		n = H5Fget_file_image(w->file, NULL, 0);
	if (n <= 0)
		return errmsg__set(&w->err, -EIO, "sizing the file");
	*buf = malloc(n);
	if (!*buf)
		return errmsg__set(&w->err, -ENOMEM, "copying the file");
	if (H5Fget_file_image(w->file, *buf, n) != n) {
		free(*buf);
		*buf = NULL;
		return errmsg__set(&w->err, -EIO, "copying the file");
	}
	*len = n;
	return 0;
}

int profile_file__image(const struct profile *p, void **buf, size_t *len)
{
	struct writer w = { .file = H5I_INVALID_HID };
	int err = -ENOMEM;

	schema__quiet();
	*buf = NULL;
	if (image__create(&w) >= 0)
		err = write__all(&w, p);
	if (!err)
		err = image__copy(&w, buf, len);
	/* CLOSE_STRONG: every object still open goes with the file */
	if (w.file >= 0 && H5Fclose(w.file) < 0 && !err)
		err = errmsg__set(&w.err, -EIO, "closing the file");
	if (err) {
		pr_err("cannot make the profile: %s: %s\n", w.err.msg,
		       strerror(-err));
		free(*buf);
		*buf = NULL;
	}
	return err;
}

int profile_file__write(const struct profile *p, const char *path, uid_t uid,
			gid_t gid)
{
	struct output_file_opts o = {
		.uid = uid,
		.gid = gid,
		.is_profile = profile_file__is_profile,
	};
	size_t len;
	void *buf;
	int err = profile_file__image(p, &buf, &len);

	if (!err)
		err = output_file__write(path, buf, len, &o);
	free(buf);
	return err;
}
