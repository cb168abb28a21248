// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fills the run's metadata and tells its losses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "agent/meta.h"
#include "common/log.h"
#include "discover/target.h"

uint64_t meta__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	p = s;
	for (int i = 0; i < argc; i++)
		p += sprintf(p, "%s%s", i ? " " : "", argv[i]);
	return s;
}

static int command_argc(char **cmd)
{
	int n = 0;

	while (cmd[n])
		n++;
	return n;
}

void meta__start(struct profile_meta *m, const struct agent_args *args,
		 pid_t pid, int argc, char **argv)
{
	static struct utsname u;
	static char start[32];
	time_t t = time(NULL);
	struct tm tm;

	uname(&u);
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	m->tool_version = SCOPE_BPF_TOOL_VERSION;
	m->mode = args->mode == AGENT_RUN ? "run" : "attach";
	m->pid = pid;
	m->host = u.nodename;
	m->kernel = u.release;
	m->start_time = start;
	m->clock = "CLOCK_MONOTONIC";
	m->options = join_args(argc, argv);
	m->command = args->command ?
		join_args(command_argc(args->command), args->command) :
		target__cmdline(pid);
	m->ringbuf_bytes = args->ringbuf_bytes;
	m->exit_status = -1;
	m->start_ns = meta__now_ns();
}

void meta__free(struct profile_meta *m)
{
	free(m->options);
	free(m->command);
	m->options = m->command = NULL;
}

/* Losses are told on stderr, never hidden; the same numbers are in the file. */
void meta__report_losses(const struct profile_meta *m)
{
	const struct {
		uint64_t n;
		const char *what;
	} lost[] = {
		{ m->dropped, "records dropped (ring buffer full): counts are low; retry with a larger --ringbuf-size" },
		{ m->depth_overflow, "regions nested deeper than --max-depth were not recorded" },
		{ m->unmatched_end, "region ENDs had no open region (already open at attach, or END without BEGIN)" },
		{ m->abandoned, "regions never reached their END (left by longjmp, an early return or an exception)" },
		{ m->unfinished, "regions were still open when their thread exited" },
		{ m->open_at_detach, "regions were still open when the profile stopped" },
		{ m->no_storage, "regions lost: no kernel memory for a thread's stack" },
	};

	for (size_t i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
		if (lost[i].n)
			pr_warn("%llu %s\n", (unsigned long long)lost[i].n,
				lost[i].what);
}
