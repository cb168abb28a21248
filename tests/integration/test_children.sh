#!/bin/bash
# run: a command's forked child inherits the probe sites; its hits are not
# recorded (children are not followed) but counted, said and stored in /meta.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -o "$TMP/f.h5" -- $PROGS/forker 200 37 >"$TMP/out" 2>"$TMP/err" ||
	fail "run exited with $?: $(cat "$TMP/err")"
grep -q "forker: parent 200, child 37" "$TMP/out" || fail "the command did not finish"
expect_eq "parent's work calls" "$(sum_column "$(csv "$TMP/f.h5")" work calls)" 200
# only the command's own pid has rows
expect_eq "pids in the stats" "$(column "$(csv_threads "$TMP/f.h5")" work pid | sort -u)" \
	"$(h5attr "$TMP/f.h5" /meta pid)"
grep -q "37 region hits in 1 child process were not recorded" "$TMP/err" ||
	fail "no warning on the child's hits: $(cat "$TMP/err")"
echo "ok: the warning names 37 hits in 1 child process"
expect_eq "/meta unfollowed_hits (h5dump)" "$(h5attr "$TMP/f.h5" /meta unfollowed_hits)" 37
expect_eq "/meta unfollowed_processes (h5dump)" "$(h5attr "$TMP/f.h5" /meta unfollowed_processes)" 1
grep -q "unmatched" "$TMP/err" && fail "the child's ENDs counted as unmatched"
$SCOPE report "$TMP/f.h5" | grep -q "note: 1 child process hit regions that were not recorded" ||
	fail "report does not say the child's regions were not recorded"
echo "ok: report notes the child process"

# no child, no warning
$SCOPE run -o "$TMP/c.h5" -- $PROGS/counts 1 100 1 >/dev/null 2>"$TMP/err"
grep -q "not recorded" "$TMP/err" && fail "a warning without children: $(cat "$TMP/err")"
expect_eq "/meta unfollowed_hits without children" "$(h5attr "$TMP/c.h5" /meta unfollowed_hits)" 0
