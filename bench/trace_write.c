// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The trace writer alone (hdf5/trace_file.c): N synthetic intervals of a
 * plausible run (4 threads, 20 regions nested up to 4 deep, a few hundred
 * ns each) as fast as it takes them, then the rate and the file's bytes
 * per interval.
 *
 * Usage: trace_write FILE [N [LEVEL [CHUNK_ROWS [NCOUNTERS [WRITERS
 *        [full]]]]]] (0: the default; full: zlib's default strategy) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hdf5/trace_file.h"

#define BATCH 4096

static const char *const names[] = { "task-clock", "page-faults" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A cheap LCG drives durations, threads and regions. */
static void batch__fill(struct trace_interval *v, size_t n, uint64_t *clock,
			uint32_t *seed)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t r = (*seed = *seed * 1103515245u + 12345u) >> 8;

		*clock += 50 + r % 200;
		v[i].start_ns = *clock;
		v[i].end_ns = *clock + 20 + (r >> 8) % 500;
		v[i].pid = 31337;
		v[i].tid = 31337 + (r & 3);
		v[i].region = 1 + (r >> 2) % 20;
		v[i].depth = (r >> 7) % 4;
		v[i].parent = v[i].depth ? v[i].region - 1 : TRACE_NO_PARENT;
		v[i].path = 0x9e3779b97f4a7c15ull *
			    (v[i].region * 7 + v[i].depth + 1);
		v[i].counters[0] = v[i].end_ns - v[i].start_ns;
		v[i].counters[1] = !(r % 64);
	}
}

int main(int argc, char **argv)
{
	static struct trace_interval v[BATCH];
	/* block: the rate is what the writer sustains, not how fast the
	 * loop can drop */
	struct trace_file_opts o = { .counter_names = names, .block = true };
	uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 20000000;
	uint64_t clock = 1000000000000000ull, done = 0;
	uint32_t seed = 1;
	double t0, t1;
	struct trace_file *tf;
	struct profile p = { 0 };
	struct stat st;

	if (argc < 2) {
		fprintf(stderr,
			"usage: %s FILE [N [LEVEL [CHUNK [NCOUNTERS [WRITERS "
			"[full]]]]]]\n",
			argv[0]);
		return 2;
	}
	o.level = argc > 3 ? atoi(argv[3]) : 0;
	o.chunk_rows = argc > 4 ? strtoul(argv[4], NULL, 10) : 0;
	o.ncounters = argc > 5 ? strtoul(argv[5], NULL, 10) : 0;
	o.writers = argc > 6 ? strtoul(argv[6], NULL, 10) : 0;
	o.full_deflate = argc > 7 && !strcmp(argv[7], "full");
	unlink(argv[1]);
	tf = trace_file__create(argv[1], &o);
	if (!tf)
		return 1;
	t0 = now();
	while (done < n) {
		size_t k = n - done < BATCH ? n - done : BATCH;

		batch__fill(v, k, &clock, &seed);
		if (trace_file__append(tf, v, k))
			return 1;
		done += k;
	}
	if (trace_file__flush(tf))
		return 1;
	t1 = now();
	if (trace_file__finish(tf, &p) || stat(argv[1], &st))
		return 1;
	printf("trace_write_rate=%.0f bytes_per_interval=%.2f\n", n / (t1 - t0),
	       (double)st.st_size / n);
	return 0;
}
