// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the offline report (userspace/report) and its arguments. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cli/cmd_report.h"
#include "report/report.h"

static struct region regions[] = {
	{ .id = 0, .name = (char *)"solve", .file = (char *)"s.c" },
	{ .id = 1, .name = (char *)"halo", .file = (char *)"h.c" },
	{ .id = 2, .name = (char *)"io", .file = (char *)"i.c" },
	{ .id = 3, .name = (char *)"weird,\"name\"", .file = (char *)"w.c" },
};

static struct profile_thread threads[] = {
	{ 4242, 4242, (char *)"solver" },
	{ 4242, 4243, (char *)"worker" },
};

#define STATS(t, r, c, tot, self, mn, mx)                                      \
	{ .pid = 4242, .tid = t, .region = r, .calls = c, .total_ns = tot,     \
	  .self_ns = self, .min_ns = mn, .max_ns = mx }

static struct region_stats stats[] = {
	STATS(4242, 0, 10, 5000, 4000, 100, 1000),
	STATS(4243, 0, 30, 9000, 8000, 50, 900),
	STATS(4242, 1, 5, 20000, 20000, 1000, 9000),
	STATS(4243, 2, 2, 7000, 6000, 3000, 4000),
	STATS(4243, 3, 1, 1, 1, 1, 1),
};

static void sample(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	p->meta.mode = (char *)"run";
	p->meta.command = (char *)"./solver in.dat";
	p->meta.pid = 4242;
	p->meta.host = (char *)"node-17";
	p->meta.kernel = (char *)"6.18.0";
	p->meta.start_time = (char *)"2025-01-02T03:04:05Z";
	p->meta.start_ns = 1000000;
	p->meta.end_ns = 1100000; /* 100 us of wall time */
	p->regions.v = regions;
	p->regions.n = sizeof(regions) / sizeof(regions[0]);
	p->threads = threads;
	p->nthreads = 2;
	p->stats = stats;
	p->nstats = sizeof(stats) / sizeof(stats[0]);
}

/* The report of @p as a malloc'd string. */
static char *render(const struct profile *p, bool csv, bool per_thread)
{
	struct report_opts o = { .threads = per_thread };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	if (csv)
		assert_int_equal(report__csv(p, out, &o), 0);
	else
		assert_int_equal(report__table(p, out, &o), 0);
	fclose(out);
	return buf;
}

/* The line of @text that starts with @prefix and a space. */
static char *line_of(char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (char *l = text; l; l = strchr(l, '\n')) {
		l += *l == '\n';
		if (!strncmp(l, prefix, n) && l[n] == ' ')
			return l;
	}
	fail_msg("no line '%s' in:\n%s", prefix, text);
	return NULL;
}

/* The line at @text with runs of spaces squeezed to one, in @buf[128]. */
static char *words(const char *text, char *buf)
{
	size_t n = 0;

	for (; *text && *text != '\n' && n < 127; text++) {
		if (*text != ' ' || (n && buf[n - 1] != ' '))
			buf[n++] = *text;
	}
	buf[n] = '\0';
	return buf;
}

static void test_csv(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	out = render(&p, true, false);
	assert_string_equal(out,
			    "region,tid,calls,total_ns,self_ns,min_ns,max_ns,"
			    "mean_ns,pid\n"
			    "halo,4242,5,20000,20000,1000,9000,4000,4242\n"
			    "solve,4243,30,9000,8000,50,900,300,4242\n"
			    "io,4243,2,7000,6000,3000,4000,3500,4242\n"
			    "solve,4242,10,5000,4000,100,1000,500,4242\n"
			    "\"weird,\"\"name\"\"\",4243,1,1,1,1,1,1,4242\n");
	free(out);
}

static void test_csv_empty(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	memset(&p, 0, sizeof(p));
	out = render(&p, true, false);
	assert_string_equal(out, "region,tid,calls,total_ns,self_ns,min_ns,"
				 "max_ns,mean_ns,pid\n");
	free(out);
}

static void test_table_aggregates(void **state)
{
	struct profile p;
	char *out, *solve, *halo, line[128];

	(void)state;
	sample(&p);
	out = render(&p, false, false);
	halo = line_of(out, "halo");
	solve = line_of(out, "solve");
	assert_true(halo < solve); /* by total time */
	/* calls summed, total/self summed, mean, min of mins, max of maxes */
	assert_string_equal(words(solve, line), "solve 40 14.0 us 12.0 us "
						"350 ns 50 ns 1.00 us 14.0");
	assert_string_equal(words(halo, line), "halo 5 20.0 us 20.0 us "
					       "4.00 us 1.00 us 9.00 us 20.0");
	assert_non_null(strstr(out, "command   ./solver in.dat\n"));
	assert_non_null(strstr(out, "duration  100 us\n"));
	assert_non_null(strstr(out, "node-17"));
	assert_null(strstr(out, "warning"));
	free(out);
}

static void test_table_warning(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	p.meta.losses[LOSS_DROPPED] = 3;
	p.meta.losses[LOSS_UNFINISHED] = 2;
	out = render(&p, false, false);
	assert_non_null(strstr(out, "warning: 3 records dropped (ring buffer "
				    "full), 2 regions unfinished at thread "
				    "exit\n"));
	free(out);
}

static void test_table_threads(void **state)
{
	struct profile p;
	char *out, *worker, *solve;

	(void)state;
	sample(&p);
	out = render(&p, false, true);
	assert_non_null(strstr(out, "thread 4242 (pid 4242, solver)\n"));
	worker = strstr(out, "thread 4243 (pid 4242, worker)\n");
	assert_non_null(worker);
	solve = line_of(worker, "solve");
	assert_non_null(strstr(solve, " 30 "));
	assert_null(strstr(worker, "halo"));
	free(out);
}

static void test_unknown_region(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	p.regions.n = 1;
	out = render(&p, false, false);
	line_of(out, "region#1");
	free(out);
}

static void test_fmt_ns(void **state)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0 ns" },		  { 999, "999 ns" },
		{ 1000, "1.00 us" },	  { 9995, "10.0 us" },
		{ 999499, "999 us" },	  { 999500, "1.00 ms" },
		{ 1234567890, "1.23 s" }, { 123456789012ull, "123 s" },
		{ 4000000000000ull, "4000 s" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		report__fmt_ns(buf, sizeof(buf), cases[i].ns);
		assert_string_equal(buf, cases[i].want);
	}
}

static int parse(struct report_args *a, int argc, const char **argv)
{
	return report_args__parse(a, argc, (char **)argv,
				  ARGP_NO_EXIT | ARGP_NO_ERRS);
}

static void test_args(void **state)
{
	const char *ok[] = { "scope-bpf report", "--threads", "-f", "csv",
			     "-vv", "run.h5" };
	const char *bad_format[] = { "scope-bpf report", "--format", "xml",
				     "run.h5" };
	const char *no_file[] = { "scope-bpf report", "--threads" };
	const char *two_files[] = { "scope-bpf report", "a.h5", "b.h5" };
	const char *unknown[] = { "scope-bpf report", "--bogus", "a.h5" };
	struct report_args a;

	(void)state;
	assert_int_equal(parse(&a, 6, ok), 0);
	assert_string_equal(a.file, "run.h5");
	assert_int_equal(a.format, FORMAT_CSV);
	assert_true(a.opts.threads);
	assert_int_equal(a.verbose, 2);
	assert_int_equal(parse(&a, 4, bad_format), -EINVAL);
	assert_int_equal(parse(&a, 2, no_file), -EINVAL);
	assert_int_equal(parse(&a, 3, two_files), -EINVAL);
	assert_int_equal(parse(&a, 3, unknown), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_table_aggregates),
		cmocka_unit_test(test_table_warning),
		cmocka_unit_test(test_table_threads),
		cmocka_unit_test(test_unknown_region),
		cmocka_unit_test(test_fmt_ns),
		cmocka_unit_test(test_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
