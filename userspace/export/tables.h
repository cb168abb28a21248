/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Every table of a profile, given cell by cell to a sink that writes it as
 * CSV or JSON: the tables are described once, the formats apart. */
#ifndef SCOPE_EXPORT_TABLES_H
#define SCOPE_EXPORT_TABLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "export/export.h"

/* Column names are the CSV's; a time's name ends in _ns. */
#define TABLE_COL_NAME 64

struct table_col {
	char name[TABLE_COL_NAME];
	const char *unit; /* "ns", "count", "bytes", "percent"; NULL: none */
};

/* Where the tables go. begin() opens a table of @n columns, the cells
 * follow row by row (each row ended by row()), end() closes it; the
 * errors come back from begin() and end(). */
struct table_sink {
	int (*begin)(struct table_sink *s, const char *table,
		     const struct table_col *cols, size_t n);
	void (*u64)(struct table_sink *s, uint64_t v);
	void (*i64)(struct table_sink *s, int64_t v);
	void (*str)(struct table_sink *s, const char *v);
	void (*dbl)(struct table_sink *s, double v);
	void (*row)(struct table_sink *s);
	int (*end)(struct table_sink *s);
	const struct table_col *cols; /* the open table's */
	size_t ncols, col;	      /* the next cell's column */
};

/* Every table into @s, in the order docs/export.md lists them; the trace
 * table when @trace, the profile's file, holds one (streamed from it, in
 * bounded memory). 0, -ENOMEM, -EIO (the trace's error said on stderr)
 * or what the sink returned. */
int tables__write(const struct profile *p, const char *trace,
		  struct table_sink *s);

#endif /* SCOPE_EXPORT_TABLES_H */
