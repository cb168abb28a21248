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
	if (m->dropped)
		pr_warn("%llu records dropped (ring buffer full): counts are low; retry with a larger --ringbuf-size\n",
			(unsigned long long)m->dropped);
	if (m->depth_overflow)
		pr_warn("%llu regions nested deeper than --max-depth were not recorded\n",
			(unsigned long long)m->depth_overflow);
	if (m->unmatched_end)
		pr_warn("%llu region ENDs had no open region (already open at attach, or END without BEGIN)\n",
			(unsigned long long)m->unmatched_end);
	if (m->abandoned)
		pr_warn("%llu regions never reached their END (left by longjmp, an early return or an exception)\n",
			(unsigned long long)m->abandoned);
	if (m->unfinished)
		pr_warn("%llu regions were still open when their thread exited\n",
			(unsigned long long)m->unfinished);
	if (m->open_at_detach)
		pr_warn("%llu regions were still open when the profile stopped\n",
			(unsigned long long)m->open_at_detach);
	if (m->no_storage)
		pr_warn("%llu regions lost: no kernel memory for a thread's stack\n",
			(unsigned long long)m->no_storage);
}
