# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The compensation figure, shared by the bench (bench/lib.sh) and its test
# (tests/integration/test_compensation.sh) so both judge it alike.

BIAS_DIR=$(dirname "${BASH_SOURCE[0]}")

# kv NAME: NAME's value in the NAME=VALUE words on stdin
kv() {
	tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# nested_shares FILE TRUTH: the share of the probes' bias that the
# report's compensation removes in FILE, a trace (`run --trace`) of
# tests/progs/nested_bias, whose output line is TRUTH. One line of words:
#   truth_child raw_child comp_child child_pct: the child's duration
#   truth_self raw_self comp_self parent_pct: the parent's self time
#   cal_in cal_pair: the calibration (c_in, c_pair) the report used
#   paid_in paid_pair: what the marked code paid, the medians less the
#   truths: the child's excess, and the parent's self excess as c_in +
#   K x (c_pair - c_in), K children per parent
#   mean_child mean_comp_child mean_self mean_comp_self mean_child_pct
#   mean_parent_pct: the same from the report's means
# FILE without /trace (a run without --trace): the mean_ words only.
# The truths are medians of the unmarked copies, so the measured values
# are medians of the marked instances (docs/compensation.md says why).
# What the report takes out is a constant per instance, read from its
# own columns: (total - total_comp) / calls for the childless child,
# (self - self_comp) / calls for the parent; the compensated median is
# the median less it.
nested_shares() {
	local csv med tc ts
	csv=$($SCOPE report --format csv "$1") || return
	med=$(/usr/bin/python3 "$BIAS_DIR/nested_medians.py" "$1" parent child) ||
		return
	tc=$(kv child <<<"$2")
	ts=$(kv parent_self <<<"$2")
	[ -n "$tc" ] && [ -n "$ts" ] || { echo "no truth in '$2'" >&2; return 1; }
	awk -F, -v tc="$tc" -v ts="$ts" -v mc="$(kv child <<<"$med")" \
		-v ms="$(kv parent_self <<<"$med")" '
		function abs(x) { return x < 0 ? -x : x }
		function share(t, r, c) {
			return sprintf("%.1f", r == t ? 0 : 100 * (1 - abs(c - t) / abs(r - t)))
		}
		NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i; next }
		{ for (n in k) v[$1, n] = $k[n] }
		END {
			n = v["parent", "calls"]
			K = v["parent", "child_calls"] / n
			cin = (v["child", "total_ns"] - v["child", "total_comp_ns"]) / v["child", "calls"]
			pc = (v["parent", "self_ns"] - v["parent", "self_comp_ns"]) / n
			if (mc != "") {
				printf "truth_child=%.1f raw_child=%.1f comp_child=%.1f child_pct=%s ", tc, mc, mc - cin, share(tc, mc, mc - cin)
				printf "truth_self=%.1f raw_self=%.1f comp_self=%.1f parent_pct=%s ", ts, ms, ms - pc, share(ts, ms, ms - pc)
				pin = mc - tc
				printf "cal_in=%.1f cal_pair=%.1f ", cin, cin + (pc - cin) / K
				printf "paid_in=%.1f paid_pair=%.1f ", pin, pin + (ms - ts - pin) / K
			}
			printf "mean_child=%.1f mean_comp_child=%.1f ", v["child", "total_ns"] / v["child", "calls"], v["child", "total_comp_ns"] / v["child", "calls"]
			printf "mean_self=%.1f mean_comp_self=%.1f ", v["parent", "self_ns"] / n, v["parent", "self_comp_ns"] / n
			printf "mean_child_pct=%s ", share(tc, v["child", "total_ns"] / v["child", "calls"], v["child", "total_comp_ns"] / v["child", "calls"])
			printf "mean_parent_pct=%s\n", share(ts, v["parent", "self_ns"] / n, v["parent", "self_comp_ns"] / n)
		}' <<<"$csv"
}
