#!/bin/bash
# --counters and --group before the run, on this host: what it cannot count
# is said in one line each and left out; nothing left, an unknown name or a
# group unavailable here is exit status 2 before the command runs. `list
# --counters` and `list --groups` tell the same from the host alone.
# timeout: 60
source "$(dirname "$0")/lib.sh"

# run_counters CODE PATTERN OPTIONS...: a profiled run of counts; exit CODE,
# PATTERN on stderr
run_counters() {
	local code=$1 pattern=$2 rc=0
	shift 2
	$SCOPE run -o "$TMP/c.h5" "$@" -- $PROGS/counts 1 10 1 >"$TMP/out" 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	[ "$rc" -eq "$code" ] || fail "$*: exit $rc, expected $code"
	[ -z "$pattern" ] || grep -q -- "$pattern" "$TMP/err" ||
		fail "$*: no '$pattern' on stderr"
}

# a VM without a virtual PMU has no core PMU in sysfs: cycles cannot count
hw=yes
[ -e /sys/bus/event_source/devices/cpu ] || [ -e /sys/bus/event_source/devices/cpu_core ] || hw=no

run_counters 0 "" --counters task-clock,page-faults
[ -s "$TMP/c.h5" ] || fail "no profile after --counters task-clock,page-faults"
! grep -q "unavailable\|error" "$TMP/err" || fail "software events said unavailable"
echo "ok: --counters task-clock,page-faults: the run succeeds"

run_counters 0 "task-clock: counted as cpu-clock per CPU" -v --counters task-clock
echo "ok: -v says task-clock is counted as cpu-clock per CPU"

if [ $hw = no ]; then
	run_counters 2 "counter cycles unavailable here: this host has no hardware PMU" \
		--counters cycles
	grep -q "none of the 1 asked can be counted" "$TMP/err" || fail "no error line for cycles alone"
	! grep -q "attached" "$TMP/err" || fail "cycles alone: the run went on"
	echo "ok: --counters cycles alone: exit 2 before the run"

	run_counters 0 "counter cycles unavailable here" --counters cycles,page-faults
	expect_eq "lines about cycles" "$(grep -c cycles "$TMP/err")" 1
	[ -s "$TMP/c.h5" ] || fail "cycles,page-faults: no profile"
	echo "ok: --counters cycles,page-faults: one warning, the run goes on"
fi

run_counters 2 "counter 'no-such-event': not a perf event name" --counters no-such-event
run_counters 2 "at most 8 counters" \
	--counters cs,faults,migrations,cpu-clock,minor-faults,major-faults,alignment-faults,emulation-faults,task-clock
run_counters 2 "no such PMU" --counters no-such-pmu/event=0x1/
echo "ok: unknown names and too many events: exit 2"

# the host's own arch: groups exist only where LIKWID knows the CPU
if ! $SCOPE list --groups 2>"$TMP/gerr" | grep -q '^FLOPS_DP '; then
	run_counters 2 "group FLOPS_DP unavailable: " --group FLOPS_DP
	expect_eq "lines about FLOPS_DP" "$(grep -c FLOPS_DP "$TMP/err")" 1
	echo "ok: --group FLOPS_DP: unavailable, exit 2"
fi
# an arch LIKWID knows, forced: FP_ARITH events have no perf name here
SCOPE_BPF_LIKWID_ARCH=skylake run_counters 2 \
	"group FLOPS_DP unavailable: its event FP_ARITH_INST_RETIRED" --group FLOPS_DP
SCOPE_BPF_LIKWID_ARCH=skylake run_counters 2 \
	"group NO_SUCH unavailable: LIKWID has no such group for skylake" --group NO_SUCH
if [ $hw = no ]; then
	SCOPE_BPF_LIKWID_ARCH=skylake run_counters 2 \
		"group BRANCH unavailable: its event INSTR_RETIRED_ANY (FIXC0, instructions) cannot be counted here" \
		--group BRANCH --counters cs
fi
echo "ok: --group: an untranslatable event, an event not counted here and an unknown group say so"

# list --counters: every event tried here
list=$($SCOPE list --counters)
echo "$list" | head -3
for e in task-clock page-faults context-switches cpu-migrations; do
	grep -qE "^$e +software +yes" <<<"$list" || fail "list --counters: $e not available"
done
if [ $hw = no ]; then
	grep -qE "^cycles +hardware +no +this host has no hardware PMU" <<<"$list" ||
		fail "list --counters: cycles not said unavailable"
fi
csvlist=$($SCOPE list --counters --format csv)
expect_eq "list --counters CSV header" "$(head -1 <<<"$csvlist")" \
	"event,kind,type,config,available,note"
grep -q '^page-faults,software,1,0x2,yes,' <<<"$csvlist" || fail "no page-faults CSV row"
echo "ok: list --counters"

# list --groups: this host's groups, or one line on why there are none
rc=0
$SCOPE list --groups >"$TMP/groups" 2>"$TMP/gerr" || rc=$?
expect_eq "list --groups exit" $rc 0
if [ -s "$TMP/groups" ]; then
	grep -qE '^[A-Z0-9_]+ +(yes|no)' "$TMP/groups" || fail "list --groups: no group row"
else
	expect_eq "lines on why no group" "$(wc -l <"$TMP/gerr")" 1
	grep -q "no LIKWID groups on this host: " "$TMP/gerr" || fail "list --groups: no reason"
	cat "$TMP/gerr"
fi
groups=$(SCOPE_BPF_LIKWID_ARCH=skylake $SCOPE list --groups)
grep -qE '^BRANCH +(yes|no)' <<<"$groups" || fail "list --groups (skylake): no BRANCH"
grep -qE '^FLOPS_DP +no +FP_ARITH_INST_RETIRED' <<<"$groups" ||
	fail "list --groups (skylake): FLOPS_DP not said unavailable"
echo "ok: list --groups"

rc=0
$SCOPE list --groups $PROGS/counts 2>/dev/null || rc=$?
expect_eq "list --groups with a BINARY" $rc 2
