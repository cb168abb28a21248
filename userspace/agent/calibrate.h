/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The agent's start-up pass: which probe site a marker gets on this host
 * (--site-mode=auto) and what a probe pair costs there, both measured on
 * the agent's own marked code with the BPF object the profile runs
 * (docs/compensation.md, docs/markers.md). */
#ifndef SCOPE_CALIBRATE_H
#define SCOPE_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/profile.h"

/* auto takes the 5-byte nops only when a region in a loop costs this much
 * less there than at the 1-byte nops (and never where the kernel does not
 * optimise nop5 uprobes): within it the two are a tie, and a tie goes to
 * the 1-byte nops, which every kernel runs the same way, with no
 * trampoline page in the target */
#define CALIB_TIE_PCT 5

struct calib_opts {
	bool choose; /* time both sites and calibrate the cheaper (auto) */
	bool nop5;   /* without @choose: calibrate the 5-byte nops */
};

struct calib {
	/* the probes' share inside a region's own duration: the BEGIN probe
	 * after its timestamp and the END probe before its */
	uint64_t inregion_ns;
	/* the whole cost of a child's BEGIN and END as its parent sees it */
	uint64_t pair_ns;
	uint64_t inregion_spread_ns; /* p90 - p10 over the empty regions */
	uint64_t pair_spread_ns;     /* p90 - p10 over the parents */
	/* the same pair timed from outside: clock_gettime around calls
	 * with the probes attached, minus detached (a cross-check) */
	uint64_t outside_pair_ns;
	/* the pass's own time: sites attached, both forms timed, the
	 * numbers taken; the BPF object's load is the caller's */
	uint64_t elapsed_ns;
	bool nop5;	      /* the site the numbers are for */
	bool chose;	      /* both sites timed, the cheaper taken */
	bool optimises;	      /* the kernel can optimise nop5 uprobes */
	bool trampoline_seen; /* [uprobes] mapped here after nop5 hits */
	/* with @chose: ns per region in a loop at each site (median over
	 * the rounds), what auto ranks them by; 0 when not timed */
	uint64_t trap_ns, nop5_ns;
	/* with @chose on a kernel that optimises nop5: the other site's
	 * numbers, which the target's site trial may take instead */
	bool other_valid;
	uint64_t other_inregion_ns, other_pair_ns;
	uint64_t other_inregion_spread_ns, other_pair_spread_ns;
	char method[320];
};

struct probes;

/* Probes the agent's own calibration regions with @p (loaded with the
 * agent's pid as agent_tgid, before any target site is attached), runs
 * them at the sites @o asks for, interleaved, and takes the numbers. The
 * probes stay on @p, disabled: removing a uprobe waits for the kernel
 * (~100 ms), and the agent never runs those regions again. Every record
 * the pass made is consumed here, none is left for the profile's
 * consumer. 0 or -errno (said on stderr by the caller). */
int calibrate__run(struct probes *p, const struct calib_opts *o,
		   struct calib *out);
/* The target's site trial moved its markers to the other form: the
 * numbers of that site, when the pass measured them, and a method that
 * says so. */
void calibrate__take_other(struct calib *c);
/* The numbers into the /meta fields; -ENOMEM. */
int calibrate__to_meta(const struct calib *c, struct profile_meta *m);

#endif /* SCOPE_CALIBRATE_H */
