// SPDX-License-Identifier: MIT
/* A target that dies inside a region: doomed exit|abort. One `fine` region
 * completes first; `doomed` is left open by exit(3) or abort(). */
#include <stdlib.h>
#include <string.h>

#include <scope_bpf.h>

int main(int argc, char **argv)
{
	SCOPE_BPF_BEGIN(fine);
	SCOPE_BPF_END(fine);
	SCOPE_BPF_BEGIN(doomed);
	if (argc > 1 && !strcmp(argv[1], "abort"))
		abort();
	exit(3);
	SCOPE_BPF_END(doomed);
}
