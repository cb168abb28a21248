#!/bin/bash
# Thread stacks in slots (bpf/thread_stack.h): a probe finds its thread's
# stack with no helper call. Counts stay exact, thread by thread, when
# threads outnumber the slots (the rest keep their stacks in task
# storage), when short-lived threads take the slots of exited ones, when
# many threads share one CPU (each switch hands the CPU another slot), and
# with the slots off; the file says how many slots there were, how many
# threads found none, and how often a thread's CPU did not know its slot.
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

# no_losses FILE: nothing unmatched, abandoned or without a stack
no_losses() {
	local l
	for l in unmatched_end abandoned no_storage dropped; do
		expect_eq "$l ($1)" "$(h5attr "$1" meta $l)" 0
	done
}

# every_thread FILE REGION N: each thread that ran REGION ran it N times
every_thread() {
	expect_eq "$2 calls of each thread" \
		"$(column "$(csv_threads "$1")" "$2" calls | sort -u | tr '\n' ' ')" "$3 "
}

# the default: enough slots for every thread, and the CPUs know them: a
# probe pays the task storage lookup once a thread (84,000 probes here)
$SCOPE run -o "$TMP/d.h5" -- $PROGS/counts 3 2000 3 >/dev/null
out=$(csv "$TMP/d.h5")
expect_eq "outer" "$(sum_column "$out" outer calls)" 6000
expect_eq "inner" "$(sum_column "$out" inner calls)" 12000
expect_eq "rec" "$(sum_column "$out" rec calls)" 18000
every_thread "$TMP/d.h5" outer 2000
slots=$(h5attr "$TMP/d.h5" meta stack_slots)
expect_between "stack slots by default" "$slots" 64 4096
expect_eq "threads without a slot" "$(h5attr "$TMP/d.h5" meta slotless_threads)" 0
expect_between "probes whose CPU did not know the slot" \
	"$(h5attr "$TMP/d.h5" meta stack_slot_misses)" 1 5000
no_losses "$TMP/d.h5"

# 40 waves of 4 threads through 3 slots: the slots go back at each exit
# (without that, every thread after the first three would find none: 157;
# how many find none meanwhile depends on how a wave's threads overlap)
SCOPE_BPF_FAST_STACKS=3 $SCOPE run -o "$TMP/c.h5" -- \
	$PROGS/churn 40 4 1000 5 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv "$TMP/c.h5")
expect_eq "work (3 slots)" "$(sum_column "$out" work calls)" 160000
expect_eq "step (3 slots)" "$(sum_column "$out" step calls)" 160000
expect_eq "threads (3 slots)" \
	"$(csv_threads "$TMP/c.h5" | awk -F, '$1 == "work"' | wc -l)" 160
every_thread "$TMP/c.h5" work 1000
every_thread "$TMP/c.h5" step 1000
expect_eq "stack slots" "$(h5attr "$TMP/c.h5" meta stack_slots)" 3
expect_between "threads without a slot (3 slots)" \
	"$(h5attr "$TMP/c.h5" meta slotless_threads)" 0 150
no_losses "$TMP/c.h5"

# 4 waves of 16 threads on one CPU through 4 slots: a wave's threads share
# the CPU for ~50 ms each, so all of them start before the first ends and
# 12 a wave find none; every switch hands the CPU another thread
SCOPE_BPF_FAST_STACKS=4 taskset -c 0 $SCOPE run -o "$TMP/p.h5" -- \
	$PROGS/churn 4 16 20000 0 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv "$TMP/p.h5")
expect_eq "work (one CPU)" "$(sum_column "$out" work calls)" 1280000
every_thread "$TMP/p.h5" work 20000
every_thread "$TMP/p.h5" step 20000
slotless=$(h5attr "$TMP/p.h5" meta slotless_threads)
expect_between "threads without a slot (one CPU)" "$slotless" 1 60
grep -q "$slotless threads found every one of the 4 stack slots taken" \
	"$TMP/err" || fail "the threads without a slot are not reported"
no_losses "$TMP/p.h5"

# slots off: every stack in task storage, as before them
SCOPE_BPF_FAST_STACKS=0 $SCOPE run -o "$TMP/o.h5" -- \
	$PROGS/counts 3 2000 3 >/dev/null
out=$(csv "$TMP/o.h5")
expect_eq "outer (no slots)" "$(sum_column "$out" outer calls)" 6000
expect_eq "rec (no slots)" "$(sum_column "$out" rec calls)" 18000
expect_eq "stack slots off" "$(h5attr "$TMP/o.h5" meta stack_slots)" 0
expect_eq "threads without a slot, slots off" \
	"$(h5attr "$TMP/o.h5" meta slotless_threads)" 0
no_losses "$TMP/o.h5"

SCOPE_BPF_FAST_STACKS=x $SCOPE run -o "$TMP/x.h5" -- $PROGS/counts 1 1 1 \
	>/dev/null 2>"$TMP/err" && fail "SCOPE_BPF_FAST_STACKS=x accepted"
grep -q "SCOPE_BPF_FAST_STACKS=x: expected 0 to 4096 threads" "$TMP/err" ||
	fail "no clear error for SCOPE_BPF_FAST_STACKS=x: $(cat "$TMP/err")"
echo "ok: a bad SCOPE_BPF_FAST_STACKS is refused"
