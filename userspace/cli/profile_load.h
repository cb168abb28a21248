/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A profile file for the offline commands, whatever state it is in: a
 * finished profile as written, or an unfinished trace (its agent still
 * runs, or was killed) with statistics rebuilt from its intervals. */
#ifndef SCOPE_CLI_PROFILE_LOAD_H
#define SCOPE_CLI_PROFILE_LOAD_H

#include "profile/profile.h"

/* profile_file__read, then for an unfinished trace the regions,
 * statistics, paths and threads from its intervals and the meta's
 * trace_intervals, records and end_ns, with one warning on stderr of
 * what it lacks. 0 or -errno, said on stderr. */
int profile_load(struct profile *p, const char *path);

#endif /* SCOPE_CLI_PROFILE_LOAD_H */
