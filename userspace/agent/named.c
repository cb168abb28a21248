// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Gives the regions named at run time their place in the region table: the
 * probes' numbering is theirs (first met, first numbered, per profile); the
 * table's ids stay dense, so files and reports never see the probes' ids. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "agent/named.h"
#include "common/array.h"
#include "common/log.h"
#include "scope_bpf.h"
#include "scope_bpf_record.h"

struct named_site {
	char *file;
	uint32_t line;
};

struct named_regions {
	int map_fd;
	int where_fd; /* named_where, or -1 */
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
	n->where_fd = -1;
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

void named__set_where_map(struct named_regions *n, int where_fd)
{
	n->where_fd = where_fd;
}

/* The location a binding gave region @region after its name
 * (SCOPE_BPF_NAME_AT "file:line"): 0 with @file pointing into @w, or
 * -ENOENT. */
static int where_of(const struct named_regions *n, uint32_t region,
		    struct scope_name_where *w, const char **file,
		    uint32_t *line)
{
	size_t tag = strlen(SCOPE_BPF_NAME_AT);
	char *colon, *end;
	unsigned long l;

	if (n->where_fd < 0 || bpf_map_lookup_elem(n->where_fd, &region, w))
		return -ENOENT;
	w->s[sizeof(w->s) - 1] = '\0';
	colon = strrchr(w->s, ':');
	if (strncmp(w->s, SCOPE_BPF_NAME_AT, tag) || !colon)
		return -ENOENT;
	errno = 0;
	l = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || l > UINT32_MAX)
		return -ENOENT;
	*colon = '\0';
	*file = w->s + tag;
	*line = l;
	return 0;
}

/* Region @v of name @key into the table, at the location its binding gave,
 * else at that of the site that met it first. */
static int learn(struct named_regions *n, const struct scope_name *key,
		 const struct scope_named *v)
{
	uint32_t k = v->region - SCOPE_REGION_NAMED_BASE;
	const struct named_site *site =
		v->site < n->nsites ? &n->sites[v->site] : NULL;
	const char *file = site ? site->file : "";
	uint32_t line = site ? site->line : 0;
	char name[SCOPE_NAME_LEN + 1];
	struct scope_name_where w;
	int id;

	if (!scope_region_is_named(v->region) || n->ids[k])
		return 0;
	memcpy(name, key->s, SCOPE_NAME_LEN);
	name[SCOPE_NAME_LEN] = '\0';
	where_of(n, v->region, &w, &file, &line);
	id = region_table__intern(n->regions, name, file, line, 1);
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
