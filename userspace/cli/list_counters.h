/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `scope-bpf list --counters` and `list --groups`. */
#ifndef SCOPE_LIST_COUNTERS_H
#define SCOPE_LIST_COUNTERS_H

#include <stdio.h>

#include "common/format.h"

/* perf's generic events, each tried on this host's CPUs: 0 or -errno. */
int list__counters(FILE *out, enum output_format fmt);
/* This host's LIKWID groups and whether each counts here; a host with none
 * is a warning that says why, and 0. */
int list__groups(FILE *out, enum output_format fmt);

#endif /* SCOPE_LIST_COUNTERS_H */
