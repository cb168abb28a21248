// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The start-up pass: the agent's own marked regions (built with the same
 * scope_bpf.h as any target, so with both sites of a marker), probed with
 * the BPF object the profile uses, consumed here rather than by the
 * profile's consumer. One pass answers two questions: which site is
 * cheaper on this host (--site-mode=auto), and what a probe pair costs at
 * the site taken. The real program is what both depend on.
 *
 * The sites are ranked by a loop of inline regions timed from outside, ns
 * per region: the pattern of a hot loop, where a probe's cost matters
 * most, and of make bench's workload, at four placements in a cache line
 * (CALIB_LOOP_AT), ranked by their median: the trap's cost depends on the
 * placement, the nop5's does not. The regions below rank them differently
 * here: in a function that returns right after its END, a trap costs
 * ~1,190 or ~1,450 ns a pair, from one process to the next, against ~950
 * ns in most loops, while nop5 costs ~1,160 ns in both (docs/markers.md).
 *
 * Two regions tell the two costs of the calibration apart:
 * - an empty region: its measured duration is the probes' in-region share
 *   (the BEGIN probe after bpf_ktime_get_ns, the END probe before it);
 * - a parent of CALIB_K empty children: its duration minus an empty
 *   region's, less what the children's calls cost unprobed (timed with the
 *   probes detached), over CALIB_K, is the whole cost of one child's pair
 *   as the parent sees it.
 * Each site has its own copy of the regions; the copies run in alternating
 * rounds, so a slow spell of the host touches both.
 *
 * The BPF program gives these regions the target's path in the profile's
 * mode (record_type in bpf/regions.bpf.c): the children are folded, or
 * recorded, as the target's would be, so their pair costs the parent what
 * a target's child costs; only the outermost regions always come back as
 * records, made after their END's timestamp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/calibrate.h"
#include "agent/meta.h"
#include "agent/probes.h"
#include "agent/site_cost.h"
#include "aggregate/quantiles.h"
#include "common/log.h"
#include "discover/sites.h"
#include "scope_bpf.h"
#include "scope_bpf_record.h"

#define CALIB_K		 8    /* children per parent */
#define CALIB_ROUNDS	 40   /* rounds of interleaved runs */
#define CALIB_MIN_ROUNDS 10   /* fewer: no numbers */
#define CALIB_EMPTIES	 25   /* empty regions per round and site */
#define CALIB_PARENTS	 5    /* parents per round and site */
#define CALIB_LOOP	 25   /* loop regions per round, site and placement */
#define CALIB_PLACES	 4    /* placements of the loop in a cache line */
#define CALIB_WARMUP	 16   /* first records of each region, dropped */
#define CALIB_TIMED	 2000 /* calls per clock_gettime timing, unprobed */
#define CALIB_TIMED_ON	 200  /* the same, probed: each call is a record */
/* no round starts past this once CALIB_MIN_ROUNDS are done: a host where
 * a probe costs 10 us still finishes in about 150 ms */
#define CALIB_BUDGET_NS 100000000ull
_Static_assert(CALIB_PLACES == 4, "one loop copy per 16-byte slot of a line");

enum { CALIB_TRAP, CALIB_NOP5, CALIB__NSITES };
/* CALIB_LOOPED + i: the loop's region at placement i, whose records are
 * only counted */
enum { CALIB_EMPTY, CALIB_CHILD, CALIB_PARENT, CALIB_LOOPED };
#define CALIB__NKINDS (CALIB_LOOPED + CALIB_PLACES)
/* a region's id: its site's regions, then the other site's */
#define CALIB__NREGIONS (CALIB__NSITES * CALIB__NKINDS)

static const char *const region_names[CALIB__NREGIONS] = {
	"scope_calib_empty",	  "scope_calib_child",
	"scope_calib_parent",	  "scope_calib_loop0",
	"scope_calib_loop1",	  "scope_calib_loop2",
	"scope_calib_loop3",	  "scope_calib_empty_nop5",
	"scope_calib_child_nop5", "scope_calib_parent_nop5",
	"scope_calib_loop0_nop5", "scope_calib_loop1_nop5",
	"scope_calib_loop2_nop5", "scope_calib_loop3_nop5",
};

/* noinline and used: the sites stay where the probes go, one copy each */
static __attribute__((noinline, used)) void scope_calib_empty(void)
{
	SCOPE_BPF_BEGIN(scope_calib_empty);
	SCOPE_BPF_END(scope_calib_empty);
}

static __attribute__((noinline, used)) void scope_calib_child(void)
{
	SCOPE_BPF_BEGIN(scope_calib_child);
	SCOPE_BPF_END(scope_calib_child);
}

static __attribute__((noinline, used)) void scope_calib_parent(void)
{
	SCOPE_BPF_BEGIN(scope_calib_parent);
	for (int i = 0; i < CALIB_K; i++)
		scope_calib_child();
	SCOPE_BPF_END(scope_calib_parent);
}

/* The same three for the 5-byte nops: a probe on one site of a marker
 * must not share the marker with a probe on its other site. */
static __attribute__((noinline, used)) void scope_calib_empty_nop5(void)
{
	SCOPE_BPF_BEGIN(scope_calib_empty_nop5);
	SCOPE_BPF_END(scope_calib_empty_nop5);
}

static __attribute__((noinline, used)) void scope_calib_child_nop5(void)
{
	SCOPE_BPF_BEGIN(scope_calib_child_nop5);
	SCOPE_BPF_END(scope_calib_child_nop5);
}

static __attribute__((noinline, used)) void scope_calib_parent_nop5(void)
{
	SCOPE_BPF_BEGIN(scope_calib_parent_nop5);
	for (int i = 0; i < CALIB_K; i++)
		scope_calib_child_nop5();
	SCOPE_BPF_END(scope_calib_parent_nop5);
}

/* A loop of regions, @pad bytes further into a 64-byte aligned function
 * than its neighbours: the copies put the loop's sites at each 16-byte
 * slot of a cache line, where a compiler that aligns loops to 16 bytes
 * puts a target's. A trap's cost depends on that placement (~950 ns or
 * ~1,470 ns a region here, docs/markers.md); a nop5's does not. */
#define CALIB_LOOP_AT(name, pad)                                               \
	static __attribute__((noinline, aligned(64))) void name(int n)         \
	{                                                                      \
		__asm__ __volatile__("jmp 1f\n\t.fill " #pad ", 1, 0xcc\n1:"); \
		for (int i = 0; i < n; i++) {                                  \
			SCOPE_BPF_BEGIN(name);                                 \
			SCOPE_BPF_END(name);                                   \
		}                                                              \
	}

CALIB_LOOP_AT(scope_calib_loop0, 0)
CALIB_LOOP_AT(scope_calib_loop1, 16)
CALIB_LOOP_AT(scope_calib_loop2, 32)
CALIB_LOOP_AT(scope_calib_loop3, 48)
CALIB_LOOP_AT(scope_calib_loop0_nop5, 0)
CALIB_LOOP_AT(scope_calib_loop1_nop5, 16)
CALIB_LOOP_AT(scope_calib_loop2_nop5, 32)
CALIB_LOOP_AT(scope_calib_loop3_nop5, 48)

static void (*const calib_loop[CALIB__NSITES][CALIB_PLACES])(int) = {
	{ scope_calib_loop0, scope_calib_loop1, scope_calib_loop2,
	  scope_calib_loop3 },
	{ scope_calib_loop0_nop5, scope_calib_loop1_nop5,
	  scope_calib_loop2_nop5, scope_calib_loop3_nop5 },
};
static void (*const calib_empty[CALIB__NSITES])(void) = {
	scope_calib_empty,
	scope_calib_empty_nop5,
};
static void (*const calib_parent[CALIB__NSITES])(void) = {
	scope_calib_parent,
	scope_calib_parent_nop5,
};

/* The durations seen, by site and region. */
struct calib_samples {
	uint64_t empty[CALIB__NSITES][CALIB_ROUNDS * CALIB_EMPTIES];
	uint64_t parent[CALIB__NSITES][CALIB_ROUNDS * CALIB_PARENTS];
	size_t nempty[CALIB__NSITES], nparent[CALIB__NSITES];
	/* ns per region of each round's loop at each placement, timed from
	 * outside */
	uint64_t loop[CALIB__NSITES][CALIB_PLACES][CALIB_ROUNDS];
	size_t nloop[CALIB__NSITES];
	size_t seen[CALIB__NREGIONS];
	size_t bad_children; /* parents without CALIB_K children */
	/* records that start later are the outside timing's, not the
	 * rounds' */
	uint64_t until_ns;
};

static void samples__add(struct calib_samples *cs, const struct scope_record *r)
{
	uint64_t d = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 0;
	uint32_t site = r->region / CALIB__NKINDS;
	uint32_t kind = r->region % CALIB__NKINDS;

	if (r->type != SCOPE_REC_INTERVAL || r->region >= CALIB__NREGIONS ||
	    r->start_ns >= cs->until_ns || cs->seen[r->region]++ < CALIB_WARMUP)
		return;
	if (kind == CALIB_EMPTY &&
	    cs->nempty[site] < CALIB_ROUNDS * CALIB_EMPTIES)
		cs->empty[site][cs->nempty[site]++] = d;
	if (kind != CALIB_PARENT)
		return;
	if (r->child_calls != CALIB_K)
		cs->bad_children++;
	else if (cs->nparent[site] < CALIB_ROUNDS * CALIB_PARENTS)
		cs->parent[site][cs->nparent[site]++] = d;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	const struct scope_batch_header *h = data;
	const struct scope_record *rec = (const void *)(h + 1);
	size_t n;

	if (size < sizeof(*h) + sizeof(*rec))
		return 0;
	n = (size - sizeof(*h)) / sizeof(*rec);
	for (size_t i = 0; i < n; i++)
		samples__add(ctx, &rec[i]);
	return 0;
}

/* The calibration regions' sites in the agent's own executable, at the
 * sites in @sites (a bit per CALIB_TRAP/CALIB_NOP5), with their region ids
 * as cookies. */
static int own_sites(unsigned int sites, struct probe_site **out, size_t *n)
{
	struct site_list l = {};
	struct probe_site *ps;
	size_t want = 0;
	int err = sites__read_elf("/proc/self/exe", &l);

	if (err < 0)
		return err;
	ps = calloc(l.n ?: 1, sizeof(*ps));
	if (!ps) {
		site_list__free(&l);
		return -ENOMEM;
	}
	*n = 0;
	for (size_t i = 0; i < l.n; i++) {
		for (uint32_t r = 0; r < CALIB__NREGIONS; r++) {
			bool nop5 = r / CALIB__NKINDS == CALIB_NOP5;

			if (!(sites & 1u << (r / CALIB__NKINDS)) ||
			    strcmp(l.v[i].name, region_names[r]))
				continue;
			ps[*n].offset =
				nop5 ? l.v[i].nop5_offset : l.v[i].file_offset;
			ps[*n].kind = l.v[i].kind;
			ps[*n].region = r;
			/* a marker without a 5-byte nop: none to time */
			if (ps[*n].offset)
				(*n)++;
		}
	}
	site_list__free(&l);
	*out = ps;
	for (int s = 0; s < CALIB__NSITES; s++)
		want += sites & 1u << s ? 2 * CALIB__NKINDS : 0;
	/* a BEGIN and an END each, or the agent was built without markers */
	return *n >= want ? 0 : -ENOENT;
}

/* Mean ns of one call of @fn over @calls calls. */
static uint64_t time_calls(void (*fn)(void), int calls)
{
	uint64_t t0 = meta__now_ns();

	for (int i = 0; i < calls; i++)
		fn();
	return (meta__now_ns() - t0) / calls;
}

/* The median of several timings: one preemption must not move it. */
static uint64_t time_median(void (*fn)(void), int calls)
{
	uint64_t t[9];
	struct quantiles q;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		t[i] = time_calls(fn, calls);
	quantiles__of(t, sizeof(t) / sizeof(t[0]), &q);
	return q.median;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* One site's numbers from its samples and the unprobed cost of its
 * children. */
static int summarise(struct calib_samples *cs, int site, uint64_t children_ns,
		     struct calib *out)
{
	uint64_t *parent = cs->parent[site];
	struct quantiles qe, qp;

	if (cs->nempty[site] < CALIB_MIN_ROUNDS ||
	    cs->nparent[site] < CALIB_MIN_ROUNDS)
		return -ENODATA;
	quantiles__of(cs->empty[site], cs->nempty[site], &qe);
	/* each parent's excess over the median empty region, per child */
	for (size_t i = 0; i < cs->nparent[site]; i++)
		parent[i] =
			sub0(sub0(parent[i], qe.median), children_ns) / CALIB_K;
	quantiles__of(parent, cs->nparent[site], &qp);
	out->inregion_ns = qe.median;
	out->inregion_spread_ns = qe.spread;
	out->pair_ns = qp.median;
	out->pair_spread_ns = qp.spread;
	return 0;
}

/* ns per region of one loop at site @s, placement @at */
static uint64_t loop_ns(int s, int at)
{
	uint64_t t0 = meta__now_ns();

	calib_loop[s][at](CALIB_LOOP);
	return (meta__now_ns() - t0) / CALIB_LOOP;
}

/* One round's loops at site @s, every placement. */
static void run_loops(struct calib_samples *cs, int s)
{
	for (int at = 0; at < CALIB_PLACES; at++)
		cs->loop[s][at][cs->nloop[s]] = loop_ns(s, at);
	cs->nloop[s]++;
}

/* Rounds of both sites (or one), alternating which goes first; each round
 * drains the ring buffer, which then never fills, whatever its size. */
static int run_rounds(struct ring_buffer *rb, unsigned int sites,
		      struct calib_samples *cs)
{
	uint64_t t0 = meta__now_ns();
	int err = 0;

	for (int s = 0; s < CALIB__NSITES; s++) {
		/* the kernel rewrites a probed nop5 on its first hit */
		for (int w = 0; (sites & 1u << s) && w < CALIB_WARMUP; w++) {
			calib_empty[s]();
			calib_parent[s]();
		}
		for (int at = 0; (sites & 1u << s) && at < CALIB_PLACES; at++)
			calib_loop[s][at](CALIB_WARMUP);
	}
	for (int r = 0;
	     err >= 0 && r < CALIB_ROUNDS &&
	     (r < CALIB_MIN_ROUNDS || meta__now_ns() - t0 < CALIB_BUDGET_NS);
	     r++) {
		for (int k = 0; k < CALIB__NSITES; k++) {
			int s = (r + k) % CALIB__NSITES;

			if (!(sites & 1u << s))
				continue;
			for (int i = 0; i < CALIB_EMPTIES; i++)
				calib_empty[s]();
			for (int i = 0; i < CALIB_PARENTS; i++)
				calib_parent[s]();
			run_loops(cs, s);
		}
		err = ring_buffer__consume(rb);
	}
	return err < 0 ? err : 0;
}

/* auto: nop5 where the kernel optimises it and it beats trap by more than
 * CALIB_TIE_PCT; a tie goes to trap (calibrate.h says why) */
static bool nop5_wins(const struct calib *c)
{
	return c->optimises &&
	       c->nop5_ns * 100 < c->trap_ns * (100 - CALIB_TIE_PCT);
}

/* The median over the placements (the mean of the middle two) of each
 * one's median over the rounds, at site @s: a target's cost wherever its
 * compiler put the loop. The sort is quantiles__of's; the nearest-rank
 * median of four would be the second cheapest, which leans to the site
 * that is slow at more placements. */
static uint64_t loop_median(struct calib_samples *cs, int s)
{
	uint64_t at[CALIB_PLACES];
	struct quantiles q;

	for (int i = 0; i < CALIB_PLACES; i++) {
		quantiles__of(cs->loop[s][i], cs->nloop[s], &q);
		at[i] = q.median;
	}
	pr_debug(
		"calibration: %s a region in a loop at each placement: %llu %llu %llu %llu ns\n",
		s == CALIB_NOP5 ? "nop5" : "trap", (unsigned long long)at[0],
		(unsigned long long)at[1], (unsigned long long)at[2],
		(unsigned long long)at[3]);
	quantiles__of(at, CALIB_PLACES, &q);
	return (at[CALIB_PLACES / 2 - 1] + at[CALIB_PLACES / 2]) / 2;
}

/* Both sites' numbers, then the chosen one's into @out. */
static int take_numbers(struct calib_samples *cs, unsigned int sites,
			const uint64_t *children_ns, struct calib *out)
{
	struct calib at[CALIB__NSITES] = {};
	int err = 0;

	for (int s = 0; !err && s < CALIB__NSITES; s++)
		if (sites & 1u << s)
			err = summarise(cs, s, children_ns[s], &at[s]);
	if (err)
		return err;
	if (out->chose) {
		out->trap_ns = loop_median(cs, CALIB_TRAP);
		out->nop5_ns = loop_median(cs, CALIB_NOP5);
		out->nop5 = nop5_wins(out);
	}
	out->inregion_ns = at[out->nop5].inregion_ns;
	out->inregion_spread_ns = at[out->nop5].inregion_spread_ns;
	out->pair_ns = at[out->nop5].pair_ns;
	out->pair_spread_ns = at[out->nop5].pair_spread_ns;
	out->other_valid = (sites & 1u << !out->nop5) != 0;
	out->other_inregion_ns = at[!out->nop5].inregion_ns;
	out->other_inregion_spread_ns = at[!out->nop5].inregion_spread_ns;
	out->other_pair_ns = at[!out->nop5].pair_ns;
	out->other_pair_spread_ns = at[!out->nop5].pair_spread_ns;
	return 0;
}

static void swap_u64(uint64_t *a, uint64_t *b)
{
	uint64_t t = *a;

	*a = *b;
	*b = t;
}

void calibrate__take_other(struct calib *c)
{
	size_t len = strlen(c->method);

	c->nop5 = !c->nop5;
	if (!c->other_valid) {
		snprintf(
			c->method + len, sizeof(c->method) - len,
			"; the target's site trial moved it to %s, not calibrated: the numbers are the other site's",
			c->nop5 ? "nop5" : "trap");
		return;
	}
	swap_u64(&c->inregion_ns, &c->other_inregion_ns);
	swap_u64(&c->pair_ns, &c->other_pair_ns);
	swap_u64(&c->inregion_spread_ns, &c->other_inregion_spread_ns);
	swap_u64(&c->pair_spread_ns, &c->other_pair_spread_ns);
	snprintf(
		c->method + len, sizeof(c->method) - len,
		"; the target's site trial moved it to %s: these are that site's numbers",
		c->nop5 ? "nop5" : "trap");
}

/* The pass with the probes on: rounds, the numbers, then the chosen site
 * timed from outside. Every full batch of records reaches the ring buffer
 * during that timing and is drained here; the last, partial one stays in
 * the agent thread's storage, which nothing flushes. */
static int measure(struct probes *p, unsigned int sites, const uint64_t *off,
		   const uint64_t *children_ns, struct calib_samples *cs,
		   struct calib *out)
{
	struct ring_buffer *rb;
	uint64_t on = 0;
	int err;

	rb = ring_buffer__new(probes__ringbuf_fd(p), on_sample, cs, NULL);
	if (!rb)
		return -errno;
	cs->until_ns = UINT64_MAX;
	probes__enable(p, true);
	err = run_rounds(rb, sites, cs);
	cs->until_ns = meta__now_ns();
	if (!err)
		err = take_numbers(cs, sites, children_ns, out);
	if (!err)
		on = time_median(calib_empty[out->nop5], CALIB_TIMED_ON);
	probes__enable(p, false);
	if (ring_buffer__consume(rb) < 0 && !err)
		err = -EIO;
	ring_buffer__free(rb);
	out->outside_pair_ns = sub0(on, off[out->nop5]);
	return err;
}

static void say_method(const struct calib_samples *cs, struct calib *out)
{
	const char *site = out->nop5 ? "nop5" : "trap";
	char how[112];

	if (out->chose && !out->optimises)
		snprintf(how, sizeof(how),
			 "auto, the kernel does not optimise nop5 uprobes");
	else if (out->chose)
		snprintf(
			how, sizeof(how),
			"auto, a region in a loop at trap %llu ns, nop5 %llu ns, a tie within %d%% to trap",
			(unsigned long long)out->trap_ns,
			(unsigned long long)out->nop5_ns, CALIB_TIE_PCT);
	else
		snprintf(how, sizeof(how), "forced");
	snprintf(
		out->method, sizeof(out->method),
		"self-calibration: %s sites (%s); %zu empty regions, %zu parents of %d empty children, median and p10-p90 spread",
		site, how, cs->nempty[out->nop5], cs->nparent[out->nop5],
		CALIB_K);
}

/* Times the regions unprobed, attaches, and measures them probed. Before
 * the attach: a disabled probe still traps, and costs most of its time. */
static int calibrate__attach(struct probes *p, unsigned int sites,
			     const struct probe_site *ps, size_t n,
			     struct calib *out)
{
	struct calib_samples *cs = calloc(1, sizeof(*cs));
	uint64_t children_ns[CALIB__NSITES] = {}, off[CALIB__NSITES] = {};
	int err;

	if (!cs)
		return -ENOMEM;
	/* what CALIB_K child calls cost with no probe on them */
	for (int s = 0; s < CALIB__NSITES; s++) {
		if (!(sites & 1u << s))
			continue;
		off[s] = time_median(calib_empty[s], CALIB_TIMED);
		children_ns[s] =
			sub0(time_median(calib_parent[s], CALIB_TIMED), off[s]);
	}
	err = probes__attach_self(p, ps, n);
	if (!err)
		err = measure(p, sites, off, children_ns, cs, out);
	if (!err && cs->bad_children)
		pr_debug("calibration: %zu parents without %d children\n",
			 cs->bad_children, CALIB_K);
	if (!err)
		say_method(cs, out);
	free(cs);
	return err;
}

static void say_pass(const struct calib *c)
{
	char sites[160] = "";

	if (c->chose)
		snprintf(
			sites, sizeof(sites),
			"trap %llu ns, nop5 %llu ns a region in a loop (kernel %s nop5 uprobes, trampoline %s): %s; ",
			(unsigned long long)c->trap_ns,
			(unsigned long long)c->nop5_ns,
			c->optimises ? "optimises" : "does not optimise",
			c->trampoline_seen ? "seen" : "not seen",
			c->nop5 ? "nop5" : "trap");
	pr_debug(
		"calibration: %sin-region %llu ns, pair %llu ns at %s (%llu ns timed from outside), pass %.1f ms\n",
		sites, (unsigned long long)c->inregion_ns,
		(unsigned long long)c->pair_ns, c->nop5 ? "nop5" : "trap",
		(unsigned long long)c->outside_pair_ns, c->elapsed_ns / 1e6);
}

int calibrate__run(struct probes *p, const struct calib_opts *o,
		   struct calib *out)
{
	uint64_t t0 = meta__now_ns();
	struct probe_site *ps = NULL;
	unsigned int sites;
	size_t n = 0;
	int err;

	memset(out, 0, sizeof(*out));
	out->optimises = site_cost__kernel_optimises();
	out->chose = o->choose;
	out->nop5 = !o->choose && o->nop5;
	sites = 1u << out->nop5;
	/* a nop5 the kernel does not optimise traps too: it cannot win,
	 * and each probe is one more to remove at the end */
	if (o->choose && out->optimises)
		sites |= 1u << CALIB_NOP5;
	err = own_sites(sites, &ps, &n);
	if (!err)
		err = calibrate__attach(p, sites, ps, n, out);
	free(ps);
	if (!err && sites & 1u << CALIB_NOP5)
		out->trampoline_seen = site_cost__trampoline_mapped(getpid());
	out->elapsed_ns = meta__now_ns() - t0;
	if (!err)
		say_pass(out);
	return err;
}

int calibrate__to_meta(const struct calib *c, struct profile_meta *m)
{
	free(m->calib_method);
	m->calib_method = strdup(c->method);
	m->calib_inregion_ns = c->inregion_ns;
	m->calib_pair_ns = c->pair_ns;
	m->calib_inregion_spread_ns = c->inregion_spread_ns;
	m->calib_pair_spread_ns = c->pair_spread_ns;
	return m->calib_method ? 0 : -ENOMEM;
}
