/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Exports of a profile to the formats other tools open (docs/export.md):
 * folded stacks, a flame graph in SVG, and every table of the file as CSV
 * or JSON. A layer above report/: it draws on the call tree and the
 * report's numbers, and nothing below includes it. From the aggregates,
 * but for perfetto and otf2, which stream a trace's intervals (run
 * --trace). */
#ifndef SCOPE_EXPORT_H
#define SCOPE_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "profile/profile.h"

/* What a folded line's number counts (--weight). */
enum export_weight {
	EXPORT_WEIGHT_SELF,  /* exclusive time, ns: the flame graph's own */
	EXPORT_WEIGHT_CALLS, /* calls of the path */
	EXPORT_WEIGHT_TOTAL, /* inclusive time, ns: not additive up a stack */
	/* a counter's exclusive count (its path's counter_self): what the
	 * stack's own code counted, summed up the stack like self time */
	EXPORT_WEIGHT_COUNTER,
};

struct export_opts {
	bool raw;     /* times as measured; else compensated */
	bool threads; /* folded: one stack per thread, "comm-tid;" first */
	enum export_weight weight;
	/* the profile's file, whose /trace (if it has one) is streamed
	 * from it: csv and json as the trace table, svg as a timeline;
	 * NULL: none */
	const char *trace;
	/* EXPORT_WEIGHT_COUNTER: the event's name as given, and its index in
	 * the profile's counters (export__weight_counter) */
	const char *weight_event;
	size_t weight_counter;
};

/* The index of counter @event in @p, for EXPORT_WEIGHT_COUNTER: -ENOENT
 * when @p has no such counter, -ENODATA when it has the counter per
 * region only (a file from before per-path counters). */
int export__weight_counter(const struct profile *p, const char *event);
/* @p's counters' names, ", " between them, "" without: what a refused
 * --weight EVENT can name instead. NULL when out of memory. */
char *export__counter_names(const struct profile *p);

/* One line per call path of the tree merged over threads (per thread with
 * o->threads): "outer;inner 1234", names made safe by export__folded_name.
 * 0, -ENODATA (no call paths), -ENOMEM or -EIO. */
int export__folded(const struct profile *p, FILE *out,
		   const struct export_opts *o);
/* @name as a folded frame into @buf (NUL-terminated, cut to @len): '%',
 * ';', whitespace and control characters become %XX (percent-encoding,
 * reversible), so neither the frame separator nor the space before the
 * count can occur in a frame. The length it needs, as snprintf. */
size_t export__folded_name(char *buf, size_t len, const char *name);

/* A self-contained SVG flame graph of the tree merged over threads, root
 * at the bottom: a <rect> per node, <title> tooltips; with
 * o->trace_path, the trace's per-thread timeline below it. 0, -ENODATA,
 * -ENOMEM or -EIO. */
int export__svg(const struct profile *p, FILE *out,
		const struct export_opts *o);

/* The horizontal layout of a node's children in the flame graph: child
 * i gets x[i], w[i] within the parent's [x, x + w), in order, widths in
 * proportion to @ns[i] of @parent_ns; what the children leave is the
 * parent's own time, at the right. Children whose times sum past the
 * parent's (compensation can do that) share the parent's width. */
void export__svg_layout(double x, double w, uint64_t parent_ns,
			const uint64_t *ns, size_t n, double *xs, double *ws);

/* Every table of the profile (regions, threads, stats, paths, tree,
 * counters, meta, the trace's intervals with o->trace, and columns: each
 * table's columns with their units) as one JSON document. 0, -ENOMEM or
 * -EIO. */
int export__json(const struct profile *p, FILE *out,
		 const struct export_opts *o);
/* The same tables as CSV: into directory @dir, one NAME.csv each (created
 * if missing), or with @dir NULL into @out, each after a "# table: NAME"
 * line. 0, -ENOMEM, -EIO or the -errno of a file. */
int export__csv(const struct profile *p, const char *dir, FILE *out,
		const struct export_opts *o);

/* The trace of @path (/trace/intervals) as Chrome's JSON trace-event
 * format (ui.perfetto.dev, chrome://tracing): an "X" event per interval,
 * named by @p's regions, "M" events naming @p's processes and threads.
 * @p NULL: an unfinished trace (still written, or its writer killed),
 * without a profile: the intervals readable now, up to the first that is
 * not, named by /trace/regions, the threads by their ids. Streamed in
 * bounded memory. 0, -ENODATA (no /trace: a plain profile), -ENOMEM or
 * -EIO; the reader's errors said on stderr. */
int export__perfetto(const struct profile *p, const char *path, FILE *out);

/* The Debian packages the protobuf export of a trace needs at build time. */
#define EXPORT_PROTOBUF_PACKAGES "libprotobuf-c-dev and protobuf-c-compiler"
/* Whether this build writes Perfetto's protobuf format. */
bool export__perfetto_proto_available(void);
/* The trace of @path (finished: @p its profile) in Perfetto's protobuf
 * format (a stream of TracePackets, ui.perfetto.dev and its trace
 * processor): a track per process and thread, named from @p, a slice that
 * begins and ends per interval on its thread's track, in time order per
 * thread, the regions' names interned. Streamed in bounded memory (the
 * intervals of a thread's outermost region wait, as for otf2). 0,
 * -ENODATA (no /trace), -ENOTSUP (a build without protobuf-c), -ENOMEM or
 * -EIO. */
int export__perfetto_proto(const struct profile *p, const char *path,
			   FILE *out);

/* The Debian package whose library and headers the OTF2 export needs. */
#define EXPORT_OTF2_PACKAGE "libopen-trace-format2-dev"
/* Whether this build writes OTF2 (the package was there at build time). */
bool export__otf2_available(void);
/* The trace of @path as an OTF2 archive (Score-P, Vampir, otf2-print) in
 * directory @dir, which libotf2 creates: DIR/traces.otf2 (the anchor file
 * to open), traces.def and traces/. A location per thread, a location
 * group per process, a region per /regions row, an enter and a leave per
 * interval, timestamps in ns of CLOCK_MONOTONIC. 0, -ENODATA (no /trace),
 * -ENOTSUP (a build without OTF2), -ENOMEM or -EIO (said on stderr). */
int export__otf2(const struct profile *p, const char *path, const char *dir);

#endif /* SCOPE_EXPORT_H */
