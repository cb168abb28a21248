// SPDX-License-Identifier: MIT
/* SCOPE_BPF_SCOPE as the C++ form (tests/integration/test_marker_builds.sh
 * builds it with g++ -std=c++11 and -std=c++17): the region ends when the
 * scope does, by return, break or a thrown exception. scope_cxx [N] runs
 * N iterations (default 10): work, early, step and thrower once each per
 * iteration (thrower throws on every third), then a loop meant to stop at
 * i == 3 whose body is loop_body, so loop_body runs 4 times. */
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <scope_bpf.h>

static volatile int sink;

static __attribute__((noinline)) void work()
{
	SCOPE_BPF_SCOPE(work);
	sink++;
}

static __attribute__((noinline)) int early(int i)
{
	SCOPE_BPF_SCOPE(early);
	if (i & 1)
		return 1;
	sink++;
	return 0;
}

static __attribute__((noinline)) void thrower(int i)
{
	SCOPE_BPF_SCOPE(thrower);
	if (i % 3 == 0)
		throw std::runtime_error("every third");
	sink++;
}

template <typename T> struct solver {
	T state;
	void step()
	{
		SCOPE_BPF_SCOPE(step);
		state++;
	}
};

int main(int argc, char **argv)
{
	int n = argc > 1 ? std::atoi(argv[1]) : 10, i, caught = 0;
	solver<int> s = { 0 };

	for (i = 0; i < n; i++) {
		work();
		early(i);
		s.step();
		try {
			thrower(i);
		} catch (const std::exception &) {
			caught++;
		}
	}
	for (i = 0; i < n; i++) {
		SCOPE_BPF_SCOPE(loop_body);
		if (i == 3)
			break;
		sink++;
	}
	std::printf("scope_cxx: caught=%d stopped at %d steps=%d\n", caught, i,
		    s.state);
	return 0;
}
