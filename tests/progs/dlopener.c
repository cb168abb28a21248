// SPDX-License-Identifier: MIT
/* Loads a marked library after start: dlopener LIB N GO DONE [AGAIN].
 * Waits until the file GO exists ("-": at once), dlopens LIB, calls its
 * lib_work N times (each inside the region `call`); with AGAIN, dlcloses
 * it, waits until AGAIN exists, dlopens it again and calls it N times more;
 * then waits until DONE exists ("-": exits at once). A wait gives up after
 * 30 s. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <scope_bpf.h>

/* Until @path exists, 0; 1 after 30 s. */
static int wait_file(const char *path)
{
	for (int i = 0; strcmp(path, "-") && access(path, F_OK); i++) {
		if (i == 3000)
			return 1;
		usleep(10000);
	}
	return 0;
}

static void calls(void (*lib_work)(int), int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(call);
		lib_work(10);
		SCOPE_BPF_END(call);
	}
}

int main(int argc, char **argv)
{
	void (*lib_work)(int);
	void *lib;
	int n;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: dlopener LIB N GO DONE [AGAIN]\n");
		return 2;
	}
	n = atoi(argv[2]);
	if (wait_file(argv[3]))
		return 3;
	lib = dlopen(argv[1], RTLD_NOW);
	if (!lib) {
		fprintf(stderr, "dlopener: %s\n", dlerror());
		return 4;
	}
	*(void **)&lib_work = dlsym(lib, "lib_work");
	if (!lib_work)
		return 5;
	calls(lib_work, n);
	if (argc == 6) {
		dlclose(lib);
		if (wait_file(argv[5]))
			return 3;
		lib = dlopen(argv[1], RTLD_NOW);
		*(void **)&lib_work = lib ? dlsym(lib, "lib_work") : NULL;
		if (!lib_work)
			return 4;
		calls(lib_work, n);
	}
	printf("dlopener: %d\n", n);
	fflush(stdout);
	return wait_file(argv[4]) ? 6 : 0;
}
