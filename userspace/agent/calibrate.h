/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a probe pair costs on this host, measured by the agent on its own
 * marked code with the BPF program it runs (docs/compensation.md). */
#ifndef SCOPE_CALIBRATE_H
#define SCOPE_CALIBRATE_H

#include <stdint.h>

#include "profile/profile.h"

struct calib {
	/* the probes' share inside a region's own duration: the BEGIN probe
	 * after its timestamp and the END probe before its */
	uint64_t inregion_ns;
	/* the whole cost of a child's BEGIN and END as its parent sees it */
	uint64_t pair_ns;
	uint64_t inregion_spread_ns; /* p90 - p10 over the empty regions */
	uint64_t pair_spread_ns;     /* p90 - p10 over the parents */
	/* the same pair timed from outside: clock_gettime around calls
	 * with the probes attached, minus detached (a cross-check) */
	uint64_t outside_pair_ns;
	uint64_t elapsed_ns; /* the calibration's own time, load included */
	char method[160];
};

struct probes;

/* Loads a second copy of the BPF program for the agent itself, probes its
 * calibration regions, runs them and takes the numbers. 0 or -errno (said
 * on stderr by the caller: a profile goes on uncalibrated). With @keep, the
 * probes, disabled, go to *@keep on success, for the caller to free when
 * their removal (a wait for the kernel, ~100 ms) costs nobody; without it,
 * elapsed_ns excludes that removal too. */
int calibrate__run(struct calib *out, struct probes **keep);
/* The numbers into the /meta fields; -ENOMEM. */
int calibrate__to_meta(const struct calib *c, struct profile_meta *m);

#endif /* SCOPE_CALIBRATE_H */
