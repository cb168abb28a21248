/* SPDX-License-Identifier: MIT */
/* The named-region sites of the scope_bpf Python module: one BEGIN and one
 * END site for every region named at run time, and the test whether an agent
 * has probed them. */
#ifndef SBPY_SITE_H
#define SBPY_SITE_H

#include <stdbool.h>

#include <scope_bpf.h>

/* How the site string carries the Python call site (docs/python.md). */
#define SBPY_SITE_FORM "name\\0scope_bpf.at=file:line"

/* Finds the sites' bytes for sbpy_site__attached; 0 or -ENOENT. */
int sbpy_site__init(void);

/* The string an agent reads at the sites for this region (its name, a NUL,
 * then "scope_bpf.at=file:line"), allocated for the life of the process; NULL
 * when out of memory. */
const char *sbpy_site__string(const char *name, const char *file, int line);

/* Inline where they are used: a probe on a site at a function's entry costs
 * several hundred ns more than on one inside a function (measured on the
 * hosts of docs/python.md), so no region goes through a function of its
 * own. */
static inline __attribute__((always_inline)) void
sbpy_site__begin(const char *site)
{
	scope_bpf_begin_named(site);
}

static inline __attribute__((always_inline)) void
sbpy_site__end(const char *site)
{
	scope_bpf_end_named(site);
}

void sbpy_site__probe_begin(const char *site);
void sbpy_site__probe_end(const char *site);

/* An agent has probed both sites (a trap or a trampoline call in each). */
bool sbpy_site__attached(void);

#endif /* SBPY_SITE_H */
