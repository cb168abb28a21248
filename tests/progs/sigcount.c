// SPDX-License-Identifier: MIT
/* Counts the stop signals it receives: sigcount FILE [ignore]. Runs a 1 ms
 * `tick` region in a loop; the first SIGINT, SIGTERM or SIGHUP starts a
 * 1.5 s wait for duplicates (a second one ends it early), then the count
 * goes to FILE and the process dies of the signal it got, so its status is
 * 128 + N. With `ignore` it ignores SIGTERM and ticks for 60 s. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <scope_bpf.h>

static volatile sig_atomic_t count, last;

static void on_signal(int sig)
{
	count++;
	last = sig;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void tick(void)
{
	struct timespec ms = { 0, 1000000L };

	SCOPE_BPF_BEGIN(tick);
	nanosleep(&ms, NULL);
	SCOPE_BPF_END(tick);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	int ignore = argc > 2 && !strcmp(argv[2], "ignore");
	double end = now() + 60, first = 0;
	FILE *f;

	if (argc < 2)
		return 2;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (ignore)
		signal(SIGTERM, SIG_IGN);
	while (now() < end && count < 2) {
		tick();
		if (count && !first)
			first = now(), end = first + 1.5;
	}
	f = fopen(argv[1], "w");
	if (!f)
		return 3;
	fprintf(f, "%d\n", (int)count);
	fclose(f);
	if (!last)
		return 0;
	signal(last, SIG_DFL);
	raise(last);
	return 4;
}
