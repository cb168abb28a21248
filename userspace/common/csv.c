// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CSV field quoting. */
#include <string.h>

#include "common/csv.h"

void csv__field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n#")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}
