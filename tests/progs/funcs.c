// SPDX-License-Identifier: MIT
/* Known function call counts for --func: funcs ITERS DEPTH [JUMPS]. The
 * main thread and one worker each run ITERS times fn_outer (which calls
 * fn_inner twice); the main thread then runs fn_recurse(DEPTH) once (DEPTH
 * + 1 calls, nested), and JUMPS times fn_jumper, which calls fn_thrower,
 * which longjmps past both back into main. A marker region `marked`
 * holds each fn_outer call of the main thread. fn_inlined is inlined
 * into main: a name in the DWARF, no symbol. */
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include <scope_bpf.h>

#define KEEP __attribute__((noinline, noclone, used))

static volatile unsigned long sink;
static jmp_buf back;

KEEP void fn_inner(void)
{
	sink++;
}

KEEP void fn_outer(void)
{
	fn_inner();
	fn_inner();
	sink++;
}

/* Not a tail call: the add after it keeps every level a real call. */
KEEP int fn_recurse(int d)
{
	int r = 0;

	if (d > 0)
		r = fn_recurse(d - 1);
	sink += r;
	return r + 1;
}

KEEP void fn_thrower(void)
{
	sink++;
	longjmp(back, 1);
}

KEEP void fn_jumper(void)
{
	fn_thrower();
	sink++;
}

/* Inlined into main: DWARF knows it, no symbol does. */
static inline __attribute__((always_inline)) void fn_inlined(void)
{
	sink += 2;
}

static int iters;

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < iters; i++)
		fn_outer();
	return NULL;
}

int main(int argc, char **argv)
{
	int depth, jumps;
	pthread_t t;

	if (argc < 3) {
		fprintf(stderr, "usage: funcs ITERS DEPTH [JUMPS]\n");
		return 2;
	}
	iters = atoi(argv[1]);
	depth = atoi(argv[2]);
	jumps = argc > 3 ? atoi(argv[3]) : 0;
	if (pthread_create(&t, NULL, worker, NULL))
		return 1;
	for (int i = 0; i < iters; i++) {
		SCOPE_BPF_BEGIN(marked);
		fn_outer();
		SCOPE_BPF_END(marked);
	}
	pthread_join(t, NULL);
	fn_inlined();
	printf("recurse=%d\n", fn_recurse(depth));
	for (volatile int i = 0; i < jumps; i++) {
		if (!setjmp(back))
			fn_jumper();
	}
	return 0;
}
