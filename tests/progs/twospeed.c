// SPDX-License-Identifier: MIT
/* Two speeds for report --compare: twospeed [slow] [no-c] [with-d]. Regions
 * a, b and c run CALLS times each, spinning 1, 2 and 1.5 ms times a factor
 * drawn from [0.5, 1.5) by a fixed-seed generator: the same durations in
 * every run, with a spread the histograms show. "slow" doubles b's, "no-c"
 * skips c (it vanishes), "with-d" adds a region d of 0.5 ms (it appears). */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <scope_bpf.h>

#define CALLS 50

static uint64_t seed = 12345;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* @us times a factor in [0.5, 1.5), the next of a fixed sequence. */
static uint64_t jittered_ns(uint64_t us)
{
	seed = seed * 6364136223846793005ull + 1442695040888963407ull;
	return us * (500 + (seed >> 33) % 1000);
}

static void spin(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		;
}

static __attribute__((noinline)) void a(void)
{
	SCOPE_BPF_BEGIN(a);
	spin(jittered_ns(1000));
	SCOPE_BPF_END(a);
}

static __attribute__((noinline)) void b(int slow)
{
	SCOPE_BPF_BEGIN(b);
	spin(jittered_ns(slow ? 4000 : 2000));
	SCOPE_BPF_END(b);
}

static __attribute__((noinline)) void c(void)
{
	SCOPE_BPF_BEGIN(c);
	spin(jittered_ns(1500));
	SCOPE_BPF_END(c);
}

static __attribute__((noinline)) void d(void)
{
	SCOPE_BPF_BEGIN(d);
	spin(jittered_ns(500));
	SCOPE_BPF_END(d);
}

static int has(int argc, char **argv, const char *word)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], word))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int slow = has(argc, argv, "slow"), no_c = has(argc, argv, "no-c");
	int with_d = has(argc, argv, "with-d");

	for (int i = 0; i < CALLS; i++) {
		a();
		b(slow);
		if (!no_c)
			c();
		if (with_d)
			d();
	}
	return 0;
}
