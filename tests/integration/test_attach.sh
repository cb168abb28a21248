#!/bin/bash
# attach --pid to a running process, detach after --duration, and the process
# goes on to finish normally; then attach until the target exits.
# attach-modes: both
# site-modes: all
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# long enough for a per-site agent, whose own start-up links take a
# second or two to remove at its end
$PROGS/ticker 5 >"$TMP/ticker.out" &
pid=$!
wait_for_mapped $pid $PROGS/ticker
$SCOPE attach -q --pid $pid --duration 1 -o "$TMP/a.h5"
kill -0 $pid || fail "target died while attached"
wait $pid || fail "target exited with $?"
ticks=$(awk '{ print $2 }' "$TMP/ticker.out")
out=$(csv "$TMP/a.h5")
expect_site_mode "$TMP/a.h5"
echo "$out"
calls=$(column "$out" tick calls)
# about 1 s of ~1.1 ms ticks, and fewer than the whole run
expect_between "tick calls in 1 s" "$calls" 300 1100
[ "$calls" -lt "$ticks" ] || fail "recorded $calls ticks of $ticks: not detached?"
expect_between "tick min_ns" "$(column "$out" tick min_ns)" 1000000 50000000
expect_eq "mode (h5dump)" "$(h5dump -a meta/mode "$TMP/a.h5" | grep -c '"attach"')" 1

# without --duration: ends when the target exits
$PROGS/ticker 1.5 >/dev/null &
pid=$!
wait_for_mapped $pid $PROGS/ticker
timeout 20 $SCOPE attach -q --pid $pid -o "$TMP/b.h5" || fail "attach did not end with its target"
calls=$(column "$(csv "$TMP/b.h5")" tick calls)
expect_between "tick calls until exit" "$calls" 300 1500

# regions still open when the profile stops are counted, not lost silently:
# sleeper is always inside `parent`, and two thirds of the time in `child`
$PROGS/sleeper 30 &
pid=$!
wait_for_mapped $pid $PROGS/sleeper
$SCOPE attach -q --pid $pid --duration 0.5 -o "$TMP/open.h5"
expect_between "open_at_detach (h5dump)" "$(h5attr "$TMP/open.h5" meta open_at_detach)" 1 2
$SCOPE report "$TMP/open.h5" | grep -q "open when the profile stopped" ||
	fail "report does not mention open regions"
kill $pid
