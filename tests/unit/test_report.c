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
	{                                                                      \
		.pid = 4242, .tid = t, .region = r, .calls = c,                \
		.total_ns = tot, .self_ns = self, .min_ns = mn, .max_ns = mx   \
	}

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

/* The report of @p as a malloc'd string, with options @o. */
static char *render_opts(const struct profile *p, bool csv,
			 const struct report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	if (csv)
		assert_int_equal(report__csv(p, out, o), 0);
	else
		assert_int_equal(report__table(p, out, o), 0);
	fclose(out);
	return buf;
}

static char *render(const struct profile *p, bool csv, bool per_thread)
{
	struct report_opts o = { .threads = per_thread };

	return render_opts(p, csv, &o);
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

/* Without --threads: one row per region summed over threads, calls at $3
 * as in the per-thread layout. */
static void test_csv(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	out = render(&p, true, false);
	/* uncalibrated: the compensated columns repeat the measured ones */
	assert_string_equal(out,
			    "region,threads,calls,total_ns,self_ns,min_ns,"
			    "max_ns,mean_ns,child_calls,total_comp_ns,"
			    "self_comp_ns,mean_comp_ns\n"
			    "halo,1,5,20000,20000,1000,9000,4000,"
			    "0,20000,20000,4000\n"
			    "solve,2,40,14000,12000,50,1000,350,"
			    "0,14000,12000,350\n"
			    "io,1,2,7000,6000,3000,4000,3500,"
			    "0,7000,6000,3500\n"
			    "\"weird,\"\"name\"\"\",1,1,1,1,1,1,1,0,1,1,1\n");
	free(out);
}

/* With --threads: one row per region and thread, with the thread's name. */
static void test_csv_threads(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	out = render(&p, true, true);
	assert_string_equal(
		out, "region,tid,calls,total_ns,self_ns,min_ns,max_ns,"
		     "mean_ns,pid,comm,child_calls,total_comp_ns,"
		     "self_comp_ns,mean_comp_ns\n"
		     "halo,4242,5,20000,20000,1000,9000,4000,4242,solver,"
		     "0,20000,20000,4000\n"
		     "solve,4243,30,9000,8000,50,900,300,4242,worker,"
		     "0,9000,8000,300\n"
		     "io,4243,2,7000,6000,3000,4000,3500,4242,worker,"
		     "0,7000,6000,3500\n"
		     "solve,4242,10,5000,4000,100,1000,500,4242,solver,"
		     "0,5000,4000,500\n"
		     "\"weird,\"\"name\"\"\",4243,1,1,1,1,1,1,4242,"
		     "worker,0,1,1,1\n");
	free(out);
}

static void test_csv_empty(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	memset(&p, 0, sizeof(p));
	out = render(&p, true, false);
	assert_string_equal(out, REPORT_CSV_HEADER "\n");
	assert_non_null(strstr(out, "region,threads,calls,total_ns,self_ns,"
				    "min_ns,max_ns,mean_ns,"));
	free(out);
	out = render(&p, true, true);
	assert_string_equal(out, REPORT_CSV_THREADS_HEADER "\n");
	assert_non_null(strstr(out, "region,tid,calls,total_ns,self_ns,min_ns,"
				    "max_ns,mean_ns,pid,comm,"));
	free(out);
}

/* --meta: every /meta field as "# name: value" before the header, one line
 * each whatever the value holds; nothing else starts with '#'. */
static void test_csv_meta(void **state)
{
	struct report_opts o = { .meta = true };
	struct profile p;
	char *out, *header;

	(void)state;
	sample(&p);
	p.meta.command = (char *)"./solver\nsecond line";
	p.meta.losses[LOSS_DROPPED] = 3;
	p.meta.ringbuf_bytes = 1 << 20;
	out = render_opts(&p, true, &o);
	assert_non_null(strstr(out, "# mode: run\n"));
	assert_non_null(strstr(out, "# command: ./solver second line\n"));
	assert_non_null(strstr(out, "# pid: 4242\n"));
	assert_non_null(
		strstr(out, "# start_ns: 1000000\n# end_ns: 1100000\n"));
	assert_non_null(strstr(out, "# dropped: 3\n"));
	assert_non_null(strstr(out, "# no_storage: 0\n"));
	assert_non_null(strstr(out, "# ringbuf_bytes: 1048576\n"));
	header = strstr(out, "\nregion,threads,calls,");
	assert_non_null(header);
	for (char *l = out; l && l <= header; l = strchr(l, '\n'), l += !!l)
		assert_int_equal(*l, '#');
	assert_null(strchr(header + 1, '#'));
	free(out);
	out = render(&p, true, false);
	assert_null(strchr(out, '#')); /* off by default: awk's NR == 1 */
	free(out);
}

/* A '#' in a field is quoted, so that comment='#' readers keep it. */
static void test_csv_hash_quoted(void **state)
{
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	p.regions.n = 1; /* regions 1..3 become region#ID */
	out = render(&p, true, false);
	assert_non_null(strstr(out, "\n\"region#1\",1,5,"));
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
	/* summed over threads: not a share of the wall time, and it says so */
	assert_string_equal(words(line_of(out, "region"), line),
			    "region calls total self mean min max "
			    "%thread-time");
	assert_null(strstr(out, "%wall"));
	assert_non_null(strstr(out, "%thread-time: total time summed over 2 "
				    "threads, in % of the 100 us wall time "
				    "(may exceed 100%)\n"));
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
	/* one thread's share of the wall time: %wall, and no summed note */
	assert_non_null(strstr(out, "   %wall\n"));
	assert_null(strstr(out, "%thread-time"));
	free(out);
}

#define MANY 32768

/* A profile of MANY threads named "t<TID>", two regions each, its stats
 * rows shuffled and its thread table reversed: every view must still pair
 * each thread with its own name and rows. (That it does so in O(n log n)
 * rather than a scan per thread is the bench's to time.) */
static void many__profile(struct profile *p)
{
	struct region_stats *st = calloc(2 * MANY, sizeof(*st));
	struct profile_thread *th = calloc(MANY, sizeof(*th));
	uint32_t seed = 1;

	assert_true(st && th);
	sample(p);
	for (uint32_t i = 0; i < MANY; i++) {
		uint32_t tid = 100000 + i;

		th[MANY - 1 - i] = (struct profile_thread){ 7, tid, NULL };
		assert_true(asprintf(&th[MANY - 1 - i].comm, "t%u", tid) > 0);
		for (uint32_t r = 0; r < 2; r++)
			st[2 * i + r] =
				(struct region_stats){ .pid = 7,
						       .tid = tid,
						       .region = r,
						       .calls = tid + r,
						       .total_ns = 10 * tid + r,
						       .min_ns = 1,
						       .max_ns = 2 };
	}
	for (size_t i = 2 * MANY - 1; i > 0; i--) {
		struct region_stats tmp;
		size_t j;

		seed = seed * 1103515245u + 12345u;
		j = seed % (i + 1);
		tmp = st[i];
		st[i] = st[j];
		st[j] = tmp;
	}
	p->threads = th;
	p->nthreads = MANY;
	p->stats = st;
	p->nstats = 2 * MANY;
}

static void many__free(struct profile *p)
{
	for (size_t i = 0; i < p->nthreads; i++)
		free(p->threads[i].comm);
	free(p->threads);
	free(p->stats);
}

/* The line at @text in @buf[128]: sscanf would strlen all of @text. */
static const char *line_copy(const char *text, char *buf)
{
	size_t n = strcspn(text, "\n");

	n = n < 127 ? n : 127;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

static void test_many_threads(void **state)
{
	struct profile p;
	unsigned int tid, pid, calls, blocks = 0, rows = 0;
	char name[32], region[32], line[128], *out, *l;

	(void)state;
	many__profile(&p);
	out = render(&p, false, true);
	/* line by line: strstr over the whole text per block is quadratic
	 * under ASan, whose strstr measures the haystack each call */
	for (l = strchr(out, '\n'); l; l = strchr(l + 1, '\n')) {
		if (strncmp(l + 1, "thread ", 7))
			continue;
		assert_int_equal(sscanf(line_copy(l + 1, line),
					"thread %u (pid %u, %31[^)])", &tid,
					&pid, name),
				 3);
		assert_int_equal(tid, 100000 + blocks); /* by tid */
		snprintf(region, sizeof(region), "t%u", tid);
		assert_string_equal(name, region);
		blocks++;
	}
	/* the first block has no blank line before it */
	assert_non_null(strstr(out, "\nthread 100000 (pid 7, t100000)\n"));
	assert_int_equal(blocks, MANY);
	free(out);

	out = render(&p, true, true);
	for (l = strchr(out, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		assert_int_equal(sscanf(line_copy(l + 1, line),
					"%31[^,],%u,%u,%*u,%*u,%*u,%*u,%*u,%u,"
					"%31s",
					region, &tid, &calls, &pid, name),
				 5);
		assert_int_equal(calls, tid + !strcmp(region, "halo"));
		assert_int_equal(strtoul(name + 1, NULL, 10), tid);
		rows++;
	}
	assert_int_equal(rows, 2 * MANY);
	free(out);
	many__free(&p);
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

/* The formula of docs/compensation.md: a parent of 2 calls with 10
 * children, in-region 100 ns, pair 300 ns. Its total loses 2 x 100 +
 * 10 x 300; its self keeps the children's in-region share out already
 * (their totals carry it): it loses 2 x 100 + 10 x (300 - 100). */
static void test_compensate(void **state)
{
	struct profile_meta m = { .calib_inregion_ns = 100,
				  .calib_pair_ns = 300 };
	struct report_comp c;

	(void)state;
	report__compensate(&m, 2, 10, 10000, 6000, &c);
	assert_int_equal(c.total_ns, 10000 - 200 - 3000);
	assert_int_equal(c.self_ns, 6000 - 200 - 2000);
	/* a leaf: only its own in-region share */
	report__compensate(&m, 4, 0, 1000, 1000, &c);
	assert_int_equal(c.total_ns, 600);
	assert_int_equal(c.self_ns, 600);
	/* never below 0: noise makes a tiny region read less than its cost */
	report__compensate(&m, 4, 0, 300, 300, &c);
	assert_int_equal(c.total_ns, 0);
	assert_int_equal(c.self_ns, 0);
	/* uncalibrated: as measured */
	memset(&m, 0, sizeof(m));
	report__compensate(&m, 2, 10, 10000, 6000, &c);
	assert_int_equal(c.total_ns, 10000);
	assert_int_equal(c.self_ns, 6000);
}

/* A true 20 ns child measured with its probes, and its parent: the
 * compensated figures come back to the truth. */
static void test_compensate_roundtrip(void **state)
{
	const uint64_t in = 500, pair = 1200, calls = 100, kids = 10;
	const uint64_t child_true = 20, parent_self_true = 8000;
	struct profile_meta m = { .calib_inregion_ns = in,
				  .calib_pair_ns = pair };
	uint64_t child_total = calls * kids * (child_true + in);
	uint64_t parent_total = calls * (parent_self_true + in) +
				calls * kids * (child_true + pair);
	struct report_comp c;

	(void)state;
	report__compensate(&m, calls * kids, 0, child_total, child_total, &c);
	assert_int_equal(c.total_ns, calls * kids * child_true);
	report__compensate(&m, calls, calls * kids, parent_total,
			   parent_total - child_total, &c);
	assert_int_equal(c.total_ns,
			 calls * (parent_self_true + kids * child_true));
	assert_int_equal(c.self_ns, calls * parent_self_true);
}

/* Calibrated: a header line of what the probes added, compensated times by
 * default, measured ones under --raw, and '*' on regions under 3 pairs. */
static void test_table_compensated(void **state)
{
	struct report_opts raw = { .raw = true };
	struct profile p;
	char *out, line[128];

	(void)state;
	sample(&p);
	p.meta.calib_inregion_ns = 10;
	p.meta.calib_pair_ns = 100;
	out = render(&p, false, false);
	/* 48 regions x 100 ns of the 100 us wall time */
	assert_non_null(strstr(out, "added 4.80 us to 48 regions (4.8% of "));
	assert_non_null(strstr(out, "times     compensated"));
	/* solve: 40 calls, 14 us - 400 ns; a mean of 340 ns, over 3 pairs */
	assert_string_equal(
		words(line_of(out, "solve"), line),
		"solve 40 13.6 us 11.6 us 340 ns 40 ns 990 ns 13.6");
	/* the 1 ns region: a mean of 0 after compensation, marked */
	assert_non_null(strstr(out, "\nweird,\"name\"* "));
	assert_non_null(strstr(out, "*: dominated by probe cost"));
	free(out);
	out = render_opts(&p, false, &raw);
	assert_string_equal(
		words(line_of(out, "solve"), line),
		"solve 40 14.0 us 12.0 us 350 ns 50 ns 1.00 us 14.0");
	assert_non_null(strstr(out, "times     as measured"));
	free(out);
	/* uncalibrated: said, and nothing marked */
	sample(&p);
	out = render(&p, false, false);
	assert_non_null(strstr(out, "note: no probe-cost calibration"));
	assert_null(strstr(out, "dominated"));
	free(out);
}

static void test_fmt_ns(void **state)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0 ns" },
		{ 999, "999 ns" },
		{ 1000, "1.00 us" },
		{ 9995, "10.0 us" },
		{ 999499, "999 us" },
		{ 999500, "1.00 ms" },
		{ 1234567890, "1.23 s" },
		{ 123456789012ull, "123 s" },
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
	const char *ok[] = {
		"scope-bpf report", "--threads", "-f",	  "csv", "-vv",
		"--meta",	    "--raw",	 "run.h5"
	};
	const char *bad_format[] = { "scope-bpf report", "--format", "xml",
				     "run.h5" };
	const char *no_file[] = { "scope-bpf report", "--threads" };
	const char *two_files[] = { "scope-bpf report", "a.h5", "b.h5" };
	const char *unknown[] = { "scope-bpf report", "--bogus", "a.h5" };
	struct report_args a;

	(void)state;
	assert_int_equal(parse(&a, 8, ok), 0);
	assert_true(a.opts.meta);
	assert_true(a.opts.raw);
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
		cmocka_unit_test(test_csv_threads),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_csv_meta),
		cmocka_unit_test(test_csv_hash_quoted),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_table_aggregates),
		cmocka_unit_test(test_table_warning),
		cmocka_unit_test(test_table_threads),
		cmocka_unit_test(test_unknown_region),
		cmocka_unit_test(test_compensate),
		cmocka_unit_test(test_compensate_roundtrip),
		cmocka_unit_test(test_table_compensated),
		cmocka_unit_test(test_fmt_ns),
		cmocka_unit_test(test_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
