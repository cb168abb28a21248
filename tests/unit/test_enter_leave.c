// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of export/enter_leave: a thread's intervals in the order they
 * ended become enter and leave events in time order, nested, once their
 * outermost region has come; regions without one (left out of the trace)
 * at the drain. Events are written "+A@1 -A@2" (region 0 = A). */
#include <errno.h>
#include <string.h>

#include "testutil.h"

#include "export/enter_leave.h"

struct events {
	char s[512];
	size_t n;
};

static int record(void *ctx, bool enter, uint64_t ns, uint32_t region)
{
	struct events *e = ctx;

	e->n += snprintf(e->s + e->n, sizeof(e->s) - e->n, "%s%c%c@%llu",
			 e->n ? " " : "", enter ? '+' : '-', 'A' + region,
			 (unsigned long long)ns);
	return 0;
}

static int fail_third(void *ctx, bool enter, uint64_t ns, uint32_t region)
{
	int *calls = ctx;

	(void)enter, (void)ns, (void)region;
	return ++*calls == 3 ? -EIO : 0;
}

static struct trace_interval iv(uint32_t region, uint32_t depth, uint64_t start,
				uint64_t end)
{
	return (struct trace_interval){ .start_ns = start,
					.end_ns = end,
					.region = region,
					.depth = depth };
}

/* Adds @n intervals; the waiting count after each into @waiting. */
static void add_all(struct enter_leave *el, const struct trace_interval *v,
		    size_t n, size_t *waiting)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(enter_leave__add(el, &v[i]), 0);
		if (waiting)
			waiting[i] = enter_leave__waiting(el);
	}
}

/* tests/progs/counts' worker: A{ B, B, C{ C }, D }, twice: each A's
 * events come out when A does, in time order. */
static void test_nested(void **state)
{
	const struct trace_interval v[] = {
		iv(1, 1, 2, 3),	  iv(1, 1, 4, 5),   iv(2, 2, 7, 8),
		iv(2, 1, 6, 9),	  iv(3, 1, 10, 11), iv(0, 0, 1, 12),
		iv(1, 1, 21, 22), iv(0, 0, 20, 30),
	};
	size_t waiting[8];
	struct events e = { 0 };
	struct enter_leave *el = enter_leave__new(record, &e);

	(void)state;
	assert_non_null(el);
	add_all(el, v, 6, waiting);
	assert_int_equal(waiting[4], 5);
	assert_int_equal(waiting[5], 0);
	assert_string_equal(e.s, "+A@1 +B@2 -B@3 +B@4 -B@5 +C@6 +C@7 -C@8 "
				 "-C@9 +D@10 -D@11 -A@12");
	add_all(el, v + 6, 2, NULL);
	assert_int_equal(enter_leave__drain(el), 0);
	assert_non_null(strstr(e.s, "-A@12 +A@20 +B@21 -B@22 -A@30"));
	enter_leave__free(el);
}

/* Outermost regions left out of the trace: A at depth 2 and 1 never
 * reach depth 0, so they wait for the drain, in order and nested. */
static void test_drain(void **state)
{
	const struct trace_interval v[] = {
		iv(1, 2, 2, 3),	  iv(0, 1, 1, 4),
		iv(1, 2, 6, 7), /* its depth-1 parent was left out */
		iv(0, 0, 10, 20), iv(2, 3, 31, 32),
		iv(1, 2, 30, 33),
	};
	struct events e = { 0 };
	struct enter_leave *el = enter_leave__new(record, &e);

	(void)state;
	add_all(el, v, 4, NULL);
	assert_string_equal(e.s, "+A@1 +B@2 -B@3 -A@4 +B@6 -B@7 +A@10 -A@20");
	e.n = 0;
	e.s[0] = '\0';
	add_all(el, v + 4, 2, NULL);
	assert_int_equal(enter_leave__waiting(el), 2);
	assert_int_equal(enter_leave__drain(el), 0);
	assert_string_equal(e.s, "+B@30 +C@31 -C@32 -B@33");
	assert_int_equal(enter_leave__waiting(el), 0);
	enter_leave__free(el);
}

/* Regions of no length at one instant: siblings stay siblings, a child
 * stays in its parent, by the order they came in. */
static void test_zero_length(void **state)
{
	const struct trace_interval v[] = {
		iv(1, 1, 5, 5),
		iv(3, 2, 5, 5),
		iv(2, 1, 5, 5),
		iv(0, 0, 5, 5),
	};
	struct events e = { 0 };
	struct enter_leave *el = enter_leave__new(record, &e);

	(void)state;
	add_all(el, v, 4, NULL);
	assert_string_equal(e.s, "+A@5 +B@5 -B@5 +C@5 +D@5 -D@5 -C@5 -A@5");
	enter_leave__free(el);
}

/* A callback's error stops the events and comes back. */
static void test_error(void **state)
{
	const struct trace_interval v[] = { iv(1, 1, 2, 3), iv(1, 1, 4, 5),
					    iv(0, 0, 1, 6) };
	int calls = 0;
	struct enter_leave *el = enter_leave__new(fail_third, &calls);

	(void)state;
	assert_int_equal(enter_leave__add(el, &v[0]), 0);
	assert_int_equal(enter_leave__add(el, &v[1]), 0);
	assert_int_equal(enter_leave__add(el, &v[2]), -EIO);
	assert_int_equal(calls, 3);
	assert_int_equal(enter_leave__waiting(el), 0);
	enter_leave__free(el);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_drain),
		cmocka_unit_test(test_zero_length),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
