/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The target's own site trial. The start-up pass (agent/calibrate.c) ranks
 * the two site forms on the agent's code, but a trap's cost also follows
 * where the target's loop sits in its cache lines (docs/markers.md), which
 * no pass in the agent can know. So, under --site-mode=auto, once the
 * target runs regions fast enough for the choice to matter, the agent
 * moves its markers between the two forms a few times
 * (probes__switch_form), measures the target's CPU time per region ended
 * in each, and keeps the cheaper (the start-up choice on a tie). */
#ifndef SCOPE_SITE_TRIAL_H
#define SCOPE_SITE_TRIAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct probes;

/* A window of the trial, and the trial's windows: the first form, the
 * other, the first, the other. */
#define SITE_TRIAL_WINDOW_NS 50000000ull
#define SITE_TRIAL_WINDOWS   4
/* Regions a second below which the trial does not start (a cost
 * difference of 20% of a ~1 us probe pair is under 2% of a CPU there);
 * the agent looks for this rate for SITE_TRIAL_LOOK_NS after attach. */
#define SITE_TRIAL_MIN_RATE 100000
#define SITE_TRIAL_LOOK_NS  10000000000ull

enum site_trial_state {
	SITE_TRIAL_OFF,	    /* not wanted, or over */
	SITE_TRIAL_WAITING, /* for the target's regions to be fast enough */
	SITE_TRIAL_MEASURING,
	SITE_TRIAL_SWITCHING,	   /* to the next window's form */
	SITE_TRIAL_SWITCHING_BACK, /* the first form won */
};

struct site_trial {
	enum site_trial_state state;
	struct probes *probes;
	pid_t pid;
	bool force;	 /* SCOPE_BPF_SITE_TRIAL=force: whatever the rate */
	bool first_nop5; /* the form the start-up pass took */
	int window;	 /* of the running trial */
	uint64_t begun;	 /* attach (the look's start) */
	uint64_t t0, regions0, cpu0; /* the window's start */
	uint64_t cpu[SITE_TRIAL_WINDOWS], regions[SITE_TRIAL_WINDOWS];
	/* the switch in flight, in a thread of its own */
	pthread_t thread;
	bool switch_done;
	int switch_err;
	/* the outcome: ns of target CPU a region at each form (0: not
	 * measured), and what happened, for /meta/site_trial */
	uint64_t trap_ns, nop5_ns;
	bool ran;      /* it measured (the trial ran, or began to) */
	bool switched; /* ended in the other form than the start-up's */
	char said[200];
};

/* Starts looking (or says why not, in @t->said) for the target @pid whose
 * sites @p holds in their start-up form. @wanted: auto chose the form. */
void site_trial__start(struct site_trial *t, struct probes *p, pid_t pid,
		       bool wanted, uint64_t now);
/* A step, at each of the agent's ticks; true when the trial ended in this
 * step (@t->switched: in the other form than the start-up's). */
bool site_trial__tick(struct site_trial *t, uint64_t now);
/* A switch is in flight: the probes' links change under another thread,
 * so the agent attaches nothing else meanwhile (late libraries wait). */
bool site_trial__switching(const struct site_trial *t);
/* The target is gone (or the profile ends): no more switches; a switch in
 * flight is waited for. */
void site_trial__stop(struct site_trial *t);

/* Whether the other form (the odd windows) beat the first in both pairs of
 * windows by more than auto's tie margin (CALIB_TIE_PCT): what the trial
 * decides by, from @t's cpu and regions. */
bool site_trial__other_wins(const struct site_trial *t);
/* Process @pid's threads' CPU time so far (schedstat), in ns. 0 or
 * -errno. */
int site_trial__cpu_ns(pid_t pid, uint64_t *out);

#endif /* SCOPE_SITE_TRIAL_H */
