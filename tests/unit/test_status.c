// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The status line's wording (agent/status.c): rate over the last interval,
 * totals since the start, short numbers. */
#include <string.h>

#include "testutil.h"

#include "agent/status.h"

static void test_format(void **state)
{
	struct status_sample start = { .ns = 1000000000ull, .regions = 50 };
	struct status_sample prev = { .ns = 2000000000ull, .regions = 1050 };
	struct status_sample cur = { .ns = 3000000000ull,
				     .regions = 2500050,
				     .lost = 7,
				     .mem_bytes = 3 << 20 };
	char buf[128];

	(void)state;
	status__format(buf, sizeof(buf), &start, &prev, &cur);
	assert_string_equal(
		buf,
		"scope-bpf: 2.0s  2.50M regions/s  2.50M regions  7 lost  mem 3.0 MiB");
}

static void test_long_run(void **state)
{
	struct status_sample start = { .ns = 0 };
	struct status_sample prev = { .ns = 3725000000000ull, .regions = 999 };
	struct status_sample cur = prev;
	char buf[128];

	(void)state;
	cur.ns += 500000000ull; /* half a second, no region: 0/s */
	status__format(buf, sizeof(buf), &start, &prev, &cur);
	assert_string_equal(
		buf,
		"scope-bpf: 1h02m05s  0 regions/s  999 regions  0 lost  mem 0.0 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
