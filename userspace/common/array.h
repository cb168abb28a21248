/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Growable arrays: one geometric growth rule for every table the tools
 * build element by element. */
#ifndef SCOPE_ARRAY_H
#define SCOPE_ARRAY_H

#include <stddef.h>

/* Makes room for @need elements of @size bytes in *@v, whose capacity is
 * *@cap, at least doubling it. 0 or -ENOMEM (*@v and *@cap unchanged). */
int array__reserve(void **v, size_t *cap, size_t need, size_t size);

/* array__reserve for a typed pointer @v with capacity @cap. */
#define ARRAY_RESERVE(v, cap, need)                                            \
	array__reserve((void **)&(v), &(cap), (need), sizeof(*(v)))

#endif /* SCOPE_ARRAY_H */
