#!/bin/bash
# scope-bpf export --format perfetto (docs/export.md) on a trace of
# tests/progs/counts: strict JSON, one "X" event per interval and per call
# of the report, each thread's events nested (a child inside its parent),
# every thread named; a plain profile refused, exit 1; an unfinished trace
# (still written, then left by a SIGKILLed agent) exported as far as it
# is readable, said on stderr, the JSON valid; its tables (json) from the
# statistics rebuilt from the intervals.
source "$(dirname "$0")/lib.sh"

$SCOPE run --trace -q -o "$TMP/t.h5" -- $PROGS/counts 2 200 2 >/dev/null
$SCOPE export "$TMP/t.h5" --format perfetto -o "$TMP/t.json" ||
	fail "export --format perfetto failed"
$SCOPE report -f csv "$TMP/t.h5" >"$TMP/report.csv"

/usr/bin/python3 - "$TMP/t.json" "$TMP/report.csv" <<'PY' || fail "perfetto export is wrong"
import collections, csv, json, sys

def strict(c):
    raise ValueError("not JSON: " + c)

with open(sys.argv[1]) as f:
    doc = json.load(f, parse_constant=strict)
assert doc["displayTimeUnit"] == "ns"
events = doc["traceEvents"]
xs = [e for e in events if e["ph"] == "X"]

calls = collections.Counter()
with open(sys.argv[2]) as f:
    for r in csv.DictReader(l for l in f if not l.startswith("#")):
        calls[r["region"]] += int(r["calls"])
got = collections.Counter(e["name"] for e in xs)
assert got == calls, "X events per region %s, report's calls %s" % (dict(got), dict(calls))
assert len(xs) == sum(calls.values())

# nesting: per thread, sorted by start (the longer first on a tie), every
# event ends within the one still open around it; in whole ns (the export
# writes us with 3 decimals), so that no float rounding blurs an edge
threads = collections.defaultdict(list)
for e in xs:
    assert e["dur"] >= 0
    b = round(e["ts"] * 1000)
    threads[(e["pid"], e["tid"])].append((b, b + round(e["dur"] * 1000), e["name"]))
for key, evs in threads.items():
    evs.sort(key=lambda e: (e[0], -e[1]))
    open_ = []
    for b, end, name in evs:
        while open_ and open_[-1][1] <= b:
            open_.pop()
        if open_:
            assert end <= open_[-1][1], "%s: %s at %d ns overlaps %s" % (key, name, b, open_[-1][2])
        open_.append((b, end, name))

named = {(e["pid"], e["tid"]) for e in events
         if e["ph"] == "M" and e["name"] == "thread_name" and e["args"]["name"]}
assert set(threads) <= named, "threads without a name: %s" % (set(threads) - named)
assert any(e["ph"] == "M" and e["name"] == "process_name" for e in events)
print("ok: %d X events in %d threads, nested and named" % (len(xs), len(threads)))
PY

# to standard output, the same document
$SCOPE export "$TMP/t.h5" -f perfetto | cmp -s - "$TMP/t.json" ||
	fail "perfetto to stdout differs from -o"
echo "ok: stdout and -o agree"

# a plain profile has no intervals: exit 1, saying to use --trace
$SCOPE run -q -o "$TMP/p.h5" -- $PROGS/counts 1 10 1 >/dev/null
rc=0
$SCOPE export "$TMP/p.h5" -f perfetto -o "$TMP/p.json" 2>"$TMP/err" || rc=$?
expect_eq "exit status of perfetto on a plain profile" $rc 1
grep -q -- "--trace" "$TMP/err" || fail "the error does not say --trace: $(cat "$TMP/err")"
[ ! -e "$TMP/p.json" ] || fail "a failed export left $TMP/p.json"
ls "$TMP" | grep -q '\.tmp\.' && fail "a failed export left a temporary file"
echo "ok: a plain profile refused, exit 1, pointing at --trace"

# an unfinished trace: while the agent writes it, the intervals so far, a
# prefix of the finished trace's, with a warning; valid JSON each time
# events FILE.json: its "tick" X events' starts, one a line (in ns); fails
# on JSON that is not strict or on an event of another name
events() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
def strict(c):
    raise ValueError("not JSON: " + c)
doc = json.load(open(sys.argv[1]), parse_constant=strict)
xs = [e for e in doc["traceEvents"] if e["ph"] == "X"]
assert all(e["name"] == "tick" for e in xs), {e["name"] for e in xs}
for e in xs:
    print(round(e["ts"] * 1000))
PY
}
# ticks N FILE: N or more tick events exported from FILE now (quietly)
ticks() {
	$SCOPE export "$2" -f perfetto -o "$TMP/poll.json" 2>/dev/null &&
		[ "$(events "$TMP/poll.json" | wc -l)" -ge "$1" ]
}
$SCOPE run --trace -o "$TMP/w.h5" -- $PROGS/ticker 4 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for 10 ticks 10 "$TMP/w.h5" || fail "no intervals exported while the agent writes"
$SCOPE export "$TMP/w.h5" -f perfetto -o "$TMP/live.json" 2>"$TMP/live.err" ||
	fail "export of a trace being written: $(cat "$TMP/live.err")"
grep -q "unfinished trace" "$TMP/live.err" || fail "no word of an unfinished trace: $(cat "$TMP/live.err")"
wait $agent || fail "the agent failed: $(cat "$TMP/err")"
$SCOPE export "$TMP/w.h5" -f perfetto -o "$TMP/done.json" 2>"$TMP/done.err"
grep -q "unfinished" "$TMP/done.err" && fail "a finished trace said unfinished"
events "$TMP/live.json" >"$TMP/live.ts" || fail "the JSON of an unfinished trace"
events "$TMP/done.json" >"$TMP/done.ts" || fail "the JSON of the finished trace"
live=$(wc -l <"$TMP/live.ts")
expect_eq "the finished export's ticks" "$(wc -l <"$TMP/done.ts")" \
	"$(column "$(csv "$TMP/w.h5")" tick calls)"
[ "$live" -ge 10 ] && [ "$live" -lt "$(wc -l <"$TMP/done.ts")" ] ||
	fail "$live ticks while written, $(wc -l <"$TMP/done.ts") at the end"
head -n "$live" "$TMP/done.ts" | cmp -s - "$TMP/live.ts" ||
	fail "the ticks exported while written are not the first of the finished trace"
echo "ok: $live ticks while written, the first of $(wc -l <"$TMP/done.ts"), said unfinished"

# a SIGKILLed agent's trace: what its last flush kept, valid JSON, said
$SCOPE run --trace -o "$TMP/k.h5" -- $PROGS/ticker 8 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for 10 ticks 100 "$TMP/k.h5" || fail "no intervals exported while the agent writes"
kill -KILL $agent
wait $agent 2>/dev/null || true
pkill -f "$PROGS/ticker" || true
$SCOPE export "$TMP/k.h5" -f perfetto -o "$TMP/k.json" 2>"$TMP/k.err" ||
	fail "export of a killed agent's trace: $(cat "$TMP/k.err")"
grep -q "unfinished trace" "$TMP/k.err" || fail "no word of an unfinished trace: $(cat "$TMP/k.err")"
events "$TMP/k.json" >"$TMP/k.ts" || fail "the JSON of a killed agent's trace"
[ "$(wc -l <"$TMP/k.ts")" -ge 100 ] || fail "$(wc -l <"$TMP/k.ts") ticks of a killed agent's trace"
sort -n -c "$TMP/k.ts" || fail "the ticks of a killed agent's trace out of order"
echo "ok: $(wc -l <"$TMP/k.ts") ticks from a killed agent's trace"
# the other formats take the statistics rebuilt from its intervals
$SCOPE export "$TMP/k.h5" -f json -o "$TMP/k-tables.json" 2>"$TMP/err" ||
	fail "json of an unfinished trace: $(cat "$TMP/err")"
grep -q "unfinished trace" "$TMP/err" || fail "json did not say the trace is unfinished"
/usr/bin/python3 - "$TMP/k-tables.json" "$(wc -l <"$TMP/k.ts")" <<'PY' || fail "json of an unfinished trace: the ticks"
import json, sys
t = json.load(open(sys.argv[1]))["tables"]["stats"]
calls = sum(r["calls"] for r in t["rows"] if r["region"] == "tick")
assert calls >= int(sys.argv[2]), (calls, sys.argv[2])
PY
