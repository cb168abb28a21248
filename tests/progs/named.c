// SPDX-License-Identifier: MIT
/* Threads that name themselves and exit early: named THREADS. Worker i
 * calls itself "early-i", runs 100 `work` regions (a full batch of 64
 * leaves while it has that name), renames itself "w-i", runs 10 more and
 * exits; the main thread then waits, in `after`, until every worker is
 * long gone from /proc. The profile must show each worker as "w-i". */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

static volatile unsigned long sink;

static void work(int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(work);
		sink++;
		SCOPE_BPF_END(work);
	}
}

static void *worker(void *arg)
{
	char name[16];

	snprintf(name, sizeof(name), "early-%d", (int)(long)arg);
	pthread_setname_np(pthread_self(), name);
	work(100);
	snprintf(name, sizeof(name), "w-%d", (int)(long)arg);
	pthread_setname_np(pthread_self(), name);
	work(10);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	struct timespec pause = { 0, 300 * 1000 * 1000 };
	pthread_t *tid;

	if (threads < 1 || threads > 4096)
		return 2;
	tid = calloc(threads, sizeof(*tid));
	if (!tid)
		return 1;
	for (int t = 0; t < threads; t++)
		pthread_create(&tid[t], NULL, worker, (void *)(long)t);
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	SCOPE_BPF_BEGIN(after);
	nanosleep(&pause, NULL);
	SCOPE_BPF_END(after);
	free(tid);
	return 0;
}
