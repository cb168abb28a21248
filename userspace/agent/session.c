// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The agent's phases: discover sites, load and attach probes, consume records
 * until the target exits (or --duration, or a signal), then write the file. */
#include <errno.h>
#include <fnmatch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "agent/calibrate.h"
#include "agent/counters.h"
#include "agent/command.h"
#include "agent/func_probes.h"
#include "agent/consume.h"
#include "agent/harvest.h"
#include "agent/late_libs.h"
#include "agent/launch.h"
#include "agent/meta.h"
#include "agent/named.h"
#include "agent/probes.h"
#include "agent/session.h"
#include "agent/site_trial.h"
#include "agent/site_cost.h"
#include "agent/status.h"
#include "agent/trace.h"
#include "agent/waiter.h"
#include "aggregate/paths.h"
#include "common/log.h"
#include "common/privs.h"
#include "discover/loader.h"
#include "discover/sites.h"
#include "discover/symbols.h"
#include "discover/target.h"
#include "hdf5/profile_file.h"
#include "output/file.h"
#include "output/path.h"
#include "profile/losses.h"
#include "scope_bpf.h"
#include "scope_bpf_record.h"

struct session {
	const struct session_opts *opts;
	char *output; /* opts->output with its placeholders expanded */
	pid_t pid;
	struct launch child; /* run only */
	char *exe;	     /* run: the command's resolved path */
	struct target_objects objs;
	struct region_table regions;
	struct probes *probes;
	struct stats_table *stats;
	struct consumer *consumer;
	uint64_t harvested; /* regions taken from the kernel's aggregates */
	struct trace_sink *trace; /* --trace: the file, open from the start */
	struct waiter *waiter;
	struct late_libs *late;	     /* objects mapped after attach */
	struct func_probes *funcs;   /* --func; NULL without */
	struct named_regions *named; /* regions named at run time */
	/* the dynamic linker's probe: whether the target stops at each link
	 * map change, and the changes handled so far */
	bool link_map_stop;
	uint64_t link_map_handled, link_map_stops;
	struct region_map map; /* the probes' ids to the table's */
	uint64_t next_scan_ns;
	bool target_exited;
	int exec_error; /* run: the command cannot be executed */
	bool nop5;	/* probe the markers' 5-byte nops where they have one */
	struct profile_meta meta;
	struct calib calib; /* zeros under --no-calibrate or on failure */
	/* the BPF integration's hook: counters.evlist is open before the
	 * run; its fds go to the perf-event array (evlist__perf_array_fds) */
	struct session_counters counters;
	struct status status; /* the live status line */
	struct site_trial trial;
};

/* @st's sites for the probes, which take the one of the current form;
 * counts the markers that have no nop5 (built with a scope_bpf.h before API
 * version 2) in *@old when nop5 is the form. */
static void site_offsets(const struct session *s, const struct site *st,
			 struct probe_site *ps, size_t *old)
{
	ps->offset = st->file_offset;
	ps->nop5_offset = st->entry ? 0 : st->nop5_offset;
	if (s->nop5 && !st->entry && !st->nop5_offset)
		(*old)++;
}

/* Interns the regions of one object's sites and attaches a probe to each. */
static int attach_object(struct session *s, const char *path,
			 const struct site_list *sites)
{
	struct probe_site *ps = calloc(sites->n, sizeof(*ps));
	size_t old = 0;
	int err = 0;

	if (!ps)
		return -ENOMEM;
	for (size_t i = 0; i < sites->n && !err; i++) {
		const struct site *st = &sites->v[i];

		site_offsets(s, st, &ps[i], &old);
		ps[i].kind = st->kind;
		if (st->kind == SCOPE_BPF_KIND_END_INNERMOST)
			continue;
		if (site__is_named(st)) {
			err = named__add_site(s->named, st->file, st->line);
			ps[i].region = err;
			err = err < 0 ? err : 0;
			continue;
		}
		err = region_table__intern(&s->regions, st->name, st->file,
					   st->line,
					   st->kind == SCOPE_BPF_KIND_BEGIN);
		ps[i].region = err;
		err = err < 0 ? err : 0;
	}
	/* still profiled, exactly: a trap costs what it costs */
	if (old)
		pr_warn("%s: %zu of %zu marker sites have no 5-byte nop (built with an older scope_bpf.h): they are probed at their 1-byte nop (trap)\n",
			path, old, sites->n);
	if (!err)
		err = probes__attach_object(s->probes, path, ps, sites->n);
	if (err)
		pr_err("%s: cannot attach uprobes: %s\n", path, strerror(-err));
	free(ps);
	return err;
}

/* --likwid-markers: LIKWID's marker functions, where @path defines them
 * (liblikwid), as the sites of regions named by their tags. */
static int likwid_sites(const char *path, const char *name,
			struct site_list *sites)
{
	int n = sites__read_name_functions(path, "likwid_markerStartRegion",
					   "likwid_markerStopRegion", sites);

	if (n < 0) {
		pr_warn("%s: cannot look for LIKWID's marker functions: %s\n",
			name, strerror(-n));
		return 0;
	}
	if (n)
		pr_info("%s: LIKWID's marker API: regions named by its tags\n",
			name);
	return n;
}

static int attach_path(struct session *s, const char *path, const char *name,
		       bool is_exe)
{
	struct site_list sites = {};
	int n = sites__read_elf(path, &sites);

	if (s->funcs) {
		int err = func_probes__collect(s->funcs, path, name, is_exe);

		if (err) {
			site_list__free(&sites);
			return err;
		}
	}

	/* read now, probed or not: the rescans look for other objects */
	if (late_libs__know(s->late, path))
		pr_debug("%s: cannot stat: may be said as loaded late\n", name);
	if (n < 0) {
		/* a library we cannot parse must not stop the profile */
		pr_warn("%s: skipped: %s\n", name, strerror(-n));
		return 0;
	}
	if (s->opts->likwid_markers)
		n += likwid_sites(path, name, &sites);
	if (n > 0)
		pr_debug("%s: %d marker sites\n", name, n);
	n = attach_object(s, path, &sites);
	site_list__free(&sites);
	return n;
}

/* An object the target mapped after attach (dlopen): its sites, as
 * attach_path's; the number probed. */
static int attach_late(void *ctx, const char *path, const char *name)
{
	struct session *s = ctx;
	struct site_list sites = {};
	int n = sites__read_elf(path, &sites);

	if (n >= 0 && s->opts->likwid_markers)
		n += likwid_sites(path, name, &sites);
	if (n > 0)
		n = attach_object(s, path, &sites) ?: n;
	site_list__free(&sites);
	/* the functions say their own count: n stays the marker sites' */
	if (n >= 0 && s->funcs) {
		int err = func_probes__attach_late(s->funcs, s->probes,
						   &s->regions, path, name,
						   s->opts->force);

		if (err < 0)
			return err;
	}
	return n;
}

/* From _dl_debug_state to _r_debug.r_state (struct r_debug: int r_version,
 * then r_map and r_brk, then r_state at 24 on LP64), 0 if either is
 * unknown: the probe then stops the target at each call, not only once
 * the map is whole again. */
static int64_t r_state_delta(const char *interp)
{
	uint64_t fn, rd;

	if (symbols__address(interp, "_dl_debug_state", &fn) ||
	    symbols__address(interp, "_r_debug", &rd))
		return 0;
	return (int64_t)(rd + 24) - (int64_t)fn;
}

/* The dynamic linker's r_brk, so that a dlopen'ed object is attached
 * before its code runs (docs/markers.md). @interp is the target's loader
 * as the agent can open it. Under run the target is the agent's child, and
 * under attach a job in the background: a stop there is no one's business
 * but the agent's; a shell's foreground job is not stopped (the shell would
 * take the terminal back), and its new objects are attached as fast as the
 * agent wakes. */
static void attach_link_map(struct session *s, const char *interp)
{
	uint64_t off;
	int err;

	if (!interp || !*interp)
		return; /* static: the scans every second */
	err = sites__function_offset(interp, "_dl_debug_state", &off);
	if (!err)
		err = probes__attach_link_map(s->probes, interp, off,
					      r_state_delta(interp), s->pid);
	if (err) {
		pr_warn("%s: no probe on the dynamic linker (%s): libraries loaded later are found within a second, their first regions missed\n",
			interp, strerror(-err));
		return;
	}
	s->link_map_stop =
		s->opts->mode == SESSION_RUN || target__foreground(s->pid) == 0;
	probes__set_link_map_stop(s->probes, s->link_map_stop);
	pr_debug("%s: probe on _dl_debug_state at %#llx, %s\n", interp,
		 (unsigned long long)off,
		 s->link_map_stop ? "the target stops at each load" :
				    "no stop (a terminal's foreground job)");
}

/* The loader the target runs, as the agent can open it. */
static void probe_link_map(struct session *s)
{
	char exe[64], *interp, *path = NULL;

	if (s->opts->mode == SESSION_RUN) {
		interp = loader__interp(s->exe);
	} else {
		snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)s->pid);
		interp = loader__interp(exe);
		if (interp && *interp &&
		    asprintf(&path, "/proc/%d/root%s", (int)s->pid, interp) < 0)
			path = NULL;
	}
	attach_link_map(s, path ? path : interp);
	free(path);
	free(interp);
}

/* Before exec: the executable and the libraries the loader will map. */
static int attach_startup(struct session *s)
{
	struct path_list libs = {};
	int err = loader__startup_libs(s->exe, !s->opts->as_root, &libs);

	if (err)
		pr_warn("%s: the dynamic loader could not list all its libraries (%s): regions in missing ones are not profiled\n",
			s->exe, strerror(-err));
	err = attach_path(s, s->exe, s->exe, true);
	for (size_t i = 0; i < libs.n && !err; i++)
		err = attach_path(s, libs.v[i], libs.v[i], false);
	path_list__free(&libs);
	return err;
}

static int attach_objects(struct session *s)
{
	int err;

	if (s->opts->mode == SESSION_RUN)
		return attach_startup(s);
	err = target__objects(s->pid, &s->objs);
	if (err == -ENOENT)
		pr_err("pid %d has no executable: a kernel thread, or it exited\n",
		       s->pid);
	else if (err)
		pr_err("pid %d: cannot read its mappings: %s\n", s->pid,
		       strerror(-err));
	if (err)
		return err;
	for (size_t i = 0; i < s->objs.n; i++) {
		err = attach_path(s, s->objs.v[i].path, s->objs.v[i].name,
				  s->objs.v[i].is_exe);
		if (err)
			return err;
	}
	return 0;
}

/* Markers as they are found, then the functions of every object at once
 * (their limit is on all of them). */
static int attach_all(struct session *s)
{
	int err = attach_objects(s);

	if (!err && s->funcs)
		err = func_probes__attach(s->funcs, s->probes, &s->regions,
					  s->opts->force);
	return err;
}

static const char *target_name(const struct session *s)
{
	if (s->exe)
		return s->exe;
	return s->objs.n ? s->objs.v[0].name : "the target";
}

/* Nothing to probe: command.c says why in the user's terms. */
static int no_markers(struct session *s)
{
	if (s->funcs) {
		pr_err("%s: nothing to probe: no scope-bpf markers, and no function matches --func\n",
		       target_name(s));
		return -ENOENT;
	}
	command__say_no_markers(target_name(s), s->exe);
	return -ENOENT;
}

/* The start-up pass on the profile's own BPF object, before any target
 * site is attached: under auto it times both sites and takes the cheaper,
 * and it calibrates the site taken. Its figures go in the file. A failure
 * costs the compensation (and auto its choice: trap), not the profile. */
static void calibrate(struct session *s)
{
	struct calib_opts o = {
		.choose = s->opts->site_mode == SITE_MODE_AUTO,
		.nop5 = s->opts->site_mode == SITE_MODE_NOP5,
	};
	int err;

	s->nop5 = o.nop5;
	if (!o.choose && s->opts->no_calibrate)
		return;
	err = calibrate__run(s->probes, &o, &s->calib);
	if (probes__release_self(s->probes))
		pr_debug("the start-up pass's probes stay until the end\n");
	/* its regions were the agent's: none of them is the profile's */
	if (probes__reset_aggregates(s->probes))
		pr_debug(
			"cannot empty the start-up pass's aggregates: they keep room in the table\n");
	if (err) {
		pr_warn("cannot measure the probes' cost (%s): %s\n",
			strerror(-err),
			o.choose ?
				"using the 1-byte nops (--site-mode=trap), times reported uncompensated" :
				"times are reported uncompensated");
		memset(&s->calib, 0, sizeof(s->calib));
		return;
	}
	s->nop5 = s->calib.nop5;
	if (o.choose) {
		s->meta.site_cost_trap_ns = s->calib.trap_ns;
		s->meta.site_cost_nop5_ns = s->calib.nop5_ns;
	}
	/* auto timed the sites; the numbers themselves are not wanted */
	if (s->opts->no_calibrate)
		memset(&s->calib, 0, sizeof(s->calib));
}

static int choose_sites(struct session *s)
{
	calibrate(s);
	if (s->opts->site_mode == SITE_MODE_NOP5 &&
	    !site_cost__kernel_optimises())
		pr_warn("--site-mode=nop5: this kernel does not optimise 5-byte nop uprobes (6.18 or later, x86-64): they trap like the 1-byte ones\n");
	probes__set_form(s->probes, s->nop5);
	s->meta.site_mode = strdup(s->nop5 ? "nop5" : "trap");
	return s->meta.site_mode ? 0 : -ENOMEM;
}

/* Whether the target runs nop5 sites through the trampoline: the kernel
 * maps its page in the process on the first optimised hit. */
static void look_for_trampoline(struct session *s)
{
	if (s->nop5 && !s->meta.site_trampoline && s->pid > 0)
		s->meta.site_trampoline = site_cost__trampoline_mapped(s->pid);
}

/* The counters' deltas live in the kernel's aggregates: a record through
 * the ring has no room for them. */
static int attach_counters(struct session *s)
{
	int err;

	if (!probes__aggregates(s->probes)) {
		pr_err("--counters and --group need the in-kernel aggregation (SCOPE_BPF_AGGREGATE=kernel, the default)\n");
		return -EINVAL;
	}
	err = probes__attach_counters(s->probes);
	if (err)
		pr_err("cannot follow the threads' counters across context switches: %s\n",
		       strerror(-err));
	return err;
}

/* --trace-regions: the regions whose names match one of the globs. */
static int select_traced(struct session *s)
{
	char *globs = strdup(s->opts->trace_regions), *save = NULL, *g;
	size_t n = 0;
	int err = 0;

	if (!globs)
		return -ENOMEM;
	for (size_t i = 0; !err && i < s->regions.n; i++) {
		bool hit = false;

		strcpy(globs, s->opts->trace_regions);
		for (g = strtok_r(globs, ",", &save); g && !hit;
		     g = strtok_r(NULL, ",", &save))
			hit = !fnmatch(g, s->regions.v[i].name, 0);
		if (hit && !(err = probes__trace_region(s->probes,
							s->regions.v[i].id)))
			n++;
	}
	free(globs);
	if (!err && !n)
		pr_warn("--trace-regions %s matches none of the %zu regions: the trace stays empty\n",
			s->opts->trace_regions, s->regions.n);
	return err;
}

static int setup_probes(struct session *s)
{
	struct probes_opts po = {
		.pid = s->pid,
		.max_depth = s->opts->max_depth,
		.ringbuf_bytes = s->opts->ringbuf_bytes,
		/* the command's children inherit the probe sites: count their
		 * hits rather than let the kernel hide them (docs/signals.md)
		 */
		.all_processes = s->opts->mode == SESSION_RUN,
		/* the command's own exec, once released, is no news */
		.launch_execs = s->opts->mode == SESSION_RUN,
		.progress = s->opts->status,
	};
	int err;

	session_counters__probes(&s->counters, &po.ncounters, &po.ncpus,
				 &po.counter_fds);
	po.trace = s->opts->trace;
	po.trace_some = s->opts->trace_regions != NULL;
	po.trace_min_ns = s->opts->trace_min_ns;
	s->probes = probes__new(&po);
	if (!s->probes) {
		err = -errno;
		pr_err("cannot load the BPF programs: %s%s\n", strerror(-err),
		       err == -EPERM ? " (run as root)" : "");
		return err;
	}
	s->named = named__new(probes__named_fd(s->probes), &s->regions);
	if (!s->named)
		return -ENOMEM;
	named__set_where_map(s->named, probes__named_where_fd(s->probes));
	s->map = (struct region_map){ named__resolve_cb, s->named };
	err = choose_sites(s);
	if (!err && po.ncounters)
		err = attach_counters(s);
	if (err)
		return err;
	/* before the objects are read: an exec from then on is seen */
	err = probes__attach_exec(s->probes);
	if (err)
		pr_warn("an exec by the target will not be noticed: %s\n",
			strerror(-err));
	err = attach_all(s);
	if (err)
		return err;
	if (!probes__nsites(s->probes) &&
	    !command__markers_come_later(target_name(s)))
		return no_markers(s);
	late_libs__set_attach(s->late, attach_late, s);
	probe_link_map(s);
	if (!probes__nsites(s->probes))
		pr_info("%s has no markers of its own: its regions are those of the modules it loads (import scope_bpf, C extensions), probed as they load\n",
			target_name(s));
	if (s->opts->trace_regions) {
		err = select_traced(s);
		if (err)
			return err;
	}
	err = probes__attach_exit(s->probes);
	if (err)
		pr_warn("regions open at thread exit will not be reported: %s\n",
			strerror(-err));
	return 0;
}

/* Takes the aggregates of the threads that exited since the last look out
 * of the kernel's table. */
static int harvest_exited(struct session *s)
{
	const struct consumer_thread_id *ids;
	size_t n;
	int err;

	ids = consumer__exited(s->consumer, &n);
	err = harvest__exited(probes__aggs_fd(s->probes), ids, n, &s->map,
			      s->stats, &s->harvested);
	consumer__forget_exited(s->consumer);
	return err;
}

static int drain(void *ctx)
{
	struct session *s = ctx;
	int n = consumer__drain(s->consumer);

	if (n >= 0 && probes__aggregates(s->probes))
		n = harvest_exited(s);
	if (n >= 0 && s->trace)
		n = trace_sink__tick(s->trace);
	if (n < 0)
		pr_err("cannot aggregate records: %s\n", strerror(-n));
	return n < 0 ? n : 0;
}

/* Every entry left in the kernel's table, once nothing writes it; each
 * thread named by no sample (its header was lost) gets a nameless row. */
static int harvest_rest(struct session *s)
{
	int err = harvest__all(probes__aggs_fd(s->probes), &s->map, s->stats,
			       &s->harvested);

	for (size_t i = 0; !err && i < stats__count(s->stats); i++) {
		const struct region_stats *r = stats__at(s->stats, i);

		err = consumer__add_thread(s->consumer, r->pid, r->tid);
	}
	if (err)
		pr_err("cannot read the kernel's aggregates: %s\n",
		       strerror(-err));
	return err;
}

/* Every second, the target's mappings: the maps file is small, and a
 * library dlopen'ed and unloaded again between two looks is missed (under
 * attach, the last look is at the end). */
#define LATE_SCAN_NS 1000000000ull

static void scan_late(struct session *s)
{
	int n = late_libs__scan(s->late, s->pid);

	if (n < 0 && n != -ESRCH && n != -ENOENT)
		pr_debug("pid %d: cannot read its mappings: %s\n", s->pid,
			 strerror(-n));
}

/* The status line's numbers: every loss the profile would report now. */
static void status_sample(struct session *s, uint64_t now,
			  struct status_sample *out)
{
	uint64_t losses[LOSS__COUNT] = {};
	struct scope_bpf_counters bc;
	struct consumer_counts cc;

	out->ns = now;
	if (probes__regions_ended(s->probes, &out->regions))
		out->regions = s->status.prev.regions;
	probes__counters(s->probes, &bc);
	loss__from_bpf(losses, &bc);
	consumer__counts(s->consumer, &cc);
	losses[LOSS_UNFINISHED] = cc.unfinished;
	out->lost = loss__total(losses);
	out->mem_bytes = status__rss_bytes();
}

/* From the probes' start: the start-up pass's regions are not counted. */
static void start_status(struct session *s)
{
	struct status_sample now = {};

	if (s->opts->status)
		status_sample(s, meta__now_ns(), &now);
	status__start(&s->status, s->opts->status, &now);
}

static void show_status(struct session *s, uint64_t now)
{
	struct status_sample cur;

	if (!status__due(&s->status, now))
		return;
	status_sample(s, now, &cur);
	status__show(&s->status, &cur);
}

/* The target's link map changed (its probe said so, or the counts differ
 * after a lost wakeup): attach what it mapped, then let it go on. */
static void link_map_changed(struct session *s)
{
	uint64_t events = probes__link_map_events(s->probes);
	bool said = consumer__take_link_map(s->consumer) > 0;

	if (!said && events == s->link_map_handled)
		return;
	uint64_t stops = probes__link_map_stops(s->probes);

	scan_late(s);
	s->link_map_handled = events;
	if (stops == s->link_map_stops)
		return;
	s->link_map_stops = stops;
	if (kill(s->pid, SIGCONT) && errno != ESRCH)
		pr_warn("pid %d: cannot continue it after a library load: %s\n",
			s->pid, strerror(errno));
}

/* The site trial is over: the form it left, its numbers and, when it
 * moved the markers, the calibration of the new site. */
static void trial_ended(struct session *s)
{
	struct site_trial *t = &s->trial;
	char *mode = strdup(probes__form_nop5(s->probes) ? "nop5" : "trap");

	s->nop5 = probes__form_nop5(s->probes);
	if (mode) {
		free(s->meta.site_mode);
		s->meta.site_mode = mode;
	}
	s->meta.site_trial_trap_ns = t->trap_ns;
	s->meta.site_trial_nop5_ns = t->nop5_ns;
	if (t->switched && s->calib.method[0]) {
		calibrate__take_other(&s->calib);
		if (calibrate__to_meta(&s->calib, &s->meta))
			pr_warn("cannot record the new site's calibration\n");
	}
	/* said when it measured: the form may not be the start-up's */
	if (t->ran)
		pr_info("site trial: %s\n", t->said);
}

static void record_trial(struct session *s)
{
	if (!s->trial.ran)
		pr_debug("site trial: %s\n", s->trial.said);
	free(s->meta.site_trial);
	s->meta.site_trial = strdup(s->trial.said);
}

static int tick(void *ctx)
{
	struct session *s = ctx;
	uint64_t now = meta__now_ns();
	int err;

	show_status(s, now);

	/* at every drain in the first second: a short command is gone by
	 * the first scan */
	if (site_trial__tick(&s->trial, now))
		trial_ended(s);
	/* the probes' links are the switch's until it is over */
	if (site_trial__switching(&s->trial))
		return drain(s);
	if (now < s->meta.start_ns + LATE_SCAN_NS)
		look_for_trampoline(s);
	if (now >= s->next_scan_ns) {
		s->next_scan_ns = now + LATE_SCAN_NS;
		scan_late(s);
		look_for_trampoline(s);
	}
	err = drain(s);
	if (!err)
		link_map_changed(s);
	return err;
}

static uint64_t target_signal_ns(void *ctx, int sig)
{
	struct session *s = ctx;

	return probes__target_signal_ns(s->probes, sig);
}

/* run: which signals reach the command by themselves, so the waiter
 * forwards each one once (docs/signals.md); NULL when BPF cannot tell. */
static uint64_t (*signal_view(struct session *s))(void *, int)
{
	int err;

	if (s->opts->mode != SESSION_RUN)
		return NULL;
	err = probes__attach_signals(s->probes);
	if (!err)
		return target_signal_ns;
	pr_warn("cannot see the signals the command receives (%s): every signal but a terminal's is passed on to it\n",
		strerror(-err));
	return NULL;
}

static int setup_waiter(struct session *s)
{
	struct waiter_opts wo = {
		.pid = s->pid,
		.duration = s->opts->duration,
		.owns_target = s->opts->mode == SESSION_RUN,
		.ready_fd = consumer__epoll_fd(s->consumer),
		.drain = tick,
		.signal_ns = signal_view(s),
		.ctx = s,
	};

	s->waiter = waiter__new(&wo);
	if (!s->waiter) {
		int err = -errno;

		pr_err("pid %d: %s\n", s->pid,
		       err == -ESRCH ? "exited before the probes were live" :
				       strerror(-err));
		return err;
	}
	return 0;
}

/* Probe hits in processes the agent does not follow, said at the end. */
static void fill_unfollowed(struct session *s,
			    const struct scope_bpf_counters *bc)
{
	size_t n = probes__unfollowed_processes(s->probes);

	s->meta.unfollowed_processes = n + bc->unfollowed_untracked;
	if (bc->unfollowed_hits)
		pr_warn("%llu region hits in %llu child process%s were not recorded: scope-bpf follows the command's process only\n",
			(unsigned long long)bc->unfollowed_hits,
			(unsigned long long)s->meta.unfollowed_processes,
			s->meta.unfollowed_processes == 1 ? "" : "es");
	if (bc->other_hits)
		pr_warn("%llu region hits in other processes running the same binaries were not recorded\n",
			(unsigned long long)bc->other_hits);
}

/* Execs of the target: a new image of another file runs without probes;
 * one of a probed file gets them again from the kernel (per-inode uprobes). */
static void fill_execs(struct session *s, const struct scope_bpf_counters *bc)
{
	s->meta.unfollowed_execs = bc->unprobed_execs;
	if (bc->unprobed_execs)
		pr_warn("pid %d exec'd %s during the profile: its regions after the exec were not recorded (%llu exec%s of unprobed files)\n",
			s->pid, probes__last_exec(s->probes),
			(unsigned long long)bc->unprobed_execs,
			bc->unprobed_execs == 1 ? "" : "s");
	if (bc->probed_execs)
		pr_info("pid %d exec'd a probed file again (%llu time%s): its probes stayed and its regions were recorded\n",
			s->pid, (unsigned long long)bc->probed_execs,
			bc->probed_execs == 1 ? "" : "s");
}

/* What the trace holds and lacks; the statistics hold every region. */
static void fill_trace_meta(struct session *s,
			    const struct scope_bpf_counters *bc)
{
	struct trace_sink_counts tc;

	if (!s->trace)
		return;
	trace_sink__counts(s->trace, &tc);
	s->meta.trace_intervals = tc.intervals;
	s->meta.trace_dropped = tc.dropped + bc->trace_dropped;
	s->meta.trace_past_max = tc.past_max;
	if (s->meta.trace_dropped)
		pr_warn("the trace lacks %llu intervals (the ring buffer or the trace buffer was full: --ringbuf-size, --trace-buffer); the statistics have them\n",
			(unsigned long long)s->meta.trace_dropped);
}

static void fill_end_meta(struct session *s)
{
	struct scope_bpf_counters bc;
	struct consumer_counts cc;

	probes__counters(s->probes, &bc);
	consumer__counts(s->consumer, &cc);
	s->meta.records = cc.records + s->harvested;
	s->meta.aggregated = s->harvested;
	s->meta.agg_full = bc.agg_full;
	s->meta.stack_slots = probes__stack_slots(s->probes);
	s->meta.slotless_threads = bc.slotless_threads;
	s->meta.stack_slot_misses = bc.slot_misses;
	if (bc.slots_lost)
		pr_warn("%llu stack slots could not be given back at their threads' exit: later threads used task storage\n",
			(unsigned long long)bc.slots_lost);
	if (bc.slotless_threads)
		pr_info("%llu threads found every one of the %llu stack slots taken: their probes cost a task storage lookup more (SCOPE_BPF_FAST_STACKS)\n",
			(unsigned long long)bc.slotless_threads,
			(unsigned long long)s->meta.stack_slots);
	if (bc.named_truncated)
		pr_warn("%llu regions had a run-time name of %d bytes or more: recorded under its first %d bytes\n",
			(unsigned long long)bc.named_truncated,
			SCOPE_NAME_LEN - 1, SCOPE_NAME_LEN - 1);
	if (bc.agg_full)
		pr_info("%llu regions went through the ring buffer: the kernel's aggregate table was full (SCOPE_BPF_AGG_ENTRIES)\n",
			(unsigned long long)bc.agg_full);
	s->meta.losses[LOSS_UNFINISHED] = cc.unfinished;
	/* the BPF object and the agent are built together: a record of a
	 * kind this agent does not know is a bug, not user data */
	if (cc.malformed)
		pr_warn("%llu records of an unknown kind were ignored\n",
			(unsigned long long)cc.malformed);
	loss__from_bpf(s->meta.losses, &bc);
	s->meta.target_exited = s->target_exited;
	fill_unfollowed(s, &bc);
	fill_execs(s, &bc);
	s->meta.late_libraries = late_libs__count(s->late);
	fill_trace_meta(s, &bc);
	if (session_counters__to_meta(&s->counters, &s->meta))
		pr_warn("cannot describe the counters in the file's metadata\n");
	late_libs__warn(s->late);
}

static struct output_file_opts output_opts(const struct session *s)
{
	struct output_file_opts o = {
		.force = s->opts->force,
		.uid = (uid_t)-1,
		.gid = (gid_t)-1,
		.is_profile = profile_file__is_profile,
	};

	if (privs__sudo_user(&o.uid, &o.gid)) {
		o.uid = (uid_t)-1;
		o.gid = (gid_t)-1;
	}
	return o;
}

static int write_profile(struct session *s)
{
	struct profile p = { .meta = s->meta, .regions = s->regions };
	struct output_file_opts o = output_opts(s);
	size_t len;
	void *buf = NULL;
	int err;

	p.stats = (struct region_stats *)stats__at(s->stats, 0);
	p.nstats = stats__count(s->stats);
	p.paths = (struct path_stats *)paths__at(stats__paths(s->stats), 0);
	p.npaths = paths__count(stats__paths(s->stats));
	p.threads = (struct profile_thread *)consumer__threads(s->consumer,
							       &p.nthreads);
	err = session_counters__to_profile(&s->counters, &p.counters,
					   &p.ncounters);
	if (err)
		pr_err("cannot describe the counters: %s\n", strerror(-err));
	/* each says what failed itself */
	if (!err && s->trace) {
		err = trace_sink__finish(s->trace, &p);
		s->trace = NULL;
	} else if (!err) {
		err = profile_file__image(&p, &buf, &len);
		if (!err)
			err = output_file__write(s->output, buf, len, &o);
	}
	free(buf);
	for (size_t i = 0; i < p.ncounters; i++)
		profile_counter__free(&p.counters[i]);
	free(p.counters);
	if (err)
		return err;
	pr_info("wrote %s: %llu regions timed in %zu threads, %zu regions\n",
		s->output, (unsigned long long)s->meta.records, p.nthreads,
		s->regions.n);
	return 0;
}

/* --trace: the file under its final name, before the probes go live;
 * with counters, /trace/counters beside the intervals (their names and
 * units as /counters will have them). */
static int open_trace(struct session *s)
{
	struct output_file_opts o = output_opts(s);
	struct trace_sink_opts to = { .buffer_bytes = s->opts->trace_buffer,
				      .max_bytes = s->opts->trace_max,
				      .regions = &s->regions,
				      .meta = &s->meta,
				      .uid = o.uid,
				      .gid = o.gid };
	const char *names[PROFILE_MAX_COUNTERS], *units[PROFILE_MAX_COUNTERS];
	struct profile_counter *c = NULL;
	size_t nc = 0;
	int err = output_file__clear(s->output, &o);

	if (!err)
		err = session_counters__to_profile(&s->counters, &c, &nc);
	for (size_t i = 0; !err && i < nc && i < PROFILE_MAX_COUNTERS; i++) {
		names[i] = c[i].name ?: "";
		units[i] = c[i].units ?: "count";
	}
	to.ncounters = nc;
	to.counter_names = names;
	to.counter_units = units;
	if (!err) {
		s->trace = trace_sink__open(s->output, &to);
		err = s->trace ? 0 : -errno;
	}
	for (size_t i = 0; i < nc; i++)
		profile_counter__free(&c[i]);
	free(c);
	if (!err)
		consumer__set_trace(s->consumer, trace_sink__record, s->trace);
	return err;
}

/* The output's name, once the target's pid is known (%p) and before any
 * probe: whatever -o refuses is refused before the command runs (it waits
 * at its gate) or the process is touched. */
static int prepare_output(struct session *s)
{
	struct output_file_opts o = output_opts(s);
	struct output_vars v = { .pid = s->pid, .start = time(NULL) };
	struct utsname u;
	int err;

	v.host = uname(&u) ? "" : u.nodename;
	err = output_path__expand(s->opts->output, &v, &s->output, NULL);
	if (err) {
		pr_err("%s: %s\n", s->opts->output,
		       err == -EINVAL ?
			       "unknown placeholder (%p, %h, %t and %% are known)" :
			       strerror(-err));
		return err;
	}
	err = output_file__check(s->output, &o);
	if (!err)
		output_file__clean_stale(s->output);
	return err;
}

/* The command cannot be executed: said the way a shell says it. */
static int command_unusable(struct session *s, int err)
{
	s->exec_error = command__say_unusable(s->opts->command[0], err);
	return s->exec_error;
}

static int start_target(struct session *s)
{
	int err;

	if (s->opts->mode == SESSION_ATTACH) {
		err = target__check(s->pid);
		if (err) {
			pr_err("pid %d: %s\n", s->pid,
			       err == -ESRCH ? "no such process" :
					       strerror(-err));
			return err;
		}
		err = target__tgid(s->pid);
		if (err > 0 && err != s->pid) {
			pr_err("%d is a thread of process %d: attach to %d\n",
			       s->pid, err, err);
			return -EINVAL;
		}
		return 0;
	}
	s->exe = target__resolve_exe(s->opts->command[0]);
	if (!s->exe)
		return command_unusable(s, -errno);
	err = target__check_exec_format(s->exe);
	if (err)
		return command_unusable(s, err);
	err = launch__start(&s->child, s->exe, s->opts->command,
			    !s->opts->as_root);
	if (err)
		pr_err("cannot start %s: %s\n", s->exe, strerror(-err));
	s->pid = s->child.pid;
	return err;
}

/* Without uprobe_multi every site holds two descriptors (perf event and
 * link): a large target passes the usual 1024 soft limit. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int prepare(struct session *s)
{
	int err;

	s->late = late_libs__new();
	if (s->late && s->opts->funcs && s->opts->funcs->n) {
		s->funcs = func_probes__new(s->opts->funcs);
		if (!s->funcs)
			return -errno;
	}
	if (!s->late) {
		pr_err("cannot start: %s\n", strerror(ENOMEM));
		return -ENOMEM;
	}
	err = start_target(s);
	if (!err)
		err = prepare_output(s);
	raise_fd_limit();
	if (!err)
		err = setup_probes(s);
	if (err)
		return err;
	s->stats = stats__new();
	s->consumer = s->stats ? consumer__new(probes__ringbuf_fd(s->probes),
					       s->stats) :
				 NULL;
	if (!s->consumer) {
		err = -errno ?: -ENOMEM;
		pr_err("cannot read the ring buffer: %s\n", strerror(-err));
		return err;
	}
	consumer__set_region_map(s->consumer, &s->map);
	err = setup_waiter(s);
	if (err)
		return err;
	err = meta__start(&s->meta, s->opts, s->pid);
	if (!err)
		err = calibrate__to_meta(&s->calib, &s->meta);
	if (err) {
		pr_err("cannot record the run's metadata: %s\n",
		       strerror(-err));
		return err;
	}
	if (s->opts->trace) {
		err = open_trace(s);
		if (err)
			return err;
	}
	start_status(s);
	probes__enable(s->probes, true);
	site_trial__start(&s->trial, s->probes, s->pid,
			  s->opts->site_mode == SITE_MODE_AUTO, meta__now_ns());
	s->next_scan_ns = meta__now_ns() + LATE_SCAN_NS;
	/* said once the probes are live: scripts wait for this line */
	pr_info("attached %zu probes to %zu regions in %s\n",
		probes__nsites(s->probes), s->regions.n, target_name(s));
	if (s->opts->mode == SESSION_RUN)
		err = launch__release(&s->child);
	if (err)
		pr_err("cannot start %s: %s\n", s->exe, strerror(-err));
	return err;
}

/* Under `run`, the command's exit: reaped here, after any early stop. */
static int reap_command(struct session *s)
{
	int status;

	/* stopped early: the command does not outlive its profile */
	if (!s->target_exited)
		kill(s->pid, SIGKILL);
	status = launch__wait(&s->child);
	if (status < 0) {
		pr_err("pid %d: %s\n", s->pid, strerror(-status));
		return status;
	}
	s->meta.exit_status = status;
	return status;
}

/* Stop producing, then take what is left: the last records, the regions
 * still open, the counters. */
static int collect(struct session *s)
{
	long open;
	int err;

	/* the profile ends now, however long detaching takes */
	s->meta.end_ns = meta__now_ns();
	if (s->trial.state != SITE_TRIAL_OFF) {
		site_trial__stop(&s->trial);
		trial_ended(s);
	}
	record_trial(s);
	look_for_trampoline(s);
	probes__enable(s->probes, false);
	probes__detach(s->probes);
	/* a stop the agent has not answered yet: the target must go on */
	if (probes__link_map_stops(s->probes) != s->link_map_stops)
		kill(s->pid, SIGCONT);
	open = probes__flush_threads(s->probes);
	if (open < 0)
		pr_warn("cannot count the regions still open: %s\n",
			strerror(-open));
	s->meta.losses[LOSS_OPEN_AT_DETACH] = open > 0 ? open : 0;
	err = drain(s);
	if (!err && probes__aggregates(s->probes))
		err = harvest_rest(s);
	return err;
}

/* The command's status goes to @res; the profile's fate is the result. */
static int finish(struct session *s, int err, struct session_result *res)
{
	int status = -1;

	/* the closing lines are the last on the terminal */
	status__end(&s->status);
	if (s->opts->mode == SESSION_RUN && s->child.pid > 0) {
		if (s->child.gate >= 0)
			launch__abort(&s->child);
		else
			status = reap_command(s);
	}
	res->command_status = status < 0 ? -1 : status;
	res->target_exited = s->target_exited;
	res->exec_error = s->exec_error;
	if (!err && s->consumer) {
		err = collect(s);
		fill_end_meta(s);
		meta__report_losses(&s->meta);
		if (!err)
			err = write_profile(s);
	}
	return err;
}

static void cleanup(struct session *s)
{
	/* a switch in flight holds the probes */
	site_trial__stop(&s->trial);
	trace_sink__abort(s->trace);
	waiter__free(s->waiter);
	late_libs__free(s->late);
	func_probes__free(s->funcs);
	named__free(s->named);
	consumer__free(s->consumer);
	stats__free(s->stats);
	probes__free(s->probes);
	region_table__free(&s->regions);
	target_objects__free(&s->objs);
	profile_meta__free(&s->meta);
	free(s->exe);
	free(s->output);
	session_counters__close(&s->counters);
}

int session__run(const struct session_opts *opts, struct session_result *res)
{
	struct session_opts o = *opts;
	struct session s = {
		.opts = &o,
		.pid = opts->pid,
		.child = { .pid = -1, .gate = -1 },
	};
	int err;

	if (!o.ringbuf_bytes)
		o.ringbuf_bytes = SESSION_DEFAULT_RINGBUF_BYTES;
	if (!o.max_depth)
		o.max_depth = SCOPE_MAX_DEPTH;

	err = session_counters__open(&o, &s.counters);
	res->bad_counters = err == -EINVAL;
	if (!err)
		err = prepare(&s);
	if (!err) {
		err = waiter__run(s.waiter);
		s.target_exited = waiter__target_exited(s.waiter);
	}
	/* the last look, while the probes still hold what was loaded */
	if (!err && !s.target_exited)
		scan_late(&s);
	err = finish(&s, err, res);
	cleanup(&s);
	return err;
}
