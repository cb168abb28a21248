// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Quantiles by sorting: the samples are a few thousand at most. */
#include <stdlib.h>

#include "aggregate/quantiles.h"

static int u64__cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The value of rank ceil(@pct/100 * n) (1-based), the nearest-rank
 * definition: no interpolation between two samples. */
static uint64_t rank(const uint64_t *v, size_t n, unsigned int pct)
{
	size_t r = (n * pct + 99) / 100;

	return v[r ? r - 1 : 0];
}

void quantiles__of(uint64_t *v, size_t n, struct quantiles *out)
{
	*out = (struct quantiles){ 0 };
	if (!n)
		return;
	qsort(v, n, sizeof(*v), u64__cmp);
	out->p10 = rank(v, n, 10);
	out->median = rank(v, n, 50);
	out->p90 = rank(v, n, 90);
	out->spread = out->p90 - out->p10;
}
