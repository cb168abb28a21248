// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Gives the regions named at run time their place in the region table: the
 * probes' numbering is theirs (first met, first numbered, per profile); the
 * table's ids stay dense, so files and reports never see the probes' ids. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "agent/named.h"
#include "common/array.h"
#include "common/log.h"
#include "scope_bpf_record.h"

struct named_site {
	char *file;
	uint32_t line;
};

struct named_regions {
	int map_fd;
	struct region_table *regions;
	/* by the probes' id less SCOPE_REGION_NAMED_BASE: the table's id
	 * plus one, 0 while unknown */
	uint32_t *ids;
	uint32_t count;
	struct named_site *sites;
	size_t nsites, sites_cap;
};

struct named_regions *named__new(int map_fd, struct region_table *regions)
{
	struct named_regions *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->ids = calloc(SCOPE_MAX_NAMED_REGIONS, sizeof(*n->ids));
	if (!n->ids) {
		free(n);
		errno = ENOMEM;
		return NULL;
	}
	n->map_fd = map_fd;
	n->regions = regions;
	return n;
}

void named__free(struct named_regions *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nsites; i++)
		free(n->sites[i].file);
	free(n->sites);
	free(n->ids);
	free(n);
}

int named__add_site(struct named_regions *n, const char *file, uint32_t line)
{
	char *copy = strdup(file ? file : "");

	if (!copy || ARRAY_RESERVE(n->sites, n->sites_cap, n->nsites + 1)) {
		free(copy);
		return -ENOMEM;
	}
	n->sites[n->nsites] = (struct named_site){ copy, line };
	return n->nsites++;
}

/* Region @v of name @key into the table, at the location of the site that
 * met it first. */
static int learn(struct named_regions *n, const struct scope_name *key,
		 const struct scope_named *v)
{
	uint32_t k = v->region - SCOPE_REGION_NAMED_BASE;
	const struct named_site *site =
		v->site < n->nsites ? &n->sites[v->site] : NULL;
	char name[SCOPE_NAME_LEN + 1];
	int id;

	if (!scope_region_is_named(v->region) || n->ids[k])
		return 0;
	memcpy(name, key->s, SCOPE_NAME_LEN);
	name[SCOPE_NAME_LEN] = '\0';
	id = region_table__intern(n->regions, name, site ? site->file : "",
				  site ? site->line : 0, 1);
	if (id < 0)
		return id;
	n->ids[k] = id + 1;
	n->count++;
	pr_debug("region %s (named at run time): id %d\n", name, id);
	return 0;
}

/* Every name in the map that the table lacks. */
static int refresh(struct named_regions *n)
{
	struct scope_name key, next, *prev = NULL;
	struct scope_named v;
	int err;

	while (!bpf_map_get_next_key(n->map_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(n->map_fd, &key, &v))
			continue; /* entries are never deleted: cannot be */
		err = learn(n, &key, &v);
		if (err)
			return err;
	}
	return errno == ENOENT ? 0 : -errno;
}

int named__resolve(struct named_regions *n, uint32_t *region)
{
	uint32_t k = *region - SCOPE_REGION_NAMED_BASE;
	int err;

	if (!scope_region_is_named(*region))
		return 0;
	if (!n->ids[k]) {
		err = refresh(n);
		if (err)
			return err;
		if (!n->ids[k])
			return -ENOENT;
	}
	*region = n->ids[k] - 1;
	return 0;
}

int named__resolve_cb(void *n, uint32_t *region)
{
	return named__resolve(n, region);
}

uint32_t named__count(const struct named_regions *n)
{
	return n->count;
}
