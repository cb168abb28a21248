/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `scope-bpf list`: its options and its output, apart from main for tests. */
#ifndef SCOPE_CMD_LIST_H
#define SCOPE_CMD_LIST_H

#include <stdio.h>

#include "common/format.h"
#include "discover/funcs.h"

struct list_opts {
	enum output_format format;
	int verbose;  /* -v count */
	char **files; /* the BINARY arguments, in argv */
	int nfiles;
	int show_path; /* table: a heading per binary when there are several */
	int sites;     /* one row per probe site rather than per region */
	int strict;    /* unpaired BEGIN/END in a function: an error */
	int counters;  /* --counters: the perf events, not a binary's regions */
	int groups;    /* --groups: this host's LIKWID groups */
	/* --func: the functions these match in each BINARY or PID (and its
	 * libraries), rather than its marked regions */
	struct func_patterns funcs;
};

/* Parses `list` arguments (argv[0] is the program name for messages) with
 * @argp_flags added to argp_parse's: tests pass ARGP_NO_EXIT | ARGP_NO_ERRS.
 * 0, or -EINVAL on a usage error. */
int list_opts__parse(struct list_opts *opts, int argc, char **argv,
		     unsigned int argp_flags);
/* Prints the regions of the binary at @path to @out, and warns on stderr
 * about BEGINs and ENDs without a partner in their function. 0, or -errno
 * from sites__read_elf, -ENODATA for an ELF file without markers, or, with
 * opts->strict, -EBADMSG for unpaired markers (after printing). */
int list__binary(FILE *out, const char *path, const struct list_opts *opts);
/* --func: prints the functions that opts->funcs match in the executable
 * @arg (a path, or a PID: the running process) and its libraries, and how
 * many. 0 or -errno (said). */
int list__functions(FILE *out, const char *arg, struct list_opts *opts);
/* The message for an error from list__binary, after "PATH: ". */
const char *list__strerror(int err);

#endif /* SCOPE_CMD_LIST_H */
