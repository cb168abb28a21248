// SPDX-License-Identifier: MIT
/* Prints who it runs as, inside one region: ident */
#include <stdio.h>
#include <unistd.h>

#include <scope_bpf.h>

int main(void)
{
	SCOPE_BPF_BEGIN(ident);
	printf("uid=%u gid=%u\n", (unsigned)getuid(), (unsigned)getgid());
	SCOPE_BPF_END(ident);
	return 0;
}
