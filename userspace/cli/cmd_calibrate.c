// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf calibrate`: the start-up pass of every profile, run alone:
 * which probe site auto takes on this host and what a probe pair costs
 * there, the numbers every profile stores in /meta, printed once. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "agent/calibrate.h"
#include "agent/meta.h"
#include "agent/probes.h"
#include "cli/commands.h"
#include "cli/help.h"
#include "common/log.h"

static const char calibrate_doc[] =
	"Measure what the probes add to a region on this host, with the BPF "
	"program `run` and `attach` load, print it and exit. Every profile "
	"stores the same numbers (calib_* in /meta) and the report subtracts "
	"them (docs/compensation.md).\v"
	"Rows: in-region, the probes' share of a region's own duration; pair, "
	"the whole cost of a child region's BEGIN and END as its parent sees "
	"it; each with its spread (p90 - p10); outside, the pair timed with "
	"clock_gettime around calls, probed minus unprobed (a cross-check); "
	"time, how long the pass took (both sites timed, the cheaper one "
	"calibrated), then the BPF program's load, which a profile needs "
	"anyway; method, with the site taken and what each site's pair "
	"cost.\n\n"
	"Example:\n"
	"  sudo scope-bpf calibrate\n";

static const struct argp_option calibrate_options[] = {
	{ "verbose", 'v', NULL, 0, "more messages on stderr (-vv: debug)", 0 },
	{ 0 },
};

static error_t calibrate__parse_opt(int key, char *arg,
				    struct argp_state *state)
{
	int *verbose = state->input;

	(void)arg;
	switch (key) {
	case 'v':
		(*verbose)++;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void calibrate__print(const struct calib *c, uint64_t load_ns)
{
	struct utsname u;

	if (uname(&u))
		memset(&u, 0, sizeof(u));
	printf("host        %s (kernel %s)\n", u.nodename, u.release);
	printf("in-region   %" PRIu64 " ns (spread %" PRIu64 " ns)\n",
	       c->inregion_ns, c->inregion_spread_ns);
	printf("pair        %" PRIu64 " ns (spread %" PRIu64 " ns)\n",
	       c->pair_ns, c->pair_spread_ns);
	printf("outside     %" PRIu64 " ns\n", c->outside_pair_ns);
	printf("time        %.1f ms (and %.1f ms to load the BPF program)\n",
	       (double)c->elapsed_ns / 1e6, (double)load_ns / 1e6);
	printf("method      %s\n", c->method);
}

/* The BPF object as `run` loads it, for the agent alone, then the pass
 * --site-mode=auto makes. */
static int calibrate__load_and_run(struct calib *c, uint64_t *load_ns)
{
	const struct probes_opts po = {
		.pid = getpid(),
		.max_depth = SCOPE_MAX_DEPTH,
		.ringbuf_bytes = 1ul << 20,
	};
	const struct calib_opts o = { .choose = true };
	uint64_t t0 = meta__now_ns();
	struct probes *p = probes__new(&po);
	int err;

	*load_ns = meta__now_ns() - t0;
	if (!p)
		return -errno;
	err = calibrate__run(p, &o, c);
	probes__free(p);
	return err;
}

int cmd_calibrate(int argc, char **argv)
{
	static const struct argp argp = {
		.options = calibrate_options,
		.parser = calibrate__parse_opt,
		.doc = calibrate_doc,
		.children = cli__help_children,
	};
	struct calib c;
	uint64_t load_ns;
	int verbose = 0, err;

	argv[0] = "scope-bpf calibrate";
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &verbose))
		return EXIT_USAGE;
	log__set_verbosity(LOG_LEVEL_INFO, verbose);
	if (geteuid() != 0)
		pr_warn("not root: loading BPF programs will likely fail (use sudo)\n");
	err = calibrate__load_and_run(&c, &load_ns);
	if (err) {
		pr_err("cannot measure the probes' cost: %s%s\n",
		       strerror(-err), err == -EPERM ? " (run as root)" : "");
		return EXIT_FAIL;
	}
	calibrate__print(&c, load_ns);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
