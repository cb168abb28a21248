// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* argp parsers of `run` and `attach`: one option table, two front pages. */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/agent_args.h"
#include "cli/commands.h"
#include "cli/help.h"
#include "common/log.h"
#include "common/units.h"
#include "output/path.h"
#include "scope_bpf_record.h"

/* argp_error() returns under ARGP_NO_EXIT: the parser must still fail. */
#define fail(state, ...) (argp_error(state, __VA_ARGS__), EINVAL)

enum {
	OPT_RINGBUF = 0x100,
	OPT_MAX_DEPTH,
	OPT_AS_ROOT,
	OPT_FORCE,
	OPT_SITE_MODE,
	OPT_NO_CALIBRATE,
	OPT_COUNTERS,
	OPT_GROUP,
	OPT_NO_STATUS,
	OPT_TRACE,
	OPT_TRACE_BUFFER,
	OPT_TRACE_REGIONS,
	OPT_TRACE_MIN,
	OPT_TRACE_MAX,
	OPT_FUNC,
	OPT_FUNC_FILE,
	OPT_LIKWID_MARKERS,
};

/* The agent maps the ring twice, all of it resident: 256 MiB is 512 MiB
 * of memory, and 16 times the default already outlasts any drain delay
 * seen (docs/performance.md). */
#define RINGBUF_MAX_MIB 256
/* Longer is a typo (1e300) that the timer would refuse only later. */
#define DURATION_MAX_S (365.0 * 86400)

/* One option a row, as --help shows them. */
/* clang-format off */
#define COMMON_OPTIONS							       \
	{ "output", 'o', "FILE", 0,					       \
	  "Profile file to write (default scope-bpf.h5); %p is the target's "  \
	  "pid, %h the short host name, %t the start time (20261125T230000Z), "\
	  "%% a %. A profile already there is kept as FILE.old", 0 },	       \
	{ "force", OPT_FORCE, NULL, 0,					       \
	  "Overwrite FILE even when it exists and is not a scope-bpf profile " \
	  "(devices, FIFOs and directories are always refused); probe more "  \
	  "than 5000 functions with --func", 0 },			       \
	{ "ringbuf-size", OPT_RINGBUF, "MIB", 0,			       \
	  "Ring buffer size in MiB (or with K, M, G), a power of two from 1 "  \
	  "to 256 (default 16); the agent keeps twice this resident", 0 },     \
	{ "max-depth", OPT_MAX_DEPTH, "N", 0,				       \
	  "Deepest region nesting recorded per thread (default and maximum "   \
	  "64)", 0 },							       \
	{ "site-mode", OPT_SITE_MODE, "MODE", 0,			       \
	  "Probe sites: trap (the markers' 1-byte nops), nop5 (their 5-byte "  \
	  "nops, which the kernel may turn into calls) or auto (the cheaper "  \
	  "here, timed at start; the default, or $SCOPE_BPF_SITE_MODE)", 0 }, \
	{ "no-calibrate", OPT_NO_CALIBRATE, NULL, 0,			       \
	  "Do not measure the probes' cost at start (about 0.1 s): the "      \
	  "report then shows measured times only", 0 },			       \
	{ "likwid-markers", OPT_LIKWID_MARKERS, NULL, 0,		       \
	  "Also profile LIKWID's marker API (LIKWID_MARKER_START/STOP) in "    \
	  "the liblikwid the target loaded: each tag is a region", 0 },	       \
	{ "counters", OPT_COUNTERS, "LIST", 0,				       \
	  "Perf events to count per region, comma-separated: task-clock, "     \
	  "page-faults, context-switches, cycles, ... (scope-bpf list "	       \
	  "--counters), rNNNN, PMU/event=0x..,umask=0x../; at most 8. "	       \
	  "Events this host cannot count are said and left out", 0 },	       \
	{ "group", OPT_GROUP, "NAME", 0,				       \
	  "A LIKWID performance group (FLOPS_DP, BRANCH, ...: scope-bpf list " \
	  "--groups) whose events are counted and metrics derived", 0 },      \
	{ "trace", OPT_TRACE, NULL, 0,					       \
	  "Also record every region interval into the file as it runs "	       \
	  "(/trace: HDF5 SWMR, readable while written and after a crash; "     \
	  "docs/trace.md)", 0 },					       \
	{ "trace-buffer", OPT_TRACE_BUFFER, "SIZE", 0,			       \
	  "--trace: the agent's memory for intervals not yet written "	       \
	  "(default 32M); past it intervals are dropped and counted", 0 },    \
	{ "trace-regions", OPT_TRACE_REGIONS, "GLOBS", 0,		       \
	  "--trace: only the regions whose names match one of these "	       \
	  "comma-separated globs", 0 },					       \
	{ "trace-min-duration", OPT_TRACE_MIN, "DURATION", 0,		       \
	  "--trace: only intervals at least this long (500ns, 2ms, ...)",     \
	  0 },								       \
	{ "trace-max", OPT_TRACE_MAX, "SIZE", 0,			       \
	  "--trace: stop tracing (and say so) once the trace holds SIZE "      \
	  "bytes; the statistics go on", 0 },				       \
	{ "func", OPT_FUNC, "[LIB:]GLOB", 0,				       \
	  "Also profile the functions whose names (C++ demangled) match GLOB " \
	  "as regions: of the executable, or of the library LIB (a soname "   \
	  "prefix such as libm, or a path); repeatable (docs/functions.md)",  \
	  0 },								       \
	{ "func-file", OPT_FUNC_FILE, "FILE", 0,			       \
	  "--func for each line of FILE ('#' starts a comment)", 0 },	       \
	{ "verbose", 'v', NULL, 0, "Say more (libbpf's messages too)", 0 },    \
	{ "quiet", 'q', NULL, 0, "Only warnings and errors on stderr (no "     \
	  "status line either)", 0 },					       \
	{ "no-status", OPT_NO_STATUS, NULL, 0,				       \
	  "No live status line (elapsed time, regions/s, regions, losses, "    \
	  "the agent's memory), which otherwise shows on stderr while it is "  \
	  "a terminal", 0 }
/* clang-format on */

static const struct argp_option run_options[] = {
	{ "as-root", OPT_AS_ROOT, NULL, 0,
	  "Under sudo, run the command as root too (default: as the user who ran sudo)",
	  0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const struct argp_option attach_options[] = {
	{ "pid", 'p', "PID", 0, "Process to attach to (required)", 0 },
	{ "duration", 'd', "TIME", 0,
	  "Stop after this long: 10s, 500ms, 2m, 1h, 1.5s; a plain number is "
	  "seconds; at most 1 year (default: when the process exits, or on Ctrl-C)",
	  0 },
	COMMON_OPTIONS,
	{ 0 },
};

static const char run_doc[] =
	"Start COMMAND with probes on its regions and profile it until it exits.\n"
	"Exits with COMMAND's exit status.\n"
	"\v"
	"Examples:\n"
	"  sudo scope-bpf run -- ./examples/heat 2 500\n"
	"  sudo scope-bpf run -o solve.h5 -- ./solver -n 4 in.dat\n"
	"  sudo scope-bpf run -o 'solve-%h-%p.h5' -- ./solver in.dat\n"
	"  scope-bpf report solve.h5\n";

static const char attach_doc[] =
	"Profile the regions of a running process, then detach and leave it\n"
	"running. Stops when the process exits, after --duration, or on Ctrl-C.\n"
	"\v"
	"Examples:\n"
	"  sudo scope-bpf attach --pid 4242\n"
	"  sudo scope-bpf attach -p 4242 --duration 10 -o run.h5\n"
	"  sudo scope-bpf attach -p 4242 -d 2m -o 'run-%h-%p-%t.h5'\n";

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Placeholders are filled in once the target is known; a typo in one
 * fails here, before anything runs. */
static int parse_output(const char *arg, struct session_opts *a,
			struct argp_state *state)
{
	struct output_vars v = { .pid = 1, .host = "h" };
	size_t bad = 0;
	char *out;
	int err = output_path__expand(arg, &v, &out, &bad);

	if (err == -EINVAL)
		return fail(
			state,
			"-o '%s': unknown placeholder '%.2s' (%%p pid, %%h host, %%t time, %%%% a %%)",
			arg, arg + bad);
	if (err)
		return fail(state, "-o '%s': %s", arg, strerror(-err));
	free(out);
	a->output = arg;
	return 0;
}

static int parse_duration(const char *arg, struct session_opts *a,
			  struct argp_state *state)
{
	double d;

	if (units__parse_duration(arg, &d) || !(d > 0))
		return fail(
			state,
			"invalid duration '%s' (a time > 0: 10s, 500ms, 2m, 1h; plain numbers are seconds)",
			arg);
	if (d > DURATION_MAX_S)
		return fail(state, "duration '%s' too long (at most 1 year)",
			    arg);
	a->duration = d;
	return 0;
}

/* The kernel takes a power of two of whole pages. */
static int parse_ringbuf(const char *arg, struct session_opts *a,
			 struct argp_state *state)
{
	uint64_t v;

	if (units__parse_size(arg, 1ull << 20, &v) || v < (1ull << 20) ||
	    (v & (v - 1)))
		return fail(
			state,
			"invalid ring buffer size '%s' (MiB, a power of two from 1 to %d)",
			arg, RINGBUF_MAX_MIB);
	if (v > (uint64_t)RINGBUF_MAX_MIB << 20)
		return fail(
			state,
			"ring buffer size '%s' too large (at most %d MiB: the agent keeps twice the size resident)",
			arg, RINGBUF_MAX_MIB);
	a->ringbuf_bytes = v;
	return 0;
}

static int site_mode__parse(const char *arg, enum session_site_mode *out)
{
	static const char *const names[] = {
		[SITE_MODE_AUTO] = "auto",
		[SITE_MODE_TRAP] = "trap",
		[SITE_MODE_NOP5] = "nop5",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(arg, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_site_mode(const char *arg, struct session_opts *a,
			   struct argp_state *state)
{
	if (site_mode__parse(arg, &a->site_mode))
		return fail(state,
			    "invalid site mode '%s' (auto, trap or nop5)", arg);
	return 0;
}

/* The environment's choice is the default: the test suite runs the same
 * scripts under each mode with it. */
static int site_mode__from_env(enum session_site_mode *out)
{
	const char *env = getenv("SCOPE_BPF_SITE_MODE");

	if (!env || !*env || !site_mode__parse(env, out))
		return 0;
	pr_err("invalid SCOPE_BPF_SITE_MODE '%s' (auto, trap or nop5)\n", env);
	return -EINVAL;
}

/* --trace-min-duration: from 1 ns; the units of the other durations. */
static int parse_trace_min(const char *arg, struct session_opts *a,
			   struct argp_state *state)
{
	double d;

	if (units__parse_duration(arg, &d) || d <= 0 || d > DURATION_MAX_S)
		return fail(state,
			    "invalid duration '%s' for --trace-min-duration "
			    "(500ns, 20us, 2ms, 1s, ...)",
			    arg);
	a->trace_min_ns = (uint64_t)(d * 1e9 + 0.5);
	return 0;
}

static int parse_trace_size(const char *arg, uint64_t min, uint64_t *out,
			    const char *what, struct argp_state *state)
{
	uint64_t v;

	if (units__parse_size(arg, 1, &v) || v < min)
		return fail(state,
			    "invalid size '%s' for %s (bytes, or with k, M, "
			    "G; at least %llu)",
			    arg, what, (unsigned long long)min);
	*out = v;
	return 0;
}

static int parse_trace_option(int key, char *arg, struct session_opts *a,
			      struct argp_state *state)
{
	uint64_t v = 0;
	int err;

	switch (key) {
	case OPT_TRACE:
		a->trace = true;
		return 0;
	case OPT_TRACE_BUFFER:
		err = parse_trace_size(arg, 1 << 20, &v, "--trace-buffer",
				       state);
		a->trace_buffer = v;
		return err;
	case OPT_TRACE_REGIONS:
		if (!*arg)
			return fail(state, "--trace-regions: an empty list");
		a->trace_regions = arg;
		return 0;
	case OPT_TRACE_MIN:
		return parse_trace_min(arg, a, state);
	case OPT_TRACE_MAX:
		return parse_trace_size(arg, 1 << 20, &a->trace_max,
					"--trace-max", state);
	}
	return ARGP_ERR_UNKNOWN;
}

static int parse_func(int key, const char *arg, struct agent_args *args,
		      struct argp_state *state)
{
	size_t line = 0;
	int err;

	if (key == OPT_FUNC) {
		err = func_patterns__add(&args->funcs, arg);
		if (err == -EINVAL)
			return fail(
				state,
				"--func '%s': expected [LIB:]GLOB (libm:exp*, 'ns::Solver::step*')",
				arg);
		return err ? fail(state, "--func: %s", strerror(-err)) : 0;
	}
	err = func_patterns__add_file(&args->funcs, arg, &line);
	if (err == -EINVAL)
		return fail(state, "--func-file %s:%zu: expected [LIB:]GLOB",
			    arg, line);
	return err ? fail(state, "--func-file %s: %s", arg, strerror(-err)) : 0;
}

static int parse_option(int key, char *arg, struct agent_args *args,
			struct argp_state *state)
{
	struct session_opts *a = &args->opts;
	long v;

	switch (key) {
	case 'o':
		return parse_output(arg, a, state);
	case OPT_FORCE:
		a->force = true;
		return 0;
	case 'p':
		if (parse_long(arg, 1, INT_MAX, &v))
			return fail(state, "invalid PID '%s'", arg);
		a->pid = v;
		return 0;
	case 'd':
		return parse_duration(arg, a, state);
	case OPT_RINGBUF:
		return parse_ringbuf(arg, a, state);
	case OPT_MAX_DEPTH:
		if (parse_long(arg, 1, SCOPE_MAX_DEPTH, &v))
			return fail(state, "invalid depth '%s' (1 to %d)", arg,
				    SCOPE_MAX_DEPTH);
		a->max_depth = v;
		return 0;
	case OPT_AS_ROOT:
		a->as_root = true;
		return 0;
	case OPT_SITE_MODE:
		return parse_site_mode(arg, a, state);
	case OPT_NO_CALIBRATE:
		a->no_calibrate = true;
		return 0;
	case OPT_LIKWID_MARKERS:
		a->likwid_markers = true;
		return 0;
	case OPT_COUNTERS:
		if (!*arg)
			return fail(state, "--counters: an empty list");
		a->counters = arg;
		return 0;
	case OPT_GROUP:
		if (!*arg || strchr(arg, '/'))
			return fail(state, "invalid group name '%s'", arg);
		a->group = arg;
		return 0;
	case 'v':
		args->verbosity++;
		return 0;
	case 'q':
		args->verbosity--;
		args->no_status = true;
		return 0;
	case OPT_NO_STATUS:
		args->no_status = true;
		return 0;
	case OPT_FUNC:
	case OPT_FUNC_FILE:
		return parse_func(key, arg, args, state);
	}
	return parse_trace_option(key, arg, a, state);
}

/* Checks that need every option seen. */
static int check_run(struct session_opts *a, struct argp_state *state)
{
	if (!a->command)
		return fail(
			state,
			"no command to run (scope-bpf run [OPTION...] -- COMMAND [ARG...])");
	return 0;
}

static int check_attach(struct session_opts *a, struct argp_state *state)
{
	if (!a->pid)
		return fail(state, "--pid PID is required");
	if (a->command)
		return fail(state, "unexpected argument '%s'", a->command[0]);
	return 0;
}

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	struct agent_args *args = state->input;
	struct session_opts *a = &args->opts;

	switch (key) {
	case ARGP_KEY_ARG:
		/* the command and all that follows belong to the target */
		a->command = &state->argv[state->next - 1];
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		return a->mode == SESSION_RUN ? check_run(a, state) :
						check_attach(a, state);
	}
	return parse_option(key, arg, args, state);
}

int agent_args__parse(enum session_mode mode, int argc, char **argv,
		      unsigned int argp_flags, struct agent_args *out)
{
	struct argp argp = {
		.options = mode == SESSION_RUN ? run_options : attach_options,
		.parser = parse_arg,
		.args_doc = mode == SESSION_RUN ? "[--] COMMAND [ARG...]" : "",
		.doc = mode == SESSION_RUN ? run_doc : attach_doc,
		.children = cli__help_children,
	};
	struct agent_args a = { .opts = {
					.mode = mode,
					.output = "scope-bpf.h5",
					.ringbuf_bytes =
						SESSION_DEFAULT_RINGBUF_BYTES,
					.max_depth = SCOPE_MAX_DEPTH,
				} };
	int err;

	if (site_mode__from_env(&a.opts.site_mode))
		return -EINVAL;
	argp_err_exit_status = EXIT_USAGE;
	err = argp_parse(&argp, argc, argv, argp_flags | ARGP_IN_ORDER, NULL,
			 &a);
	if (err) {
		func_patterns__free(&a.funcs);
		return err == ECANCELED ? -ECANCELED : -EINVAL;
	}
	*out = a;
	out->opts.funcs = out->funcs.n ? &out->funcs : NULL;
	return 0;
}

void agent_args__free(struct agent_args *a)
{
	func_patterns__free(&a->funcs);
	a->opts.funcs = NULL;
}
