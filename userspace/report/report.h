/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The offline report of a profile: region tables for people, CSV for tools. */
#ifndef SCOPE_REPORT_H
#define SCOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/format.h"
#include "profile/profile.h"

struct report_opts {
	bool threads; /* one table, or CSV row, per thread and region */
	bool meta;    /* CSV: "# key: value" lines of /meta before the header */
};

/* The last column of a table: total time in % of the profiled wall time,
 * summed over threads (may pass 100) or of one thread. */
#define REPORT_PCT_THREAD_TIME "%thread-time"
#define REPORT_PCT_WALL	       "%wall"

/* The CSV headers. Both share the first columns' positions (calls is $3 in
 * either), and every number's name says its unit. */
#define REPORT_CSV_HEADER                                                      \
	"region,threads,calls,total_ns,self_ns,min_ns,max_ns,mean_ns"
#define REPORT_CSV_THREADS_HEADER                                              \
	"region,tid,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,pid,comm"

/* A header (command, pid, duration, host, loss warning), then one row per
 * region summed over threads, by total time; with o->threads, one table
 * per thread (by pid, tid) under its name. 0, -ENOMEM or -EIO. */
int report__table(const struct profile *p, FILE *out,
		  const struct report_opts *o);
/* One row per region summed over threads (REPORT_CSV_HEADER), or with
 * o->threads one per (region, thread) with the thread's name
 * (REPORT_CSV_THREADS_HEADER), by total time; with o->meta, every /meta
 * field as "# name: value" first. 0, -ENOMEM or -EIO. */
int report__csv(const struct profile *p, FILE *out,
		const struct report_opts *o);
/* @ns with a unit and 3 significant digits: "812 ns", "1.23 ms", "45.6 s". */
void report__fmt_ns(char *buf, size_t len, uint64_t ns);

#endif /* SCOPE_REPORT_H */
