/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* CSV output shared by `list` and `report`. */
#ifndef SCOPE_CSV_H
#define SCOPE_CSV_H

#include <stdio.h>

/* Writes @s as one RFC 4180 field: quoted only when it holds a comma, a
 * quote, a line break or a '#' (region names are identifiers, but --func
 * patterns and file paths may bring others; a quoted '#' is data to
 * readers that take '#' for a comment, pandas' comment='#'). */
void csv__field(FILE *out, const char *s);

#endif /* SCOPE_CSV_H */
