// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the per-thread aggregation: counts, self time, histogram. */
#include "testutil.h"

#include "aggregate/quantiles.h"
#include "aggregate/stats.h"
#include "aggregate/trace_stats.h"

struct trec {
	uint32_t tid;
	struct scope_record r;
};

static struct trec rec(uint32_t tid, uint32_t region, uint64_t start,
		       uint64_t end, uint64_t child)
{
	return (struct trec){
		.tid = tid,
		.r = { .type = SCOPE_REC_INTERVAL,
		       .region = region,
		       .start_ns = start,
		       .end_ns = end,
		       .child_ns = child },
	};
}

static int add(struct stats_table *t, const struct trec *r)
{
	return stats__add(t, 100, r->tid, &r->r);
}

/* The calibration's statistics: nearest-rank quantiles, each one a sample,
 * so one outlier moves the spread and never the median. */
static void test_quantiles(void **state)
{
	uint64_t v[10] = { 900, 100, 800, 200, 700, 300, 600, 400, 500, 1000 };
	uint64_t outlier[5] = { 10, 10, 11, 10, 100000 };
	uint64_t one[1] = { 42 };
	struct quantiles q;

	(void)state;
	quantiles__of(v, 10, &q);
	assert_int_equal(q.p10, 100);
	assert_int_equal(q.median, 500);
	assert_int_equal(q.p90, 900);
	assert_int_equal(q.spread, 800);
	assert_int_equal(v[0], 100); /* sorted in place */
	quantiles__of(outlier, 5, &q);
	assert_int_equal(q.median, 10);
	assert_int_equal(q.p90, 100000);
	quantiles__of(one, 1, &q);
	assert_true(q.p10 == 42 && q.median == 42 && q.p90 == 42 && !q.spread);
	quantiles__of(one, 0, &q);
	assert_true(!q.median && !q.spread);
}

/* A region's children are summed over its instances. */
static void test_child_calls(void **state)
{
	struct stats_table *t = stats__new();
	struct trec a = rec(1, 7, 0, 100, 40), b = rec(1, 7, 200, 300, 0);

	(void)state;
	assert_non_null(t);
	a.r.child_calls = 4;
	b.r.child_calls = 1;
	assert_int_equal(add(t, &a), 0);
	assert_int_equal(add(t, &b), 0);
	assert_int_equal(stats__count(t), 1);
	assert_int_equal(stats__at(t, 0)->child_calls, 5);
	assert_int_equal(stats__at(t, 0)->calls, 2);
	stats__free(t);
}

static void test_bucket(void **state)
{
	(void)state;
	assert_int_equal(stats__bucket(0), 0);
	assert_int_equal(stats__bucket(1), 0);
	assert_int_equal(stats__bucket(2), 1);
	assert_int_equal(stats__bucket(3), 1);
	assert_int_equal(stats__bucket(1024), 10);
	assert_int_equal(stats__bucket(2047), 10);
	assert_int_equal(stats__bucket(UINT64_MAX), 63);
}

static void test_one_region(void **state)
{
	struct stats_table *t = stats__new();
	struct trec r;
	const struct region_stats *s;

	(void)state;
	assert_non_null(t);
	r = rec(7, 3, 1000, 1100, 0); /* 100 ns */
	assert_int_equal(add(t, &r), 0);
	r = rec(7, 3, 2000, 2400, 150); /* 400 ns, 150 in children */
	assert_int_equal(add(t, &r), 0);
	assert_int_equal(stats__count(t), 1);
	s = stats__at(t, 0);
	assert_int_equal(s->calls, 2);
	assert_int_equal(s->total_ns, 500);
	assert_int_equal(s->self_ns, 350);
	assert_int_equal(s->min_ns, 100);
	assert_int_equal(s->max_ns, 400);
	assert_int_equal(s->hist[6], 1); /* 100 in [64, 128) */
	assert_int_equal(s->hist[8], 1); /* 400 in [256, 512) */
	assert_int_equal(s->tid, 7);
	assert_int_equal(s->region, 3);
	assert_int_equal(s->pid, 100);
	assert_null(stats__at(t, 1));
	stats__free(t);
}

/* Rows stay per (thread, region), in first-seen order, across index growth. */
static void test_many_keys(void **state)
{
	struct stats_table *t = stats__new();
	const int threads = 50, regions = 40;

	(void)state;
	for (int pass = 0; pass < 3; pass++)
		for (int th = 0; th < threads; th++)
			for (int rg = 0; rg < regions; rg++) {
				struct trec r = rec(th, rg, 0, rg + 1, 0);

				assert_int_equal(add(t, &r), 0);
			}
	assert_int_equal(stats__count(t), threads * regions);
	for (size_t i = 0; i < stats__count(t); i++) {
		const struct region_stats *s = stats__at(t, i);

		assert_int_equal(s->tid, i / regions);
		assert_int_equal(s->region, i % regions);
		assert_int_equal(s->calls, 3);
		assert_int_equal(s->total_ns, 3 * (s->region + 1));
	}
	stats__free(t);
}

/* Clock skew between CPUs must never make self time wrap around. */
static void test_child_longer_than_parent(void **state)
{
	struct stats_table *t = stats__new();
	struct trec r = rec(1, 1, 100, 200, 150);

	(void)state;
	assert_int_equal(add(t, &r), 0);
	assert_int_equal(stats__at(t, 0)->self_ns, 0);
	r = rec(1, 1, 300, 250, 0); /* end before start */
	assert_int_equal(add(t, &r), 0);
	assert_int_equal(stats__at(t, 0)->min_ns, 0);
	stats__free(t);
}

static struct trace_interval iv(uint32_t tid, uint32_t region, uint32_t depth,
				uint64_t path, uint64_t start, uint64_t end)
{
	return (struct trace_interval){ .start_ns = start,
					.end_ns = end,
					.pid = 100,
					.tid = tid,
					.region = region,
					.depth = depth,
					.path = path };
}

static const struct region_stats *row_of(const struct profile *p, uint32_t tid,
					 uint32_t region)
{
	for (size_t i = 0; i < p->nstats; i++)
		if (p->stats[i].tid == tid && p->stats[i].region == region)
			return &p->stats[i];
	return NULL;
}

static const struct path_stats *path_of(const struct profile *p, uint64_t path)
{
	for (size_t i = 0; i < p->npaths; i++)
		if (p->paths[i].path == path)
			return &p->paths[i];
	return NULL;
}

/* A killed trace's statistics: within a thread intervals come by end
 * time, children first; two threads interleaved. Region 0 (path 1) holds
 * two calls of region 1 (path 2), one of which holds region 2 (path 3);
 * thread 8 runs region 1 alone (path 4). */
static void test_trace_stats(void **state)
{
	struct trace_interval v[] = {
		iv(7, 2, 2, 3, 120, 130), iv(7, 1, 1, 2, 110, 150),
		iv(8, 1, 0, 4, 100, 400), iv(7, 1, 1, 2, 160, 170),
		iv(7, 0, 0, 1, 100, 200), iv(7, 0, 0, 1, 300, 310),
	};
	struct trace_stats *t = trace_stats__new();
	struct profile p = { 0 };
	const struct region_stats *r;
	const struct path_stats *ps;

	(void)state;
	assert_non_null(t);
	assert_int_equal(trace_stats__add(t, v, 3), 0);
	assert_int_equal(trace_stats__add(t, v + 3, 3), 0);
	assert_int_equal(trace_stats__profile(t, &p), 0);
	assert_int_equal(p.nthreads, 2);
	r = row_of(&p, 7, 0);
	assert_non_null(r);
	assert_int_equal(r->calls, 2);
	assert_int_equal(r->total_ns, 110);
	assert_int_equal(r->self_ns, 110 - 50); /* its children: 40 + 10 */
	assert_int_equal(r->child_calls, 2);
	assert_int_equal(r->min_ns, 10);
	assert_int_equal(r->max_ns, 100);
	r = row_of(&p, 7, 1);
	assert_int_equal(r->calls, 2);
	assert_int_equal(r->self_ns, 50 - 10);
	assert_int_equal(r->child_calls, 1);
	r = row_of(&p, 8, 1);
	assert_int_equal(r->calls, 1);
	assert_int_equal(r->self_ns, 300);
	/* the call paths link up once each parent has ended */
	ps = path_of(&p, 3);
	assert_non_null(ps);
	assert_int_equal(ps->parent_path, 2);
	assert_int_equal(ps->depth, 2);
	assert_int_equal(path_of(&p, 2)->parent_path, 1);
	assert_int_equal(path_of(&p, 1)->parent_path, 0);
	assert_int_equal(path_of(&p, 4)->parent_path, 0);
	assert_int_equal(path_of(&p, 2)->calls, 2);
	profile__free(&p);
	trace_stats__free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_child_calls),
		cmocka_unit_test(test_one_region),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_child_longer_than_parent),
		cmocka_unit_test(test_trace_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
