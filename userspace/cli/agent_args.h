/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line arguments of the agent commands, `run` and `attach`. */
#ifndef SCOPE_AGENT_ARGS_H
#define SCOPE_AGENT_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum agent_mode {
	AGENT_RUN,
	AGENT_ATTACH,
};

struct agent_args {
	enum agent_mode mode;
	const char *output;   /* -o, default "scope-bpf.h5" */
	pid_t pid;	      /* attach --pid */
	double duration;      /* attach --duration seconds; 0 = no limit */
	size_t ringbuf_bytes; /* --ringbuf-size MiB, power of two */
	uint32_t max_depth;   /* --max-depth */
	int verbosity;	      /* -v: +1, -q: -1 */
	int as_root;	      /* run: keep root for the command under sudo */
	char **command;	      /* run: the command and its arguments */
};

/* Parses argv (argv[0] names the command) into @out. @argp_flags is 0 for the
 * CLI (argp prints and exits on errors and --help); tests pass ARGP_NO_EXIT |
 * ARGP_NO_ERRS to get -EINVAL instead. */
int agent_args__parse(enum agent_mode mode, int argc, char **argv,
		      unsigned int argp_flags, struct agent_args *out);

#endif /* SCOPE_AGENT_ARGS_H */
