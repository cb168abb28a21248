// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Self-calibration: the agent's own marked regions (built with the same
 * scope_bpf.h as any target, so with the same site form), probed by a
 * second instance of the BPF program filtered to the agent's pid, consumed
 * here rather than by the profile's consumer.
 *
 * Two regions tell the two costs apart:
 * - an empty region: its measured duration is the probes' in-region share
 *   (the BEGIN probe after bpf_ktime_get_ns, the END probe before it);
 * - a parent of CALIB_K empty children: its duration minus an empty
 *   region's, less what the children's calls cost unprobed (timed with the
 *   probes detached), over CALIB_K, is the whole cost of one child's pair
 *   as the parent sees it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/calibrate.h"
#include "agent/meta.h"
#include "agent/probes.h"
#include "aggregate/quantiles.h"
#include "common/log.h"
#include "discover/sites.h"
#include "scope_bpf.h"
#include "scope_bpf_record.h"

#define CALIB_K	       8    /* children per parent */
#define CALIB_ROUNDS   40   /* rounds of interleaved runs */
#define CALIB_EMPTIES  25   /* empty regions per round */
#define CALIB_PARENTS  5    /* parents per round */
#define CALIB_WARMUP   16   /* first records of each region, dropped */
#define CALIB_TIMED    2000 /* calls per clock_gettime timing, unprobed */
#define CALIB_TIMED_ON 200  /* the same, probed: each call is a record */
#define CALIB_RINGBUF  (1ul << 20)

enum { CALIB_EMPTY, CALIB_CHILD, CALIB_PARENT, CALIB__NREGIONS };

static const char *const region_names[CALIB__NREGIONS] = {
	"scope_calib_empty",
	"scope_calib_child",
	"scope_calib_parent",
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

/* The durations seen, by region. */
struct calib_samples {
	uint64_t empty[CALIB_ROUNDS * CALIB_EMPTIES];
	uint64_t parent[CALIB_ROUNDS * CALIB_PARENTS];
	size_t nempty, nparent;
	size_t seen[CALIB__NREGIONS];
	size_t bad_children; /* parents without CALIB_K children */
};

static void samples__add(struct calib_samples *cs, const struct scope_record *r)
{
	uint64_t d = r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 0;

	if (r->type != SCOPE_REC_INTERVAL || r->region >= CALIB__NREGIONS ||
	    cs->seen[r->region]++ < CALIB_WARMUP)
		return;
	if (r->region == CALIB_EMPTY &&
	    cs->nempty < sizeof(cs->empty) / sizeof(cs->empty[0]))
		cs->empty[cs->nempty++] = d;
	if (r->region != CALIB_PARENT)
		return;
	if (r->child_calls != CALIB_K)
		cs->bad_children++;
	else if (cs->nparent < sizeof(cs->parent) / sizeof(cs->parent[0]))
		cs->parent[cs->nparent++] = d;
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

/* The calibration regions' sites in the agent's own executable, with
 * their region ids as cookies. */
static int own_sites(struct probe_site **out, size_t *n)
{
	struct site_list sites = {};
	struct probe_site *ps;
	int err = sites__read_elf("/proc/self/exe", &sites);

	if (err < 0)
		return err;
	ps = calloc(sites.n ?: 1, sizeof(*ps));
	if (!ps) {
		site_list__free(&sites);
		return -ENOMEM;
	}
	*n = 0;
	for (size_t i = 0; i < sites.n; i++) {
		for (uint32_t r = 0; r < CALIB__NREGIONS; r++) {
			if (strcmp(sites.v[i].name, region_names[r]))
				continue;
			ps[*n].offset = sites.v[i].file_offset;
			ps[*n].kind = sites.v[i].kind;
			ps[(*n)++].region = r;
		}
	}
	site_list__free(&sites);
	*out = ps;
	/* a BEGIN and an END each, or the agent was built without markers */
	return *n >= 2 * CALIB__NREGIONS ? 0 : -ENOENT;
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

static void run_rounds(void)
{
	for (int w = 0; w < CALIB_WARMUP; w++) {
		scope_calib_empty();
		scope_calib_parent();
	}
	/* interleaved, so a slow spell of the host touches both */
	for (int r = 0; r < CALIB_ROUNDS; r++) {
		for (int i = 0; i < CALIB_EMPTIES; i++)
			scope_calib_empty();
		for (int i = 0; i < CALIB_PARENTS; i++)
			scope_calib_parent();
	}
}

/* Runs the regions probed, takes every record, and times the calls from
 * outside. The probes stay attached, disabled: removing a uprobe waits for
 * the kernel's RCU grace periods (over 100 ms here), so the caller may keep
 * them until the end of the profile rather than pay that before it. */
static int measure(struct probes *p, struct calib_samples *cs, uint64_t off,
		   uint64_t *outside_ns)
{
	struct ring_buffer *rb;
	uint64_t on;
	long open;
	int err;

	rb = ring_buffer__new(probes__ringbuf_fd(p), on_sample, cs, NULL);
	if (!rb)
		return -errno;
	probes__enable(p, true);
	run_rounds();
	err = ring_buffer__consume(rb);
	/* its records come after the rounds' ones: samples__add has room for
	 * the rounds only, and leaves them out */
	on = time_median(scope_calib_empty, CALIB_TIMED_ON);
	/* this thread is the only producer, and it is here: nothing moves */
	probes__enable(p, false);
	open = probes__flush_threads(p);
	if (err >= 0)
		err = ring_buffer__consume(rb);
	ring_buffer__free(rb);
	*outside_ns = on > off ? on - off : 0;
	if (err < 0)
		return err;
	return open < 0 ? (int)open : 0;
}

static uint64_t sub0(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* The numbers from the samples and the unprobed cost of the children. */
static int summarise(struct calib_samples *cs, uint64_t children_ns,
		     struct calib *out)
{
	struct quantiles qe, qp;

	if (cs->nempty < CALIB_ROUNDS || cs->nparent < CALIB_ROUNDS)
		return -ENODATA;
	quantiles__of(cs->empty, cs->nempty, &qe);
	/* each parent's excess over the median empty region, per child */
	for (size_t i = 0; i < cs->nparent; i++)
		cs->parent[i] =
			sub0(sub0(cs->parent[i], qe.median), children_ns) /
			CALIB_K;
	quantiles__of(cs->parent, cs->nparent, &qp);
	out->inregion_ns = qe.median;
	out->inregion_spread_ns = qe.spread;
	out->pair_ns = qp.median;
	out->pair_spread_ns = qp.spread;
	snprintf(
		out->method, sizeof(out->method),
		"self-calibration: %zu empty regions, %zu parents of %d empty children, median and p10-p90 spread",
		cs->nempty, cs->nparent, CALIB_K);
	return 0;
}

/* Times the regions unprobed, attaches, and measures them probed. Before
 * the attach: a disabled probe still traps, and costs most of its time. */
static int calibrate__attach(struct probes *p, const struct probe_site *ps,
			     size_t n, struct calib *out)
{
	struct calib_samples *cs = calloc(1, sizeof(*cs));
	uint64_t children_ns, off;
	int err;

	if (!cs)
		return -ENOMEM;
	/* what CALIB_K child calls cost with no probe on them */
	off = time_median(scope_calib_empty, CALIB_TIMED);
	children_ns = sub0(time_median(scope_calib_parent, CALIB_TIMED), off);
	err = probes__attach_object(p, "/proc/self/exe", ps, n);
	if (!err)
		err = measure(p, cs, off, &out->outside_pair_ns);
	if (!err && cs->bad_children)
		pr_debug("calibration: %zu parents without %d children\n",
			 cs->bad_children, CALIB_K);
	if (!err)
		err = summarise(cs, children_ns, out);
	free(cs);
	return err;
}

int calibrate__run(struct calib *out, struct probes **keep)
{
	struct probes_opts po = {
		.pid = getpid(),
		.max_depth = SCOPE_MAX_DEPTH,
		.ringbuf_bytes = CALIB_RINGBUF,
		/* it reads regions one by one */
		.records = true,
	};
	uint64_t t0 = meta__now_ns();
	struct probe_site *ps = NULL;
	struct probes *p = NULL;
	size_t n = 0;
	int err;

	memset(out, 0, sizeof(*out));
	err = own_sites(&ps, &n);
	if (!err) {
		p = probes__new(&po);
		err = p ? 0 : -errno;
	}
	if (!err)
		err = calibrate__attach(p, ps, n, out);
	out->elapsed_ns = meta__now_ns() - t0;
	if (keep && !err)
		*keep = p;
	else
		probes__free(p);
	free(ps);
	if (!err)
		pr_debug(
			"calibration: in-region %llu ns, pair %llu ns (%llu ns timed from outside), %.1f ms\n",
			(unsigned long long)out->inregion_ns,
			(unsigned long long)out->pair_ns,
			(unsigned long long)out->outside_pair_ns,
			out->elapsed_ns / 1e6);
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
