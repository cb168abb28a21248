// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The table of losses: names, words and where each is counted. */
#include <string.h>

#include "profile/losses.h"
#include "scope_bpf_record.h"

#define FROM_BPF(field)                                                        \
	.source = LOSS_FROM_BPF,                                               \
	.bpf_offset = offsetof(struct scope_bpf_counters, field)

const struct loss_desc loss__table[LOSS__COUNT] = {
	[LOSS_DROPPED] = { "dropped", "records dropped (ring buffer full)",
			   "records dropped (ring buffer full): counts are low; retry with a larger --ringbuf-size",
			   FROM_BPF(dropped) },
	[LOSS_DEPTH_OVERFLOW] = { "depth_overflow",
				  "regions nested deeper than the depth limit",
				  "regions nested deeper than --max-depth were not recorded",
				  FROM_BPF(depth_overflow) },
	[LOSS_UNMATCHED_END] = { "unmatched_end", "ENDs without an open region",
				 "region ENDs had no open region (already open at attach, or END without BEGIN)",
				 FROM_BPF(unmatched_end) },
	[LOSS_ABANDONED] = { "abandoned", "regions abandoned by an outer END",
			     "regions never reached their END (left by longjmp, an early return or an exception)",
			     FROM_BPF(abandoned) },
	[LOSS_UNFINISHED] = { "unfinished", "regions unfinished at thread exit",
			      "regions were still open when their thread exited",
			      .source = LOSS_FROM_CONSUMER },
	[LOSS_OPEN_AT_DETACH] = { "open_at_detach",
				  "regions open when the profile stopped",
				  "regions were still open when the profile stopped",
				  .source = LOSS_FROM_DETACH },
	[LOSS_NO_STORAGE] = { "no_storage",
			      "BEGINs without memory for a thread stack",
			      "regions lost: no kernel memory for a thread's stack",
			      FROM_BPF(no_storage) },
	[LOSS_NAMED_UNREADABLE] = { "named_unreadable",
				    "regions whose run-time name was unreadable",
				    "regions named at run time were not recorded: their name's address could not be read",
				    FROM_BPF(named_unreadable), .later = true },
	[LOSS_NAMED_FULL] = { "named_full",
			      "regions past the run-time names' limit",
			      "regions named at run time were not recorded: more distinct names than the probes hold (16384)",
			      FROM_BPF(named_full), .later = true },
	[LOSS_UNFOLLOWED] = { "unfollowed_hits",
			      "region hits in child processes (not followed)",
			      /* the agent says it with the number of processes
			       */
			      NULL, FROM_BPF(unfollowed_hits), .later = true },
	[LOSS_RETURNS_OMITTED] = { "returns_omitted",
				   "function calls untimed (return probes past the kernel's limit)",
				   "function calls were not timed: the kernel probes at most 64 pending returns per thread (deeper recursion); they are counted here only",
				   FROM_BPF(returns_omitted), .later = true },
};

uint64_t loss__total(const uint64_t v[LOSS__COUNT])
{
	uint64_t n = 0;

	for (int i = 0; i < LOSS__COUNT; i++)
		n += v[i];
	return n;
}

void loss__from_bpf(uint64_t v[LOSS__COUNT], const void *bpf)
{
	for (int i = 0; i < LOSS__COUNT; i++) {
		const struct loss_desc *d = &loss__table[i];

		if (d->source == LOSS_FROM_BPF)
			memcpy(&v[i], (const char *)bpf + d->bpf_offset,
			       sizeof(v[i]));
	}
}
