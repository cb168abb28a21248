/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The shared libraries a program will have mapped when its main() runs. */
#ifndef SCOPE_LOADER_H
#define SCOPE_LOADER_H

#include <stdbool.h>
#include <stddef.h>

struct path_list {
	char **v;
	size_t n, cap;
};

/* The libraries the dynamic loader maps for @exe at start, as its own
 * `--list` mode resolves them (same environment, LD_LIBRARY_PATH included;
 * nothing of @exe runs), run as the user behind sudo when @drop_privs. A
 * static executable has none. 0 or -errno. */
int loader__startup_libs(const char *exe, bool drop_privs,
			 struct path_list *out);
void path_list__free(struct path_list *l);
/* The dynamic loader @exe names (PT_INTERP), "" for a static executable;
 * NULL with errno set on error. Free it. */
char *loader__interp(const char *exe);

#endif /* SCOPE_LOADER_H */
