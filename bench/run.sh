#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The benchmark harness: each figure is a ratio or difference measured inside
# one run, configurations alternated (A B A B ...), median of RUNS runs, with
# min and max. Prints a table and one "bench: name=value unit" line per figure.
# Usage: bench/run.sh [--quick]   (--quick: tiny sizes, checks the harness runs)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=.output/bench
mkdir -p $OUT
RUNS=7
N=100000000
if [ "${1:-}" = --quick ]; then
	RUNS=1
	N=100000
fi

cc -O2 -Iinclude bench/detached.c -o $OUT/detached-on
cc -O2 -Iinclude -DSCOPE_BPF_DISABLE bench/detached.c -o $OUT/detached-off

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }'; }

on=()
off=()
for _ in $(seq $RUNS); do
	on+=("$($OUT/detached-on $N | awk '{ print $2 }')")
	off+=("$($OUT/detached-off $N | awk '{ print $2 }')")
done
read -r on_med on_min on_max < <(printf '%s\n' "${on[@]}" | median)
read -r off_med off_min off_max < <(printf '%s\n' "${off[@]}" | median)
diffs=()
for i in $(seq 0 $((RUNS - 1))); do
	diffs+=("$(awk -v a="${on[$i]}" -v b="${off[$i]}" 'BEGIN { printf "%.3f", a - b }')")
done
read -r d_med d_min d_max < <(printf '%s\n' "${diffs[@]}" | median)

printf '%-34s %10s %10s %10s\n' figure median min max
printf '%-34s %10s %10s %10s\n' "detached, markers (ns/region)" "$on_med" "$on_min" "$on_max"
printf '%-34s %10s %10s %10s\n' "detached, disabled (ns/region)" "$off_med" "$off_min" "$off_max"
printf '%-34s %10s %10s %10s\n' "detached cost (ns/region)" "$d_med" "$d_min" "$d_max"
echo "bench: detached_cost=$d_med ns/region"
