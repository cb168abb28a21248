// SPDX-License-Identifier: MIT
/*
 * heat: the scope-bpf demo. A 2-D heat stencil (Jacobi, 5-point) on pthreads,
 * rows split among threads, with marked regions:
 *
 *   init               once, in main: allocate and set boundary conditions
 *   step               per thread per step (block form)
 *     halo             per thread per step: copy the rows next to my slab
 *     reduce           per thread per step: residual sum, then a barrier
 *   output             in thread 0, every OUTPUT_EVERY steps and after the last
 *
 * Usage: heat [THREADS [STEPS [N]]]   (default 2 threads, 500 steps, N = 256)
 * It prints the region counts it expects, so a profile can be checked.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

#define OUTPUT_EVERY 100

struct heat {
	int n, steps, nthreads;
	double *cur, *next;
	double *partial; /* one residual per thread */
	pthread_barrier_t barrier;
};

struct worker {
	struct heat *h;
	int id, row0, row1; /* interior rows [row0, row1) */
	double halo[2][4096];
};

static double *at(const struct heat *h, double *g, int i, int j)
{
	return &g[(size_t)i * h->n + j];
}

static void init(struct heat *h)
{
	size_t cells = (size_t)h->n * h->n;

	SCOPE_BPF_BEGIN(init);
	h->cur = calloc(cells, sizeof(double));
	h->next = calloc(cells, sizeof(double));
	h->partial = calloc(h->nthreads, sizeof(double));
	if (!h->cur || !h->next || !h->partial) {
		perror("heat");
		exit(1);
	}
	for (int j = 0; j < h->n; j++) /* a hot top edge */
		*at(h, h->cur, 0, j) = *at(h, h->next, 0, j) = 100.0;
	SCOPE_BPF_END(init);
}

/* Stands in for an MPI halo exchange: copy the neighbour rows. */
static void halo(struct worker *w)
{
	struct heat *h = w->h;
	int n = h->n < 4096 ? h->n : 4096;

	SCOPE_BPF_BEGIN(halo);
	memcpy(w->halo[0], at(h, h->cur, w->row0 - 1, 0), n * sizeof(double));
	memcpy(w->halo[1], at(h, h->cur, w->row1, 0), n * sizeof(double));
	SCOPE_BPF_END(halo);
}

static double sweep(struct worker *w)
{
	struct heat *h = w->h;
	double res = 0;

	for (int i = w->row0; i < w->row1; i++) {
		for (int j = 1; j < h->n - 1; j++) {
			double v = 0.25 * (*at(h, h->cur, i - 1, j) +
					   *at(h, h->cur, i + 1, j) +
					   *at(h, h->cur, i, j - 1) +
					   *at(h, h->cur, i, j + 1));

			res += fabs(v - *at(h, h->cur, i, j));
			*at(h, h->next, i, j) = v;
		}
	}
	return res;
}

static double reduce(struct worker *w, double res)
{
	struct heat *h = w->h;
	double sum = 0;

	SCOPE_BPF_BEGIN(reduce);
	h->partial[w->id] = res;
	pthread_barrier_wait(&h->barrier);
	for (int t = 0; t < h->nthreads; t++)
		sum += h->partial[t];
	SCOPE_BPF_END(reduce);
	return sum;
}

static void output(const struct heat *h, int step, double res)
{
	SCOPE_BPF_BEGIN(output);
	printf("step %5d  residual %.6e  centre %.6f\n", step, res,
	       h->cur[(size_t)h->n / 2 * h->n + h->n / 2]);
	SCOPE_BPF_END(output);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct heat *h = w->h;

	for (int s = 1; s <= h->steps; s++) {
		SCOPE_BPF_REGION(step)
		{
			double res;

			halo(w);
			res = reduce(w, sweep(w));
			if (w->id == 0 &&
			    (s % OUTPUT_EVERY == 0 || s == h->steps))
				output(h, s, res);
			/* everyone has read cur before thread 0 swaps */
			pthread_barrier_wait(&h->barrier);
			if (w->id == 0) {
				double *t = h->cur;

				h->cur = h->next;
				h->next = t;
			}
			pthread_barrier_wait(&h->barrier);
		}
	}
	return NULL;
}

static int arg(int argc, char **argv, int i, int def, int max)
{
	int v = argc > i ? atoi(argv[i]) : def;

	if (v < 1 || v > max) {
		fprintf(stderr, "usage: heat [THREADS [STEPS [N]]]\n");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct heat h = {
		.nthreads = arg(argc, argv, 1, 2, 256),
		.steps = arg(argc, argv, 2, 500, 10000000),
		.n = arg(argc, argv, 3, 256, 4096),
	};
	pthread_t tid[256];
	struct worker *w;
	int rows, outputs;

	if (h.n - 2 < h.nthreads) {
		fprintf(stderr, "heat: N must exceed THREADS + 2\n");
		return 2;
	}
	init(&h);
	w = calloc(h.nthreads, sizeof(*w));
	if (!w)
		return 1;
	pthread_barrier_init(&h.barrier, NULL, h.nthreads);
	rows = (h.n - 2) / h.nthreads;
	for (int t = 0; t < h.nthreads; t++) {
		w[t] = (struct worker){ .h = &h,
					.id = t,
					.row0 = 1 + t * rows };
		w[t].row1 = t == h.nthreads - 1 ? h.n - 1 : w[t].row0 + rows;
		pthread_create(&tid[t], NULL, work, &w[t]);
	}
	for (int t = 0; t < h.nthreads; t++)
		pthread_join(tid[t], NULL);

	outputs = h.steps / OUTPUT_EVERY + (h.steps % OUTPUT_EVERY != 0);
	printf("expected regions: init=1 step=%d halo=%d reduce=%d output=%d\n",
	       h.nthreads * h.steps, h.nthreads * h.steps, h.nthreads * h.steps,
	       outputs);
	free(w);
	free(h.cur);
	free(h.next);
	free(h.partial);
	return 0;
}
