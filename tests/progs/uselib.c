// SPDX-License-Identifier: MIT
/* Calls into libmarked.so: uselib ITERS [SLEEP_US]. Each iteration runs
 * app_loop { lib_work }, so both regions count ITERS. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <scope_bpf.h>

void lib_work(int n);

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 100;
	int pause_us = argc > 2 ? atoi(argv[2]) : 0;

	for (int i = 0; i < iters; i++) {
		SCOPE_BPF_BEGIN(app_loop);
		lib_work(100);
		SCOPE_BPF_END(app_loop);
		if (pause_us)
			usleep(pause_us);
	}
	printf("uselib: %d\n", iters);
	return 0;
}
