/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Numbers with units as users type them on a command line: durations
 * ("500ms", "1.5s", "2m") and sizes ("16", "64M", "1GiB"). */
#ifndef SCOPE_UNITS_H
#define SCOPE_UNITS_H

#include <stdint.h>

/* A duration: a decimal number and an optional unit, ns, us, ms, s, m or
 * min, h or d; no unit is seconds. Into @seconds; -EINVAL when @s is no
 * such thing (empty, trailing junk, negative, infinite or not a number).
 * Bounds are the caller's: it knows what they are for. */
int units__parse_duration(const char *s, double *seconds);
/* A size: a whole number and an optional binary unit, K/KiB, M/MiB, G/GiB
 * (K, M and G are powers of 1024 here, as for memory); no unit is
 * @unit bytes. -EINVAL on syntax, -ERANGE past UINT64_MAX. */
int units__parse_size(const char *s, uint64_t unit, uint64_t *bytes);

#endif /* SCOPE_UNITS_H */
