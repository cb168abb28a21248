/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The user behind sudo: the agent needs root, the user's code does not. */
#ifndef SCOPE_PRIVS_H
#define SCOPE_PRIVS_H

#include <sys/types.h>

/* SUDO_UID/SUDO_GID when running as root under sudo; -ENOENT otherwise. */
int privs__sudo_user(uid_t *uid, gid_t *gid);
/* In a child about to exec the user's code: become the user behind sudo
 * (groups, gid, uid). 0 when there is none to become, or -errno. */
int privs__drop_to_sudo_user(void);

#endif /* SCOPE_PRIVS_H */
