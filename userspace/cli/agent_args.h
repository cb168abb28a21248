/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line arguments of the agent commands, `run` and `attach`: argv to
 * the agent library's options (agent/session.h) plus what only the CLI
 * needs. */
#ifndef SCOPE_AGENT_ARGS_H
#define SCOPE_AGENT_ARGS_H

#include "agent/session.h"

struct agent_args {
	struct session_opts opts;
	int verbosity;		    /* -v: +1, -q: -1 */
	bool no_status;		    /* --no-status or -q */
	struct func_patterns funcs; /* --func, --func-file: opts.funcs */
};

/* Parses argv (argv[0] names the command) into @out; opts.command points
 * into @argv. @argp_flags is 0 for the CLI (argp prints and exits on errors
 * and --help); tests pass ARGP_NO_EXIT | ARGP_NO_ERRS to get -EINVAL
 * instead, or -ECANCELED after -h printed the help. */
int agent_args__parse(enum session_mode mode, int argc, char **argv,
		      unsigned int argp_flags, struct agent_args *out);
/* Frees what agent_args__parse allocated (the --func patterns). */
void agent_args__free(struct agent_args *a);

#endif /* SCOPE_AGENT_ARGS_H */
