// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Durations and sizes with units, parsed with strtod/strtoull and a table
 * of suffixes. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/units.h"

struct unit {
	const char *suffix;
	double scale;
};

/* "m" is minutes: nobody profiles for metres, and ms has its own suffix */
static const struct unit duration_units[] = {
	{ "", 1 },	{ "s", 1 },	{ "ms", 1e-3 },
	{ "us", 1e-6 }, { "ns", 1e-9 }, { "m", 60 },
	{ "min", 60 },	{ "h", 3600 },	{ "d", 86400 },
};

static const struct unit size_units[] = {
	{ "K", 1024.0 },      { "KiB", 1024.0 },     { "M", 1048576.0 },
	{ "MiB", 1048576.0 }, { "G", 1073741824.0 }, { "GiB", 1073741824.0 },
};

static const struct unit *unit__find(const struct unit *t, size_t n,
				     const char *suffix)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].suffix, suffix))
			return &t[i];
	return NULL;
}

int units__parse_duration(const char *s, double *seconds)
{
	const size_t n = sizeof(duration_units) / sizeof(duration_units[0]);
	const struct unit *u;
	char *end;
	double v;

	/* strtod would also take "inf", "nan", hex and leading blanks */
	if (!s || !(isdigit((unsigned char)*s) || *s == '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s ||
	    strspn(s, "0123456789.eE+-") < (size_t)(end - s))
		return -EINVAL;
	u = unit__find(duration_units, n, end);
	if (!u || !isfinite(v * u->scale))
		return -EINVAL;
	*seconds = v * u->scale;
	return 0;
}

int units__parse_size(const char *s, uint64_t unit, uint64_t *bytes)
{
	const size_t n = sizeof(size_units) / sizeof(size_units[0]);
	const struct unit *u;
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == s)
		return -EINVAL;
	if (*end) {
		u = unit__find(size_units, n, end);
		if (!u)
			return -EINVAL;
		unit = (uint64_t)u->scale;
	}
	if (unit && v > UINT64_MAX / unit)
		return -ERANGE;
	*bytes = v * unit;
	return 0;
}
