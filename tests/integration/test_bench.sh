#!/bin/bash
# The benchmark harness must not rot: every figure, run once at a tiny size,
# prints a number. No timing is judged here: benchmarks are not tests.
source "$(dirname "$0")/lib.sh"

out=$(./bench/run.sh --quick)
echo "$out"
for f in detached_cost detached_named_cost attached_added attached_ratio floor_nop5_ratio \
	floor_trap floor_marker_nop5 floor_site_nop5_ratio attached_vs_fastest_floor \
	floor_entry_ratio slots_saved bpftrace_added added_vs_bpftrace func_per_call \
	func_vs_bpftrace func_endbr_vs_after lossless_rate \
	lossless_drops agent_rss agent_rss_growth attach_time calibration_ms \
	compensation_bias_removed scaling_max_rate scaling_drops_total \
	trace_write_rate trace_bytes_per_interval export_perfetto_maxrss \
	export_perfetto_bytes_per_interval export_perfetto_proto_maxrss \
	export_perfetto_proto_bytes_per_interval export_csv_maxrss \
	export_csv_bytes_per_interval export_otf2_maxrss \
	export_otf2_bytes_per_interval python_detached_vs_noop_decorator \
	python_import_ms python_attached attached_marker python_attached_above_marker \
	python_attached_cmarker; do
	grep -Eq "^bench: $f=-?[0-9]+(\.[0-9]+)? [a-zA-Z/%]+\$" <<<"$out" ||
		fail "no number for figure $f"
done
echo "ok: every figure printed a number"
# the harness counts what the agent recorded: a bench that lost records
# would have stopped, so a zero here is a real zero
expect_eq "drops in the tiny lossless run" \
	"$(awk -F'[= ]' '/^bench: lossless_drops=/ { print $3 }' <<<"$out")" 0
# the scaling table: a row per mode and thread count; one thread loses
# nothing in any mode, and its counts match the program's, thread by thread
rows=$(grep -E '^bench: scaling threads=[0-9]+ mode=[a-z]+ rate=[0-9]+/s drops=[0-9]+ exact=(yes|no) agent_cpu=-?[0-9.]+%$' <<<"$out") ||
	fail "no scaling rows"
one=$(grep ' threads=1 ' <<<"$rows") || fail "no scaling row for 1 thread"
while read -r line; do
	grep -q ' drops=0 exact=yes ' <<<"$line" || fail "1 thread, not lossless: $line"
done <<<"$one"
echo "ok: scaling rows, 1 thread exact with no drops ($(wc -l <<<"$one") modes)"
grep -Eq '^bench: auto_site_mode=(trap|nop5) ' <<<"$out" ||
	fail "no site mode for auto"
