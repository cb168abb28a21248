#!/bin/bash
# Nesting deeper than the per-thread stack: the excess is counted exactly,
# the ENDs still match, and the shallower regions are unharmed.
source "$(dirname "$0")/lib.sh"

# one worker: outer at depth 0, then rec nested 70 deep (depths 1..70)
$SCOPE run -q -o "$TMP/d64.h5" -- $PROGS/counts 1 10 70 >/dev/null 2>&1
out=$(csv "$TMP/d64.h5")
# main_region holds depth 0 of the main thread only; the worker starts at 0
expect_eq "rec recorded (depths 1..63)" "$(column "$out" rec calls)" $((10 * 63))
expect_eq "depth_overflow" "$(h5attr "$TMP/d64.h5" meta depth_overflow)" $((10 * 7))
expect_eq "outer intact" "$(column "$out" outer calls)" 10
expect_eq "blockr intact" "$(column "$out" blockr calls)" 10
expect_eq "unmatched" "$(h5attr "$TMP/d64.h5" meta unmatched_end)" 0

$SCOPE run -q --max-depth 10 -o "$TMP/d10.h5" -- $PROGS/counts 1 10 70 >/dev/null 2>&1
out=$(csv "$TMP/d10.h5")
expect_eq "rec recorded with --max-depth 10" "$(column "$out" rec calls)" $((10 * 9))
expect_eq "depth_overflow with --max-depth 10" "$(h5attr "$TMP/d10.h5" meta depth_overflow)" $((10 * 61))
