#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs the unit tests (cmocka) and the integration tests (real BPF, needs root)
# and ends with one line that counts cases, not files.
#
# Usage: tests/run.sh [unit|integration|all] [NAME...]
#   NAME: only the tests whose name contains NAME (test_counts, sites...)
#
# Counting: a unit binary's cases are its cmocka cases (CMOCKA_MESSAGE_OUTPUT
# =TAP); a binary that dies before its last case counts each missing case as
# failed (timed out, if the time limit stopped it). An integration script is
# one case per run, whatever it checks.
#
# Each test runs in its own process group under a time limit: UNIT_TIMEOUT
# (default 30 s) or INTEGRATION_TIMEOUT (120 s), or a script's own
# "# timeout: SECONDS" line. A test past its limit is reported TIMEOUT and
# its whole group killed (TERM, then KILL 3 s later).
# A script that exits 77 is SKIP (automake's convention); its "SKIP: reason"
# line is shown.
# A script with a "# attach-modes: both" line attaches probes: it runs once as
# it is (the agent picks uprobe_multi where it can) and once more with
# SCOPE_BPF_ATTACH=per-site, the path of kernels without uprobe_multi.
# A script with a "# site-modes: all" line runs once more under each probe
# site the agent can force (SCOPE_BPF_SITE_MODE=trap, then nop5); the plain
# run is auto's choice.
# A script with a "# aggregate-modes: both" line runs once more with
# SCOPE_BPF_AGGREGATE=ring: every region a record through the ring buffer,
# aggregated by the agent (the plain run aggregates in the kernel).
set -u
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-.output}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-30}
INTEGRATION_TIMEOUT=${INTEGRATION_TIMEOUT:-120}
what=${1:-all}
[ $# -gt 0 ] && shift
filters=("$@")

passed=0 failed=0 skipped=0 timedout=0
unit_bins=0 unit_cases=0 int_scripts=0 int_runs=0
failures=()

selected() { # name
	[ ${#filters[@]} -eq 0 ] && return 0
	local f
	for f in "${filters[@]}"; do
		[[ $1 == *"$f"* ]] && return 0
	done
	return 1
}

# run_limited LIMIT LOG CMD...: runs CMD in a new process group with output
# to LOG; sets rc, and timed_out=1 if the limit killed it
run_limited() {
	local limit=$1 log=$2 pid watchdog mark
	shift 2
	mark=$(mktemp)
	rm -f "$mark"
	# a background job of a non-interactive shell is no group leader, so
	# setsid(1) calls setsid() and execs in place: $! is the group's id
	setsid "$@" >"$log" 2>&1 </dev/null &
	pid=$!
	(
		sleep "$limit"
		: >"$mark"
		kill -TERM -- -$pid 2>/dev/null
		sleep 3
		kill -KILL -- -$pid 2>/dev/null
	) &
	watchdog=$!
	rc=0
	wait $pid 2>/dev/null || rc=$?
	kill $watchdog 2>/dev/null
	wait $watchdog 2>/dev/null
	timed_out=0
	[ -e "$mark" ] && timed_out=1
	rm -f "$mark"
	# whatever the test left running goes with it
	kill -KILL -- -$pid 2>/dev/null
	return 0
}

show_log() { # log
	sed 's/^/        | /' "$1" | tail -n 40
}

# the reason first: a long log's tail may be cut where the output is shown
# (a CI page), and the line that says why must survive it
fail_case() { # name log
	local why
	why=$(grep -m 1 -E '^(FAIL: |not ok )' "$2")
	failures+=("$1${why:+: $why}")
	printf '  FAIL  %s\n' "$1"
	[ -n "$why" ] && printf '        why: %s\n' "$why"
	show_log "$2"
}

run_unit() { # binary
	local t=$1 name log plan ok notok skip missing
	name="unit/$(basename "$t")"
	log=$(mktemp)
	CMOCKA_MESSAGE_OUTPUT=TAP run_limited "$UNIT_TIMEOUT" "$log" "$t"
	unit_bins=$((unit_bins + 1))
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
	ok=$(grep -c '^ok [0-9]' "$log")
	skip=$(grep -c '^not ok [0-9]* # SKIP' "$log")
	notok=$(($(grep -c '^not ok [0-9]' "$log") - skip))
	# cases that never reported: the binary died (or hung) before them
	missing=$((${plan:-1} - ok - skip - notok))
	[ $missing -lt 0 ] && missing=0
	[ "$rc" -ne 0 ] && [ $notok -eq 0 ] && [ $missing -eq 0 ] && missing=1
	unit_cases=$((unit_cases + ok + skip + notok + missing))
	passed=$((passed + ok))
	skipped=$((skipped + skip))
	if [ $timed_out -eq 1 ]; then
		timedout=$((timedout + missing))
		failed=$((failed + notok))
		failures+=("$name (timeout)")
		printf '  TIMEOUT %s after %s s (%d of %s cases reported)\n' \
			"$name" "$UNIT_TIMEOUT" $((ok + skip + notok)) "${plan:-?}"
		show_log "$log"
	elif [ $((notok + missing)) -gt 0 ]; then
		failed=$((failed + notok + missing))
		fail_case "$name ($((notok + missing)) of ${plan:-?} cases, exit $rc)" "$log"
	else
		printf '  PASS  %s (%d cases%s)\n' "$name" "$ok" \
			"$([ $skip -gt 0 ] && echo ", $skip skipped")"
	fi
	rm -f "$log"
}

run_integration() { # script, label ("" for none), VAR=VALUE...
	local t=$1 mode=$2 name limit log start secs
	shift 2
	name="integration/$(basename "$t" .sh)${mode:+[$mode]}"
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\) *$/\1/p' "$t" | head -n 1)
	limit=${limit:-$INTEGRATION_TIMEOUT}
	log=$(mktemp)
	start=$SECONDS
	run_limited "$limit" "$log" env "$@" bash "$t"
	secs=$((SECONDS - start))
	int_runs=$((int_runs + 1))
	if [ $timed_out -eq 1 ]; then
		timedout=$((timedout + 1))
		failures+=("$name (timeout)")
		printf '  TIMEOUT %s after %s s\n' "$name" "$limit"
		show_log "$log"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1))
		printf '  SKIP  %s: %s\n' "$name" \
			"$(sed -n 's/^SKIP: //p' "$log" | tail -n 1)"
	elif [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		fail_case "$name (exit $rc)" "$log"
	else
		passed=$((passed + 1))
		printf '  PASS  %s (%d s)\n' "$name" $secs
	fi
	rm -f "$log"
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	echo "== unit tests"
	for t in "$OUTPUT"/tests/test_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		selected "$(basename "$t")" || continue
		run_unit "$t"
	done
fi

if [ "$what" = all ] || [ "$what" = integration ]; then
	echo "== integration tests"
	if [ "$(id -u)" -ne 0 ]; then
		echo "integration tests load BPF programs: run them as root" >&2
		failed=$((failed + 1))
		failures+=("integration (not root)")
	else
		for t in tests/integration/test_*.sh; do
			selected "$(basename "$t" .sh)" || continue
			int_scripts=$((int_scripts + 1))
			run_integration "$t" ""
			grep -q '^# attach-modes: both' "$t" &&
				run_integration "$t" per-site SCOPE_BPF_ATTACH=per-site
			if grep -q '^# site-modes: all' "$t"; then
				run_integration "$t" trap SCOPE_BPF_SITE_MODE=trap
				run_integration "$t" nop5 SCOPE_BPF_SITE_MODE=nop5
			fi
			grep -q '^# aggregate-modes: both' "$t" &&
				run_integration "$t" ring SCOPE_BPF_AGGREGATE=ring
		done
	fi
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
printf '%d cases passed (%d cmocka cases in %d unit binaries, %d runs of %d integration scripts at one case a run), %d failed, %d timed out, %d skipped\n' \
	$passed $unit_cases $unit_bins $int_runs $int_scripts $failed $timedout $skipped
[ $failed -eq 0 ] && [ $timedout -eq 0 ]
