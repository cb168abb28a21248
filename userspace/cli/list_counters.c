// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf list --counters` and `list --groups`: what --counters and
 * --group can ask for on this host, each tried here. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cli/list_counters.h"
#include "common/csv.h"
#include "common/log.h"
#include "counters/evsel.h"
#include "counters/groups.h"

static const char *kind_name(const struct evsel *e)
{
	switch (evsel__attr(e)->type) {
	case PERF_TYPE_SOFTWARE:
		return "software";
	case PERF_TYPE_HW_CACHE:
		return "hw-cache";
	}
	return evsel__is_hardware(e) ? "hardware" : "other";
}

/* "" when @e counts here, else why not. */
static const char *try_open(struct evsel *e, int ncpus)
{
	int err = evsel__open(e, ncpus);

	evsel__close(e);
	return err ? evsel__strerror(e, err) : "";
}

static void print_event(FILE *out, struct evsel *e, int ncpus,
			enum output_format fmt)
{
	const char *why = try_open(e, ncpus);
	const char *note = *why ? why : evsel__note(e);

	if (fmt == FORMAT_CSV) {
		fprintf(out, "%s,%s,%u,%#" PRIx64 ",%s,", evsel__name(e),
			kind_name(e), evsel__attr(e)->type,
			(uint64_t)evsel__attr(e)->config, *why ? "no" : "yes");
		csv__field(out, note);
		fputc('\n', out);
		return;
	}
	fprintf(out, "%-24s %-9s %s%*s%s\n", evsel__name(e), kind_name(e),
		*why ? "no" : "yes", *note ? (*why ? 3 : 2) : 0, "", note);
}

int list__counters(FILE *out, enum output_format fmt)
{
	int ncpus = libbpf_num_possible_cpus();
	struct evsel *e;

	if (ncpus <= 0)
		return ncpus ? ncpus : -ENODEV;
	if (fmt == FORMAT_CSV)
		fputs("event,kind,type,config,available,note\n", out);
	else
		fprintf(out, "%-24s %-9s %-4s %s\n", "EVENT", "KIND", "HERE",
			"NOTE");
	for (const char *const *n = evsel__generic_names; *n; n++) {
		e = evsel__new(*n, NULL);
		if (!e)
			return -errno;
		print_event(out, e, ncpus, fmt);
		evsel__free(e);
	}
	if (fmt == FORMAT_TABLE)
		fprintf(out,
			"+ rNNNN (a raw event, hex) and PMU/term=value,.../ (the PMUs in %s)\n",
			EVSEL_SYSFS_PMUS);
	return 0;
}

/* "" when every event of @name translates and counts here, else why not,
 * in @why. */
static void group_status(const char *arch, const char *name, int ncpus,
			 char *why, size_t len)
{
	const struct group_event *missing;
	const char *perf[64];
	struct group *g;
	struct evsel *e;

	why[0] = '\0';
	if (group__read(GROUPS_DIR, arch, name, &g)) {
		snprintf(why, len, "its file does not parse");
		return;
	}
	if (g->nevents > 64 || group__perf_events(g, perf, &missing)) {
		snprintf(why, len, "%s has no perf event known",
			 g->nevents > 64 ? "an event" : missing->event);
		goto out;
	}
	for (size_t i = 0; i < g->nevents && !why[0]; i++) {
		e = evsel__new(perf[i], NULL);
		if (e && *try_open(e, ncpus))
			snprintf(why, len, "%s: %s", perf[i],
				 try_open(e, ncpus));
		evsel__free(e);
	}
out:
	group__free(g);
}

static void print_group(FILE *out, const char *arch, const char *name,
			int ncpus, enum output_format fmt)
{
	char why[256];

	group_status(arch, name, ncpus, why, sizeof(why));
	if (fmt == FORMAT_CSV) {
		fprintf(out, "%s,%s,%s,", arch, name, why[0] ? "no" : "yes");
		csv__field(out, why);
		fputc('\n', out);
		return;
	}
	fprintf(out, "%-16s %s%s%s\n", name, why[0] ? "no" : "yes",
		why[0] ? "   " : "", why);
}

int list__groups(FILE *out, enum output_format fmt)
{
	int ncpus = libbpf_num_possible_cpus();
	char arch[64], why[256];
	char **names;
	size_t n;
	int err;

	if (groups__host_arch(arch, sizeof(arch), why, sizeof(why))) {
		pr_warn("no LIKWID groups on this host: %s\n", why);
		return 0;
	}
	err = groups__list(GROUPS_DIR, arch, &names, &n);
	if (err) {
		pr_warn("no LIKWID groups on this host: %s/%s: %s\n",
			GROUPS_DIR, arch, strerror(-err));
		return 0;
	}
	if (fmt == FORMAT_CSV)
		fputs("arch,group,available,note\n", out);
	else
		fprintf(out, "%s (%s/%s):\n%-16s %-4s %s\n", arch, GROUPS_DIR,
			arch, "GROUP", "HERE", "NOTE");
	for (size_t i = 0; i < n; i++)
		print_group(out, arch, names[i], ncpus, fmt);
	groups__free_names(names, n);
	return 0;
}
