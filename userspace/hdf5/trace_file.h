/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Trace mode's file (docs/hdf5-schema.md, /trace): every region interval
 * written as the run goes, into an HDF5 file that readers follow under
 * its final name (SWMR), that survives a SIGKILL of its writer up to the
 * last flush, and that ends as the run's profile plus /trace. */
#ifndef SCOPE_TRACE_FILE_H
#define SCOPE_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "profile/profile.h"
#include "profile/trace.h"

/* 0 in any field: its default. */
struct trace_file_opts {
	size_t ncounters; /* counter deltas per interval, at most 8 */
	const char *const *counter_names; /* ncounters of them */
	const char *const *counter_units; /* NULL: "count" for each */
	/* the bound of the writer's memory for intervals not yet in the
	 * file: whole chunks of struct trace_interval, at least 2; default
	 * TRACE_BUFFER_BYTES (--trace-buffer) */
	size_t buffer_bytes;
	/* when the buffer is full: false (the default), the intervals that do
	 * not fit are dropped and counted; true, the caller waits for the
	 * writer thread (tests, conversions: nothing else to keep up with) */
	bool block;
	/* rows per chunk of the datasets; default TRACE_CHUNK_ROWS */
	size_t chunk_rows;
	/* deflate level, 1-9; default TRACE_LEVEL (docs/performance.md) */
	int level;
	/* zlib's default strategy (matches at any distance) rather than
	 * Z_RLE: a few % smaller, much slower (docs/performance.md) */
	bool full_deflate;
	/* the regions known when the trace starts, written as
	 * /trace/regions so that an unfinished trace names them; NULL: none */
	const struct region_table *regions;
	/* the run's metadata as known at the start, written as the
	 * attributes of /trace/start so that an unfinished trace says what
	 * ran; NULL: none */
	const struct profile_meta *meta;
	/* threads that compress and write; default TRACE_WRITERS */
	size_t writers;
	/* trace_file__append asks the writer threads for a flush (and
	 * returns) when the last is older than this; default 1000 ms. With
	 * no appends nothing asks: an idle caller calls trace_file__flush. */
	unsigned int flush_ms;
};

#define TRACE_BUFFER_BYTES (32u << 20)
#define TRACE_CHUNK_ROWS   16384
#define TRACE_LEVEL	   1
#define TRACE_WRITERS	   2

struct trace_file_stats {
	uint64_t appended;   /* intervals handed to trace_file__append */
	uint64_t written;    /* of those, in the file (flushed or not) */
	uint64_t flushed;    /* of those, flushed: what a SIGKILL keeps */
	uint64_t dropped;    /* not taken: no free slot, or the trace failed */
	uint64_t file_bytes; /* compressed bytes handed to HDF5 */
	size_t buffer_bytes; /* the writer's interval buffer, allocated */
	size_t buffer_rows_peak; /* the most rows it held */
};

struct trace_file;

/* Creates @path (never over an existing file or symlink: -EEXIST; the
 * caller moves an old profile aside first), its /trace datasets, the
 * root's attributes, and starts SWMR: from then on readers open it.
 * NULL with errno set, said on stderr. */
struct trace_file *trace_file__create(const char *path,
				      const struct trace_file_opts *o);
/* Takes @n intervals: copies them into the buffer, whose full chunks the
 * writer thread compresses and writes. Memory is bounded: what does not
 * fit is dropped and counted in stats.dropped (0 is returned: the run
 * goes on, the trace says what it lacks), or waited for (opts.block).
 * Asks the writer thread for a flush when the last is flush_ms old.
 * After a failed write the trace is stopped: this and every later
 * append count their intervals as dropped and return the error. */
int trace_file__append(struct trace_file *tf, const struct trace_interval *v,
		       size_t n);
/* Writes every buffered interval (the last chunk partly) and flushes the
 * datasets, so that readers and a SIGKILL see them; waits for the writer
 * thread to have done it (at most the buffer's worth of compression).
 * 0 or -errno. */
int trace_file__flush(struct trace_file *tf);
/* Ends the trace: the last flush, then, out of SWMR, @p's /meta and
 * tables and /trace's totals; frees @tf whatever happens. 0 or -errno;
 * on error the file still holds /trace up to the last flush. */
int trace_file__finish(struct trace_file *tf, const struct profile *p);
/* Closes without the profile (the agent failed): the file keeps /trace
 * up to the last flush, as after a SIGKILL. Frees @tf; NULL is fine. */
void trace_file__abort(struct trace_file *tf);
void trace_file__stats(struct trace_file *tf, struct trace_file_stats *st);

/* Reading a trace, finished, still written (SWMR) or left by a killed
 * writer, in bounded memory: a chunk cache of a few chunks. */
struct trace_reader;

/* NULL with errno: ENOENT, ENODATA (a profile without /trace), ENOTSUP
 * (not a scope-bpf file, or newer), EIO (damaged); said on stderr. */
struct trace_reader *trace_reader__open(const char *path);
/* Sees what the writer flushed since (H5Drefresh); the intervals
 * readable now in @n. 0 or -errno. */
int trace_reader__refresh(struct trace_reader *r, uint64_t *n);
/* The next intervals, at most @max, into @v (counters beyond
 * ncounters are 0): their number, 0 at the end of what is readable now
 * (refresh to see more), or -errno. */
ssize_t trace_reader__read(struct trace_reader *r, struct trace_interval *v,
			   size_t max);
/* Every interval readable now (after a refresh), read into @buf @max at a
 * time, each batch handed to @fn in the file's order: 0, @fn's first
 * nonzero return, or -errno. */
int trace_reader__each(struct trace_reader *r, struct trace_interval *buf,
		       size_t max,
		       int (*fn)(void *ctx, struct trace_interval *v, size_t n),
		       void *ctx);
/* With @quiet, trace_reader__read's errors are not said on stderr: for a
 * caller that reads the rows of a killed writer's file in smaller pieces
 * up to the first it cannot read (a failed read moves nothing). */
void trace_reader__quiet(struct trace_reader *r, bool quiet);
size_t trace_reader__ncounters(const struct trace_reader *r);
/* 1 when the file is finished (its profile is in), 0 while it is not. */
int trace_reader__finished(const struct trace_reader *r);
void trace_reader__free(struct trace_reader *r);
/* The regions' names by id (*@names[id], NULL for an id without one;
 * free each and the array): from /trace/regions, written when the trace
 * began, else the finished file's /regions. 0 or -errno. */
int trace_reader__region_names(struct trace_reader *r, char ***names,
			       size_t *n);
#define TRACE_MAX_REGION_NAMES (1u << 20)
/* The next read starts at row @row (or the last readable one). 0 or
 * -errno. */
int trace_reader__seek(struct trace_reader *r, uint64_t row);
/* Whether the file at @path holds a trace (/trace/intervals), by a quiet
 * look: 1, 0, or -EIO when it cannot be opened now. */
int trace_file__has_trace(const char *path);
/* Whether the trace file at @path is finished (its profile is in), by a
 * fresh look, quietly: 1, 0, or -EIO when it cannot be opened now. */
int trace_file__is_finished(const char *path);

#endif /* SCOPE_TRACE_FILE_H */
