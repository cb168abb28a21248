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

/* A column the rows are sorted by (--sort): numbers descending, the name
 * ascending. */
enum report_sort_col {
	REPORT_SORT_TOTAL, /* the default */
	REPORT_SORT_SELF,
	REPORT_SORT_CALLS,
	REPORT_SORT_MEAN,
	REPORT_SORT_MIN,
	REPORT_SORT_MAX,
	REPORT_SORT_P50,
	REPORT_SORT_P90,
	REPORT_SORT_P99,
	REPORT_SORT_NAME,
	REPORT_SORT_COUNTER,	  /* a counter's inclusive count */
	REPORT_SORT_COUNTER_SELF, /* its NAME_self */
};

struct report_sort {
	enum report_sort_col col;
	size_t counter; /* the counter's column, for the COUNTER ones */
};

/* The --sort names that every profile has, for help texts and errors. */
#define REPORT_SORT_NAMES                                                      \
	"total, self, calls, mean, min, max, p50, p90, p99, name"

struct report_opts {
	bool threads; /* one table, or CSV row, per thread and region */
	/* CSV: "# key: value" lines of /meta and the counters before the
	 * header; table: the counters' full definitions in the header */
	bool meta;
	bool raw;	  /* table: measured times, the probes' cost left in */
	bool metrics;	  /* report__metrics instead of the table */
	bool percentiles; /* p50, p90 and p99 columns */
	const char *sort; /* a column name (report__sort_parse), NULL: total */
	size_t top;	  /* the first rows of each table only, 0: all */
	/* only the regions whose name matches one of these fnmatch globs,
	 * and the threads whose tid is one of these numbers or whose name
	 * (comm) matches one as a glob; none: all */
	const char *const *regions;
	size_t nregions;
	const char *const *thread_sel;
	size_t nthread_sel;
	bool tree;		 /* report__tree instead of the table */
	unsigned int tree_depth; /* --depth: levels shown, 0 = all */
	double tree_min_percent; /* --min-percent: of all roots' time */
};

/* --sort @name for profile @p (whose counters are columns too) into @out;
 * NULL is total. -EINVAL for no such column. */
int report__sort_parse(const char *name, const struct profile *p,
		       struct report_sort *out);

/* A region's times with the probes' calibrated cost taken out
 * (docs/compensation.md): each of its @calls pays the in-region share,
 * each of its @child_calls the whole pair, less, in self, the child's own
 * in-region share, which its total carries out of self already. */
struct report_comp {
	uint64_t total_ns, self_ns;
};

void report__compensate(const struct profile_meta *m, uint64_t calls,
			uint64_t child_calls, uint64_t total_ns,
			uint64_t self_ns, struct report_comp *out);
/* A region whose compensated mean is below this many probe pairs is said
 * to be dominated by the probes' cost. */
#define REPORT_DOMINATED_PAIRS 3

/* The last column of a table: total time in % of the profiled wall time,
 * summed over threads (may pass 100) or of one thread. */
#define REPORT_PCT_THREAD_TIME "%thread-time"
#define REPORT_PCT_WALL	       "%wall"

/* The CSV headers. Both share the first columns' positions (calls is $3 in
 * either), and every number's name says its unit. total_ns to mean_ns are
 * as measured; the *_comp_ns columns have the probes' cost taken out. */
#define REPORT_CSV_HEADER                                                      \
	"region,threads,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,"         \
	"child_calls,total_comp_ns,self_comp_ns,mean_comp_ns"
#define REPORT_CSV_THREADS_HEADER                                              \
	"region,tid,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,pid,comm,"    \
	"child_calls,total_comp_ns,self_comp_ns,mean_comp_ns"
/* --percentiles: after mean_comp_ns, before the counters; as measured */
#define REPORT_CSV_PERCENTILES ",p50_ns,p90_ns,p99_ns"
/* --compare: one row per region of either profile */
#define REPORT_CSV_COMPARE_HEADER                                              \
	"region,status,old_calls,new_calls,calls_change,old_total_ns,"         \
	"new_total_ns,total_change_ns,old_mean_ns,new_mean_ns,speedup,"        \
	"noise_ns"

/* With counters, both headers go on with two columns per counter: its
 * name (inclusive count, summed over calls) and NAME_self (exclusive). */
#define REPORT_CSV_SELF_SUFFIX "_self"

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
/* The same rows as report__csv, and the run's summary, as one JSON
 * document (docs/report.md: its keys). 0, -ENOMEM or -EIO. */
int report__json(const struct profile *p, FILE *out,
		 const struct report_opts *o);

/* Where a region of two profiles went (report --compare). */
enum report_change {
	REPORT_SAME,   /* the means differ by no more than the noise */
	REPORT_SLOWER, /* the new mean is longer by more than the noise */
	REPORT_FASTER,
	REPORT_APPEARED, /* in the new profile only */
	REPORT_VANISHED, /* in the old one only */
};

/* A region in both profiles differs when the means of its durations
 * differ by more than noise = sqrt(s_old^2 / n_old + s_new^2 / n_new),
 * s the spread p90 - p10 of each histogram and n its calls: about 2.6
 * standard errors of the difference if the durations were normal
 * (p90 - p10 = 2.56 sigma). docs/report.md says why. */
uint64_t report__noise(uint64_t spread_old, uint64_t calls_old,
		       uint64_t spread_new, uint64_t calls_new);
/* Per region (matched by name, summed over the threads that pass the
 * filters): old and new calls, total and mean time, speedup (old mean /
 * new mean), and its enum report_change, by absolute change in total
 * time; as a table, CSV (REPORT_CSV_COMPARE_HEADER) or JSON. Times are
 * compensated unless o->raw. 0, -ENOMEM or -EIO. */
int report__compare(const struct profile *old, const struct profile *new,
		    FILE *out, const struct report_opts *o,
		    enum output_format format);
/* With a LIKWID group in the profile (run --group): per region, by total
 * time, the group's events and metrics per thread in the shape of
 * `likwid-perfctr -m` output (Region Info, Event, Metric tables, and with
 * several threads their STAT tables: Sum, Min, Max, Avg). Metrics take
 * `time` as the region's inclusive time in that thread, as measured, and
 * inverseClock as 1 / meta.cpu_clock_hz (0 when unknown). 0, -ENODATA
 * (no group in the profile), -EBADMSG (its stored text does not parse),
 * -ENOMEM or -EIO. */
int report__metrics(const struct profile *p, FILE *out);
/* The call tree (report/tree.h) by inclusive time, merged over threads or
 * with o->threads per thread, as an indented table or with @csv one row
 * per node (REPORT_CSV_TREE_HEADER, the path ids to rebuild it); cut at
 * o->tree_depth levels and below o->tree_min_percent of all roots' time.
 * 0, -ENODATA (a file without call paths), -ENOMEM or -EIO. */
int report__tree(const struct profile *p, FILE *out,
		 const struct report_opts *o, bool csv);
#define REPORT_CSV_TREE_HEADER                                                 \
	"region,depth,pid,tid,path,parent_path,calls,total_ns,self_ns,"        \
	"pct_parent"

/* @ns with a unit and 3 significant digits: "812 ns", "1.23 ms", "45.6 s". */
void report__fmt_ns(char *buf, size_t len, uint64_t ns);
/* A count with 3 significant digits: "812", "1.23 k", "45.6 M", "7.00 G". */
void report__fmt_count(char *buf, size_t len, uint64_t v);
/* A counter's value in its @units: "ns" as report__fmt_ns, else a count. */
void report__fmt_counter(char *buf, size_t len, uint64_t v, const char *units);

#endif /* SCOPE_REPORT_H */
