/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The offline report of a profile: region tables for people, CSV for tools. */
#ifndef SCOPE_REPORT_H
#define SCOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/format.h"
#include "profile/profile.h"

struct report_opts {
	bool threads; /* table: one block per thread instead of one in all */
};

/* A header (command, pid, duration, host, drop warning), then one row per
 * region summed over threads, by total time. 0, -ENOMEM or -EIO. */
int report__table(const struct profile *p, FILE *out,
		  const struct report_opts *o);
/* One row per (region, thread), by total time; header
 * region,tid,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,pid. */
int report__csv(const struct profile *p, FILE *out,
		const struct report_opts *o);
/* @ns with a unit and 3 significant digits: "812 ns", "1.23 ms", "45.6 s". */
void report__fmt_ns(char *buf, size_t len, uint64_t ns);

#endif /* SCOPE_REPORT_H */
