#!/bin/bash
# The build itself, on a fresh clone: the user's CFLAGS add to the project's
# instead of replacing them; touching a header rebuilds exactly what reads it;
# the BPF objects come from the committed vmlinux.h; without libotf2 and
# protobuf-c the build goes on, and `export --format otf2` and
# `perfetto-proto` name the packages they need.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/clone.sh"

tree=$TMP/tree
clone_tree "$tree"
cd "$tree"

# make CFLAGS=-O0: -O0 on every agent compile, the project's flags kept
make -j2 V=1 CFLAGS=-O0 all >"$TMP/o0.log" 2>&1 || {
	tail -n 20 "$TMP/o0.log" >&2
	fail "make CFLAGS=-O0 does not build"
}
compiles=$(grep -c -- ' -c userspace/' "$TMP/o0.log")
[ "$compiles" -gt 0 ] || fail "make V=1 showed no compile"
for flag in -O0 -Werror -Iinclude -D_GNU_SOURCE; do
	expect_eq "compiles with $flag" "$(grep -- ' -c userspace/' "$TMP/o0.log" |
		grep -c -- " $flag ")" "$compiles"
done
./scope-bpf --version >/dev/null || fail "the -O0 binary does not run"

# the committed vmlinux.h, not the running kernel's BTF
grep -q -- "-Ivmlinux/$(uname -m) " "$TMP/o0.log" || fail "BPF not built against vmlinux/$(uname -m)"
grep -q "btf dump" "$TMP/o0.log" && fail "the build dumped the running kernel's BTF"
echo "ok: BPF objects built from the committed vmlinux.h"

make -j2 test-progs >/dev/null 2>&1 || fail "make test-progs"
expect_eq "a second make" "$(make test-progs 2>&1 | grep -c '^  [A-Z]')" 0

# includers HEADER FILE...: the FILEs that include HEADER, directly or
# through other headers (names as written in #include, without directory
# for tests/unit's own headers)
includers() {
	local want=" $1 " h f name out=" " changed=1
	shift
	while [ $changed = 1 ]; do
		changed=0
		for f in "$@"; do
			case $out in *" $f "*) continue ;; esac
			for h in $want; do
				grep -qE "^#include [\"<]$h[\">]" "$f" || continue
				out="$out$f "
				name=${f#userspace/}
				name=${name#tests/unit/}
				want="$want$name "
				changed=1
				break
			done
		done
	done
	for f in $out; do
		case $f in *.c) echo "$f" ;; esac
	done | sort
}

# rebuilt KIND: what the last make rebuilt of KIND (CC, TEST, PROG...), as sources
rebuilt() {
	awk -v k="$1" '$1 == k { print $2 }' "$TMP/make.log" |
		sed -e 's|^\.output/userspace/\(.*\)\.o$|userspace/\1.c|' \
			-e 's|^\.output/tests/\(test_.*\)|tests/unit/\1.c|' |
		sort
}

touch_header() { # header: touch it and make
	touch "$1"
	make -j2 test-progs >"$TMP/make.log" 2>&1 || fail "make after touching $1"
}

touch_header userspace/common/csv.h
expect_eq "compiled after touching common/csv.h" "$(rebuilt CC | xargs)" \
	"$(includers common/csv.h userspace/*/*.[ch] | xargs)"
expect_eq "BPF objects rebuilt" "$(rebuilt BPF | xargs)" ""

touch_header tests/unit/testutil.h
expect_eq "compiled after touching testutil.h" "$(rebuilt CC | xargs)" ""
expect_eq "unit tests rebuilt after touching testutil.h" "$(rebuilt TEST | xargs)" \
	"$(includers testutil.h tests/unit/*.[ch] | xargs)"

touch_header include/scope_bpf.h
# the BPF object includes it too, so the skeleton made from that object is
# new, and what includes the skeleton compiles again
expect_eq "compiled after touching scope_bpf.h" "$(rebuilt CC | xargs)" \
	"$(includers "scope_bpf.h regions.skel.h" userspace/*/*.[ch] | xargs)"
# and likwid_regions-dropin: likwid_regions.c built on scope_bpf_likwid.h
expect_eq "test programs rebuilt after touching scope_bpf.h" \
	"$(rebuilt PROG | wc -l)" "$(($(includers scope_bpf.h tests/progs/*.c | wc -l) + 1))"
expect_eq "examples rebuilt after touching scope_bpf.h" \
	"$(rebuilt EXAMPLE | wc -l)" "$(includers scope_bpf.h examples/*.c | wc -l)"

touch_header "vmlinux/$(uname -m)/vmlinux.h"
expect_eq "BPF objects rebuilt after touching vmlinux.h" "$(rebuilt BPF | xargs)" \
	".output/bench/floor.bpf.o .output/regions.bpf.o"

# no OTF2 and no protobuf-c (a pkg-config that knows neither): otf2.o and
# perfetto_proto.o alone are built again, without them, and the binary
# says what to install
real_pkg_config=$(command -v pkg-config) || fail "pkg-config is not installed"
cat >"$TMP/pkg-config" <<STUB
#!/bin/sh
for a; do
	case \$a in otf2* | libprotobuf-c*) echo "Package \$a was not found" >&2; exit 1 ;; esac
done
exec "$real_pkg_config" "\$@"
STUB
chmod +x "$TMP/pkg-config"
make -j2 PKG_CONFIG="$TMP/pkg-config" BIN=scope-bpf-nootf2 scope-bpf-nootf2 >"$TMP/make.log" 2>&1 || {
	tail -n 20 "$TMP/make.log" >&2
	fail "no build without libotf2 and protobuf-c"
}
expect_eq "compiled again without libotf2 and protobuf-c" "$(rebuilt CC | xargs)" \
	"userspace/export/otf2.c userspace/export/perfetto_proto.c"
ldd ./scope-bpf-nootf2 | grep -q open-trace-format && fail "linked to libotf2 all the same"
ldd ./scope-bpf-nootf2 | grep -q protobuf-c && fail "linked to protobuf-c all the same"
./scope-bpf run --trace -q -o "$TMP/t.h5" -- .output/tests/progs/counts 1 10 1 >/dev/null
rc=0
./scope-bpf-nootf2 export "$TMP/t.h5" -f otf2 -o "$TMP/otf2" 2>"$TMP/err" || rc=$?
expect_eq "exit of export --format otf2 without libotf2" $rc 1
grep -q "libopen-trace-format2-dev" "$TMP/err" || fail "the package is not named: $(cat "$TMP/err")"
[ ! -e "$TMP/otf2" ] || fail "an archive directory was made all the same"
echo "ok: without libotf2, otf2 refused naming $(grep -o 'libopen-trace-format2-dev' "$TMP/err")"
rc=0
./scope-bpf-nootf2 export "$TMP/t.h5" -f perfetto-proto -o "$TMP/t.pftrace" 2>"$TMP/err" || rc=$?
expect_eq "exit of export --format perfetto-proto without protobuf-c" $rc 1
grep -q "libprotobuf-c-dev and protobuf-c-compiler" "$TMP/err" ||
	fail "the packages are not named: $(cat "$TMP/err")"
[ ! -e "$TMP/t.pftrace" ] || fail "an output was written all the same"
echo "ok: without protobuf-c, perfetto-proto refused naming the packages"
