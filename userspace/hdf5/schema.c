// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The field tables and HDF5 types of the profile schema, version 1. */
#include <errno.h>
#include <stddef.h>

#include "hdf5/schema.h"
#include "profile/trace.h"

#define FIELD(type, member, k, u)                                              \
	{                                                                      \
		.name = #member, .offset = offsetof(type, member), .kind = k,  \
		.units = u                                                     \
	}
#define TABLE(path, type, fields)                                              \
	{                                                                      \
		path, sizeof(type), fields, sizeof(fields) / sizeof(fields[0]) \
	}

static const struct schema_field region_fields[] = {
	FIELD(struct region, id, SCHEMA_U32, NULL),
	FIELD(struct region, name, SCHEMA_STR, NULL),
	FIELD(struct region, file, SCHEMA_STR, NULL),
	FIELD(struct region, line, SCHEMA_U32, NULL),
	FIELD(struct region, nsites, SCHEMA_U32, "count"),
	FIELD(struct region, nbegin, SCHEMA_U32, "count"),
};

static const struct schema_field thread_fields[] = {
	FIELD(struct profile_thread, pid, SCHEMA_U32, NULL),
	FIELD(struct profile_thread, tid, SCHEMA_U32, NULL),
	FIELD(struct profile_thread, comm, SCHEMA_STR, NULL),
};

static const struct schema_field stats_fields[] = {
	FIELD(struct region_stats, pid, SCHEMA_U32, NULL),
	FIELD(struct region_stats, tid, SCHEMA_U32, NULL),
	FIELD(struct region_stats, region, SCHEMA_U32, NULL),
	FIELD(struct region_stats, calls, SCHEMA_U64, "count"),
	FIELD(struct region_stats, total_ns, SCHEMA_U64, "ns"),
	FIELD(struct region_stats, self_ns, SCHEMA_U64, "ns"),
	FIELD(struct region_stats, min_ns, SCHEMA_U64, "ns"),
	FIELD(struct region_stats, max_ns, SCHEMA_U64, "ns"),
	FIELD(struct region_stats, child_calls, SCHEMA_U64, "count"),
};

/* Definitions first (what was counted, in what unit), then perf's
 * encoding, then how long the event counted. */
static const struct schema_field counter_fields[] = {
	FIELD(struct profile_counter, index, SCHEMA_U32, NULL),
	FIELD(struct profile_counter, name, SCHEMA_STR, NULL),
	FIELD(struct profile_counter, units, SCHEMA_STR, NULL),
	FIELD(struct profile_counter, counter, SCHEMA_STR, NULL),
	FIELD(struct profile_counter, type, SCHEMA_U32, NULL),
	FIELD(struct profile_counter, config, SCHEMA_U64, NULL),
	FIELD(struct profile_counter, config1, SCHEMA_U64, NULL),
	FIELD(struct profile_counter, config2, SCHEMA_U64, NULL),
	FIELD(struct profile_counter, enabled_ns, SCHEMA_U64, "ns"),
	FIELD(struct profile_counter, running_ns, SCHEMA_U64, "ns"),
	FIELD(struct profile_counter, note, SCHEMA_STR, NULL),
};

const struct schema_table schema__regions =
	TABLE("/regions", struct region, region_fields);
const struct schema_table schema__trace_regions =
	TABLE("/trace/regions", struct region, region_fields);
const struct schema_table schema__threads =
	TABLE("/threads", struct profile_thread, thread_fields);
const struct schema_table schema__stats =
	TABLE("/stats", struct region_stats, stats_fields);
static const struct schema_field path_fields[] = {
	FIELD(struct path_stats, pid, SCHEMA_U32, NULL),
	FIELD(struct path_stats, tid, SCHEMA_U32, NULL),
	FIELD(struct path_stats, region, SCHEMA_U32, NULL),
	FIELD(struct path_stats, depth, SCHEMA_U32, NULL),
	FIELD(struct path_stats, path, SCHEMA_U64, NULL),
	FIELD(struct path_stats, parent_path, SCHEMA_U64, NULL),
	FIELD(struct path_stats, calls, SCHEMA_U64, "count"),
	FIELD(struct path_stats, total_ns, SCHEMA_U64, "ns"),
	FIELD(struct path_stats, self_ns, SCHEMA_U64, "ns"),
	FIELD(struct path_stats, child_calls, SCHEMA_U64, "count"),
};

const struct schema_table schema__paths =
	TABLE("/paths", struct path_stats, path_fields);
const struct schema_table schema__counters =
	TABLE("/counters", struct profile_counter, counter_fields);

static const struct schema_field trace_fields[] = {
	FIELD(struct trace_interval, start_ns, SCHEMA_U64, "ns"),
	FIELD(struct trace_interval, end_ns, SCHEMA_U64, "ns"),
	FIELD(struct trace_interval, pid, SCHEMA_U32, NULL),
	FIELD(struct trace_interval, tid, SCHEMA_U32, NULL),
	FIELD(struct trace_interval, region, SCHEMA_U32, NULL),
	FIELD(struct trace_interval, parent, SCHEMA_U32, NULL),
	FIELD(struct trace_interval, depth, SCHEMA_U32, NULL),
	FIELD(struct trace_interval, path, SCHEMA_U64, NULL),
};

const struct schema_table schema__trace =
	TABLE(SCHEMA_TRACE_INTERVALS, struct trace_interval, trace_fields);

/* /meta holds struct profile_meta, field for field. */
bool schema__meta_field(size_t i, struct schema_field *out)
{
	struct profile_field f;

	if (!profile_meta__field(i, &f))
		return false;
	*out = (struct schema_field){ f.name, f.offset,
				      (enum schema_kind)f.kind, f.units,
				      f.later };
	return true;
}

/* The hyperslab in schema__rows_memspace counts in uint64_t units. */
_Static_assert(sizeof(struct path_stats) % sizeof(uint64_t) == 0 &&
		       offsetof(struct path_stats, counter_incl) %
				       sizeof(uint64_t) ==
			       0 &&
		       offsetof(struct path_stats, counter_self) %
				       sizeof(uint64_t) ==
			       0,
	       "path_stats' counters must be whole, aligned uint64_t");
_Static_assert(sizeof(struct region_stats) % sizeof(uint64_t) == 0,
	       "region_stats rows must be whole uint64_t");
_Static_assert(offsetof(struct region_stats, hist) % sizeof(uint64_t) == 0,
	       "region_stats.hist must be uint64_t aligned");
_Static_assert(offsetof(struct region_stats, counter_incl) % sizeof(uint64_t) ==
		       0,
	       "region_stats.counter_incl must be uint64_t aligned");
_Static_assert(offsetof(struct region_stats, counter_self) % sizeof(uint64_t) ==
		       0,
	       "region_stats.counter_self must be uint64_t aligned");

void schema__quiet(void)
{
	H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void schema__close(hid_t id)
{
	if (id >= 0)
		H5Idec_ref(id);
}

static hid_t str_type(void)
{
	hid_t t = H5Tcopy(H5T_C_S1);

	if (t < 0)
		return H5I_INVALID_HID;
	if (H5Tset_size(t, H5T_VARIABLE) < 0 ||
	    H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
		H5Tclose(t);
		return H5I_INVALID_HID;
	}
	return t;
}

/* Files are little-endian whatever the host; memory is native. */
hid_t schema__kind_type(enum schema_kind kind, bool file)
{
	switch (kind) {
	case SCHEMA_U32:
		return H5Tcopy(file ? H5T_STD_U32LE : H5T_NATIVE_UINT32);
	case SCHEMA_U64:
		return H5Tcopy(file ? H5T_STD_U64LE : H5T_NATIVE_UINT64);
	case SCHEMA_I64:
		return H5Tcopy(file ? H5T_STD_I64LE : H5T_NATIVE_INT64);
	case SCHEMA_STR:
		return str_type();
	}
	return H5I_INVALID_HID;
}

/* The size HDF5 gives each member type before the file fixes strings. */
static size_t kind_size(enum schema_kind kind)
{
	if (kind == SCHEMA_U32)
		return sizeof(uint32_t);
	return kind == SCHEMA_STR ? sizeof(char *) : sizeof(uint64_t);
}

static int insert_field(hid_t type, const struct schema_field *f, size_t offset,
			bool file, size_t *size)
{
	hid_t member = schema__kind_type(f->kind, file);
	int err = 0;

	if (member < 0)
		return -EIO;
	*size = H5Tget_size(member);
	if (H5Tinsert(type, f->name, offset, member) < 0)
		err = -EIO;
	H5Tclose(member);
	return err;
}

/* The file type is packed in field order; HDF5 resizes its string members
 * to their on-disk size when the dataset is created. */
hid_t schema__table_type(const struct schema_table *t, bool file)
{
	size_t packed = 0, size;
	hid_t type;

	for (size_t i = 0; i < t->nfields; i++)
		packed += kind_size(t->fields[i].kind);
	type = H5Tcreate(H5T_COMPOUND, file ? packed : t->size);
	if (type < 0)
		return H5I_INVALID_HID;
	packed = 0;
	for (size_t i = 0; i < t->nfields; i++) {
		const struct schema_field *f = &t->fields[i];

		if (insert_field(type, f, file ? packed : f->offset, file,
				 &size)) {
			H5Tclose(type);
			return H5I_INVALID_HID;
		}
		packed += size;
	}
	return type;
}

hid_t schema__rows_memspace(size_t n, size_t row_bytes, size_t offset,
			    size_t ncols)
{
	const hsize_t words = row_bytes / sizeof(uint64_t);
	hsize_t dims[2] = { n, words };
	hsize_t start[2] = { 0, offset / sizeof(uint64_t) };
	hsize_t count[2] = { n, ncols };
	hid_t space = H5Screate_simple(2, dims, NULL);

	if (space < 0)
		return H5I_INVALID_HID;
	if (H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count,
				NULL) < 0) {
		H5Sclose(space);
		return H5I_INVALID_HID;
	}
	return space;
}
