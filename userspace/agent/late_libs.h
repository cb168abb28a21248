/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Objects the target maps after the probes were attached (dlopen): the
 * agent finds them in the target's mappings and profiles them; one it
 * cannot profile is a late library, said rather than lost silently. */
#ifndef SCOPE_LATE_LIBS_H
#define SCOPE_LATE_LIBS_H

#include <stddef.h>
#include <sys/types.h>

struct late_libs;

/* NULL with errno set. */
struct late_libs *late_libs__new(void);
void late_libs__free(struct late_libs *l);
/* Profiles a new object at @path (openable), @name as the target maps it:
 * returns the sites it probed (0: nothing to profile) or -errno. */
typedef int (*late_attach_fn)(void *ctx, const char *path, const char *name);
/* Each new object found by a scan goes to @fn first; one it profiles is no
 * late library. */
void late_libs__set_attach(struct late_libs *l, late_attach_fn fn, void *ctx);
/* @path is an object the agent read when it attached (probed or without
 * markers): no news when the target maps it. 0 or -errno. */
int late_libs__know(struct late_libs *l, const char *path);
/* Reads the mappings of @pid: each object not seen before that has
 * markers, other than the executable (a new one is an exec, said
 * elsewhere), is a late library, said once as it is found. Returns the
 * number found by this scan, or -errno (-ESRCH, -ENOENT: the target is
 * gone, or has no mappings left to read). */
int late_libs__scan(struct late_libs *l, pid_t pid);
/* Late libraries found so far. */
size_t late_libs__count(const struct late_libs *l);
/* One warning that names them, if there are any. */
void late_libs__warn(const struct late_libs *l);

#endif /* SCOPE_LATE_LIBS_H */
