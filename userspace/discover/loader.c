// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Asks a program's own dynamic loader (PT_INTERP) which libraries it will map,
 * so `run` can attach to their markers before the program starts: search
 * paths, RUNPATH and the ld.so cache are the loader's business, not ours. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/array.h"
#include "common/log.h"
#include "common/privs.h"
#include "discover/loader.h"

/* The PT_INTERP path of @exe, "" for a static executable; NULL on error. */
static char *interp_of(const char *exe)
{
	char *interp = NULL;
	size_t n, len;
	GElf_Phdr ph;
	Elf *elf;
	int fd;

	elf_version(EV_CURRENT);
	fd = open(exe, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && !elf_getphdrnum(elf, &n)) {
		for (size_t i = 0; i < n && !interp; i++) {
			if (!gelf_getphdr(elf, i, &ph) ||
			    ph.p_type != PT_INTERP)
				continue;
			interp = elf_rawfile(elf, &len);
			if (interp && ph.p_offset + ph.p_filesz <= len)
				interp = strndup(interp + ph.p_offset,
						 ph.p_filesz);
			else
				interp = NULL;
		}
	}
	elf_end(elf);
	close(fd);
	return interp ? interp : strdup("");
}

char *loader__interp(const char *exe)
{
	return interp_of(exe);
}

static int add_path(struct path_list *l, const char *path, size_t len)
{
	if (ARRAY_RESERVE(l->v, l->cap, l->n + 1))
		return -ENOMEM;
	l->v[l->n] = strndup(path, len);
	if (!l->v[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

/* "\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x...)" or
 * "\t/lib64/ld-linux-x86-64.so.2 (0x...)": the absolute path, if any. */
static int parse_line(struct path_list *l, const char *line)
{
	const char *p = strstr(line, "=> ");

	p = p ? p + 3 : line + strspn(line, " \t");
	if (*p != '/')
		return 0;
	return add_path(l, p, strcspn(p, " \n"));
}

static int read_list(struct path_list *l, int fd)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	int err = 0;

	if (!f)
		return -errno;
	while (!err && getline(&line, &cap, f) > 0)
		err = parse_line(l, line);
	free(line);
	fclose(f);
	return err;
}

static int run_list(const char *interp, const char *exe, bool drop_privs,
		    struct path_list *out)
{
	int fds[2], status, err;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* the loader is the target's choice (PT_INTERP): not as root */
		if (drop_privs && privs__drop_to_sudo_user())
			_exit(127);
		dup2(fds[1], STDOUT_FILENO);
		execl(interp, interp, "--list", exe, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -errno;
	}
	err = read_list(out, fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		err = err ?: -ENOEXEC;
	return err;
}

int loader__startup_libs(const char *exe, bool drop_privs,
			 struct path_list *out)
{
	char *interp = interp_of(exe);
	int err;

	if (!interp)
		return -errno;
	if (!*interp) {
		free(interp);
		return 0;
	}
	err = run_list(interp, exe, drop_privs, out);
	if (err)
		pr_debug("%s --list %s: %s\n", interp, exe, strerror(-err));
	free(interp);
	return err;
}

void path_list__free(struct path_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
