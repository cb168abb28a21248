// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The profile model owns its strings and tables; this frees them. */
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"

void profile_meta__free(struct profile_meta *m)
{
	char **strings[] = { &m->tool_version, &m->mode,  &m->command,
			     &m->host,	       &m->kernel, &m->start_time,
			     &m->clock,	       &m->options };

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		free(*strings[i]);
		*strings[i] = NULL;
	}
}

void profile__free(struct profile *p)
{
	if (!p)
		return;
	profile_meta__free(&p->meta);
	region_table__free(&p->regions);
	for (size_t i = 0; i < p->nthreads; i++)
		free(p->threads[i].comm);
	free(p->threads);
	free(p->stats);
	memset(p, 0, sizeof(*p));
}
