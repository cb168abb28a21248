#!/bin/bash
# SIGINT and SIGTERM flush and leave a valid file; the target lives on.
source "$(dirname "$0")/lib.sh"

$PROGS/ticker 4 >/dev/null &
pid=$!
wait_for_mapped $pid $PROGS/ticker
$SCOPE attach --pid $pid -o "$TMP/int.h5" 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
sleep 0.5 # the workload: ~450 ticks profiled
kill -INT $agent
wait $agent || fail "attach exited with $? on SIGINT"
calls=$(column "$(csv "$TMP/int.h5")" tick calls)
expect_between "ticks before SIGINT" "$calls" 100 1000
kill -0 $pid || fail "target died with the agent"
wait $pid || fail "target exited with $?"

# run: the first SIGTERM goes on to the command; the file is still written
$SCOPE run -o "$TMP/term.h5" -- $PROGS/ticker 30 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for_command $agent $PROGS/ticker
sleep 0.5 # the workload
kill -TERM $agent
rc=0
wait $agent || rc=$?
expect_eq "run exit status (command killed by SIGTERM)" "$rc" 143
calls=$(column "$(csv "$TMP/term.h5")" tick calls)
expect_between "ticks before SIGTERM" "$calls" 100 1000
