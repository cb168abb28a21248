#!/bin/bash
# A target that exits or crashes inside a region: the open region is counted
# as unfinished, the completed ones are kept, the exit status passes through.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

for how in exit abort; do
	rc=0
	$SCOPE run -o "$TMP/$how.h5" -- $PROGS/doomed $how 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	want=3
	[ $how = abort ] && want=134
	expect_eq "$how: run exit status" "$rc" $want
	grep -q "1 regions were still open" "$TMP/err" || fail "$how: unfinished not reported"
	expect_eq "$how: unfinished (h5dump)" "$(h5attr "$TMP/$how.h5" meta unfinished)" 1
	expect_eq "$how: fine calls" "$(column "$(csv "$TMP/$how.h5")" fine calls)" 1
	$SCOPE report "$TMP/$how.h5" | grep -qi "unfinished\|still open" ||
		fail "$how: report does not mention the unfinished region"
done
