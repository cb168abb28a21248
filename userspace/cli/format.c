// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The --format option of list and report. */
#include <errno.h>

#include "cli/format.h"

error_t cli__parse_format(struct argp_state *state, const char *arg,
			  enum output_format *out)
{
	if (!format__parse(arg, out))
		return 0;
	argp_error(state, "unknown format '%s' (%s)", arg, format__names);
	return EINVAL;
}
