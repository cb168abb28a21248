/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Tables drawn the way likwid-perfctr draws them (likwid.lua's
 * printtable): +---+ rules, a header row, numbers right-aligned and text
 * centred, so that `report --metrics` reads like LIKWID's own output. */
#ifndef SCOPE_REPORT_BOX_H
#define SCOPE_REPORT_BOX_H

#include <stddef.h>
#include <stdio.h>

struct box;

/* A table of @nrows rows (the first is the header) of @ncols cells, all
 * empty; NULL with errno set. */
struct box *box__new(size_t nrows, size_t ncols);
/* Cell (@row, @col) to the formatted text; a failure is kept for
 * box__print. */
void box__set(struct box *b, size_t row, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The table and a blank line after it. 0, or -ENOMEM when a box__set
 * failed (nothing printed then). */
int box__print(const struct box *b, FILE *out);
void box__free(struct box *b);

#endif /* SCOPE_REPORT_BOX_H */
