#!/bin/bash
# Python regions imported after the agent started: under run (the
# interpreter has no markers; the module and the C extension are imported
# after exec), and under attach to an interpreter that imports them only
# then (the program waits until their sites are probed: scope_bpf.attached()
# and pymarked.probed()). The same exact counts, nesting, sleeps and
# locations as under attach (test_python_regions.sh). An interpreter that
# imports nothing marked runs to its end with an empty profile. Trace mode
# and counters hold Python regions like any other.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python_lib.sh"

# run: the module and the extension are imported after exec, and the
# program does not wait: the agent probes a library as the loader maps it,
# before its code runs, so every region counts from the first
$SCOPE run -o "$TMP/r.h5" -- $PY "$PROG" $N $T $SLEEP_MS \
	>"$TMP/r.out" 2>"$TMP/r.err" || fail "run failed: $(cat "$TMP/r.err" "$TMP/r.out")"
grep -q "python3[.0-9]* has no markers of its own" "$TMP/r.err" ||
	fail "run does not say where the regions come from: $(cat "$TMP/r.err")"
expect_eq "run: the program saw attached()" "$(tail -n 1 "$TMP/r.out")" "done attached=True"
check "$TMP/r.h5" run


# attach, then import: the interpreter has not imported the module when the
# agent attaches
$PY "$PROG" $N $T $SLEEP_MS --late-import >"$TMP/l.out" 2>&1 &
pid=$!
wait_for_line "$TMP/l.out" '^ready$' 20 || fail "the program is not ready: $(cat "$TMP/l.out")"
grep -q scope_bpf "/proc/$pid/maps" && fail "the module is mapped before the import"
$SCOPE attach --pid $pid -o "$TMP/l.h5" 2>"$TMP/l.err" &
agent=$!
wait_for_attached "$TMP/l.err" $agent
kill -USR1 $pid
wait $pid || fail "the program failed: $(cat "$TMP/l.out")"
wait $agent || fail "attach failed: $(cat "$TMP/l.err")"
expect_eq "attach, then import: the program saw attached()" "$(tail -n 1 "$TMP/l.out")" "done attached=True"
check "$TMP/l.h5" "attach, then import"

# nothing marked: the interpreter runs, the profile is empty
$SCOPE run -q -o "$TMP/e.h5" -- $PY -c 'print("plain")' >"$TMP/e.out" 2>"$TMP/e.err" ||
	fail "run of a plain python3 failed: $(cat "$TMP/e.err")"
expect_eq "run python3 -c: its output" "$(cat "$TMP/e.out")" plain
expect_eq "run python3 -c: regions" "$(h5dump -H -d /regions "$TMP/e.h5" | grep -o -m1 'SIMPLE { ( [0-9]* )' | head -n 1 | tr -dc 0-9)" 0

# trace mode and counters, like any region: every interval in /trace, and
# task-clock per region (a sleep costs its thread next to no CPU time)
n=50 t=4
ctr=(--counters task-clock)
# counters need the in-kernel aggregation
[ "${SCOPE_BPF_AGGREGATE:-kernel}" = ring ] && ctr=()
$SCOPE run -q --trace "${ctr[@]}" -o "$TMP/t.h5" -- \
	$PY "$PROG" $n $t 20 >/dev/null 2>"$TMP/t.err" || fail "run --trace failed: $(cat "$TMP/t.err")"
expect_eq "trace: intervals" "$(h5attr "$TMP/t.h5" /trace intervals)" $((20 * n * t + 19))
expect_eq "trace: dropped" "$(h5attr "$TMP/t.h5" /trace dropped)" 0
[ ${#ctr[@]} = 0 ] && exit 0
read -r outer_cpu sleep_cpu sleep_ns < <($PY - "$TMP/t.h5" <<'PY'
import sys
import h5py
f = h5py.File(sys.argv[1], "r")
names = {int(r["id"]): r["name"].decode() for r in f["regions"][:]}
incl = f["counter_incl"][:, 0]
sums = {}
for i, s in enumerate(f["stats"][:]):
    name = names[int(s["region"])]
    cpu, ns = sums.get(name, (0, 0))
    sums[name] = (cpu + int(incl[i]), ns + int(s["total_ns"]))
print(sums["py.outer"][0], sums["py.sleep"][0], sums["py.sleep"][1])
PY
)
[ "$outer_cpu" -gt 0 ] || fail "py.outer counted no task-clock"
[ $((sleep_cpu * 4)) -lt "$sleep_ns" ] ||
	fail "py.sleep: task-clock $sleep_cpu ns of $sleep_ns ns asleep"
echo "ok: counters: py.outer task-clock $outer_cpu ns, py.sleep $sleep_cpu ns of $sleep_ns ns"
