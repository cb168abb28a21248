/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per (process, thread, region) statistics aggregated from interval records. */
#ifndef SCOPE_STATS_H
#define SCOPE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "scope_bpf_record.h"

struct stats_table;

struct stats_table *stats__new(void);
void stats__free(struct stats_table *t);
/* Folds one SCOPE_REC_INTERVAL record of thread @tid of process @pid in;
 * -ENOMEM. */
int stats__add(struct stats_table *t, uint32_t pid, uint32_t tid,
	       const struct scope_record *r);
/* Folds the kernel's aggregate @a of key @k in; -ENOMEM. */
int stats__merge(struct stats_table *t, const struct scope_agg_key *k,
		 const struct scope_agg *a);
/* The same regions by call path (aggregate/paths.h), kept by @t. */
struct path_table;
const struct path_table *stats__paths(const struct stats_table *t);
size_t stats__count(const struct stats_table *t);
/* Entries in insertion order; valid until the next stats__add. */
const struct region_stats *stats__at(const struct stats_table *t, size_t i);
unsigned int stats__bucket(uint64_t ns);

#endif /* SCOPE_STATS_H */
