// SPDX-License-Identifier: MIT
/* Regions named at run time: runtime_names N THREADS. Each thread, inside
 * the identifier region `outer`:
 *   - level_0 .. level_3: N regions, the names written by snprintf into one
 *     buffer in turn (level_k: N / 4 each, N a multiple of 4);
 *   - shared: N regions at each of three addresses (stack, heap, a literal),
 *     so 3 N, the END at another address than its BEGIN;
 *   - item_000 .. item_499: one region each, 500 distinct names, each
 *     nested in `shared`'s region of the heap copy;
 *   - a 70-byte name: 5 regions, recorded under its first 63 bytes.
 * With -DSCOPE_BPF_DISABLE it prints the same line and does nothing else. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

static int n;
static volatile unsigned long sink;

static void levels(void)
{
	char name[16];

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "level_%d", i % 4);
		scope_bpf_begin_named(name);
		sink++;
		scope_bpf_end_named(name);
	}
}

static void shared(void)
{
	char stack[8] = "shared";
	char *heap = strdup("shared");
	char item[16];

	for (int i = 0; i < n; i++) {
		scope_bpf_begin_named(stack);
		sink++;
		scope_bpf_end_named("shared");
		scope_bpf_begin_named("shared");
		sink++;
		scope_bpf_end_named(heap);
		scope_bpf_begin_named(heap);
		if (i < 500) {
			snprintf(item, sizeof(item), "item_%03d", i);
			scope_bpf_begin_named(item);
			sink++;
			scope_bpf_end_named(item);
		}
		scope_bpf_end_named(stack);
	}
	free(heap);
}

static void long_name(void)
{
	char name[80];

	memset(name, 'x', 70);
	name[70] = '\0';
	for (int i = 0; i < 5; i++) {
		scope_bpf_begin_named(name);
		sink++;
		scope_bpf_end_named(name);
	}
}

static void *run(void *arg)
{
	(void)arg;
	SCOPE_BPF_BEGIN(outer);
	levels();
	shared();
	long_name();
	SCOPE_BPF_END(outer);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[16];
	int threads;

	if (argc != 3 || (n = atoi(argv[1])) % 4 || n < 500 ||
	    (threads = atoi(argv[2])) < 1 || threads > 16) {
		fprintf(stderr,
			"usage: runtime_names N THREADS (N >= 500, a multiple of 4)\n");
		return 2;
	}
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("runtime_names: %d x %d\n", n, threads);
	return 0;
}
