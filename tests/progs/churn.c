// SPDX-License-Identifier: MIT
/* Short-lived threads: churn WAVES THREADS ITERS PAUSE_MS. WAVES times, start
 * THREADS threads that each run ITERS regions `work` with a nested `step`,
 * join them, and pause PAUSE_MS; so work = step = WAVES*THREADS*ITERS, in
 * WAVES*THREADS threads, none of them alive at the end. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

static int iters;
static volatile unsigned long sink;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < iters; i++) {
		SCOPE_BPF_BEGIN(work);
		SCOPE_BPF_REGION(step)
		{
			sink++;
		}
		SCOPE_BPF_END(work);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int waves = argc > 1 ? atoi(argv[1]) : 10;
	int threads = argc > 2 ? atoi(argv[2]) : 4;
	int pause_ms = argc > 4 ? atoi(argv[4]) : 10;
	struct timespec pause = { pause_ms / 1000, pause_ms % 1000 * 1000000L };
	pthread_t tid[64];

	iters = argc > 3 ? atoi(argv[3]) : 100;
	if (waves < 0 || threads < 1 || threads > 64 || iters < 0 ||
	    pause_ms < 0)
		return 2;
	for (int w = 0; w < waves; w++) {
		for (int t = 0; t < threads; t++)
			pthread_create(&tid[t], NULL, worker, NULL);
		for (int t = 0; t < threads; t++)
			pthread_join(tid[t], NULL);
		nanosleep(&pause, NULL);
	}
	printf("churn: waves=%d threads=%d iters=%d\n", waves, threads, iters);
	return 0;
}
