#!/bin/bash
# The marker header across compilers and modes: C++, clang, -O0, -O3 and
# -fPIC/-shared all profile exactly; -DSCOPE_BPF_DISABLE leaves no trace.
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
