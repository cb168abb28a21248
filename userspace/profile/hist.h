/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Quantiles of a region's log2 duration histogram (region_stats.hist):
 * here, below both report/ and aggregate/, so that either may use them. */
#ifndef SCOPE_PROFILE_HIST_H
#define SCOPE_PROFILE_HIST_H

#include <stdint.h>

#include "profile/profile.h"

/* The durations the histogram counts (its buckets summed). */
uint64_t profile_hist__count(const uint64_t *hist);

/* The @q quantile (0 < @q <= 1) of the durations counted in @hist, whose
 * smallest and largest were @min_ns and @max_ns: the bucket that holds the
 * nearest rank ceil(q * n), and in it a value interpolated linearly by the
 * rank's place among the bucket's counts, over the bucket's range narrowed
 * to [@min_ns, @max_ns]. Exact for q = 1 (the max) and for a bucket that
 * holds one distinct value; else off by less than the bucket's width, a
 * factor of 2. 0 for an empty histogram. */
uint64_t profile_hist__quantile(const uint64_t *hist, uint64_t min_ns,
				uint64_t max_ns, double q);

#endif /* SCOPE_PROFILE_HIST_H */
