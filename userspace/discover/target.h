/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A target process: its executable and the ELF objects it has mapped. */
#ifndef SCOPE_TARGET_H
#define SCOPE_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct target_object {
	char *path; /* openable from here: /proc/PID/map_files/START-END */
	char *name; /* as the target sees it (maps pathname) */
	uint64_t load_bias; /* runtime address - link-time address */
	dev_t dev;
	ino_t ino;
	int is_exe;
};

struct target_objects {
	struct target_object *v;
	size_t n, cap;
};

/* Checks that @pid names a live process we may trace: 0, -ESRCH, -EPERM,
 * or -EINVAL for a pid <= 0 (which kill() reads as a process group). */
int target__check(pid_t pid);
/* 1 when @pid is in the foreground process group of its terminal (a
 * shell's foreground job: a stop would hand the terminal back to the
 * shell), 0 when not, or -errno. */
int target__foreground(pid_t pid);
/* The process (thread group) that thread @pid belongs to, or -errno. */
int target__tgid(pid_t pid);
/* Appends the executable and every file-backed executable mapping of @pid,
 * each object once, to @out; skips deleted files (with a warning) and files
 * that are not ELF. 0 or -errno (@out left as it was). */
int target__objects(pid_t pid, struct target_objects *out);
/* As target__objects, but silent on deleted files: for the agent's
 * rescans, which would say it again each time. */
int target__objects_quiet(pid_t pid, struct target_objects *out);
void target_objects__free(struct target_objects *objs);
/* The command line of @pid, arguments joined by spaces; NULL on error. */
char *target__cmdline(pid_t pid);
/* Finds @cmd as execvp would (a name with a '/' as is, else along PATH).
 * Returns a malloc'd path that contains a '/', or NULL with errno ENOENT,
 * EACCES or ENOMEM. */
char *target__resolve_exe(const char *cmd);
/* 0 when execv can run @path: an ELF file or a #! script (or one we may
 * not read); -ENOEXEC for anything else, -errno when it cannot be opened. */
int target__check_exec_format(const char *path);

#endif /* SCOPE_TARGET_H */
