// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Growable arrays. */
#include <errno.h>
#include <stdlib.h>

#include "common/array.h"

int array__reserve(void **v, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap;
	void *p;

	if (need <= n)
		return 0;
	n = n ? n : 16;
	while (n < need) {
		if (n > ((size_t)-1 / 2) / size)
			return -ENOMEM;
		n *= 2;
	}
	p = reallocarray(*v, n, size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = n;
	return 0;
}
