/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The agent's wait for the end of a profile: the target's exit, the end of
 * --duration or a stop signal, draining the ring buffer meanwhile. */
#ifndef SCOPE_WAITER_H
#define SCOPE_WAITER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct waiter;

/* run: how long the command may outlive the first stop signal before the
 * agent kills it (docs/signals.md). */
#define WAITER_GRACE_S 10

struct waiter_opts {
	pid_t pid;	  /* the target */
	double duration;  /* seconds; 0 = no limit */
	bool owns_target; /* run: the first signal is the command's */
	int ready_fd;	  /* readable when records wait (consumer epoll fd) */
	int (*drain)(void *ctx); /* 0 or -errno; called after every wakeup */
	/* run: when signal @sig last reached the target from another process
	 * than the agent (CLOCK_MONOTONIC ns, 0 = never); NULL when unknown,
	 * and then the agent forwards every signal but a terminal's */
	uint64_t (*signal_ns)(void *ctx, int sig);
	void *ctx;
};

/* Blocks SIGINT, SIGTERM and SIGHUP (they are read, not delivered). NULL
 * with errno set: ESRCH when the target is already gone. */
struct waiter *waiter__new(const struct waiter_opts *opts);
void waiter__free(struct waiter *w);
/* Until the profile ends; 0 or the first error of drain or the wait. */
int waiter__run(struct waiter *w);
bool waiter__target_exited(const struct waiter *w);

#endif /* SCOPE_WAITER_H */
