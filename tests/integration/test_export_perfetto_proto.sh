#!/bin/bash
# scope-bpf export --format perfetto-proto (docs/export.md) on a trace of
# tests/progs/counts, decoded by protoc (Debian's protobuf-compiler) with
# userspace/export/perfetto_trace.proto, whose field numbers are Perfetto's:
# the region names interned in the first packet, which clears the
# sequence's state; a process track and a named thread track per thread;
# per thread and region as many slices begun and ended as the profile's
# calls, each end closing the slice begun last on its track, in time order;
# stdout and -o alike; a plain profile refused, exit 1.
source "$(dirname "$0")/lib.sh"

command -v protoc >/dev/null ||
	fail "protoc missing (scripts/install-deps.sh installs protobuf-compiler)"
$SCOPE run --trace -q -o "$TMP/t.h5" -- $PROGS/counts 2 200 2 >/dev/null
rc=0
$SCOPE export "$TMP/t.h5" -f perfetto-proto -o "$TMP/t.pftrace" 2>"$TMP/err" || rc=$?
if [ $rc -ne 0 ] && grep -q "built without protobuf-c" "$TMP/err"; then
	grep -q "libprotobuf-c-dev" "$TMP/err" || fail "no package named: $(cat "$TMP/err")"
	fail "this scope-bpf was built without protobuf-c, although protoc is installed"
fi
expect_eq "exit of export --format perfetto-proto" $rc 0
protoc --decode=perfetto.protos.Trace --proto_path=userspace/export \
	perfetto_trace.proto <"$TMP/t.pftrace" >"$TMP/t.txt" ||
	fail "protoc cannot decode the export"
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/csv"

/usr/bin/python3 - "$TMP/t.txt" "$TMP/csv/stats.csv" "$(h5attr "$TMP/t.h5" /meta pid)" <<'PY' ||
import collections, csv, re, sys

# protoc's text format: "name {" opens a message, "}" closes it
packets, stack = [], []
for line in open(sys.argv[1]):
    line = line.strip()
    if line.endswith("{"):
        node = {"_": line[:-1].strip(), "kids": []}
        (stack[-1]["kids"] if stack else packets).append(node)
        stack.append(node)
    elif line == "}":
        stack.pop()
    elif line:
        k, v = line.split(":", 1)
        stack[-1].setdefault(k.strip(), []).append(v.strip().strip('"'))
assert not stack, "unbalanced text"
kid = lambda n, name: [k for k in n["kids"] if k["_"] == name]
one = lambda n, key: n.get(key, [None])[0]

first = packets[0]
assert one(first, "sequence_flags") == "1", first
names = {one(e, "iid"): one(e, "name") for e in kid(kid(first, "interned_data")[0], "event_names")}
assert "outer" in names.values() and "main_region" in names.values(), names

pid = sys.argv[3]
tracks, events = {}, collections.defaultdict(list)
for p in packets[1:]:
    assert one(p, "trusted_packet_sequence_id") == "1", p
    for d in kid(p, "track_descriptor"):
        for pr in kid(d, "process"):
            assert one(pr, "pid") == pid and one(pr, "process_name") == "counts", pr
            tracks[one(d, "uuid")] = "process"
        for th in kid(d, "thread"):
            assert one(th, "pid") == pid and one(th, "thread_name") == "counts", th
            assert tracks.get(one(d, "parent_uuid")) == "process", d
            tracks[one(d, "uuid")] = one(th, "tid")
    for e in kid(p, "track_event"):
        assert one(p, "sequence_flags") == "2", p
        uuid = one(e, "track_uuid")
        assert uuid in tracks and tracks[uuid] != "process", "event before its track: %s" % e
        events[uuid].append((int(one(p, "timestamp")), one(e, "type"), names.get(one(e, "name_iid"))))

got = collections.Counter()
for uuid, evs in events.items():
    open_, last = [], 0
    for ts, kind, name in evs:
        assert ts >= last, "track %s goes back in time" % uuid
        last = ts
        if kind == "TYPE_SLICE_BEGIN":
            assert name, "a slice without a name"
            open_.append(name)
            got[(tracks[uuid], name)] += 1
        else:
            assert kind == "TYPE_SLICE_END" and open_, (kind, open_)
            open_.pop()
    assert not open_, "slices never ended on %s: %s" % (uuid, open_)
calls = collections.Counter()
for r in csv.DictReader(open(sys.argv[2])):
    calls[(r["tid"], r["region"])] += int(r["calls"])
assert got == +calls, "slices %s, calls %s" % (dict(got), dict(+calls))
assert got[(pid, "main_region")] == 1 and sum(got.values()) == 2401, dict(got)
print("ok: %d slices on %d thread tracks, nested, named, as many as the calls"
      % (sum(got.values()), len(events)))
PY
	fail "the protobuf export is wrong"

$SCOPE export "$TMP/t.h5" -f perfetto-proto | cmp -s - "$TMP/t.pftrace" ||
	fail "perfetto-proto to stdout differs from -o"
echo "ok: stdout and -o agree"

$SCOPE run -q -o "$TMP/p.h5" -- $PROGS/counts 1 10 1 >/dev/null
rc=0
$SCOPE export "$TMP/p.h5" -f perfetto-proto -o "$TMP/p.pftrace" 2>"$TMP/err" || rc=$?
expect_eq "exit of perfetto-proto on a plain profile" $rc 1
grep -q -- "--trace" "$TMP/err" || fail "the error does not say --trace: $(cat "$TMP/err")"
[ ! -e "$TMP/p.pftrace" ] || fail "a failed export left $TMP/p.pftrace"
echo "ok: a plain profile refused"
