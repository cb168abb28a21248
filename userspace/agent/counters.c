// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --counters and --group to an open evlist, before the target runs: what
 * cannot be counted here is said before the run, not found missing in the
 * profile after it. */
#include <errno.h>
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

static int read_group(const char *name, struct group **out)
{
	char arch[64], why[256];
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
	return err ? -EINVAL : 0;
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

static int fill(const struct session_opts *opts, struct session_counters *c)
{
	int err = 0;

	if (opts->group)
		err = read_group(opts->group, &c->group);
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
	*c = (struct session_counters){ 0 };
}
