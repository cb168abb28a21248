// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* profile_file__write: a profile to a new HDF5 file, renamed over the output. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "hdf5/profile_file.h"
#include "hdf5/schema.h"

#ifndef SCOPE_BPF_TOOL_VERSION
#define SCOPE_BPF_TOOL_VERSION "unknown"
#endif

#define TEMP_TRIES 64
#define HIST_CHUNK_ROWS 1024

static const char hist_description[] =
	"row i is the log2 histogram of the durations of /stats row i: "
	"column b counts the calls whose duration d (ns) has floor(log2(d)) == b; "
	"d = 0 counts in column 0";

/* every cell of /stats_hist counts calls */
static const char *const hist_units = "count";

struct writer {
	hid_t file;
	char *tmp;     /* the file being written; NULL: none of ours to remove */
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

static int write__root(struct writer *w)
{
	const char *schema = PROFILE_SCHEMA_NAME;
	const char *tool = SCOPE_BPF_TOOL_VERSION;
	uint32_t version = PROFILE_SCHEMA_VERSION;
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

/* The units of a table: a `units` attribute, an array of strings with one
 * entry per field in the dataset's field order ("" for ids and names), so
 * that h5py reads dict(zip(ds.dtype.names, ds.attrs["units"])). */
static int write__table_units(struct writer *w, hid_t ds,
			      const struct schema_table *t)
{
	const char *units[16];
	hsize_t n = t->nfields;
	hid_t type = schema__kind_type(SCHEMA_STR, true);
	hid_t space = H5Screate_simple(1, &n, NULL);
	hid_t attr = H5I_INVALID_HID;
	int err = 0;

	for (size_t i = 0; i < t->nfields && i < 16; i++)
		units[i] = t->fields[i].units ?: "";
	if (t->nfields <= 16 && type >= 0 && space >= 0)
		attr = H5Acreate2(ds, SCHEMA_UNITS_ATTR, type, space,
				  H5P_DEFAULT, H5P_DEFAULT);
	if (attr < 0 || H5Awrite(attr, type, units) < 0)
		err = errmsg__set(&w->err, -EIO, "writing the units of %s",
				   t->path);
	schema__close(attr);
	schema__close(space);
	schema__close(type);
	return err;
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

static int write__meta(struct writer *w, const struct profile_meta *m)
{
	hid_t group = H5Gcreate2(w->file, SCHEMA_META_GROUP, H5P_DEFAULT,
				 H5P_DEFAULT, H5P_DEFAULT);
	struct schema_field f;
	int err = 0;

	if (group < 0)
		return errmsg__set(&w->err, -EIO, "creating %s", SCHEMA_META_GROUP);
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

/* Histograms are mostly zeros: chunk and compress them when there are rows
 * (a chunk cannot have a zero extent). */
static hid_t hist__dcpl(size_t n)
{
	hsize_t chunk[2] = { n < HIST_CHUNK_ROWS ? n : HIST_CHUNK_ROWS,
			     PROFILE_HIST_BUCKETS };
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

static int write__hist(struct writer *w, const struct region_stats *s,
		       size_t n)
{
	hsize_t dims[2] = { n, PROFILE_HIST_BUCKETS };
	hid_t dcpl = hist__dcpl(n);
	hid_t mem = n ? schema__hist_memspace(n) : H5I_INVALID_HID;
	hid_t ds = H5I_INVALID_HID;
	const char *desc = hist_description;
	int err = -EIO;

	if (dcpl < 0 || (n && mem < 0)) {
		errmsg__set(&w->err, err, "preparing %s", SCHEMA_HIST_DATASET);
		goto cleanup;
	}
	ds = dataset__create(w, SCHEMA_HIST_DATASET, H5T_STD_U64LE, 2, dims,
			     dcpl);
	if (ds < 0)
		goto cleanup;
	if (n && H5Dwrite(ds, H5T_NATIVE_UINT64, mem, H5S_ALL, H5P_DEFAULT,
			  s) < 0) {
		errmsg__set(&w->err, err, "writing %s", SCHEMA_HIST_DATASET);
		goto cleanup;
	}
	err = attr__write(w, ds, SCHEMA_HIST_ATTR, SCHEMA_STR, &desc);
	if (!err)
		err = attr__write(w, ds, SCHEMA_UNITS_ATTR, SCHEMA_STR,
				  &hist_units);
cleanup:
	schema__close(ds);
	schema__close(mem);
	schema__close(dcpl);
	return err;
}

static int write__all(struct writer *w, const struct profile *p)
{
	int err;

	err = write__root(w);
	if (!err)
		err = write__meta(w, &p->meta);
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
	return err;
}

/* Only collisions depend on the randomness: H5F_ACC_EXCL keeps us from
 * opening anything already there. */
static void temp__suffix(char *out, size_t len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned int counter;
	unsigned char r[16] = { 0 };

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r[0] ^= (unsigned char)(getpid() + counter++);
	for (size_t i = 0; i + 1 < len && i < sizeof(r); i++)
		out[i] = set[r[i] % (sizeof(set) - 1)];
	out[len - 1] = '\0';
}

/* A name that does not exist yet, ".NAME.XXXXXX" in the output's directory
 * so that rename(2) stays within one file system. */
static int temp__name(struct writer *w, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	char suffix[7], *name;
	struct stat st;
	int err;

	if (!*base)
		return errmsg__set(&w->err, -EISDIR, "not a file name");
	for (int i = 0; i < TEMP_TRIES; i++) {
		temp__suffix(suffix, sizeof(suffix));
		if (asprintf(&name, "%.*s.%s.%s", dirlen, path, base,
			     suffix) < 0)
			return errmsg__set(&w->err, -ENOMEM, "naming a file");
		err = lstat(name, &st) ? -errno : -EEXIST;
		if (err == -ENOENT) {
			w->tmp = name;
			return 0;
		}
		free(name);
		if (err != -EEXIST)
			return errmsg__set(&w->err, err, "looking beside it");
	}
	return errmsg__set(&w->err, -EEXIST, "no free temporary name");
}

/* Gives the new file to @uid:@gid through the descriptor HDF5 holds: the
 * file we created, whatever happens to its name. */
static int temp__chown(struct writer *w, uid_t uid, gid_t gid)
{
	int *fd = NULL;

	if (uid == (uid_t)-1)
		return 0;
	if (H5Fget_vfd_handle(w->file, H5P_DEFAULT, (void **)&fd) < 0 || !fd)
		return errmsg__set(&w->err, -EIO, "no descriptor for %s", w->tmp);
	if (fchown(*fd, uid, gid))
		return errmsg__set(&w->err, -errno, "giving it to %u:%u",
				    (unsigned int)uid, (unsigned int)gid);
	return 0;
}

static int temp__create(struct writer *w, const char *path, uid_t uid,
			gid_t gid)
{
	int err = temp__name(w, path);

	if (err)
		return err;
	errno = 0;
	w->file = H5Fcreate(w->tmp, H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT);
	if (w->file >= 0)
		return temp__chown(w, uid, gid);
	err = errno && errno != EEXIST ? -errno : -EIO;
	/* Someone else's file, or none: not ours to remove. */
	free(w->tmp);
	w->tmp = NULL;
	return errmsg__set(&w->err, err, "cannot create a file beside it");
}

/* Reopens without following links to sync what we wrote; then the rename
 * replaces whatever @path is, links included. */
static int temp__commit(struct writer *w, const char *path)
{
	int fd = open(w->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return errmsg__set(&w->err, -errno, "reopening %s", w->tmp);
	if (fsync(fd))
		err = errmsg__set(&w->err, -errno, "syncing %s", w->tmp);
	close(fd);
	if (!err && rename(w->tmp, path))
		err = errmsg__set(&w->err, -errno, "renaming %s", w->tmp);
	if (!err) {
		free(w->tmp);
		w->tmp = NULL;
	}
	return err;
}

int profile_file__check_output(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash - path + 1) : strdup(".");
	struct stat st;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	/* "", "dir/" and an existing directory name no file */
	if (!*path || (slash && !slash[1]))
		err = -EISDIR;
	/* lstat: a symlink there is replaced, whatever it points to */
	else if (!lstat(path, &st) && S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if (access(dir, W_OK | X_OK))
		err = -errno;
	if (err)
		pr_err("%s: cannot write the profile there: %s\n", path,
		       strerror(-err));
	free(dir);
	return err;
}

int profile_file__write(const struct profile *p, const char *path, uid_t uid,
		   gid_t gid)
{
	struct writer w = { .file = H5I_INVALID_HID };
	int err;

	schema__quiet();
	err = temp__create(&w, path, uid, gid);
	if (!err)
		err = write__all(&w, p);
	if (w.file >= 0 && H5Fclose(w.file) < 0 && !err)
		err = errmsg__set(&w.err, -EIO, "closing %s", w.tmp);
	if (!err)
		err = temp__commit(&w, path);
	if (err) {
		pr_err("%s: %s: %s\n", path, w.err.msg, strerror(-err));
		if (w.tmp)
			unlink(w.tmp);
	}
	free(w.tmp);
	return err;
}
