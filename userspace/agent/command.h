/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What `run` tells the user about a command it cannot profile or start,
 * in the words a shell or a wrapper's user expects. */
#ifndef SCOPE_COMMAND_H
#define SCOPE_COMMAND_H

#include <stdbool.h>

/* One error line on why @name has no markers; @exe (run's resolved
 * command, or NULL under attach) that is a wrapper (sh, env, mpirun, ...)
 * or a #! script gets what to do instead. */
void command__say_no_markers(const char *name, const char *exe);
/* Whether the program at @path, an interpreter (python3), gets its markers
 * from the modules it loads (the scope_bpf Python module, C extensions):
 * then no markers at start is no reason to refuse it. */
bool command__markers_come_later(const char *path);
/* One error line on why @cmd cannot be executed (-ENOENT: "command not
 * found", as a shell says it); returns @err, -EISDIR for a directory. */
int command__say_unusable(const char *cmd, int err);

#endif /* SCOPE_COMMAND_H */
