// SPDX-License-Identifier: MIT
/* Loads a marked library after start: dlopener LIB N GO DONE [AGAIN].
 * Waits until the file GO exists ("-": at once), dlopens LIB, calls its
 * lib_work N times (each inside the region `call`); with AGAIN, dlcloses
 * it, waits until AGAIN exists, dlopens it again and calls it N times more;
 * then waits until DONE exists ("-": exits at once). A wait gives up after
 * 30 s. LIB may be LIB1+LIB2: both are opened at once, and each `call`
 * calls the lib_work of both. */
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

typedef void (*work_fn)(int);

static void calls(work_fn *work, int nlibs, int n)
{
	for (int i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(call);
		for (int l = 0; l < nlibs; l++)
			work[l](10);
		SCOPE_BPF_END(call);
	}
}

/* Opens the libraries of @spec ("A" or "A+B") and finds their lib_work:
 * how many, or 0 when one fails (said). */
static int open_libs(const char *spec, void **lib, work_fn *work)
{
	char path[2][4096];
	const char *plus = strchr(spec, '+');
	int nlibs = plus ? 2 : 1;

	snprintf(path[0], sizeof(path[0]), "%.*s",
		 (int)(plus ? (size_t)(plus - spec) : strlen(spec)), spec);
	if (plus)
		snprintf(path[1], sizeof(path[1]), "%s", plus + 1);
	for (int l = 0; l < nlibs; l++) {
		lib[l] = dlopen(path[l], RTLD_NOW);
		if (!lib[l]) {
			fprintf(stderr, "dlopener: %s\n", dlerror());
			return 0;
		}
		*(void **)&work[l] = dlsym(lib[l], "lib_work");
		if (!work[l])
			return 0;
	}
	return nlibs;
}

int main(int argc, char **argv)
{
	work_fn work[2];
	void *lib[2];
	int n, nlibs;

	if (argc != 5 && argc != 6) {
		fprintf(stderr,
			"usage: dlopener LIB[+LIB] N GO DONE [AGAIN]\n");
		return 2;
	}
	n = atoi(argv[2]);
	if (wait_file(argv[3]))
		return 3;
	nlibs = open_libs(argv[1], lib, work);
	if (!nlibs)
		return 4;
	calls(work, nlibs, n);
	if (argc == 6) {
		for (int l = 0; l < nlibs; l++)
			dlclose(lib[l]);
		if (wait_file(argv[5]))
			return 3;
		if (!open_libs(argv[1], lib, work))
			return 4;
		calls(work, nlibs, n);
	}
	printf("dlopener: %d\n", n);
	fflush(stdout);
	return wait_file(argv[4]) ? 6 : 0;
}
