/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Regions named at run time: the probes number each distinct name
 * (SCOPE_REGION_NAMED_BASE up) in their named_ids map; the agent gives each
 * a region of its table, and the records and aggregates the profile's id. */
#ifndef SCOPE_NAMED_H
#define SCOPE_NAMED_H

#include <stdint.h>

#include "profile/regions.h"

struct named_regions;

/* Names from the map at @map_fd into @regions (not owned). NULL, errno set. */
struct named_regions *named__new(int map_fd, struct region_table *regions);
void named__free(struct named_regions *n);
/* The locations language bindings give their names (the probes'
 * named_where map: region -> scope_name_where); without it, a named region
 * is where its first site is. */
void named__set_where_map(struct named_regions *n, int where_fd);
/* A run-time name's site at @file:@line: its number, the cookie of its
 * probe, by which the region of a name it met first gets a location;
 * -ENOMEM. */
int named__add_site(struct named_regions *n, const char *file, uint32_t line);
/* Turns the probes' id *@region into the profile's: unchanged unless it is
 * a run-time name's, which is looked up in the map when new. 0, -ENOENT
 * for a name the map does not hold, -ENOMEM. */
int named__resolve(struct named_regions *n, uint32_t *region);
/* The same as a consumer_region_fn (agent/consume.h). */
int named__resolve_cb(void *n, uint32_t *region);
/* Regions named at run time so far. */
uint32_t named__count(const struct named_regions *n);

#endif /* SCOPE_NAMED_H */
