#!/bin/bash
# Regions named at run time (scope_bpf_begin_named): names built by snprintf
# into one buffer in turn, the same name at three addresses, 500 distinct
# names, a name past the 63-byte limit; exact counts in the statistics, the
# tree and a trace; nothing left with -DSCOPE_BPF_DISABLE.
# aggregate-modes: both
# attach-modes: both
source "$(dirname "$0")/lib.sh"

N=1000 T=2
long=$(printf 'x%.0s' $(seq 63))

check_counts() { # FILE WHAT
	local out
	out=$(csv "$1")
	for k in 0 1 2 3; do
		expect_eq "$2: level_$k calls" "$(sum_column "$out" level_$k calls)" $((N / 4 * T))
	done
	expect_eq "$2: shared calls" "$(sum_column "$out" shared calls)" $((3 * N * T))
	expect_eq "$2: outer calls" "$(sum_column "$out" outer calls)" $T
	expect_eq "$2: item_ regions" "$(awk -F, '$1 ~ /^item_[0-9]+$/' <<<"$out" | wc -l)" 500
	expect_eq "$2: item_ calls" "$(awk -F, '$1 ~ /^item_/ { s += $3 } END { print s }' <<<"$out")" $((500 * T))
	expect_eq "$2: item_123 calls" "$(sum_column "$out" item_123 calls)" $T
	expect_eq "$2: the long name, cut" "$(sum_column "$out" "$long" calls)" $((5 * T))
	expect_eq "$2: regions" "$(($(wc -l <<<"$out") - 1))" 507
	expect_eq "$2: named_unreadable" "$(h5attr "$1" /meta named_unreadable)" 0
	expect_eq "$2: named_full" "$(h5attr "$1" /meta named_full)" 0
}

$SCOPE run -o "$TMP/r.h5" -- $PROGS/runtime_names $N $T >"$TMP/out" 2>"$TMP/err"
cat "$TMP/err"
grep -q "runtime_names: $N x $T" "$TMP/out" || fail "the program did not finish"
grep -q "10 regions had a run-time name of 63 bytes or more" "$TMP/err" ||
	fail "no word of the cut name"
check_counts "$TMP/r.h5" run

# nested like any region: item_ under shared under outer
tree=$($SCOPE report --tree "$TMP/r.h5")
awk '$NF == "outer" { o = 1 } o && $NF == "shared" { s = 1 }
     s && $NF == "item_042" && $(NF - 2) == 2 { ok = 1 } END { exit !ok }' <<<"$tree" ||
	fail "item_042 is not in the tree under shared, 2 calls: $(head -5 <<<"$tree")"
echo "ok: item_042 nested under shared under outer"

# a trace has every interval, under the same names
$SCOPE run -q --trace -o "$TMP/t.h5" -- $PROGS/runtime_names $N $T >/dev/null
check_counts "$TMP/t.h5" trace
expect_eq "trace: intervals" "$(h5attr "$TMP/t.h5" /trace intervals)" $(((4 * N + 500 + 5 + 1) * T))
$SCOPE export --format perfetto -o "$TMP/iv.json" "$TMP/t.h5"
expect_eq "trace: level_2 events" "$(grep -o '"name": *"level_2"' "$TMP/iv.json" | wc -l)" $((N / 4 * T))

# disabled: same output, no note, no site
${CC:-cc} -O2 -DSCOPE_BPF_DISABLE -Iinclude -o "$TMP/off" tests/progs/runtime_names.c -lpthread
expect_eq "disabled: output" "$("$TMP/off" $N $T)" "runtime_names: $N x $T"
readelf -S "$TMP/off" | grep -q scope_bpf && fail "disabled build has a .note.scope_bpf"
objdump -d "$TMP/off" | grep -q 'lea    -0x80(%rsp),%rsp' && fail "disabled build has a marker site"
echo "ok: disabled build has no site"
