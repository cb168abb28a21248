#!/bin/bash
# Codes instrumented with LIKWID's marker API: built against Debian's
# liblikwid and profiled through --likwid-markers (probes on its
# likwid_markerStartRegion/StopRegion, the tag read at run time), and the
# same source rebuilt on scope_bpf_likwid.h without liblikwid. Exact counts.
# aggregate-modes: both
# attach-modes: both
source "$(dirname "$0")/lib.sh"

N=1000
libs=$(ldd $PROGS/likwid_regions)
grep -q liblikwid <<<"$libs" || fail "likwid_regions does not link liblikwid"
libs=$(ldd $PROGS/likwid_regions-dropin)
grep -q liblikwid <<<"$libs" && fail "the drop-in build links liblikwid"

check() { # FILE WHAT
	local out
	out=$(csv "$1")
	echo "$out"
	expect_eq "$2: solve calls" "$(sum_column "$out" solve calls)" $N
	for k in 0 1 2; do
		expect_eq "$2: step_$k calls" "$(sum_column "$out" step_$k calls)" $N
	done
	expect_eq "$2: setup calls" "$(sum_column "$out" setup calls)" 1
	expect_eq "$2: regions" "$(($(wc -l <<<"$out") - 1))" 5
	expect_eq "$2: named_unreadable" "$(h5attr "$1" /meta named_unreadable)" 0
	expect_eq "$2: unmatched_end" "$(h5attr "$1" /meta unmatched_end)" 0
	$SCOPE report --tree "$1" | awk '$NF == "solve" { s = 1 } s && $NF == "step_1" { ok = 1 }
		END { exit !ok }' || fail "$2: step_1 is not under solve in the tree"
}

# liblikwid without likwid-perfctr: START returns an error, the code goes on
$SCOPE run --likwid-markers -o "$TMP/l.h5" -- $PROGS/likwid_regions $N >"$TMP/out" 2>"$TMP/err"
cat "$TMP/out" "$TMP/err"
grep -q "likwid_regions: done" "$TMP/out" || fail "the program did not finish"
grep -q "LIKWID's marker API: regions named by its tags" "$TMP/err" ||
	fail "the agent did not say it found liblikwid's marker functions"
check "$TMP/l.h5" liblikwid

# attach to a running code: liblikwid found in its mappings
$PROGS/likwid_regions $N "$TMP/go" >"$TMP/aout" &
pid=$!
wait_for_mapped $pid /usr/lib/x86_64-linux-gnu/liblikwid.so.5
$SCOPE attach --likwid-markers --pid $pid -o "$TMP/a.h5" 2>"$TMP/aerr" &
agent=$!
wait_for_attached "$TMP/aerr" $agent
touch "$TMP/go"
wait $pid || fail "the attached program exited with $?"
wait $agent || fail "attach exited with $?: $(cat "$TMP/aerr")"
grep -q "likwid_regions: done" "$TMP/aout" || fail "the attached program did not finish"
check "$TMP/a.h5" attach

# without the option, liblikwid's functions are no sites: nothing to profile
if $SCOPE run -q -o "$TMP/n.h5" -- $PROGS/likwid_regions 10 >/dev/null 2>"$TMP/err"; then
	fail "run without --likwid-markers found regions"
fi
grep -q "no.*marker" "$TMP/err" || fail "no word of the missing markers: $(cat "$TMP/err")"
echo "ok: without --likwid-markers, no regions"

# the drop-in header: the same source, scope-bpf markers, no liblikwid
$SCOPE run -q -o "$TMP/d.h5" -- $PROGS/likwid_regions-dropin $N >"$TMP/out"
grep -q "likwid_regions: done" "$TMP/out" || fail "the drop-in build did not finish"
check "$TMP/d.h5" drop-in
