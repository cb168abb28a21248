// SPDX-License-Identifier: MIT
/* A program without markers: nothing for scope-bpf to attach to. */
#include <stdio.h>

int main(void)
{
	puts("plain ran");
	return 0;
}
