/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The HDF5 layout of a profile (docs/hdf5-schema.md), shared by the writer
 * and the reader so that both use one description of every field. */
#ifndef SCOPE_HDF5_SCHEMA_H
#define SCOPE_HDF5_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include <hdf5.h>

#include "common/errmsg.h"
#include "profile/profile.h"

#define SCHEMA_META_GROUP   "/meta"
#define SCHEMA_HIST_DATASET "/stats_hist"
#define SCHEMA_HIST_ATTR    "description"
/* Counters (issue 10): one row per counter, and two [stats x counters]
 * matrices whose column j is /counters row j; only when there are
 * counters, so a file without them is one from before them too. */
#define SCHEMA_COUNTER_INCL "/counter_incl"
#define SCHEMA_COUNTER_SELF "/counter_self"
/* The same per call path: [paths x counters], row i of /paths; only when
 * there are both (absent from files from before them). */
#define SCHEMA_PATH_COUNTER_INCL "/path_counter_incl"
#define SCHEMA_PATH_COUNTER_SELF "/path_counter_self"
/* on the matrices: the counters' names, one per column */
#define SCHEMA_COLUMNS_ATTR "columns"
/* Units: `units` on each dataset, `units_NAME` in /meta (docs/hdf5-schema.md)
 */
#define SCHEMA_UNITS_ATTR "units"

/* The profile's field kinds (profile/profile.h) under the schema's names. */
enum schema_kind {
	SCHEMA_U32 = PROFILE_U32,
	SCHEMA_U64 = PROFILE_U64,
	SCHEMA_I64 = PROFILE_I64,
	SCHEMA_STR =
		PROFILE_STR, /* a variable-length UTF-8 string in the file */
};

struct schema_field {
	const char *name;
	size_t offset; /* in the in-memory struct */
	enum schema_kind kind;
	const char *units; /* its `units` entry; NULL: none (written "") */
	bool later;	   /* older files lack it: read as 0 or "" */
};

/* A 1-D compound dataset whose rows are in-memory structs. */
struct schema_table {
	const char *path;
	size_t size; /* of one in-memory row */
	const struct schema_field *fields;
	size_t nfields;
};

extern const struct schema_table schema__regions;
extern const struct schema_table schema__threads;
extern const struct schema_table schema__stats;
extern const struct schema_table schema__counters;
/* Call paths: written when there are any, absent from older files. */
extern const struct schema_table schema__paths;
/* A trace file's regions, written when it is created (the profile's
 * /regions comes at its end), so that readers of an unfinished trace know
 * the regions' names. */
extern const struct schema_table schema__trace_regions;
/* Trace mode: the rows of /trace/intervals are struct trace_interval less
 * its counters, which go to /trace/counters (docs/hdf5-schema.md). */
#define SCHEMA_TRACE_GROUP "/trace"
/* the run's metadata as known when the trace began (an unfinished trace
 * has no /meta) */
#define SCHEMA_TRACE_START     "/trace/start"
#define SCHEMA_TRACE_INTERVALS "/trace/intervals"
#define SCHEMA_TRACE_COUNTERS  "/trace/counters"
extern const struct schema_table schema__trace;
/* Field @i of SCHEMA_META_GROUP (one attribute per field of struct
 * profile_meta, the losses included) into @out; false past the last. */
bool schema__meta_field(size_t i, struct schema_field *out);

/* Keeps HDF5 from printing its error stack: we report one line instead. */
void schema__quiet(void);
/* Closes any kind of HDF5 id (H5Idec_ref frees it at zero); skips invalid. */
void schema__close(hid_t id);
/* Types to H5Tclose; H5I_INVALID_HID on error. */
hid_t schema__kind_type(enum schema_kind kind, bool file);
hid_t schema__table_type(const struct schema_table *t, bool file);
/* The @count uint64_t columns at byte @offset of @n rows of @row_bytes
 * (struct region_stats, struct path_stats) seen as an [n x count]
 * selection, so that /stats_hist (hist) and the counter matrices move
 * straight to and from the rows. */
hid_t schema__rows_memspace(size_t n, size_t row_bytes, size_t offset,
			    size_t count);

/* The writer's parts for a file that another module of hdf5/ opened (the
 * trace file, trace_file.c): the root's attributes (schema, @version,
 * tool_version), and every table and /meta of @p. 0 or -errno, with the
 * step that failed in @err. */
/* Attributes as the profile writes them: a scalar of @kind (@value points
 * to the C value, a char * for strings), 1-D strings, a table's units. */
int schema__write_attr(hid_t loc, const char *name, enum schema_kind kind,
		       const void *value, struct errmsg *err);
int schema__write_strv(hid_t loc, const char *name, const char *const *v,
		       size_t n, struct errmsg *err);
int schema__write_units(hid_t ds, const struct schema_table *t,
			struct errmsg *err);
int schema__write_root(hid_t file, uint32_t version, struct errmsg *err);
/* @m as the attributes of a new group @path (as /meta is written). */
int schema__write_meta(hid_t file, const char *path,
		       const struct profile_meta *m, struct errmsg *err);
/* Table @t's @n rows at its path in @file, with its units. */
int schema__write_table(hid_t file, const struct schema_table *t,
			const void *rows, size_t n, struct errmsg *err);
int schema__write_profile(hid_t file, const struct profile *p,
			  struct errmsg *err);

#endif /* SCOPE_HDF5_SCHEMA_H */
