// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Numbers as people read them, for every table of the report. The views
 * are apart, each from a struct profile with no HDF5 in sight: rows.c
 * (what every view prints), header.c, table.c, csv.c, json.c, compare.c
 * and likwid.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

void report__fmt_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		double limit, scale;
		const char *unit;
	} units[] = {
		{ 999.5, 1, "ns" },
		{ 999.5e3, 1e3, "us" },
		{ 999.5e6, 1e6, "ms" },
		{ 0, 1e9, "s" },
	};
	size_t i = 0;
	int decimals = 0;
	double v;

	while (units[i].limit && (double)ns >= units[i].limit)
		i++;
	v = (double)ns / units[i].scale;
	/* the limits keep v below 999.5, so rounding never shows 1000 */
	if (i && v < 9.995)
		decimals = 2;
	else if (i && v < 99.95)
		decimals = 1;
	snprintf(buf, len, "%.*f %s", decimals, v, units[i].unit);
}

/* @v with 3 significant digits and a k/M/G/T suffix: "812", "1.23 k",
 * "45.6 M"; the same scheme as report__fmt_ns. */
void report__fmt_count(char *buf, size_t len, uint64_t v)
{
	static const struct {
		double limit, scale;
		const char *unit;
	} units[] = {
		{ 999.5, 1, "" },	  { 999.5e3, 1e3, " k" },
		{ 999.5e6, 1e6, " M" },	  { 999.5e9, 1e9, " G" },
		{ 999.5e12, 1e12, " T" }, { 999.5e15, 1e15, " P" },
		{ 0, 1e18, " E" },
	};
	size_t i = 0;
	int decimals = 0;
	double x;

	if (v < 1000) {
		snprintf(buf, len, "%" PRIu64, v);
		return;
	}
	while (units[i].limit && (double)v >= units[i].limit)
		i++;
	x = (double)v / units[i].scale;
	if (x < 9.995)
		decimals = 2;
	else if (x < 99.95)
		decimals = 1;
	snprintf(buf, len, "%.*f%s", decimals, x, units[i].unit);
}

void report__fmt_counter(char *buf, size_t len, uint64_t v, const char *units)
{
	if (units && !strcmp(units, "ns"))
		report__fmt_ns(buf, len, v);
	else
		report__fmt_count(buf, len, v);
}
