/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A profile (profile/profile.h) to and from its HDF5 file
 * (docs/hdf5-schema.md). The only module that includes <hdf5.h>. */
#ifndef SCOPE_PROFILE_FILE_H
#define SCOPE_PROFILE_FILE_H

#include <sys/types.h>

#include "profile/profile.h"

/* Writes @p to @path atomically: a new file beside it, then rename(2), so a
 * symlink planted at @path is replaced, never followed. When @uid is not -1
 * the file is given to @uid:@gid (the user behind sudo). 0 or -errno. */
int profile_file__write(const struct profile *p, const char *path, uid_t uid,
			gid_t gid);
/* Whether profile_file__write could put a file at @path (its directory
 * exists and is writable, and @path is no directory), asked before profiling
 * so that no run is lost to a typo. 0 or -errno, said in one error line. */
int profile_file__check_output(const char *path);
/* Reads a file written by profile_file__write. -ENOENT, -EACCES, -ENOTSUP
 * (not a scope-bpf file or a newer schema), -EIO (corrupt or truncated). */
int profile_file__read(struct profile *p, const char *path);

#endif /* SCOPE_PROFILE_FILE_H */
