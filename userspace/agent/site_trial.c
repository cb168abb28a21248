// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The target's own site trial (site_trial.h says why): windows of the
 * target's CPU time and regions ended, alternating the form. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/calibrate.h"
#include "agent/meta.h"
#include "agent/probes.h"
#include "agent/site_cost.h"
#include "agent/site_trial.h"
#include "common/log.h"

/* One thread's time on the CPU: the first field of its schedstat. */
static int thread_cpu_ns(pid_t pid, const char *tid, uint64_t *out)
{
	char path[320];
	unsigned long long ns;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", (int)pid,
		 tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu", &ns);
	fclose(f);
	if (n != 1)
		return -EIO;
	*out = ns;
	return 0;
}

int site_trial__cpu_ns(pid_t pid, uint64_t *out)
{
	char path[64];
	struct dirent *e;
	uint64_t sum = 0, ns = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		/* a thread that ended meanwhile took its time with it */
		if (e->d_name[0] != '.' && !thread_cpu_ns(pid, e->d_name, &ns))
			sum += ns;
	}
	closedir(d);
	*out = sum;
	return 0;
}

static const char *form_name(bool nop5)
{
	return nop5 ? "nop5" : "trap";
}

static void say(struct site_trial *t, const char *what)
{
	snprintf(t->said, sizeof(t->said), "%s", what);
}

static void end_trial(struct site_trial *t)
{
	probes__count_ended(t->probes, false);
	t->state = SITE_TRIAL_OFF;
}

void site_trial__start(struct site_trial *t, struct probes *p, pid_t pid,
		       bool wanted, uint64_t now)
{
	const char *env = getenv("SCOPE_BPF_SITE_TRIAL");

	memset(t, 0, sizeof(*t));
	t->probes = p;
	t->pid = pid;
	t->first_nop5 = probes__form_nop5(p);
	t->force = env && !strcmp(env, "force");
	if (!wanted)
		return say(t, "not run: the site form was forced");
	if (env && !strcmp(env, "off"))
		return say(t, "not run: SCOPE_BPF_SITE_TRIAL=off");
	if (pid <= 0 || !probes__switchable(p))
		return say(
			t,
			"not run: no marker site has both forms (API version 2 and later)");
	if (!t->force && !site_cost__kernel_optimises())
		return say(
			t,
			"not run: the kernel does not optimise nop5 uprobes");
	/* what stays said if the target never gets there */
	snprintf(t->said, sizeof(t->said),
		 "not run: the target never ran %d regions a second",
		 SITE_TRIAL_MIN_RATE);
	t->begun = now;
	t->state = SITE_TRIAL_WAITING;
	probes__count_ended(p, true);
}

/* Opens a window at @now: the counts it starts from. */
static int open_window(struct site_trial *t, uint64_t now)
{
	int err = site_trial__cpu_ns(t->pid, &t->cpu0);

	if (!err)
		err = probes__regions_ended(t->probes, &t->regions0);
	t->t0 = now;
	return err;
}

/* The target's CPU time a region in window @w; 0 when it ran none. */
static uint64_t cost(const struct site_trial *t, int w)
{
	return t->regions[w] ? t->cpu[w] / t->regions[w] : 0;
}

bool site_trial__other_wins(const struct site_trial *t)
{
	for (int w = 0; w + 1 < SITE_TRIAL_WINDOWS; w += 2) {
		uint64_t a = cost(t, w), b = cost(t, w + 1);

		if (!a || !b || b * 100 >= a * (100 - CALIB_TIE_PCT))
			return false;
	}
	return true;
}

static uint64_t form_cost(const struct site_trial *t, int first)
{
	uint64_t cpu = 0, regions = 0;

	for (int w = first; w < SITE_TRIAL_WINDOWS; w += 2) {
		cpu += t->cpu[w];
		regions += t->regions[w];
	}
	return regions ? cpu / regions : 0;
}

/* The switch, beside the agent's loop: it waits for the kernel (~100 ms to
 * remove a form's uprobes, seconds with a perf-event link per site) while
 * the loop drains the ring buffer. */
static void *switcher(void *arg)
{
	struct site_trial *t = arg;

	t->switch_err = probes__switch_form(t->probes);
	__atomic_store_n(&t->switch_done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* The thread blocks every signal: the agent reads them from a signalfd. */
static int start_switch(struct site_trial *t, enum site_trial_state next)
{
	sigset_t all, old;
	int err;

	t->switch_done = false;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&t->thread, NULL, switcher, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	t->state = next;
	return 0;
}

/* Whether the switch in flight is over (joined then). */
static bool switch_over(struct site_trial *t)
{
	if (!__atomic_load_n(&t->switch_done, __ATOMIC_ACQUIRE))
		return false;
	pthread_join(t->thread, NULL);
	return true;
}

static void stopped(struct site_trial *t, const char *why)
{
	char what[200];

	snprintf(what, sizeof(what),
		 "stopped after %d windows (%s): the form stays %s", t->window,
		 why, form_name(probes__form_nop5(t->probes)));
	say(t, what);
	t->switched = probes__form_nop5(t->probes) != t->first_nop5;
	end_trial(t);
}

/* The windows are in and the form is the one kept. */
static void concluded(struct site_trial *t, int err)
{
	char what[200];

	snprintf(what, sizeof(what),
		 "the target's CPU time a region: trap %" PRIu64
		 " ns, nop5 %" PRIu64
		 " ns (%d windows of %llu ms, alternated): %s%s",
		 t->trap_ns, t->nop5_ns, SITE_TRIAL_WINDOWS,
		 SITE_TRIAL_WINDOW_NS / 1000000,
		 form_name(probes__form_nop5(t->probes)),
		 err ? " (cannot switch back)" : "");
	say(t, what);
	t->switched = probes__form_nop5(t->probes) != t->first_nop5;
	end_trial(t);
}

/* The last window is in: keep the other form, which runs now, if the
 * target ran it cheaper, else switch back. True when the trial is over. */
static bool decide(struct site_trial *t)
{
	int err;

	t->trap_ns = form_cost(t, t->first_nop5 ? 1 : 0);
	t->nop5_ns = form_cost(t, t->first_nop5 ? 0 : 1);
	if (site_trial__other_wins(t)) {
		concluded(t, 0);
		return true;
	}
	err = start_switch(t, SITE_TRIAL_SWITCHING_BACK);
	if (err)
		concluded(t, err);
	return err != 0;
}

/* Window @t->window is over: its counts, then the next form. True when the
 * trial is over. */
static bool close_window(struct site_trial *t)
{
	uint64_t cpu, regions;
	int err;

	err = site_trial__cpu_ns(t->pid, &cpu);
	if (!err)
		err = probes__regions_ended(t->probes, &regions);
	if (err) {
		stopped(t, strerror(-err));
		return true;
	}
	t->cpu[t->window] = cpu - t->cpu0;
	t->regions[t->window] = regions - t->regions0;
	if (++t->window == SITE_TRIAL_WINDOWS)
		return decide(t);
	err = start_switch(t, SITE_TRIAL_SWITCHING);
	if (err)
		stopped(t, strerror(-err));
	return err != 0;
}

/* Waiting: whether the last window's rate is enough to start. */
static bool fast_enough(struct site_trial *t, uint64_t now)
{
	uint64_t regions;

	if (probes__regions_ended(t->probes, &regions))
		return false;
	if (t->force)
		return regions > t->regions0;
	return (regions - t->regions0) * 1000000000ull >=
	       (uint64_t)SITE_TRIAL_MIN_RATE * (now - t->t0);
}

/* Waiting: a window of the start-up form, the trial's first once the
 * target runs regions fast enough. True when the look is over. */
static bool wait_step(struct site_trial *t, uint64_t now)
{
	if (!t->t0) {
		open_window(t, now);
		return false;
	}
	if (now - t->t0 < SITE_TRIAL_WINDOW_NS)
		return false;
	if (fast_enough(t, now)) {
		t->state = SITE_TRIAL_MEASURING;
		t->ran = true;
		t->window = 0;
		return close_window(t);
	}
	if (now - t->begun <= SITE_TRIAL_LOOK_NS) {
		open_window(t, now);
		return false;
	}
	end_trial(t);
	return true;
}

bool site_trial__tick(struct site_trial *t, uint64_t now)
{
	switch (t->state) {
	case SITE_TRIAL_WAITING:
		return wait_step(t, now);
	case SITE_TRIAL_MEASURING:
		return now - t->t0 >= SITE_TRIAL_WINDOW_NS && close_window(t);
	case SITE_TRIAL_SWITCHING:
		if (!switch_over(t))
			return false;
		if (t->switch_err) {
			stopped(t, strerror(-t->switch_err));
			return true;
		}
		/* the switch took its time: the window starts after it */
		t->state = SITE_TRIAL_MEASURING;
		open_window(t, meta__now_ns());
		return false;
	case SITE_TRIAL_SWITCHING_BACK:
		if (!switch_over(t))
			return false;
		concluded(t, t->switch_err);
		return true;
	default:
		return false;
	}
}

bool site_trial__switching(const struct site_trial *t)
{
	return t->state == SITE_TRIAL_SWITCHING ||
	       t->state == SITE_TRIAL_SWITCHING_BACK;
}

void site_trial__stop(struct site_trial *t)
{
	if (t->state == SITE_TRIAL_OFF)
		return;
	/* a switch in flight ends first: the form is then known */
	if (site_trial__switching(t)) {
		pthread_join(t->thread, NULL);
		if (t->state == SITE_TRIAL_SWITCHING_BACK) {
			concluded(t, t->switch_err);
			return;
		}
	}
	if (t->ran)
		stopped(t, "the profile ended");
	else
		end_trial(t);
}
