// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The child side of `run`: fork, wait at a pipe, exec. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/launch.h"
#include "common/privs.h"

static void child(int gate, const char *path, char *const argv[],
		  bool drop_privs)
{
	sigset_t none;
	char go;
	int err;

	/* first: a change of credentials clears the parent-death signal */
	err = drop_privs ? privs__drop_to_sudo_user() : 0;
	if (err) {
		fprintf(stderr,
			"scope-bpf: error: cannot become the user behind sudo: %s\n",
			strerror(-err));
		_exit(127);
	}

	/* the agent blocks signals it reads from a signalfd: not for the child
	 */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the agent gone before release means nobody will profile us */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (read(gate, &go, 1) != 1)
		_exit(127);
	close(gate);
	prctl(PR_SET_PDEATHSIG, 0);
	execv(path, argv);
	err = errno;
	fprintf(stderr, "scope-bpf: error: %s: %s\n", path, strerror(err));
	/* as a shell: 127 not found, 126 found but not executable */
	_exit(err == ENOENT ? 127 : 126);
}

int launch__start(struct launch *l, const char *path, char *const argv[],
		  bool drop_privs)
{
	int fds[2];

	l->pid = -1;
	l->gate = -1;
	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	l->pid = fork();
	if (l->pid < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (l->pid == 0) {
		close(fds[1]);
		child(fds[0], path, argv, drop_privs);
	}
	close(fds[0]);
	l->gate = fds[1];
	return 0;
}

int launch__release(struct launch *l)
{
	int err = 0;

	/* a child that died at the gate makes this EPIPE, not a SIGPIPE */
	signal(SIGPIPE, SIG_IGN);
	if (write(l->gate, "g", 1) != 1)
		err = -errno;
	close(l->gate);
	l->gate = -1;
	return err;
}

int launch__wait(struct launch *l)
{
	int status;

	while (waitpid(l->pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	l->pid = -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void launch__abort(struct launch *l)
{
	if (l->gate >= 0)
		close(l->gate);
	l->gate = -1;
	if (l->pid > 0)
		launch__wait(l);
}
