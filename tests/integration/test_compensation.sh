#!/bin/bash
# Compensation (issue 9, points 4, 5 and 7): a parent of ~8 us of its own
# work calls a ~20 ns child 10 times; the program times unmarked copies of
# the same code for the truth. The compensated child mean and parent self
# time must remove a generous share of the probes' bias (the bench asks for
# more: this machine is shared and noisy). Also: child_calls per parent,
# --raw, the '*' and the header line.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# bias_removed, as the bench computes it (whole percents here)
source bench/bias.sh

# one run: the child's and the parent's share of bias removed, in CHILD
# and PARENT
measure() {
	local out truth_child truth_self calls raw_self comp_self
	$SCOPE run -q -o "$TMP/b.h5" -- $PROGS/nested_bias 2000 >"$TMP/truth"
	cat "$TMP/truth"
	out=$(csv "$TMP/b.h5")
	echo "$out"
	truth_child=$(tr ' ' '\n' <"$TMP/truth" | awk -F= '$1 == "child" { print $2 }')
	truth_self=$(tr ' ' '\n' <"$TMP/truth" | awk -F= '$1 == "parent_self" { print $2 }')
	[ -n "$truth_child" ] && [ -n "$truth_self" ] || fail "no truth line"

	expect_eq "parent calls" "$(column "$out" parent calls)" 2000
	expect_eq "parent child_calls: 10 per call" \
		"$(column "$out" parent child_calls)" 20000
	expect_eq "child child_calls" "$(column "$out" child child_calls)" 0

	calls=$(column "$out" parent calls)
	raw_self=$(($(column "$out" parent self_ns) / calls))
	comp_self=$(($(column "$out" parent self_comp_ns) / calls))
	CHILD=$(bias_removed "$truth_child" "$(column "$out" child mean_ns)" \
		"$(column "$out" child mean_comp_ns)" 0)
	PARENT=$(bias_removed "$truth_self" "$raw_self" "$comp_self" 0)
	echo "child mean: truth $truth_child ns, raw $(column "$out" child mean_ns), compensated $(column "$out" child mean_comp_ns): ${CHILD}% of the bias removed"
	echo "parent self: truth $truth_self ns, raw $raw_self, compensated $comp_self: ${PARENT}% of the bias removed"
}

# A preemption of a few ms inside one of 20000 regions moves a mean by
# hundreds of ns on this shared machine: up to three tries
for try in 1 2 3; do
	measure
	[ "$CHILD" -ge 50 ] && [ "$PARENT" -ge 50 ] && break
	echo "try $try: under 50%"
done
[ "$CHILD" -ge 50 ] || fail "compensation removed only ${CHILD}% of the child's bias"
[ "$PARENT" -ge 50 ] || fail "compensation removed only ${PARENT}% of the parent's self bias"

# the table: compensated by default, the child dominated by probe cost
table=$($SCOPE report "$TMP/b.h5")
echo "$table"
grep -q "^times     compensated" <<<"$table" || fail "the table does not say it is compensated"
grep -Eq "^          added .* to 22000 regions \([0-9.]+% of the wall" <<<"$table" ||
	fail "no line of what the probes added"
grep -q "^child\* " <<<"$table" || fail "the 20 ns child is not marked as dominated"
grep -q "^parent " <<<"$table" || fail "the 8 us parent is marked as dominated"
grep -q "^\*: dominated by probe cost" <<<"$table" || fail "no legend for '*'"
raw=$($SCOPE report --raw "$TMP/b.h5")
grep -q "^times     as measured" <<<"$raw" || fail "--raw does not say so"
# --raw shows the measured mean: the CSV's mean_ns, formatted
mean=$(awk '$1 == "child*" { print $7, $8 }' <<<"$raw")
[ -n "$mean" ] || fail "no child row under --raw"
echo "ok: child mean under --raw: $mean"

# --no-calibrate: zeros, a note, and the measured times
$SCOPE run -q --no-calibrate -o "$TMP/n.h5" -- $PROGS/nested_bias 20 >/dev/null
expect_eq "no calib_pair_ns" "$(h5attr "$TMP/n.h5" /meta calib_pair_ns)" 0
$SCOPE report "$TMP/n.h5" | grep -q "note: no probe-cost calibration" ||
	fail "no note for an uncalibrated profile"
n=$(csv "$TMP/n.h5")
expect_eq "uncalibrated: compensated = measured" \
	"$(column "$n" parent self_comp_ns)" "$(column "$n" parent self_ns)"
