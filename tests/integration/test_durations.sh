#!/bin/bash
# Durations within bounds of known sleeps; self time of a parent.
# attach-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/s.h5" -- $PROGS/sleeper 3
out=$(csv "$TMP/s.h5")
echo "$out"
ms=1000000
expect_eq "child calls" "$(column "$out" child calls)" 3
expect_eq "parent calls" "$(column "$out" parent calls)" 3
expect_between "child min_ns" "$(column "$out" child min_ns)" $((100 * ms)) $((160 * ms))
expect_between "child max_ns" "$(column "$out" child max_ns)" $((100 * ms)) $((160 * ms))
expect_between "parent min_ns" "$(column "$out" parent min_ns)" $((150 * ms)) $((250 * ms))
expect_between "parent self_ns" "$(column "$out" parent self_ns)" $((150 * ms)) $((300 * ms))
expect_between "child self_ns" "$(column "$out" child self_ns)" $((300 * ms)) $((480 * ms))
