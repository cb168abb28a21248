// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The output file's safety rules: what may be replaced, the temporary
 * file's life, NAME.old, and the litter of killed agents. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "output/file.h"
#include "output/path.h"

#define TEMP_TRIES 64

enum output_action {
	OUTPUT_CREATE,	/* nothing there */
	OUTPUT_REPLACE, /* a symlink, an empty file, or --force */
	OUTPUT_ROTATE,	/* a profile: kept as NAME.old */
};

struct temp {
	char *name; /* NULL: nothing of ours to remove */
	int fd;
	struct errmsg err;
};

static const char *file_kind(mode_t mode)
{
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	if (S_ISFIFO(mode))
		return "FIFO";
	if (S_ISSOCK(mode))
		return "socket";
	return S_ISDIR(mode) ? "directory" : "special file";
}

static int refuse_there(const char *path, int err)
{
	pr_err("%s: cannot write the profile there: %s\n", path,
	       strerror(-err));
	return err;
}

/* /proc/self/fd/1 (or /dev/fd/1) is one of the agent's own streams: as
 * root, a rename there replaces the link to it. */
static bool in_proc(const char *dir)
{
	struct statfs sf;

	return !statfs(dir, &sf) &&
	       (sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC);
}

/* The directory must take a new file: checked before the run, where a
 * typo costs nothing. */
static int check_dir(const char *path)
{
	const char *base = output_path__base(path);
	char *dir;
	int err = 0;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return refuse_there(path, -EISDIR);
	if (strlen(base) > NAME_MAX)
		return refuse_there(path, -ENAMETOOLONG);
	dir = output_path__dir(path);
	if (!dir)
		return -ENOMEM;
	if (access(dir, W_OK | X_OK))
		err = -errno;
	else if (in_proc(dir))
		err = -EINVAL;
	if (err == -EINVAL)
		pr_err("%s: in /proc or /sys, where a name stands for a stream or a kernel object: refusing to replace it\n",
		       path);
	else if (err)
		refuse_there(path, err);
	free(dir);
	return err;
}

/* A link is replaced, never followed, unless it leads to something that
 * is no file: -o /dev/stdout is a link to a terminal or a pipe, which a
 * profile (HDF5 seeks) cannot be written to. */
static int classify_link(const char *path, enum output_action *act)
{
	char target[16] = { 0 };
	struct stat st;

	/* /dev/stdout: whatever stdout is (even a regular file), the link is
	 * the machine's, not the user's */
	if (readlink(path, target, sizeof(target) - 1) > 0 &&
	    !strncmp(target, "/proc/", 6)) {
		pr_err("%s leads to /proc, to a stream and not a file: refusing to replace it (HDF5 needs a file it can seek in)\n",
		       path);
		return -EEXIST;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		pr_err("%s leads to a %s, not a regular file: refusing to replace it (HDF5 needs a file it can seek in)\n",
		       path, file_kind(st.st_mode));
		return -EEXIST;
	}
	*act = OUTPUT_REPLACE;
	return 0;
}

static int classify_file(const char *path, const struct stat *st,
			 const struct output_file_opts *o,
			 enum output_action *act)
{
	size_t len = strlen(output_path__base(path));

	if (o->is_profile && o->is_profile(path) > 0) {
		if (len + strlen(OUTPUT_OLD_SUFFIX) > NAME_MAX) {
			pr_err("%s: no room to keep the profile there as NAME%s: name too long\n",
			       path, OUTPUT_OLD_SUFFIX);
			return -ENAMETOOLONG;
		}
		*act = OUTPUT_ROTATE;
		return 0;
	}
	/* an empty file holds nothing to lose: `mktemp` makes those */
	if (!o->force && st->st_size) {
		pr_err("%s exists and is not a scope-bpf profile: refusing to overwrite it (--force to replace it)\n",
		       path);
		return -EEXIST;
	}
	*act = OUTPUT_REPLACE;
	return 0;
}

static int classify(const char *path, const struct output_file_opts *o,
		    enum output_action *act)
{
	struct stat st;
	int err = check_dir(path);

	if (err)
		return err;
	if (lstat(path, &st)) {
		*act = OUTPUT_CREATE;
		return errno == ENOENT ? 0 : refuse_there(path, -errno);
	}
	if (S_ISLNK(st.st_mode))
		return classify_link(path, act);
	if (S_ISDIR(st.st_mode))
		return refuse_there(path, -EISDIR);
	if (!S_ISREG(st.st_mode)) {
		pr_err("%s is a %s, not a regular file: refusing to replace it with the profile\n",
		       path, file_kind(st.st_mode));
		return -EEXIST;
	}
	return classify_file(path, &st, o, act);
}

int output_file__check(const char *path, const struct output_file_opts *o)
{
	enum output_action act;

	return classify(path, o, &act);
}

/* Dead, and no one holds its lock: a writer in another pid namespace
 * still holds the flock it took when it created the file. */
static bool temp__abandoned(int dfd, const char *name, pid_t pid)
{
	struct stat st;
	bool dead;
	int fd;

	if (!kill(pid, 0) || errno != ESRCH)
		return false;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	dead = !fstat(fd, &st) && S_ISREG(st.st_mode) &&
	       !flock(fd, LOCK_EX | LOCK_NB);
	close(fd);
	return dead;
}

int output_file__clean_stale(const char *path)
{
	char *dir = output_path__dir(path);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	int n = 0;

	if (!d) {
		n = -errno;
		free(dir);
		return n;
	}
	while ((e = readdir(d))) {
		pid_t pid = output_path__temp_pid(e->d_name);

		if (!pid || !temp__abandoned(dirfd(d), e->d_name, pid))
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0)) {
			pr_warn("%s/%s: cannot remove this leftover of a killed agent: %s\n",
				dir, e->d_name, strerror(errno));
			continue;
		}
		pr_info("removed %s/%s, left by agent %d that was killed while writing\n",
			dir, e->d_name, (int)pid);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

/* Only collisions depend on the randomness: O_EXCL keeps us from opening
 * anything already there. */
static void temp__random(char *out)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned int counter;
	unsigned char r[OUTPUT_TEMP_RANDOM] = { 0 };

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r[0] ^= (unsigned char)(getpid() + counter++);
	for (size_t i = 0; i < sizeof(r); i++)
		out[i] = set[(r[i] + counter++) % (sizeof(set) - 1)];
	out[OUTPUT_TEMP_RANDOM] = '\0';
}

static int temp__open(struct temp *t, const char *path)
{
	char random[OUTPUT_TEMP_RANDOM + 1];
	char *name;

	for (int i = 0; i < TEMP_TRIES; i++) {
		temp__random(random);
		if (output_path__temp_name(path, getpid(), random, &name))
			return errmsg__set(&t->err, -ENOMEM, "naming a file");
		t->fd = open(name,
			     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				     O_CLOEXEC,
			     0666);
		if (t->fd >= 0) {
			t->name = name;
			/* tells a cleaner that we are alive (clean_stale) */
			flock(t->fd, LOCK_EX | LOCK_NB);
			return 0;
		}
		free(name);
		if (errno != EEXIST)
			return errmsg__set(&t->err, -errno,
					   "creating a file beside it");
	}
	return errmsg__set(&t->err, -EEXIST, "no free temporary name");
}

static int temp__fill(struct temp *t, const void *buf, size_t len,
		      const struct output_file_opts *o)
{
	const char *p = buf;

	if (o->uid != (uid_t)-1 && fchown(t->fd, o->uid, o->gid))
		return errmsg__set(&t->err, -errno, "giving it to %u:%u",
				   (unsigned int)o->uid, (unsigned int)o->gid);
	while (len) {
		ssize_t n = write(t->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errmsg__set(&t->err, -errno, "writing %s",
					   t->name);
		p += n;
		len -= n;
	}
	/* where a full disk shows on delayed-allocation file systems */
	if (fsync(t->fd))
		return errmsg__set(&t->err, -errno, "syncing %s", t->name);
	return 0;
}

/* A hard link keeps @path in place until the rename replaces it; file
 * systems without links get perf's rename. */
static int keep_old(struct temp *t, const char *path)
{
	char *old;
	int err = 0;

	if (asprintf(&old, "%s%s", path, OUTPUT_OLD_SUFFIX) < 0)
		return errmsg__set(&t->err, -ENOMEM, "naming a file");
	if (unlink(old) && errno != ENOENT)
		err = errmsg__set(&t->err, -errno, "removing %s", old);
	else if (link(path, old) && rename(path, old))
		err = errmsg__set(&t->err, -errno, "keeping it as %s", old);
	if (!err)
		pr_info("kept the previous profile as %s\n", old);
	free(old);
	return err;
}

static int temp__commit(struct temp *t, const char *path,
			enum output_action act)
{
	int err = 0;

	if (close(t->fd)) {
		t->fd = -1;
		return errmsg__set(&t->err, -errno, "closing %s", t->name);
	}
	t->fd = -1;
	if (act == OUTPUT_ROTATE)
		err = keep_old(t, path);
	if (!err && rename(t->name, path))
		err = errmsg__set(&t->err, -errno, "renaming %s", t->name);
	if (!err) {
		free(t->name);
		t->name = NULL;
	}
	return err;
}

static void temp__discard(struct temp *t, const char *path, int err)
{
	bool removed = t->name && !unlink(t->name);

	pr_err("%s: %s: %s%s\n", path, t->err.msg, strerror(-err),
	       removed ? "; the partial file was removed" : "");
	if (t->name && !removed)
		pr_err("%s: cannot remove it: %s\n", t->name, strerror(errno));
}

int output_file__write(const char *path, const void *buf, size_t len,
		       const struct output_file_opts *o)
{
	struct temp t = { .fd = -1 };
	enum output_action act;
	sigset_t stop, old;
	int err = classify(path, o, &act);

	if (err)
		return err;
	/* a signal now would leave the temporary behind: it waits */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	err = temp__open(&t, path);
	if (!err)
		err = temp__fill(&t, buf, len, o);
	if (!err)
		err = temp__commit(&t, path, act);
	if (t.fd >= 0)
		close(t.fd);
	if (err)
		temp__discard(&t, path, err);
	free(t.name);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

int output_file__clear(const char *path, const struct output_file_opts *o)
{
	struct temp t = { .fd = -1 };
	enum output_action act;
	int err = classify(path, o, &act);

	if (err || act == OUTPUT_CREATE)
		return err;
	if (act == OUTPUT_ROTATE)
		err = keep_old(&t, path);
	/* the profile is kept by now (a link): what is left goes */
	if (!err && unlink(path) && errno != ENOENT)
		err = errmsg__set(&t.err, -errno, "removing it");
	if (err)
		pr_err("%s: %s: %s\n", path, t.err.msg, strerror(-err));
	return err;
}
