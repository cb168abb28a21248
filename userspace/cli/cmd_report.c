// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf report FILE`: the summary of a profile file, offline, no root. */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd_report.h"
#include "cli/commands.h"
#include "cli/help.h"
#include "cli/format.h"
#include "common/log.h"
#include "hdf5/profile_file.h"

enum {
	OPT_THREADS = 't',
	OPT_FORMAT = 'f',
	OPT_VERBOSE = 'v',
};

static const char report_doc[] =
	"Summarise the profile FILE written by `scope-bpf run` or `attach`: "
	"one row per region, summed over threads, by total time.\v"
	"Columns: calls; total (inclusive) and self (exclusive of nested "
	"regions) time; mean, min and max per call; total as a percentage of "
	"the profiled wall time (over 100 when threads overlap). A warning "
	"says when records were lost. CSV has one row per region and thread, "
	"in nanoseconds.\n\n"
	"Examples:\n"
	"  scope-bpf report run.h5\n"
	"  scope-bpf report --threads run.h5\n"
	"  scope-bpf report -f csv run.h5 > run.csv\n";

static const struct argp_option report_options[] = {
	{ "threads", OPT_THREADS, NULL, 0, "one table per thread", 0 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "table (the default) or csv", 0 },
	{ "verbose", OPT_VERBOSE, NULL, 0,
	  "more messages on stderr (-vv: debug)", 0 },
	{ 0 },
};

static error_t report__parse_opt(int key, char *arg, struct argp_state *state)
{
	struct report_args *args = state->input;

	switch (key) {
	case OPT_THREADS:
		args->opts.threads = true;
		return 0;
	case OPT_FORMAT:
		return cli__parse_format(state, arg, &args->format);
	case OPT_VERBOSE:
		args->verbose++;
		return 0;
	case ARGP_KEY_ARG:
		if (args->file) {
			argp_error(state, "one FILE only ('%s' is extra)", arg);
			return EINVAL;
		}
		args->file = arg;
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no FILE given");
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int report_args__parse(struct report_args *args, int argc, char **argv,
		       unsigned int argp_flags)
{
	static const struct argp argp = {
		.options = report_options,
		.parser = report__parse_opt,
		.args_doc = "FILE",
		.doc = report_doc,
		.children = cli__help_children,
	};

	*args = (struct report_args){ .format = FORMAT_TABLE };
	if (argp_parse(&argp, argc, argv, argp_flags, NULL, args))
		return -EINVAL;
	/* ARGP_NO_EXIT lets --help return here without a FILE */
	return args->file ? 0 : -EINVAL;
}

static int report__write(const struct report_args *args,
			 const struct profile *p)
{
	if (args->format == FORMAT_CSV)
		return report__csv(p, stdout, &args->opts);
	return report__table(p, stdout, &args->opts);
}

static int report__run(const struct report_args *args)
{
	struct profile p;
	int err;

	/* profile_file__read says what is wrong with the file, in one line */
	if (profile_file__read(&p, args->file))
		return EXIT_FAIL;
	err = report__write(args, &p);
	profile__free(&p);
	if (err) {
		pr_err("cannot write the report: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* libhdf5 does not survive every corrupt file: a few damaged object headers
 * crash or hang it. Reading in a child turns that into one line and exit 1
 * rather than a core dump in the user's terminal. */
#define READ_TIMEOUT_S 60

/* Faults and the time limit are the library's; anything else (SIGPIPE from
 * `| head`, a kill) is the child's fate and ours too. */
static int report__child_died(const struct report_args *args, int sig)
{
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGABRT:
	case SIGILL:
	case SIGFPE:
	case SIGALRM:
		pr_err("%s: corrupt file: the HDF5 library %s reading it\n",
		       args->file, sig == SIGALRM ? "hung" : "crashed");
		return EXIT_FAIL;
	}
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;
}

static int report__run_guarded(const struct report_args *args)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return report__run(args);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };

		setrlimit(RLIMIT_CORE, &no_core);
		alarm(READ_TIMEOUT_S);
		exit(report__run(args));
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return EXIT_FAIL;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return report__child_died(args, WTERMSIG(status));
}

int cmd_report(int argc, char **argv)
{
	struct report_args args;

	argv[0] = (char *)"scope-bpf report";
	argp_err_exit_status = EXIT_USAGE;
	if (report_args__parse(&args, argc, argv, 0))
		return EXIT_USAGE;
	log__set_verbosity(LOG_LEVEL_WARN, args.verbose);
	return report__run_guarded(&args);
}
