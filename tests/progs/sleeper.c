// SPDX-License-Identifier: MIT
/* Regions of known duration: sleeper REPS. Each rep: parent sleeps 50 ms,
 * then child sleeps 100 ms inside it. */
#include <stdlib.h>
#include <time.h>

#include <scope_bpf.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 3;

	for (int i = 0; i < reps; i++) {
		SCOPE_BPF_BEGIN(parent);
		sleep_ms(50);
		SCOPE_BPF_BEGIN(child);
		sleep_ms(100);
		SCOPE_BPF_END(child);
		SCOPE_BPF_END(parent);
	}
	return 0;
}
