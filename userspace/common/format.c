// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Output format names. */
#include <errno.h>
#include <string.h>

#include "common/format.h"

static const char *const names[] = {
	[FORMAT_TABLE] = "table",
	[FORMAT_CSV] = "csv",
	[FORMAT_JSON] = "json",
};

const char format__names[] = "table, csv or json";

int format__parse(const char *name, enum output_format *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return -EINVAL;
}
