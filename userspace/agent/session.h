/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The agent as a library: one profiling session (discover, attach, consume
 * until the target exits or the user stops it, write the profile), driven
 * by an options struct. It knows nothing of argv or exit codes: cli/
 * adapts both. */
#ifndef SCOPE_SESSION_H
#define SCOPE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "discover/funcs.h"

/* The agent maps the ring twice (its wrap-around view), all of it at once:
 * 16 MiB is 32 MiB of resident memory, and ~200 ms of records at the most
 * two threads produce here between drains. */
#define SESSION_DEFAULT_RINGBUF_BYTES (16ul << 20)

enum session_mode {
	SESSION_RUN,	/* start @command and profile it */
	SESSION_ATTACH, /* profile the running process @pid */
};

/* Which of a marker's two probe sites the agent uses (docs/markers.md). */
enum session_site_mode {
	SITE_MODE_AUTO, /* the cheaper on this host, timed at start-up */
	SITE_MODE_TRAP, /* the 1-byte nops: an int3 the kernel emulates */
	SITE_MODE_NOP5, /* the 5-byte nops: a call into [uprobes] where the
			 * kernel optimises them; markers from a scope_bpf.h
			 * before API version 2 have none and trap */
};

struct session_opts {
	enum session_mode mode;
	const char *output;   /* the profile file to write; may hold the
			       * placeholders of output/path.h */
	bool force;	      /* replace an existing file that is no profile */
	pid_t pid;	      /* attach: the process */
	double duration;      /* seconds; 0 = until the target exits */
	size_t ringbuf_bytes; /* power of two; 0 = the default */
	uint32_t max_depth;   /* 1..SCOPE_MAX_DEPTH; 0 = the maximum */
	bool as_root;	      /* run: keep root for the command under sudo */
	enum session_site_mode site_mode;
	bool no_calibrate; /* skip measuring the probes' cost at start */
	/* --likwid-markers: probe LIKWID's marker API in the loaded liblikwid,
	 * each tag a region (docs/likwid.md) */
	bool likwid_markers;
	char *const *command;	/* run: the command and its arguments */
	const char *invocation; /* the agent's own command line, for /meta */
	const char *counters;	/* --counters: perf event names, commas */
	const char *group;	/* --group: a LIKWID performance group */
	/* a live status line on stderr while profiling (agent/status.h);
	 * the caller checks that stderr is a terminal */
	bool status;
	/* --trace: every interval into the file as the run goes */
	bool trace;
	size_t trace_buffer;	   /* bytes; 0 = the writer's default */
	const char *trace_regions; /* comma-separated globs; NULL = all */
	uint64_t trace_min_ns;	   /* shorter intervals are left out */
	uint64_t trace_max;	   /* bytes of trace, then it stops; 0 = none */
	/* --func: functions to profile as regions (NULL or none: markers
	 * only); their match counts are updated. With @force, more than
	 * FUNCS_REFUSE_AT of them are probed too */
	struct func_patterns *funcs;
};

struct session_result {
	/* run: the command's exit status (128 + N when signal N killed it);
	 * -1 when it never ran, and under attach */
	int command_status;
	bool target_exited; /* the target ended during the profile */
	/* run: why the command could not be started, decided before the fork:
	 * -ENOENT not found; -EACCES, -EISDIR, -ENOEXEC not executable. 0
	 * when it started (or an exec that failed later: its status says
	 * 127 or 126 itself) */
	int exec_error;
	/* --counters or --group asked for what this host cannot count (said
	 * before the run): a usage error */
	bool bad_counters;
};

/* Runs one session. 0 when the profile was written, else -errno (said on
 * stderr); @res is filled either way. */
int session__run(const struct session_opts *opts, struct session_result *res);

#endif /* SCOPE_SESSION_H */
