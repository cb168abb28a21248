#!/bin/bash
# The target execs during the profile: an exec of another file leaves the
# probes behind (uprobes belong to the file), so it is counted, said and
# stored in /meta; an exec of the probed file itself keeps its probes (the
# kernel puts them in the new image as it maps the file) and is recorded.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"
P=$(realpath "$PROGS")

# run: K regions, then an exec of an unmarked binary
$SCOPE run -o "$TMP/t.h5" -- $P/execer 5 /bin/true >/dev/null 2>"$TMP/err" ||
	fail "run exited with $?: $(cat "$TMP/err")"
expect_eq "run: step calls before the exec" "$(sum_column "$(csv "$TMP/t.h5")" step calls)" 5
grep -q "exec'd /bin/true during the profile: its regions after the exec were not recorded (1 exec" "$TMP/err" ||
	fail "no warning on the exec: $(cat "$TMP/err")"
echo "ok: the warning names /bin/true"
expect_eq "run: /meta unfollowed_execs (h5dump)" "$(h5attr "$TMP/t.h5" /meta unfollowed_execs)" 1
$SCOPE report "$TMP/t.h5" | grep -q "note: 1 exec of unprobed files" ||
	fail "report does not note it"
echo "ok: report notes it"

# run: an exec of itself (probes stay: 5 + 3), then of another marked binary
$SCOPE run -o "$TMP/s.h5" -- $P/execer 5 $P/execer 3 $P/counts 1 100 1 \
	>/dev/null 2>"$TMP/err" || fail "run exited with $?: $(cat "$TMP/err")"
expect_eq "run: step calls in both images" "$(sum_column "$(csv "$TMP/s.h5")" step calls)" 8
grep -q "exec'd $P/counts during the profile" "$TMP/err" ||
	fail "no warning on the exec of counts: $(cat "$TMP/err")"
grep -q "exec'd a probed file again (1 time)" "$TMP/err" ||
	fail "the exec of itself not said: $(cat "$TMP/err")"
echo "ok: the exec of itself is recorded, the exec of counts warned"
expect_eq "run: /meta unfollowed_execs after a self-exec" "$(h5attr "$TMP/s.h5" /meta unfollowed_execs)" 1
grep -q "unmatched\|unfinished" "$TMP/err" && fail "losses after the exec: $(cat "$TMP/err")"

# attach: the target waits for the agent, runs 7 regions, execs counts
$P/execer -w "$TMP/go" 7 $P/counts 1 50 1 >/dev/null &
pid=$!
wait_for_mapped $pid $P/execer
timeout 20 $SCOPE attach --pid $pid -o "$TMP/a.h5" 2>"$TMP/aerr" &
agent=$!
wait_for_attached "$TMP/aerr" $agent
touch "$TMP/go"
wait $agent || fail "attach exited with $?: $(cat "$TMP/aerr")"
expect_eq "attach: step calls before the exec" "$(sum_column "$(csv "$TMP/a.h5")" step calls)" 7
grep -q "pid $pid exec'd $P/counts during the profile: its regions after the exec were not recorded (1 exec" "$TMP/aerr" ||
	fail "attach: no warning on the exec: $(cat "$TMP/aerr")"
echo "ok: attach warns of the exec"
expect_eq "attach: /meta unfollowed_execs (h5dump)" "$(h5attr "$TMP/a.h5" /meta unfollowed_execs)" 1

# no exec, no warning (run's own exec of the command is not one)
$SCOPE run -o "$TMP/n.h5" -- $P/execer 4 >/dev/null 2>"$TMP/err"
grep -q "exec'd" "$TMP/err" && fail "a warning without an exec: $(cat "$TMP/err")"
expect_eq "/meta unfollowed_execs without an exec" "$(h5attr "$TMP/n.h5" /meta unfollowed_execs)" 0
