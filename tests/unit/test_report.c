// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the offline report (userspace/report) and its arguments. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "cli/cmd_report.h"
#include "common/json.h"
#include "hdf5/profile_file.h"
#include "profile/hist.h"
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

/* --counters task-clock,cpu/event=0xc2,umask=0x1/: a name with a comma */
static struct profile_counter counters[] = {
	{ .index = 0,
	  .type = 1,
	  .name = (char *)"task-clock",
	  .counter = (char *)"",
	  .units = (char *)"ns",
	  .note = (char *)"counted as cpu-clock per CPU",
	  .enabled_ns = 100,
	  .running_ns = 100 },
	{ .index = 1,
	  .type = 4,
	  .config = 0x1c2,
	  .name = (char *)"cpu/event=0xc2,umask=0x1/",
	  .counter = (char *)"",
	  .units = (char *)"count",
	  .note = (char *)"",
	  .enabled_ns = 100,
	  .running_ns = 100 },
};

/* The sample with two counters, on a copy of its stats in @s. */
static void sample_counters(struct profile *p, struct region_stats *s)
{
	static const uint64_t incl[][2] = {
		{ 4000, 1500000 }, { 8000, 2500000 }, { 20000, 999 },
		{ 7000, 1000 },	   { 1, 1 },
	};

	sample(p);
	memcpy(s, stats, sizeof(stats));
	for (size_t i = 0; i < p->nstats; i++) {
		s[i].counter_incl[0] = incl[i][0];
		s[i].counter_incl[1] = incl[i][1];
		s[i].counter_self[0] = incl[i][0] - incl[i][0] / 4;
		s[i].counter_self[1] = incl[i][1] / 2;
	}
	p->stats = s;
	p->counters = counters;
	p->ncounters = 2;
	p->meta.counter_method = (char *)"per-CPU deltas at the probes";
}

/* Two columns per counter after the existing ones, named by the event,
 * quoted where the name needs it; sums over threads without --threads. */
static void test_csv_counters(void **state)
{
	struct region_stats s[sizeof(stats) / sizeof(stats[0])];
	struct profile p;
	char *out;

	(void)state;
	sample_counters(&p, s);
	out = render(&p, true, false);
	assert_non_null(strstr(out, REPORT_CSV_HEADER
			       ",task-clock,task-clock_self,"
			       "\"cpu/event=0xc2,umask=0x1/\","
			       "\"cpu/event=0xc2,umask=0x1/_self\"\n"));
	assert_non_null(strstr(out, "\nsolve,2,40,14000,12000,50,1000,350,"
				    "0,14000,12000,350,"
				    "12000,9000,4000000,2000000\n"));
	assert_non_null(strstr(out,
			       "\nhalo,1,5,20000,20000,1000,9000,4000,"
			       "0,20000,20000,4000,20000,15000,999,499\n"));
	free(out);
	out = render(&p, true, true);
	assert_non_null(strstr(out, REPORT_CSV_THREADS_HEADER
			       ",task-clock,task-clock_self,"
			       "\"cpu/event=0xc2,umask=0x1/\","
			       "\"cpu/event=0xc2,umask=0x1/_self\"\n"));
	assert_non_null(strstr(out, "\nsolve,4243,30,9000,8000,50,900,300,"
				    "4242,worker,0,9000,8000,300,"
				    "8000,6000,2500000,1250000\n"));
	free(out);
}

/* --sort by a counter: its name, or NAME_self. */
static void test_sort_counter(void **state)
{
	struct region_stats s[sizeof(stats) / sizeof(stats[0])];
	struct report_sort sort;
	struct report_opts o = { .sort = "cpu/event=0xc2,umask=0x1/" };
	struct profile p;
	char *out;

	(void)state;
	sample_counters(&p, s);
	assert_int_equal(report__sort_parse("task-clock_self", &p, &sort), 0);
	assert_int_equal(sort.col, REPORT_SORT_COUNTER_SELF);
	assert_int_equal(sort.counter, 0);
	assert_int_equal(report__sort_parse(o.sort, &p, &sort), 0);
	assert_int_equal(sort.col, REPORT_SORT_COUNTER);
	assert_int_equal(sort.counter, 1);
	assert_int_equal(report__sort_parse("task-clock_selfish", &p, &sort),
			 -EINVAL);
	/* solve counts 4000000 of the second counter, more than halo */
	out = render_opts(&p, true, &o);
	assert_true(strstr(out, "\nsolve,") < strstr(out, "\nhalo,"));
	free(out);
}

/* --meta: the counters' definitions, one line each, and the method. */
static void test_csv_counters_meta(void **state)
{
	struct region_stats s[sizeof(stats) / sizeof(stats[0])];
	struct report_opts o = { .meta = true };
	struct profile p;
	char *out;

	(void)state;
	sample_counters(&p, s);
	out = render_opts(&p, true, &o);
	assert_non_null(strstr(
		out, "# counter_method: per-CPU deltas at the probes\n"));
	assert_non_null(strstr(out, "# counter_0: name=task-clock units=ns "
				    "counter= type=1 config=0 "));
	assert_non_null(strstr(out, "# counter_1: name=cpu/event=0xc2,umask="
				    "0x1/ units=count counter= type=4 "
				    "config=0x1c2 "));
	free(out);
	out = render_opts(&p, false, &o);
	assert_non_null(strstr(out, "\n          cpu/event=0xc2,umask=0x1/: "
				    "type 4, config 0x1c2,"));
	free(out);
}

/* A column per counter after %thread-time: ns as durations, counts with
 * k/M/G; the header says what they are. */
static void test_table_counters(void **state)
{
	struct region_stats s[sizeof(stats) / sizeof(stats[0])];
	struct profile p;
	char *out, line[128];

	(void)state;
	sample_counters(&p, s);
	out = render(&p, false, false);
	assert_string_equal(words(line_of(out, "region"), line),
			    "region calls total self mean min max "
			    "%thread-time task-clock "
			    "cpu/event=0xc2,umask=0x1/");
	assert_string_equal(words(line_of(out, "solve"), line),
			    "solve 40 14.0 us 12.0 us 350 ns 50 ns 1.00 us "
			    "14.0 12.0 us 4.00 M");
	assert_string_equal(words(line_of(out, "halo"), line),
			    "halo 5 20.0 us 20.0 us 4.00 us 1.00 us 9.00 us "
			    "20.0 20.0 us 999");
	assert_non_null(strstr(out, "\ncounters  task-clock [ns], "
				    "cpu/event=0xc2,umask=0x1/ [count]: "));
	assert_non_null(strstr(out, "\nnote: task-clock: counted as "
				    "cpu-clock per CPU\n"));
	free(out);
	out = render(&p, false, true);
	assert_string_equal(words(line_of(out, "solve"), line),
			    "solve 10 5.00 us 4.00 us 500 ns 100 ns 1.00 us "
			    "5.0 4.00 us 1.50 M");
	free(out);
}

static void test_fmt_count(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} cases[] = {
		{ 0, "0" },
		{ 999, "999" },
		{ 1000, "1.00 k" },
		{ 12345, "12.3 k" },
		{ 999499, "999 k" },
		{ 999500, "1.00 M" },
		{ 7000000000ull, "7.00 G" },
		{ UINT64_MAX, "18.4 E" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		report__fmt_count(buf, sizeof(buf), cases[i].v);
		assert_string_equal(buf, cases[i].want);
	}
}

/* The skylake BRANCH group as likwid 5.2 ships it
 * (/usr/share/likwid/perfgroups/skylake/BRANCH.txt). */
static const char branch_group[] =
	"SHORT Branch prediction miss rate/ratio\n"
	"\n"
	"EVENTSET\n"
	"FIXC0 INSTR_RETIRED_ANY\n"
	"FIXC1 CPU_CLK_UNHALTED_CORE\n"
	"FIXC2 CPU_CLK_UNHALTED_REF\n"
	"PMC0  BR_INST_RETIRED_ALL_BRANCHES\n"
	"PMC1  BR_MISP_RETIRED_ALL_BRANCHES\n"
	"\n"
	"METRICS\n"
	"Runtime (RDTSC) [s] time\n"
	"Runtime unhalted [s] FIXC1*inverseClock\n"
	"Clock [MHz]  1.E-06*(FIXC1/FIXC2)/inverseClock\n"
	"CPI  FIXC1/FIXC0\n"
	"Branch rate   PMC0/FIXC0\n"
	"Branch misprediction rate  PMC1/FIXC0\n"
	"Branch misprediction ratio  PMC1/PMC0\n"
	"Instructions per branch  FIXC0/PMC0\n"
	"\n"
	"LONG\n"
	"Formulas:\n"
	"Branch rate = BR_INST_RETIRED_ALL_BRANCHES/INSTR_RETIRED_ANY\n";

/* Out of the group's order, to check that events go by counter name. */
static struct profile_counter branch_counters[] = {
	{ .index = 0,
	  .name = (char *)"branch-misses",
	  .counter = (char *)"PMC1" },
	{ .index = 1,
	  .name = (char *)"instructions",
	  .counter = (char *)"FIXC0" },
	{ .index = 2, .name = (char *)"cycles", .counter = (char *)"FIXC1" },
	{ .index = 3,
	  .name = (char *)"ref-cycles",
	  .counter = (char *)"FIXC2" },
	{ .index = 4, .name = (char *)"branches", .counter = (char *)"PMC0" },
};

static struct region branch_regions[] = {
	{ .id = 7, .name = (char *)"calc", .file = (char *)"c.c" },
};

/* Thread 100: 2 s, 4e9 instructions, 3e9 cycles, 2e9 ref cycles, 5e8
 * branches, 1e7 misses; thread 101: 1 s, 1e9, 2e9, 2e9, 2e8, 4e6. */
static struct region_stats branch_stats[] = {
	{ .pid = 100,
	  .tid = 101,
	  .region = 7,
	  .calls = 2,
	  .total_ns = 1000000000,
	  .counter_incl = { 4000000, 1000000000, 2000000000, 2000000000,
			    200000000 } },
	{ .pid = 100,
	  .tid = 100,
	  .region = 7,
	  .calls = 4,
	  .total_ns = 2000000000,
	  .counter_incl = { 10000000, 4000000000, 3000000000, 2000000000,
			    500000000 } },
};

static void branch_profile(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	p->meta.likwid_group = (char *)"BRANCH";
	p->meta.likwid_group_text = (char *)branch_group;
	p->meta.cpu_clock_hz = 2000000000; /* inverseClock = 5e-10 s */
	p->regions.v = branch_regions;
	p->regions.n = 1;
	p->stats = branch_stats;
	p->nstats = 2;
	p->counters = branch_counters;
	p->ncounters = 5;
}

/* The cells of the first table row of @text after @from whose first cell
 * is @label, trimmed and joined by ',' into @buf[256]. */
static char *box_row(const char *text, const char *label, char *buf)
{
	size_t n = strlen(label);

	for (const char *l = text; l; l = strchr(l, '\n')) {
		const char *c;
		size_t k = 0;

		l += *l == '\n';
		if (l[0] != '|')
			continue;
		for (c = l + 1; *c == ' '; c++)
			;
		if (strncmp(c, label, n) || strncmp(c + n, " ", 1) ||
		    c[n + 1 + strspn(c + n + 1, " ")] != '|')
			continue;
		for (c = l + 1; *c && *c != '\n'; c++) {
			if (*c == '|')
				buf[k++] = ',';
			else if (*c != ' ' || (k && buf[k - 1] != ',' &&
					       c[1] != ' ' && c[1] != '|'))
				buf[k++] = *c;
		}
		buf[k ? k - 1 : 0] = '\0'; /* the last '|' */
		return buf;
	}
	fail_msg("no row '%s' in:\n%s", label, text);
	return NULL;
}

/* likwid-perfctr -m's shape, with the metrics computed by hand from the
 * group's formulas (inverseClock 5e-10). */
static void test_metrics(void **state)
{
	struct profile p;
	char *buf = NULL, row[256];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	branch_profile(&p);
	assert_int_equal(report__metrics(&p, out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "Region calc, Group 1: BRANCH\n"));
	assert_string_equal(box_row(buf, "Region Info", row),
			    "Region Info,Thread 100,Thread 101");
	assert_string_equal(box_row(buf, "Runtime [s]", row),
			    "Runtime [s],2.000000,1.000000");
	assert_string_equal(box_row(buf, "call count", row), "call count,4,2");
	assert_string_equal(box_row(buf, "INSTR_RETIRED_ANY", row),
			    "INSTR_RETIRED_ANY,FIXC0,4000000000,1000000000");
	assert_string_equal(
		box_row(buf, "BR_MISP_RETIRED_ALL_BRANCHES", row),
		"BR_MISP_RETIRED_ALL_BRANCHES,PMC1,10000000,4000000");
	assert_string_equal(box_row(buf, "INSTR_RETIRED_ANY STAT", row),
			    "INSTR_RETIRED_ANY STAT,FIXC0,5000000000,"
			    "1000000000,4000000000,2500000000");
	assert_string_equal(box_row(buf, "Runtime (RDTSC) [s]", row),
			    "Runtime (RDTSC) [s],2,1");
	/* 3e9 * 5e-10, 2e9 * 5e-10 */
	assert_string_equal(box_row(buf, "Runtime unhalted [s]", row),
			    "Runtime unhalted [s],1.5000,1");
	/* 1e-6 * 1.5 / 5e-10; 1e-6 * 1 / 5e-10 is 1999.9999999999998 in
	 * doubles, as in likwid's Lua */
	assert_string_equal(box_row(buf, "Clock [MHz]", row),
			    "Clock [MHz],3000,2000.0000");
	assert_string_equal(box_row(buf, "CPI", row), "CPI,0.7500,2");
	assert_string_equal(box_row(buf, "Branch rate", row),
			    "Branch rate,0.1250,0.2000");
	assert_string_equal(box_row(buf, "Branch misprediction rate", row),
			    "Branch misprediction rate,0.0025,0.0040");
	assert_string_equal(box_row(buf, "Branch misprediction ratio", row),
			    "Branch misprediction ratio,0.0200,0.0200");
	assert_string_equal(box_row(buf, "Instructions per branch", row),
			    "Instructions per branch,8,5");
	assert_string_equal(box_row(buf, "CPI STAT", row),
			    "CPI STAT,2.7500,0.7500,2,1.3750");
	assert_string_equal(box_row(buf, "Runtime (RDTSC) [s] STAT", row),
			    "Runtime (RDTSC) [s] STAT,3,1,2,1.5000");
	assert_string_equal(box_row(buf, "Instructions per branch STAT", row),
			    "Instructions per branch STAT,13,5,8,6.5000");
	free(buf);
}

/* One thread: no STAT tables; no clock: inverseClock 0, the divisions
 * by it 0; an event missing from the profile: "-" where it is needed. */
static void test_metrics_one_thread(void **state)
{
	struct profile p;
	char *buf = NULL, row[256];
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	branch_profile(&p);
	p.stats = &branch_stats[1];
	p.nstats = 1;
	p.meta.cpu_clock_hz = 0;
	p.ncounters = 4; /* no PMC0 */
	assert_int_equal(report__metrics(&p, out), 0);
	fclose(out);
	assert_null(strstr(buf, "STAT"));
	assert_string_equal(box_row(buf, "Clock [MHz]", row), "Clock [MHz],0");
	assert_string_equal(box_row(buf, "Runtime unhalted [s]", row),
			    "Runtime unhalted [s],0");
	assert_string_equal(box_row(buf, "BR_INST_RETIRED_ALL_BRANCHES", row),
			    "BR_INST_RETIRED_ALL_BRANCHES,PMC0,-");
	assert_string_equal(box_row(buf, "Branch rate", row), "Branch rate,-");
	assert_string_equal(box_row(buf, "CPI", row), "CPI,0.7500");
	free(buf);
	/* no group at all, or a text that is none */
	out = open_memstream(&buf, &len);
	p.meta.likwid_group_text = (char *)"";
	assert_int_equal(report__metrics(&p, out), -ENODATA);
	p.meta.likwid_group_text = (char *)"METRICS\nno eventset\n";
	assert_int_equal(report__metrics(&p, out), -EBADMSG);
	fclose(out);
	free(buf);
}

static char *render_metrics(const struct profile *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(report__metrics(p, out), 0);
	fclose(out);
	return buf;
}

/* Through the file: the group's text, the clock and the counters come
 * back from /meta and /counters and give the same report. */
static void test_metrics_from_file(void **state)
{
	char dir[] = "/tmp/scope-test-report-XXXXXX", path[64];
	struct profile p, got;
	char *want, *have;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.h5", dir);
	branch_profile(&p);
	assert_int_equal(profile_file__write(&p, path, (uid_t)-1, (gid_t)-1),
			 0);
	assert_int_equal(profile_file__read(&got, path), 0);
	want = render_metrics(&p);
	have = render_metrics(&got);
	assert_string_equal(have, want);
	free(want);
	free(have);
	profile__free(&got);
	assert_int_equal(test__rmdir(dir), 0);
}

/* A log2 histogram's quantiles: the bucket of the rank, interpolated over
 * the part of it between min and max; the max exact. */
static void test_hist_quantile(void **state)
{
	uint64_t h[PROFILE_HIST_BUCKETS] = { 0 };

	(void)state;
	assert_int_equal(profile_hist__quantile(h, 0, 0, 0.5), 0);
	/* 100 durations in [1024, 2047]: spread evenly, min 1100 max 2000 */
	h[10] = 100;
	assert_int_equal(profile_hist__count(h), 100);
	assert_int_equal(profile_hist__quantile(h, 1100, 2000, 1.0), 2000);
	assert_int_equal(profile_hist__quantile(h, 1100, 2000, 0.5), 1546);
	assert_true(profile_hist__quantile(h, 1100, 2000, 0.01) >= 1100);
	assert_true(profile_hist__quantile(h, 1100, 2000, 0.99) <= 2000);
	/* 90 short, 10 long: p50 among the short, p99 among the long */
	memset(h, 0, sizeof(h));
	h[6] = 90;  /* [64, 127] */
	h[20] = 10; /* [1 Mi, 2 Mi) */
	assert_in_range(profile_hist__quantile(h, 64, 1500000, 0.5), 64, 127);
	assert_in_range(profile_hist__quantile(h, 64, 1500000, 0.9), 64, 127);
	assert_in_range(profile_hist__quantile(h, 64, 1500000, 0.99), 1 << 20,
			1500000);
	/* a min or max outside the bucket (damaged) is not trusted */
	assert_in_range(profile_hist__quantile(h, 5000, 10, 0.5), 64, 127);
}

/* The JSON writer: commas, nesting and the escapes of RFC 8259. */
static void test_json_writer(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct json j;

	(void)state;
	json__init(&j, out);
	json__begin_object(&j);
	json__kv_string(&j, "s", "a\"b\\c\n\t\x01/é");
	json__key(&j, "v");
	json__begin_array(&j);
	json__u64(&j, 18446744073709551615ull);
	json__i64(&j, -5);
	json__double(&j, 0.5);
	json__double(&j, 1.0 / 0.0);
	json__null(&j);
	json__bool(&j, true);
	json__end_array(&j);
	json__key(&j, "e");
	json__begin_object(&j);
	json__end_object(&j);
	json__end_object(&j);
	assert_int_equal(json__end(&j), 0);
	fclose(out);
	assert_string_equal(buf, "{\n  \"s\": \"a\\\"b\\\\c\\n\\t\\u0001/é\",\n"
				 "  \"v\": [\n    18446744073709551615,\n"
				 "    -5,\n    0.5,\n    null,\n    null,\n"
				 "    true\n  ],\n  \"e\": {}\n}\n");
	free(buf);
	/* misuse is caught: a document left open */
	out = open_memstream(&buf, &len);
	json__init(&j, out);
	json__begin_array(&j);
	assert_int_equal(json__end(&j), -EINVAL);
	fclose(out);
	free(buf);
}

static char *render_json(const struct profile *p, const struct report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	assert_int_equal(report__json(p, out, o), 0);
	fclose(out);
	return buf;
}

/* The JSON report: the CSV's names and numbers, names escaped. */
static void test_json(void **state)
{
	struct report_opts o = { .threads = true };
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	out = render_json(&p, NULL);
	assert_non_null(strstr(out, "\"format\": \"scope-bpf-report\""));
	assert_non_null(strstr(out, "\"view\": \"summary\""));
	assert_non_null(strstr(out, "\"wall_ns\": 100000"));
	assert_non_null(strstr(out, "\"region\": \"solve\",\n"
				    "      \"threads\": 2,\n"
				    "      \"calls\": 40,\n"
				    "      \"total_ns\": 14000,"));
	assert_non_null(strstr(out, "\"region\": \"weird,\\\"name\\\"\""));
	assert_null(strstr(out, "p50_ns"));
	assert_null(strstr(out, "\"meta\""));
	free(out);
	out = render_json(&p, &o);
	assert_non_null(strstr(out, "\"view\": \"threads\""));
	assert_non_null(
		strstr(out, "\"tid\": 4243,\n      \"comm\": \"worker\""));
	free(out);
	o.meta = true;
	o.percentiles = true;
	out = render_json(&p, &o);
	assert_non_null(strstr(out, "\"meta\": {"));
	assert_non_null(strstr(out, "\"p99_ns\": "));
	free(out);
}

/* --sort, --top, --region and --thread on the CSV's rows. */
static void test_select(void **state)
{
	const char *globs[] = { "s*", "io" }, *sel[] = { "worker" };
	const char *tid[] = { "4242" };
	struct report_opts o = { .sort = "calls", .top = 2 };
	struct report_sort s;
	struct profile p;
	char *out;

	(void)state;
	sample(&p);
	out = render_opts(&p, true, &o);
	assert_string_equal(strchr(out, '\n') + 1,
			    "solve,2,40,14000,12000,50,1000,350,0,14000,"
			    "12000,350\nhalo,1,5,20000,20000,1000,9000,4000,"
			    "0,20000,20000,4000\n");
	free(out);
	o = (struct report_opts){ .sort = "name",
				  .regions = globs,
				  .nregions = 2 };
	out = render_opts(&p, true, &o);
	assert_string_equal(strchr(out, '\n') + 1,
			    "io,1,2,7000,6000,3000,4000,3500,0,7000,6000,"
			    "3500\nsolve,2,40,14000,12000,50,1000,350,0,"
			    "14000,12000,350\n");
	free(out);
	/* a thread by name: solve is the worker's alone */
	o = (struct report_opts){ .thread_sel = sel,
				  .nthread_sel = 1,
				  .regions = globs,
				  .nregions = 1 };
	out = render_opts(&p, true, &o);
	assert_string_equal(strchr(out, '\n') + 1,
			    "solve,1,30,9000,8000,50,900,300,0,9000,8000,"
			    "300\n");
	free(out);
	/* by tid, with --threads: each thread's top row */
	o = (struct report_opts){ .threads = true, .top = 1 };
	out = render_opts(&p, true, &o);
	assert_non_null(strstr(out, "\nhalo,4242,"));
	assert_non_null(strstr(out, "\nsolve,4243,"));
	assert_null(strstr(out, "\nio,"));
	free(out);
	o = (struct report_opts){ .thread_sel = tid, .nthread_sel = 1 };
	out = render_opts(&p, false, &o);
	assert_non_null(strstr(out, "summed over 1 thread,"));
	assert_non_null(strstr(out, "\nsolve "));
	assert_null(strstr(out, "\nio "));
	free(out);
	assert_int_equal(report__sort_parse("p99", &p, &s), 0);
	assert_int_equal(s.col, REPORT_SORT_P99);
	assert_int_equal(report__sort_parse("bogus", &p, &s), -EINVAL);
}

/* --compare: matched by name, judged against the histograms' noise. */
static void test_compare(void **state)
{
	struct region_stats olds[2] = { 0 }, news[2] = { 0 };
	struct region nregions[] = {
		{ .id = 0, .name = (char *)"halo" },
		{ .id = 1, .name = (char *)"fresh" },
	};
	struct profile old, new;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	/* sqrt(1000^2/100 + 1000^2/100) */
	assert_int_equal(report__noise(1000, 100, 1000, 100), 141);
	assert_int_equal(report__noise(0, 0, 0, 0), 0);
	sample(&old);
	sample(&new);
	/* old: solve (id 0) and halo (id 1); new: halo (id 0), fresh */
	olds[0] = (struct region_stats){ .tid = 1,
					 .region = 0,
					 .calls = 100,
					 .total_ns = 100000,
					 .min_ns = 900,
					 .max_ns = 1100 };
	olds[0].hist[9] = 100;
	olds[1] = (struct region_stats){ .tid = 1,
					 .region = 1,
					 .calls = 100,
					 .total_ns = 100000,
					 .min_ns = 900,
					 .max_ns = 1100 };
	olds[1].hist[9] = 100;
	news[0] = olds[1];
	news[0].region = 0;
	news[0].total_ns = 200000;
	news[0].min_ns = 1900;
	news[0].max_ns = 2000;
	news[0].hist[9] = 0;
	news[0].hist[10] = 100;
	news[1] = olds[0];
	news[1].region = 1;
	old.stats = olds;
	old.nstats = 2;
	new.stats = news;
	new.nstats = 2;
	new.regions.v = nregions;
	new.regions.n = 2;
	assert_int_equal(report__compare(&old, &new, out, NULL, FORMAT_CSV), 0);
	fclose(out);
	/* noise: spreads 1010 - 912 and 1990 - 1910 over sqrt(100) each;
	 * ties in the change of total by name */
	assert_string_equal(buf, REPORT_CSV_COMPARE_HEADER
			    "\n"
			    "fresh,appeared,,100,100,,100000,100000,,"
			    "1000,,0\n"
			    "halo,slower,100,100,0,100000,200000,100000,"
			    "1000,2000,0.5000,13\n"
			    "solve,vanished,100,,-100,100000,,-100000,"
			    "1000,,,0\n");
	free(buf);
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
	const char *metrics[] = { "scope-bpf report", "--metrics", "a.h5" };
	const char *metrics_csv[] = { "scope-bpf report", "--metrics", "-f",
				      "csv", "a.h5" };
	struct report_args a;

	(void)state;
	assert_int_equal(parse(&a, 8, ok), 0);
	report_args__free(&a);
	assert_true(a.opts.meta);
	assert_true(a.opts.raw);
	assert_string_equal(a.file, "run.h5");
	assert_int_equal(a.format, FORMAT_CSV);
	assert_true(a.opts.threads);
	assert_int_equal(a.verbose, 2);
	assert_int_equal(parse(&a, 4, bad_format), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 2, no_file), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 3, two_files), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 3, unknown), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 3, metrics), 0);
	report_args__free(&a);
	assert_true(a.opts.metrics);
	assert_int_equal(parse(&a, 5, metrics_csv), -EINVAL);
	report_args__free(&a);
}

static void test_args_views(void **state)
{
	const char *ok[] = { "scope-bpf report",
			     "--percentiles",
			     "--sort",
			     "p99",
			     "--top",
			     "5",
			     "--region",
			     "a*",
			     "--region",
			     "b",
			     "--thread",
			     "123",
			     "-f",
			     "json",
			     "run.h5" };
	const char *cmp[] = { "scope-bpf report", "old.h5", "new.h5",
			      "--compare" };
	const char *cmp_one[] = { "scope-bpf report", "--compare", "a.h5" };
	const char *cmp_threads[] = { "scope-bpf report", "--compare",
				      "--threads", "a.h5", "b.h5" };
	const char *top0[] = { "scope-bpf report", "--top", "0", "a.h5" };
	const char *top_neg[] = { "scope-bpf report", "--top", "-1", "a.h5" };
	const char *metrics_json[] = { "scope-bpf report", "--metrics", "-f",
				       "json", "a.h5" };
	struct report_args a;

	(void)state;
	assert_int_equal(parse(&a, 15, ok), 0);
	assert_true(a.opts.percentiles);
	assert_string_equal(a.opts.sort, "p99");
	assert_int_equal(a.opts.top, 5);
	assert_int_equal(a.opts.nregions, 2);
	assert_string_equal(a.opts.regions[1], "b");
	assert_int_equal(a.opts.nthread_sel, 1);
	assert_string_equal(a.opts.thread_sel[0], "123");
	assert_int_equal(a.format, FORMAT_JSON);
	report_args__free(&a);
	assert_int_equal(parse(&a, 4, cmp), 0);
	assert_true(a.compare);
	assert_string_equal(a.file, "old.h5");
	assert_string_equal(a.file2, "new.h5");
	report_args__free(&a);
	assert_int_equal(parse(&a, 3, cmp_one), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 5, cmp_threads), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 4, top0), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 4, top_neg), -EINVAL);
	report_args__free(&a);
	assert_int_equal(parse(&a, 5, metrics_json), -EINVAL);
	report_args__free(&a);
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
		cmocka_unit_test(test_csv_counters),
		cmocka_unit_test(test_csv_counters_meta),
		cmocka_unit_test(test_table_counters),
		cmocka_unit_test(test_fmt_count),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_metrics_one_thread),
		cmocka_unit_test(test_metrics_from_file),
		cmocka_unit_test(test_hist_quantile),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_args_views),
		cmocka_unit_test(test_sort_counter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
