// SPDX-License-Identifier: MIT
/* libmarked.so: regions inside a shared library. */
#include <scope_bpf.h>

static volatile unsigned long sink;

void lib_work(int n)
{
	SCOPE_BPF_BEGIN(lib_work);
	for (int i = 0; i < n; i++)
		sink += i;
	SCOPE_BPF_END(lib_work);
}
