// SPDX-License-Identifier: MIT
/*
 * The thread-scaling producer: THREADS threads, each running empty marked
 * regions (SCOPE_BPF_BEGIN/END) in the tightest loop it can, for SECONDS or
 * for N regions each. Run under `scope-bpf run` by bench/run.sh's scaling
 * figure.
 *
 *   spin_threads [-s SECONDS | -n REGIONS_PER_THREAD] [-p] THREADS
 *
 * Every region runs between the start barrier and the last join, the
 * window timed. On stdout, one line per thread and one for the run:
 *   thread tid=T regions=N
 *   threads=T regions=N seconds=S regions_per_s=R [agent_cpu_ns=C]
 * so that the harness compares each thread's count with the profile's.
 * -p: C is the CPU time (user + system, all threads) the parent process
 * used during the window, the agent's under `scope-bpf run` (-1 when the
 * parent's CPU clock cannot be read).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <scope_bpf.h>

struct worker {
	pthread_t thread;
	pid_t tid;
	uint64_t done;
};

static struct {
	double seconds;
	uint64_t count;
	int threads;
	int parent_cpu;
} opt = { .seconds = 1 };

static atomic_int stop;
static pthread_barrier_t start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The loop the figure is about: a region, a relaxed load, an increment. */
static __attribute__((noinline)) uint64_t spin(void)
{
	uint64_t n = 0;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		SCOPE_BPF_BEGIN(spin);
		SCOPE_BPF_END(spin);
		n++;
	}
	return n;
}

static __attribute__((noinline)) void spin_n(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(spin);
		SCOPE_BPF_END(spin);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;

	w->tid = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&start);
	if (opt.count) {
		spin_n(opt.count);
		w->done = opt.count;
	} else {
		w->done = spin();
	}
	return NULL;
}

/* The parent's CPU time in ns, or -1 when it cannot be read. */
static long long parent_cpu_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-s SECONDS | -n REGIONS_PER_THREAD] [-p] THREADS\n",
		prog);
	exit(2);
}

static void parse(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "s:n:p")) != -1) {
		switch (c) {
		case 's':
			opt.seconds = atof(optarg);
			opt.count = 0;
			break;
		case 'n':
			opt.count = strtoull(optarg, NULL, 0);
			break;
		case 'p':
			opt.parent_cpu = 1;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc - 1)
		usage(argv[0]);
	opt.threads = atoi(argv[optind]);
	if (opt.threads < 1 || opt.threads > 1024 || opt.seconds <= 0)
		usage(argv[0]);
}

int main(int argc, char **argv)
{
	struct timespec nap;
	long long c0 = -1, c1 = -1;
	struct worker *w;
	clockid_t clk;
	uint64_t total = 0;
	double t0, wall;

	parse(argc, argv);
	w = calloc(opt.threads, sizeof(*w));
	if (!w)
		return 1;
	/* no clock for the parent: agent_cpu_ns=-1, the regions still run */
	if (opt.parent_cpu && clock_getcpuclockid(getppid(), &clk))
		opt.parent_cpu = -1;
	pthread_barrier_init(&start, NULL, opt.threads + 1);
	for (int i = 0; i < opt.threads; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]))
			return 1;
	pthread_barrier_wait(&start);
	t0 = now();
	if (opt.parent_cpu > 0)
		c0 = parent_cpu_ns(clk);
	if (!opt.count) {
		nap.tv_sec = (time_t)opt.seconds;
		nap.tv_nsec = (long)((opt.seconds - nap.tv_sec) * 1e9);
		while (nanosleep(&nap, &nap))
			;
		atomic_store_explicit(&stop, 1, memory_order_relaxed);
	}
	for (int i = 0; i < opt.threads; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].done;
	}
	wall = now() - t0;
	if (opt.parent_cpu > 0)
		c1 = parent_cpu_ns(clk);
	for (int i = 0; i < opt.threads; i++)
		printf("thread tid=%d regions=%llu\n", (int)w[i].tid,
		       (unsigned long long)w[i].done);
	printf("threads=%d regions=%llu seconds=%.6f regions_per_s=%.0f",
	       opt.threads, (unsigned long long)total, wall, total / wall);
	if (opt.parent_cpu)
		printf(" agent_cpu_ns=%lld", c0 < 0 || c1 < 0 ? -1 : c1 - c0);
	printf("\n");
	free(w);
	return 0;
}
