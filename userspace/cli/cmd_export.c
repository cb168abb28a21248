// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf export FILE --format F`: a profile in the formats other tools
 * open (docs/export.md). The file is read as report reads it, in a child
 * bounded in memory (cli/guard.c); the output goes to stdout, or through
 * a temporary file renamed over OUT, so a failed export leaves no half. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/help.h"
#include "common/log.h"
#include "export/export.h"
#include "hdf5/profile_file.h"

enum export_format {
	EXPORT_NONE,
	EXPORT_FOLDED,
	EXPORT_SVG,
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_PERFETTO,
};

struct export_args {
	const char *file;
	const char *out; /* NULL or "-": stdout */
	enum export_format format;
	struct export_opts opts;
	bool weight_set;
	int verbose;
};

enum {
	OPT_FORMAT = 'f',
	OPT_OUTPUT = 'o',
	OPT_THREADS = 't',
	OPT_VERBOSE = 'v',
	OPT_RAW = 0x100,
	OPT_WEIGHT,
};

static const char export_doc[] =
	"Export the profile FILE written by `scope-bpf run` or `attach` for "
	"the tools people already open.\v"
	"Formats (--format, required):\n"
	"  folded  Brendan Gregg's folded stacks, one line per call path, "
	"\"main_region;outer;inner 1234\", weighted by exclusive time in ns "
	"(--weight calls: calls; total: inclusive time; EVENT: a counter's "
	"exclusive count, e.g. --weight page-faults), merged over threads "
	"(--threads: each stack under \"comm-tid;\"): flamegraph.pl, "
	"inferno-flamegraph, speedscope.app. '%', ';', spaces and control "
	"characters in names are written %XX.\n"
	"  svg     a flame graph of the call tree merged over threads, "
	"self-contained (no script, no network): a frame's width is its "
	"inclusive time (--weight EVENT: its inclusive count of a counter), "
	"its tooltip the times, calls and % of the whole.\n"
	"  csv     every table of the file (regions, threads, stats, paths, "
	"tree, counters, meta, and columns: each column's unit): with -o DIR "
	"one DIR/TABLE.csv each, else one stream, each table after a "
	"\"# table: NAME\" line.\n"
	"  json    the same tables as one JSON document.\n"
	"  perfetto  a trace (`run --trace`) as Chrome's JSON trace events, "
	"one per interval, each thread a track: ui.perfetto.dev, "
	"chrome://tracing. Streamed in bounded memory; the viewers open "
	"JSON up to a few hundred MB.\n\n"
	"Times are compensated (the probes' calibrated cost taken out; --raw: "
	"as measured) in folded and svg; csv and json carry both.\n"
	"-o OUT: a file (an existing regular file is replaced, anything else "
	"refused), or - for stdout (the default).\n\n"
	"Examples:\n"
	"  scope-bpf export run.h5 -f folded | flamegraph.pl > run.svg\n"
	"  scope-bpf export run.h5 -f folded --threads -o run.folded\n"
	"  scope-bpf export run.h5 -f folded --weight page-faults\n"
	"  scope-bpf export run.h5 -f svg -o run.svg\n"
	"  scope-bpf export run.h5 -f csv -o run-tables/\n"
	"  scope-bpf export run.h5 -f json | jq '.tables.tree.rows[0]'\n"
	"  scope-bpf export trace.h5 -f perfetto -o trace.json\n";

static const struct argp_option export_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "folded, svg, csv, json or perfetto (a trace)", 0 },
	{ "output", OPT_OUTPUT, "OUT", 0,
	  "write to OUT (csv: a directory), - for stdout (the default)", 0 },
	{ "raw", OPT_RAW, NULL, 0,
	  "folded, svg: times as measured, the probes' cost included "
	  "(default: compensated)",
	  0 },
	{ "threads", OPT_THREADS, NULL, 0,
	  "folded: one stack per thread, under \"comm-tid;\"", 0 },
	{ "weight", OPT_WEIGHT, "WHAT", 0,
	  "folded: self (exclusive ns, the default), calls, total "
	  "(inclusive ns), or a counter of the file (--counters) by name: "
	  "its exclusive count; svg: a counter's name, frames as wide as "
	  "their inclusive count",
	  0 },
	{ "verbose", OPT_VERBOSE, NULL, 0,
	  "more messages on stderr (-vv: debug)", 0 },
	{ 0 },
};

static error_t export_cmd__parse_format(struct argp_state *state,
					const char *arg,
					struct export_args *args)
{
	static const struct {
		const char *name;
		enum export_format format;
	} names[] = { { "folded", EXPORT_FOLDED },
		      { "svg", EXPORT_SVG },
		      { "csv", EXPORT_CSV },
		      { "json", EXPORT_JSON },
		      { "perfetto", EXPORT_PERFETTO } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(arg, names[i].name)) {
			args->format = names[i].format;
			return 0;
		}
	}
	if (!strcmp(arg, "otf2"))
		argp_error(state,
			   "--format otf2 is not there yet: a trace exports "
			   "as perfetto");
	else
		argp_error(state,
			   "unknown format '%s' (folded, svg, csv, json, "
			   "perfetto)",
			   arg);
	return EINVAL;
}

static error_t export_cmd__parse_weight(struct argp_state *state,
					const char *arg,
					struct export_args *args)
{
	args->weight_set = true;
	if (!strcmp(arg, "self"))
		args->opts.weight = EXPORT_WEIGHT_SELF;
	else if (!strcmp(arg, "calls"))
		args->opts.weight = EXPORT_WEIGHT_CALLS;
	else if (!strcmp(arg, "total"))
		args->opts.weight = EXPORT_WEIGHT_TOTAL;
	else if (*arg) {
		/* a counter: whether the file has it is known once read */
		args->opts.weight = EXPORT_WEIGHT_COUNTER;
		args->opts.weight_event = arg;
	} else {
		argp_error(state, "--weight: expected self, calls, total or a "
				  "counter's name");
		return EINVAL;
	}
	return 0;
}

/* Options that do not go together, said before any file is read. */
static error_t export_cmd__check(struct argp_state *state,
				 const struct export_args *args)
{
	const char *bad = NULL;

	if (!args->file)
		bad = "no FILE given";
	else if (args->format == EXPORT_NONE)
		bad = "no --format given (folded, svg, csv, json or "
		      "perfetto)";
	else if (args->opts.threads && args->format != EXPORT_FOLDED)
		bad = "--threads goes with --format folded";
	else if (args->weight_set && args->format != EXPORT_FOLDED &&
		 (args->format != EXPORT_SVG ||
		  args->opts.weight == EXPORT_WEIGHT_CALLS ||
		  args->opts.weight == EXPORT_WEIGHT_TOTAL))
		bad = "--weight goes with --format folded, and with svg as a "
		      "counter's name (a frame's width: its inclusive count)";
	else if (args->opts.raw &&
		 (args->format != EXPORT_FOLDED && args->format != EXPORT_SVG))
		bad = "--raw goes with folded and svg: csv and json carry "
		      "both the measured and the compensated times, a "
		      "trace the measured ones";
	if (!bad)
		return 0;
	argp_error(state, "%s", bad);
	return EINVAL;
}

static error_t export_cmd__parse_opt(int key, char *arg,
				     struct argp_state *state)
{
	struct export_args *args = state->input;

	switch (key) {
	case OPT_FORMAT:
		return export_cmd__parse_format(state, arg, args);
	case OPT_OUTPUT:
		args->out = arg;
		return 0;
	case OPT_RAW:
		args->opts.raw = true;
		return 0;
	case OPT_THREADS:
		args->opts.threads = true;
		return 0;
	case OPT_WEIGHT:
		return export_cmd__parse_weight(state, arg, args);
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
	case ARGP_KEY_END:
		return export_cmd__check(state, args);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

/* The export of a profile read, with what the formats cannot do said. */
static int export_cmd__write(const struct export_args *args,
			     const struct profile *p, FILE *out)
{
	const char *dir =
		args->out && strcmp(args->out, "-") ? args->out : NULL;

	switch (args->format) {
	case EXPORT_FOLDED:
		return export__folded(p, out, &args->opts);
	case EXPORT_SVG:
		return export__svg(p, out, &args->opts);
	case EXPORT_CSV:
		return export__csv(p, dir, out, &args->opts);
	case EXPORT_PERFETTO:
		return export__perfetto(p, args->file, out);
	default:
		return export__json(p, out, &args->opts);
	}
}

/* --weight EVENT: the counter's column in @p, into @o; 0, or EXIT_FAIL
 * with what the file has instead said. */
static int export_cmd__weight(const struct export_args *args,
			      const struct profile *p, struct export_opts *o)
{
	int i = export__weight_counter(p, o->weight_event);
	char *names;

	if (i >= 0) {
		o->weight_counter = i;
		return 0;
	}
	if (i == -ENODATA) {
		pr_err("%s: counts %s per region only (written by an agent "
		       "from before counters per call path): --weight %s "
		       "needs them per call path\n",
		       args->file, o->weight_event, o->weight_event);
		return EXIT_FAIL;
	}
	names = export__counter_names(p);
	if (names && *names)
		pr_err("%s: no counter '%s' in this profile; it has: %s\n",
		       args->file, o->weight_event, names);
	else
		pr_err("%s: no counter '%s' in this profile, which has no "
		       "counters (`scope-bpf run --counters %s` counts it)\n",
		       args->file, o->weight_event, o->weight_event);
	free(names);
	return EXIT_FAIL;
}

/* In guard__run's child: reads the file, renders the export. */
static int export_cmd__render(void *ctx, FILE *out)
{
	struct export_args *args = ctx;
	struct profile p;
	int err;

	/* profile_file__read says what is wrong with the file, in one line */
	if (profile_file__read(&p, args->file))
		return EXIT_FAIL;
	if (args->opts.weight == EXPORT_WEIGHT_COUNTER &&
	    export_cmd__weight(args, &p, &args->opts)) {
		profile__free(&p);
		return EXIT_FAIL;
	}
	err = export_cmd__write(args, &p, out);
	profile__free(&p);
	if (err == -ENODATA && args->format == EXPORT_PERFETTO) {
		pr_err("%s: a profile without a trace: --format perfetto "
		       "needs every interval, which `scope-bpf run --trace` "
		       "records\n",
		       args->file);
		return EXIT_FAIL;
	}
	if (err == -ENODATA) {
		pr_err("%s: no call paths in this profile (written by an agent "
		       "from before them, or no region ended)\n",
		       args->file);
		return EXIT_FAIL;
	}
	if (err) {
		/* a file's own error was said where it happened */
		if (err != -EIO || args->format != EXPORT_CSV)
			pr_err("cannot write the export: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Whether OUT may be written: not the profile itself, and, if it is
 * there, a regular file (a directory for csv). 0 or EXIT_FAIL, said. */
static int export_cmd__check_out(const struct export_args *args)
{
	bool dir = args->format == EXPORT_CSV;
	struct stat in, st;

	if (lstat(args->out, &st))
		return 0;
	if (!stat(args->file, &in) && in.st_dev == st.st_dev &&
	    in.st_ino == st.st_ino) {
		pr_err("%s: is the profile being exported\n", args->out);
		return EXIT_FAIL;
	}
	if (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))
		return 0;
	pr_err("%s: exists and is no %s: not replaced\n", args->out,
	       dir ? "directory" : "regular file");
	return EXIT_FAIL;
}

/* The export into a temporary file beside OUT, renamed over it once the
 * child has written it all. */
static int export_cmd__to_file(struct export_args *args)
{
	const char *files[] = { args->file };
	char *tmp = NULL;
	int fd, rc;

	if (asprintf(&tmp, "%s.tmp.%d", args->out, (int)getpid()) < 0)
		return EXIT_FAIL;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		pr_err("%s: cannot create: %s\n", tmp, strerror(errno));
		free(tmp);
		return EXIT_FAIL;
	}
	rc = guard__run(files, 1, export_cmd__render, args, fd);
	if (close(fd) && rc == EXIT_OK) {
		pr_err("%s: cannot write: %s\n", tmp, strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && rename(tmp, args->out)) {
		pr_err("%s: cannot rename into place: %s\n", args->out,
		       strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc != EXIT_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int export_cmd__run(struct export_args *args)
{
	const char *files[] = { args->file };
	int rc;

	if (!args->out || !strcmp(args->out, "-")) {
		args->out = NULL;
		return guard__run(files, 1, export_cmd__render, args,
				  STDOUT_FILENO);
	}
	rc = export_cmd__check_out(args);
	if (rc)
		return rc;
	/* csv's child writes the directory's files itself */
	if (args->format == EXPORT_CSV)
		return guard__run(files, 1, export_cmd__render, args,
				  STDOUT_FILENO);
	return export_cmd__to_file(args);
}

int cmd_export(int argc, char **argv)
{
	static const struct argp argp = {
		.options = export_options,
		.parser = export_cmd__parse_opt,
		.args_doc = "FILE",
		.doc = export_doc,
		.children = cli__help_children,
	};
	struct export_args args = { 0 };

	argv[0] = (char *)"scope-bpf export";
	argp_err_exit_status = EXIT_USAGE;
	if (argp_parse(&argp, argc, argv, 0, NULL, &args))
		return EXIT_USAGE;
	log__set_verbosity(LOG_LEVEL_WARN, args.verbose);
	return export_cmd__run(&args);
}
