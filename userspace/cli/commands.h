/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The subcommands of scope-bpf; each parses its own arguments with argp. */
#ifndef SCOPE_COMMANDS_H
#define SCOPE_COMMANDS_H

/* Exit codes shared by every subcommand (run returns the target's own). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,	/* the command could not do its job */
	EXIT_USAGE = 2, /* bad arguments */
	/* run: the command, as env(1) and timeout(1) say it */
	EXIT_CANNOT_EXEC = 126, /* found, not executable */
	EXIT_NOT_FOUND = 127,

};

/* argv[0] is the subcommand name; return an exit status. */
int cmd_run(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

#endif /* SCOPE_COMMANDS_H */
