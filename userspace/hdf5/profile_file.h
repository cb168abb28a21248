/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A profile (profile/profile.h) to and from its HDF5 file
 * (docs/hdf5-schema.md). The only module that includes <hdf5.h>. */
#ifndef SCOPE_PROFILE_FILE_H
#define SCOPE_PROFILE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "profile/profile.h"

/* Writes @p to @path through output_file__write (output/file.h): a new
 * file beside it, then rename(2), so a symlink planted at @path is
 * replaced, never followed; a profile already there is kept as
 * NAME.old; any other file is refused. When @uid is not -1 the file is
 * given to @uid:@gid (the user behind sudo). 0 or -errno, said on stderr. */
int profile_file__write(const struct profile *p, const char *path, uid_t uid,
			gid_t gid);
/* @p as the bytes of an HDF5 file, built in memory, into @buf (to free) and
 * @len: what to hand output_file__write. 0 or -errno, said on stderr. */
int profile_file__image(const struct profile *p, void **buf, size_t *len);
/* 1 when @path is a scope-bpf profile (the HDF5 signature at its start,
 * and the root attribute schema = "scope-bpf"), 0 when it is not, or
 * -errno when it cannot be read. Quiet: the caller decides what it means. */
int profile_file__is_profile(const char *path);
/* Reads a file written by profile_file__write. -ENOENT, -EACCES, -ENOTSUP
 * (not a scope-bpf file or a newer schema), -EIO (corrupt or truncated).
 * An unfinished trace (its agent still runs, or was killed) has no
 * profile yet: @p gets the metadata known when it began (/trace/start),
 * no table, and meta.unfinished set; its intervals are in /trace. */
int profile_file__read(struct profile *p, const char *path);

#endif /* SCOPE_PROFILE_FILE_H */
