#!/bin/bash
# Two agents on the same binary at once (two runs of one program, ranks of
# an MPI job): each finds every marker and counts its own command exactly.
# Uprobes are per file: the first agent's breakpoints appear in every
# private executable mapping of the file, a second agent's view of it too
# unless it reads the file's own bytes.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -o "$TMP/a.h5" -- $PROGS/counts 1 2000000 1 >/dev/null 2>"$TMP/a.err" &
first=$!
wait_for_attached "$TMP/a.err" $first
wait_for_command $first $PROGS/counts
$SCOPE run -q -o "$TMP/b.h5" -- $PROGS/counts 2 1000 3 >/dev/null 2>"$TMP/b.err" ||
	fail "second agent failed: $(cat "$TMP/b.err")"
wait $first || fail "first agent exited with $?"
cat "$TMP/a.err" "$TMP/b.err"
grep -q "point at no marker" "$TMP/b.err" && fail "second agent saw the first one's probes"
out=$(csv "$TMP/b.h5")
expect_eq "second: outer" "$(sum_column "$out" outer calls)" 2000
expect_eq "second: rec" "$(sum_column "$out" rec calls)" 6000
out=$(csv "$TMP/a.h5")
expect_eq "first: outer" "$(sum_column "$out" outer calls)" 2000000
expect_eq "first: inner" "$(sum_column "$out" inner calls)" 4000000
