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
/* Signals read within this long of the first are one event: timeout(1)
 * signals the agent, then its whole group, microseconds apart, and a
 * group kill may reach the command just before or after the agent. */
#define SETTLE_MS 50

struct waiter {
	struct waiter_opts opts;
	/* every fd, contiguous: waiter__free closes them in one loop */
	int epfd, sigfd, pidfd, timerfd, settle_fd, grace_fd;
	sigset_t window;    /* signals read since the settle timer started */
	sigset_t from_user; /* ...of them, sent by a process (not SI_KERNEL) */
	uint64_t window_ns; /* when the first of them was read */
	int first_sig;
	int events; /* signal events settled */
	bool target_exited;
};

static int add_fd(struct waiter *w, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(w->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* Starts one-shot timer @fd to fire in @d seconds. */
static int arm(int fd, double d)
{
	struct itimerspec its = {
		.it_value.tv_sec = (time_t)d,
		.it_value.tv_nsec = (long)((d - (double)(time_t)d) * 1e9),
	};

	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	return timerfd_settime(fd, 0, &its, NULL) ? -errno : 0;
}

static int new_timer(struct waiter *w, int *fd)
{
	*fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	return *fd < 0 ? -errno : add_fd(w, *fd);
}

static int setup_timers(struct waiter *w)
{
	int err = 0;

	if (w->opts.duration > 0) {
		err = new_timer(w, &w->timerfd);
		if (!err)
			err = arm(w->timerfd, w->opts.duration);
	}
	if (!err && w->opts.owns_target)
		err = new_timer(w, &w->settle_fd);
	if (!err && w->opts.owns_target)
		err = new_timer(w, &w->grace_fd);
	return err;
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
	if (!err)
		err = setup_timers(w);
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
	w->settle_fd = w->grace_fd = -1;
	sigemptyset(&w->window);
	sigemptyset(&w->from_user);
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
	for (int *fd = &w->epfd; fd <= &w->grace_fd; fd++)
		if (*fd >= 0)
			close(*fd);
	free(w);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Under attach a signal ends the profile. Under run it is the command's:
 * it joins the current event, decided once SETTLE_MS have passed. */
static bool on_signal(struct waiter *w)
{
	struct signalfd_siginfo si;

	if (read(w->sigfd, &si, sizeof(si)) != sizeof(si))
		return false;
	if (!w->opts.owns_target) {
		pr_info("%s: stopping\n", strsignal(si.ssi_signo));
		return true;
	}
	if (!w->window_ns) {
		w->window_ns = now_ns();
		w->first_sig = si.ssi_signo;
		arm(w->settle_fd, SETTLE_MS / 1e3);
	}
	sigaddset(&w->window, si.ssi_signo);
	if (si.ssi_code != SI_KERNEL)
		sigaddset(&w->from_user, si.ssi_signo);
	return false;
}

/* Whether @sig of the current event reached the command by itself: sent to
 * the process group both are in. Without the BPF view, only a terminal's
 * signals (SI_KERNEL) are known to have. */
static bool reached_command(const struct waiter *w, int sig)
{
	uint64_t t;

	if (!w->opts.signal_ns)
		return !sigismember(&w->from_user, sig);
	t = w->opts.signal_ns(w->opts.ctx, sig);
	return t && t + SETTLE_MS * 1000000ull >= w->window_ns;
}

static void forward(struct waiter *w)
{
	for (int sig = 1; sig < NSIG; sig++) {
		if (!sigismember(&w->window, sig) || reached_command(w, sig))
			continue;
		pr_debug("%s: passed on to pid %d\n", strsignal(sig),
			 w->opts.pid);
		kill(w->opts.pid, sig);
	}
}

/* The end of an event's window. The first event's signals each reach the
 * command once (forwarded unless they reached it already), and the
 * command has WAITER_GRACE_S to exit; a second event ends it now. */
static bool on_settle(struct waiter *w)
{
	uint64_t ticks;
	int sig = w->first_sig;

	if (read(w->settle_fd, &ticks, sizeof(ticks)) < 0)
		return false;
	w->window_ns = 0;
	if (++w->events > 1) {
		pr_info("%s again: stopping now\n", strsignal(sig));
		return true;
	}
	forward(w);
	sigemptyset(&w->window);
	sigemptyset(&w->from_user);
	arm(w->grace_fd, WAITER_GRACE_S);
	pr_info("%s: waiting for pid %d to exit (killed in %d s; again to stop now)\n",
		strsignal(sig), w->opts.pid, WAITER_GRACE_S);
	return false;
}

/* The command outlived its grace period: ignored or stuck on the signal. */
static bool on_grace(struct waiter *w)
{
	uint64_t ticks;

	if (read(w->grace_fd, &ticks, sizeof(ticks)) < 0)
		return false;
	pr_warn("pid %d still runs %d s after %s: killing it\n", w->opts.pid,
		WAITER_GRACE_S, strsignal(w->first_sig));
	kill(w->opts.pid, SIGKILL);
	/* its exit, seen on the pidfd, ends the wait */
	return false;
}

static bool dispatch(struct waiter *w, int fd)
{
	if (fd == w->sigfd)
		return on_signal(w);
	if (fd == w->pidfd)
		return w->target_exited = true;
	if (fd == w->settle_fd)
		return on_settle(w);
	if (fd == w->grace_fd)
		return on_grace(w);
	return fd == w->timerfd;
}

int waiter__run(struct waiter *w)
{
	struct epoll_event ev[8];
	bool done = false;
	int err = 0;

	while (!done && !err) {
		int n = epoll_wait(w->epfd, ev, 8, POLL_MS);

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
