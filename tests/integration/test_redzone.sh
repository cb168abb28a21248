#!/bin/bash
# The red zone of a leaf function survives inline markers under every probe
# site: tests/progs/redzone keeps 112 bytes of live data below %rsp around
# its markers, and prints the same checksum profiled (auto, trap, nop5) and
# not, built -O2 in C, -O3 -fomit-frame-pointer in C++ and -O0.
source "$(dirname "$0")/lib.sh"

N=20000

# the data really is below %rsp in the function with the markers, with no
# stack adjustment: what a call pushed there would overwrite
check_redzone() { # binary
	local body
	body=$(objdump -d --no-show-raw-insn "$1" | awk '/redzone_mix[a-z]*>:/,/\tret/')
	grep -Eq -- '-0x[0-9a-f]+\(%rsp' <<<"$body" ||
		fail "$1: redzone_mix keeps nothing below %rsp"
	grep -Eq 'sub +\$0x[0-9a-f]+,%rsp' <<<"$body" &&
		fail "$1: redzone_mix moves %rsp: no red zone in use"
	grep -q 'lea    -0x80(%rsp),%rsp' <<<"$body" ||
		fail "$1: no marker in redzone_mix"
	echo "ok: $1 keeps live data in the red zone around its markers"
}

build() { # name compiler flags...
	local name=$1 cc=$2
	shift 2
	$cc "$@" -Iinclude tests/progs/redzone.c -o "$TMP/$name"
}

cp $PROGS/redzone "$TMP/o2"
build cxx g++ -x c++ -O3 -fomit-frame-pointer -Wall -Wextra -Werror
build o0 gcc -O0 -Wall -Wextra -Werror
check_redzone "$TMP/o2"
check_redzone "$TMP/cxx"

for b in o2 cxx o0; do
	want=$("$TMP/$b" $N)
	for mode in auto trap nop5; do
		got=$($SCOPE run -q --site-mode=$mode -o "$TMP/$b-$mode.h5" -- "$TMP/$b" $N)
		expect_eq "$b, $mode: checksum" "$got" "$want"
		expect_eq "$b, $mode: mix calls" \
			"$(column "$(csv "$TMP/$b-$mode.h5")" mix calls)" $N
	done
done

# where the kernel optimises nop5 uprobes (its uprobe syscall exists and
# says ENXIO outside the trampoline), nop5 mode really ran the trampoline
optimises=$(python3 -c 'import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print(int(libc.syscall(336) < 0 and ctypes.get_errno() == 6))')
if [ "$optimises" = 1 ]; then
	want=$("$TMP/o2" 400000)
	got=$($SCOPE run -q --site-mode=nop5 -o "$TMP/long.h5" -- "$TMP/o2" 400000)
	expect_eq "o2, nop5, 400000 regions: checksum" "$got" "$want"
	expect_eq "/meta/site_trampoline" "$(h5attr "$TMP/long.h5" /meta site_trampoline)" 1
else
	echo "this kernel does not optimise nop5 uprobes: trampoline not checked"
fi
