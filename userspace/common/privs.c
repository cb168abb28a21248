// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Who the user behind sudo is, and becoming them in a child process. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/privs.h"

static int parse_id(const char *s, unsigned long *out)
{
	char *end;

	if (!s || !*s)
		return -ENOENT;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end || *out == (unsigned long)-1 ? -EINVAL : 0;
}

int privs__sudo_user(uid_t *uid, gid_t *gid)
{
	unsigned long u, g;

	if (geteuid() != 0 || parse_id(getenv("SUDO_UID"), &u) ||
	    parse_id(getenv("SUDO_GID"), &g) || u == 0)
		return -ENOENT;
	*uid = u;
	*gid = g;
	return 0;
}

int privs__drop_to_sudo_user(void)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (privs__sudo_user(&uid, &gid))
		return 0;
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(0, NULL))
		return -errno;
	if (setgid(gid) || setuid(uid))
		return -errno;
	/* sudo set these for root; the command is the user's again */
	if (pw) {
		setenv("HOME", pw->pw_dir, 1);
		setenv("USER", pw->pw_name, 1);
		setenv("LOGNAME", pw->pw_name, 1);
	}
	return 0;
}
