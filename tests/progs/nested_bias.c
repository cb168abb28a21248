// SPDX-License-Identifier: MIT
/* The probes' bias and its compensation, measured in one run: nested_bias
 * ROUNDS. A parent region of ~8 us of its own work calls a ~20 ns child
 * region CHILDREN times. Each round runs the marked copy once and the
 * unmarked copy (the same code without markers) once, timed with
 * clock_gettime, so the truth comes from the same process, CPU and moment
 * as the measurement. At the end it prints, in ns:
 *   truth: child=MEDIAN parent_self=MEDIAN parent_total=MEDIAN
 * (parent_self: the parent's median less CHILDREN child medians) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

#define CHILDREN    10
#define PARENT_WORK 16000 /* iterations: ~8 us (0.5 ns each here) */
#define CHILD_WORK  32	  /* iterations: ~20 ns */
#define CHILD_TIMED 1000  /* unmarked child calls per timing */

static volatile unsigned long sink;

static inline __attribute__((always_inline)) void work(int n)
{
	for (int i = 0; i < n; i++)
		sink += i;
}

static __attribute__((noinline)) void child_marked(void)
{
	SCOPE_BPF_BEGIN(child);
	work(CHILD_WORK);
	SCOPE_BPF_END(child);
}

static __attribute__((noinline)) void parent_marked(void)
{
	SCOPE_BPF_BEGIN(parent);
	work(PARENT_WORK);
	for (int i = 0; i < CHILDREN; i++)
		child_marked();
	SCOPE_BPF_END(parent);
}

static __attribute__((noinline)) void child_plain(void)
{
	work(CHILD_WORK);
}

static __attribute__((noinline)) void parent_plain(void)
{
	work(PARENT_WORK);
	for (int i = 0; i < CHILDREN; i++)
		child_plain();
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median: a preemption in one round must not move the truth. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), by_value);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2000;
	double *parent, *child, t;

	if (rounds < 1)
		return 2;
	parent = calloc(rounds, sizeof(*parent));
	child = calloc(rounds, sizeof(*child));
	if (!parent || !child)
		return 1;
	for (int r = 0; r < rounds; r++) {
		parent_marked();
		t = now_ns();
		parent_plain();
		parent[r] = now_ns() - t;
		t = now_ns();
		for (int i = 0; i < CHILD_TIMED; i++)
			child_plain();
		child[r] = (now_ns() - t) / CHILD_TIMED;
	}
	t = median(child, rounds);
	printf("truth: child=%.1f parent_self=%.1f parent_total=%.1f\n", t,
	       median(parent, rounds) - CHILDREN * t, median(parent, rounds));
	free(parent);
	free(child);
	return 0;
}
