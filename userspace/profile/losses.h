/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Every way a region instance can be lost, in one table: the BPF counters,
 * the agent's stderr lines, the file's /meta attributes and the report's
 * warning all iterate it. A new loss counter is one row here (plus the
 * place that counts it). */
#ifndef SCOPE_LOSSES_H
#define SCOPE_LOSSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum loss {
	LOSS_DROPPED,
	LOSS_DEPTH_OVERFLOW,
	LOSS_UNMATCHED_END,
	LOSS_ABANDONED,
	LOSS_UNFINISHED,
	LOSS_OPEN_AT_DETACH,
	LOSS_NO_STORAGE,
	LOSS_UNFOLLOWED,
	LOSS_RETURNS_OMITTED,
	LOSS_NAMED_UNREADABLE,
	LOSS_NAMED_FULL,
	LOSS__COUNT,
};

/* Where a loss is counted; the agent gathers each from its source. */
enum loss_source {
	LOSS_FROM_BPF,	    /* a field of struct scope_bpf_counters */
	LOSS_FROM_CONSUMER, /* records that say so (UNFINISHED) */
	LOSS_FROM_DETACH,   /* frames still open when the probes went away */
};

struct loss_desc {
	const char *name;   /* the /meta attribute, the CSV key */
	const char *short_; /* the report's summary line */
	const char *advice; /* the agent's line at the end of a run, or NULL
			     * when the agent words it itself */
	enum loss_source source;
	size_t bpf_offset; /* in struct scope_bpf_counters (LOSS_FROM_BPF) */
	bool later;	   /* added after files were written without it */
};

extern const struct loss_desc loss__table[LOSS__COUNT];

/* The sum of every loss in @v: region instances missing from the stats. */
uint64_t loss__total(const uint64_t v[LOSS__COUNT]);
/* The losses of @bpf, a struct scope_bpf_counters, into @v. */
void loss__from_bpf(uint64_t v[LOSS__COUNT], const void *bpf);

#endif /* SCOPE_LOSSES_H */
