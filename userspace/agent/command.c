// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The messages of `run` about commands it cannot profile or start. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "agent/command.h"
#include "common/log.h"

/* Programs that start the real one: they have no markers of their own. */
static bool is_wrapper(const char *path)
{
	static const char *const names[] = {
		"sh",	   "bash",     "dash", "zsh",	 "env",	    "mpirun",
		"mpiexec", "srun",     "time", "nice",	 "taskset", "numactl",
		"perf",	   "valgrind", "sudo", "stdbuf", "timeout", "xargs",
	};
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

static bool is_script(const char *path)
{
	char magic[2] = "";
	FILE *f = fopen(path, "re");

	if (f) {
		if (fread(magic, 1, 2, f) != 2)
			magic[0] = '\0';
		fclose(f);
	}
	return magic[0] == '#' && magic[1] == '!';
}

/* python, python3, python3.11: the name, then digits and dots. */
static bool is_python(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	if (strncmp(base, "python", 6))
		return false;
	return strspn(base + 6, "0123456789.") == strlen(base + 6);
}

bool command__markers_come_later(const char *path)
{
	return path && is_python(path) && !is_script(path);
}

/* Nothing to probe. A wrapper or a script is the usual reason under run:
 * the agent follows the process it starts, not the ones that one starts. */
void command__say_no_markers(const char *name, const char *exe)
{
	if (exe && (is_wrapper(exe) || is_script(exe)))
		pr_err("%s: no scope-bpf markers: it is a %s; scope-bpf run profiles the process it starts, not that one's children: run your program directly (scope-bpf run -- ./prog ARGS), or start it and use scope-bpf attach --pid PID\n",
		       name, is_script(exe) ? "script" : "wrapper");
	else
		pr_err("%s: no scope-bpf markers (build it with #include <scope_bpf.h> and SCOPE_BPF_BEGIN/END)\n",
		       name);
}

int command__say_unusable(const char *cmd, int err)
{
	struct stat st;

	/* execve says EACCES for a directory too; a shell says which */
	if (err == -EACCES && strchr(cmd, '/') && !stat(cmd, &st) &&
	    S_ISDIR(st.st_mode))
		err = -EISDIR;
	if (err == -ENOENT && !strchr(cmd, '/'))
		pr_err("%s: command not found\n", cmd);
	else
		pr_err("%s: %s\n", cmd,
		       err == -ENOEXEC ?
			       "not an executable (no ELF header or #! line)" :
			       strerror(-err));
	return err;
}
