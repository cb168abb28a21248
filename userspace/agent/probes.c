// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loads bpf/regions.bpf.c through its skeleton and owns every uprobe link:
 * links are file descriptors, so the kernel removes the probes when the agent
 * exits, however it exits. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent/probes.h"
#include "agent/probes_internal.h"
#include "agent/uprobe_multi.h"
#include "common/array.h"
#include "common/log.h"
#include "regions.skel.h"
#include "scope_bpf.h"

/* The agent's own links, removed beside the profile rather than in its
 * way: a perf-event uprobe link waits for the kernel as it goes, one after
 * the other (per-site attach, kernels before 6.10: ~80 ms each here). */
struct self_reaper {
	pthread_t thread;
	struct bpf_link **links;
	size_t nlinks;
	int *fds;
	size_t nfds;
};

/* SCOPE_BPF_ATTACH chooses how sites are attached: "per-site" (one perf-event
 * link per site, what kernels before 6.10 get: set, it lets the tests run
 * that path on any kernel), "multi" (uprobe_multi, an error where the kernel
 * cannot) or unset/"auto" (multi where the kernel can). */
static int attach_mode(bool *multi)
{
	const char *mode = getenv("SCOPE_BPF_ATTACH");

	if (!mode || !*mode || !strcmp(mode, "auto")) {
		*multi = uprobe_multi__supported();
		return 0;
	}
	if (!strcmp(mode, "per-site")) {
		*multi = false;
		return 0;
	}
	if (!strcmp(mode, "multi")) {
		*multi = uprobe_multi__supported();
		if (!*multi)
			pr_err("SCOPE_BPF_ATTACH=multi: this kernel has no usable uprobe_multi (6.10 or later)\n");
		return *multi ? 0 : -EOPNOTSUPP;
	}
	pr_err("SCOPE_BPF_ATTACH=%s: expected per-site, multi or auto\n", mode);
	return -EINVAL;
}

/* SCOPE_BPF_AGGREGATE says where regions are aggregated: "kernel" (unset:
 * each thread's BPF hash entries, docs/performance.md) or "ring" (a record
 * per region through the ring buffer to the agent, as trace mode needs). */
static int aggregate_mode(bool *in_kernel)
{
	const char *mode = getenv("SCOPE_BPF_AGGREGATE");

	*in_kernel = !mode || !*mode || !strcmp(mode, "kernel");
	if (*in_kernel || !strcmp(mode, "ring"))
		return 0;
	pr_err("SCOPE_BPF_AGGREGATE=%s: expected kernel or ring\n", mode);
	return -EINVAL;
}

/* A count from the environment variable @name into @n, left as it is when
 * the variable is unset or empty: @lo to @hi of @what, else -EINVAL. */
static int env_count(const char *name, unsigned long lo, unsigned long hi,
		     const char *what, uint32_t *n)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi) {
		pr_err("%s=%s: expected %lu to %lu %s\n", name, s, lo, hi,
		       what);
		return -EINVAL;
	}
	*n = v;
	return 0;
}

/* SCOPE_BPF_AGG_ENTRIES caps the kernel's aggregate table (threads alive
 * x regions they ended); past it regions go through the ring. For tests
 * and for programs with very many threads. */
static int agg_entries(uint32_t *n)
{
	*n = SCOPE_AGG_ENTRIES;
	return env_count("SCOPE_BPF_AGG_ENTRIES", 1, 1ul << 24, "entries", n);
}

/* SCOPE_BPF_FAST_STACKS: the target's threads whose stacks live in slots,
 * where a probe finds them without a helper call (bpf/thread_stack.h); the
 * others keep them in task storage. 0 turns the slots off. Default: four
 * threads a CPU, 64 to SCOPE_MAX_FAST_STACKS (a slot is 12 KiB of kernel
 * memory). */
#define SCOPE_MAX_FAST_STACKS 4096

static int fast_stacks(uint32_t *n)
{
	int ncpus = libbpf_num_possible_cpus();

	*n = ncpus > 0 ? 4 * (uint32_t)ncpus : 64;
	if (*n < 64)
		*n = 64;
	if (*n > SCOPE_MAX_FAST_STACKS)
		*n = SCOPE_MAX_FAST_STACKS;
	return env_count("SCOPE_BPF_FAST_STACKS", 0, SCOPE_MAX_FAST_STACKS,
			 "threads", n);
}

static int setup_slots(struct probes *p, uint32_t n)
{
	int err;

	n = n ? n + 1 : 0;
	p->skel->rodata->fast_stacks = n;
	bpf_program__set_autoload(p->skel->progs.slot_switch, n > 0);
	err = bpf_map__set_max_entries(p->skel->maps.slot_stacks, n ?: 1);
	if (!err)
		err = bpf_map__set_max_entries(p->skel->maps.free_slots,
					       n ?: 1);
	return err;
}

/* Every slot free, then the switch program that keeps each CPU's slot
 * right: only then may threads take slots. Without it they keep their
 * stacks in task storage, which costs time, not regions. */
static void start_slots(struct probes *p)
{
	int fd = bpf_map__fd(p->skel->maps.free_slots);
	uint32_t n = p->skel->rodata->fast_stacks;

	if (!n)
		return;
	for (uint32_t k = 0; k < n; k++) {
		if (bpf_map_update_elem(fd, NULL, &k, 0)) {
			pr_debug("cannot free stack slot %u: %s\n", k,
				 strerror(errno));
			return;
		}
	}
	/* destroyed with the skeleton, after every probe's link */
	p->skel->links.slot_switch =
		bpf_program__attach(p->skel->progs.slot_switch);
	if (!p->skel->links.slot_switch) {
		pr_debug(
			"stacks stay in task storage: cannot follow context switches: %s\n",
			strerror(errno));
		return;
	}
	__atomic_store_n(&p->skel->bss->slots_on, 1, __ATOMIC_SEQ_CST);
}

/* Sizes the counters' array and drops their programs when there are none:
 * with ncounters 0 the verifier removes their branches from the probes. */
static int setup_counters(struct probes *p, const struct probes_opts *opts)
{
	uint32_t n = opts->ncounters * (opts->ncpus ?: 1);

	if (opts->ncounters > SCOPE_MAX_COUNTERS)
		return -E2BIG;
	p->skel->rodata->ncounters = opts->ncounters;
	p->skel->rodata->ncpus = opts->ncpus ?: 1;
	bpf_program__set_autoload(p->skel->progs.count_switch,
				  opts->ncounters > 0);
	return bpf_map__set_max_entries(p->skel->maps.pmcs, n ?: 1);
}

/* The events' fds into the array, once it exists. */
static int fill_counters(struct probes *p, const struct probes_opts *opts)
{
	int fd = bpf_map__fd(p->skel->maps.pmcs);
	uint32_t n = opts->ncounters * opts->ncpus;

	for (uint32_t i = 0; i < n; i++) {
		if (opts->counter_fds[i] < 0)
			continue;
		if (bpf_map_update_elem(fd, &i, &opts->counter_fds[i], 0))
			return -errno;
	}
	return 0;
}

struct probes *probes__new(const struct probes_opts *opts)
{
	uint32_t entries, slots;
	struct probes *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return NULL;
	log__route_libbpf();
	err = attach_mode(&p->multi);
	if (!err)
		err = aggregate_mode(&p->in_kernel);
	if (!err)
		err = agg_entries(&entries);
	if (!err)
		err = fast_stacks(&slots);
	if (err)
		goto cleanup;
	p->in_kernel = p->in_kernel && !opts->records;
	p->skel = regions_bpf__open();
	if (!p->skel) {
		err = -errno;
		goto cleanup;
	}
	if (p->multi)
		probes__expect_multi(p);
	pr_debug("probes: %s\n", p->multi ? "uprobe_multi links" :
					    "one perf-event link per site");
	p->skel->rodata->max_depth = opts->max_depth;
	p->skel->rodata->target_tgid = opts->pid;
	p->skel->rodata->agent_tgid = getpid();
	p->skel->rodata->launch_execs = opts->launch_execs;
	p->skel->rodata->aggregate = p->in_kernel;
	p->skel->rodata->trace = opts->trace;
	p->skel->rodata->trace_all = !opts->trace_some;
	p->skel->rodata->trace_min_ns = opts->trace_min_ns;
	p->skel->rodata->progress = opts->progress;
	p->filter_pid = opts->all_processes ? -1 : opts->pid;
	p->target_pid = opts->pid;
	/* a quarter full: the agent's timer has fallen behind the producers */
	p->skel->rodata->wakeup_bytes = opts->ringbuf_bytes / 4;
	err = bpf_map__set_max_entries(p->skel->maps.records,
				       opts->ringbuf_bytes);
	if (!err)
		err = bpf_map__set_max_entries(p->skel->maps.aggs, entries);
	if (!err)
		err = setup_counters(p, opts);
	if (!err)
		err = setup_slots(p, slots);
	if (err)
		goto cleanup;
	err = regions_bpf__load(p->skel);
	if (!err && opts->ncounters)
		err = fill_counters(p, opts);
	if (err)
		goto cleanup;
	start_slots(p);
	return p;
cleanup:
	probes__free(p);
	errno = -err;
	return NULL;
}

uint64_t probes__stack_slots(const struct probes *p)
{
	if (!__atomic_load_n(&p->skel->bss->slots_on, __ATOMIC_SEQ_CST))
		return 0;
	return p->skel->rodata->fast_stacks - 1; /* the agent's own */
}

void probes__enable(struct probes *p, bool on)
{
	__atomic_store_n(&p->skel->bss->enabled, on, __ATOMIC_SEQ_CST);
}

void probes__detach(struct probes *p)
{
	site_forms__drop(p);
	probes__drop_links(p, p->nself_links, p->nself_fds);
}

static void *reap(void *arg)
{
	struct self_reaper *r = arg;

	for (size_t i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	for (size_t i = 0; i < r->nlinks; i++)
		bpf_link__destroy(r->links[i]);
	return NULL;
}

static void reaper__free(struct self_reaper *r)
{
	if (!r)
		return;
	free(r->links);
	free(r->fds);
	free(r);
}

/* The thread blocks every signal: the agent reads SIGINT and the others
 * from a signalfd once its waiter is set up, and a thread that let one
 * through would take it instead (and die of it, the agent with it). */
static int reaper__start(struct self_reaper *r)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&r->thread, NULL, reap, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err;
}

/* Moves the first @n of @from (of *@len) into @to. */
static void take_first(void *to, void *from, size_t size, size_t n, size_t *len)
{
	if (!n) /* @from may be NULL then, which memcpy must not get */
		return;
	memcpy(to, from, n * size);
	memmove(from, (char *)from + n * size, (*len - n) * size);
	*len -= n;
}

int probes__release_self(struct probes *p)
{
	struct self_reaper *r;

	if (p->reaper || (!p->nself_links && !p->nself_fds))
		return 0;
	if (p->nlinks != p->nself_links || p->nmulti != p->nself_fds)
		return -EBUSY; /* the target's come after them: too late */
	r = calloc(1, sizeof(*r));
	if (r) {
		r->links = calloc(p->nself_links ?: 1, sizeof(*r->links));
		r->fds = calloc(p->nself_fds ?: 1, sizeof(*r->fds));
	}
	if (!r || !r->links || !r->fds) {
		reaper__free(r);
		return -ENOMEM;
	}
	r->nlinks = p->nself_links;
	r->nfds = p->nself_fds;
	take_first(r->links, p->links, sizeof(*p->links), r->nlinks,
		   &p->nlinks);
	take_first(r->fds, p->multi_fds, sizeof(*p->multi_fds), r->nfds,
		   &p->nmulti);
	p->nself_links = p->nself_fds = 0;
	if (reaper__start(r)) {
		reap(r); /* here and now, then */
		reaper__free(r);
		return 0;
	}
	p->reaper = r;
	return 0;
}

void probes__free(struct probes *p)
{
	if (!p)
		return;
	if (p->reaper) {
		pthread_join(p->reaper->thread, NULL);
		reaper__free(p->reaper);
	}
	/* no probe may run on a stale CPU slot once the switch program
	 * goes with the skeleton */
	if (p->skel && p->skel->bss)
		probes__enable(p, false);
	site_forms__drop(p);
	probes__drop_links(p, 0, 0);
	free(p->links);
	free(p->multi_fds);
	regions_bpf__destroy(p->skel);
	free(p);
}

/* Tells the exec program that @path has probes: an exec of it gets them
 * again. The map's dev is the kernel's encoding of the device number. */
static void remember_file(struct probes *p, const char *path)
{
	struct scope_file_id id = {};
	struct stat st;
	__u8 one = 1;

	if (stat(path, &st))
		return;
	id.ino = st.st_ino;
	id.dev = major(st.st_dev) << 20 | minor(st.st_dev);
	/* full: an exec of this file is said as unprobed, never hidden */
	if (bpf_map_update_elem(bpf_map__fd(p->skel->maps.probed_files), &id,
				&one, BPF_ANY))
		pr_debug("%s: not in the map of probed files: %s\n", path,
			 strerror(errno));
}

int probes__attach_object(struct probes *p, const char *path,
			  const struct probe_site *sites, size_t n)
{
	size_t links = p->nlinks, fds = p->nmulti, both = 0;
	int err;

	for (size_t i = 0; i < n; i++)
		both += !!sites[i].nop5_offset;
	err = site_forms__attach_fixed(p, path, sites, n);
	if (!err && both)
		err = site_forms__attach(p, path, sites, n);
	if (err) {
		probes__drop_links(p, links, fds);
		return err;
	}
	p->nsites += n;
	if (n)
		remember_file(p, path);
	return 0;
}

static int attach_func_per_site(struct probes *p, const char *path,
				const struct probe_func *f, size_t n)
{
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		LIBBPF_OPTS(bpf_uprobe_opts, entry,
			    .bpf_cookie = f[i].region | SCOPE_COOKIE_FUNCTION);
		LIBBPF_OPTS(bpf_uprobe_opts, ret,
			    .bpf_cookie = f[i].region | SCOPE_COOKIE_FUNCTION,
			    .retprobe = true);
		struct bpf_link *link;

		link = bpf_program__attach_uprobe_opts(
			p->skel->progs.region_begin, p->target_pid, path,
			f[i].offset, &entry);
		err = link ? probes__keep_link(p, link) : -errno;
		if (err)
			break;
		link = bpf_program__attach_uprobe_opts(
			p->skel->progs.region_end, p->target_pid, path,
			f[i].offset, &ret);
		err = link ? probes__keep_link(p, link) : -errno;
	}
	return err;
}

/* Two links: the entries, then the returns. */
static int attach_func_multi(struct probes *p, const char *path,
			     const struct probe_func *f, size_t n)
{
	uint64_t *offsets = calloc(n, sizeof(*offsets));
	uint64_t *cookies = calloc(n, sizeof(*cookies));
	pid_t pid = p->target_pid;
	int fd = -ENOMEM;

	if (!offsets || !cookies)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		offsets[i] = f[i].offset;
		cookies[i] = f[i].region | SCOPE_COOKIE_FUNCTION;
	}
	fd = uprobe_multi__attach_flags(
		bpf_program__fd(p->skel->progs.region_begin), path, offsets,
		cookies, n, pid, 0);
	if (fd >= 0)
		fd = probes__keep_fd(p, fd);
	if (fd >= 0)
		fd = uprobe_multi__attach_flags(
			bpf_program__fd(p->skel->progs.region_end), path,
			offsets, cookies, n, pid, UPROBE_MULTI_RETURN);
	if (fd >= 0)
		fd = probes__keep_fd(p, fd);
cleanup:
	free(offsets);
	free(cookies);
	return fd < 0 ? fd : 0;
}

int probes__attach_functions(struct probes *p, const char *path,
			     const struct probe_func *f, size_t n)
{
	int err;

	if (!n)
		return 0;
	err = p->multi ? attach_func_multi(p, path, f, n) :
			 attach_func_per_site(p, path, f, n);
	if (err)
		return err;
	p->nsites += 2 * n;
	remember_file(p, path);
	return 0;
}

int probes__attach_self(struct probes *p, const struct probe_site *sites,
			size_t n)
{
	pid_t filter = p->filter_pid;
	int err;

	/* they must come first: probes__detach counts them from the start */
	if (p->nlinks != p->nself_links || p->nmulti != p->nself_fds)
		return -EBUSY;
	/* the agent's pid, whatever the target's filter: these sites must
	 * never fire in a target that runs the same binary */
	p->filter_pid = getpid();
	err = probes__attach_sites(p, "/proc/self/exe", sites, n);
	p->filter_pid = filter;
	p->nself_links = p->nlinks;
	p->nself_fds = p->nmulti;
	return err;
}

int probes__attach_exec(struct probes *p)
{
	struct bpf_link *link;

	link = bpf_program__attach(p->skel->progs.process_exec);
	if (!link)
		return -errno;
	return probes__keep_link(p, link);
}

const char *probes__last_exec(const struct probes *p)
{
	const char *s = p->skel->bss->last_exec;

	/* written by BPF, maybe while we read: always end it */
	p->skel->bss->last_exec[SCOPE_EXEC_NAME_LEN - 1] = '\0';
	return s;
}

int probes__trace_region(struct probes *p, uint32_t id)
{
	uint8_t on = 1;

	if (id >= SCOPE_MAX_TRACE_REGIONS)
		return -E2BIG;
	return bpf_map__update_elem(p->skel->maps.trace_sel, &id, sizeof(id),
				    &on, sizeof(on), 0) ?
		       -errno :
		       0;
}

int probes__attach_link_map(struct probes *p, const char *path, uint64_t offset,
			    int64_t state_delta, pid_t pid)
{
	struct bpf_link *link;

	p->skel->bss->dl_state_delta = state_delta;
	/* filtered, whatever the sites' filter: every process maps ld.so */
	link = bpf_program__attach_uprobe(p->skel->progs.dl_activity, false,
					  pid, path, offset);
	if (!link)
		return -errno;
	return probes__keep_link(p, link);
}

void probes__set_link_map_stop(struct probes *p, bool on)
{
	__atomic_store_n(&p->skel->bss->dl_stop, on, __ATOMIC_SEQ_CST);
}

uint64_t probes__link_map_events(const struct probes *p)
{
	return __atomic_load_n(&p->skel->bss->dl_events, __ATOMIC_SEQ_CST);
}

uint64_t probes__link_map_stops(const struct probes *p)
{
	return __atomic_load_n(&p->skel->bss->dl_stops, __ATOMIC_SEQ_CST);
}

int probes__attach_counters(struct probes *p)
{
	struct bpf_link *link;

	link = bpf_program__attach(p->skel->progs.count_switch);
	if (!link)
		return -errno;
	return probes__keep_link(p, link);
}

int probes__attach_exit(struct probes *p)
{
	struct bpf_link *link;
	int err;

	link = bpf_program__attach(p->skel->progs.thread_exit);
	err = link ? probes__keep_link(p, link) : -errno;
	/* the exit program hands a thread's own aggregates over: without
	 * it they would go with the thread, so regions fold straight into
	 * the table */
	if (err)
		__atomic_store_n(&p->skel->data->local_aggs, 0,
				 __ATOMIC_SEQ_CST);
	return err;
}

size_t probes__nsites(const struct probes *p)
{
	return p->nsites;
}

int probes__reset_aggregates(struct probes *p)
{
	int fd = bpf_map__fd(p->skel->maps.aggs);
	struct scope_agg_key k;

	/* deleting the first key each time: a walk's key, once deleted,
	 * would restart it anyway */
	while (!bpf_map_get_next_key(fd, NULL, &k)) {
		if (bpf_map_delete_elem(fd, &k) && errno != ENOENT)
			return -errno;
	}
	__atomic_store_n(&p->skel->bss->counters.agg_full, 0, __ATOMIC_SEQ_CST);
	return 0;
}

bool probes__aggregates(const struct probes *p)
{
	return p->in_kernel;
}

int probes__aggs_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.aggs);
}

int probes__named_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.named_ids);
}

int probes__named_where_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.named_where);
}

int probes__ringbuf_fd(const struct probes *p)
{
	return bpf_map__fd(p->skel->maps.records);
}

void probes__counters(const struct probes *p, struct scope_bpf_counters *out)
{
	/* .bss is mmap'ed: a plain copy reads the kernel's current values */
	*out = *(volatile struct scope_bpf_counters *)&p->skel->bss->counters;
}

int probes__regions_ended(const struct probes *p, uint64_t *out)
{
	int ncpus = libbpf_num_possible_cpus();
	uint32_t zero = 0;
	uint64_t *v;
	int err = 0;

	if (ncpus < 0)
		return ncpus;
	v = calloc(ncpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(p->skel->maps.ended), &zero, v))
		err = -errno;
	*out = 0;
	for (int i = 0; i < ncpus && !err; i++)
		*out += v[i];
	free(v);
	return err;
}

/* Runs the flush_threads iterator over every task: the BPF side reads each
 * thread's stack (task storage) where it lives. */
long probes__flush_threads(const struct probes *p)
{
	struct bpf_link *link;
	char buf[64];
	long err = 0;
	int fd;

	p->skel->bss->open_frames = 0;
	link = bpf_program__attach_iter(p->skel->progs.flush_threads, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		err = -errno;
	while (fd >= 0 && (err = read(fd, buf, sizeof(buf))) > 0)
		;
	if (err < 0 && fd >= 0)
		err = -errno;
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	return err < 0 ? err : (long)p->skel->bss->open_frames;
}

int probes__attach_signals(struct probes *p)
{
	struct bpf_link *link;

	link = bpf_program__attach(p->skel->progs.signal_generate);
	if (!link)
		return -errno;
	return probes__keep_link(p, link);
}

uint64_t probes__target_signal_ns(const struct probes *p, int sig)
{
	if (sig <= 0 || sig >= SCOPE_NSIG_TRACKED)
		return 0;
	return __atomic_load_n(&p->skel->bss->target_signal_ns[sig],
			       __ATOMIC_RELAXED);
}

size_t probes__unfollowed_processes(const struct probes *p)
{
	int fd = bpf_map__fd(p->skel->maps.unfollowed);
	__u32 key, next;
	size_t n = 0;
	int err;

	for (err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		n++;
	}
	return n;
}
