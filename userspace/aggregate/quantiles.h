/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Median and spread of a sample: the calibration's statistics. */
#ifndef SCOPE_QUANTILES_H
#define SCOPE_QUANTILES_H

#include <stddef.h>
#include <stdint.h>

struct quantiles {
	uint64_t p10, median, p90;
	uint64_t spread; /* p90 - p10 */
};

/* Sorts the @n values at @v and summarises them: nearest-rank quantiles,
 * so every figure is one of the values. All 0 when @n is 0. */
void quantiles__of(uint64_t *v, size_t n, struct quantiles *out);

#endif /* SCOPE_QUANTILES_H */
