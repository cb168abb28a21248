// SPDX-License-Identifier: MIT
/* Markers that `scope-bpf list` should and should not warn about
 * (tests/integration/test_list.sh): a typo'd pair, an END without a BEGIN,
 * and pairs that are fine although they look odd. Runs each once, exit 0. */
#include <scope_bpf.h>

static volatile int sink;

/* A typo: BEGIN(solve) has no END, END(slove) no BEGIN. */
static __attribute__((noinline)) void typo(void)
{
	SCOPE_BPF_BEGIN(solve);
	sink++;
	SCOPE_BPF_END(slove);
}

static __attribute__((noinline)) void orphan_end(void)
{
	sink++;
	SCOPE_BPF_END(orphan);
}

/* Fine: a plain pair, and a pair with two ENDs (an early return). */
static __attribute__((noinline)) void paired(void)
{
	SCOPE_BPF_BEGIN(good);
	sink++;
	SCOPE_BPF_END(good);
}

static __attribute__((noinline)) int two_ends(int early)
{
	SCOPE_BPF_BEGIN(twice);
	if (early) {
		SCOPE_BPF_END(twice);
		return 1;
	}
	sink++;
	SCOPE_BPF_END(twice);
	return 0;
}

/* Fine: the END comes first in the code; counts matter, not order. */
static __attribute__((noinline)) void backwards(int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			SCOPE_BPF_END(rolling);
		SCOPE_BPF_BEGIN(rolling);
		sink++;
	}
	if (n)
		SCOPE_BPF_END(rolling);
}

/* Fine: a helper inlined into its caller puts its BEGIN in the caller. */
static inline void begin_inlined(void)
{
	SCOPE_BPF_BEGIN(inlined);
}

/* Fine: block and scope forms end with innermost ENDs. */
static __attribute__((noinline)) void blocks(void)
{
	SCOPE_BPF_SCOPE(scoped);
	SCOPE_BPF_REGION(block)
	{
		sink++;
	}
}

int main(void)
{
	typo();
	orphan_end();
	paired();
	two_ends(sink & 1);
	backwards(3);
	begin_inlined();
	sink++;
	SCOPE_BPF_END(inlined);
	blocks();
	return 0;
}
