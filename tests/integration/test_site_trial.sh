#!/bin/bash
# The target's own site trial (--site-mode=auto): the agent moves the
# markers between their two forms while the target runs, several times, and
# no region is counted twice or lost on the way; the file says what it did.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# trial_of FILE: /meta/site_trial
trial_of() { h5str "$1" /meta site_trial; }

# SCOPE_BPF_SITE_TRIAL=force runs it whatever the rate: three switches at
# least (trap, nop5, trap, nop5 windows), with threads in every site of
# nested and recursive regions meanwhile. A perf-event link per site takes
# seconds to remove: there the program may end first, after a switch or two.
iters=150000 rounds=2
[ "${SCOPE_BPF_ATTACH:-}" = per-site ] && iters=400000 rounds=1
for ((round = 0; round < rounds; round++)); do
	SCOPE_BPF_SITE_TRIAL=force $SCOPE run -o "$TMP/t.h5" \
		-- $PROGS/counts 3 $iters 4 >/dev/null 2>"$TMP/err"
	cat "$TMP/err"
	out=$($SCOPE report --format csv --threads "$TMP/t.h5")
	expect_eq "outer calls per thread" "$(column "$out" outer calls | sort -u)" $iters
	expect_eq "inner calls per thread" "$(column "$out" inner calls | sort -u)" $((2 * iters))
	expect_eq "rec calls per thread" "$(column "$out" rec calls | sort -u)" $((4 * iters))
	expect_eq "blockr calls per thread" "$(column "$out" blockr calls | sort -u)" $iters
	expect_eq "main_region calls" "$(column "$out" main_region calls)" 1
	expect_eq "unmatched ENDs" "$(h5attr "$TMP/t.h5" /meta unmatched_end)" 0
	expect_eq "abandoned regions" "$(h5attr "$TMP/t.h5" /meta abandoned)" 0
	trial=$(trial_of "$TMP/t.h5")
	echo "site trial: $trial"
	if [ "${SCOPE_BPF_ATTACH:-}" = per-site ] &&
		[[ $trial == "stopped after "[234]" windows (the profile ended): the form stays "* ]]; then
		echo "ok: a switch or more before the program ended"
		continue
	fi
	[[ $trial == "the target's CPU time a region: trap "*" ns, nop5 "*" ns (4 windows of 50 ms, alternated): "* ]] ||
		fail "/meta/site_trial: '$trial'"
	# the form it ended in is the one the file names, and the one the
	# said costs pick unless within the tie margin
	expect_eq "site mode after the trial" "$(h5str "$TMP/t.h5" /meta site_mode)" "${trial##*: }"
	trap_ns=$(h5attr "$TMP/t.h5" /meta site_trial_trap_ns)
	nop5_ns=$(h5attr "$TMP/t.h5" /meta site_trial_nop5_ns)
	expect_between "trap: the target's CPU time a region" "$trap_ns" 1 1000000
	expect_between "nop5: the target's CPU time a region" "$nop5_ns" 1 1000000
	grep -q "site trial: the target's CPU time a region" "$TMP/err" ||
		fail "the trial's outcome is not said on stderr"
	# its calibration is the kept site's
	grep -q "$(h5str "$TMP/t.h5" /meta site_mode) sites" <<<"$(h5str "$TMP/t.h5" /meta calib_method)" ||
		[[ "$(h5str "$TMP/t.h5" /meta calib_method)" == *"site trial moved it to $(h5str "$TMP/t.h5" /meta site_mode)"* ]] ||
		fail "calibration of another site: $(h5str "$TMP/t.h5" /meta calib_method)"
done

# left alone: a target that never runs regions fast enough, a forced form,
# and the switch that turns it off; the file says why
$SCOPE run -o "$TMP/slow.h5" -- $PROGS/counts 1 10 1 >/dev/null 2>&1
expect_eq "slow target" "$(trial_of "$TMP/slow.h5")" \
	"not run: the target never ran 100000 regions a second"
$SCOPE run --site-mode=trap -o "$TMP/forced.h5" -- $PROGS/counts 1 10 1 >/dev/null 2>&1
expect_eq "forced site" "$(trial_of "$TMP/forced.h5")" \
	"not run: the site form was forced"
SCOPE_BPF_SITE_TRIAL=off $SCOPE run -o "$TMP/off.h5" -- $PROGS/counts 1 10 1 >/dev/null 2>&1
expect_eq "switched off" "$(trial_of "$TMP/off.h5")" \
	"not run: SCOPE_BPF_SITE_TRIAL=off"
expect_eq "no costs when not run" "$(h5attr "$TMP/off.h5" /meta site_trial_trap_ns)" 0
