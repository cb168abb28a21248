// SPDX-License-Identifier: MIT
/* A C++ target for --func, built as a stripped PIE whose functions are in
 * .dynsym only (-rdynamic): solver ITERS [THROWS]. Each iteration calls
 * ns::Solver::step(int) once and ns::Solver::step(double) twice;
 * ns::twice<int> runs once per step(int), ns::twice<double> once per
 * step(double). THROWS times ns::Solver::fail(int) throws through
 * ns::Solver::guard(), which main catches. */
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#define KEEP __attribute__((noinline, noclone, used))

namespace ns {
static volatile double sink;

template <typename T> KEEP T twice(T x)
{
	sink = sink + 1;
	return x * 2;
}

class Solver {
public:
	KEEP void step(int i);
	KEEP void step(double x);
	KEEP void fail(int i);
	KEEP void guard(int i);
};

void Solver::step(int i)
{
	sink = sink + twice<int>(i);
}

void Solver::step(double x)
{
	sink = sink + twice<double>(x);
}

void Solver::fail(int i)
{
	if (i >= 0)
		throw std::runtime_error("fail");
	sink = sink + 1;
}

void Solver::guard(int i)
{
	fail(i);
	sink = sink + 1;
}
} // namespace ns

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 10;
	int throws = argc > 2 ? atoi(argv[2]) : 0;
	int caught = 0;
	ns::Solver s;

	for (int i = 0; i < iters; i++) {
		s.step(i);
		s.step(i * 0.5);
		s.step(i * 0.25);
	}
	for (int i = 0; i < throws; i++) {
		try {
			s.guard(i);
		} catch (const std::exception &) {
			caught++;
		}
	}
	printf("caught=%d\n", caught);
	return 0;
}
