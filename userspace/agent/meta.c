// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fills the run's metadata and tells its losses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "agent/meta.h"
#include "common/log.h"
#include "common/strv.h"
#include "discover/target.h"

uint64_t meta__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int meta__start(struct profile_meta *m, const struct session_opts *opts,
		pid_t pid)
{
	char start[32];
	struct utsname u;
	time_t t = time(NULL);
	struct tm tm;

	uname(&u);
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	m->tool_version = strdup(SCOPE_BPF_TOOL_VERSION);
	m->mode = strdup(opts->mode == SESSION_RUN ? "run" : "attach");
	m->pid = pid;
	m->host = strdup(u.nodename);
	m->kernel = strdup(u.release);
	m->start_time = strdup(start);
	m->clock = strdup("CLOCK_MONOTONIC");
	m->options = strdup(opts->invocation ?: "");
	m->command = opts->command ? strv__join(opts->command, -1) :
				     target__cmdline(pid);
	m->ringbuf_bytes = opts->ringbuf_bytes;
	m->exit_status = -1;
	m->start_ns = meta__now_ns();
	if (!m->tool_version || !m->mode || !m->host || !m->kernel ||
	    !m->start_time || !m->clock || !m->options)
		return -ENOMEM;
	return 0;
}

/* Losses are told on stderr, never hidden; the same numbers are in the file. */
void meta__report_losses(const struct profile_meta *m)
{
	for (int i = 0; i < LOSS__COUNT; i++)
		if (m->losses[i] && loss__table[i].advice)
			pr_warn("%llu %s\n", (unsigned long long)m->losses[i],
				loss__table[i].advice);
}
