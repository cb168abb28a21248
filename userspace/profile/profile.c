// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The profile model owns its strings and tables; this frees them. */
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

#define META_AT(member) #member, offsetof(struct profile_meta, member)
#define META(member, kind, units)                                              \
	{                                                                      \
		META_AT(member), kind, units, false                            \
	}
/* a field that files of earlier versions lack */
#define META_LATER(member, kind, units)                                        \
	{                                                                      \
		META_AT(member), kind, units, true                             \
	}

static const struct profile_field meta_fields[] = {
	META(tool_version, PROFILE_STR, NULL),
	META(mode, PROFILE_STR, NULL),
	META(command, PROFILE_STR, NULL),
	META(pid, PROFILE_I64, NULL),
	META(host, PROFILE_STR, NULL),
	META(kernel, PROFILE_STR, NULL),
	META(start_time, PROFILE_STR, NULL),
	META(clock, PROFILE_STR, NULL),
	META(options, PROFILE_STR, NULL),
	META(start_ns, PROFILE_U64, "ns"),
	META(end_ns, PROFILE_U64, "ns"),
	META(exit_status, PROFILE_I64, NULL),
	META(target_exited, PROFILE_I64, NULL),
	META(records, PROFILE_U64, "count"),
	META(ringbuf_bytes, PROFILE_U64, "bytes"),
	META_LATER(unfollowed_processes, PROFILE_U64, "count"),
	META_LATER(unfollowed_execs, PROFILE_U64, "count"),
	META_LATER(late_libraries, PROFILE_U64, "count"),
	META_LATER(site_mode, PROFILE_STR, NULL),
	META_LATER(site_cost_trap_ns, PROFILE_U64, "ns"),
	META_LATER(site_cost_nop5_ns, PROFILE_U64, "ns"),
	META_LATER(site_trampoline, PROFILE_U64, NULL),
	META_LATER(site_trial, PROFILE_STR, NULL),
	META_LATER(site_trial_trap_ns, PROFILE_U64, "ns"),
	META_LATER(site_trial_nop5_ns, PROFILE_U64, "ns"),
	META_LATER(calib_inregion_ns, PROFILE_U64, "ns"),
	META_LATER(calib_pair_ns, PROFILE_U64, "ns"),
	META_LATER(calib_inregion_spread_ns, PROFILE_U64, "ns"),
	META_LATER(calib_pair_spread_ns, PROFILE_U64, "ns"),
	META_LATER(calib_method, PROFILE_STR, NULL),
	META_LATER(aggregated, PROFILE_U64, "count"),
	META_LATER(agg_full, PROFILE_U64, "count"),
	META_LATER(stack_slots, PROFILE_U64, "count"),
	META_LATER(slotless_threads, PROFILE_U64, "count"),
	META_LATER(stack_slot_misses, PROFILE_U64, "count"),
	META_LATER(counter_method, PROFILE_STR, NULL),
	META_LATER(likwid_group, PROFILE_STR, NULL),
	META_LATER(likwid_group_text, PROFILE_STR, NULL),
	META_LATER(cpu_clock_hz, PROFILE_U64, "Hz"),
	META_LATER(trace_intervals, PROFILE_U64, "count"),
	META_LATER(trace_dropped, PROFILE_U64, "count"),
	META_LATER(trace_past_max, PROFILE_U64, "count"),
};
static const size_t nmeta = sizeof(meta_fields) / sizeof(meta_fields[0]);

/* The fixed fields, then one count per row of the loss table, under the
 * loss's own name: a new loss reaches the file and the CSV without a
 * change here. */
bool profile_meta__field(size_t i, struct profile_field *out)
{
	if (i < nmeta) {
		*out = meta_fields[i];
		return true;
	}
	i -= nmeta;
	if (i >= LOSS__COUNT)
		return false;
	*out = (struct profile_field){
		.name = loss__table[i].name,
		.offset = offsetof(struct profile_meta, losses) +
			  i * sizeof(uint64_t),
		.kind = PROFILE_U64,
		.units = "count",
		.later = loss__table[i].later,
	};
	return true;
}

void profile_meta__free(struct profile_meta *m)
{
	struct profile_field f;

	/* every string of the meta table, so a new one needs no line here */
	for (size_t i = 0; profile_meta__field(i, &f); i++) {
		char **str = (char **)((char *)m + f.offset);

		if (f.kind != PROFILE_STR)
			continue;
		free(*str);
		*str = NULL;
	}
}

void profile_counter__free(struct profile_counter *c)
{
	free(c->name);
	free(c->counter);
	free(c->units);
	free(c->note);
	memset(c, 0, sizeof(*c));
}

void profile__free(struct profile *p)
{
	if (!p)
		return;
	profile_meta__free(&p->meta);
	region_table__free(&p->regions);
	for (size_t i = 0; i < p->nthreads; i++)
		free(p->threads[i].comm);
	free(p->threads);
	free(p->stats);
	free(p->paths);
	for (size_t i = 0; i < p->ncounters; i++)
		profile_counter__free(&p->counters[i]);
	free(p->counters);
	memset(p, 0, sizeof(*p));
}
