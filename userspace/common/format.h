/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The output formats of the commands that print data (list, report). */
#ifndef SCOPE_FORMAT_H
#define SCOPE_FORMAT_H

enum output_format {
	FORMAT_TABLE, /* for people: aligned columns */
	FORMAT_CSV,   /* for tools: a header row, then one row per record */
	FORMAT_JSON,  /* for tools: one document (report only) */
};

/* @name ("table", "csv", "json") to @out; -EINVAL for any other name. */
int format__parse(const char *name, enum output_format *out);
/* The accepted names, for help texts and errors: "table, csv or json". */
extern const char format__names[];

#endif /* SCOPE_FORMAT_H */
