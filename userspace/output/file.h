/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Puts a profile's bytes at the output path without clobbering what must
 * not be (docs/output.md): devices, FIFOs and directories are refused, a
 * file that is not a profile needs --force, a previous profile is kept as
 * NAME.old, and the bytes go through a temporary file renamed into place. */
#ifndef SCOPE_OUTPUT_FILE_H
#define SCOPE_OUTPUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct output_file_opts {
	bool force; /* replace an existing file that is not a profile */
	uid_t uid;  /* owner of the new file, (uid_t)-1: the agent */
	gid_t gid;
	/* 1 when the file at the path is a profile (kept as NAME.old), else
	 * 0; it knows the file format, this module does not */
	int (*is_profile)(const char *path);
};

/* Whether output_file__write would put a file at @path, asked before the
 * run so that no run is lost to a typo and nothing is started on a
 * refusal. 0, or -errno said in one error line. */
int output_file__check(const char *path, const struct output_file_opts *o);
/* Removes the temporary files that killed agents left in @path's
 * directory (their pid is dead and they hold no lock), one info line
 * each. The number removed, or -errno. */
int output_file__clean_stale(const char *path);
/* Writes @len bytes to a temporary file beside @path, syncs it, keeps a
 * profile already at @path as NAME.old and renames the new file over
 * @path (a symlink there is replaced, never followed). On any failure the
 * temporary is removed and one error line names @path. SIGINT, SIGTERM
 * and SIGHUP wait until the temporary is gone or renamed. 0 or -errno. */
int output_file__write(const char *path, const void *buf, size_t len,
		       const struct output_file_opts *o);

/* Makes @path free for a file created there directly (trace mode, whose
 * file readers follow under its final name from the start): the same
 * refusals as output_file__write, a profile there kept as NAME.old, a
 * symlink or (with --force) another file removed. 0 or -errno, said. */
int output_file__clear(const char *path, const struct output_file_opts *o);

#endif /* SCOPE_OUTPUT_FILE_H */
