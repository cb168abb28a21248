#!/bin/bash
# At least 10 million regions over 2 threads, every one counted, no drops.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# per thread: outer 1M + inner 2M + rec 2M + blockr 1M = 6M; 12M in all
$SCOPE run -q -o "$TMP/big.h5" -- $PROGS/counts 2 1000000 2 >/dev/null
out=$(csv "$TMP/big.h5")
echo "$out"
expect_eq "dropped" "$(h5attr "$TMP/big.h5" meta dropped)" 0
expect_eq "outer" "$(sum_column "$out" outer calls)" 2000000
expect_eq "inner" "$(sum_column "$out" inner calls)" 4000000
expect_eq "rec" "$(sum_column "$out" rec calls)" 4000000
expect_eq "blockr" "$(sum_column "$out" blockr calls)" 2000000
expect_eq "records" "$(h5attr "$TMP/big.h5" meta records)" 12000001
