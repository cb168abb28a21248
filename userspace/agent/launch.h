/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Starts the command of `run` held at a gate, so probes are attached before
 * it executes its first instruction. */
#ifndef SCOPE_LAUNCH_H
#define SCOPE_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

struct launch {
	pid_t pid;
	int gate; /* write end: one byte lets the child exec, EOF kills it */
};

/* Forks a child that waits at the gate, then execv(@path, @argv), as the
 * user behind sudo when @drop_privs (the probes need root, the command not). */
int launch__start(struct launch *l, const char *path, char *const argv[],
		  bool drop_privs);
/* Lets the child exec. 0 or -errno. */
int launch__release(struct launch *l);
/* Closes the gate without releasing: the child exits unexecuted; reaped. */
void launch__abort(struct launch *l);
/* Waits for the child; returns its exit status as a shell reports it
 * (128 + signal when killed), or -errno. */
int launch__wait(struct launch *l);

#endif /* SCOPE_LAUNCH_H */
