#!/bin/bash
# A full ring buffer: drops are counted, reported and stored, never hidden;
# every region is either in the statistics or in the drop count.
source "$(dirname "$0")/lib.sh"

# only the ring can fill: in-kernel aggregation sends a thread's name
# through it, never its regions
export SCOPE_BPF_AGGREGATE=ring

# stop the agent (not the target) as soon as the target runs, while the
# target fills a 1 MiB buffer; on a loaded machine the target may be slow:
# stop longer next time
for stop in 1.5 3 6; do
	$SCOPE run --ringbuf-size 1 -o "$TMP/d.h5" -- $PROGS/counts 1 400000 1 \
		>/dev/null 2>"$TMP/err" &
	agent=$!
	wait_for_attached "$TMP/err" $agent
	wait_for_command $agent $PROGS/counts
	kill -STOP $agent
	sleep $stop
	kill -CONT $agent
	wait $agent || fail "run exited with $?"
	cat "$TMP/err"
	dropped=$(h5attr "$TMP/d.h5" meta dropped)
	[ "$dropped" -gt 0 ] && break
done
records=$(h5attr "$TMP/d.h5" meta records)
[ "$dropped" -gt 0 ] || fail "no drops with a stopped consumer"
echo "ok: dropped = $dropped"
expect_eq "records + dropped" $((records + dropped)) $((5 * 400000 + 1))
grep -q "$dropped records dropped" "$TMP/err" || fail "drops not reported on stderr"
$SCOPE report "$TMP/d.h5" | grep -q "$dropped.*dropped" || fail "report does not show the drops"
echo "ok: drops reported by the agent and by report"
