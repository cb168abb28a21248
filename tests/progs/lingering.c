// SPDX-License-Identifier: MIT
/* Threads that stay alive after their regions: lingering THREADS N. Waits for
 * SIGUSR1, then each thread runs N `linger` regions, the main thread prints
 * "done" and everyone sleeps until killed. Records still batched in the
 * threads when the profile stops must reach the file. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <scope_bpf.h>

static long n;
static pthread_barrier_t done;

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(linger);
		SCOPE_BPF_END(linger);
	}
	pthread_barrier_wait(&done);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t t;
	sigset_t set;
	int sig;

	n = argc > 2 ? atol(argv[2]) : 100;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
	pthread_barrier_init(&done, NULL, threads + 1);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t, NULL, worker, NULL))
			return 1;
	pthread_barrier_wait(&done);
	printf("done\n");
	fflush(stdout);
	for (;;)
		pause();
}
