// SPDX-License-Identifier: MIT
/* A long-running target for attach: ticker SECONDS runs a 1 ms `tick` region
 * in a loop until SECONDS have passed, prints how many, exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5, end = now() + secs;
	struct timespec ms = { 0, 1000000L };
	long ticks = 0;

	while (now() < end) {
		SCOPE_BPF_BEGIN(tick);
		nanosleep(&ms, NULL);
		SCOPE_BPF_END(tick);
		ticks++;
	}
	printf("ticks %ld\n", ticks);
	return 0;
}
