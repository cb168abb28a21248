/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The SVG drawing shared by the flame graph (svg.c) and the trace's
 * timeline below it (svg_timeline.c), in svg_draw.c. */
#ifndef SCOPE_EXPORT_SVG_DRAW_H
#define SCOPE_EXPORT_SVG_DRAW_H

#include <stdio.h>

#define SVG_WIDTH   1200.0
#define SVG_PAD	    10.0
#define SVG_FONT_PX 12
#define SVG_CHAR_W  7.0 /* about a 12 px sans-serif character */

/* flamegraph.pl's "hot" palette, picked by a hash of @name, so that a
 * region has one colour in every picture. */
void svg__colour(const char *name, unsigned int rgb[3]);
/* @s with XML's special characters escaped, at most @max of its bytes,
 * ".." after a cut. */
void svg__text(FILE *out, const char *s, size_t max);

#endif /* SCOPE_EXPORT_SVG_DRAW_H */
