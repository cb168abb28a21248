// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the exports: folded frames escaped so that no name breaks
 * a line apart, the flame graph's layout (children fill their parent's
 * width in proportion), and both on a small tree. */
#include <errno.h>
#include <string.h>

#include "testutil.h"

#include "export/export.h"

static void test_folded_name(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(export__folded_name(buf, sizeof(buf), "solve"), 5);
	assert_string_equal(buf, "solve");
	export__folded_name(buf, sizeof(buf), "a;b c%d\te\n");
	assert_string_equal(buf, "a%3Bb%20c%25d%09e%0A");
	/* C++ names keep their punctuation */
	export__folded_name(buf, sizeof(buf), "ns::f(int,char*)<T>");
	assert_string_equal(buf, "ns::f(int,char*)<T>");
	/* UTF-8 passes as it is */
	export__folded_name(buf, sizeof(buf), "l\xc3\xb6sen");
	assert_string_equal(buf, "l\xc3\xb6sen");
	/* cut like snprintf: the length it needs, a terminated prefix */
	assert_int_equal(export__folded_name(buf, 4, "a;b"), 5);
	assert_string_equal(buf, "a%3");
	assert_int_equal(export__folded_name(NULL, 0, "x y"), 5);
}

static void assert_near(double a, double b)
{
	assert_true(a - b < 1e-9 && b - a < 1e-9);
}

static void test_svg_layout(void **state)
{
	const uint64_t ns[] = { 500, 300, 200 };
	double xs[3], ws[3];

	(void)state;
	/* no own time: the children fill the parent exactly, in order */
	export__svg_layout(10, 1000, 1000, ns, 3, xs, ws);
	assert_near(xs[0], 10);
	assert_near(ws[0], 500);
	assert_near(xs[1], 510);
	assert_near(ws[1], 300);
	assert_near(xs[2], 810);
	assert_near(ws[0] + ws[1] + ws[2], 1000);
	/* own time 1000 of 2000: the children take half, at the left */
	export__svg_layout(0, 600, 2000, ns, 3, xs, ws);
	assert_near(ws[0] + ws[1] + ws[2], 300);
	assert_near(ws[0], 150);
	assert_near(xs[2] + ws[2], 300);
	/* children past the parent (compensated): scaled into its width */
	export__svg_layout(5, 100, 800, ns, 3, xs, ws);
	assert_near(ws[0] + ws[1] + ws[2], 100);
	assert_near(xs[2] + ws[2], 105);
	/* nothing timed: no width, no division by zero */
	export__svg_layout(0, 100, 0, (const uint64_t[]){ 0, 0 }, 2, xs, ws);
	assert_near(ws[0] + ws[1], 0);
}

/* a;b (1) encloses "x y" (2) and c;d (3) under it, on one thread */
static struct region regions[] = {
	{ .id = 1, .name = "a;b" },
	{ .id = 2, .name = "x y" },
	{ .id = 3, .name = "c" },
};

static struct path_stats paths[] = {
	{ .tid = 7,
	  .region = 1,
	  .path = 10,
	  .calls = 1,
	  .total_ns = 1000,
	  .self_ns = 400,
	  .child_calls = 3 },
	{ .tid = 7,
	  .region = 2,
	  .depth = 1,
	  .path = 20,
	  .parent_path = 10,
	  .calls = 2,
	  .total_ns = 500,
	  .self_ns = 300,
	  .child_calls = 1 },
	{ .tid = 7,
	  .region = 3,
	  .depth = 2,
	  .path = 30,
	  .parent_path = 20,
	  .calls = 1,
	  .total_ns = 200,
	  .self_ns = 200 },
	{ .tid = 7,
	  .region = 3,
	  .depth = 1,
	  .path = 40,
	  .parent_path = 10,
	  .calls = 1,
	  .total_ns = 100,
	  .self_ns = 100 },
};

static struct profile_thread threads[] = { { .tid = 7, .comm = "w 1" } };

static char *render(int (*fn)(const struct profile *, FILE *,
			      const struct export_opts *),
		    const struct export_opts *o, int want)
{
	struct profile p = {
		.paths = paths, .npaths = 4, .threads = threads, .nthreads = 1
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	p.regions.v = regions;
	p.regions.n = 3;
	assert_int_equal(fn(&p, out, o), want);
	fclose(out);
	return buf;
}

static void test_folded_tree(void **state)
{
	struct export_opts o = { .raw = true };
	char *s;

	(void)state;
	s = render(export__folded, &o, 0);
	assert_string_equal(s, "a%3Bb 400\n"
			       "a%3Bb;x%20y 300\n"
			       "a%3Bb;x%20y;c 200\n"
			       "a%3Bb;c 100\n");
	free(s);
	o.threads = true;
	o.weight = EXPORT_WEIGHT_CALLS;
	s = render(export__folded, &o, 0);
	assert_non_null(strstr(s, "w%201-7;a%3Bb;x%20y 2\n"));
	free(s);
}

/* --weight EVENT: each stack's exclusive count of the counter, found by
 * name in the profile; per-region counters only, or none, are refused. */
static void test_folded_counter(void **state)
{
	struct profile_counter cs[2] = { { .index = 0, .name = "task-clock" },
					 { .index = 1,
					   .name = "page-faults" } };
	struct profile p = { .counters = cs, .ncounters = 2 };
	struct export_opts o = { .raw = true, .weight = EXPORT_WEIGHT_COUNTER };
	char *s;

	(void)state;
	assert_int_equal(export__weight_counter(&p, "page-faults"), -ENODATA);
	p.paths_counted = true;
	assert_int_equal(export__weight_counter(&p, "page-faults"), 1);
	assert_int_equal(export__weight_counter(&p, "cycles"), -ENOENT);
	s = export__counter_names(&p);
	assert_string_equal(s, "task-clock, page-faults");
	free(s);
	p.ncounters = 0;
	s = export__counter_names(&p);
	assert_string_equal(s, "");
	free(s);

	for (size_t i = 0; i < 4; i++)
		paths[i].counter_self[1] = 64 * (i + 1);
	o.weight_counter = 1;
	s = render(export__folded, &o, 0);
	assert_string_equal(s, "a%3Bb 64\n"
			       "a%3Bb;x%20y 128\n"
			       "a%3Bb;x%20y;c 192\n"
			       "a%3Bb;c 256\n");
	free(s);
	for (size_t i = 0; i < 4; i++)
		paths[i].counter_self[1] = 0;
}

/* One frame per node, the name escaped for XML only, and no script. */
static void test_svg_tree(void **state)
{
	struct export_opts o = { .raw = true };
	char *s = NULL, *at;
	int rects = 0;

	(void)state;
	s = render(export__svg, &o, 0);
	for (at = s; (at = strstr(at, "<g><title>")); at++)
		rects++;
	assert_int_equal(rects, 4);
	assert_non_null(strstr(s, "<g><title>x y\ninclusive 500 ns (50.00%)\n"
				  "exclusive 300 ns\ncalls 2</title>"));
	/* the root spans the width less the margins */
	assert_non_null(strstr(s, "<rect x=\"10.00\" y=\"72.0\" "
				  "width=\"1180.00\""));
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "</svg>\n"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded_name),
		cmocka_unit_test(test_svg_layout),
		cmocka_unit_test(test_folded_tree),
		cmocka_unit_test(test_folded_counter),
		cmocka_unit_test(test_svg_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
