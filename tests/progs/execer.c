// SPDX-License-Identifier: MIT
/* A command that execs another during the profile:
 * execer [-w FILE] K [PROG ARGS...]. Waits until FILE exists (an agent has
 * attached) if given, runs the region `step` K times, then execs PROG ARGS
 * (execer itself again, or another binary) if given, else exits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scope_bpf.h>

static volatile unsigned long sink;

static __attribute__((noinline)) void step(int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(step);
		sink++;
		SCOPE_BPF_END(step);
	}
}

int main(int argc, char **argv)
{
	int k;

	if (argc > 2 && !strcmp(argv[1], "-w")) {
		while (access(argv[2], F_OK))
			usleep(10000);
		argc -= 2;
		argv += 2;
	}
	k = argc > 1 ? atoi(argv[1]) : 10;
	step(k);
	printf("execer: %d\n", k);
	fflush(stdout);
	if (argc < 3)
		return 0;
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
