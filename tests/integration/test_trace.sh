#!/bin/bash
# --trace: every interval in the file, read back with h5py (Debian's
# python3-h5py, not our code): exactly as many as calls, ordered by start
# per thread, each nested interval inside its parent, all inside the run;
# the filters; a SIGKILLed agent leaves a file h5dump and h5py open, holding
# a prefix of the intervals; a reader follows the file while it grows.
# aggregate-modes: both
# timeout: 180
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-h5py
$PY -c "import h5py" 2>/dev/null || skip "python3-h5py is not installed (make deps)"

$SCOPE run -q --trace -o "$TMP/t.h5" -- $PROGS/counts 2 1000 3 >/dev/null
$PY - "$TMP/t.h5" <<'PYEOF' || fail "the trace does not hold what the run did"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
iv = f["/trace/intervals"][:]
names = {int(r["id"]): r["name"].decode() for r in f["/regions"][:]}
meta = f["/meta"].attrs
calls = {}
for r in f["/stats"][:]:
    n = names[int(r["region"])]
    calls[n] = calls.get(n, 0) + int(r["calls"])
got = {}
for r in iv["region"]:
    got[names[int(r)]] = got.get(names[int(r)], 0) + 1
assert got == calls, (got, calls)
assert len(iv) == int(meta["trace_intervals"]) == int(meta["records"]), len(iv)
assert (iv["start_ns"] >= meta["start_ns"]).all() and (iv["end_ns"] <= meta["end_ns"]).all()
assert (iv["end_ns"] >= iv["start_ns"]).all()
for tid in np.unique(iv["tid"]):
    t = iv[iv["tid"] == tid]
    t = t[np.argsort(t["start_ns"], kind="stable")]
    # each nested interval lies in the closest enclosing one at depth - 1,
    # which is its parent region
    stack = []
    for r in t:
        while stack and stack[-1]["end_ns"] < r["end_ns"]:
            stack.pop()
        while stack and stack[-1]["depth"] >= r["depth"]:
            stack.pop()
        if r["depth"]:
            assert stack, ("no parent", r)
            p = stack[-1]
            assert p["depth"] == r["depth"] - 1 and p["region"] == r["parent"], (p, r)
            assert p["start_ns"] <= r["start_ns"] and r["end_ns"] <= p["end_ns"]
        stack.append(r)
print("ok: %d intervals: counts, order, nesting and bounds" % len(iv))
PYEOF

# filters: only outer and inner, and none shorter than 1 ms (a sleep)
$SCOPE run -q --trace --trace-regions 'out*,inner' -o "$TMP/f.h5" -- $PROGS/counts 1 500 2 >/dev/null
expect_eq "intervals of outer and inner" "$(h5attr "$TMP/f.h5" meta trace_intervals)" 1500
$SCOPE run -q --trace --trace-min-duration 40ms -o "$TMP/m.h5" -- $PROGS/sleeper 2 >/dev/null
expect_eq "intervals of 40 ms or more (2 x parent and child)" \
	"$(h5attr "$TMP/m.h5" meta trace_intervals)" 4

# a reader that follows the trace to its end does not cost the profile: the
# agent finishes the file while the reader still holds it
$SCOPE run --trace -o "$TMP/r.h5" -- $PROGS/ticker 2 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for 10 test -e "$TMP/r.h5" || fail "no trace file while running"
$PY - "$TMP/r.h5" <<'PYEOF' &
import sys, time, h5py
f = h5py.File(sys.argv[1], "r", libver="latest", swmr=True)
time.sleep(4)
PYEOF
reader=$!
wait $agent || fail "the agent failed with a reader on its trace: $(cat "$TMP/err")"
wait $reader || true
$SCOPE report "$TMP/r.h5" >/dev/null || fail "no profile in a trace that was followed"
echo "ok: a follower does not keep the agent from finishing the file"

# report --follow: the trace as it grows, until the agent finishes it
$SCOPE run --trace -o "$TMP/w.h5" -- $PROGS/ticker 3 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for 10 test -e "$TMP/w.h5" || fail "no trace file while running"
timeout 30 $SCOPE report --follow "$TMP/w.h5" >"$TMP/follow" ||
	fail "report --follow failed: $(cat "$TMP/follow")"
wait $agent || fail "the agent failed while followed: $(cat "$TMP/err")"
grep -q ', finished$' "$TMP/follow" || fail "--follow did not see the end"
[ "$(grep -c ' intervals (+' "$TMP/follow")" -ge 2 ] || fail "--follow printed no update"
expect_eq "--follow's last tick count" \
	"$(awk '$1 == "tick" { n = $2 } END { print n }' "$TMP/follow")" \
	"$(column "$(csv "$TMP/w.h5")" tick calls)"

# SIGKILL mid-trace: a prefix of the intervals, in a file that opens
$SCOPE run --trace -o "$TMP/k.h5" -- $PROGS/ticker 8 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
sleep 3
# a reader follows the file while it grows
$PY - "$TMP/k.h5" <<'PYEOF' || fail "no SWMR reader sees the trace grow"
import sys, time, h5py
f = h5py.File(sys.argv[1], "r", libver="latest", swmr=True)
d = f["/trace/intervals"]
n0 = d.shape[0]
for _ in range(30):
    time.sleep(0.2)
    d.refresh()
    if d.shape[0] > n0:
        break
assert d.shape[0] > n0, (n0, d.shape[0])
print("ok: a SWMR reader saw %d, then %d intervals" % (n0, d.shape[0]))
PYEOF
kill -KILL $agent
wait $agent 2>/dev/null || true
pkill -f "$PROGS/ticker" || true
# the rows past the last flush may point past the file's end: read up to
# the first that cannot be read (what trace_reader__read does too)
prefix() {
	$PY - "$TMP/k.h5" "$@" <<'PYEOF'
import sys, h5py, numpy as np
kw = dict(libver="latest", swmr=True) if "swmr" in sys.argv else {}
d = h5py.File(sys.argv[1], "r", **kw)["/trace/intervals"]
rows = []
for at in range(0, d.shape[0], 1024):
    try:
        rows.append(d[at:at + 1024])
    except OSError:
        break
iv = np.concatenate(rows) if rows else d[0:0]
iv = iv[iv["end_ns"] != 0]
s = iv["start_ns"].astype(np.int64)
assert (np.diff(s) > 0).all(), "ticks out of order"
assert len(s) < 2 or np.diff(s).max() < 50_000_000, "a gap in the ticks"
print(len(iv))
PYEOF
}
# HDF5 1.10 marks a file open for SWMR write in its superblock: SWMR
# readers open it as it is; h5dump and plain readers after h5clear -s
# --increment (which also moves the end-of-allocation mark past the data)
n=$(prefix swmr) || fail "h5py (swmr=True) cannot read the trace of a killed agent"
# report rebuilds the statistics from those intervals, and says so
$SCOPE report -f csv "$TMP/k.h5" >"$TMP/k.csv" 2>"$TMP/k.err" ||
	fail "report cannot read the trace of a killed agent: $(cat "$TMP/k.err")"
grep -q "an unfinished trace" "$TMP/k.err" ||
	fail "report did not say the trace is unfinished"
expect_eq "report's tick calls from the killed trace" \
	"$(column "$(cat "$TMP/k.csv")" tick calls)" "$n"
$SCOPE report "$TMP/k.h5" 2>/dev/null | grep -q "^trace     unfinished" ||
	fail "report's header does not say the trace is unfinished"
$SCOPE report "$TMP/k.h5" 2>/dev/null | grep -q "^command   $PROGS/ticker 8" ||
	fail "report's header lacks the command of the killed trace"
h5clear -s --increment "$TMP/k.h5" || fail "h5clear -s --increment failed"
h5dump -H "$TMP/k.h5" >/dev/null || fail "h5dump cannot open the trace of a killed agent"
m=$(prefix) || fail "h5py cannot read the cleared trace"
echo "ok: $n intervals read with swmr=True, $m once cleared"
expect_between "intervals read once cleared" "$m" 1000 "$n"
# ticker ticks ~1.1 ms: 3 s give thousands, flushed every second
expect_between "intervals in order without a gap after SIGKILL" "$n" 1000 100000
