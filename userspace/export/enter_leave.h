/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* One thread's intervals, as a trace holds them (in the order they ended:
 * a region after the regions nested in it), turned into enter and leave
 * events in the order they happened, for the formats that want events
 * (OTF2) rather than intervals. */
#ifndef SCOPE_EXPORT_ENTER_LEAVE_H
#define SCOPE_EXPORT_ENTER_LEAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile/trace.h"

/* An event: @enter (else a leave) of @region at @ns. 0, or a negative
 * errno that stops the conversion and comes back from the call that
 * emitted it. */
typedef int (*enter_leave_fn)(void *ctx, bool enter, uint64_t ns,
			      uint32_t region);

struct enter_leave;

/* NULL with errno ENOMEM. */
struct enter_leave *enter_leave__new(enter_leave_fn fn, void *ctx);
/* Takes the thread's next interval. An outermost one (depth 0) completes
 * what came before it: its events, and those of everything nested in it,
 * are emitted, in time order. Until then they wait, so the memory held
 * is the intervals of the largest outermost region (32 bytes each).
 * 0, -ENOMEM, -E2BIG (2^32 intervals waiting) or the callback's error. */
int enter_leave__add(struct enter_leave *el, const struct trace_interval *v);
/* Emits what still waits: regions whose enclosing ones the trace does
 * not hold (--trace-regions left them out, or the trace was cut). Those
 * are nested as their times say. 0 or the callback's error. */
int enter_leave__drain(struct enter_leave *el);
/* Intervals waiting for their outermost region. */
size_t enter_leave__waiting(const struct enter_leave *el);
void enter_leave__free(struct enter_leave *el);

#endif /* SCOPE_EXPORT_ENTER_LEAVE_H */
