// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One epoll set for every reason a profile ends: a pidfd, a signalfd and a
 * timerfd, plus the ring buffer's fd. The ring buffer is drained on every
 * wakeup and at least every POLL_MS: BPF submits without waking the agent
 * while it lags, so polling bounds the latency. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "agent/waiter.h"
#include "common/log.h"

#define POLL_MS 50

struct waiter {
	struct waiter_opts opts;
	int epfd, sigfd, pidfd, timerfd;
	int signals;
	bool target_exited;
};

static int add_fd(struct waiter *w, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int setup_timer(struct waiter *w)
{
	double d = w->opts.duration;
	struct itimerspec its = {
		.it_value.tv_sec = (time_t)d,
		.it_value.tv_nsec = (long)((d - (double)(time_t)d) * 1e9),
	};

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	w->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (w->timerfd < 0 || timerfd_settime(w->timerfd, 0, &its, NULL))
		return -errno;
	return add_fd(w, w->timerfd);
}

static int setup(struct waiter *w)
{
	sigset_t mask;
	int err;

	w->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (w->epfd < 0)
		return -errno;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	w->sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (w->sigfd < 0)
		return -errno;
	w->pidfd = syscall(SYS_pidfd_open, w->opts.pid, 0);
	if (w->pidfd < 0)
		return -errno;
	err = add_fd(w, w->sigfd);
	if (!err)
		err = add_fd(w, w->pidfd);
	if (!err)
		err = add_fd(w, w->opts.ready_fd);
	if (!err && w->opts.duration > 0)
		err = setup_timer(w);
	return err;
}

struct waiter *waiter__new(const struct waiter_opts *opts)
{
	struct waiter *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return NULL;
	w->opts = *opts;
	w->epfd = w->sigfd = w->pidfd = w->timerfd = -1;
	err = setup(w);
	if (err) {
		waiter__free(w);
		errno = -err;
		return NULL;
	}
	return w;
}

void waiter__free(struct waiter *w)
{
	if (!w)
		return;
	for (int *fd = &w->epfd; fd <= &w->timerfd; fd++)
		if (*fd >= 0)
			close(*fd);
	free(w);
}

/* When the agent owns the target (run), a signal another process sent to
 * the agent alone (kill) is passed on, and the profile ends with the
 * command; a terminal's Ctrl-C (SI_KERNEL) has reached the command already.
 * A second signal, or any under attach, ends the profile now. */
static bool on_signal(struct waiter *w)
{
	struct signalfd_siginfo si;

	if (read(w->sigfd, &si, sizeof(si)) != sizeof(si))
		return false;
	if (w->opts.owns_target && ++w->signals == 1) {
		if (si.ssi_code != SI_KERNEL)
			kill(w->opts.pid, si.ssi_signo);
		pr_info("%s: waiting for pid %d to exit; again to stop now\n",
			strsignal(si.ssi_signo), w->opts.pid);
		return false;
	}
	pr_info("%s: stopping\n", strsignal(si.ssi_signo));
	return true;
}

static bool dispatch(struct waiter *w, int fd)
{
	if (fd == w->sigfd)
		return on_signal(w);
	if (fd == w->pidfd)
		return w->target_exited = true;
	return fd == w->timerfd;
}

int waiter__run(struct waiter *w)
{
	struct epoll_event ev[4];
	bool done = false;
	int err = 0;

	while (!done && !err) {
		int n = epoll_wait(w->epfd, ev, 4, POLL_MS);

		if (n < 0 && errno != EINTR) {
			err = -errno;
			pr_err("waiting for events: %s\n", strerror(-err));
			return err;
		}
		for (int i = 0; i < n; i++)
			done |= dispatch(w, ev[i].data.fd);
		err = w->opts.drain(w->opts.ctx);
	}
	return err;
}

bool waiter__target_exited(const struct waiter *w)
{
	return w->target_exited;
}
