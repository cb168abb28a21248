// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf export FILE --format F`: a profile in the formats other tools
 * open (docs/export.md). The file is read as report reads it, in a child
 * bounded in memory (cli/guard.c); the output goes to stdout, or through
 * a temporary file (otf2: directory) renamed over OUT, so a failed export
 * leaves no half file. */
#include <argp.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "cli/help.h"
#include "cli/profile_load.h"
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
	EXPORT_OTF2,
	EXPORT_PERFETTO_PROTO,
	EXPORT__COUNT,
};

struct export_args {
	const char *file;
	const char *out; /* NULL or "-": stdout */
	const char *dir; /* otf2: where the child writes, renamed to out */
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
	"its tooltip the times, calls and % of the whole; from a trace, a "
	"timeline below it: a lane per thread, a box per interval.\n"
	"  csv     every table of the file (regions, threads, stats, paths, "
	"tree, counters, meta, a trace file's trace: every interval, and "
	"columns: each column's unit): with -o DIR "
	"one DIR/TABLE.csv each, else one stream, each table after a "
	"\"# table: NAME\" line.\n"
	"  json    the same tables as one JSON document.\n"
	"  perfetto  a trace (`run --trace`) as Chrome's JSON trace events, "
	"one per interval, each thread a track: ui.perfetto.dev, "
	"chrome://tracing. Streamed in bounded memory; the viewers open "
	"JSON up to a few hundred MB (82 bytes an interval). A trace still "
	"written, or left by a killed agent, exports as far as it is "
	"readable.\n"
	"  perfetto-proto  the same in Perfetto's protobuf format (a stream "
	"of TracePackets, about half the size), which ui.perfetto.dev and "
	"its trace_processor read without loading one JSON document whole: "
	"for longer traces. Needs a build with libprotobuf-c-dev and "
	"protobuf-c-compiler.\n"
	"  otf2    a trace as an OTF2 archive (Score-P's format: Vampir, "
	"otf2-print) in the new directory -o DIR, opened by its "
	"DIR/traces.otf2: a location per thread, grouped by process, an "
	"enter and a leave event per interval. Needs a build with "
	"libopen-trace-format2-dev.\n\n"
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
	"  scope-bpf export trace.h5 -f perfetto -o trace.json\n"
	"  scope-bpf export trace.h5 -f perfetto-proto -o trace.pftrace\n"
	"  scope-bpf export trace.h5 -f otf2 -o trace-otf2 && "
	"otf2-print trace-otf2/traces.otf2\n";

static const struct argp_option export_options[] = {
	{ "format", OPT_FORMAT, "FORMAT", 0,
	  "folded, svg, csv, json, or of a trace perfetto, perfetto-proto or "
	  "otf2",
	  0 },
	{ "output", OPT_OUTPUT, "OUT", 0,
	  "write to OUT (csv, otf2: a directory), - for stdout (the "
	  "default; not otf2)",
	  0 },
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

static const char *const export_format_names[] = {
	[EXPORT_NONE] = "?",	[EXPORT_FOLDED] = "folded",
	[EXPORT_SVG] = "svg",	[EXPORT_CSV] = "csv",
	[EXPORT_JSON] = "json", [EXPORT_PERFETTO] = "perfetto",
	[EXPORT_OTF2] = "otf2", [EXPORT_PERFETTO_PROTO] = "perfetto-proto",
};

static const char *export_cmd__name(enum export_format f)
{
	return export_format_names[f];
}

static error_t export_cmd__parse_format(struct argp_state *state,
					const char *arg,
					struct export_args *args)
{
	for (int f = EXPORT_NONE + 1; f < EXPORT__COUNT; f++) {
		if (!strcmp(arg, export_format_names[f])) {
			args->format = f;
			return 0;
		}
	}
	argp_error(state,
		   "unknown format '%s' (folded, svg, csv, json, perfetto, "
		   "perfetto-proto, otf2)",
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
		bad = "no --format given (folded, svg, csv, json, perfetto, "
		      "perfetto-proto or otf2)";
	else if (args->format == EXPORT_OTF2 &&
		 (!args->out || !strcmp(args->out, "-")))
		bad = "--format otf2 writes a directory: give -o DIR";
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
		/* csv and json: the file's trace, if any, is a table too */
		args->opts.trace = args->file;
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
	case EXPORT_OTF2:
		return export__otf2(p, args->file, args->dir);
	case EXPORT_PERFETTO_PROTO:
		return export__perfetto_proto(p, args->file, out);
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

/* The exit status for @err, what went wrong said. */
static int export_cmd__said(const struct export_args *args, int err)
{
	if (err == -ENODATA &&
	    (args->format == EXPORT_PERFETTO || args->format == EXPORT_OTF2 ||
	     args->format == EXPORT_PERFETTO_PROTO)) {
		pr_err("%s: a profile without a trace: --format %s needs "
		       "every interval, which `scope-bpf run --trace` "
		       "records\n",
		       args->file, export_cmd__name(args->format));
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
		if (err != -EIO ||
		    (args->format != EXPORT_CSV && args->format != EXPORT_OTF2))
			pr_err("cannot write the export: %s\n", strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* In guard__run's child: reads the file, renders the export. */
static int export_cmd__render(void *ctx, FILE *out)
{
	struct export_args *args = ctx;
	struct profile p;
	int err;

	/* says what is wrong with the file, in one line; an unfinished
	 * trace comes with statistics rebuilt from its intervals */
	if (profile_load(&p, args->file))
		return EXIT_FAIL;
	if (args->opts.weight == EXPORT_WEIGHT_COUNTER &&
	    export_cmd__weight(args, &p, &args->opts)) {
		profile__free(&p);
		return EXIT_FAIL;
	}
	err = export_cmd__write(args, &p, out);
	profile__free(&p);
	return export_cmd__said(args, err);
}

/* Whether @path is a directory with nothing in it. */
static bool dir__empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = d != NULL;

	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return empty;
}

/* The render in a bounded child (cli/guard.c) into @fd. The exports whose
 * size grows with a trace (csv and json carry it as a table) are written
 * as they are rendered, so that memory stays bounded: folded and svg, of
 * the aggregates, are staged and come out whole or not at all. */
static int export_cmd__guard(struct export_args *args, int fd)
{
	const char *files[] = { args->file };

	if (args->format == EXPORT_FOLDED || args->format == EXPORT_SVG)
		return guard__run(files, 1, export_cmd__render, args, fd);
	return guard__stream(files, 1, export_cmd__render, args, fd);
}

/* Whether OUT may be written: not the profile itself, and, if it is
 * there, a regular file (a directory for csv, an empty one for otf2: an
 * archive is a tree of files, replaced by none). 0 or EXIT_FAIL, said. */
static int export_cmd__check_out(const struct export_args *args)
{
	bool dir = args->format == EXPORT_CSV || args->format == EXPORT_OTF2;
	struct stat in, st;

	if (lstat(args->out, &st))
		return 0;
	if (!stat(args->file, &in) && in.st_dev == st.st_dev &&
	    in.st_ino == st.st_ino) {
		pr_err("%s: is the profile being exported\n", args->out);
		return EXIT_FAIL;
	}
	if (args->format == EXPORT_OTF2 && S_ISDIR(st.st_mode) &&
	    !dir__empty(args->out)) {
		pr_err("%s: exists and is not empty: not replaced (remove it, "
		       "or give a new directory)\n",
		       args->out);
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
	rc = export_cmd__guard(args, fd);
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

/* What a failed export left in its temporary directory (files libotf2
 * wrote, in a directory made for them): removed. */
static int rm__entry(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (flag == FTW_DP ? rmdir(path) : unlink(path))
		pr_warn("%s: cannot remove: %s\n", path, strerror(errno));
	return 0;
}

/* The archive into a new directory beside OUT, renamed over it (absent,
 * or an empty directory) once the child has written it all. */
static int export_cmd__to_dir(struct export_args *args)
{
	char *tmp = NULL;
	int rc;

	if (asprintf(&tmp, "%s.tmp.%d", args->out, (int)getpid()) < 0)
		return EXIT_FAIL;
	if (mkdir(tmp, 0777)) {
		pr_err("%s: cannot create: %s\n", tmp, strerror(errno));
		free(tmp);
		return EXIT_FAIL;
	}
	args->dir = tmp;
	rc = export_cmd__guard(args, STDOUT_FILENO);
	if (rc == EXIT_OK && rename(tmp, args->out)) {
		pr_err("%s: cannot rename into place: %s\n", args->out,
		       strerror(errno));
		rc = EXIT_FAIL;
	}
	if (rc != EXIT_OK)
		nftw(tmp, rm__entry, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	return rc;
}

static int export_cmd__run(struct export_args *args)
{
	int rc;

	if (args->format == EXPORT_OTF2 && !export__otf2_available()) {
		pr_err("--format otf2: this scope-bpf was built without OTF2: "
		       "install Debian's %s (scripts/install-deps.sh does) "
		       "and build again\n",
		       EXPORT_OTF2_PACKAGE);
		return EXIT_FAIL;
	}
	if (args->format == EXPORT_PERFETTO_PROTO &&
	    !export__perfetto_proto_available()) {
		pr_err("--format perfetto-proto: this scope-bpf was built "
		       "without protobuf-c: install Debian's %s "
		       "(scripts/install-deps.sh does) and build again\n",
		       EXPORT_PROTOBUF_PACKAGES);
		return EXIT_FAIL;
	}
	if (!args->out || !strcmp(args->out, "-")) {
		args->out = NULL;
		return export_cmd__guard(args, STDOUT_FILENO);
	}
	rc = export_cmd__check_out(args);
	if (rc)
		return rc;
	/* csv's child writes the directory's files itself */
	if (args->format == EXPORT_CSV)
		return export_cmd__guard(args, STDOUT_FILENO);
	if (args->format == EXPORT_OTF2)
		return export_cmd__to_dir(args);
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
