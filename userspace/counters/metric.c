// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A recursive-descent evaluator of LIKWID metric formulas. liblikwid 5.2
 * keeps its calculator private (likwid-perfctr's Lua substitutes values
 * into the text and evaluates that), so the grammar is written here and the
 * unit test compares it with likwid.lua's calculate_metric. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "counters/metric.h"

struct parser {
	const char *s, *p;
	const struct metric_var *vars; /* NULL: syntax only */
	size_t nvars;
	int err;
	int (*on_var)(const char *name, size_t len, void *ctx);
	void *ctx;
};

static double expr(struct parser *ps);

static void skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static double fail(struct parser *ps, int err)
{
	if (!ps->err)
		ps->err = err;
	return 0;
}

static bool is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A counter with its options, as the group names it in the formula:
 * PMC3:EDGEDETECT, CBOX0C0:STATE=0x3F. */
static size_t name_len(const char *s)
{
	size_t n = 0;

	while (is_name_char(s[n]))
		n++;
	while (s[n] == ':' && is_name_start(s[n + 1])) {
		for (n++; is_name_char(s[n]);)
			n++;
		if (s[n] == '=' && isalnum((unsigned char)s[n + 1]))
			for (n++; is_name_char(s[n]);)
				n++;
	}
	return n;
}

static double lookup(struct parser *ps, const char *name, size_t len)
{
	if (ps->on_var) {
		int err = ps->on_var(name, len, ps->ctx);

		return err ? fail(ps, err) : 1;
	}
	if (!ps->vars)
		return 1;
	for (size_t i = 0; i < ps->nvars; i++) {
		if (strlen(ps->vars[i].name) == len &&
		    !memcmp(ps->vars[i].name, name, len))
			return ps->vars[i].value;
	}
	return fail(ps, -ENOENT);
}

static double number(struct parser *ps)
{
	char *end;
	double v = strtod(ps->p, &end);

	/* strtod also takes hex, inf and nan, which no formula holds */
	if (end == ps->p ||
	    (ps->p[0] == '0' && (ps->p[1] == 'x' || ps->p[1] == 'X')))
		return fail(ps, -EINVAL);
	ps->p = end;
	return v;
}

static double primary(struct parser *ps)
{
	double v;
	size_t n;

	skip_space(ps);
	if (*ps->p == '(') {
		ps->p++;
		v = expr(ps);
		skip_space(ps);
		if (*ps->p != ')')
			return fail(ps, -EINVAL);
		ps->p++;
		return v;
	}
	if (*ps->p == '-' || *ps->p == '+') {
		bool neg = *ps->p++ == '-';

		v = primary(ps);
		return neg ? -v : v;
	}
	if (isdigit((unsigned char)*ps->p) || *ps->p == '.')
		return number(ps);
	if (!is_name_start(*ps->p))
		return fail(ps, -EINVAL);
	n = name_len(ps->p);
	v = lookup(ps, ps->p, n);
	if (!ps->err)
		ps->p += n;
	return v;
}

static double term(struct parser *ps)
{
	double v = primary(ps);

	for (skip_space(ps); !ps->err && (*ps->p == '*' || *ps->p == '/');
	     skip_space(ps)) {
		char op = *ps->p++;
		double r = primary(ps);

		v = op == '*' ? v * r : v / r;
	}
	return v;
}

static double expr(struct parser *ps)
{
	double v = term(ps);

	for (skip_space(ps); !ps->err && (*ps->p == '+' || *ps->p == '-');
	     skip_space(ps)) {
		char op = *ps->p++;
		double r = term(ps);

		v = op == '+' ? v + r : v - r;
	}
	return v;
}

static int parse(struct parser *ps, double *out, size_t *at)
{
	double v;

	ps->p = ps->s;
	v = expr(ps);
	skip_space(ps);
	if (!ps->err && *ps->p)
		ps->err = -EINVAL;
	if (at)
		*at = ps->p - ps->s;
	if (ps->err)
		return ps->err;
	if (out)
		*out = isfinite(v) ? v : 0;
	return 0;
}

int metric__eval(const char *formula, const struct metric_var *vars,
		 size_t nvars, double *out, size_t *at)
{
	struct parser ps = { .s = formula, .vars = vars, .nvars = nvars };

	return parse(&ps, out, at);
}

struct seen {
	const char *names[64];
	size_t lens[64];
	size_t n;
	int (*fn)(const char *name, size_t len, void *ctx);
	void *ctx;
};

static int once(const char *name, size_t len, void *ctx)
{
	struct seen *s = ctx;

	for (size_t i = 0; i < s->n; i++) {
		if (s->lens[i] == len && !memcmp(s->names[i], name, len))
			return 0;
	}
	if (s->n < 64) {
		s->names[s->n] = name;
		s->lens[s->n++] = len;
	}
	return s->fn(name, len, s->ctx);
}

int metric__vars(const char *formula,
		 int (*fn)(const char *name, size_t len, void *ctx), void *ctx)
{
	struct seen s = { .fn = fn, .ctx = ctx };
	struct parser ps = { .s = formula, .on_var = once, .ctx = &s };

	return parse(&ps, NULL, NULL);
}
