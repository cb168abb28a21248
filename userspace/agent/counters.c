// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --counters and --group to an open evlist, before the target runs: what
 * cannot be counted here is said before the run, not found missing in the
 * profile after it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/counters.h"
#include "common/log.h"
#include "counters/evsel.h"
#include "counters/groups.h"

static bool evlist__has(const struct evlist *l, const char *name)
{
	for (size_t i = 0; i < evlist__nr(l); i++) {
		if (!strcmp(evsel__name(evlist__evsel(l, i)), name))
			return true;
	}
	return false;
}

/* The whole file, for the profile: report evaluates its metrics from
 * the text the run used, whatever the installed LIKWID has later. */
static char *read_text(const char *path)
{
	char *buf = NULL, chunk[4096];
	FILE *f, *mem;
	size_t len = 0, n;

	f = fopen(path, "re");
	if (!f)
		return NULL;
	mem = open_memstream(&buf, &len);
	while (mem && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, mem);
	if (mem)
		fclose(mem);
	fclose(f);
	return buf;
}

static int read_group(const char *name, struct group **out, char **text)
{
	char arch[64], why[256], path[512];
	int err = groups__host_arch(arch, sizeof(arch), why, sizeof(why));

	if (err) {
		pr_err("group %s unavailable: %s\n", name, why);
		return -EINVAL;
	}
	err = group__read(GROUPS_DIR, arch, name, out);
	if (err == -ENOENT)
		pr_err("group %s unavailable: LIKWID has no such group for %s (scope-bpf list --groups)\n",
		       name, arch);
	else if (err)
		pr_err("group %s: %s/%s/%s.txt: %s\n", name, GROUPS_DIR, arch,
		       name, strerror(-err));
	if (err)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s/%s.txt", GROUPS_DIR, arch, name);
	*text = read_text(path);
	return *text ? 0 : -ENOMEM;
}

/* The group's events as perf events, or why it has none here. */
static int add_group(struct evlist *l, const struct group *g)
{
	const char *perf[64];
	const struct group_event *missing;
	int err;

	if (g->nevents > 64 ||
	    group__perf_events(g, perf, &missing) == -ENOENT) {
		pr_err("group %s unavailable: its event %s (%s) has no perf equivalent known to scope-bpf (only the fixed counters and a few generic events are translated; docs/counters.md)\n",
		       g->name, missing->event, missing->counter);
		return -EINVAL;
	}
	for (size_t i = 0; i < g->nevents; i++) {
		if (evlist__has(l, perf[i]))
			continue;
		err = evlist__add(l, perf[i]);
		if (err)
			return -EINVAL;
	}
	return 0;
}

static void say_opened(const struct evlist *l)
{
	for (size_t i = 0; i < evlist__nr(l); i++) {
		const struct evsel *e = evlist__evsel(l, i);

		if (*evsel__note(e))
			pr_info("counter %s: %s\n", evsel__name(e),
				evsel__note(e));
	}
	pr_info("counting %zu event%s on %d CPUs\n", evlist__nr(l),
		evlist__nr(l) == 1 ? "" : "s", evlist__ncpus(l));
}

/* Its metrics need every event of the group: one missing is an error. */
static int check_group(const struct evlist *l, const struct group *g)
{
	const struct group_event *missing;
	const char *perf[64];

	if (group__perf_events(g, perf, &missing))
		return -EINVAL;
	for (size_t i = 0; i < g->nevents; i++) {
		if (!evlist__has(l, perf[i])) {
			pr_err("group %s unavailable: its event %s (%s, %s) cannot be counted here, and its metrics need it\n",
			       g->name, g->events[i].event,
			       g->events[i].counter, perf[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int take_fds(struct session_counters *c)
{
	size_t n = evlist__nr(c->evlist) * evlist__ncpus(c->evlist);

	c->fds = calloc(n ?: 1, sizeof(*c->fds));
	if (!c->fds)
		return -ENOMEM;
	return evlist__perf_array_fds(c->evlist, c->fds, n);
}

static int fill(const struct session_opts *opts, struct session_counters *c)
{
	int err = 0;

	if (opts->group)
		err = read_group(opts->group, &c->group, &c->group_text);
	if (!err && c->group)
		err = add_group(c->evlist, c->group);
	if (!err && opts->counters)
		err = evlist__add_list(c->evlist, opts->counters) ? -EINVAL : 0;
	if (err)
		return err;
	err = evlist__open(c->evlist);
	if (err == -ENOENT || err == -E2BIG)
		return -EINVAL;
	if (!err && c->group)
		err = check_group(c->evlist, c->group);
	if (!err)
		say_opened(c->evlist);
	if (!err)
		err = take_fds(c);
	return err;
}

int session_counters__open(const struct session_opts *opts,
			   struct session_counters *out)
{
	int err;

	*out = (struct session_counters){ 0 };
	if (!opts->counters && !opts->group)
		return 0;
	out->evlist = evlist__new(NULL);
	if (!out->evlist) {
		err = -errno;
		pr_err("counters: %s\n", strerror(errno));
		return err;
	}
	err = fill(opts, out);
	if (err)
		session_counters__close(out);
	return err;
}

void session_counters__close(struct session_counters *c)
{
	evlist__free(c->evlist);
	group__free(c->group);
	free(c->group_text);
	free(c->fds);
	*c = (struct session_counters){ 0 };
}

void session_counters__probes(const struct session_counters *c,
			      uint32_t *nevents, uint32_t *ncpus,
			      const int **fds)
{
	*nevents = c->evlist ? evlist__nr(c->evlist) : 0;
	*ncpus = c->evlist ? evlist__ncpus(c->evlist) : 0;
	*fds = c->fds;
}

/* The LIKWID counter that the group reads @perf with, or "". */
static const char *group_counter(const struct group *g, const char *perf)
{
	const struct group_event *missing;
	const char *names[64];

	if (!g || g->nevents > 64 || group__perf_events(g, names, &missing))
		return "";
	for (size_t i = 0; i < g->nevents; i++) {
		if (!strcmp(names[i], perf))
			return g->events[i].counter;
	}
	return "";
}

/* The clocks count nanoseconds; everything else counts events. */
static const char *units_of(const struct perf_event_attr *a)
{
	bool clock = a->type == PERF_TYPE_SOFTWARE &&
		     (a->config == PERF_COUNT_SW_CPU_CLOCK ||
		      a->config == PERF_COUNT_SW_TASK_CLOCK);

	return clock ? "ns" : "count";
}

/* Enabled and running time over every CPU: the whole run's view. */
static void run_times(const struct evsel *e, int ncpus,
		      struct profile_counter *r)
{
	struct evsel_counts c;

	for (int cpu = 0; cpu < ncpus; cpu++) {
		if (evsel__fd(e, cpu) < 0 || evsel__read(e, cpu, &c))
			continue;
		r->enabled_ns += c.ena;
		r->running_ns += c.run;
	}
}

static int fill_row(const struct session_counters *c, size_t i,
		    struct profile_counter *r)
{
	const struct evsel *e = evlist__evsel(c->evlist, i);
	const struct perf_event_attr *a = evsel__attr(e);

	*r = (struct profile_counter){
		.index = i,
		.type = a->type,
		.config = a->config,
		.config1 = a->config1,
		.config2 = a->config2,
		.name = strdup(evsel__name(e)),
		.counter = strdup(group_counter(c->group, evsel__name(e))),
		.units = strdup(units_of(a)),
		.note = strdup(evsel__note(e)),
	};
	run_times(e, evlist__ncpus(c->evlist), r);
	return r->name && r->counter && r->units && r->note ? 0 : -ENOMEM;
}

int session_counters__to_profile(const struct session_counters *c,
				 struct profile_counter **rows, size_t *n)
{
	size_t nr = c->evlist ? evlist__nr(c->evlist) : 0;
	int err = 0;

	*rows = NULL;
	*n = 0;
	if (!nr)
		return 0;
	*rows = calloc(nr, sizeof(**rows));
	if (!*rows)
		return -ENOMEM;
	for (size_t i = 0; i < nr && !err; i++, (*n)++)
		err = fill_row(c, i, &(*rows)[i]);
	return err;
}

int session_counters__to_meta(const struct session_counters *c,
			      struct profile_meta *m)
{
	if (!c->evlist)
		return 0;
	m->counter_method = strdup(
		"per-CPU perf events read by BPF at each region's begin and end; a thread's share kept at every sched_switch (docs/counters.md)");
	if (!m->counter_method)
		return -ENOMEM;
	if (!c->group)
		return 0;
	m->likwid_group = strdup(c->group->name);
	m->likwid_group_text = strdup(c->group_text);
	m->cpu_clock_hz = groups__cpu_clock_hz();
	return m->likwid_group && m->likwid_group_text ? 0 : -ENOMEM;
}
