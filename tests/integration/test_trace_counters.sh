#!/bin/bash
# --trace with --counters (software events: these VMs have no hardware PMU):
# every interval's counter deltas in /trace/counters, read back with h5py
# (Debian's python3-h5py, not our code), against what the program measured
# itself (tests/progs/counted.c: 64 fresh pages per `touch`, 20 ms of CPU
# per `spin`) and against the file's own aggregates, which the kernel
# counted apart; the deltas on Perfetto's timeline (slice args and counter
# tracks); folded stacks weighted by a counter against /path_counter_self.
# timeout: 180
source "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's, with python3-h5py
$PY -c "import h5py" 2>/dev/null || skip "python3-h5py is not installed (make deps)"

# truth FILE REGION FIELD: the program's own figure
truth() {
	awk -v r="$2" -v f="$3" '
		$1 == "truth" && $2 == r {
			for (i = 4; i <= NF; i++) { split($i, kv, "=")
				if (kv[1] == f) s += kv[2] } }
		END { print s + 0 }' "$1"
}

# check_sums FILE: every interval has its deltas, and they add up, region by
# region, to the kernel's aggregates of the same run (/counter_incl): the
# trace misses no count and counts none twice
check_sums() {
	$PY - "$1" <<'PYEOF' || fail "$1: trace deltas do not match the aggregates"
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
iv = f["/trace/intervals"][:]
ct = f["/trace/counters"]
cols = [c.decode() if isinstance(c, bytes) else c for c in ct.attrs["columns"]]
names = [r["name"].decode() for r in f["/counters"][:]]
assert cols == names, (cols, names)
ct = ct[:]
assert ct.shape == (len(iv), len(names)), (ct.shape, len(iv))
assert int(f["/meta"].attrs["dropped"]) == 0 and int(f["/meta"].attrs["trace_dropped"]) == 0
incl, st = f["/counter_incl"][:], f["/stats"][:]
for i, r in enumerate(st):
    m = (iv["region"] == r["region"]) & (iv["tid"] == r["tid"])
    assert m.sum() == r["calls"], (r, m.sum())
    assert (ct[m].sum(axis=0) == incl[i]).all(), (r["region"], ct[m].sum(axis=0), incl[i])
print("ok: %d intervals x %d counters add up to /counter_incl" % ct.shape)
PYEOF
}

# 1. known counts per interval
$SCOPE run -q --trace --counters task-clock,page-faults -o "$TMP/w.h5" -- \
	$PROGS/counted work >"$TMP/w.out"
cat "$TMP/w.out"
check_sums "$TMP/w.h5"
$PY - "$TMP/w.h5" "$(truth "$TMP/w.out" touch faults)" "$(truth "$TMP/w.out" spin cpu_ns)" <<'PYEOF' ||
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
faults, cpu = int(sys.argv[2]), int(sys.argv[3])
iv, ct = f["/trace/intervals"][:], f["/trace/counters"][:]
assert list(f["/trace/counters"].attrs["units"]) in (["ns", "count"], [b"ns", b"count"])
rid = {r["name"].decode(): r["id"] for r in f["/regions"][:]}
touch, spin = iv["region"] == rid["touch"], iv["region"] == rid["spin"]
assert touch.sum() == 3 and spin.sum() == 3
# each touch faults in its 64 fresh pages, and the three make the truth
assert (ct[touch, 1] >= 64).all(), ct[touch]
assert ct[touch, 1].sum() == faults, (ct[touch, 1], faults)
# each spin is at least its 20 ms of CPU (1% for the clocks' reading
# points) and no more than its wall time (50 us: the probes read the
# counters a little after the timestamps). Not within 1% of the thread's
# CPU clock: on a VM, task-clock counts the time the host took the vCPU
# away (steal), which the thread's clock leaves out; the spins took
# cpu_ns of it
dur = (iv["end_ns"] - iv["start_ns"])[spin].astype(np.int64)
tc = ct[spin, 0].astype(np.int64)
assert (tc >= 19800000).all(), tc
assert (tc <= dur + 50000).all(), (tc, dur)
assert int(tc.sum()) >= cpu * 0.99, (tc.sum(), cpu)
print("ok: touch page-faults %s, spin task-clock %s in %s ns" % (list(ct[touch, 1]), list(tc), list(dur)))
PYEOF
	fail "the deltas are not what the program did"

# 2. seven counters: two counts records after each traced record
$SCOPE run -q --trace -o "$TMP/seven.h5" \
	--counters task-clock,page-faults,context-switches,cpu-clock,minor-faults,major-faults,cpu-migrations \
	-- $PROGS/counted work >/dev/null
check_sums "$TMP/seven.h5"

# 3. full batches of records and their counts, several threads, nesting
$SCOPE run -q --trace --counters page-faults,context-switches -o "$TMP/c.h5" -- \
	$PROGS/counts 3 2000 3 >/dev/null
check_sums "$TMP/c.h5"

# 4. without counters, no /trace/counters and no counter on the timeline
$SCOPE run -q --trace -o "$TMP/plain.h5" -- $PROGS/counted work >/dev/null
$PY -c "import h5py, sys; sys.exit('/trace/counters' in h5py.File('$TMP/plain.h5', 'r'))" ||
	fail "a trace without counters has /trace/counters"
$SCOPE export "$TMP/plain.h5" -f perfetto | grep -q '"ph":"C"\|"args":{"task' &&
	fail "a trace without counters has counter events"
echo "ok: no counters, none in the trace"

# 5. Perfetto: each slice's args are its deltas; per thread, a counter
# track that sums the outermost intervals' deltas, from 0, never down
$SCOPE export "$TMP/w.h5" -f perfetto -o "$TMP/w.json"
$PY - "$TMP/w.h5" "$TMP/w.json" <<'PYEOF' || fail "perfetto counters are wrong"
import sys, json, collections, h5py
f = h5py.File(sys.argv[1], "r")
iv, ct = f["/trace/intervals"][:], f["/trace/counters"][:]
doc = json.load(open(sys.argv[2]))
ev = doc["traceEvents"]
xs = [e for e in ev if e["ph"] == "X"]
assert len(xs) == len(iv)
want = collections.Counter((round(r["start_ns"] / 1000, 3), int(c[0]), int(c[1])) for r, c in zip(iv, ct))
got = collections.Counter((e["ts"], e["args"]["task-clock"], e["args"]["page-faults"]) for e in xs)
assert got == want, (got, want)
cs = [e for e in ev if e["ph"] == "C"]
top = iv["depth"] == 0
assert len(cs) == 2 * top.sum(), (len(cs), top.sum())
for tid in set(int(t) for t in iv["tid"]):
    track = sorted((e for e in cs if e["tid"] == tid), key=lambda e: e["ts"])
    assert track and track[0]["args"] == {"task-clock": 0, "page-faults": 0}, track[:1]
    assert all(e["name"] == "tid %d" % tid for e in track)
    for k, j in enumerate(("task-clock", "page-faults")):
        v = [e["args"][j] for e in track]
        assert v == sorted(v), v
        m = top & (iv["tid"] == tid)
        assert v[-1] == int(ct[m, k].sum()), (j, v[-1], ct[m, k].sum())
print("ok: %d slices with their deltas, %d counter samples" % (len(xs), len(cs)))
PYEOF

# 6. folded --weight EVENT: each stack's exclusive count, as /path_counter_self
# merged over threads has it; `all` holds the work, whose touches fault 192
touch "$TMP/go"
$SCOPE run -q --counters task-clock,page-faults -o "$TMP/n.h5" -- \
	$PROGS/counted perf "$TMP/go" >"$TMP/n.out"
$SCOPE export "$TMP/n.h5" -f folded --weight page-faults >"$TMP/n.folded"
cat "$TMP/n.folded"
expect_eq "all;touch page-faults" "$(awk '$1 == "all;touch" { print $2 }' "$TMP/n.folded")" \
	"$(truth "$TMP/n.out" touch faults)"
$PY - "$TMP/n.h5" "$TMP/n.folded" <<'PYEOF' || fail "folded weights are not the paths' counters"
import sys, collections, h5py
f = h5py.File(sys.argv[1], "r")
names = {r["id"]: r["name"].decode() for r in f["/regions"][:]}
paths = f["/paths"][:]
cols = [c.decode() if isinstance(c, bytes) else c for c in f["/path_counter_self"].attrs["columns"]]
j = cols.index("page-faults")
self_ = f["/path_counter_self"][:, j]
incl = f["/path_counter_incl"][:, j]
by = {int(p["path"]): p for p in paths}
def stack(p):
    s = [names[p["region"]]]
    while p["parent_path"]:
        p = by[int(p["parent_path"])]
        s.insert(0, names[p["region"]])
    return ";".join(s)
want = collections.Counter()
for p, v in zip(paths, self_):
    want[stack(p)] += int(v)
got = collections.Counter()
for line in open(sys.argv[2]):
    s, w = line.rsplit(" ", 1)
    got[s] += int(w)
assert got == want, (got, want)
# a flame graph's total is the outermost regions' inclusive count, which
# /counter_incl has for `all` too
top = sum(int(v) for p, v in zip(paths, incl) if p["depth"] == 0)
assert sum(got.values()) == top, (sum(got.values()), top)
st = f["/stats"][:]
alli = [i for i, r in enumerate(st) if names[r["region"]] == "all"]
assert int(f["/counter_incl"][alli[0], j]) == top
print("ok: %d stacks, %d page faults" % (len(got), top))
PYEOF

# svg --weight EVENT: frames as wide as their inclusive count; `all` is the
# one root, the whole width (1180 px), and touch its share of the faults
$SCOPE export "$TMP/n.h5" -f svg --weight page-faults -o "$TMP/n.svg"
grep -q 'width = inclusive count of page-faults' "$TMP/n.svg" || fail "the svg does not say its weight"
grep -q 'page-faults inclusive 192, exclusive 192</title>' "$TMP/n.svg" ||
	fail "touch's tooltip lacks its faults"
all=$(awk '$1 == "all;touch" || $1 == "all" || $1 ~ /^all;/ { s += $2 } END { print s }' "$TMP/n.folded")
want=$(awk -v a="$all" 'BEGIN { printf "%.2f", 1180 * 192 / a }')
got=$(sed -n '/<title>touch/,/<\/g>/p' "$TMP/n.svg" | grep -o '<rect x="[0-9.]*" y="[0-9.]*" width="[0-9.]*"' | sed 's/.*width="//; s/"//')
expect_eq "touch's width of $all faults" "$got" "$want"
rc=0
$SCOPE export "$TMP/n.h5" -f svg --weight calls 2>/dev/null || rc=$?
expect_eq "exit for svg --weight calls" $rc 2

# an event the file does not have: exit 1, naming those it has
rc=0
$SCOPE export "$TMP/n.h5" -f folded --weight cycles 2>"$TMP/err" || rc=$?
expect_eq "exit for --weight cycles" $rc 1
grep -q "no counter 'cycles'.*task-clock, page-faults" "$TMP/err" ||
	fail "the error does not list the file's counters: $(cat "$TMP/err")"
rc=0
$SCOPE export "$TMP/plain.h5" -f folded --weight page-faults 2>"$TMP/err" || rc=$?
expect_eq "exit for --weight on a file without counters" $rc 1
grep -q -- "--counters page-faults" "$TMP/err" ||
	fail "the error does not say how to count it: $(cat "$TMP/err")"
echo "ok: unknown events refused, the file's named"
