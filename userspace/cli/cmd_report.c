// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf report FILE`: the summary of a profile file, offline, no root. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd_report.h"
#include "cli/commands.h"
#include "cli/follow.h"
#include "cli/help.h"
#include "cli/profile_load.h"
#include "cli/format.h"
#include "cli/guard.h"
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
	"regions) time; mean, min and max per call; %thread-time: total time "
	"summed over threads in % of the profiled wall time, which exceeds "
	"100 when threads overlap (a note line above the table says over how "
	"many). With --threads, one table per thread under its name, whose "
	"%wall is that thread's share of the wall time. A warning says when "
	"records were lost.\n\n"
	"Times are compensated: the probes' cost, calibrated by the agent at "
	"start and stored in the file, is taken out (--raw: as measured); a "
	"region marked * has a mean below 3 probe pairs, dominated by probe "
	"cost (docs/compensation.md).\n\n"
	"CSV (times in ns, each unit in its column's name; total_ns to "
	"mean_ns as measured, *_comp_ns compensated, whatever --raw): one row "
	"per region summed over threads,\n"
	"  " REPORT_CSV_HEADER "\n"
	"or with --threads one row per region and thread,\n"
	"  " REPORT_CSV_THREADS_HEADER "\n"
	"and with --meta the run's metadata and loss counts first, as "
	"\"# name: value\" lines (pandas: read_csv(f, comment='#')).\n\n"
	"Counters (run --counters or --group): the table gets one column "
	"per counter, its inclusive count summed over calls and threads "
	"(per thread with --threads), ns as durations, counts with k/M/G; "
	"the CSV two per counter, NAME (inclusive) and NAME_self "
	"(exclusive), and with --meta a \"# counter_I: ...\" line for each "
	"definition. With --group, --metrics prints per region the group's "
	"events and metrics per thread as likwid-perfctr -m does (with "
	"several threads, their Sum, Min, Max and Avg); time is the "
	"region's inclusive time in that thread.\n\n"
	"Selection (every view; --compare takes --region, --thread and "
	"--top): --region GLOB keeps the "
	"regions whose name matches a glob (fnmatch, repeatable), --thread "
	"TID|NAME the threads of that tid or whose name matches (repeatable; "
	"rows of the other threads are left out of the sums); --sort COLUMN "
	"orders the rows by total (the default), self, calls, mean, min, max, "
	"p50, p90, p99 or a counter's name (NAME or NAME_self), largest "
	"first, or by name; --top N keeps the first N rows of each table.\n\n"
	"--percentiles adds p50, p90 and p99 of each region's durations, "
	"estimated from its log2 histogram: the value is interpolated inside "
	"the bucket (a factor of 2 wide) that holds the rank, over the part "
	"of it between the region's min and max (docs/report.md).\n\n"
	"--format json writes any view but --metrics as one JSON document, "
	"the CSV's column names as keys (docs/report.md).\n\n"
	"--compare OLD NEW: per region (by name) the calls, total and mean "
	"time of both profiles, the change in total, the speedup (old mean "
	"/ new mean) and a note: slower, faster, within_noise (the means "
	"differ by no more than sqrt(s_old^2/n_old + s_new^2/n_new), s = p90 "
	"- p10 of the histogram, n the calls), appeared or vanished; by "
	"absolute change in total time.\n\n"
	"Examples:\n"
	"  scope-bpf report run.h5\n"
	"  scope-bpf report --percentiles --sort p99 --top 10 run.h5\n"
	"  scope-bpf report --region 'solve*' --thread worker -f json run.h5\n"
	"  scope-bpf report --compare before.h5 after.h5\n"
	"  scope-bpf report --threads run.h5\n"
	"  scope-bpf report -f csv run.h5 > run.csv\n"
	"  scope-bpf report -f csv --threads --meta run.h5 > threads.csv\n"
	"  scope-bpf report --metrics branch.h5\n"
	"  scope-bpf report --tree --depth 3 --min-percent 1 run.h5\n";

enum {
	OPT_META = 0x100,
	OPT_RAW,
	OPT_METRICS,
	OPT_PERCENTILES,
	OPT_SORT,
	OPT_TOP,
	OPT_REGION,
	OPT_THREAD,
	OPT_COMPARE,
	OPT_TREE,
	OPT_FOLLOW,
	OPT_DEPTH,
	OPT_MIN_PERCENT,
};

static const struct argp_option report_options[] = {
	{ "threads", OPT_THREADS, NULL, 0, "one table, or CSV row, per thread",
	  0 },
	{ "format", OPT_FORMAT, "FORMAT", 0, "table (the default), csv or json",
	  0 },
	{ "percentiles", OPT_PERCENTILES, NULL, 0,
	  "p50, p90 and p99 of each region's durations (from its histogram)",
	  0 },
	{ "sort", OPT_SORT, "COLUMN", 0,
	  "order rows by " REPORT_SORT_NAMES " or a counter (default: total)",
	  0 },
	{ "top", OPT_TOP, "N", 0, "the first N rows of each table only", 0 },
	{ "region", OPT_REGION, "GLOB", 0,
	  "only regions whose name matches GLOB (repeatable)", 0 },
	{ "thread", OPT_THREAD, "TID|NAME", 0,
	  "only the thread of this tid, or whose name matches (repeatable)",
	  0 },
	{ "compare", OPT_COMPARE, NULL, 0,
	  "two FILEs, OLD and NEW: per region, what changed", 0 },
	{ "meta", OPT_META, NULL, 0,
	  "CSV: the run's metadata and counter definitions as '# name: "
	  "value' lines first; table: the counters' definitions in full",
	  0 },
	{ "metrics", OPT_METRICS, NULL, 0,
	  "a profile of run --group: per region, the LIKWID group's events "
	  "and metrics per thread, as likwid-perfctr -m prints them",
	  0 },
	{ "follow", OPT_FOLLOW, NULL, 0,
	  "a trace still written (run --trace): its intervals and the "
	  "regions with the most time so far, again every second, until "
	  "the agent finishes the file or Ctrl-C",
	  0 },
	{ "tree", OPT_TREE, NULL, 0,
	  "the call tree: inclusive and exclusive time, calls and % of the "
	  "enclosing region, merged over threads (per thread with "
	  "--threads)",
	  0 },
	{ "depth", OPT_DEPTH, "N", 0, "--tree: N levels (default: all)", 0 },
	{ "min-percent", OPT_MIN_PERCENT, "P", 0,
	  "--tree: leave out regions under P% of the whole tree's time", 0 },
	{ "raw", OPT_RAW, NULL, 0,
	  "times as measured, the probes' cost included (default: "
	  "compensated with the calibration in the file)",
	  0 },
	{ "verbose", OPT_VERBOSE, NULL, 0,
	  "more messages on stderr (-vv: debug)", 0 },
	{ 0 },
};

static error_t report_cmd__parse_depth(struct argp_state *state,
				       const char *arg, struct report_opts *o)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || !v || v > 1000) {
		argp_error(state,
			   "--depth %s: expected a number of levels, 1 "
			   "to 1000",
			   arg);
		return EINVAL;
	}
	o->tree_depth = v;
	return 0;
}

static error_t report_cmd__parse_percent(struct argp_state *state,
					 const char *arg, struct report_opts *o)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || *end || !*arg || !(v >= 0 && v <= 100)) {
		argp_error(state, "--min-percent %s: expected 0 to 100", arg);
		return EINVAL;
	}
	o->tree_min_percent = v;
	return 0;
}

static error_t report_cmd__parse_top(struct argp_state *state, const char *arg,
				     size_t *top)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || !v || *arg == '-') {
		argp_error(state, "--top: '%s' is no positive number", arg);
		return EINVAL;
	}
	*top = (size_t)v;
	return 0;
}

/* Options that do not go together, said before any file is read. */
static error_t report_cmd__check(struct argp_state *state,
				 const struct report_args *args)
{
	const char *bad = NULL;

	if (args->opts.metrics && args->format != FORMAT_TABLE)
		bad = "--metrics prints tables: not with --format csv or json";
	else if (args->compare && !args->file2)
		bad = "--compare needs two FILEs, OLD and NEW";
	else if (args->compare &&
		 (args->opts.threads || args->opts.metrics || args->opts.meta ||
		  args->opts.percentiles || args->opts.sort))
		bad = "--compare sums over threads, by change: not with "
		      "--threads, --metrics, --meta, --percentiles or --sort";
	if (!bad)
		return 0;
	argp_error(state, "%s", bad);
	return EINVAL;
}

static error_t report_cmd__parse_arg(struct argp_state *state,
				     struct report_args *args, char *arg)
{
	if (!args->file) {
		args->file = arg;
		return 0;
	}
	if (args->compare && !args->file2) {
		args->file2 = arg;
		return 0;
	}
	argp_error(state, "one FILE only ('%s' is extra)", arg);
	return EINVAL;
}

/* --region and --thread: kept in argv, listed in the args' arrays (as
 * long as argv: they cannot overflow). */
static error_t report_cmd__parse_sel(int key, char *arg,
				     struct report_args *args)
{
	if (key == OPT_REGION)
		args->regions[args->opts.nregions++] = arg;
	else
		args->thread_sel[args->opts.nthread_sel++] = arg;
	return 0;
}

static error_t report_cmd__parse_opt(int key, char *arg,
				     struct argp_state *state)
{
	struct report_args *args = state->input;

	switch (key) {
	case OPT_PERCENTILES:
		args->opts.percentiles = true;
		return 0;
	case OPT_SORT:
		args->opts.sort = arg;
		return 0;
	case OPT_TOP:
		return report_cmd__parse_top(state, arg, &args->opts.top);
	case OPT_REGION:
	case OPT_THREAD:
		return report_cmd__parse_sel(key, arg, args);
	case OPT_COMPARE:
		args->compare = true;
		return 0;
	case OPT_THREADS:
		args->opts.threads = true;
		return 0;
	case OPT_FORMAT:
		return cli__parse_format(state, arg, &args->format);
	case OPT_META:
		args->opts.meta = true;
		return 0;
	case OPT_RAW:
		args->opts.raw = true;
		return 0;
	case OPT_METRICS:
		args->opts.metrics = true;
		return 0;
	case OPT_FOLLOW:
		args->follow = true;
		return 0;
	case OPT_TREE:
		args->opts.tree = true;
		return 0;
	case OPT_DEPTH:
		return report_cmd__parse_depth(state, arg, &args->opts);
	case OPT_MIN_PERCENT:
		return report_cmd__parse_percent(state, arg, &args->opts);
	case ARGP_KEY_END:
		if (args->follow &&
		    (args->compare || args->opts.tree || args->opts.metrics ||
		     args->format != FORMAT_TABLE)) {
			argp_error(state,
				   "--follow prints its own summary: not "
				   "with --compare, --tree, --metrics or "
				   "--format");
			return EINVAL;
		}
		if ((args->opts.tree_depth || args->opts.tree_min_percent) &&
		    !args->opts.tree) {
			argp_error(state, "--depth and --min-percent go with "
					  "--tree");
			return EINVAL;
		}
		if (args->opts.tree && (args->opts.metrics || args->compare ||
					args->format == FORMAT_JSON)) {
			argp_error(state,
				   "--tree is a view of its own: not with "
				   "--metrics, --compare or --format json");
			return EINVAL;
		}
		return report_cmd__check(state, args);
	case OPT_VERBOSE:
		args->verbose++;
		return 0;
	case ARGP_KEY_ARG:
		return report_cmd__parse_arg(state, args, arg);
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
		.parser = report_cmd__parse_opt,
		.args_doc = "FILE\n--compare OLD NEW",
		.doc = report_doc,
		.children = cli__help_children,
	};

	*args = (struct report_args){ .format = FORMAT_TABLE };
	args->regions = calloc(argc + 1, sizeof(*args->regions));
	args->thread_sel = calloc(argc + 1, sizeof(*args->thread_sel));
	if (!args->regions || !args->thread_sel) {
		report_args__free(args);
		return -ENOMEM;
	}
	args->opts.regions = args->regions;
	args->opts.thread_sel = args->thread_sel;
	/* the arguments are checked at the end: --compare may come last */
	if (argp_parse(&argp, argc, argv, argp_flags, NULL, args))
		return -EINVAL;
	/* ARGP_NO_EXIT lets --help return here without a FILE */
	return args->file ? 0 : -EINVAL;
}

void report_args__free(struct report_args *args)
{
	free(args->regions);
	free(args->thread_sel);
	args->regions = args->thread_sel = NULL;
	args->opts.regions = args->opts.thread_sel = NULL;
	args->opts.nregions = args->opts.nthread_sel = 0;
}

/* --metrics on a profile that cannot give them: said here, where the
 * file's name is known. */
static int report_cmd__metrics(const struct report_args *args,
			       const struct profile *p, FILE *out)
{
	int err = report__metrics(p, out);

	if (err == -ENODATA)
		pr_err("%s: no LIKWID group in this profile (profile with "
		       "run --group NAME for --metrics)\n",
		       args->file);
	else if (err == -EBADMSG)
		pr_err("%s: corrupt file: its LIKWID group text does not "
		       "parse\n",
		       args->file);
	return err == -ENODATA || err == -EBADMSG ? -ECANCELED : err;
}

/* --tree on a profile without call paths: said here too. */
static int report_cmd__tree(const struct report_args *args,
			    const struct profile *p, FILE *out)
{
	int err = report__tree(p, out, &args->opts, args->format == FORMAT_CSV);

	if (err == -ENODATA) {
		pr_err("%s: no call paths in this profile (written by an agent "
		       "from before them, or no region ended)\n",
		       args->file);
		return -ECANCELED;
	}
	return err;
}

/* --sort's column, known once the file says which counters it has. */
static int report_cmd__check_sort(const struct report_args *args,
				  const struct profile *p)
{
	struct report_sort s;

	if (!report__sort_parse(args->opts.sort, p, &s))
		return 0;
	pr_err("%s: no column '%s' to sort by (%s, or a counter of the "
	       "profile: NAME, NAME_self)\n",
	       args->file, args->opts.sort, REPORT_SORT_NAMES);
	return -ECANCELED;
}

static int report_cmd__write(const struct report_args *args,
			     const struct profile *p, FILE *out)
{
	int err = report_cmd__check_sort(args, p);

	if (err)
		return err;
	if (args->opts.metrics)
		return report_cmd__metrics(args, p, out);
	if (args->opts.tree)
		return report_cmd__tree(args, p, out);
	if (args->format == FORMAT_JSON)
		return report__json(p, out, &args->opts);
	if (args->format == FORMAT_CSV)
		return report__csv(p, out, &args->opts);
	return report__table(p, out, &args->opts);
}

/* Both files of --compare; each is said wrong by the reader. */
static int report_cmd__compare(const struct report_args *args, FILE *out)
{
	struct profile old, new;
	int err;

	if (profile_load(&old, args->file))
		return -ECANCELED;
	if (profile_load(&new, args->file2)) {
		profile__free(&old);
		return -ECANCELED;
	}
	err = report__compare(&old, &new, out, &args->opts, args->format);
	profile__free(&old);
	profile__free(&new);
	return err;
}

/* Reads the file and renders its report into @out. */
static int report_cmd__run(const struct report_args *args, FILE *out)
{
	struct profile p;
	int err;

	if (args->compare) {
		err = report_cmd__compare(args, out);
		goto done;
	}
	/* profile_file__read says what is wrong with the file, in one line */
	if (profile_load(&p, args->file))
		return EXIT_FAIL;
	err = report_cmd__write(args, &p, out);
	profile__free(&p);
done:
	if (err == -ECANCELED) /* said already */
		return EXIT_FAIL;
	if (err) {
		pr_err("cannot write the report: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The report rendered in guard__run's child, the files read there. */
static int report_cmd__render(void *ctx, FILE *out)
{
	return report_cmd__run(ctx, out);
}

int cmd_report(int argc, char **argv)
{
	struct report_args args;
	const char *files[2];
	int rc;

	argv[0] = (char *)"scope-bpf report";
	argp_err_exit_status = EXIT_USAGE;
	if (report_args__parse(&args, argc, argv, 0)) {
		report_args__free(&args);
		return EXIT_USAGE;
	}
	log__set_verbosity(LOG_LEVEL_WARN, args.verbose);
	/* long-running, on a file that grows: not in the capped child */
	if (args.follow) {
		rc = follow__run(args.file, stdout);
		report_args__free(&args);
		return rc;
	}
	files[0] = args.file;
	files[1] = args.file2;
	rc = guard__run(files, 2, report_cmd__render, &args, STDOUT_FILENO);
	report_args__free(&args);
	return rc;
}
