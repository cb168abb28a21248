/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --format FORMAT, parsed the same way by every command that takes it. */
#ifndef SCOPE_CLI_FORMAT_H
#define SCOPE_CLI_FORMAT_H

#include <argp.h>

#include "common/format.h"

/* 0, or EINVAL after argp_error() named the accepted formats. */
error_t cli__parse_format(struct argp_state *state, const char *arg,
			  enum output_format *out);

#endif /* SCOPE_CLI_FORMAT_H */
