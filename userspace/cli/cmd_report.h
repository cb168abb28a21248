/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `scope-bpf report`: its options, apart from main so tests can parse them. */
#ifndef SCOPE_CMD_REPORT_H
#define SCOPE_CMD_REPORT_H

#include "report/report.h"

struct report_args {
	const char *file;  /* the FILE argument, in argv */
	const char *file2; /* --compare: the NEW profile; file is the OLD */
	bool compare;
	bool follow; /* --follow: a trace as it grows (cli/follow.h) */
	enum output_format format;
	struct report_opts opts;
	int verbose; /* -v count */
	/* --region and --thread arguments (opts.regions, opts.thread_sel
	 * point here), allocated */
	const char **regions;
	const char **thread_sel;
};

/* Parses `report` arguments (argv[0] is the program name for messages) with
 * @argp_flags added to argp_parse's: tests pass ARGP_NO_EXIT | ARGP_NO_ERRS.
 * 0, or -EINVAL on a usage error. */
int report_args__parse(struct report_args *args, int argc, char **argv,
		       unsigned int argp_flags);
void report_args__free(struct report_args *args);

#endif /* SCOPE_CMD_REPORT_H */
