/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The trace writer's chunks, made by hand (hdf5/ only): rows packed into
 * the file's little-endian layout, shuffled and deflated as the datasets'
 * shuffle + deflate pipeline would, and handed to H5Dwrite_chunk. One
 * codec per writing thread. */
#ifndef SCOPE_TRACE_CHUNK_H
#define SCOPE_TRACE_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include <hdf5.h>

#include "profile/trace.h"

struct trace_codec {
	z_stream z;
	bool ready;
	uint8_t *plain;	 /* a chunk, shuffled */
	uint8_t *packed; /* the same, deflated */
	size_t plain_bytes, packed_cap;
	size_t rows; /* of the chunk in @packed */
};

/* Buffers for chunks of up to @chunk_bytes (uncompressed), deflate at
 * @level, with zlib's Z_RLE strategy when @rle. 0 or -ENOMEM. */
int trace_codec__init(struct trace_codec *c, int level, bool rle,
		      size_t chunk_bytes);
void trace_codec__fini(struct trace_codec *c);

/* Bytes of a row of /trace/intervals (@ncounters 0) or /trace/counters. */
size_t trace_chunk__row_bytes(size_t ncounters);
/* The @n rows at @v as a chunk of @rows rows (the rest zeros) of
 * /trace/intervals (@ncounters 0) or of /trace/counters (its width),
 * packed, shuffled and deflated into @c. No HDF5 call: any thread. */
int trace_chunk__compress(struct trace_codec *c, size_t rows, size_t ncounters,
			  const struct trace_interval *v, size_t n);
/* What @c last compressed, as chunk @index of @ds; its size in @bytes.
 * 0 or -EIO. */
int trace_chunk__store(struct trace_codec *c, hid_t ds, uint64_t index,
		       size_t *bytes);

#endif /* SCOPE_TRACE_CHUNK_H */
