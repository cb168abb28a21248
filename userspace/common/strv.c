// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* String vectors joined for the file's metadata. */
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"

char *strv__join(char *const *v, int n)
{
	size_t len = 1;
	char *s, *p;

	if (n < 0)
		for (n = 0; v[n]; n++)
			;
	for (int i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	p = s;
	for (int i = 0; i < n; i++)
		p = stpcpy(stpcpy(p, i ? " " : ""), v[i]);
	return s;
}
