#!/bin/bash
# The benchmark harness must not rot: every figure, run once at a tiny size,
# prints a number. No timing is judged here: benchmarks are not tests.
source "$(dirname "$0")/lib.sh"

out=$(./bench/run.sh --quick)
echo "$out"
for f in detached_cost attached_added attached_ratio floor_nop5_ratio \
	floor_trap floor_marker_nop5 floor_site_nop5_ratio attached_vs_fastest_floor \
	floor_entry_ratio bpftrace_added added_vs_bpftrace lossless_rate \
	lossless_drops agent_rss agent_rss_growth attach_time calibration_ms \
	compensation_bias_removed; do
	grep -Eq "^bench: $f=-?[0-9]+(\.[0-9]+)? [a-zA-Z/%]+\$" <<<"$out" ||
		fail "no number for figure $f"
done
echo "ok: every figure printed a number"
# the harness counts what the agent recorded: a bench that lost records
# would have stopped, so a zero here is a real zero
expect_eq "drops in the tiny lossless run" \
	"$(awk -F'[= ]' '/^bench: lossless_drops=/ { print $3 }' <<<"$out")" 0
grep -Eq '^bench: auto_site_mode=(trap|nop5) ' <<<"$out" ||
	fail "no site mode for auto"
