/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The live status line of `run` and `attach` on a terminal: elapsed time,
 * regions per second over the last second, regions and losses so far, and
 * the agent's memory. The numbers are the session's; this module keeps
 * the pace and the wording, and common/log.c keeps the line apart from
 * the messages. */
#ifndef SCOPE_STATUS_H
#define SCOPE_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Once a second: a rate over a shorter time jumps about, and the line
 * shares the terminal with the command's own output (docs/scope-bpf.1). */
#define STATUS_PERIOD_NS 1000000000ull

/* What the line says at one moment. */
struct status_sample {
	uint64_t ns;	    /* CLOCK_MONOTONIC */
	uint64_t regions;   /* regions ended since the profile started */
	uint64_t lost;	    /* region instances lost so far */
	uint64_t mem_bytes; /* the agent's resident memory; 0 unknown */
};

struct status {
	bool on;
	struct status_sample start, prev;
};

/* Starts the line's clock at @start (nothing shows before a second has
 * passed); with @on false, the other calls do nothing. */
void status__start(struct status *st, bool on,
		   const struct status_sample *start);
/* Whether a redraw is due at @now_ns. */
bool status__due(const struct status *st, uint64_t now_ns);
/* Redraws the line with @cur. */
void status__show(struct status *st, const struct status_sample *cur);
/* Erases the line for good: before the agent's closing lines. */
void status__end(struct status *st);
/* The line for @cur, with the rate since @prev, into @buf. */
void status__format(char *buf, size_t size, const struct status_sample *start,
		    const struct status_sample *prev,
		    const struct status_sample *cur);
/* The calling process's resident memory in bytes, 0 when unknown. */
uint64_t status__rss_bytes(void);

#endif /* SCOPE_STATUS_H */
