// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A target with known markers for the discovery tests: each form of marker,
 * and a region with two END sites. tests/unit/test_sites.c finds the line of
 * each marker by searching this file, so keep each marker on its own line.
 *
 *     markers [N]    run every region N times (default 1), exit 0
 *
 * Per run: alpha, gamma and delta once each; beta once, through its early
 * END on odd iterations and its last END on even ones. */
#include <stdlib.h>

#include <scope_bpf.h>

/* Stores the compiler must keep, so no region body is empty. */
static volatile int sink;

/* noinline: each marker must be emitted exactly once, not once per caller. */
static __attribute__((noinline)) void run_alpha(void)
{
	SCOPE_BPF_BEGIN(alpha);
	sink++;
	SCOPE_BPF_END(alpha);
}

static __attribute__((noinline)) int run_beta(int early)
{
	SCOPE_BPF_BEGIN(beta);
	sink++;
	if (early) {
		SCOPE_BPF_END(beta);
		return 1;
	}
	sink += 2;
	SCOPE_BPF_END(beta);
	return 0;
}

static __attribute__((noinline)) void run_gamma(void)
{
	SCOPE_BPF_REGION(gamma)
	{
		sink++;
	}
}

static __attribute__((noinline)) void run_delta(void)
{
	SCOPE_BPF_SCOPE(delta);
	sink++;
}

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? strtol(argv[1], NULL, 10) : 1;

	for (i = 0; i < n; i++) {
		run_alpha();
		run_beta(i & 1);
		run_gamma();
		run_delta();
	}
	return 0;
}
