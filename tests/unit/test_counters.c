// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* counters/: event names to perf_event_attr (with a sysfs tree of the
 * test's own), the evlist's list handling, LIKWID group files (every shipped
 * one parses; the same as liblikwid's reader) and metric formulas (against
 * likwid-perfctr's own calculator, likwid.lua, on synthetic counts). */
#include <dirent.h>
#include <errno.h>
#include <likwid.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "counters/evsel.h"
#include "counters/groups.h"
#include "counters/metric.h"

struct name_case {
	const char *name;
	int err;
	uint32_t type;
	uint64_t config;
};

static const struct name_case names[] = {
	{ "cycles", 0, PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", 0, PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "branch-instructions", 0, PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "ref-cycles", 0, PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ "stalled-cycles-backend", 0, PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "task-clock", 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "faults", 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "cs", 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "migrations", 0, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "major-faults", 0, PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "L1-dcache-load-misses", 0, PERF_TYPE_HW_CACHE, 0x10000 },
	{ "LLC-loads", 0, PERF_TYPE_HW_CACHE, 0x2 },
	{ "dTLB-store-misses", 0, PERF_TYPE_HW_CACHE, 0x10103 },
	{ "r01c2", 0, PERF_TYPE_RAW, 0x1c2 },
	{ "rFF", 0, PERF_TYPE_RAW, 0xff },
	{ "r", -EINVAL, 0, 0 },
	{ "r12g", -EINVAL, 0, 0 },
	{ "r11112222333344445", -ERANGE, 0, 0 },
	{ "L1-dcache-misses", -EINVAL, 0, 0 },
	{ "Cycles", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
	/* the test's sysfs tree: cpu is type 4 */
	{ "cpu/event=0xc2,umask=0x1/", 0, 4, 0x1c2 },
	{ "cpu/event=0x3c,inv/", 0, 4, 0x80003c },
	{ "cpu/cycles-t/", 0, 4, 0x10000003cull },
	{ "cpu/config=0x1234/", 0, 4, 0x1234 },
	{ "cpu/split=0x3ff/", 0, 4, 0x3000000ffull },
	{ "cpu/event=0x1ff/", -ERANGE, 0, 0 },
	{ "cpu/bogus=1/", -ENOENT, 0, 0 },
	{ "nopmu/event=1/", -ENOENT, 0, 0 },
	{ "cpu/event=0xc2", -EINVAL, 0, 0 },
	{ "cpu/event=zz/", -EINVAL, 0, 0 },
};

static char sysfs[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sysfs, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A PMU "cpu" laid out as the kernel lays out a real one. */
static int make_sysfs(void **state)
{
	char d[128];

	(void)state;
	strcpy(sysfs, "/tmp/scope-sysfs.XXXXXX");
	if (!mkdtemp(sysfs))
		return -1;
	snprintf(d, sizeof(d), "%s/cpu", sysfs);
	mkdir(d, 0755);
	snprintf(d, sizeof(d), "%s/cpu/format", sysfs);
	mkdir(d, 0755);
	snprintf(d, sizeof(d), "%s/cpu/events", sysfs);
	mkdir(d, 0755);
	put("cpu/type", "4\n");
	put("cpu/format/event", "config:0-7\n");
	put("cpu/format/umask", "config:8-15\n");
	put("cpu/format/inv", "config:23\n");
	put("cpu/format/in_tx", "config:32\n");
	put("cpu/format/split", "config:0-7,32-33\n");
	put("cpu/events/cycles-t", "event=0x3c,in_tx=1\n");
	return 0;
}

static int remove_sysfs(void **state)
{
	(void)state;
	return test__rmdir(sysfs);
}

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct name_case *c = &names[i];
		struct perf_event_attr a;
		int err = evsel__parse(c->name, sysfs, &a, NULL);

		if (err != c->err)
			fail_msg("'%s': got %d, expected %d", c->name, err,
				 c->err);
		if (!err && (a.type != c->type || a.config != c->config))
			fail_msg(
				"'%s': type %u config %#llx, expected %u %#llx",
				c->name, a.type, (unsigned long long)a.config,
				c->type, (unsigned long long)c->config);
		if (!err)
			assert_int_equal(
				a.read_format,
				PERF_FORMAT_TOTAL_TIME_ENABLED |
					PERF_FORMAT_TOTAL_TIME_RUNNING);
	}
}

static void test_task_clock_note(void **state)
{
	struct evsel *e = evsel__new("task-clock", NULL);

	(void)state;
	assert_non_null(e);
	assert_non_null(strstr(evsel__note(e), "cpu-clock"));
	assert_false(evsel__is_hardware(e));
	evsel__free(e);
	e = evsel__new("cpu/event=0xc2/", sysfs);
	assert_non_null(e);
	assert_true(evsel__is_hardware(e));
	assert_string_equal(evsel__note(e), "");
	evsel__free(e);
}

static void test_evlist_lists(void **state)
{
	struct evlist_opts o = { .sysfs = sysfs, .ncpus = 3 };
	struct evlist *l = evlist__new(&o);

	(void)state;
	assert_non_null(l);
	assert_int_equal(evlist__add_list(l, "cycles,cpu/event=0xc2,umask=0x1/,"
					     "page-faults"),
			 0);
	assert_int_equal(evlist__nr(l), 3);
	assert_string_equal(evsel__name(evlist__evsel(l, 1)),
			    "cpu/event=0xc2,umask=0x1/");
	assert_int_equal(evlist__add(l, "cycles"), -EEXIST);
	assert_int_equal(evlist__add_list(l, "cs,,faults"), -EINVAL);
	assert_int_equal(evlist__add_list(l, "migrations,r1,r2,r3,r4"), -E2BIG);
	assert_int_equal(evlist__nr(l), 8);
	assert_int_equal(evlist__add(l, "nonsense"), -E2BIG);
	evlist__free(l);

	l = evlist__new(&o);
	assert_int_equal(evlist__add(l, "nonsense"), -EINVAL);
	assert_int_equal(evlist__nr(l), 0);
	evlist__free(l);
}

/* Unopened events have no fds: the layout is event * ncpus + cpu. */
static void test_perf_array_layout(void **state)
{
	struct evlist_opts o = { .sysfs = sysfs, .ncpus = 2 };
	struct evlist *l = evlist__new(&o);
	int fds[4] = { 7, 7, 7, 7 };

	(void)state;
	assert_int_equal(evlist__add_list(l, "cs,faults"), 0);
	assert_int_equal(evlist__perf_array_fds(l, fds, 3), -ENOSPC);
	assert_int_equal(evlist__perf_array_fds(l, fds, 4), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(fds[i], -1);
	evlist__free(l);
}

static void test_scale(void **state)
{
	struct evsel_counts c = { 100, 1000, 1000 };

	(void)state;
	assert_int_equal(evsel_counts__scale(&c), 0);
	assert_int_equal(c.val, 100);
	c = (struct evsel_counts){ 100, 1000, 250 };
	assert_int_equal(evsel_counts__scale(&c), 1);
	assert_int_equal(c.val, 400);
	c = (struct evsel_counts){ 100, 1000, 0 };
	assert_int_equal(evsel_counts__scale(&c), -1);
	assert_int_equal(c.val, 0);
}

struct formula_case {
	const char *f;
	int err;
	double v;
};

static const struct metric_var vars[] = {
	{ "PMC0", 6 },
	{ "PMC1", 3 },
	{ "FIXC1", 2e9 },
	{ "time", 2 },
	{ "inverseClock", 1 / 2.5e9 },
	{ "PMC3:EDGEDETECT", 4 },
	{ "CBOX0C1:STATE=0x1", 5 },
};

static const struct formula_case formulas[] = {
	{ "time", 0, 2 },
	{ "PMC0/PMC1", 0, 2 },
	{ "PMC0-PMC1-PMC1", 0, 0 },
	{ "PMC0/PMC1/PMC1", 0, 6.0 / 9 },
	{ "1.0E-06*(PMC0+PMC1)/time", 0, 4.5e-6 },
	{ "1.E-06*(FIXC1/FIXC1)/inverseClock", 0, 2500 },
	{ "1E9*inverseClock", 0, 0.4 },
	{ " ( PMC0 + PMC1 ) * 2 ", 0, 18 },
	{ "-PMC0+10", 0, 4 },
	{ "PMC1/PMC3:EDGEDETECT", 0, 0.75 },
	{ "1E-6*(CBOX0C1:STATE=0x1)*64", 0, 320e-6 },
	{ "PMC0/(PMC1-PMC1)", 0, 0 }, /* likwid-perfctr prints 0 */
	{ "100*PMC0/PMC1", 0, 200 },
	{ "PMC7", -ENOENT, 0 },
	{ "PMC0+", -EINVAL, 0 },
	{ "(PMC0", -EINVAL, 0 },
	{ "PMC0)", -EINVAL, 0 },
	{ "PMC0 PMC1", -EINVAL, 0 },
	{ "0x10", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
};

static void test_formulas(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++) {
		const struct formula_case *c = &formulas[i];
		double v = -1;
		int err = metric__eval(
			c->f, vars, sizeof(vars) / sizeof(vars[0]), &v, NULL);

		if (err != c->err)
			fail_msg("'%s': got %d, expected %d", c->f, err,
				 c->err);
		if (!err && fabs(v - c->v) > 1e-12 * fabs(c->v) + 1e-15)
			fail_msg("'%s': got %.17g, expected %.17g", c->f, v,
				 c->v);
	}
}

static bool have_groups(void)
{
	return !access(GROUPS_DIR, R_OK);
}

struct var_check {
	const struct group *g;
	size_t unknown;
};

/* Whether a variable is a counter of the group or one likwid-perfctr sets:
 * a few shipped formulas name counters their EVENTSET lacks (knl/L2), which
 * likwid-perfctr cannot evaluate either; counted, not failed. */
static int known_var(const char *name, size_t len, void *ctx)
{
	static const char *const builtin[] = { "time", "inverseClock",
					       "num_sockets",
					       "num_numadomains" };
	struct var_check *vc = ctx;

	for (size_t i = 0; i < vc->g->nevents; i++) {
		if (strlen(vc->g->events[i].counter) == len &&
		    !memcmp(vc->g->events[i].counter, name, len))
			return 0;
	}
	for (size_t i = 0; i < 4; i++) {
		if (strlen(builtin[i]) == len && !memcmp(builtin[i], name, len))
			return 0;
	}
	vc->unknown++;
	return 0;
}

static size_t check_arch(const char *arch, size_t *nformulas, size_t *unknown)
{
	struct var_check vc = { 0 };
	char **groups, file[256];
	struct group *g;
	size_t n, bad = 0;

	assert_int_equal(groups__list(GROUPS_DIR, arch, &groups, &n), 0);
	for (size_t i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", arch, groups[i]);
		if (group__read(GROUPS_DIR, arch, groups[i], &g))
			fail_msg("%s does not parse", file);
		vc = (struct var_check){ .g = g };
		for (size_t m = 0; m < g->nmetrics; m++, (*nformulas)++) {
			size_t at = 0;

			if (metric__eval(g->metrics[m].formula, NULL, 0, NULL,
					 &at) ||
			    metric__vars(g->metrics[m].formula, known_var,
					 &vc)) {
				print_message("%s: '%s' fails at %zu\n", file,
					      g->metrics[m].formula, at);
				bad++;
			}
		}
		*unknown += vc.unknown;
		group__free(g);
	}
	groups__free_names(groups, n);
	return bad;
}

static void test_every_shipped_formula(void **state)
{
	size_t nformulas = 0, bad = 0, narch = 0, unknown = 0;
	struct dirent *d;
	DIR *dp;

	(void)state;
	if (!have_groups())
		skip();
	dp = opendir(GROUPS_DIR);
	assert_non_null(dp);
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		bad += check_arch(d->d_name, &nformulas, &unknown);
		narch++;
	}
	closedir(dp);
	print_message(
		"%zu formulas of %zu archs parse; %zu name a counter their group lacks\n",
		nformulas, narch, unknown);
	assert_true(nformulas > 1000);
	assert_int_equal(bad, 0);
}

static void squash(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s != ' ' && *s != '\t')
			*d++ = *s;
	}
	*d = '\0';
}

/* liblikwid's perfgroup_readGroup reads the same events and metrics. */
static void compare_with_likwid(const char *arch, const char *name)
{
	GroupInfo gi;
	struct group *g;
	char a[2048], b[2048];

	assert_int_equal(group__read(GROUPS_DIR, arch, name, &g), 0);
	memset(&gi, 0, sizeof(gi));
	assert_int_equal(perfgroup_readGroup(GROUPS_DIR, arch, name, &gi), 0);
	assert_int_equal(gi.nevents, g->nevents);
	for (size_t i = 0; i < g->nevents; i++) {
		assert_string_equal(gi.counters[i], g->events[i].counter);
		assert_string_equal(gi.events[i], g->events[i].event);
	}
	assert_int_equal(gi.nmetrics, g->nmetrics);
	for (size_t i = 0; i < g->nmetrics; i++) {
		snprintf(a, sizeof(a), "%s", gi.metricformulas[i]);
		snprintf(b, sizeof(b), "%s", g->metrics[i].formula);
		squash(a);
		squash(b);
		assert_string_equal(a, b);
		assert_non_null(strstr(gi.metricnames[i], g->metrics[i].name));
	}
	assert_string_equal(gi.shortinfo, g->short_info);
	perfgroup_returnGroup(&gi);
	group__free(g);
}

static const char *const samples[][2] = {
	{ "haswell", "FLOPS_AVX" },
	{ "skylakeX", "FLOPS_DP" },
	{ "zen3", "FLOPS_DP" },
	{ "zen2", "CACHE" },
	{ "broadwellEP", "MEM" },
	{ "ICL", "L2CACHE" },
	{ "sandybridge", "BRANCH" },
	{ "arm8_n1", "BRANCH" },
	{ "CLX", "TMA" },
	{ "zen", "L2" },
};

static void test_same_as_likwid_reader(void **state)
{
	(void)state;
	if (!have_groups())
		skip();
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		compare_with_likwid(samples[i][0], samples[i][1]);
}

#define LIKWID_LUA "/usr/share/lua/likwid.lua"

/* Synthetic counts: distinct, not round, none zero. */
static double synthetic(size_t i)
{
	return 1000003.0 * (i + 1) + 7919.0 * i * i;
}

static void lua_metrics(FILE *lua, const struct group *g, double time,
			double ic)
{
	for (size_t m = 0; m < g->nmetrics; m++) {
		fprintf(lua,
			"print(string.format('%%.17g', l.calculate_metric('%s', {",
			g->metrics[m].formula);
		for (size_t i = 0; i < g->nevents; i++)
			fprintf(lua, "['%s']=%.17g,", g->events[i].counter,
				synthetic(i));
		fprintf(lua, "time=%.17g, inverseClock=%.17g})))\n", time, ic);
	}
}

/* likwid-perfctr's calculator on the same counts (likwid.lua under
 * lua5.3), one value per metric, to compare with group__metric. */
static void compare_with_likwid_calc(const char *arch, const char *name)
{
	const double time = 1.5, ic = 1 / 2.4e9;
	double counts[64], mine, theirs;
	char script[] = "/tmp/scope-calc.XXXXXX", cmd[128];
	struct group *g;
	FILE *f;
	int fd;

	assert_int_equal(group__read(GROUPS_DIR, arch, name, &g), 0);
	for (size_t i = 0; i < g->nevents && i < 64; i++)
		counts[i] = synthetic(i);
	fd = mkstemp(script);
	f = fdopen(fd, "w");
	fprintf(f, "package.path='/usr/share/lua/?.lua;'..package.path\n"
		   "local l=require('likwid')\n");
	lua_metrics(f, g, time, ic);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "lua5.3 %s", script);
	f = popen(cmd, "r");
	assert_non_null(f);
	for (size_t m = 0; m < g->nmetrics; m++) {
		if (fscanf(f, "%lf", &theirs) != 1)
			fail_msg("%s/%s: likwid gave no value for %s", arch,
				 name, g->metrics[m].name);
		assert_int_equal(group__metric(g, m, counts, time, ic, &mine),
				 0);
		if (fabs(mine - theirs) > 1e-9 * fabs(theirs))
			fail_msg("%s/%s %s: %.17g, likwid %.17g", arch, name,
				 g->metrics[m].name, mine, theirs);
	}
	assert_int_equal(pclose(f), 0);
	unlink(script);
	group__free(g);
}

static void test_same_as_likwid_calculator(void **state)
{
	(void)state;
	if (!have_groups() || access(LIKWID_LUA, R_OK) ||
	    system("lua5.3 -v >/dev/null 2>&1"))
		skip();
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		compare_with_likwid_calc(samples[i][0], samples[i][1]);
}

static void test_translation(void **state)
{
	const struct group_event *missing = NULL;
	const char *perf[64];
	struct group *g;

	(void)state;
	assert_string_equal(groups__perf_event("INSTR_RETIRED_ANY"),
			    "instructions");
	assert_string_equal(groups__perf_event("CPU_CLK_UNHALTED_CORE"),
			    "cycles");
	assert_string_equal(groups__perf_event("CPU_CLK_UNHALTED_REF"),
			    "ref-cycles");
	assert_null(groups__perf_event("FP_ARITH_INST_RETIRED_SCALAR_DOUBLE"));
	if (!have_groups())
		skip();
	assert_int_equal(group__read(GROUPS_DIR, "skylake", "FLOPS_DP", &g), 0);
	assert_int_equal(group__perf_events(g, perf, &missing), -ENOENT);
	assert_non_null(strstr(missing->event, "FP_ARITH_INST_RETIRED"));
	group__free(g);
	assert_int_equal(group__read(GROUPS_DIR, "skylake", "BRANCH", &g), 0);
	assert_int_equal(group__perf_events(g, perf, &missing), 0);
	assert_string_equal(perf[0], "instructions");
	group__free(g);
	assert_int_equal(group__read(GROUPS_DIR, "skylake", "NOPE", &g),
			 -ENOENT);
}

static void test_group_shape(void **state)
{
	static const char text[] =
		"SHORT Branch prediction miss rate/ratio\n\n"
		"EVENTSET\nFIXC0 INSTR_RETIRED_ANY\n"
		"PMC3:EDGEDETECT  UOPS_ISSUED_STALL_CYCLES\n\n"
		"METRICS\nRuntime (RDTSC) [s] time\n"
		"CPI  FIXC1/FIXC0\n"
		"Avg stall [cycles] PMC0/PMC3:EDGEDETECT\n"
		"Vol [GBytes] 1.0E-09*(PMC0+     PMC1)*64.0\n\n"
		"LONG\nFormulas:\nCPI = A/B\n";
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct group *g;

	(void)state;
	assert_int_equal(group__parse(f, "BRANCH", &g), 0);
	fclose(f);
	assert_string_equal(g->short_info, "Branch prediction miss rate/ratio");
	assert_int_equal(g->nevents, 2);
	assert_string_equal(g->events[1].counter, "PMC3:EDGEDETECT");
	assert_int_equal(g->nmetrics, 4);
	assert_string_equal(g->metrics[0].name, "Runtime (RDTSC)");
	assert_string_equal(g->metrics[0].unit, "s");
	assert_string_equal(g->metrics[1].name, "CPI");
	assert_string_equal(g->metrics[1].unit, "");
	assert_string_equal(g->metrics[1].formula, "FIXC1/FIXC0");
	assert_string_equal(g->metrics[3].formula,
			    "1.0E-09*(PMC0+     PMC1)*64.0");
	assert_non_null(strstr(g->long_info, "CPI = A/B"));
	group__free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_task_clock_note),
		cmocka_unit_test(test_evlist_lists),
		cmocka_unit_test(test_perf_array_layout),
		cmocka_unit_test(test_scale),
		cmocka_unit_test(test_formulas),
		cmocka_unit_test(test_group_shape),
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_every_shipped_formula),
		cmocka_unit_test(test_same_as_likwid_reader),
		cmocka_unit_test(test_same_as_likwid_calculator),
	};

	return cmocka_run_group_tests(tests, make_sysfs, remove_sysfs);
}
