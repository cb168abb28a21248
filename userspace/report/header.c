// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The table's header: what ran, for how long, what the probes cost, and
 * what the numbers below may lack. */
#include <inttypes.h>
#include <string.h>

#include "report/rows.h"

/* Counters of records the profile lacks: the numbers above are short by
 * that much, and the user must know it. */
static void header__warn(FILE *out, const struct profile_meta *m)
{
	bool any = false;

	for (int i = 0; i < LOSS__COUNT; i++) {
		if (!m->losses[i])
			continue;
		fprintf(out, "%s%" PRIu64 " %s",
			any ? ", " : "warning: ", m->losses[i],
			loss__table[i].short_);
		any = true;
	}
	if (any)
		fprintf(out, "\n");
}

/* What the agent saw but did not follow (children, execs, libraries loaded
 * later): not losses of the profiled process, but regions the user may
 * expect to see. */
static void header__unfollowed(FILE *out, const struct profile_meta *m)
{
	const struct {
		uint64_t n;
		const char *fmt; /* %s: the plural ending of the noun */
		const char *one, *many;
	} notes[] = {
		{ m->unfollowed_processes,
		  "child process%s hit regions that were not recorded", "",
		  "es" },
		{ m->unfollowed_execs,
		  "exec%s of unprobed files: regions after them were not recorded",
		  "", "s" },
		{ m->late_libraries,
		  "librar%s with markers loaded after attach, not profiled",
		  "y", "ies" },
	};

	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		if (!notes[i].n)
			continue;
		fprintf(out, "note: %" PRIu64 " ", notes[i].n);
		fprintf(out, notes[i].fmt,
			notes[i].n == 1 ? notes[i].one : notes[i].many);
		fputc('\n', out);
	}
}

/* What the probes cost, and what they added to this profile: every
 * region instance paid one BEGIN and one END. */
static void header__probes(FILE *out, const struct profile *p, bool raw)
{
	const struct profile_meta *m = &p->meta;
	uint64_t calls = 0, added, wall = report__wall_ns(p);
	char in[16], pair[16], sum[16];

	if (!m->calib_pair_ns) {
		fprintf(out,
			"note: no probe-cost calibration in this profile "
			"(--no-calibrate, or an older agent): times include "
			"the probes' cost\n");
		return;
	}
	for (size_t i = 0; i < p->nstats; i++)
		calls += p->stats[i].calls;
	added = calls * m->calib_pair_ns;
	report__fmt_ns(in, sizeof(in), m->calib_inregion_ns);
	report__fmt_ns(pair, sizeof(pair), m->calib_pair_ns);
	report__fmt_ns(sum, sizeof(sum), added);
	fprintf(out,
		"probes    %s inside each region, %s per region to its "
		"caller (calibrated)\n",
		in, pair);
	fprintf(out, "          added %s to %" PRIu64 " regions", sum, calls);
	if (wall)
		fprintf(out, " (%.1f%% of the wall time, summed over threads)",
			100.0 * (double)added / (double)wall);
	fprintf(out, "\ntimes     %s\n",
		raw ? "as measured, probes' cost included (--raw)" :
		      "compensated: the probes' cost taken out (--raw: as "
		      "measured)");
}

const char *or_unknown(const char *s)
{
	return s && *s ? s : "?";
}

/* Which probe site the agent used, and what it timed when it chose. */
static void header__sites(FILE *out, const struct profile_meta *m)
{
	char trap[16], nop5[16];

	if (!m->site_mode || !*m->site_mode)
		return;
	fprintf(out, "sites     %s", m->site_mode);
	if (m->site_cost_trap_ns && m->site_cost_nop5_ns) {
		report__fmt_ns(trap, sizeof(trap), m->site_cost_trap_ns);
		report__fmt_ns(nop5, sizeof(nop5), m->site_cost_nop5_ns);
		fprintf(out,
			" (auto timed %s a region at the 1-byte nop, %s at "
			"the nop5)",
			trap, nop5);
	}
	fprintf(out, "%s\n",
		m->site_trampoline ? ", run through the uprobe trampoline" :
				     "");
	/* the target's own trial, when it measured both */
	if (m->site_trial_trap_ns && m->site_trial_nop5_ns) {
		report__fmt_ns(trap, sizeof(trap), m->site_trial_trap_ns);
		report__fmt_ns(nop5, sizeof(nop5), m->site_trial_nop5_ns);
		fprintf(out,
			"          the target's own trial: %s of its CPU a region at the 1-byte nop, %s at the nop5\n",
			trap, nop5);
	}
}

/* A counter's full definition, for --meta: what perf_event_open got. */
static void header__counter_def(FILE *out, const struct profile_counter *c)
{
	char enabled[16], running[16];

	report__fmt_ns(enabled, sizeof(enabled), c->enabled_ns);
	report__fmt_ns(running, sizeof(running), c->running_ns);
	fprintf(out,
		"          %s: type %" PRIu32 ", config %#" PRIx64
		", config1 %#" PRIx64 ", config2 %#" PRIx64
		"; enabled %s, running %s (summed over CPUs)",
		or_unknown(c->name), c->type, c->config, c->config1, c->config2,
		enabled, running);
	if (c->counter && *c->counter)
		fprintf(out, "; LIKWID counter %s", c->counter);
	fputc('\n', out);
}

/* Why a counter's numbers may not be what its name says. */
static void header__counter_notes(FILE *out, const struct profile_counter *c)
{
	if (c->note && *c->note)
		fprintf(out, "note: %s: %s\n", or_unknown(c->name), c->note);
	if (c->running_ns < c->enabled_ns)
		fprintf(out,
			"warning: %s counted %.1f%% of the time it was "
			"enabled (multiplexed): its per-region counts are low\n",
			or_unknown(c->name),
			100.0 * (double)c->running_ns / (double)c->enabled_ns);
}

/* What the counter columns count, and how; with @full, each event's
 * definition. */
static void header__counters(FILE *out, const struct profile *p, bool full)
{
	const struct profile_meta *m = &p->meta;

	if (!report__ncounters(p))
		return;
	fprintf(out, "counters  ");
	for (size_t i = 0; i < report__ncounters(p); i++)
		fprintf(out, "%s%s [%s]", i ? ", " : "",
			or_unknown(p->counters[i].name),
			or_unknown(p->counters[i].units));
	fprintf(out, ": inclusive, summed over calls, as counted\n");
	if (m->counter_method && *m->counter_method)
		fprintf(out, "          %s\n", m->counter_method);
	for (size_t i = 0; full && i < report__ncounters(p); i++)
		header__counter_def(out, &p->counters[i]);
	if (m->likwid_group_text && *m->likwid_group_text)
		fprintf(out,
			"group     %s (LIKWID): its events and metrics per "
			"region with --metrics\n",
			or_unknown(m->likwid_group));
	for (size_t i = 0; i < report__ncounters(p); i++)
		header__counter_notes(out, &p->counters[i]);
}

void report__header(FILE *out, const struct profile *p, bool raw, bool meta)
{
	const struct profile_meta *m = &p->meta;
	char duration[16];

	report__fmt_ns(duration, sizeof(duration), report__wall_ns(p));
	fprintf(out, "command   %s\n", or_unknown(m->command));
	fprintf(out, "pid       %" PRId64 " (%s", m->pid, or_unknown(m->mode));
	if (m->unfinished)
		fprintf(out, ", still running or its agent killed)\n");
	else if (m->exit_status >= 0)
		fprintf(out, ", exit status %" PRId64 ")\n", m->exit_status);
	else if (m->target_exited)
		fprintf(out, ", exited during the profile)\n");
	else
		fprintf(out, ", left running)\n");
	fprintf(out, "duration  %s\n", duration);
	fprintf(out, "host      %s (kernel %s)\n", or_unknown(m->host),
		or_unknown(m->kernel));
	fprintf(out, "start     %s\n", or_unknown(m->start_time));
	if (m->unfinished)
		fprintf(out,
			"trace     unfinished: statistics rebuilt from its "
			"%" PRIu64 " intervals flushed so far, not the "
			"agent's; regions still open are not in them\n",
			m->trace_intervals);
	header__sites(out, m);
	header__probes(out, p, raw);
	header__counters(out, p, meta);
	header__warn(out, m);
	header__unfollowed(out, m);
	fprintf(out, "\n");
}
