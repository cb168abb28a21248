// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* scope-bpf: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

const char *argp_program_version = "scope-bpf " SCOPE_BPF_TOOL_VERSION;

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "start a command and profile its regions (root)" },
	{ "attach", cmd_attach, "profile a running process (root)" },
	{ "list", cmd_list, "list the regions marked in a binary" },
	{ "report", cmd_report, "summarise a profile file" },
	{ "export", cmd_export,
	  "a profile as folded stacks, an SVG flame graph, CSV or JSON" },
	{ "calibrate", cmd_calibrate,
	  "measure what the probes cost on this host (root)" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: scope-bpf COMMAND [OPTION...]\n"
		   "Profile marked code regions with eBPF uprobes.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f,
		"\nExamples:\n"
		"  sudo scope-bpf run -o run.h5 -- ./solver in.dat\n"
		"  sudo scope-bpf attach --pid 4242 --duration 10 -o run.h5\n"
		"  scope-bpf list ./solver\n"
		"  scope-bpf report run.h5 --threads\n"
		"  scope-bpf export run.h5 --format svg -o run.svg\n\n"
		"'scope-bpf COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("scope-bpf %s\n", SCOPE_BPF_TOOL_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "scope-bpf: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
