/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The run's metadata, as the agent learns it, and its losses told. */
#ifndef SCOPE_META_H
#define SCOPE_META_H

#include <stdint.h>
#include <sys/types.h>

#include "agent/session.h"
#include "profile/profile.h"

/* CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(), in ns. */
uint64_t meta__now_ns(void);
/* What is known when the probes go live; the strings are allocated (freed
 * by profile_meta__free). 0 or -ENOMEM. */
int meta__start(struct profile_meta *m, const struct session_opts *opts,
		pid_t pid);
/* Every loss, one line each on stderr: the same numbers go in the file. */
void meta__report_losses(const struct profile_meta *m);

#endif /* SCOPE_META_H */
