// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Follows a trace (a SWMR reader of /trace, hdf5/trace_file.h): each second
 * the new intervals are summed per region and the summary printed again.
 * Memory: a chunk of intervals and a row per region. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/follow.h"
#include "common/log.h"
#include "hdf5/trace_file.h"
#include "report/report.h"

#define FOLLOW_CHUNK 4096
#define FOLLOW_TOP   10

struct follow_row {
	uint64_t calls, total_ns;
};

struct follow {
	const char *path;
	struct trace_reader *r;
	char **names;
	size_t nnames;
	struct follow_row *rows; /* by region id, nnames of them */
	uint64_t intervals, last;
	struct trace_interval buf[FOLLOW_CHUNK];
};

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

static int follow__read(struct follow *f)
{
	uint64_t n;
	ssize_t got;
	int err = trace_reader__refresh(f->r, &n);

	while (!err &&
	       (got = trace_reader__read(f->r, f->buf, FOLLOW_CHUNK)) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			const struct trace_interval *v = &f->buf[i];

			if (v->region >= f->nnames)
				continue;
			f->rows[v->region].calls++;
			f->rows[v->region].total_ns += v->end_ns - v->start_ns;
		}
		f->intervals += got;
	}
	return err ?: (got < 0 ? (int)got : 0);
}

/* The region with the most time not yet printed, or -1. */
static long next_top(const struct follow *f, const bool *shown)
{
	long best = -1;

	for (size_t i = 0; i < f->nnames; i++) {
		if (shown[i] || !f->rows[i].calls)
			continue;
		if (best < 0 || f->rows[i].total_ns > f->rows[best].total_ns)
			best = i;
	}
	return best;
}

static void follow__print(struct follow *f, FILE *out, bool finished)
{
	bool shown[f->nnames ?: 1];
	char total[32], mean[32];

	memset(shown, 0, sizeof(shown));
	fprintf(out, "%s: %llu intervals (+%llu)%s\n", f->path,
		(unsigned long long)f->intervals,
		(unsigned long long)(f->intervals - f->last),
		finished ? ", finished" : "");
	f->last = f->intervals;
	fprintf(out, "%-20s %12s %10s %10s\n", "region", "calls", "total",
		"mean");
	for (int k = 0; k < FOLLOW_TOP; k++) {
		long i = next_top(f, shown);

		if (i < 0)
			break;
		shown[i] = true;
		report__fmt_ns(total, sizeof(total), f->rows[i].total_ns);
		report__fmt_ns(mean, sizeof(mean),
			       f->rows[i].total_ns / f->rows[i].calls);
		fprintf(out, "%-20s %12llu %10s %10s\n",
			f->names[i] ? f->names[i] : "?",
			(unsigned long long)f->rows[i].calls, total, mean);
	}
	fputc('\n', out);
	fflush(out);
}

/* Whether the agent finished the file. HDF5 gives a process that has the
 * file open the view it opened (SWMR's, which never sees SWMR end), so the
 * reader closes for a fresh look and opens again where it was. */
static int finished(struct follow *f, bool *done)
{
	trace_reader__free(f->r);
	f->r = NULL;
	*done = trace_file__is_finished(f->path) == 1;
	if (*done)
		return 0;
	f->r = trace_reader__open(f->path);
	if (!f->r)
		return -errno;
	return trace_reader__seek(f->r, f->intervals);
}

static void follow__free(struct follow *f)
{
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	free(f->names);
	free(f->rows);
	trace_reader__free(f->r);
	free(f);
}

int follow__run(const char *path, FILE *out)
{
	struct timespec second = { 1, 0 };
	struct follow *f = calloc(1, sizeof(*f));
	bool done = false;
	int err;

	if (!f)
		return EXIT_FAIL;
	f->path = path;
	f->r = trace_reader__open(path); /* says why not */
	err = f->r ? trace_reader__region_names(f->r, &f->names, &f->nnames) :
		     -EIO;
	if (!err) {
		f->rows = calloc(f->nnames ?: 1, sizeof(*f->rows));
		err = f->rows ? 0 : -ENOMEM;
	}
	if (err) {
		if (f->r)
			pr_err("%s: cannot read its regions: %s\n", path,
			       strerror(-err));
		follow__free(f);
		return EXIT_FAIL;
	}
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	while (!err && !done && !stop) {
		err = follow__read(f);
		if (!err && f->intervals == f->last)
			err = finished(f, &done);
		if (!err)
			follow__print(f, out, done);
		if (!done)
			nanosleep(&second, NULL);
	}
	if (err)
		pr_err("%s: %s\n", path, strerror(-err));
	follow__free(f);
	return err ? EXIT_FAIL : EXIT_OK;
}
