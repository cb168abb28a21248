#!/bin/bash
# The trace table of export --format csv and json (docs/export.md): a
# trace of tests/progs/counts gives one row per interval, as many per
# thread and region as the profile's calls; each row's duration its end
# minus its start, its parent the region that encloses it in its thread
# (nesting rebuilt from the rows), its path one of its thread's /paths;
# units in the columns table; JSON with the same rows as the CSV. A plain
# profile has no trace table (test_export.sh counts its tables).
source "$(dirname "$0")/lib.sh"

$SCOPE run --trace -q -o "$TMP/t.h5" -- $PROGS/counts 2 200 2 >/dev/null
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/csv" || fail "export -f csv -o DIR"
[ -f "$TMP/csv/trace.csv" ] || fail "no trace.csv: $(ls "$TMP/csv")"
$SCOPE export "$TMP/t.h5" -f json -o "$TMP/t.json" || fail "export -f json"
$SCOPE export "$TMP/t.h5" -f csv >"$TMP/stream.csv" || fail "export -f csv to stdout"
expect_eq "tables in the CSV stream" "$(grep '^# table: ' "$TMP/stream.csv" | cut -d' ' -f3 | xargs)" \
	"regions threads stats paths tree counters meta trace columns"

/usr/bin/python3 - "$TMP/csv" "$TMP/t.json" <<'PY' || fail "the trace table is wrong"
import collections, csv, json, sys

d = sys.argv[1]
rows = lambda name: list(csv.DictReader(open("%s/%s.csv" % (d, name))))
trace, stats, paths = rows("trace"), rows("stats"), rows("paths")
regions = {r["id"]: r["name"] for r in rows("regions")}

units = {(r["table"], r["column"]): r["unit"] for r in rows("columns")}
for c in ("start_ns", "end_ns", "duration_ns"):
    assert units[("trace", c)] == "ns", (c, units.get(("trace", c)))
assert list(trace[0]) == ["pid", "tid", "region", "region_id", "start_ns", "end_ns",
                          "duration_ns", "depth", "parent", "parent_id", "path"], list(trace[0])

calls = collections.Counter()
for r in stats:
    calls[(r["tid"], r["region"])] += int(r["calls"])
got = collections.Counter((r["tid"], r["region"]) for r in trace)
assert got == +calls, "rows per thread and region %s, calls %s" % (dict(got), dict(+calls))
workers = {t for t, reg in got if reg == "outer"}
assert len(workers) == 2 and all(got[(t, "rec")] == 400 for t in workers), dict(got)

known = {(r["tid"], r["path"]): r["region"] for r in paths}
threads = collections.defaultdict(list)
for r in trace:
    b, e = int(r["start_ns"]), int(r["end_ns"])
    assert int(r["duration_ns"]) == e - b >= 0, r
    assert r["region"] == regions[r["region_id"]], r
    assert known.get((r["tid"], r["path"])) == r["region"], "path of %s" % r
    if r["depth"] == "0":
        assert r["parent"] == "" and r["parent_id"] == "-1", r
    else:
        assert r["parent"] == regions[r["parent_id"]], r
    threads[r["tid"]].append((b, -e, int(r["depth"]), r["region"], r["parent"]))
# nesting: per thread by start (the longer first), each row's parent is
# the row open around it, one level up
for tid, evs in threads.items():
    evs.sort()
    open_ = []
    for b, ne, depth, region, parent in evs:
        while open_ and -open_[-1][1] <= b:
            open_.pop()
        assert len(open_) == depth, "%s: %s at depth %d in %d open" % (tid, region, depth, len(open_))
        assert (open_[-1][3] if open_ else "") == parent, "%s: %s under %s, not %s" % (
            tid, region, open_[-1][3] if open_ else "", parent)
        open_.append((b, ne, depth, region))

t = json.load(open(sys.argv[2]))["tables"]["trace"]
assert [c["name"] for c in t["columns"]] == list(trace[0])
assert {c["name"]: c["unit"] for c in t["columns"]}["duration_ns"] == "ns"
assert len(t["rows"]) == len(trace), (len(t["rows"]), len(trace))
for j, c in zip(t["rows"], trace):
    assert {k: str(v) for k, v in j.items()} == c, (j, c)
print("ok: %d trace rows, per thread and region as the calls, nested, paths and units; JSON alike"
      % len(trace))
PY

# the stream's trace table is the directory's trace.csv
sed -n '/^# table: trace$/,/^# table: /p' "$TMP/stream.csv" | sed '1d;$d' |
	cmp -s - "$TMP/csv/trace.csv" || fail "the stream's trace table differs from trace.csv"
echo "ok: the CSV stream's trace table is trace.csv"
