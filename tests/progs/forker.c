// SPDX-License-Identifier: MIT
/* A command whose child runs marked regions: forker PARENT_N CHILD_N. The
 * parent runs `work` PARENT_N times, its forked child CHILD_N times (the
 * child inherits the probe sites); the parent waits for the child. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <scope_bpf.h>

static volatile unsigned long sink;

static __attribute__((noinline)) void work(int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(work);
		sink++;
		SCOPE_BPF_END(work);
	}
}

int main(int argc, char **argv)
{
	int parent_n = argc > 1 ? atoi(argv[1]) : 100;
	int child_n = argc > 2 ? atoi(argv[2]) : 10;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		work(child_n);
		_exit(0);
	}
	work(parent_n);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 3;
	printf("forker: parent %d, child %d\n", parent_n, child_n);
	return 0;
}
