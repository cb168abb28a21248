# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Shared by the tests of Python regions (sourced after lib.sh): the known
# counts program tests/progs/python/counts.py and the checks of its profile.
PY=/usr/bin/python3
PROG=$PWD/tests/progs/python/counts.py
export PYTHONPATH=$PWD/$OUTPUT/python PYMARKED_DIR=$PROGS
N=300 T=4 SLEEP_MS=50
[ -f "$PYMARKED_DIR/pymarked.so" ] || fail "no $PYMARKED_DIR/pymarked.so: make test-progs"

# facts FILE: one "name value" line per fact the checks below compare,
# read with h5py (not with scope-bpf)
facts() {
	$PY - "$1" <<'PY'
import sys, collections
import h5py
f = h5py.File(sys.argv[1], "r")
dec = lambda b: b.decode() if isinstance(b, bytes) else b
names = {int(r["id"]): dec(r["name"]) for r in f["regions"][:]}
for r in f["regions"][:]:
    print("where", dec(r["name"]), "%s:%d" % (dec(r["file"]), r["line"]))
per_thread = collections.defaultdict(dict)
for s in f["stats"][:]:
    per_thread[int(s["tid"])][names[int(s["region"])]] = s
for tid, regs in per_thread.items():
    for name, s in sorted(regs.items()):
        print("calls", tid, name, int(s["calls"]))
        if name == "py.sleep":
            print("sleep_min", int(s["min_ns"]))
            print("sleep_max", int(s["max_ns"]))
paths = f["paths"][:]
by_path = {(int(p["tid"]), int(p["path"])): p for p in paths}
edges = collections.Counter()
for p in paths:
    parent = by_path.get((int(p["tid"]), int(p["parent_path"])))
    pname = names[int(parent["region"])] if parent is not None else "-"
    edges[(pname, names[int(p["region"])], int(p["depth"]))] += int(p["calls"])
for (pname, name, depth), calls in sorted(edges.items()):
    print("edge", pname, name, depth, calls)
for a in ("unmatched_end", "abandoned", "unfinished", "depth_overflow",
          "dropped", "open_at_detach", "no_storage"):
    print("loss", a, int(f["meta"].attrs[a]))
PY
}

# check FILE WHAT: the counts, the nesting, the sleeps, the locations
check() {
	local f=$1 what=$2 facts tids main workers per w n=$N
	facts=$(facts "$f") || fail "$what: h5py cannot read $f"
	awk '$1 == "loss" && $3 != 0 { print; bad = 1 } END { exit bad }' <<<"$facts" ||
		fail "$what: losses: $(grep '^loss' <<<"$facts" | tr '\n' ' ')"
	echo "ok: $what: no loss of any kind"
	# the main thread has py.main; the workers have py.outer
	main=$(awk '$1 == "calls" && $3 == "py.main" { print $2 }' <<<"$facts")
	expect_eq "$what: py.main calls (main thread)" \
		"$(awk -v t="$main" '$1 == "calls" && $2 == t && $3 == "py.main" { print $4 }' <<<"$facts")" 1
	expect_eq "$what: py.sleep calls (main thread)" \
		"$(awk -v t="$main" '$1 == "calls" && $2 == t && $3 == "py.sleep" { print $4 }' <<<"$facts")" 3
	expect_eq "$what: coroutine resumptions (main thread)" \
		"$(awk -v t="$main" '$1 == "calls" && $2 == t && $3 == "__main__.coro" { print $4 }' <<<"$facts")" 15
	workers=$(awk '$1 == "calls" && $3 == "py.outer" { print $2 }' <<<"$facts" | sort -u)
	expect_eq "$what: worker threads" "$(wc -l <<<"$workers")" $T
	for w in $workers; do
		per=$(awk -v t="$w" '$1 == "calls" && $2 == t { print $3 "=" $4 }' <<<"$facts" | LC_ALL=C sort | tr '\n' ' ')
		expect_eq "$what: thread $w" "$per" \
"__main__.gen=$((4 * n)) __main__.leaf=$((2 * n)) __main__.rec=$((4 * n)) cwork=$n py.be=$n py.brk=$((3 * n)) py.cwork=$n py.early=$n py.inner=$n py.outer=$n py.raises=$n "
	done
	# nesting, merged over threads: parent, child, depth, calls
	edges=$(awk '$1 == "edge" { print $2, $3, $4, $5 }' <<<"$facts")
	expect_eq "$what: nesting" "$edges" "- __main__.coro 0 15
- __main__.gen 0 $((4 * n * T))
- __main__.rec 0 $((n * T))
- py.be 0 $((n * T))
- py.brk 0 $((3 * n * T))
- py.cwork 0 $((n * T))
- py.early 0 $((n * T))
- py.main 0 1
- py.outer 0 $((n * T))
- py.raises 0 $((n * T))
- py.sleep 0 3
__main__.rec __main__.rec 1 $((n * T))
__main__.rec __main__.rec 2 $((n * T))
__main__.rec __main__.rec 3 $((n * T))
py.cwork cwork 1 $((n * T))
py.inner __main__.leaf 2 $((2 * n * T))
py.outer py.inner 1 $((n * T))"
	# time.sleep(50 ms): at least that, and not far above on a busy host
	expect_between "$what: py.sleep min (ms)" \
		$(($(awk '$1 == "sleep_min" { print $2 }' <<<"$facts") / 1000000)) $SLEEP_MS $((SLEEP_MS + 100))
	expect_between "$what: py.sleep max (ms)" \
		$(($(awk '$1 == "sleep_max" { print $2 }' <<<"$facts") / 1000000)) $SLEEP_MS $((SLEEP_MS + 250))
	# the Python call site of each region: the decorated function's first
	# line (its decorator), the with statement, the begin() call
	check_where "$facts" "$what" __main__.leaf '^def leaf' -1
	check_where "$facts" "$what" py.outer '^@scope_bpf.profile("py.outer")' 0
	check_where "$facts" "$what" py.inner 'with scope_bpf.region("py.inner")' 0
	check_where "$facts" "$what" py.be 'scope_bpf.begin("py.be")' 0
	check_where "$facts" "$what" __main__.gen '^def gen' -1
	expect_eq "$what: cwork's location (its C marker)" \
		"$(awk '$1 == "where" && $2 == "cwork" { sub(/.*\//, "", $3); print $3 }' <<<"$facts")" \
		"pymarked.c:$(grep -n 'SCOPE_BPF_BEGIN(cwork)' tests/progs/python/pymarked.c | cut -d: -f1)"
}

# check_where FACTS WHAT REGION PATTERN OFFSET: REGION's location is $PROG
# at the first line matching PATTERN, plus OFFSET
check_where() {
	local line
	line=$(($(grep -n -m1 -- "$4" "$PROG" | cut -d: -f1) + $5))
	expect_eq "$2: $3's location" \
		"$(awk -v r="$3" '$1 == "where" && $2 == r { print $3 }' <<<"$1")" "$PROG:$line"
}

