/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* An open-addressing hash index over a caller's insertion-ordered array of
 * rows: memory grows with the rows, lookups stay O(1). The caller hashes
 * and compares its own keys; the index holds row numbers. */
#ifndef SCOPE_ROWINDEX_H
#define SCOPE_ROWINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rowindex {
	uint32_t *slots; /* row + 1, 0 = empty */
	size_t nslots;	 /* 0 or a power of two, kept at most half full */
};

struct rowindex_ops {
	uint64_t (*hash_row)(const void *rows, size_t row);
	bool (*row_is)(const void *rows, size_t row, const void *key);
};

/* A 64-bit mix (murmur3's finaliser), for callers' hashes. */
uint64_t rowindex__mix(uint64_t h);
/* The slot of @key (hashed to @hash) in @x: the row's, or the empty one
 * it would take. @x must have slots (rowindex__fit first). */
size_t rowindex__slot(const struct rowindex *x, uint64_t hash, const void *key,
		      const struct rowindex_ops *ops, const void *rows);
/* The row at @slot, or -1 when the slot is empty. */
static inline long rowindex__row(const struct rowindex *x, size_t slot)
{
	return (long)x->slots[slot] - 1;
}
/* Room for @nrows rows: grows and rehashes the @rows already indexed
 * (@nrows - 1 of them, or fewer). 0 or -ENOMEM (@x unchanged). */
int rowindex__fit(struct rowindex *x, size_t nrows,
		  const struct rowindex_ops *ops, const void *rows,
		  size_t indexed);
void rowindex__free(struct rowindex *x);

#endif /* SCOPE_ROWINDEX_H */
