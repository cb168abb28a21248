/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* LIKWID's derived-metric formulas (the METRICS lines of a performance
 * group) evaluated the way likwid-perfctr does: + - * / and parentheses
 * over numbers (1.0E-06) and variables (PMC0, FIXC1, PWR0,
 * CBOX0C1:STATE=0x1, time, inverseClock, num_sockets). */
#ifndef SCOPE_COUNTERS_METRIC_H
#define SCOPE_COUNTERS_METRIC_H

#include <stddef.h>

struct metric_var {
	const char *name;
	double value;
};

/* Evaluates @formula with @vars. 0 and *@out; -EINVAL for a syntax error,
 * -ENOENT for a variable not in @vars (its offset in *@at when @at is not
 * NULL, for both). A result that is not finite (a division by zero) is 0,
 * as likwid-perfctr prints it. With @vars NULL, only checks the syntax
 * (any variable reads 1). */
int metric__eval(const char *formula, const struct metric_var *vars,
		 size_t nvars, double *out, size_t *at);

/* Calls @fn for each distinct variable of @formula (in order of first use,
 * with its length: the name is not NUL-terminated). 0, -EINVAL on a syntax
 * error, or the first non-zero value @fn returns. */
int metric__vars(const char *formula,
		 int (*fn)(const char *name, size_t len, void *ctx), void *ctx);

#endif /* SCOPE_COUNTERS_METRIC_H */
