// SPDX-License-Identifier: MIT
/* Cost of a marked region with no agent attached: built twice, with markers
 * and with -DSCOPE_BPF_DISABLE, and run side by side by bench/run.sh.
 * Prints "ns_per_region <value>". Usage: detached [REGIONS] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

static volatile unsigned long sink;

static __attribute__((noinline)) void body(unsigned long i)
{
	sink += i;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000000L;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(bench);
		body(i);
		SCOPE_BPF_END(bench);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("ns_per_region %.3f\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
