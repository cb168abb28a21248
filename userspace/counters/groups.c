// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* LIKWID's group files, read here rather than with liblikwid's
 * perfgroup_readGroup, which needs no less code around it and splits a
 * formula at its first space (a few shipped formulas have spaces); the unit
 * test compares the two. The host's arch comes from liblikwid's topology. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <likwid.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "counters/groups.h"
#include "counters/metric.h"

enum section { SEC_NONE, SEC_EVENTSET, SEC_METRICS, SEC_LONG };

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		*--e = '\0';
	return s;
}

static int add_event(struct group *g, char *line)
{
	char *counter = strtok(line, " \t"), *event = strtok(NULL, " \t");
	struct group_event *v;

	if (!counter || !event || strtok(NULL, " \t"))
		return -EINVAL;
	v = realloc(g->events, (g->nevents + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	g->events = v;
	v[g->nevents].counter = strdup(counter);
	v[g->nevents].event = strdup(event);
	g->nevents++;
	return v[g->nevents - 1].counter && v[g->nevents - 1].event ? 0 :
								      -ENOMEM;
}

/* "Name [unit] formula": the formula is the longest run of words at the
 * end that parses, after the unit if there is one. Not the last word only:
 * a few shipped formulas have spaces, a few names have words after the
 * unit ("[MFLOP/s] (scalar assumed)"). */
static int split_metric(char *line, char **name, char **unit, char **formula)
{
	char *open = strchr(line, '['), *close = strrchr(line, ']');
	char *p = line;

	*unit = "";
	if (open && close && close > open) {
		*open = *close = '\0';
		*unit = trim(open + 1);
		p = close + 1;
	}
	for (; *p; p++) {
		if ((p == line || p[-1] == ' ' || p[-1] == '\t' || !p[-1]) &&
		    *p != ' ' && *p != '\t' &&
		    !metric__eval(p, NULL, 0, NULL, NULL))
			break;
	}
	if (!*p)
		return -EINVAL;
	*formula = trim(p);
	if (p > line && p[-1])
		p[-1] = '\0';
	*name = trim(line);
	return 0;
}

static int add_metric(struct group *g, char *line)
{
	struct group_metric *v;
	char *name, *unit, *formula;

	if (split_metric(line, &name, &unit, &formula))
		return -EINVAL;
	v = realloc(g->metrics, (g->nmetrics + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	g->metrics = v;
	v += g->nmetrics++;
	v->name = strdup(name);
	v->unit = strdup(unit);
	v->formula = strdup(formula);
	return v->name && v->unit && v->formula ? 0 : -ENOMEM;
}

static int append(char **s, const char *line)
{
	size_t old = *s ? strlen(*s) : 0;
	char *n = realloc(*s, old + strlen(line) + 2);

	if (!n)
		return -ENOMEM;
	sprintf(n + old, "%s\n", line);
	*s = n;
	return 0;
}

static int keyword(struct group *g, char *line, enum section *sec)
{
	if (!strcmp(line, "EVENTSET"))
		*sec = SEC_EVENTSET;
	else if (!strcmp(line, "METRICS"))
		*sec = SEC_METRICS;
	else if (!strcmp(line, "LONG"))
		*sec = SEC_LONG;
	else if (!strcmp(line, "REQUIRE_NOHT"))
		g->require_noht = true;
	else if (!strncmp(line, "SHORT", 5) && (line[5] == ' ' || !line[5]))
		return (g->short_info = strdup(trim(line + 5))) ? 0 : -ENOMEM;
	else
		return 1;
	return 0;
}

static int parse_line(struct group *g, char *raw, enum section *sec)
{
	char *line = trim(raw);
	int r;

	if (*sec == SEC_LONG)
		return append(&g->long_info, line);
	if (!*line || *line == '#')
		return 0;
	r = keyword(g, line, sec);
	if (r <= 0)
		return r;
	if (*sec == SEC_EVENTSET)
		return add_event(g, line);
	if (*sec == SEC_METRICS)
		return add_metric(g, line);
	return -EINVAL;
}

int group__parse(FILE *f, const char *name, struct group **out)
{
	struct group *g = calloc(1, sizeof(*g));
	enum section sec = SEC_NONE;
	char *line = NULL;
	size_t cap = 0;
	int err = g ? 0 : -ENOMEM;

	if (g && !(g->name = strdup(name)))
		err = -ENOMEM;
	while (!err && getline(&line, &cap, f) >= 0)
		err = parse_line(g, line, &sec);
	free(line);
	if (!err && !g->nevents)
		err = -EINVAL;
	if (!err && !g->short_info)
		err = (g->short_info = strdup("")) ? 0 : -ENOMEM;
	if (err) {
		group__free(g);
		return err;
	}
	*out = g;
	return 0;
}

int group__read(const char *dir, const char *arch, const char *name,
		struct group **out)
{
	char path[4096];
	FILE *f;
	int err;

	if (strchr(name, '/') || strchr(arch, '/'))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/%s/%s.txt", dir, arch, name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	err = group__parse(f, name, out);
	fclose(f);
	return err;
}

void group__free(struct group *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->nevents; i++) {
		free(g->events[i].counter);
		free(g->events[i].event);
	}
	for (size_t i = 0; i < g->nmetrics; i++) {
		free(g->metrics[i].name);
		free(g->metrics[i].unit);
		free(g->metrics[i].formula);
	}
	free(g->events);
	free(g->metrics);
	free(g->name);
	free(g->short_info);
	free(g->long_info);
	free(g);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_name(char ***names, size_t *n, const char *file)
{
	size_t len = strlen(file);
	char **v;

	if (len <= 4 || strcmp(file + len - 4, ".txt"))
		return 0;
	v = realloc(*names, (*n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	*names = v;
	v[*n] = strndup(file, len - 4);
	return v[(*n)++] ? 0 : -ENOMEM;
}

int groups__list(const char *dir, const char *arch, char ***names, size_t *n)
{
	char path[4096];
	struct dirent *d;
	DIR *dp;
	int err = 0;

	*names = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, arch);
	dp = strchr(arch, '/') ? NULL : opendir(path);
	if (!dp)
		return strchr(arch, '/') ? -ENOENT : -errno;
	while (!err && (d = readdir(dp)))
		err = add_name(names, n, d->d_name);
	closedir(dp);
	if (err) {
		groups__free_names(*names, *n);
		return err;
	}
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

void groups__free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* liblikwid writes its diagnostics to fd 2 itself: stdout is flushed
 * first (it may fork) and fd 2 points at /dev/null meanwhile. */
static int quiet_fd2(void)
{
	int saved, null;

	fflush(stdout);
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, 2);
	if (null >= 0)
		close(null);
	return saved;
}

static void restore_fd2(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

static int likwid_arch(char *arch, size_t len, char *why, size_t whylen)
{
	int saved = quiet_fd2(), err = 0;
	CpuInfo_t info;

	if (topology_init()) {
		restore_fd2(saved);
		snprintf(why, whylen,
			 "liblikwid could not read the CPU topology");
		return -EOPNOTSUPP;
	}
	info = get_cpuInfo();
	if (info && info->short_name && *info->short_name) {
		snprintf(arch, len, "%s", info->short_name);
	} else {
		snprintf(
			why, whylen,
			"LIKWID does not know this CPU (%s family %u model %u), so it has no groups for it",
			info && info->osname ? info->osname : "?",
			info ? info->family : 0, info ? info->model : 0);
		err = -EOPNOTSUPP;
	}
	topology_finalize();
	restore_fd2(saved);
	return err;
}

uint64_t groups__cpu_clock_hz(void)
{
	int saved = quiet_fd2();
	uint64_t hz;

	timer_init();
	hz = timer_getCpuClock();
	timer_finalize();
	restore_fd2(saved);
	return hz;
}

int groups__host_arch(char *arch, size_t len, char *why, size_t whylen)
{
	const char *env = getenv("SCOPE_BPF_LIKWID_ARCH");

	why[0] = '\0';
	if (env && *env) {
		snprintf(arch, len, "%s", env);
		return 0;
	}
	return likwid_arch(arch, len, why, whylen);
}

struct translation {
	const char *likwid, *perf;
};

/* The events every core PMU has under a generic perf name; the rest need
 * a vendor's event table (libpfm4), not linked (docs/counters.md). */
static const struct translation translations[] = {
	{ "INSTR_RETIRED_ANY", "instructions" },	/* Intel FIXC0 */
	{ "CPU_CLK_UNHALTED_CORE", "cycles" },		/* Intel FIXC1 */
	{ "CPU_CLK_UNHALTED_REF", "ref-cycles" },	/* Intel FIXC2 */
	{ "RETIRED_INSTRUCTIONS", "instructions" },	/* AMD */
	{ "CPU_CLOCKS_UNHALTED", "cycles" },		/* AMD */
	{ "BR_INST_RETIRED_ALL_BRANCHES", "branches" }, /* Intel */
	{ "BR_MISP_RETIRED_ALL_BRANCHES", "branch-misses" },
	{ "RETIRED_BRANCH_INSTR", "branches" },		  /* AMD */
	{ "RETIRED_MISP_BRANCH_INSTR", "branch-misses" }, /* AMD */
};

const char *groups__perf_event(const char *event)
{
	for (size_t i = 0; i < sizeof(translations) / sizeof(*translations);
	     i++) {
		if (!strcmp(event, translations[i].likwid))
			return translations[i].perf;
	}
	return NULL;
}

int group__perf_events(const struct group *g, const char **perf,
		       const struct group_event **missing)
{
	for (size_t i = 0; i < g->nevents; i++) {
		perf[i] = groups__perf_event(g->events[i].event);
		if (!perf[i]) {
			*missing = &g->events[i];
			return -ENOENT;
		}
	}
	return 0;
}

int group__metric(const struct group *g, size_t m, const double *counts,
		  double time, double inverse_clock, double *out)
{
	struct metric_var vars[64];
	size_t n = 0;

	if (m >= g->nmetrics || g->nevents + 2 > 64)
		return -EINVAL;
	for (size_t i = 0; i < g->nevents; i++)
		vars[n++] =
			(struct metric_var){ g->events[i].counter, counts[i] };
	vars[n++] = (struct metric_var){ "time", time };
	vars[n++] = (struct metric_var){ "inverseClock", inverse_clock };
	return metric__eval(g->metrics[m].formula, vars, n, out, NULL);
}
