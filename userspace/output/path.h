/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The names around a profile file (docs/output.md): the placeholders of
 * -o, and the temporary name it is written under. Strings only: what is on
 * disk is output/file.c's. */
#ifndef SCOPE_OUTPUT_PATH_H
#define SCOPE_OUTPUT_PATH_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* Marks our temporary files: ".NAME.scope-bpf-tmp.PID.XXXXXX" */
#define OUTPUT_TEMP_TAG	   ".scope-bpf-tmp."
#define OUTPUT_TEMP_RANDOM 6
/* An existing profile is kept under NAME OUTPUT_OLD_SUFFIX */
#define OUTPUT_OLD_SUFFIX ".old"

/* What the placeholders of -o stand for. */
struct output_vars {
	pid_t pid;	  /* %p: the target */
	const char *host; /* %h: up to its first dot */
	time_t start;	  /* %t: as 20261125T230000Z (UTC) */
};

/* @tmpl with %p, %h, %t and %% replaced, into a new string in @out.
 * -EINVAL on an unknown or unfinished placeholder, its offset in
 * @bad_at when not NULL; -ENOMEM. */
int output_path__expand(const char *tmpl, const struct output_vars *v,
			char **out, size_t *bad_at);
/* The temporary name of @path for agent @pid, in @path's directory (so
 * that rename(2) stays in one file system) and within NAME_MAX, with
 * @random (OUTPUT_TEMP_RANDOM characters) to tell agents' tries apart. */
int output_path__temp_name(const char *path, pid_t pid, const char *random,
			   char **out);
/* The agent pid in @name when it is one of our temporary names, else 0. */
pid_t output_path__temp_pid(const char *name);
/* The final component of @path ("" for "dir/"). */
const char *output_path__base(const char *path);
/* The directory of @path, "." when it has none; NULL and errno. */
char *output_path__dir(const char *path);

#endif /* SCOPE_OUTPUT_PATH_H */
