/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The SVG drawing shared by the flame graph (svg.c) and the trace's
 * timeline below it (svg_timeline.c). */
#ifndef SCOPE_EXPORT_SVG_H
#define SCOPE_EXPORT_SVG_H

#include <stdio.h>

#include "profile/profile.h"

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

/* A trace's per-thread timeline, laid out from @p's threads and call
 * paths before any interval is read, so that the picture's height is
 * known when the SVG starts. */
struct svg_timeline;

/* NULL with errno: ENODATA (no region ran in any thread), ENOMEM. */
struct svg_timeline *svg_timeline__plan(const struct profile *p);
double svg_timeline__height(const struct svg_timeline *tl);
/* Streams the intervals of the trace at @path into @out as a group at
 * vertical offset @y. 0, -ENOMEM or -EIO (the reader's errors said on
 * stderr). */
int svg_timeline__draw(struct svg_timeline *tl, const char *path, FILE *out,
		       double y);
void svg_timeline__free(struct svg_timeline *tl);

#endif /* SCOPE_EXPORT_SVG_H */
