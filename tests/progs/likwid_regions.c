// SPDX-License-Identifier: MIT
/* A code instrumented with LIKWID's marker API, unchanged: likwid_regions
 * N [GO] (with GO, the regions start once the file GO exists, for a profiler
 * to attach first; it gives up after 30 s). Built with -DLIKWID_PERFMON against
 * liblikwid, and again with -include scope_bpf_likwid.h and no liblikwid.
 * Regions: `solve` N times, inside it step_0, step_1 and step_2 (tags built by
 * snprintf) N times each, and `setup` once. Prints its N first, as programs
 * print a banner: that maps the page of its strings (a probe cannot read a tag
 * in a page the process never touched, and liblikwid without likwid-perfctr
 * returns at once without reading it: docs/likwid.md). Prints what the first
 * START and STOP returned with liblikwid (there, without likwid-perfctr,
 * an error, and the program goes on). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <likwid-marker.h>

static volatile unsigned long sink;

int main(int argc, char **argv)
{
	int n = argc == 2 || argc == 3 ? atoi(argv[1]) : -1;
	char tag[16];

	if (n < 1) {
		fprintf(stderr, "usage: likwid_regions N [GO]\n");
		return 2;
	}
	for (int i = 0; argc == 3 && access(argv[2], F_OK); i++) {
		if (i == 3000)
			return 3;
		usleep(10000);
	}
	printf("likwid_regions: %d\n", n);
	fflush(stdout);
	LIKWID_MARKER_INIT;
	LIKWID_MARKER_THREADINIT;
	LIKWID_MARKER_REGISTER("solve");
	LIKWID_MARKER_START("setup");
	sink++;
	LIKWID_MARKER_STOP("setup");
	for (int i = 0; i < n; i++) {
#ifdef LIKWID_PERFMON
		int start = likwid_markerStartRegion("solve");

		if (!i)
			printf("likwid_regions: start %d\n", start);
#else
		LIKWID_MARKER_START("solve");
#endif
		for (int k = 0; k < 3; k++) {
			snprintf(tag, sizeof(tag), "step_%d", k);
			LIKWID_MARKER_START(tag);
			sink++;
			LIKWID_MARKER_STOP(tag);
		}
		LIKWID_MARKER_STOP("solve");
	}
	LIKWID_MARKER_CLOSE;
	printf("likwid_regions: done\n");
	return 0;
}
