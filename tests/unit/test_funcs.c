// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --func patterns: [LIB:]GLOB parsing beside C++ "::", which objects a LIB
 * names, demangling, and matching the functions of built programs
 * (tests/progs/funcs, the stripped C++ PIE tests/progs/cxx_solver). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "discover/funcs.h"

static void test_pattern_parse(void **state)
{
	struct func_patterns p = { 0 };

	(void)state;
	assert_int_equal(func_patterns__add(&p, "libm:exp*"), 0);
	assert_string_equal(p.v[0].lib, "libm");
	assert_string_equal(p.v[0].glob, "exp*");
	/* "::" is C++, not LIB's colon */
	assert_int_equal(func_patterns__add(&p, "ns::Solver::step*"), 0);
	assert_null(p.v[1].lib);
	assert_string_equal(p.v[1].glob, "ns::Solver::step*");
	assert_int_equal(func_patterns__add(&p, "libfoo:ns::x*"), 0);
	assert_string_equal(p.v[2].lib, "libfoo");
	assert_string_equal(p.v[2].glob, "ns::x*");
	assert_int_equal(func_patterns__add(&p, "/usr/lib/libz.so.1:deflate"),
			 0);
	assert_string_equal(p.v[3].lib, "/usr/lib/libz.so.1");
	assert_int_equal(func_patterns__add(&p, ":x"), -EINVAL);
	assert_int_equal(func_patterns__add(&p, "libm:"), -EINVAL);
	assert_int_equal(func_patterns__add(&p, ""), -EINVAL);
	assert_int_equal(p.n, 4);
	func_patterns__free(&p);
	assert_int_equal(p.n, 0);
}

static void test_pattern_file(void **state)
{
	char path[] = "/tmp/scope-test-funcs.XXXXXX";
	struct func_patterns p = { 0 };
	size_t line;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("# solver\n  solve*  \n\nlibm:exp\n", f);
	fclose(f);
	assert_int_equal(func_patterns__add_file(&p, path, &line), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0].glob, "solve*");
	assert_string_equal(p.v[1].lib, "libm");
	f = fopen(path, "w");
	fputs("ok\nlibm:\n", f);
	fclose(f);
	assert_int_equal(func_patterns__add_file(&p, path, &line), -EINVAL);
	assert_int_equal(line, 2);
	unlink(path);
	assert_int_equal(func_patterns__add_file(&p, path, &line), -ENOENT);
	func_patterns__free(&p);
}

static void test_pattern_applies(void **state)
{
	struct func_pattern exe = { .glob = "x" }, m = { .lib = "libm" };
	struct func_pattern path = { .lib = "/lib/x86_64-linux-gnu/libc.so.6" };

	(void)state;
	assert_true(func_pattern__applies(&exe, "/bin/prog", true));
	assert_false(func_pattern__applies(&exe, "/lib/libm.so.6", false));
	assert_true(func_pattern__applies(&m, "/lib/libm.so.6", false));
	assert_true(func_pattern__applies(&m, "/lib/libm-2.36.so", false));
	assert_false(func_pattern__applies(&m, "/lib/libmvec.so.1", false));
	assert_true(func_pattern__applies(
		&path, "/lib/x86_64-linux-gnu/libc.so.6", false));
	assert_false(func_pattern__applies(&path, "/lib/libm.so.6", false));
}

static void expect_demangled(const char *mangled, const char *want)
{
	char *d = funcs__demangle(mangled);

	assert_non_null(d);
	assert_string_equal(d, want);
	free(d);
}

static void test_demangle(void **state)
{
	(void)state;
	expect_demangled("_ZN2ns6Solver4stepEi", "ns::Solver::step(int)");
	/* a template function's return type is left out */
	expect_demangled("_ZN2ns5twiceIiEET_S1_", "ns::twice<int>(int)");
	expect_demangled("_ZNK2ns1A3getEv", "ns::A::get() const");
	expect_demangled("sqlite3_step", "sqlite3_step");
	expect_demangled("_Znot_mangled", "_Znot_mangled");
	/* gfortran's module procedures */
	expect_demangled("__solver_MOD_relax", "solver::relax");
	expect_demangled("__gmon_start__", "__gmon_start__");
}

static const struct func *find(const struct func_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	}
	return NULL;
}

static void test_match_c(void **state)
{
	struct func_patterns p = { 0 };
	struct func_list l = { 0 };
	const char *prog = TEST_PROG("funcs");

	(void)state;
	assert_int_equal(func_patterns__add(&p, "fn_*"), 0);
	assert_int_equal(func_patterns__add(&p, "fn_inner"), 0);
	assert_int_equal(func_patterns__add(&p, "libc:nosuch"), 0);
	assert_int_equal(funcs__match(prog, prog, true, &p, &l), 5);
	assert_non_null(find(&l, "fn_recurse"));
	assert_non_null(find(&l, "fn_inner"));
	/* each function once, counted for the first pattern that names it */
	assert_int_equal(p.v[0].matched, 5);
	assert_int_equal(p.v[1].matched, 0);
	assert_int_equal(p.v[2].matched, 0);
	/* LIB patterns do not look in the executable */
	func_list__free(&l);
	assert_int_equal(funcs__match(prog, prog, false, &p, &l), 0);
	func_list__free(&l);
	func_patterns__free(&p);
}

static void test_match_cxx_stripped(void **state)
{
	struct func_patterns p = { 0 };
	struct func_list l = { 0 };
	const char *prog = TEST_PROG("cxx_solver");
	const struct func *f;

	(void)state;
	assert_int_equal(func_patterns__add(&p, "ns::Solver::step*"), 0);
	assert_int_equal(funcs__match(prog, prog, true, &p, &l), 2);
	f = find(&l, "ns::Solver::step(int)");
	assert_non_null(f);
	assert_true(f->cxx);
	assert_true(f->size > 0);
	assert_non_null(find(&l, "ns::Solver::step(double)"));
	func_list__free(&l);
	func_patterns__free(&p);
}

static void test_inlined(void **state)
{
	char first[64] = "";

	(void)state;
	assert_int_equal(funcs__inlined(TEST_PROG("funcs"), "fn_inl*", first,
					sizeof(first)),
			 1);
	assert_string_equal(first, "fn_inlined");
	assert_int_equal(
		funcs__inlined(TEST_PROG("funcs"), "fn_outer", NULL, 0), 0);
	/* stripped: no DWARF, nothing to say */
	assert_int_equal(funcs__inlined(TEST_PROG("cxx_solver"), "*", NULL, 0),
			 0);
	assert_int_equal(funcs__inlined("/nonexistent", "*", NULL, 0), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_parse),
		cmocka_unit_test(test_pattern_file),
		cmocka_unit_test(test_pattern_applies),
		cmocka_unit_test(test_demangle),
		cmocka_unit_test(test_match_c),
		cmocka_unit_test(test_match_cxx_stripped),
		cmocka_unit_test(test_inlined),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
