/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reads the kernel's per (thread, region) aggregates into the statistics. */
#ifndef SCOPE_HARVEST_H
#define SCOPE_HARVEST_H

#include <stddef.h>
#include <stdint.h>

#include "agent/consume.h"
#include "aggregate/stats.h"

/* Folds the entries of the @n exited threads @ids of the aggregates map @fd
 * into @t and deletes them, their region ids mapped through @map (NULL:
 * none); adds their regions to @calls. 0 or -errno. */
int harvest__exited(int fd, const struct consumer_thread_id *ids, size_t n,
		    const struct region_map *map, struct stats_table *t,
		    uint64_t *calls);
/* Folds every entry left (after the probes are gone). 0 or -errno. */
int harvest__all(int fd, const struct region_map *map, struct stats_table *t,
		 uint64_t *calls);

#endif /* SCOPE_HARVEST_H */
