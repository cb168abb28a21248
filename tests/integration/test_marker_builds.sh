#!/bin/bash
# The marker header across compilers and modes: C++, clang, -O0, -O3 and
# -fPIC/-shared all profile exactly; -DSCOPE_BPF_DISABLE leaves no trace; a
# quoted region name is a readable compile error, enabled or disabled.
# site-modes: all
source "$(dirname "$0")/lib.sh"

build() { # name compiler flags...
	local name=$1 cc=$2
	shift 2
	$cc "$@" -Iinclude -pthread tests/progs/counts.c -o "$TMP/$name"
}

build cxx g++ -x c++ -std=c++17 -O2 -Wall -Wextra -Werror
build clang clang -O2 -Wall -Wextra -Werror
build o0 gcc -O0 -g -Wall -Wextra -Werror
build o3 gcc -O3 -flto -Wall -Wextra -Werror
build pedantic gcc -std=c99 -pedantic-errors -O2 -Wall -Wextra -Werror
for b in cxx clang o0 o3 pedantic; do
	$SCOPE run -q -o "$TMP/$b.h5" -- "$TMP/$b" 2 300 3 >/dev/null
	# one row per region and thread (report --threads)
	out=$($SCOPE report --format csv --threads "$TMP/$b.h5")
	expect_eq "$b: outer" "$(column "$out" outer calls | sort -u)" 300
	expect_eq "$b: rec" "$(column "$out" rec calls | sort -u)" 900
	expect_eq "$b: blockr" "$(column "$out" blockr calls | sort -u)" 300
	expect_eq "$b: unmatched ENDs" "$(h5attr "$TMP/$b.h5" meta unmatched_end)" 0
	expect_site_mode "$TMP/$b.h5"
done

# every form, disabled, in C and C++: no warning with -Wall -Wextra
for cc in "gcc -std=c99 -pedantic-errors" "g++ -x c++" "clang"; do
	$cc -O2 -DSCOPE_BPF_DISABLE -Wall -Wextra -Wshadow -Werror -Iinclude \
		tests/progs/markers.c -o "$TMP/markers-off" ||
		fail "disabled markers do not build with $cc"
done
echo "ok: disabled markers build cleanly"

build off gcc -O2 -DSCOPE_BPF_DISABLE -Wall -Wextra -Werror
readelf -S "$TMP/off" | grep -q scope_bpf && fail "disabled build has a note section"
rc=0
$SCOPE list "$TMP/off" 2>/dev/null || rc=$?
expect_eq "list of a disabled build" "$rc" 1

# A quoted region name is an error that says so, with every compiler and
# with markers disabled too (where it would otherwise vanish unnoticed).
quoted() { # form
	printf '#include <scope_bpf.h>\nstatic volatile int sink;\nint main(void)\n{\n\t%s\n\treturn sink;\n}\n' "$1" >"$TMP/quoted.c"
}
for form in 'SCOPE_BPF_BEGIN("solve"); sink++; SCOPE_BPF_END(solve);' \
	'SCOPE_BPF_BEGIN(solve); sink++; SCOPE_BPF_END("solve");' \
	'SCOPE_BPF_REGION("solve") { sink++; }' \
	'SCOPE_BPF_SCOPE("solve"); sink++;'; do
	quoted "$form"
	for cc in "gcc -std=c99" "gcc -std=c11" "g++ -x c++ -std=c++11" \
		"g++ -x c++ -std=c++17" "clang -std=c11" "clang -x c++ -std=c++17"; do
		for mode in "" -DSCOPE_BPF_DISABLE; do
			$cc $mode -Iinclude "$TMP/quoted.c" -o "$TMP/quoted" 2>"$TMP/err" &&
				fail "$cc ${mode:-(enabled)} accepts $form"
			grep -q 'error: .*scope_bpf_region_name_must_be_an_identifier_' "$TMP/err" ||
				fail "$cc ${mode:-(enabled)}: no readable error for $form: $(head -3 "$TMP/err")"
		done
	done
	# the same program with an identifier builds: the quotes were the error
	quoted "${form//\"solve\"/solve}"
	gcc -Wall -Wextra -Werror -Iinclude "$TMP/quoted.c" -o "$TMP/quoted" ||
		fail "unquoted $form does not build"
done
echo "ok: quoted names are a readable error in gcc, g++ and clang, on and off"

# `break` in SCOPE_BPF_REGION leaves the region's block, not the loop around
# it (a hidden one-pass loop), enabled and disabled alike; in a loop body
# marked with SCOPE_BPF_SCOPE it leaves the loop. The documents say so.
gcc -O2 -DSCOPE_BPF_DISABLE -Wall -Wextra -Werror -Iinclude \
	tests/progs/region_break.c -o "$TMP/region_break-off"
for b in $PROGS/region_break "$TMP/region_break-off"; do
	expect_eq "$(basename "$b"): where the loops stopped" "$("$b" | tr '\n' ' ')" \
		"region: stopped at 10 scope: stopped at 3 "
done
$SCOPE run -q -o "$TMP/break.h5" -- $PROGS/region_break >/dev/null
out=$(csv "$TMP/break.h5")
expect_eq "region_body calls (the loop ran on)" "$(column "$out" region_body calls)" 10
expect_eq "scope_body calls (the loop stopped)" "$(column "$out" scope_body calls)" 4
for doc in README.md include/scope_bpf.h docs/markers.md; do
	grep -q 'break.*leave.*block, not' "$doc" ||
		fail "$doc does not say that break leaves SCOPE_BPF_REGION's block"
done
echo "ok: README, scope_bpf.h and docs/markers.md document break in SCOPE_BPF_REGION"

# SCOPE_BPF_SCOPE is the C++ form: it ends on return, break and exceptions
for std in c++11 c++17; do
	g++ -std=$std -O2 -g -Wall -Wextra -Werror -Iinclude tests/progs/scope_cxx.cpp \
		-o "$TMP/scope_cxx"
	expect_eq "$std: scope_cxx" "$("$TMP/scope_cxx" 30)" \
		"scope_cxx: caught=10 stopped at 3 steps=30"
	$SCOPE run -q -o "$TMP/cxx.h5" -- "$TMP/scope_cxx" 30 >/dev/null
	out=$(csv "$TMP/cxx.h5")
	for r in work early step thrower; do
		expect_eq "$std: $r calls" "$(column "$out" $r calls)" 30
	done
	expect_eq "$std: loop_body calls" "$(column "$out" loop_body calls)" 4
	for m in unmatched_end abandoned unfinished; do
		expect_eq "$std: $m" "$(h5attr "$TMP/cxx.h5" meta $m)" 0
	done
done

# Fortran marks regions through the scope_bpf module, which has its own
# test: the README points at its document
grep -q 'docs/fortran.md' README.md || fail "README does not point at docs/fortran.md"
[ -x tests/integration/test_fortran.sh ] || fail "no test of the Fortran module"
echo "ok: Fortran support is documented and tested"
