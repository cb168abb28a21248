// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Open-addressing row index with linear probing. */
#include <errno.h>
#include <stdlib.h>

#include "common/rowindex.h"

#define ROWINDEX_MIN_SLOTS 256

uint64_t rowindex__mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

size_t rowindex__slot(const struct rowindex *x, uint64_t hash, const void *key,
		      const struct rowindex_ops *ops, const void *rows)
{
	size_t mask = x->nslots - 1, s = hash & mask;

	for (; x->slots[s]; s = (s + 1) & mask)
		if (ops->row_is(rows, x->slots[s] - 1, key))
			break;
	return s;
}

/* Each of the first @indexed rows into the fresh @slots of @x. */
static void rowindex__rehash(struct rowindex *x, const struct rowindex_ops *ops,
			     const void *rows, size_t indexed)
{
	size_t mask = x->nslots - 1;

	for (size_t r = 0; r < indexed; r++) {
		size_t s = ops->hash_row(rows, r) & mask;

		while (x->slots[s])
			s = (s + 1) & mask;
		x->slots[s] = r + 1;
	}
}

int rowindex__fit(struct rowindex *x, size_t nrows,
		  const struct rowindex_ops *ops, const void *rows,
		  size_t indexed)
{
	size_t n = x->nslots ? x->nslots : ROWINDEX_MIN_SLOTS;
	uint32_t *slots;

	if (nrows * 2 <= x->nslots)
		return 0;
	while (nrows * 2 > n)
		n *= 2;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	free(x->slots);
	x->slots = slots;
	x->nslots = n;
	rowindex__rehash(x, ops, rows, indexed);
	return 0;
}

void rowindex__free(struct rowindex *x)
{
	free(x->slots);
	x->slots = NULL;
	x->nslots = 0;
}
