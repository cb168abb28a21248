/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The run's metadata, as the agent learns it, and its losses told. */
#ifndef SCOPE_META_H
#define SCOPE_META_H

#include <stdint.h>
#include <sys/types.h>

#include "cli/agent_args.h"
#include "hdf5/profile.h"

/* CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns(), in ns. */
uint64_t meta__now_ns(void);
/* What is known when the probes go live; strings are the agent's own or
 * allocated (freed by meta__free). */
void meta__start(struct profile_meta *m, const struct agent_args *args,
		 pid_t pid, int argc, char **argv);
void meta__free(struct profile_meta *m);
/* Every loss, one line each on stderr: the same numbers go in the file. */
void meta__report_losses(const struct profile_meta *m);

#endif /* SCOPE_META_H */
