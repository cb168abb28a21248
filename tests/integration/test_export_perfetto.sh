#!/bin/bash
# scope-bpf export --format perfetto (docs/export.md) on a trace of
# tests/progs/counts: strict JSON, one "X" event per interval and per call
# of the report, each thread's events nested (a child inside its parent),
# every thread named; a plain profile refused, exit 1.
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
