// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A target process seen through /proc: liveness, command line, and the ELF
 * objects it has mapped executable, with their load bias. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "common/array.h"
#include "common/log.h"
#include "discover/target.h"

#define DELETED_SUFFIX " (deleted)"

/* One line of /proc/PID/maps; name points into the line. */
struct maps_entry {
	uint64_t start;
	uint64_t end;
	uint64_t offset;
	dev_t dev;
	ino_t ino;
	int exec;
	const char *name;
};

/* An object while maps is scanned: its lowest-offset mapping gives the
 * load bias, and any executable mapping makes it worth probing. */
struct scan_obj {
	struct target_object obj;
	uint64_t map_start;
	uint64_t map_offset;
	int exec;
};

struct scan {
	pid_t pid;
	dev_t exe_dev;
	ino_t exe_ino;
	char exe_name[PATH_MAX];
	struct scan_obj *v;
	size_t n, cap;
	int warned_deleted;
};

int target__check(pid_t pid)
{
	char path[32];

	/* kill() reads 0 and negative pids as process groups */
	if (pid <= 0)
		return -EINVAL;
	if (kill(pid, 0))
		return -errno;
	/* alive in our pid namespace but not in the /proc we see */
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if (access(path, F_OK))
		return -ESRCH;
	return 0;
}

int target__tgid(pid_t pid)
{
	char path[32], line[128];
	int tgid = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (tgid < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) != 1)
			tgid = -ENOENT;
	fclose(f);
	return tgid;
}

/* The whole of a small /proc file, NUL-terminated; NULL with errno set.
 * /proc files report no size, so read until EOF. */
static char *proc__read(const char *path, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	int fd, err = 0;
	ssize_t got;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		if (ARRAY_RESERVE(buf, cap, n + 2)) {
			err = ENOMEM;
			break;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			err = errno;
		if (got <= 0)
			break;
		n += got;
	}
	close(fd);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *target__cmdline(pid_t pid)
{
	char path[32], *s;
	size_t i, len;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	s = proc__read(path, &len);
	if (!s)
		return NULL;
	while (len && s[len - 1] == '\0')
		len--;
	s[len] = '\0';
	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			s[i] = ' ';
	}
	return s;
}

static int maps__parse_line(char *line, struct maps_entry *e)
{
	unsigned long long start, end, offset, ino;
	unsigned int major, minor;
	char perms[5];
	int pos = -1;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end,
		   perms, &offset, &major, &minor, &ino, &pos) < 7 ||
	    pos < 0)
		return -EINVAL;
	line[strcspn(line, "\n")] = '\0';
	e->start = start;
	e->end = end;
	e->offset = offset;
	e->dev = makedev(major, minor);
	e->ino = ino;
	e->exec = perms[2] == 'x';
	e->name = line + pos;
	return 0;
}

static int str__ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* A file replaced on disk since it was mapped cannot be opened by path, so
 * no uprobe can reach it; say so once rather than per mapping. */
static void scan__skip_deleted(struct scan *s, const struct maps_entry *e)
{
	if (!e->exec || s->warned_deleted)
		return;
	s->warned_deleted = 1;
	pr_warn("process %d runs code from deleted files (first: %.*s): their regions cannot be probed\n",
		(int)s->pid, (int)(strlen(e->name) - strlen(DELETED_SUFFIX)),
		e->name);
}

static struct scan_obj *scan__find(struct scan *s, dev_t dev, ino_t ino)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].obj.dev == dev && s->v[i].obj.ino == ino)
			return &s->v[i];
	}
	return NULL;
}

/* The target sees a file as its maps name. We open the mapping itself
 * (map_files): exactly the inode the target runs, even if the path now
 * names another file or lies in another mount namespace. Without the right
 * to read map_files (CAP_SYS_ADMIN), the path through the target's root. */
static int obj__path(char **path, const struct maps_entry *e, pid_t pid)
{
	if (asprintf(path, "/proc/%d/map_files/%llx-%llx", (int)pid,
		     (unsigned long long)e->start,
		     (unsigned long long)e->end) < 0)
		return -ENOMEM;
	if (!access(*path, R_OK))
		return 0;
	free(*path);
	if (asprintf(path, "/proc/%d/root%s", (int)pid, e->name) < 0)
		return -ENOMEM;
	return 0;
}

static int scan__new_obj(struct scan *s, const struct maps_entry *e)
{
	struct scan_obj *o;

	if (ARRAY_RESERVE(s->v, s->cap, s->n + 1))
		return -ENOMEM;
	o = &s->v[s->n];
	memset(o, 0, sizeof(*o));
	o->obj.name = strdup(e->name);
	if (!o->obj.name || obj__path(&o->obj.path, e, s->pid)) {
		free(o->obj.name);
		return -ENOMEM;
	}
	o->obj.dev = e->dev;
	o->obj.ino = e->ino;
	o->obj.is_exe = e->dev == s->exe_dev && e->ino == s->exe_ino;
	o->map_start = e->start;
	o->map_offset = e->offset;
	s->n++;
	return 0;
}

static int scan__add(struct scan *s, const struct maps_entry *e)
{
	struct scan_obj *o;
	int err;

	/* [vdso], [heap], anonymous memory: no file to probe */
	if (e->name[0] != '/' || !e->ino)
		return 0;
	if (str__ends_with(e->name, DELETED_SUFFIX)) {
		scan__skip_deleted(s, e);
		return 0;
	}
	o = scan__find(s, e->dev, e->ino);
	if (!o) {
		err = scan__new_obj(s, e);
		if (err)
			return err;
		o = &s->v[s->n - 1];
	}
	if (e->offset < o->map_offset) {
		o->map_start = e->start;
		o->map_offset = e->offset;
	}
	o->exec |= e->exec;
	return 0;
}

/* bias = where the mapping starts - the link-time address of its file
 * offset, found through the PT_LOAD that holds that offset. */
static int elf__load_bias(Elf *elf, uint64_t start, uint64_t offset,
			  uint64_t *bias)
{
	uint64_t page_mask = ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
	GElf_Phdr ph;
	size_t i, n;

	if (elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph))
			return -ENOEXEC;
		if (ph.p_type != PT_LOAD ||
		    offset < (ph.p_offset & page_mask) ||
		    offset >= ph.p_offset + ph.p_filesz)
			continue;
		/* unsigned wrap-around keeps this right when offset is the
		 * page-aligned start below p_offset */
		*bias = start - (ph.p_vaddr - ph.p_offset + offset);
		return 0;
	}
	return -ENOEXEC;
}

static int scan_obj__load_bias(struct scan_obj *o)
{
	Elf *elf = NULL;
	int fd, err;

	fd = open(o->obj.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf) {
		err = -ENOEXEC;
		goto cleanup;
	}
	err = elf__load_bias(elf, o->map_start, o->map_offset,
			     &o->obj.load_bias);
cleanup:
	elf_end(elf);
	close(fd);
	return err;
}

static void target_object__free(struct target_object *o)
{
	free(o->path);
	free(o->name);
}

void target_objects__free(struct target_objects *objs)
{
	size_t i;

	if (!objs)
		return;
	for (i = 0; i < objs->n; i++)
		target_object__free(&objs->v[i]);
	free(objs->v);
	objs->v = NULL;
	objs->n = 0;
}

/* dev/ino identify the executable; its name is the fallback for overlayfs,
 * where maps may show the lower file's dev/ino and stat the overlay's. */
static void scan__mark_exe(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].obj.is_exe)
			return;
	}
	for (i = 0; i < s->n; i++)
		s->v[i].obj.is_exe = !strcmp(s->v[i].obj.name, s->exe_name);
}

/* Moves each object worth probing from @s to @out; a mapped file that is
 * not ELF (a JIT's code file, say) has no markers and is dropped. */
static int scan__finish(struct scan *s, struct target_objects *out)
{
	struct scan_obj *o;
	int err;

	scan__mark_exe(s);
	for (o = s->v; o < s->v + s->n; o++) {
		if (!o->exec && !o->obj.is_exe)
			continue;
		err = scan_obj__load_bias(o);
		if (err == -ENOEXEC) {
			pr_debug("%s: not ELF, skipped\n", o->obj.name);
			continue;
		}
		if (err)
			return err;
		if (ARRAY_RESERVE(out->v, out->cap, out->n + 1))
			return -ENOMEM;
		out->v[out->n++] = o->obj;
		o->obj = (struct target_object){ 0 };
	}
	return 0;
}

static void scan__free(struct scan *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		target_object__free(&s->v[i].obj);
	free(s->v);
}

static int scan__init(struct scan *s, pid_t pid)
{
	char path[32];
	struct stat st;
	ssize_t n;

	s->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (stat(path, &st))
		return -errno;
	s->exe_dev = st.st_dev;
	s->exe_ino = st.st_ino;
	n = readlink(path, s->exe_name, sizeof(s->exe_name) - 1);
	s->exe_name[n > 0 ? n : 0] = '\0';
	return 0;
}

static int scan__read_maps(struct scan *s, FILE *maps)
{
	struct maps_entry e;
	size_t cap = 0;
	char *line = NULL;
	int err = 0;

	while (!err && getline(&line, &cap, maps) > 0) {
		err = maps__parse_line(line, &e);
		if (!err)
			err = scan__add(s, &e);
	}
	free(line);
	return err;
}

static int objects(pid_t pid, struct target_objects *out, bool quiet)
{
	struct scan s = { .warned_deleted = quiet };
	size_t n0 = out->n;
	FILE *maps = NULL;
	char path[32];
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ELIBBAD;
	err = scan__init(&s, pid);
	if (err)
		goto cleanup;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "re");
	if (!maps) {
		err = -errno;
		goto cleanup;
	}
	err = scan__read_maps(&s, maps);
	if (!err)
		err = scan__finish(&s, out);
cleanup:
	if (maps)
		fclose(maps);
	while (err && out->n > n0)
		target_object__free(&out->v[--out->n]);
	scan__free(&s);
	return err;
}

int target__objects(pid_t pid, struct target_objects *out)
{
	return objects(pid, out, false);
}

int target__objects_quiet(pid_t pid, struct target_objects *out)
{
	return objects(pid, out, true);
}

/* execv (not execvp) runs ELF files and #! scripts only: anything else
 * fails with ENOEXEC after the fork, so tell it first. 0 or -errno. */
int target__check_exec_format(const char *path)
{
	char magic[4];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES ? 0 :
					 -errno; /* executable, unreadable */
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n >= 4 && !memcmp(magic, "\177ELF", 4))
		return 0;
	if (n >= 2 && !memcmp(magic, "#!", 2))
		return 0;
	return -ENOEXEC;
}

/* 0 if @path is a file we may execute, else -errno as execve would give. */
static int exe__check(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	if (access(path, X_OK))
		return -errno;
	return 0;
}

/* dir/cmd, or ./cmd for an empty PATH entry (the current directory), so
 * that the result always contains a '/' and is never searched again. */
static char *exe__join(const char *dir, size_t len, const char *cmd)
{
	char *s;

	if (!len)
		return asprintf(&s, "./%s", cmd) < 0 ? NULL : s;
	return asprintf(&s, "%.*s/%s", (int)len, dir, cmd) < 0 ? NULL : s;
}

/* Finds @cmd as execvp would, so that `run` can report a missing command
 * before it forks: a name with a '/' as is, else each PATH entry in turn. */
char *target__resolve_exe(const char *cmd)
{
	const char *dir, *end;
	int err, eacces = 0;
	char *cand;

	if (!cmd || !*cmd) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(cmd, '/')) {
		err = exe__check(cmd);
		if (err) {
			errno = -err;
			return NULL;
		}
		return strdup(cmd);
	}
	dir = getenv("PATH");
	/* execvp's default when PATH is unset */
	if (!dir)
		dir = "/bin:/usr/bin";
	for (;; dir = end + 1) {
		end = strchrnul(dir, ':');
		cand = exe__join(dir, end - dir, cmd);
		if (!cand)
			return NULL;
		err = exe__check(cand);
		if (!err)
			return cand;
		free(cand);
		eacces |= err == -EACCES;
		if (!*end)
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return NULL;
}

/* /proc/PID/stat after the command's closing parenthesis: state, ppid,
 * pgrp, session, tty_nr, tpgid. */
int target__foreground(pid_t pid)
{
	char path[64], buf[1024], *p;
	int pgrp, tty, tpgid, n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n > 0 ? n : 0] = '\0';
	p = strrchr(buf, ')');
	if (!p ||
	    sscanf(p + 1, " %*c %*d %d %*d %d %d", &pgrp, &tty, &tpgid) != 3)
		return -EINVAL;
	return tty != 0 && tpgid == pgrp;
}
