// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The read of profile files in a bounded child, and the copy of what it
 * rendered, for report and export. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/guard.h"
#include "common/log.h"

/* libhdf5 trusts some metadata it reads: a damaged file can crash it, or
 * make it allocate (and fill) gigabytes for a file of kilobytes. So the
 * file is read in a child whose address space is bounded by the file's
 * size: a profile in memory is at most about 12 times its file (a stats
 * row is 48 bytes on disk, 568 in memory), plus the library's caches. The
 * child renders the report into memory and exits; the parent then copies
 * it out at the reader's pace, with no time limit anywhere. */
#define READ_MEM_BASE	       (64ull << 20)
#define READ_MEM_PER_FILE_BYTE 32
/* libhdf5 1.10 can loop for ever on a damaged global heap. The bound is
 * CPU time, which a slow reader of our output never spends (the child
 * writes to memory), proportional to the file: a healthy read takes
 * milliseconds per MiB. */
#define READ_CPU_BASE_S	   10
#define READ_CPU_PER_MIB_S 1

/* The address space mapped now (libraries, heap, stack), in bytes. */
static unsigned long long vm__size(void)
{
	unsigned long long pages = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (!f)
		return 0;
	if (fscanf(f, "%llu", &pages) != 1)
		pages = 0;
	fclose(f);
	return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

/* SIGXCPU at the soft limit (said as a read that did not finish), SIGKILL
 * a second later should the library block it. */
static void child__limit_cpu(unsigned long long file_size)
{
	struct rlimit cpu;

	cpu.rlim_cur = READ_CPU_BASE_S + READ_CPU_PER_MIB_S * (file_size >> 20);
	cpu.rlim_max = cpu.rlim_cur + 1;
	if (setrlimit(RLIMIT_CPU, &cpu))
		pr_debug("no CPU limit for the read: %s\n", strerror(errno));
}

/* Caps the child's memory to what a healthy read of @file_size bytes
 * needs; an allocation past it fails, and the reader says "corrupt". */
static void child__limit(unsigned long long file_size)
{
	unsigned long long now = vm__size();
	struct rlimit no_core = { 0, 0 }, mem;
	rlim_t want = now + READ_MEM_BASE + READ_MEM_PER_FILE_BYTE * file_size;

	setrlimit(RLIMIT_CORE, &no_core);
	child__limit_cpu(file_size);
	/* root could raise a limit its user set (ulimit -v): never do */
	if (!now || getrlimit(RLIMIT_AS, &mem) || mem.rlim_cur <= want)
		return;
	mem.rlim_cur = mem.rlim_max = want;
	if (setrlimit(RLIMIT_AS, &mem))
		pr_debug("no memory limit for the read: %s\n", strerror(errno));
}

static int child__run(int (*render)(void *ctx, FILE *out), void *ctx,
		      int out_fd, unsigned long long file_size)
{
	FILE *out = fdopen(out_fd, "w");
	int rc;

	child__limit(file_size);
	if (!out) {
		pr_err("cannot buffer the output: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	rc = render(ctx, out);
	if (fclose(out) && rc == EXIT_OK) {
		pr_err("cannot buffer the output: %s\n", strerror(errno));
		rc = EXIT_FAIL;
	}
	return rc;
}

/* Faults are the library's; anything else (a kill) is the child's fate
 * and ours too. */
static int guard__child_died(const char *file, int sig)
{
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGABRT:
	case SIGILL:
	case SIGFPE:
		pr_err("%s: corrupt file: the HDF5 library crashed reading it\n",
		       file);
		return EXIT_FAIL;
	case SIGXCPU:
		pr_err("%s: corrupt file: the HDF5 library did not finish reading it (a loop on damaged data)\n",
		       file);
		return EXIT_FAIL;
	}
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;
}

/* The rendered output in @fd to @out_fd; a closed pipe (`| head`) ends us
 * with SIGPIPE like any filter. */
static int guard__copy_out(int fd, int out_fd)
{
	char buf[1 << 16];
	ssize_t n, w;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (char *p = buf; n > 0; p += w, n -= w) {
			w = write(out_fd, p, n);
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0)
				return -errno;
		}
	}
	return 0;
}

static int guard__wait(const char *file, pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return EXIT_FAIL;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return guard__child_died(file, WTERMSIG(status));
}

/* @file's size added to *@size; -EINVAL when it is no regular file. A
 * missing file is the reader's to say; a FIFO or a device would block the
 * read or never end. */
static int guard__add_size(const char *file, unsigned long long *size)
{
	struct stat st;

	if (!file || stat(file, &st))
		return 0;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		pr_err("%s: not a regular file\n", file);
		return -EINVAL;
	}
	*size += (unsigned long long)st.st_size;
	return 0;
}

/* No child to be had: the render here, straight to @out_fd. */
static int guard__direct(int (*render)(void *ctx, FILE *out), void *ctx,
			 int out_fd)
{
	int dup_fd = out_fd == STDOUT_FILENO ? -1 : dup(out_fd);
	FILE *out = dup_fd < 0 ? stdout : fdopen(dup_fd, "w");
	int rc;

	if (!out) {
		close(dup_fd);
		return EXIT_FAIL;
	}
	rc = render(ctx, out);
	if (out != stdout && fclose(out) && rc == EXIT_OK)
		rc = EXIT_FAIL;
	return rc;
}

/* The sizes of @files added up: --compare reads both files in the same
 * child. 0 or -EINVAL, said. */
static int guard__size(const char *const *files, size_t nfiles,
		       unsigned long long *size)
{
	*size = 0;
	for (size_t i = 0; i < nfiles; i++) {
		if (guard__add_size(files[i], size))
			return -EINVAL;
	}
	return 0;
}

int guard__stream(const char *const *files, size_t nfiles,
		  int (*render)(void *ctx, FILE *out), void *ctx, int out_fd)
{
	unsigned long long size;
	pid_t pid;

	if (guard__size(files, nfiles, &size))
		return EXIT_FAIL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return guard__direct(render, ctx, out_fd);
	if (pid == 0)
		_exit(child__run(render, ctx, out_fd, size));
	return guard__wait(files[0], pid);
}

int guard__run(const char *const *files, size_t nfiles,
	       int (*render)(void *ctx, FILE *out), void *ctx, int out_fd)
{
	int fd = memfd_create("scope-bpf-read", MFD_CLOEXEC);
	unsigned long long size;
	pid_t pid;
	int rc, err;

	if (fd < 0)
		return guard__direct(render, ctx, out_fd);
	if (guard__size(files, nfiles, &size)) {
		close(fd);
		return EXIT_FAIL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return guard__direct(render, ctx, out_fd);
	}
	if (pid == 0)
		_exit(child__run(render, ctx, fd, size));
	rc = guard__wait(files[0], pid);
	if (rc == EXIT_OK) {
		err = guard__copy_out(fd, out_fd);
		if (err) {
			pr_err("cannot write the output: %s\n", strerror(-err));
			rc = EXIT_FAIL;
		}
	}
	close(fd);
	return rc;
}
