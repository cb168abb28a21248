// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench-floor: attaches the empty BPF program of floor.bpf.c to the given
 * file offsets of BINARY, for process PID only, the way the agent attaches
 * its own (one uprobe_multi link where the kernel has them, else one
 * perf-event link per site, or that with --perf-links). Prints "ready" once
 * every probe is in place and exits when PID does (or on SIGINT/SIGTERM).
 * --prog attaches one of the cost_* programs instead; their records are
 * drained and thrown away.
 *
 *   bench-floor [--perf-links] [--prog NAME] PID BINARY OFFSET...
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "agent/uprobe_multi.h"
#include "bench/floor.skel.h"

static int attach(struct bpf_program *prog, int multi, pid_t pid,
		  const char *path, uint64_t *offsets, uint64_t *cookies, int n)
{
	if (multi) {
		int fd = uprobe_multi__attach(bpf_program__fd(prog), path,
					      offsets, cookies, n, pid);

		return fd < 0 ? fd : 0;
	}
	for (int i = 0; i < n; i++) {
		/* the links live until exit: the kernel removes them then */
		if (!bpf_program__attach_uprobe(prog, false, pid, path,
						offsets[i]))
			return -errno;
	}
	return 0;
}

static int discard(void *ctx, void *data, size_t size)
{
	(void)ctx, (void)data, (void)size;
	return 0;
}

static void on_stop(int sig)
{
	(void)sig;
}

/* Until the target exits or we are told to stop, draining records every
 * 50 ms as the agent does. */
static void wait_target(pid_t pid, struct ring_buffer *rb)
{
	struct timespec tick = { .tv_nsec = 50 * 1000 * 1000 };
	struct pollfd pfd = { .events = POLLIN };
	sigset_t set, during;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	/* blocked but while waiting, so one ends the wait */
	sigprocmask(SIG_BLOCK, &set, &during);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	pfd.fd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd < 0)
		return;
	for (;;) {
		int n = ppoll(&pfd, 1, &tick, &during);

		ring_buffer__consume(rb);
		if (n > 0 || (n < 0 && errno != EINTR))
			return;
	}
}

static struct bpf_program *find_prog(struct floor_bpf *skel, const char *name)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(
		prog, skel->obj) if (!strcmp(bpf_program__name(prog),
					     name)) return prog;
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "perf-links", 0, 0, 'p' },
		{ "prog", 1, 0, 'P' },
		{ 0 },
	};
	const char *name = "floor_hit";
	struct bpf_program *prog, *p;
	struct ring_buffer *rb = NULL;
	uint64_t *offsets, *cookies;
	int c, n, multi = 1, err;
	struct floor_bpf *skel;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (c == 'p')
			multi = 0;
		else if (c == 'P')
			name = optarg;
		else
			return 2;
	}
	if (argc - optind < 3) {
		fprintf(stderr,
			"usage: %s [--perf-links] [--prog NAME] PID BINARY OFFSET...\n",
			argv[0]);
		return 2;
	}
	pid = atoi(argv[optind]);
	n = argc - optind - 2;
	offsets = calloc(n, sizeof(*offsets));
	cookies = calloc(n, sizeof(*cookies));
	if (!offsets || !cookies)
		return 1;
	for (int i = 0; i < n; i++)
		offsets[i] = strtoull(argv[optind + 2 + i], NULL, 0);
	skel = floor_bpf__open();
	if (!skel)
		return 1;
	prog = find_prog(skel, name);
	if (!prog) {
		fprintf(stderr, "bench-floor: no program %s\n", name);
		return 2;
	}
	multi = multi && uprobe_multi__supported();
	bpf_object__for_each_program(p, skel->obj)
	{
		bpf_program__set_autoload(p, p == prog);
		if (multi)
			bpf_program__set_expected_attach_type(
				p, UPROBE_MULTI_ATTACH_TYPE);
	}
	err = floor_bpf__load(skel);
	if (!err)
		err = attach(prog, multi, pid, argv[optind + 1], offsets,
			     cookies, n);
	if (!err) {
		rb = ring_buffer__new(bpf_map__fd(skel->maps.cost_records),
				      discard, NULL, NULL);
		err = rb ? 0 : -errno;
	}
	if (err < 0) {
		fprintf(stderr, "bench-floor: %s: %s\n", argv[optind + 1],
			strerror(-err));
		return 1;
	}
	printf("ready: %s at %d sites, %s\n", name, n,
	       multi ? "uprobe_multi" : "perf links");
	fflush(stdout);
	wait_target(pid, rb);
	ring_buffer__free(rb);
	floor_bpf__destroy(skel);
	return 0;
}
