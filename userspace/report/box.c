// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* likwid-perfctr's tables: what likwid.lua's printtable prints. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/box.h"

struct box {
	size_t nrows, ncols;
	char **cells; /* row-major; NULL prints as "" */
	int err;
};

struct box *box__new(size_t nrows, size_t ncols)
{
	struct box *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->nrows = nrows;
	b->ncols = ncols;
	b->cells = calloc(nrows * ncols ?: 1, sizeof(*b->cells));
	if (!b->cells) {
		free(b);
		return NULL;
	}
	return b;
}

void box__set(struct box *b, size_t row, size_t col, const char *fmt, ...)
{
	char **cell = &b->cells[row * b->ncols + col];
	va_list ap;
	int n;

	if (row >= b->nrows || col >= b->ncols) {
		b->err = -EINVAL;
		return;
	}
	free(*cell);
	va_start(ap, fmt);
	n = vasprintf(cell, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*cell = NULL;
		b->err = -ENOMEM;
	}
}

static const char *box__cell(const struct box *b, size_t row, size_t col)
{
	return b->cells[row * b->ncols + col] ?: "";
}

/* What Lua's tonumber() takes: printtable right-aligns those. */
static bool cell__is_number(const char *s)
{
	char *end;

	if (!*s || strchr("nNiI", *s))
		return false;
	strtod(s, &end);
	return end != s && !*end;
}

static void cell__print(FILE *out, const char *s, size_t width)
{
	size_t len = strlen(s), pad = width > len ? width - len : 0;
	/* text: the odd space in front, as printtable puts it */
	size_t back = cell__is_number(s) ? 0 : pad / 2;

	fprintf(out, "%*s%s%*s", (int)(pad - back), "", s, (int)back, "");
}

static void box__rule(const struct box *b, FILE *out, const size_t *width)
{
	for (size_t c = 0; c < b->ncols; c++) {
		fputc('+', out);
		for (size_t i = 0; i < width[c] + 2; i++)
			fputc('-', out);
	}
	fputs("+\n", out);
}

static void box__line(const struct box *b, FILE *out, const size_t *width,
		      size_t row)
{
	for (size_t c = 0; c < b->ncols; c++) {
		fputs(c ? " | " : "| ", out);
		cell__print(out, box__cell(b, row, c), width[c]);
	}
	fputs(" |\n", out);
}

int box__print(const struct box *b, FILE *out)
{
	size_t *width;

	if (b->err)
		return b->err;
	width = calloc(b->ncols ?: 1, sizeof(*width));
	if (!width)
		return -ENOMEM;
	for (size_t r = 0; r < b->nrows; r++) {
		for (size_t c = 0; c < b->ncols; c++) {
			size_t len = strlen(box__cell(b, r, c));

			if (len > width[c])
				width[c] = len;
		}
	}
	box__rule(b, out, width);
	for (size_t r = 0; r < b->nrows; r++) {
		box__line(b, out, width, r);
		if (!r || r + 1 == b->nrows)
			box__rule(b, out, width);
	}
	fputc('\n', out);
	free(width);
	return 0;
}

void box__free(struct box *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nrows * b->ncols; i++)
		free(b->cells[i]);
	free(b->cells);
	free(b);
}
