// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The site trial's verdict from its windows (agent/site_trial.c), and the
 * target CPU time it reads from /proc, read here on this process. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "agent/site_trial.h"

/* Windows of 100,000 regions each, at these ns of CPU a region: the
 * first form's at 0 and 2, the other's at 1 and 3. */
static void windows(struct site_trial *t, uint64_t a0, uint64_t b1, uint64_t a2,
		    uint64_t b3)
{
	const uint64_t ns[SITE_TRIAL_WINDOWS] = { a0, b1, a2, b3 };

	memset(t, 0, sizeof(*t));
	for (int w = 0; w < SITE_TRIAL_WINDOWS; w++) {
		t->regions[w] = 100000;
		t->cpu[w] = ns[w] * t->regions[w];
	}
}

static void test_verdict(void **state)
{
	struct site_trial t;

	(void)state;
	/* cheaper by 20 % in both pairs: the other form stays */
	windows(&t, 1250, 1000, 1240, 1010);
	assert_true(site_trial__other_wins(&t));
	/* in one pair only: the host moved, not the form */
	windows(&t, 1250, 1000, 1000, 1240);
	assert_false(site_trial__other_wins(&t));
	/* within the 5 % tie margin: the start-up form */
	windows(&t, 1000, 960, 1000, 960);
	assert_false(site_trial__other_wins(&t));
	/* the first form cheaper */
	windows(&t, 900, 1200, 910, 1190);
	assert_false(site_trial__other_wins(&t));
	/* a window without a region decides nothing */
	windows(&t, 1250, 1000, 1240, 1010);
	t.regions[3] = 0;
	assert_false(site_trial__other_wins(&t));
}

static void test_cpu_ns(void **state)
{
	struct timespec t0, t;
	uint64_t before, after;

	(void)state;
	assert_int_equal(site_trial__cpu_ns(getpid(), &before), 0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000ll + t.tv_nsec - t0.tv_nsec <
	       20000000);
	assert_int_equal(site_trial__cpu_ns(getpid(), &after), 0);
	/* the 20 ms spun, in the sum over the process's threads */
	assert_true(after - before >= 20000000);
	assert_true(after - before < 2000000000);
	assert_int_equal(site_trial__cpu_ns(-1, &after), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_cpu_ns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
