/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Per (process, thread, call path) statistics: the call tree's rows. */
#ifndef SCOPE_PATHS_H
#define SCOPE_PATHS_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "scope_bpf_record.h"

struct path_table;

struct path_table *paths__new(void);
void paths__free(struct path_table *t);
/* Folds one interval record of thread @tid of @pid in; -ENOMEM. */
int paths__add(struct path_table *t, uint32_t pid, uint32_t tid,
	       const struct scope_record *r);
/* Folds one entry of the kernel's aggregates in; -ENOMEM. */
int paths__merge(struct path_table *t, const struct scope_agg_key *k,
		 const struct scope_agg *a);
size_t paths__count(const struct path_table *t);
/* Rows in insertion order; valid until the next add or merge. */
const struct path_stats *paths__at(const struct path_table *t, size_t i);

#endif /* SCOPE_PATHS_H */
