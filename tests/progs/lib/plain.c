// SPDX-License-Identifier: MIT
/* libplain.so: a library without markers, for --func: lib_work calls
 * plain_step (exported, so -fPIC keeps the call: it may be interposed)
 * once a call, not as a tail call. */
static volatile unsigned long sink;

void plain_step(int n)
{
	for (int i = 0; i < n; i++)
		sink += i;
}

void lib_work(int n)
{
	plain_step(n);
	sink++;
}
