#!/bin/bash
# scope-bpf export --format otf2 (docs/export.md) on traces of
# tests/progs/counts, read back with otf2-print (Debian's otf2-tools): per
# thread a location, grouped in its process, named comm-tid; per region and
# thread exactly the program's calls as enters and as leaves, each leave
# closing the region entered last (nesting balanced), in time order; the
# clock's properties; a trace whose outermost regions were left out
# (--trace-regions) nested all the same; refusals and exit codes.
source "$(dirname "$0")/lib.sh"

command -v otf2-print >/dev/null ||
	fail "otf2-print missing (scripts/install-deps.sh installs otf2-tools)"
$SCOPE export --help | grep -q otf2 || fail "export --help does not name otf2"

$SCOPE run --trace -q -o "$TMP/t.h5" -- $PROGS/counts 2 200 2 >/dev/null
rc=0
$SCOPE export "$TMP/t.h5" --format otf2 -o "$TMP/otf2" 2>"$TMP/err" || rc=$?
if [ $rc -ne 0 ] && grep -q "built without OTF2" "$TMP/err"; then
	grep -q libopen-trace-format2-dev "$TMP/err" || fail "no package named: $(cat "$TMP/err")"
	fail "this scope-bpf was built without OTF2, although otf2-tools is installed"
fi
expect_eq "exit of export --format otf2" $rc 0
[ -f "$TMP/otf2/traces.otf2" ] || fail "no traces.otf2 in the archive: $(ls -R "$TMP/otf2")"
ls "$TMP" | grep -q '\.tmp\.' && fail "a temporary directory was left"
otf2-print -Werror --silent "$TMP/otf2/traces.otf2" >/dev/null 2>"$TMP/err" ||
	fail "otf2-print does not validate the archive: $(cat "$TMP/err")"
otf2-print "$TMP/otf2/traces.otf2" >"$TMP/events"
otf2-print -G "$TMP/otf2/traces.otf2" >"$TMP/defs"
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/csv"
pid=$(h5attr "$TMP/t.h5" /meta pid)

# check EVENTS DEFS STATS_CSV PID EXPECT: EXPECT is "main" for the whole
# program (main_region once in the main thread; each worker outer 200,
# inner 400, rec 400, blockr 200) or "filtered" (inner and rec only)
check() {
	/usr/bin/python3 - "$@" <<'PY'
import collections, csv, re, sys

events, defs, stats, pid, expect = sys.argv[1:]
pid = int(pid)

locs, groups = {}, {}
clock = None
for line in open(defs):
    m = re.match(r'LOCATION\s+(\d+)\s+Name: "([^"]*)" <\d+>, Type: CPU_THREAD, '
                 r'# Events: (\d+), Group: "([^"]*)"', line)
    if m:
        locs[int(m[1])] = (m[2], int(m[3]), m[4])
    m = re.match(r'LOCATION_GROUP\s+(\d+)\s+Name: "([^"]*)" <\d+>, Type: PROCESS', line)
    if m:
        groups[int(m[1])] = m[2]
    m = re.match(r'CLOCK_PROPERTIES\s+Ticks per Seconds: (\d+), Global Offset: (\d+), Length: (\d+)', line)
    if m:
        clock = tuple(map(int, m.groups()))
assert clock and clock[0] == 10**9, "clock: %s" % (clock,)
assert list(groups.values()) == ["counts-%d" % pid], "groups %s" % groups

enters = collections.Counter()
leaves = collections.Counter()
stack = collections.defaultdict(list)
last = {}
nevents = collections.Counter()
deepest = 0
times = []
for line in open(events):
    m = re.match(r'(ENTER|LEAVE)\s+(\d+)\s+(\d+)\s+Region: "([^"]*)"', line)
    if not m:
        assert not re.match(r'[A-Z_]+\s+\d+\s+\d+', line), "other event: " + line
        continue
    kind, loc, ts, name = m[1], int(m[2]), int(m[3]), m[4]
    assert ts >= last.get(loc, 0), "location %d goes back in time at %s" % (loc, line)
    last[loc] = ts
    times.append(ts)
    nevents[loc] += 1
    if kind == "ENTER":
        enters[(loc, name)] += 1
        stack[loc].append(name)
        deepest = max(deepest, len(stack[loc]))
    else:
        leaves[(loc, name)] += 1
        assert stack[loc] and stack[loc][-1] == name, \
            "location %d leaves %s, open: %s" % (loc, name, stack[loc])
        stack[loc].pop()
assert not any(stack.values()), "regions never left: %s" % dict(stack)
assert enters == leaves, "enters %s, leaves %s" % (enters, leaves)
assert clock[1] == min(times) and clock[1] + clock[2] == max(times), \
    "clock %s, events from %d to %d" % (clock, min(times), max(times))

# locations: counts-TID, all in the process's group, each with its events
tid = {}
for loc, (name, n, group) in locs.items():
    assert group == "counts-%d" % pid, "location %s in group %s" % (name, group)
    assert re.fullmatch(r'counts-\d+', name), "location name " + name
    assert n == nevents[loc], "%s: %d events said, %d written" % (name, n, nevents[loc])
    tid[loc] = int(name.split("-")[1])
assert set(locs) == set(nevents), "locations %s, with events %s" % (set(locs), set(nevents))

per_thread = collections.defaultdict(dict)
for (loc, name), n in enters.items():
    per_thread[tid[loc]][name] = n
workers = {t: r for t, r in per_thread.items() if t != pid}
if expect == "main":
    assert per_thread[pid] == {"main_region": 1}, "main thread: %s" % per_thread[pid]
    assert deepest == 3, "deepest nesting %d, not outer > rec > rec" % deepest
    want = {"outer": 200, "inner": 400, "rec": 400, "blockr": 200}
else:
    assert pid not in per_thread, "main thread: %s" % per_thread[pid]
    assert deepest == 2, "deepest nesting %d, not rec > rec" % deepest
    want = {"inner": 400, "rec": 400}
assert len(workers) == 2, "worker threads: %s" % workers
for t, regions in workers.items():
    assert regions == want, "thread %d: %s" % (t, regions)

# the same calls per thread and region as the profile's stats
calls = collections.defaultdict(dict)
for r in csv.DictReader(open(stats)):
    if int(r["calls"]) and (expect == "main" or r["region"] in want):
        calls[int(r["tid"])][r["region"]] = int(r["calls"])
assert calls == per_thread, "stats %s, otf2 %s" % (dict(calls), dict(per_thread))
print("ok (%s): %d locations, %d enters = leaves, nested up to %d, names and clock"
      % (expect, len(locs), sum(enters.values()), deepest))
PY
}
check "$TMP/events" "$TMP/defs" "$TMP/csv/stats.csv" "$pid" main ||
	fail "the OTF2 archive does not hold the trace"

# the outermost regions left out of the trace: rec and inner still nest
$SCOPE run --trace --trace-regions 'inner,rec' -q -o "$TMP/f.h5" -- \
	$PROGS/counts 2 200 2 >/dev/null
$SCOPE export "$TMP/f.h5" -f otf2 -o "$TMP/f-otf2" || fail "export of a filtered trace"
otf2-print "$TMP/f-otf2/traces.otf2" >"$TMP/f-events"
otf2-print -G "$TMP/f-otf2/traces.otf2" >"$TMP/f-defs"
$SCOPE export "$TMP/f.h5" -f csv -o "$TMP/f-csv"
check "$TMP/f-events" "$TMP/f-defs" "$TMP/f-csv/stats.csv" \
	"$(h5attr "$TMP/f.h5" /meta pid)" filtered ||
	fail "the OTF2 archive of a filtered trace is wrong"

# a longer trace (bench/trace_write's synthetic one): each writer's chunks
# flushed again and again (2 of 256 KiB each), every event in the archive
$OUTPUT/bench/trace_write "$TMP/s.h5" 300000 >/dev/null || fail "no synthetic trace"
$SCOPE export "$TMP/s.h5" -f otf2 -o "$TMP/s-otf2" 2>"$TMP/err" ||
	fail "export of a synthetic trace: $(cat "$TMP/err")"
otf2-print -Werror --silent "$TMP/s-otf2/traces.otf2" >/dev/null 2>"$TMP/err" ||
	fail "otf2-print does not validate the synthetic archive: $(cat "$TMP/err")"
expect_eq "events of 300000 intervals, per location's definition" \
	"$(otf2-print -G "$TMP/s-otf2/traces.otf2" | grep -oE '# Events: [0-9]+' |
		awk '{ s += $3 } END { print s }')" 600000
expect_eq "events of 300000 intervals, read back" \
	"$(otf2-print "$TMP/s-otf2/traces.otf2" | grep -cE '^(ENTER|LEAVE) ')" 600000
[ "$(du -sk "$TMP/s-otf2/traces" | cut -f1)" -gt 1024 ] || fail "too small to have flushed"

# an empty directory is taken; a full one, a file, stdout and no -o are not
mkdir "$TMP/empty"
$SCOPE export "$TMP/t.h5" -f otf2 -o "$TMP/empty" || fail "an empty directory refused"
[ -f "$TMP/empty/traces.otf2" ] || fail "nothing written into the empty directory"
rc=0
$SCOPE export "$TMP/t.h5" -f otf2 -o "$TMP/otf2" 2>"$TMP/err" || rc=$?
expect_eq "exit for a directory that is not empty" $rc 1
grep -q "not empty" "$TMP/err" || fail "no reason for the refusal: $(cat "$TMP/err")"
otf2-print --silent "$TMP/otf2/traces.otf2" >/dev/null || fail "the archive there was damaged"
echo x >"$TMP/file"
rc=0
$SCOPE export "$TMP/t.h5" -f otf2 -o "$TMP/file" 2>/dev/null || rc=$?
expect_eq "exit for a file as OUT" $rc 1
expect_eq "the file left as it was" "$(cat "$TMP/file")" x
for out in "" "-o -"; do
	rc=0
	# shellcheck disable=SC2086
	$SCOPE export "$TMP/t.h5" -f otf2 $out >/dev/null 2>"$TMP/err" || rc=$?
	expect_eq "exit for otf2 with '$out'" $rc 2
	grep -q -- "-o DIR" "$TMP/err" || fail "no hint at -o DIR: $(cat "$TMP/err")"
done

# a plain profile: exit 1, pointing at --trace, nothing left behind
$SCOPE run -q -o "$TMP/p.h5" -- $PROGS/counts 1 10 1 >/dev/null
rc=0
$SCOPE export "$TMP/p.h5" -f otf2 -o "$TMP/p-otf2" 2>"$TMP/err" || rc=$?
expect_eq "exit of otf2 on a plain profile" $rc 1
grep -q -- "--trace" "$TMP/err" || fail "the error does not say --trace: $(cat "$TMP/err")"
[ ! -e "$TMP/p-otf2" ] || fail "a failed export left $TMP/p-otf2"
ls "$TMP" | grep -q '\.tmp\.' && fail "a failed export left a temporary directory"
echo "ok: refusals and exit codes"
