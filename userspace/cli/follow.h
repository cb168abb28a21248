/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `report --follow`: a trace that is still written, summarised as it
 * grows. */
#ifndef SCOPE_CLI_FOLLOW_H
#define SCOPE_CLI_FOLLOW_H

#include <stdio.h>

/* Prints, about once a second, the intervals so far and the regions with
 * the most time, until the agent finishes the file (then the last
 * summary) or SIGINT/SIGTERM. An exit status: 0, or 1 when the file is no
 * trace. */
int follow__run(const char *path, FILE *out);

#endif /* SCOPE_CLI_FOLLOW_H */
