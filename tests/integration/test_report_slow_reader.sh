#!/bin/bash
# A report read slowly (a pager, `| (sleep; cat)`) is a valid report: the
# file is read in a child that is gone before the first byte goes out, and
# nothing in report depends on how long its output takes to drain (issue 8,
# point 13: a 60 s alarm called valid files corrupt behind a slow pipe).
source "$(dirname "$0")/lib.sh"

# enough threads that the report overflows a pipe's 64 KiB buffer
$SCOPE run -q -o "$TMP/many.h5" -- $PROGS/named 600
$SCOPE report --threads "$TMP/many.h5" >"$TMP/fast.txt"
size=$(stat -c %s "$TMP/fast.txt")
[ "$size" -gt 98304 ] || fail "report of $size bytes fits in a pipe: no test"

mkfifo "$TMP/pipe"
$SCOPE report --threads "$TMP/many.h5" >"$TMP/pipe" 2>"$TMP/err" &
rpid=$!
exec 3<"$TMP/pipe"
sleep 3
# the reading child is done: only the parent waits, on the pipe
kids=$(awk -v p=$rpid '$1 == "PPid:" && $2 == p { n++ } END { print n + 0 }' \
	/proc/[0-9]*/status 2>/dev/null || true)
cat <&3 >"$TMP/slow.txt"
exec 3<&-
rc=0
wait $rpid || rc=$?
cat "$TMP/err"
expect_eq "report behind a slow reader: exit status" $rc 0
expect_eq "processes of report still reading while the pipe is full" "$kids" 0
cmp -s "$TMP/fast.txt" "$TMP/slow.txt" || fail "slow and fast reports differ"
echo "ok: the slow reader got the whole report"
