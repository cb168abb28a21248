#!/bin/bash
# run: every stop signal reaches the command exactly once, however it is sent
# (the agent alone, the process group, timeout(1), a terminal's Ctrl-C);
# run exits with the command's status (128 + N) and the file is valid; a
# command that ignores the signal is killed after the grace period (137).
source "$(dirname "$0")/lib.sh"

# check WHAT H5 COUNTFILE RC EXPECTED_RC
check() {
	expect_eq "$1: run's exit status" "$4" "$5"
	[ -s "$3" ] || fail "$1: the command wrote no count"
	expect_eq "$1: signals the command received" "$(cat "$3")" 1
	calls=$(column "$(csv "$2")" tick calls)
	expect_between "$1: ticks in the file" "${calls:-0}" 50 100000
}

# the agent alone: passed on once
$SCOPE run -q -o "$TMP/a.h5" -- $PROGS/sigcount "$TMP/a.n" &
agent=$!
sleep 1
kill -TERM $agent
rc=0
wait $agent || rc=$?
check "kill -TERM agent" "$TMP/a.h5" "$TMP/a.n" $rc 143

$SCOPE run -q -o "$TMP/h.h5" -- $PROGS/sigcount "$TMP/h.n" &
agent=$!
sleep 1
kill -HUP $agent
rc=0
wait $agent || rc=$?
check "kill -HUP agent" "$TMP/h.h5" "$TMP/h.n" $rc 129

# the agent's process group: the command has it already
setsid $SCOPE run -q -o "$TMP/g.h5" -- $PROGS/sigcount "$TMP/g.n" &
agent=$!
sleep 1
pgid=$(ps -o pgid= -p $agent | tr -d ' ')
[ "$pgid" != "$(ps -o pgid= -p $$ | tr -d ' ')" ] || fail "setsid left the test's group"
kill -TERM -- -"$pgid"
rc=0
wait $agent || rc=$?
check "kill -TERM -PGID" "$TMP/g.h5" "$TMP/g.n" $rc 143

# timeout(1) signals the agent, then its group: three times, since the
# double delivery used to be read as a second signal one run in three
for i in 1 2 3; do
	rc=0
	timeout --preserve-status 1 $SCOPE run -q -o "$TMP/t$i.h5" -- \
		$PROGS/sigcount "$TMP/t$i.n" || rc=$?
	check "timeout, run $i" "$TMP/t$i.h5" "$TMP/t$i.n" $rc 143
done

# a terminal's Ctrl-C: the foreground group of a pseudo-terminal
if command -v python3 >/dev/null; then
	rc=0
	python3 - "$SCOPE" "$TMP/c.h5" "$PROGS/sigcount" "$TMP/c.n" <<'EOF' || rc=$?
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "run", "-q", "-o", sys.argv[2],
                           "--", sys.argv[3], sys.argv[4]])
time.sleep(1)
os.write(fd, b"\x03")
try:
    while os.read(fd, 4096):
        pass
except OSError:
    pass
_, st = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(st))
EOF
	check "Ctrl-C in a terminal" "$TMP/c.h5" "$TMP/c.n" $rc 130
else
	echo "skip: Ctrl-C in a terminal (no python3)"
fi

# a command that ignores SIGTERM: killed after the grace period
start=$(date +%s)
$SCOPE run -q -o "$TMP/i.h5" -- $PROGS/sigcount "$TMP/i.n" ignore &
agent=$!
sleep 1
kill -TERM $agent
rc=0
timeout 30 tail --pid=$agent -f /dev/null || fail "the agent never killed the command"
wait $agent || rc=$?
expect_eq "ignored SIGTERM: run's exit status" $rc 137
expect_between "ignored SIGTERM: seconds to the kill" $(($(date +%s) - start)) 10 14
calls=$(column "$(csv "$TMP/i.h5")" tick calls)
expect_between "ignored SIGTERM: ticks in the file" "${calls:-0}" 1000 100000
