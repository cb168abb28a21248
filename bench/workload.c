// SPDX-License-Identifier: MIT
/*
 * The benchmark workload: regions with an empty body, as fast as each thread
 * can run them (or at a set rate), timed by the workload itself.
 *
 *   workload [--form FORM] [--threads T] [--count N | --seconds S]
 *            [--rate R] [--warmup W] [--wait] [--hold]
 *
 * FORM is the probe site a region's begin and end sit on:
 *   marker  SCOPE_BPF_BEGIN/END: what scope_bpf.h emits (a 1-byte nop, the
 *           trap site, and a 5-byte nop between two lea, the trampoline
 *           site; the harness probes one or the other)
 *   nop5    a call to a small function that starts with a 5-byte nop
 *   entry   a call to a small function that starts with `push %rbp`, as an
 *           ordinary function entry does
 *   func    one call a region of bench_func (`push %rbp` first), for --func:
 *           the region is the call, from an entry probe to a return probe
 *   func-endbr  the same with bench_func_endbr, which starts with endbr64
 *           (what -fcf-protection puts first in every function)
 *   named   scope_bpf_begin_named/end_named("empty"): the marker's sites
 *           with the name's address in %rdi (a name computed at run time)
 *
 * --wait stops after start-up until SIGUSR1, so that a tool can attach to the
 * process first; W warm-up regions per thread then run untimed (the kernel
 * rewrites a probed 5-byte nop on its first hit). --hold goes on warming up
 * after those until SIGUSR2: a tool that settles its probes on the running
 * regions first (scope-bpf's site trial) is timed once it has. One line on
 * stdout:
 *   regions=N seconds=S ns_per_region=X ns_mean=M regions_per_s=Y warmup=W
 * With --count, each thread times its regions in slices of 10,000 and
 * ns_per_region is the median slice (averaged over threads): a burst of
 * interference from the host moves a few slices, not the figure; ns_mean is
 * the plain mean. regions_per_s counts all threads over the wall time.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <scope_bpf.h>

/* The function forms, in assembly so that the probed instruction is exactly
 * the one named, whatever the compiler's options. */
__asm__(".text\n"
	".globl bench_nop5_begin, bench_nop5_end, bench_entry_begin, bench_entry_end\n"
	".type bench_nop5_begin, @function\n"
	"bench_nop5_begin:\n\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\tret\n"
	".size bench_nop5_begin, .-bench_nop5_begin\n"
	".type bench_nop5_end, @function\n"
	"bench_nop5_end:\n\t.byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\tret\n"
	".size bench_nop5_end, .-bench_nop5_end\n"
	".type bench_entry_begin, @function\n"
	"bench_entry_begin:\n\tpush %rbp\n\tpop %rbp\n\tret\n"
	".size bench_entry_begin, .-bench_entry_begin\n"
	".type bench_entry_end, @function\n"
	"bench_entry_end:\n\tpush %rbp\n\tpop %rbp\n\tret\n"
	".size bench_entry_end, .-bench_entry_end\n"
	".globl bench_func, bench_func_endbr\n"
	".type bench_func, @function\n"
	"bench_func:\n\tpush %rbp\n\tpop %rbp\n\tret\n"
	".size bench_func, .-bench_func\n"
	".type bench_func_endbr, @function\n"
	"bench_func_endbr:\n\t.byte 0xf3, 0x0f, 0x1e, 0xfa\n"
	"\tpush %rbp\n\tpop %rbp\n\tret\n"
	".size bench_func_endbr, .-bench_func_endbr\n");
void bench_nop5_begin(void);
void bench_nop5_end(void);
void bench_entry_begin(void);
void bench_entry_end(void);
void bench_func(void);
void bench_func_endbr(void);

enum form {
	FORM_MARKER,
	FORM_NOP5,
	FORM_ENTRY,
	FORM_FUNC,
	FORM_FUNC_ENDBR,
	FORM_NAMED
};

static struct {
	enum form form;
	int threads;
	uint64_t count, warmup;
	double seconds, rate;
	int wait;
	int hold;
} opt = { .threads = 1, .count = 1000000 };

struct worker {
	pthread_t thread;
	uint64_t done;
	uint64_t warm; /* untimed warm-up regions */
	double elapsed;
	double median; /* ns per region of the median slice */
};

/* Regions per timed slice in --count mode. */
#define SLICE 10000

static pthread_barrier_t start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A symbol at the site of the marker that follows: tools that take a
 * symbol where they cannot take an address (bpftrace checks that an address
 * inside a function is an instruction boundary, and cannot on Debian's
 * build) attach to exactly the same nop. The harness checks that the symbol
 * and the site agree. */
#define SITE_SYMBOL(sym)                                                       \
	__asm__ __volatile__(".globl " #sym "\n\t.type " #sym                  \
			     ", @function\n\t.size " #sym ", 1\n" #sym ":")

/* The hot loop users write; once in the program, for the symbols' sake. */
static __attribute__((noinline)) void marker_regions(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		SITE_SYMBOL(bench_marker_begin);
		SCOPE_BPF_BEGIN(empty);
		SITE_SYMBOL(bench_marker_end);
		SCOPE_BPF_END(empty);
	}
}

/* The same with a run-time name; volatile, so the compiler loads the
 * address as a name computed at run time would need. */
static const char *volatile named_name = "empty";

static __attribute__((noinline)) void named_regions(uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		const char *name = named_name;

		scope_bpf_begin_named(name);
		scope_bpf_end_named(name);
	}
}

/* @n regions of the chosen form. The function forms add a call and a
 * return per site. */
static void regions(uint64_t n)
{
	switch (opt.form) {
	case FORM_MARKER:
		marker_regions(n);
		break;
	case FORM_NAMED:
		named_regions(n);
		break;
	case FORM_NOP5:
		for (uint64_t i = 0; i < n; i++) {
			bench_nop5_begin();
			bench_nop5_end();
		}
		break;
	case FORM_ENTRY:
		for (uint64_t i = 0; i < n; i++) {
			bench_entry_begin();
			bench_entry_end();
		}
		break;
	case FORM_FUNC:
		for (uint64_t i = 0; i < n; i++)
			bench_func();
		break;
	case FORM_FUNC_ENDBR:
		for (uint64_t i = 0; i < n; i++)
			bench_func_endbr();
		break;
	}
}

static void sleep_until(double t)
{
	struct timespec ts = { .tv_sec = (time_t)t };

	ts.tv_nsec = (long)((t - ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/* Batches small enough to check the clock often, large enough that the
 * check costs nothing next to the regions. */
#define BATCH 1000

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* opt.count regions in slices, each timed; the median slice in ns/region. */
static double timed_slices(void)
{
	uint64_t n = (opt.count + SLICE - 1) / SLICE, left = opt.count;
	double *ns = calloc(n, sizeof(*ns)), med;

	if (!ns)
		exit(1);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t k = left < SLICE ? left : SLICE;
		double t = now();

		regions(k);
		ns[i] = (now() - t) * 1e9 / k;
		left -= k;
	}
	qsort(ns, n, sizeof(*ns), cmp_double);
	med = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
	free(ns);
	return med;
}

/* --hold: SIGUSR2 ends the warm-up */
static volatile sig_atomic_t released;

static void release(int sig)
{
	(void)sig;
	released = 1;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	double t0, deadline;

	regions(opt.warmup);
	w->warm = opt.warmup;
	for (; opt.hold && !released; w->warm += 1000)
		regions(1000);
	pthread_barrier_wait(&start);
	t0 = now();
	deadline = t0 + opt.seconds;
	if (!opt.seconds && !opt.rate) {
		w->median = timed_slices();
		w->done = opt.count;
	} else {
		for (;;) {
			double t = now();

			if (opt.seconds ? t >= deadline : w->done >= opt.count)
				break;
			if (opt.rate)
				sleep_until(t0 + w->done / opt.rate);
			regions(BATCH);
			w->done += BATCH;
		}
	}
	w->elapsed = now() - t0;
	if (!w->median)
		w->median = w->elapsed * 1e9 / (w->done ? w->done : 1);
	return NULL;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [--form marker|nop5|entry|func|func-endbr] [--threads T] [--count N | --seconds S]\n"
		"          [--rate R] [--warmup W] [--wait] [--hold]\n",
		prog);
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "form", 1, 0, 'f' },
		{ "threads", 1, 0, 't' },
		{ "count", 1, 0, 'n' },
		{ "seconds", 1, 0, 's' },
		{ "rate", 1, 0, 'r' },
		{ "warmup", 1, 0, 'w' },
		{ "wait", 0, 0, 'W' },
		{ "hold", 0, 0, 'H' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "marker"))
				opt.form = FORM_MARKER;
			else if (!strcmp(optarg, "nop5"))
				opt.form = FORM_NOP5;
			else if (!strcmp(optarg, "entry"))
				opt.form = FORM_ENTRY;
			else if (!strcmp(optarg, "func"))
				opt.form = FORM_FUNC;
			else if (!strcmp(optarg, "func-endbr"))
				opt.form = FORM_FUNC_ENDBR;
			else if (!strcmp(optarg, "named"))
				opt.form = FORM_NAMED;
			else
				usage(argv[0]);
			break;
		case 't':
			opt.threads = atoi(optarg);
			break;
		case 'n':
			opt.count = strtoull(optarg, NULL, 0);
			break;
		case 's':
			opt.seconds = atof(optarg);
			break;
		case 'r':
			opt.rate = atof(optarg);
			break;
		case 'w':
			opt.warmup = strtoull(optarg, NULL, 0);
			break;
		case 'H':
			opt.hold = 1;
			break;
		case 'W':
			opt.wait = 1;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc || opt.threads < 1 || opt.threads > 256 ||
	    opt.seconds < 0 || opt.rate < 0)
		usage(argv[0]);
}

int main(int argc, char **argv)
{
	struct worker *w;
	uint64_t total = 0, warm = 0;
	double t0, wall, per = 0, med = 0;
	sigset_t set;
	int sig;

	parse(argc, argv);
	w = calloc(opt.threads, sizeof(*w));
	if (!w)
		return 1;
	if (opt.hold)
		signal(SIGUSR2, release);
	if (opt.wait) {
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		sigwait(&set, &sig);
	}
	pthread_barrier_init(&start, NULL, opt.threads + 1);
	for (int i = 0; i < opt.threads; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]))
			return 1;
	pthread_barrier_wait(&start);
	t0 = now();
	for (int i = 0; i < opt.threads; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].done;
		warm += w[i].warm;
		per += w[i].elapsed * 1e9 / (w[i].done ? w[i].done : 1);
		med += w[i].median;
	}
	wall = now() - t0;
	printf("regions=%llu seconds=%.6f ns_per_region=%.3f ns_mean=%.3f regions_per_s=%.0f warmup=%llu\n",
	       (unsigned long long)total, wall, med / opt.threads,
	       per / opt.threads, total / wall, (unsigned long long)warm);
	return 0;
}
