// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The trace's chunks by hand: HDF5 runs its filters in the thread that
 * writes, one chunk at a time, and reads a chunk back before it rewrites
 * it; here each writing thread shuffles and deflates its own chunks and
 * the datasets only store them. Every HDF5 reader decodes them: the
 * datasets declare the same shuffle + deflate pipeline. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hdf5/schema.h"
#include "hdf5/trace_chunk.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the chunks are packed as the file's little-endian bytes"
#endif

/* Z_RLE: matches at distance 1 only, which is what shuffled planes hold
 * (runs of equal high bytes): faster than level 1 and no larger on
 * traces, and still plain deflate (docs/performance.md). */
int trace_codec__init(struct trace_codec *c, int level, bool rle,
		      size_t chunk_bytes)
{
	memset(c, 0, sizeof(*c));
	c->plain_bytes = chunk_bytes;
	c->packed_cap = compressBound(chunk_bytes);
	c->plain = calloc(1, chunk_bytes);
	c->packed = malloc(c->packed_cap);
	if (!c->plain || !c->packed)
		return -ENOMEM;
	if (deflateInit2(&c->z, level, Z_DEFLATED, 15, 8,
			 rle ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	c->ready = true;
	return 0;
}

void trace_codec__fini(struct trace_codec *c)
{
	if (c->ready)
		deflateEnd(&c->z);
	free(c->plain);
	free(c->packed);
	memset(c, 0, sizeof(*c));
}

/* Byte b of element i goes to plane b: plain[b * elems + i], HDF5's
 * shuffle, fused with packing the struct's field into the file's row.
 * One field at a time keeps the stores to a few streams. */
static void shuffle__u64(uint8_t *plane, size_t elems, const uint8_t *src,
			 size_t stride, size_t n)
{
	for (size_t i = 0; i < n; i++, src += stride) {
		uint64_t v;

		memcpy(&v, src, sizeof(v));
		for (size_t b = 0; b < 8; b++)
			plane[b * elems + i] = v >> (8 * b);
	}
}

static void shuffle__u32(uint8_t *plane, size_t elems, const uint8_t *src,
			 size_t stride, size_t n)
{
	for (size_t i = 0; i < n; i++, src += stride) {
		uint32_t v;

		memcpy(&v, src, sizeof(v));
		for (size_t b = 0; b < 4; b++)
			plane[b * elems + i] = v >> (8 * b);
	}
}

/* A row of /trace/intervals is one element: schema__trace's fields,
 * packed in their order. */
static void pack__intervals(struct trace_codec *c, size_t rows,
			    const struct trace_interval *v, size_t n)
{
	uint8_t *plane = c->plain;

	for (size_t f = 0; f < schema__trace.nfields; f++) {
		const struct schema_field *fd = &schema__trace.fields[f];
		const uint8_t *src = (const uint8_t *)v + fd->offset;

		if (fd->kind == SCHEMA_U64) {
			shuffle__u64(plane, rows, src, sizeof(*v), n);
			plane += 8 * rows;
		} else {
			shuffle__u32(plane, rows, src, sizeof(*v), n);
			plane += 4 * rows;
		}
	}
}

/* Element (i, j) of the [rows x ncounters] chunk is element
 * i * ncounters + j of the shuffle, whose planes are 8 bytes wide. */
static void pack__counters(struct trace_codec *c, size_t rows, size_t ncols,
			   const struct trace_interval *v, size_t n)
{
	const size_t elems = rows * ncols;

	for (size_t j = 0; j < ncols; j++) {
		const uint8_t *src = (const uint8_t *)&v[0].counters[j];

		for (size_t i = 0; i < n; i++, src += sizeof(*v)) {
			uint64_t x;
			size_t e = i * ncols + j;

			memcpy(&x, src, sizeof(x));
			for (size_t b = 0; b < 8; b++)
				c->plain[b * elems + e] = x >> (8 * b);
		}
	}
}

static int chunk__deflate(struct trace_codec *c, size_t size)
{
	if (deflateReset(&c->z) != Z_OK)
		return -EIO;
	c->z.next_in = c->plain;
	c->z.avail_in = size;
	c->z.next_out = c->packed;
	c->z.avail_out = c->packed_cap;
	c->rows = 0;
	return deflate(&c->z, Z_FINISH) == Z_STREAM_END ? 0 : -EIO;
}

size_t trace_chunk__row_bytes(size_t ncounters)
{
	size_t bytes = 0;

	if (ncounters)
		return 8 * ncounters;
	for (size_t f = 0; f < schema__trace.nfields; f++)
		bytes += schema__trace.fields[f].kind == SCHEMA_U64 ? 8 : 4;
	return bytes;
}

int trace_chunk__compress(struct trace_codec *c, size_t rows, size_t ncounters,
			  const struct trace_interval *v, size_t n)
{
	size_t size = rows * trace_chunk__row_bytes(ncounters);

	if (size > c->plain_bytes)
		return -EINVAL;
	/* past the extent: no reader sees them, and zeros cost nothing */
	if (n < rows)
		memset(c->plain, 0, size);
	if (ncounters)
		pack__counters(c, rows, ncounters, v, n);
	else
		pack__intervals(c, rows, v, n);
	if (chunk__deflate(c, size))
		return -EIO;
	c->rows = rows;
	return 0;
}

int trace_chunk__store(struct trace_codec *c, hid_t ds, uint64_t index,
		       size_t *bytes)
{
	hsize_t offset[2] = { index * c->rows, 0 };

	if (H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, c->z.total_out,
			   c->packed) < 0)
		return -EIO;
	*bytes = c->z.total_out;
	return 0;
}

_Static_assert(sizeof(((struct trace_interval *)0)->counters[0]) == 8,
	       "counters are u64");
