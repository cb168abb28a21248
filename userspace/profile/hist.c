// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Histogram quantiles: which bucket, then where in it. Only the bucket of
 * each duration is known, so the durations are taken to be spread evenly
 * over the part of the bucket that the region's min and max allow. */
#include <math.h>

#include "profile/hist.h"

uint64_t profile_hist__count(const uint64_t *hist)
{
	uint64_t n = 0;

	for (int i = 0; i < PROFILE_HIST_BUCKETS; i++)
		n += hist[i];
	return n;
}

/* Bucket @i's range: [2^i, 2^(i+1) - 1], bucket 0 also holding 0. */
static void bucket__range(int i, uint64_t *lo, uint64_t *hi)
{
	*lo = i ? 1ull << i : 0;
	*hi = i < 63 ? (1ull << (i + 1)) - 1 : UINT64_MAX;
}

static uint64_t interpolate(uint64_t lo, uint64_t hi, double frac)
{
	return lo + (uint64_t)llround(frac * (double)(hi - lo));
}

uint64_t profile_hist__quantile(const uint64_t *hist, uint64_t min_ns,
				uint64_t max_ns, double q)
{
	uint64_t n = profile_hist__count(hist), below = 0, rank, lo, hi;
	int i;

	if (!n)
		return 0;
	rank = (uint64_t)ceil(q * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank >= n && max_ns)
		return max_ns;
	for (i = 0; i < PROFILE_HIST_BUCKETS - 1; i++) {
		if (below + hist[i] >= rank)
			break;
		below += hist[i];
	}
	bucket__range(i, &lo, &hi);
	/* min and max from another source than the buckets (a damaged
	 * file) are ignored rather than trusted past them */
	if (min_ns > lo && min_ns <= hi)
		lo = min_ns;
	if (max_ns < hi && max_ns >= lo)
		hi = max_ns;
	if (!hist[i])
		return lo;
	/* the rank's count at the middle of its share of the range */
	return interpolate(lo, hi,
			   ((double)(rank - below) - 0.5) / (double)hist[i]);
}
