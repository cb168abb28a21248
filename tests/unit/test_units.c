// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Table-driven tests of the duration and size parsers (common/units.c). */
#include <errno.h>
#include <math.h>

#include "testutil.h"

#include "common/units.h"

struct duration_case {
	const char *in;
	int err;
	double seconds;
};

static const struct duration_case durations[] = {
	{ "10", 0, 10 },
	{ "10s", 0, 10 },
	{ "1.5s", 0, 1.5 },
	{ "500ms", 0, 0.5 },
	{ "250us", 0, 250e-6 },
	{ "100ns", 0, 100e-9 },
	{ "2m", 0, 120 },
	{ "2min", 0, 120 },
	{ "1h", 0, 3600 },
	{ "1d", 0, 86400 },
	{ ".5", 0, 0.5 },
	{ "1e3", 0, 1000 },
	{ "0", 0, 0 },
	{ "1e300", 0, 1e300 },
	{ "", -EINVAL, 0 },
	{ "s", -EINVAL, 0 },
	{ "10x", -EINVAL, 0 },
	{ "10 s", -EINVAL, 0 },
	{ " 10", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "inf", -EINVAL, 0 },
	{ "nan", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "1e999", -EINVAL, 0 },
	{ "1e306h", -EINVAL, 0 },
	{ "10S", -EINVAL, 0 },
	{ "soon", -EINVAL, 0 },
};

static void test_durations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		const struct duration_case *c = &durations[i];
		double v = -1;
		int err = units__parse_duration(c->in, &v);

		if (err != c->err)
			fail_msg("'%s': got %d, expected %d", c->in, err,
				 c->err);
		if (!err && fabs(v - c->seconds) > 1e-12 * (c->seconds + 1))
			fail_msg("'%s': got %g s, expected %g", c->in, v,
				 c->seconds);
	}
	assert_int_equal(units__parse_duration(NULL, &(double){ 0 }), -EINVAL);
}

struct size_case {
	const char *in;
	uint64_t unit;
	int err;
	uint64_t bytes;
};

static const struct size_case sizes[] = {
	{ "16", 1 << 20, 0, 16ull << 20 },
	{ "16", 1, 0, 16 },
	{ "64K", 1 << 20, 0, 64ull << 10 },
	{ "64KiB", 1, 0, 64ull << 10 },
	{ "8M", 1, 0, 8ull << 20 },
	{ "8MiB", 1, 0, 8ull << 20 },
	{ "2G", 1, 0, 2ull << 30 },
	{ "0", 1, 0, 0 },
	{ "", 1, -EINVAL, 0 },
	{ "-1", 1, -EINVAL, 0 },
	{ "1.5M", 1, -EINVAL, 0 },
	{ "8MB", 1, -EINVAL, 0 },
	{ "8 M", 1, -EINVAL, 0 },
	{ "99999999999999999999", 1, -ERANGE, 0 },
	{ "17179869184G", 1, -ERANGE, 0 },
};

static void test_sizes(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const struct size_case *c = &sizes[i];
		uint64_t v = 0;
		int err = units__parse_size(c->in, c->unit, &v);

		if (err != c->err)
			fail_msg("'%s': got %d, expected %d", c->in, err,
				 c->err);
		if (!err && v != c->bytes)
			fail_msg("'%s': got %llu, expected %llu", c->in,
				 (unsigned long long)v,
				 (unsigned long long)c->bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
