/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One profiling session of the agent: discover, attach, consume until the
 * target exits or the user stops it, write the profile. */
#ifndef SCOPE_SESSION_H
#define SCOPE_SESSION_H

#include "cli/agent_args.h"

/* Runs the session described by @args (the agent's own @argc/@argv go into
 * the file's metadata). Returns the command's exit status: for `run` the
 * target's own, else EXIT_OK or EXIT_FAIL. */
int session__run(const struct agent_args *args, int argc, char **argv);

#endif /* SCOPE_SESSION_H */
