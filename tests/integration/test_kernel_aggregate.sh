#!/bin/bash
# In-kernel aggregation (the default): every region is folded into its
# thread's entries of a BPF hash and none travels as a record; the entries
# of exited threads are taken out while the command runs, so a program that
# keeps starting threads never fills the table; a full table loses nothing
# (its regions go through the ring and are counted as such).
source "$(dirname "$0")/lib.sh"

# everything aggregated in the kernel, exact counts
$SCOPE run -q -o "$TMP/k.h5" -- $PROGS/counts 2 5000 2 >/dev/null
out=$(csv "$TMP/k.h5")
expect_eq "outer" "$(sum_column "$out" outer calls)" 10000
expect_eq "rec" "$(sum_column "$out" rec calls)" 20000
expect_eq "records" "$(h5attr "$TMP/k.h5" meta records)" 60001
expect_eq "aggregated in the kernel" "$(h5attr "$TMP/k.h5" meta aggregated)" 60001
expect_eq "table full" "$(h5attr "$TMP/k.h5" meta agg_full)" 0

# 40 waves of 4 short threads, 2 regions each: 320 entries in all, in a
# table of 64; the agent takes exited threads' entries at each drain (every
# 50 ms) and the waves are 60 ms apart, so at most a few waves'
# entries (8 each) are ever in the table at once
SCOPE_BPF_AGG_ENTRIES=64 $SCOPE run -o "$TMP/c.h5" -- \
	$PROGS/churn 40 4 1000 60 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv "$TMP/c.h5")
expect_eq "work" "$(sum_column "$out" work calls)" 160000
expect_eq "step" "$(sum_column "$out" step calls)" 160000
expect_eq "threads" "$(csv_threads "$TMP/c.h5" | awk -F, '$1 == "work"' | wc -l)" 160
expect_eq "table full (exited threads released)" \
	"$(h5attr "$TMP/c.h5" meta agg_full)" 0
expect_eq "dropped" "$(h5attr "$TMP/c.h5" meta dropped)" 0

# a table of 4 entries for 3 threads x 5 regions: the rest goes through
# the ring, counts stay exact, and the agent says so
SCOPE_BPF_AGG_ENTRIES=4 $SCOPE run -o "$TMP/f.h5" -- \
	$PROGS/counts 3 2000 3 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv "$TMP/f.h5")
expect_eq "outer (full table)" "$(sum_column "$out" outer calls)" 6000
expect_eq "inner (full table)" "$(sum_column "$out" inner calls)" 12000
expect_eq "rec (full table)" "$(sum_column "$out" rec calls)" 18000
full=$(h5attr "$TMP/f.h5" meta agg_full)
agg=$(h5attr "$TMP/f.h5" meta aggregated)
[ "$full" -gt 0 ] || fail "a table of 4 entries was never full"
expect_eq "aggregated + through the ring" $((agg + full)) 42001
grep -q "$full regions went through the ring buffer" "$TMP/err" ||
	fail "the full table is not reported"
echo "ok: a full table loses nothing and is reported"

# a bad setting is refused before the run
if SCOPE_BPF_AGGREGATE=nowhere $SCOPE run -o "$TMP/x.h5" -- true 2>"$TMP/err"; then
	fail "SCOPE_BPF_AGGREGATE=nowhere accepted"
fi
grep -q "expected kernel or ring" "$TMP/err" || fail "no clear error: $(cat "$TMP/err")"
echo "ok: bad SCOPE_BPF_AGGREGATE refused"

# more call paths in a thread than it folds into its own aggregates (8, in
# task storage) before the rest go to the table directly: 3 workers of 23
# paths each (outer, inner, blockr, rec at depths 1..20); every path
# exact, and the histograms, which the threads' exits add into the table
# for the first 8, account for every call
$SCOPE run -q -o "$TMP/p.h5" -- $PROGS/counts 3 1000 20 >/dev/null
tree=$($SCOPE report --tree --format csv "$TMP/p.h5")
expect_eq "rec paths" "$(awk -F, '$1 == "rec"' <<<"$tree" | wc -l)" 20
expect_eq "rec depths 1..20, 3000 calls each" \
	"$(awk -F, '$1 == "rec" && $7 == 3000 { print $2 }' <<<"$tree" | sort -n | paste -sd' ')" \
	"$(seq -s' ' 1 20)"
expect_eq "inner under outer" "$(awk -F, '$1 == "inner" { print $2, $7 }' <<<"$tree")" "1 6000"
expect_eq "aggregated in the kernel (many paths)" \
	"$(h5attr "$TMP/p.h5" meta aggregated)" $((3 * 1000 * 24 + 1))
expect_eq "table full (many paths)" "$(h5attr "$TMP/p.h5" meta agg_full)" 0
/usr/bin/python3 - "$TMP/p.h5" <<'PY' || fail "histograms do not account for the calls"
import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    stats, hist = f["stats"][()], f["stats_hist"][()]
    assert len(stats) == 13, len(stats)  # main_region + 3 x 4 regions
    for s, h in zip(stats, hist):
        assert int(h.sum()) == int(s["calls"]), (s, h.sum())
        assert s["min_ns"] <= s["max_ns"], s
PY
echo "ok: each thread's paths beyond its own 8 are exact too"
