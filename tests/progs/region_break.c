// SPDX-License-Identifier: MIT
/* What `break` does in a marked loop body (README, scope_bpf.h and
 * docs/markers.md say so; tests/integration/test_marker_builds.sh holds
 * them to it). Each loop means to stop at i == 3:
 *
 *     region: stopped at 10   SCOPE_BPF_REGION is a one-pass loop: the
 *                             break leaves the region's block, not the loop
 *     scope: stopped at 3     SCOPE_BPF_SCOPE is a declaration: the break
 *                             leaves the loop, and the region ends with it
 */
#include <stdio.h>

#include <scope_bpf.h>

static volatile int sink;

int main(void)
{
	int i;

	for (i = 0; i < 10; i++) {
		SCOPE_BPF_REGION(region_body)
		{
			if (i == 3)
				break;
			sink++;
		}
	}
	printf("region: stopped at %d\n", i);

	for (i = 0; i < 10; i++) {
		SCOPE_BPF_SCOPE(scope_body);
		if (i == 3)
			break;
		sink++;
	}
	printf("scope: stopped at %d\n", i);
	return 0;
}
