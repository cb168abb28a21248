// SPDX-License-Identifier: MIT
/* Regions whose counter values are known, each printed as the program
 * measures them itself (its threads' own task-clock, getrusage):
 *   counted work     spin: 3 calls of 20 ms on the CPU; nap: one 50 ms
 *                    sleep; naps: 2 calls of 3 sleeps; touch: 3 calls that
 *                    each touch 64 fresh pages once
 *   counted share    two threads pinned to one CPU, each in `shared` for
 *                    300 ms of wall time
 *   counted migrate  `moved`: 40 ms on the CPU, a move to the next CPU
 *                    (sched_setaffinity), 40 ms more, 5 times
 *   counted perf GO  waits for the file GO, then `all` around the work
 *                    above, and prints what the process did outside it
 *                    after main() began, and before
 * Lines: "truth REGION TID cpu_ns=N cs=N faults=N" summed per thread. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <scope_bpf.h>

#define PAGES 64

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The calling thread's task-clock from its own perf event, the measure
 * the profiler's task-clock is. Not CLOCK_THREAD_CPUTIME_ID: in a VM the
 * scheduler leaves the time the host stole from the vCPU out of a thread's
 * CPU time (PARAVIRT_TIME_ACCOUNTING), while perf's task-clock runs on the
 * wall clock of the thread's time on the CPU, steal included: 3% of a
 * spin on a busy host. */
static uint64_t cpu_ns(void)
{
	static __thread int fd = -1;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_TASK_CLOCK,
	};
	uint64_t v;

	if (fd < 0)
		fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0 || read(fd, &v, sizeof(v)) != sizeof(v)) {
		perror("counted: the thread's task-clock");
		exit(1);
	}
	return v;
}

static void spin_cpu(uint64_t ns)
{
	uint64_t end = cpu_ns() + ns;

	while (cpu_ns() < end)
		;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

static void truth(const char *region, uint64_t cpu, long cs, long faults)
{
	printf("truth %s %ld cpu_ns=%llu cs=%ld faults=%ld\n", region,
	       (long)syscall(SYS_gettid), (unsigned long long)cpu, cs, faults);
}

static void touch_pages(void)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p = mmap(NULL, PAGES * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(1);
	/* one fault a page: no huge page that would serve them all */
	madvise((void *)p, PAGES * page, MADV_NOHUGEPAGE);
	for (int i = 0; i < PAGES; i++)
		p[i * page] = 1;
	munmap((void *)p, PAGES * page);
}

static void work(void)
{
	uint64_t cpu = 0, t;

	for (int i = 0; i < 3; i++) {
		SCOPE_BPF_BEGIN(spin);
		t = cpu_ns();
		spin_cpu(20000000);
		cpu += cpu_ns() - t;
		SCOPE_BPF_END(spin);
	}
	truth("spin", cpu, 0, 0);
	SCOPE_BPF_BEGIN(nap);
	sleep_ms(50);
	SCOPE_BPF_END(nap);
	truth("nap", 0, 1, 0);
	for (int i = 0; i < 2; i++) {
		SCOPE_BPF_BEGIN(naps);
		for (int j = 0; j < 3; j++)
			sleep_ms(5);
		SCOPE_BPF_END(naps);
	}
	truth("naps", 0, 6, 0);
	/* once outside: the first call's own faults (its code, the lazy
	 * binding of mmap and madvise) are no first touch of the pages */
	touch_pages();
	for (int i = 0; i < 3; i++) {
		SCOPE_BPF_BEGIN(touch);
		touch_pages();
		SCOPE_BPF_END(touch);
	}
	truth("touch", 0, 0, 3 * PAGES);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity");
}

static void *sharer(void *arg)
{
	uint64_t end, t;

	(void)arg;
	cpu_ns(); /* the thread's clock from its start */
	pin(0);
	SCOPE_BPF_BEGIN(shared);
	t = cpu_ns();
	end = clock_ns(CLOCK_MONOTONIC) + 300000000ull;
	while (clock_ns(CLOCK_MONOTONIC) < end)
		;
	t = cpu_ns() - t;
	SCOPE_BPF_END(shared);
	truth("shared", t, 0, 0);
	/* the thread's whole task clock */
	truth("thread", cpu_ns(), 0, 0);
	return NULL;
}

static void share(void)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, sharer, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

static void migrate(void)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t cpu = 0, t;

	for (int i = 0; i < 5; i++) {
		pin(0);
		SCOPE_BPF_BEGIN(moved);
		t = cpu_ns();
		spin_cpu(40000000);
		pin(1 % ncpu);
		spin_cpu(40000000);
		cpu += cpu_ns() - t;
		SCOPE_BPF_END(moved);
	}
	truth("moved", cpu, 0, 0);
}

/* What the process did so far (CPU time, switches, faults). */
static void usage_now(uint64_t *cpu, long *cs, long *faults)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*cpu = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	*cs = ru.ru_nvcsw + ru.ru_nivcsw;
	*faults = ru.ru_minflt + ru.ru_majflt;
}

/* perf stat counts from the exec on; the process's own totals start at
 * its fork: what came before main() is printed apart, and perf counted
 * between none and all of it. */
static void perf_run(const char *go)
{
	uint64_t cm, c0, c1, c2;
	long sm, s0, s1, s2, fm, f0, f1, f2;

	usage_now(&cm, &sm, &fm);
	printf("premain cpu_ns=%llu cs=%ld faults=%ld\n",
	       (unsigned long long)cm, sm, fm);
	while (access(go, F_OK))
		sleep_ms(10);
	usage_now(&c0, &s0, &f0);
	SCOPE_BPF_BEGIN(all);
	work();
	usage_now(&c1, &s1, &f1);
	SCOPE_BPF_END(all);
	usage_now(&c2, &s2, &f2);
	/* outside `all`: before it, and between its END and the last look */
	printf("outside cpu_ns=%llu cs=%ld faults=%ld\n",
	       (unsigned long long)(c0 - cm + (c2 - c1)), s0 - sm + (s2 - s1),
	       f0 - fm + (f2 - f1));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "work";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "work"))
		work();
	else if (!strcmp(mode, "share"))
		share();
	else if (!strcmp(mode, "migrate"))
		migrate();
	else if (!strcmp(mode, "perf") && argc > 2)
		perf_run(argv[2]);
	else
		return 2;
	return 0;
}
