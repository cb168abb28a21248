#!/bin/bash
# Compensation (issue 9, points 4, 5 and 7): a parent of ~8 us of its own
# work calls a ~20 ns child 10 times; the program times unmarked copies of
# the same code for the truths (medians). In a traced run, the medians of
# the marked child and of the marked parent's self time, less what the
# report takes out of each instance, must remove a generous share of the
# probes' bias (the bench asks for more: this machine is shared and
# noisy). Also: child_calls per parent, --raw, the '*' and the header
# line.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# nested_shares, as the bench computes it
source bench/bias.sh

# one traced run: the child's and the parent's share of the bias removed,
# medians of the marked instances against the truths, in CHILD and PARENT
measure() {
	local out truth line
	truth=$($SCOPE run -q --trace -o "$TMP/b.h5" -- $PROGS/nested_bias 2000)
	echo "$truth"
	out=$(csv "$TMP/b.h5")
	echo "$out"
	expect_eq "parent calls" "$(column "$out" parent calls)" 2000
	expect_eq "parent child_calls: 10 per call" \
		"$(column "$out" parent child_calls)" 20000
	expect_eq "child child_calls" "$(column "$out" child child_calls)" 0

	line=$(nested_shares "$TMP/b.h5" "$truth") || fail "no shares"
	echo "$line"
	CHILD=$(kv child_pct <<<"$line")
	PARENT=$(kv parent_pct <<<"$line")
	echo "child: truth $(kv truth_child <<<"$line") ns, raw $(kv raw_child <<<"$line"), compensated $(kv comp_child <<<"$line") (medians): ${CHILD}% of the bias removed"
	echo "parent self: truth $(kv truth_self <<<"$line") ns, raw $(kv raw_self <<<"$line"), compensated $(kv comp_self <<<"$line") (medians): ${PARENT}% of the bias removed"
	CHILD=${CHILD%.*}
	PARENT=${PARENT%.*}
}

# Medians: a preemption does not move them, but the calibration describes
# the moment it ran, and on this shared machine a build can make it read
# 25% high: up to three tries
for try in 1 2 3; do
	measure
	[ "$CHILD" -ge 60 ] && [ "$PARENT" -ge 60 ] && break
	echo "try $try: under 60%"
done
[ "$CHILD" -ge 60 ] || fail "compensation removed only ${CHILD}% of the child's bias"
[ "$PARENT" -ge 60 ] || fail "compensation removed only ${PARENT}% of the parent's self bias"

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
