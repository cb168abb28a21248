#!/bin/bash
# Records wait in per-thread batches of 64 before they reach the ring buffer:
# those of threads still alive when the profile stops are sent at detach, so
# counts stay exact for any count that is not a multiple of 64. With the
# kernel's aggregation, the same holds for what live threads folded in their
# own task storage, which the final pass adds into the table.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# 3 threads x 1000 regions (15 full batches and 40 left over each)
$PROGS/lingering 3 1000 >"$TMP/out" &
tp=$!
wait_for_mapped $tp $PROGS/lingering
$SCOPE attach --pid $tp -o "$TMP/b.h5" 2>"$TMP/err" &
ap=$!
wait_for_attached "$TMP/err" $ap
kill -USR1 $tp
wait_for_line "$TMP/out" done 60 || fail "lingering never said done"
kill -INT $ap
wait $ap
# one row per region and thread (report --threads)
out=$($SCOPE report --format csv --threads "$TMP/b.h5")
echo "$out"
expect_eq "threads" "$(column "$out" linger calls | wc -l)" 3
expect_eq "calls per thread" "$(column "$out" linger calls | sort -u)" 1000
expect_eq "open at detach" "$(h5attr "$TMP/b.h5" meta open_at_detach)" 0
expect_eq "dropped" "$(h5attr "$TMP/b.h5" meta dropped)" 0
kill $tp
