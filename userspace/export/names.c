// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Ids to names by a linear search: the tables hold tens to hundreds of
 * rows, and every export touches each node once. */
#include "export/names.h"

const char *export__region_name(const struct profile *p, uint32_t id)
{
	for (size_t i = 0; i < p->regions.n; i++) {
		if (p->regions.v[i].id == id)
			return p->regions.v[i].name ?: "?";
	}
	return "?";
}

const char *export__thread_comm(const struct profile *p, uint32_t pid,
				uint32_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		if (p->threads[i].pid == pid && p->threads[i].tid == tid)
			return p->threads[i].comm ?: "";
	}
	return "";
}

const char *export__process_comm(const struct profile *p, uint32_t pid)
{
	const char *any = "";

	for (size_t i = 0; i < p->nthreads; i++) {
		if (p->threads[i].pid != pid || !p->threads[i].comm)
			continue;
		if (p->threads[i].tid == pid)
			return p->threads[i].comm;
		any = p->threads[i].comm;
	}
	return any;
}
