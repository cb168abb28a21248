// SPDX-License-Identifier: MIT
/* Known region counts: counts THREADS ITERS DEPTH. Each worker thread runs
 * ITERS times: outer { inner x2, rec nested DEPTH deep, blockr }, so per worker
 * outer=ITERS inner=2*ITERS rec=DEPTH*ITERS blockr=ITERS; the main thread runs
 * main_region once around it all. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <scope_bpf.h>

static int iters, depth;
static volatile unsigned long sink;

static __attribute__((noinline)) void inner(void)
{
	SCOPE_BPF_BEGIN(inner);
	sink++;
	SCOPE_BPF_END(inner);
}

static __attribute__((noinline)) void rec(int d)
{
	SCOPE_BPF_BEGIN(rec);
	if (d > 1)
		rec(d - 1);
	sink++;
	SCOPE_BPF_END(rec);
}

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < iters; i++) {
		SCOPE_BPF_BEGIN(outer);
		inner();
		inner();
		rec(depth);
		SCOPE_BPF_REGION(blockr)
		{
			sink++;
		}
		SCOPE_BPF_END(outer);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 2;
	pthread_t tid[64];

	iters = argc > 2 ? atoi(argv[2]) : 1000;
	depth = argc > 3 ? atoi(argv[3]) : 3;
	if (threads < 1 || threads > 64 || iters < 0 || depth < 1)
		return 2;
	SCOPE_BPF_BEGIN(main_region);
	for (int t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, worker, NULL);
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	SCOPE_BPF_END(main_region);
	printf("counts: threads=%d iters=%d depth=%d\n", threads, iters, depth);
	return 0;
}
