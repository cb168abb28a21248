#!/bin/bash
# Thread names survive their threads: workers rename themselves, exit, and
# are long gone when the profile ends; every thread view shows the last name
# each had (issue 8, point 14).
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/n.h5" -- $PROGS/named 4
out=$($SCOPE report --threads "$TMP/n.h5")
echo "$out"
for i in 0 1 2 3; do
	grep -q "^thread [0-9]* (pid [0-9]*, w-$i)$" <<<"$out" ||
		fail "report --threads: no thread named w-$i"
done
echo "ok: report --threads names every worker"
grep -q "(pid [0-9]*, early-" <<<"$out" && fail "a name before the rename was kept"

csv=$($SCOPE report --format csv --threads "$TMP/n.h5")
echo "$csv"
expect_eq "CSV comm of the workers" \
	"$(column "$csv" work comm | sort | tr '\n' ' ')" "w-0 w-1 w-2 w-3 "
expect_eq "CSV comm of the main thread" "$(column "$csv" after comm)" named
