#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The demo behind `make demo`: profile examples/heat, print the report, and
# check the counts against what heat says it ran.
# Usage: scripts/demo.sh [THREADS [STEPS]]
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
steps=${2:-500}
out=${OUT:-heat.h5}

echo "# ./scope-bpf run -o $out -- .output/examples/heat $threads $steps"
./scope-bpf run -o "$out" -- .output/examples/heat "$threads" "$steps" | tee "$out.stdout"
echo
echo "\$ ./scope-bpf report $out"
./scope-bpf report "$out"

# heat prints "expected regions: init=1 step=N ..."; compare with the file
expected=$(sed -n 's/^expected regions: //p' "$out.stdout")
rm -f "$out.stdout"
csv=$(./scope-bpf report --format csv "$out")
status=0
for kv in $expected; do
	region=${kv%%=*}
	want=${kv#*=}
	got=$(awk -F, -v r="$region" 'NR > 1 && $1 == r { s += $3 } END { print s + 0 }' <<<"$csv")
	if [ "$got" != "$want" ]; then
		echo "demo: $region: profiled $got calls, heat ran $want" >&2
		status=1
	fi
done
[ $status -eq 0 ] && echo "demo: every region count matches what heat ran ($expected)"
exit $status
