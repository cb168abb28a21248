#!/bin/bash
# Python regions imported after the agent started: under run (the
# interpreter has no markers; the module and the C extension are imported
# after exec), and under attach to an interpreter that imports them only
# then. The agent probes them when they are mapped; the program waits until
# their sites are probed (scope_bpf.attached(), pymarked.probed()), then
# the same exact counts, nesting, sleeps and locations as under attach
# (test_python_regions.sh).
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python_lib.sh"

# run: the module and the extension are imported after exec; the program
# waits until their sites are probed (scope_bpf.attached())
rc=0
$SCOPE run -o "$TMP/r.h5" -- $PY "$PROG" $N $T $SLEEP_MS --wait-probes \
	>"$TMP/r.out" 2>"$TMP/r.err" || rc=$?
# an agent that probes only what the command maps at exec refuses an
# interpreter without markers: pending until it probes libraries mapped
# later (dlopen), which the Python module is
grep -q "/python3[.0-9]*: no scope-bpf markers" "$TMP/r.err" &&
	skip "pending: the agent does not probe libraries mapped after exec yet ($(head -n 1 "$TMP/r.err"))"
[ $rc = 0 ] || fail "run failed: $(cat "$TMP/r.err" "$TMP/r.out")"
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
