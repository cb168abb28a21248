// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* maxrss CMD...: runs CMD and prints its peak resident set on stderr as
 * "maxrss_kib=N"; exits with CMD's status. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CMD...\n", argv[0]);
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
		perror("maxrss");
		return 1;
	}
	fprintf(stderr, "maxrss_kib=%ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
