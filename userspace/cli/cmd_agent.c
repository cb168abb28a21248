// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* `scope-bpf run` and `scope-bpf attach`: parse, then hand over to a session. */
#include <unistd.h>

#include "agent/session.h"
#include "cli/agent_args.h"
#include "cli/commands.h"
#include "common/log.h"

static int agent_main(enum agent_mode mode, int argc, char **argv)
{
	struct agent_args args;
	int level;

	argv[0] = mode == AGENT_RUN ? "scope-bpf run" : "scope-bpf attach";
	if (agent_args__parse(mode, argc, argv, 0, &args))
		return EXIT_USAGE;
	level = LOG_INFO + args.verbosity;
	log__set_level(level < LOG_WARN ? LOG_WARN :
		       level > LOG_DEBUG ? LOG_DEBUG : level);
	if (geteuid() != 0)
		pr_warn("not root: loading BPF programs will likely fail (use sudo)\n");
	return session__run(&args, argc, argv);
}

int cmd_run(int argc, char **argv)
{
	return agent_main(AGENT_RUN, argc, argv);
}

int cmd_attach(int argc, char **argv)
{
	return agent_main(AGENT_ATTACH, argc, argv);
}
