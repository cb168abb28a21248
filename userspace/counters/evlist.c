// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The session's events: added by name, opened per CPU before the run with
 * what this host cannot count said and dropped, and laid out for the BPF
 * side's perf-event array. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "counters/evsel.h"

struct evlist {
	const char *sysfs;
	int ncpus;
	struct evsel *ev[SCOPE_MAX_COUNTERS];
	size_t n;
	size_t dropped;
};

struct evlist *evlist__new(const struct evlist_opts *opts)
{
	struct evlist *l = calloc(1, sizeof(*l));
	int n;

	if (!l)
		return NULL;
	l->sysfs = opts && opts->sysfs ? opts->sysfs : EVSEL_SYSFS_PMUS;
	n = opts && opts->ncpus > 0 ? opts->ncpus : libbpf_num_possible_cpus();
	if (n <= 0) {
		free(l);
		errno = n < 0 ? -n : EINVAL;
		return NULL;
	}
	l->ncpus = n;
	return l;
}

void evlist__free(struct evlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		evsel__free(l->ev[i]);
	free(l);
}

static const char *parse_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "no such PMU, or a term its format/ does not list";
	case -ERANGE:
		return "a value too wide for its field";
	}
	return "not a perf event name (see scope-bpf list --counters)";
}

int evlist__add(struct evlist *l, const char *name)
{
	struct evsel *e;

	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(evsel__name(l->ev[i]), name)) {
			pr_err("counter %s: asked for twice\n", name);
			return -EEXIST;
		}
	}
	if (l->n == SCOPE_MAX_COUNTERS) {
		pr_err("counter %s: at most %d counters per run\n", name,
		       SCOPE_MAX_COUNTERS);
		return -E2BIG;
	}
	e = evsel__new(name, l->sysfs);
	if (!e) {
		pr_err("counter '%s': %s\n", name, parse_error(-errno));
		return -errno;
	}
	l->ev[l->n++] = e;
	return 0;
}

/* The end of the event at @s: a comma outside PMU/.../. */
static size_t event_len(const char *s)
{
	size_t i;
	int slashes = 0;

	for (i = 0; s[i]; i++) {
		if (s[i] == '/')
			slashes++;
		else if (s[i] == ',' && slashes % 2 == 0)
			break;
	}
	return i;
}

int evlist__add_list(struct evlist *l, const char *list)
{
	char name[EVSEL_NAME_MAX];
	size_t len;
	int err;

	for (const char *p = list; *p; p += len + (p[len] == ',')) {
		len = event_len(p);
		if (!len || len >= sizeof(name)) {
			pr_err("counters '%s': %s\n", list,
			       len ? "an event name too long" :
				     "an empty event name");
			return -EINVAL;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		err = evlist__add(l, name);
		if (err)
			return err;
	}
	return 0;
}

/* Drops event @i, keeping the order of the others. */
static void drop(struct evlist *l, size_t i)
{
	evsel__free(l->ev[i]);
	memmove(&l->ev[i], &l->ev[i + 1], (l->n - i - 1) * sizeof(l->ev[0]));
	l->n--;
	l->dropped++;
}

static int open_each(struct evlist *l)
{
	size_t i = 0;
	int err;

	while (i < l->n) {
		err = evsel__open(l->ev[i], l->ncpus);
		if (!err) {
			i++;
			continue;
		}
		if (err == -EMFILE || err == -ENFILE || err == -ENOMEM) {
			pr_err("counter %s: %s\n", evsel__name(l->ev[i]),
			       strerror(-err));
			return err;
		}
		pr_warn("counter %s unavailable here: %s\n",
			evsel__name(l->ev[i]), evsel__strerror(l->ev[i], err));
		drop(l, i);
	}
	return 0;
}

static int open_group_member(const struct evsel *e, int cpu, int group_fd)
{
	struct perf_event_attr a = *evsel__attr(e);

	return syscall(SYS_perf_event_open, &a, -1, cpu, group_fd,
		       PERF_FLAG_FD_CLOEXEC);
}

static void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		fds[i] = -1;
	}
}

/* Whether the first @k of @hw fit the PMU at once on @cpu: opened as one
 * group (the kernel refuses a group it can never schedule) and on the PMU
 * a moment later (enabled but never running: the counters are taken).
 * 1, 0, or -ENODEV for an offline CPU. */
static int group_fits(struct evsel *const *hw, size_t k, int cpu)
{
	struct timespec pause = { 0, 2000000 };
	int fds[SCOPE_MAX_COUNTERS];
	struct evsel_counts c;
	size_t i;
	int fits;

	for (i = 0; i < k; i++) {
		fds[i] = open_group_member(hw[i], cpu, i ? fds[0] : -1);
		if (fds[i] < 0)
			break;
	}
	if (i == 0 && errno == ENODEV && cpu > 0)
		return -ENODEV;
	fits = i == k;
	if (fits) {
		nanosleep(&pause, NULL);
		fits = read(fds[0], &c, sizeof(c)) == sizeof(c) &&
		       !(c.ena && !c.run);
	}
	close_fds(fds, i);
	return fits;
}

/* How many of the @n hardware events fit at once on every CPU. */
static size_t hw_fit(struct evsel *const *hw, size_t n, int ncpus)
{
	size_t k;
	int cpu, r;

	for (k = n; k > 0; k--) {
		for (cpu = 0, r = 1; cpu < ncpus && r; cpu++)
			r = group_fits(hw, k, cpu) != 0;
		if (r)
			return k;
	}
	return 0;
}

static int check_hw_fit(struct evlist *l)
{
	struct evsel *hw[SCOPE_MAX_COUNTERS];
	size_t n = 0, fit;

	for (size_t i = 0; i < l->n; i++) {
		if (evsel__is_hardware(l->ev[i]))
			hw[n++] = l->ev[i];
	}
	if (!n)
		return 0;
	fit = hw_fit(hw, n, l->ncpus);
	if (fit == n)
		return 0;
	if (!fit)
		pr_err("counters: no hardware counter is free for %s (the NMI watchdog or another perf user holds them)\n",
		       evsel__name(hw[0]));
	else
		pr_err("counters: the PMU counts %zu of the %zu hardware events asked at once; ask for at most %zu (events are not multiplexed)\n",
		       fit, n, fit);
	return -E2BIG;
}

int evlist__open(struct evlist *l)
{
	size_t asked = l->n;
	int err = open_each(l);

	if (err)
		return err;
	if (!l->n) {
		pr_err("counters: none of the %zu asked can be counted on this host\n",
		       asked);
		return -ENOENT;
	}
	err = check_hw_fit(l);
	if (err)
		evlist__close(l);
	return err;
}

size_t evlist__nr(const struct evlist *l)
{
	return l->n;
}

size_t evlist__nr_dropped(const struct evlist *l)
{
	return l->dropped;
}

struct evsel *evlist__evsel(const struct evlist *l, size_t i)
{
	return i < l->n ? l->ev[i] : NULL;
}

int evlist__ncpus(const struct evlist *l)
{
	return l->ncpus;
}

int evlist__perf_array_fds(const struct evlist *l, int *fds, size_t n)
{
	if (n < l->n * (size_t)l->ncpus)
		return -ENOSPC;
	for (size_t e = 0; e < l->n; e++) {
		for (int cpu = 0; cpu < l->ncpus; cpu++)
			fds[e * l->ncpus + cpu] = evsel__fd(l->ev[e], cpu);
	}
	return 0;
}

void evlist__close(struct evlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		evsel__close(l->ev[i]);
}
