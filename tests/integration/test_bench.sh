#!/bin/bash
# The benchmark harness must not rot: run it tiny, check it printed figures.
source "$(dirname "$0")/lib.sh"

out=$(./bench/run.sh --quick)
echo "$out"
grep -Eq '^bench: detached_cost=-?[0-9.]+ ns/region$' <<<"$out" ||
	fail "no detached_cost figure"
