// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf run` and `scope-bpf attach`: argv to a session's options, and
 * the session's result to an exit status. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "agent/session.h"
#include "cli/agent_args.h"
#include "cli/commands.h"
#include "common/log.h"
#include "common/strv.h"

/* run: the command's status is the contract, but a lost profile must show
 * when the command succeeded. attach: whether the profile was written. */
static int exit_status(enum session_mode mode, int err,
		       const struct session_result *res)
{
	if (res->bad_counters)
		return EXIT_USAGE;
	/* env(1), timeout(1), sudo: found but not executable, or not found */
	if (res->exec_error)
		return res->exec_error == -ENOENT ? EXIT_NOT_FOUND :
						    EXIT_CANNOT_EXEC;
	if (mode == SESSION_ATTACH || res->command_status < 0)
		return err ? EXIT_FAIL : EXIT_OK;
	return err && res->command_status == 0 ? EXIT_FAIL :
						 res->command_status;
}

static int agent_main(enum session_mode mode, int argc, char **argv)
{
	struct session_result res = { .command_status = -1 };
	struct agent_args args;
	char *self;
	int err;

	argv[0] = mode == SESSION_RUN ? "scope-bpf run" : "scope-bpf attach";
	err = agent_args__parse(mode, argc, argv, 0, &args);
	if (err)
		return err == -ECANCELED ? EXIT_OK : EXIT_USAGE;
	log__set_verbosity(LOG_LEVEL_INFO, args.verbosity);
	/* a line rewritten in place is noise in a file or a pipe */
	args.opts.status = !args.no_status && isatty(STDERR_FILENO);
	if (geteuid() != 0)
		pr_warn("not root: loading BPF programs will likely fail (use sudo)\n");
	/* the agent's own command line, for /meta/options */
	self = strv__join(argv, argc);
	args.opts.invocation = self;
	err = session__run(&args.opts, &res);
	free(self);
	agent_args__free(&args);
	return exit_status(mode, err, &res);
}

int cmd_run(int argc, char **argv)
{
	return agent_main(SESSION_RUN, argc, argv);
}

int cmd_attach(int argc, char **argv)
{
	return agent_main(SESSION_ATTACH, argc, argv);
}
