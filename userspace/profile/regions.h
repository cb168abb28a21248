/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The region table: one id per region name across all objects. */
#ifndef SCOPE_REGIONS_H
#define SCOPE_REGIONS_H

#include <stddef.h>
#include <stdint.h>

struct region {
	uint32_t id; /* index in the table, the BPF cookie of its sites */
	char *name;
	char *file; /* of the first BEGIN site seen (else the first site) */
	uint32_t line;
	uint32_t nsites;
	uint32_t nbegin; /* BEGIN sites among nsites; the rest are ENDs */
};

struct region_table {
	struct region *v;
	size_t n, cap;
};

/* The id of region @name, added (with @file, @line) if new; -ENOMEM. */
int region_table__intern(struct region_table *t, const char *name,
			 const char *file, uint32_t line, int is_begin);
void region_table__free(struct region_table *t);

#endif /* SCOPE_REGIONS_H */
