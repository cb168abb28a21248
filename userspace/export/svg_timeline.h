/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A trace's per-thread timeline, drawn below the flame graph
 * (svg_timeline.c). */
#ifndef SCOPE_EXPORT_SVG_TIMELINE_H
#define SCOPE_EXPORT_SVG_TIMELINE_H

#include <stdio.h>

#include "profile/profile.h"

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

#endif /* SCOPE_EXPORT_SVG_TIMELINE_H */
