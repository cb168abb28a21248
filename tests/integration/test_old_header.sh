#!/bin/bash
# Binaries built with the scope_bpf.h of API version 1 (a 1-byte nop per
# marker, no nop5) stay profiled exactly under every site mode: nop5 falls
# back to their 1-byte nops and says so.
source "$(dirname "$0")/lib.sh"

# the last commit whose header was version 1
OLD=c4369c5
mkdir -p "$TMP/old"
git show "$OLD:include/scope_bpf.h" >"$TMP/old/scope_bpf.h" 2>/dev/null ||
	skip "no git history here to take the version 1 header from"
grep -q 'SCOPE_BPF_API_VERSION 1$' "$TMP/old/scope_bpf.h" ||
	fail "$OLD's header is not version 1"

gcc -O2 -Wall -Wextra -Werror -pthread -I"$TMP/old" tests/progs/counts.c \
	-o "$TMP/counts-old"
objdump -d "$TMP/counts-old" | grep -q 'lea    -0x80(%rsp),%rsp' &&
	fail "the old build has the new marker form"
sites=$($SCOPE list --sites --format csv "$TMP/counts-old")
expect_eq "old build: sites with a nop5" \
	"$(tail -n +2 <<<"$sites" | awk -F, '$8 != ""' | wc -l)" 0

for mode in auto trap nop5; do
	$SCOPE run --site-mode=$mode -o "$TMP/$mode.h5" -- "$TMP/counts-old" 2 300 3 \
		>/dev/null 2>"$TMP/err"
	out=$($SCOPE report --format csv --threads "$TMP/$mode.h5")
	expect_eq "$mode: outer" "$(column "$out" outer calls | sort -u)" 300
	expect_eq "$mode: rec" "$(column "$out" rec calls | sort -u)" 900
	expect_eq "$mode: blockr" "$(column "$out" blockr calls | sort -u)" 300
	expect_eq "$mode: dropped" "$(h5attr "$TMP/$mode.h5" /meta dropped)" 0
	expect_eq "$mode: records" "$(h5attr "$TMP/$mode.h5" /meta records)" \
		"$(awk -F, 'NR > 1 { s += $3 } END { print s }' <<<"$out")"
	[ $mode = auto ] ||
		expect_eq "$mode: /meta/site_mode" "$(h5str "$TMP/$mode.h5" /meta site_mode)" $mode
done
grep -q 'have no 5-byte nop (built with an older scope_bpf.h)' "$TMP/err" ||
	fail "nop5 mode said nothing of the old markers: $(cat "$TMP/err")"
echo "ok: nop5 mode warns and traps on old markers"
