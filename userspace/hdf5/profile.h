/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What one profiling run leaves behind: the in-memory image of the HDF5 file
 * (see docs/hdf5-schema.md), written by the agent and read by report. */
#ifndef SCOPE_PROFILE_H
#define SCOPE_PROFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "aggregate/stats.h"
#include "discover/regions.h"

#define PROFILE_SCHEMA_NAME "scope-bpf"
#define PROFILE_SCHEMA_VERSION 1

struct profile_meta {
	char *tool_version;
	char *mode;	    /* "run" or "attach" */
	char *command;	    /* the target's command line */
	int64_t pid;	    /* target tgid */
	char *host;
	char *kernel;	    /* uname -r */
	char *start_time;   /* UTC, ISO 8601 */
	char *clock;	    /* "CLOCK_MONOTONIC" */
	char *options;	    /* the agent's command line */
	uint64_t start_ns;  /* clock value when probes were live */
	uint64_t end_ns;    /* clock value when the agent stopped */
	int64_t exit_status; /* target's under run, else -1 (not our child) */
	int64_t target_exited; /* 1: the target ended during the profile */
	uint64_t records;   /* interval records received */
	uint64_t dropped;   /* records lost: ring buffer full */
	uint64_t depth_overflow;
	uint64_t unmatched_end;
	uint64_t abandoned;
	uint64_t unfinished; /* regions open when their thread exited */
	uint64_t open_at_detach; /* regions open when the probes were removed */
	uint64_t no_storage; /* BEGINs lost: no memory for a thread's stack */
	uint64_t ringbuf_bytes;
};

struct profile_thread {
	uint32_t pid;
	uint32_t tid;
	char *comm;
};

struct profile {
	struct profile_meta meta;
	struct region_table regions;
	struct profile_thread *threads;
	size_t nthreads;
	struct region_stats *stats;
	size_t nstats;
};

/* Writes @p to @path atomically: a new file beside it, then rename(2), so a
 * symlink planted at @path is replaced, never followed. When @uid is not -1
 * the file is given to @uid:@gid (the user behind sudo). 0 or -errno. */
int profile__write(const struct profile *p, const char *path, uid_t uid,
		   gid_t gid);
/* Whether profile__write could put a file at @path (its directory exists
 * and is writable, and @path is no directory), asked before profiling so
 * that no run is lost to a typo. 0 or -errno, said in one error line. */
int profile__check_output(const char *path);
/* Reads a file written by profile__write. -ENOENT, -EACCES, -ENOTSUP (not a
 * scope-bpf file or a newer schema), -EIO (corrupt or truncated). */
int profile__read(struct profile *p, const char *path);
void profile__free(struct profile *p);

#endif /* SCOPE_PROFILE_H */
