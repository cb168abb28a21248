#!/bin/bash
# Thread stacks in slots (bpf/thread_stack.h): a probe finds its thread's
# stack with no helper call. Counts stay exact when threads outnumber the
# slots (the rest keep their stacks in task storage), when short-lived
# threads take the slots of exited ones, and with the slots off; the file
# says how many slots there were and how many threads found none.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# the default: enough slots for every thread
$SCOPE run -o "$TMP/d.h5" -- $PROGS/counts 3 2000 3 >/dev/null
out=$(csv "$TMP/d.h5")
expect_eq "outer" "$(sum_column "$out" outer calls)" 6000
expect_eq "inner" "$(sum_column "$out" inner calls)" 12000
expect_eq "rec" "$(sum_column "$out" rec calls)" 18000
slots=$(h5attr "$TMP/d.h5" meta stack_slots)
expect_between "stack slots by default" "$slots" 64 4096
expect_eq "threads without a slot" "$(h5attr "$TMP/d.h5" meta slotless_threads)" 0

# 40 waves of 4 threads through 3 slots, one of them held by the agent's
# own start-up pass: a wave's threads overlap, so some find none, and the
# slots go back at each exit (without that, every thread after the first
# wave would find none: 158)
SCOPE_BPF_FAST_STACKS=3 $SCOPE run -o "$TMP/c.h5" -- \
	$PROGS/churn 40 4 1000 5 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv "$TMP/c.h5")
expect_eq "work (3 slots)" "$(sum_column "$out" work calls)" 160000
expect_eq "step (3 slots)" "$(sum_column "$out" step calls)" 160000
expect_eq "threads (3 slots)" \
	"$(csv_threads "$TMP/c.h5" | awk -F, '$1 == "work"' | wc -l)" 160
expect_eq "stack slots" "$(h5attr "$TMP/c.h5" meta stack_slots)" 3
slotless=$(h5attr "$TMP/c.h5" meta slotless_threads)
expect_between "threads without a slot" "$slotless" 1 150
grep -q "$slotless threads found every one of the 3 stack slots taken" \
	"$TMP/err" || fail "the threads without a slot are not reported"
expect_eq "dropped (3 slots)" "$(h5attr "$TMP/c.h5" meta dropped)" 0

# regions open at a thread's exit are reported from a slot as from task
# storage; nesting and recursion across the two kinds of stack
SCOPE_BPF_FAST_STACKS=2 $SCOPE run -o "$TMP/t.h5" -- \
	$PROGS/counts 3 2000 3 >/dev/null 2>&1
out=$(csv "$TMP/t.h5")
expect_eq "outer (2 slots)" "$(sum_column "$out" outer calls)" 6000
expect_eq "rec (2 slots)" "$(sum_column "$out" rec calls)" 18000
[ "$(h5attr "$TMP/t.h5" meta slotless_threads)" -ge 1 ] ||
	fail "3 threads and the agent's pass fitted in 2 slots"

# slots off: every stack in task storage, as before them
SCOPE_BPF_FAST_STACKS=0 $SCOPE run -o "$TMP/o.h5" -- \
	$PROGS/counts 3 2000 3 >/dev/null
out=$(csv "$TMP/o.h5")
expect_eq "outer (no slots)" "$(sum_column "$out" outer calls)" 6000
expect_eq "rec (no slots)" "$(sum_column "$out" rec calls)" 18000
expect_eq "stack slots off" "$(h5attr "$TMP/o.h5" meta stack_slots)" 0
expect_eq "threads without a slot, slots off" \
	"$(h5attr "$TMP/o.h5" meta slotless_threads)" 0

SCOPE_BPF_FAST_STACKS=x $SCOPE run -o "$TMP/x.h5" -- $PROGS/counts 1 1 1 \
	>/dev/null 2>"$TMP/err" && fail "SCOPE_BPF_FAST_STACKS=x accepted"
grep -q "SCOPE_BPF_FAST_STACKS=x: expected 0 to 65536 threads" "$TMP/err" ||
	fail "no clear error for SCOPE_BPF_FAST_STACKS=x: $(cat "$TMP/err")"
echo "ok: a bad SCOPE_BPF_FAST_STACKS is refused"
