// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Takes the kernel's aggregates (the aggs map of regions.bpf.c) into the
 * statistics: a thread's entries once it has exited, taken out of the map
 * so that memory follows the live threads; every entry left at the end. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "agent/harvest.h"
#include "common/array.h"

static bool exited(const struct scope_agg_key *k,
		   const struct consumer_thread_id *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ids[i].serial == k->serial && ids[i].tid == k->tid &&
		    ids[i].pid == k->pid)
			return true;
	}
	return false;
}

/* The keys of the map, all of them or only those of the @n threads @ids;
 * -errno. Collected before any is deleted: deleting the key a walk stands
 * on restarts the walk. */
static int collect_keys(int fd, const struct consumer_thread_id *ids, size_t n,
			struct scope_agg_key **keys, size_t *nkeys)
{
	struct scope_agg_key k, next, *prev = NULL;
	uint32_t self = getpid();
	size_t cap = 0;

	*keys = NULL;
	*nkeys = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		/* the agent's own start-up regions are no part of the
		 * profile */
		if (k.pid == self || (ids && !exited(&k, ids, n)))
			continue;
		if (ARRAY_RESERVE(*keys, cap, *nkeys + 1))
			return -ENOMEM;
		(*keys)[(*nkeys)++] = k;
	}
	return errno == ENOENT ? 0 : -errno;
}

/* Folds the entries of @keys in; with @take, deletes them in the same
 * step so that none is counted twice. */
static int fold_keys(int fd, const struct scope_agg_key *keys, size_t n,
		     bool take, const struct region_map *map,
		     struct stats_table *t, uint64_t *calls)
{
	struct scope_agg_key mapped;
	struct scope_agg a;
	int err;

	for (size_t i = 0; i < n; i++) {
		const struct scope_agg_key *k = &keys[i];

		err = take ? bpf_map_lookup_and_delete_elem(fd, k, &a) :
			     bpf_map_lookup_elem(fd, k, &a);
		if (err) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		if (map && map->fn && scope_region_is_named(k->region)) {
			mapped = *k;
			err = map->fn(map->ctx, &mapped.region);
			if (err)
				return err;
			k = &mapped;
		}
		err = stats__merge(t, k, &a);
		if (err)
			return err;
		*calls += a.calls;
	}
	return 0;
}

static int harvest(int fd, const struct consumer_thread_id *ids, size_t n,
		   bool take, const struct region_map *map,
		   struct stats_table *t, uint64_t *calls)
{
	struct scope_agg_key *keys;
	size_t nkeys;
	int err;

	err = collect_keys(fd, ids, n, &keys, &nkeys);
	if (!err)
		err = fold_keys(fd, keys, nkeys, take, map, t, calls);
	free(keys);
	return err;
}

int harvest__exited(int fd, const struct consumer_thread_id *ids, size_t n,
		    const struct region_map *map, struct stats_table *t,
		    uint64_t *calls)
{
	return n ? harvest(fd, ids, n, true, map, t, calls) : 0;
}

int harvest__all(int fd, const struct region_map *map, struct stats_table *t,
		 uint64_t *calls)
{
	return harvest(fd, NULL, 0, false, map, t, calls);
}
