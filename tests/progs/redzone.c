// SPDX-License-Identifier: MIT
/* A leaf function that keeps live data in the x86-64 red zone around inline
 * markers: redzone [N [SEED]] runs N regions and prints a checksum of that
 * data. Anything a probe writes below the stack pointer (the return address
 * of a call into the kernel's [uprobes-trampoline]) changes the checksum, so
 * the profiled and unprofiled runs must print the same line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <scope_bpf.h>

#define NV 14 /* 112 bytes: most of the red zone's 128 */

/* No call in here: the compiler keeps v below %rsp without moving it. */
__attribute__((noinline)) uint64_t redzone_mix(uint64_t seed, long n)
{
	volatile uint64_t v[NV];
	uint64_t sum = 0;

	for (int k = 0; k < NV; k++)
		v[k] = seed + k * 0x9e3779b97f4a7c15ull;
	for (long i = 0; i < n; i++) {
		SCOPE_BPF_BEGIN(mix);
		for (int k = 0; k < NV; k++)
			v[k] = v[k] * 6364136223846793005ull + v[(k + 1) % NV];
		SCOPE_BPF_END(mix);
	}
	for (int k = 0; k < NV; k++)
		sum = sum * 31 + v[k];
	return sum;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 42;

	printf("checksum %016llx\n", (unsigned long long)redzone_mix(seed, n));
	return 0;
}
