#!/bin/bash
# scope-bpf export (docs/export.md) on the known tree of tests/progs/counts:
# folded stacks line by line against `report --tree` (every path once, a
# frame's lines summing to its inclusive time), the SVG flame graph
# rasterised by rsvg-convert (not blank, one frame per node), the tables as
# CSV and JSON, and what export refuses. Escaping and the SVG's layout:
# tests/unit/test_export.c.
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/t.h5" -- $PROGS/counts 2 1000 3 >/dev/null

# check_folded MODE: the folded stacks of --MODE against the tree's CSV:
# one line per node whose stack is the node's path of names, its weight the
# node's self time; the lines under a frame sum to its inclusive time, as
# measured (raw) and compensated (the tree's compensated inclusive time is
# its subtree's compensated self times)
check_folded() {
	local raw=() tree folded
	[ "$1" = raw ] && raw=(--raw)
	tree=$($SCOPE report --tree "${raw[@]}" -f csv "$TMP/t.h5")
	folded=$($SCOPE export "$TMP/t.h5" -f folded "${raw[@]}")
	python3 - "$1" <<PY || fail "folded ($1) does not match the tree"
import csv, io, sys
mode = sys.argv[1]
rows = list(csv.DictReader(io.StringIO("""$tree""")))
lines = [l.rsplit(" ", 1) for l in """$folded""".splitlines()]
weights = {}
for stack, w in lines:
    assert stack not in weights, "stack %s twice" % stack
    weights[stack] = int(w)
assert len(lines) == len(rows), "%d lines, %d nodes" % (len(lines), len(rows))
stack = {}
for r in rows:  # parents first
    up = stack.get(r["parent_path"])
    stack[r["path"]] = (up + ";" if up else "") + r["region"]
for r in rows:
    s = stack[r["path"]]
    assert weights[s] == int(r["self_ns"]), "%s: %d, self %s" % (s, weights[s], r["self_ns"])
    under = sum(w for k, w in weights.items() if k == s or k.startswith(s + ";"))
    want = int(r["total_ns"])
    assert under == want, "%s: lines sum to %d, want %d" % (s, under, want)
print("ok: %d folded lines (%s) match the tree" % (len(lines), mode))
PY
}
check_folded raw
check_folded compensated

out=$($SCOPE export "$TMP/t.h5" -f folded --weight calls)
echo "$out"
expect_eq "calls of outer;inner" "$(awk '$1 == "outer;inner" { print $2 }' <<<"$out")" 4000
expect_eq "calls of outer;rec;rec;rec" "$(awk '$1 == "outer;rec;rec;rec" { print $2 }' <<<"$out")" 2000
out=$($SCOPE export "$TMP/t.h5" -f folded --threads --raw)
echo "$out"
expect_eq "per-thread stacks under comm-tid" \
	"$(grep -cE '^counts-[0-9]+;(main_region|outer)(;[a-z_]+)* [0-9]+$' <<<"$out")" 13
expect_eq "threads" "$(cut -d';' -f1 <<<"$out" | sort -u | wc -l)" 3
merged=$($SCOPE export "$TMP/t.h5" -f folded --raw)
expect_eq "outer's self summed over threads" \
	"$(awk '$1 ~ /;outer$/ { s += $2 } END { print s }' <<<"$out")" \
	"$(awk '$1 == "outer" { print $2 }' <<<"$merged")"

# the SVG: one frame per node, drawn, its roots across the width
command -v rsvg-convert >/dev/null ||
	fail "rsvg-convert missing (scripts/install-deps.sh installs librsvg2-bin)"
$SCOPE export "$TMP/t.h5" -f svg --raw -o "$TMP/t.svg"
rsvg-convert -o "$TMP/t.png" "$TMP/t.svg" || fail "rsvg-convert cannot render the SVG"
read -r w h ink coloured < <(python3 tests/integration/png_ink.py "$TMP/t.png")
echo "png: ${w}x$h, $ink pixels not white, $coloured coloured"
[ "$w" -eq 1200 ] && [ "$h" -gt 50 ] || fail "PNG of ${w}x$h"
[ "$coloured" -gt $((w * 16)) ] || fail "the PNG is blank: $coloured coloured pixels"
grep -Eq '<script|href=|https?://[^"]*"[^>]*(src|href)' "$TMP/t.svg" &&
	fail "the SVG refers outside itself"
tree=$($SCOPE report --tree --raw -f csv "$TMP/t.h5")
# the heaviest path: from the heaviest root, the heaviest child each time
# (the CSV lists children largest first, after their parent)
heavy=$(awk -F, 'NR == 1 { next }
	$6 == 0 && !root { root = $5; print $1; next }
	$6 == root { print $1; root = $5 }' <<<"$tree")
echo "heaviest path: $(tr '\n' ' ' <<<"$heavy")"
[ "$(wc -l <<<"$heavy")" -ge 3 ] || fail "a heaviest path of $(wc -l <<<"$heavy") nodes"
for r in $(sort -u <<<"$heavy"); do
	expect_eq "rects of $r (one per node of the tree)" \
		"$(grep -c "^<g><title>$r\$" "$TMP/t.svg" || true)" \
		"$(awk -F, -v r="$r" '$1 == r' <<<"$tree" | wc -l)"
done
expect_eq "rects with a title" "$(grep -c '^<g><title>' "$TMP/t.svg")" \
	"$(($(wc -l <<<"$tree") - 1))"
# the frames at the bottom (the largest y) are the roots
roots=$(grep -oE '<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+"' "$TMP/t.svg" |
	awk -F'"' '{ if ($4 > y) { y = $4; s = 0 } if ($4 == y) s += $6 } END { print int(s + 0.5) }')
expect_eq "the roots' widths" "$roots" 1180

# CSV and JSON: every table, with units
json=$($SCOPE export "$TMP/t.h5" -f json)
python3 - <<PY || fail "the JSON tables"
import json
t = json.loads('''$json''')["tables"]
for name in ("regions", "threads", "stats", "paths", "tree", "counters", "meta", "columns"):
    assert name in t, name
assert len(t["threads"]["rows"]) == 3
assert len(t["tree"]["rows"]) == 7
unit = {c["name"]: c["unit"] for c in t["stats"]["columns"]}
assert unit["total_ns"] == "ns" and unit["calls"] == "count", unit
calls = {}
for r in t["stats"]["rows"]:
    calls[r["region"]] = calls.get(r["region"], 0) + r["calls"]
assert calls == {"main_region": 1, "outer": 2000, "inner": 4000, "rec": 6000, "blockr": 2000}, calls
print("ok: JSON tables, units and calls")
PY
csv=$($SCOPE export "$TMP/t.h5" -f csv)
expect_eq "CSV tables in the stream" "$(grep -c '^# table: ' <<<"$csv")" 8
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/tables"
expect_eq "CSV files" "$(ls "$TMP/tables" | tr '\n' ' ')" \
	"columns.csv counters.csv meta.csv paths.csv regions.csv stats.csv threads.csv tree.csv "
expect_eq "tree.csv rows" "$(($(wc -l <"$TMP/tables/tree.csv") - 1))" 7
grep -qx 'stats,total_ns,ns' "$TMP/tables/columns.csv" || fail "no unit of stats.total_ns"
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/tables" || fail "csv into its own directory again"

# counters: two columns each in stats and in paths, in their units
$SCOPE run -q --counters task-clock,page-faults -o "$TMP/c.h5" -- $PROGS/counts 2 10 1 >/dev/null
cols=$($SCOPE export "$TMP/c.h5" -f csv | sed -n '/^# table: columns/,$p')
for c in stats,task-clock,ns stats,task-clock_self,ns stats,page-faults,count \
	paths,task-clock,ns paths,page-faults_self,count; do
	grep -qx "$c" <<<"$cols" || fail "no column $c"
done
$SCOPE export "$TMP/t.h5" -f csv | sed -n '/^# table: columns/,$p' | grep -q '^paths,task-clock' &&
	fail "paths of a profile without counters claim some"
echo "ok: counters' columns and units"

# outputs: a regular file replaced, anything else refused, stdout by -
echo old >"$TMP/out.folded"
$SCOPE export "$TMP/t.h5" -f folded -o "$TMP/out.folded"
grep -q '^outer;inner ' "$TMP/out.folded" || fail "-o did not replace a regular file"
expect_eq "- is stdout" "$($SCOPE export "$TMP/t.h5" -f folded -o - | wc -l)" 7
mkfifo "$TMP/fifo"
rc=0
$SCOPE export "$TMP/t.h5" -f svg -o "$TMP/fifo" 2>"$TMP/err" || rc=$?
expect_eq "exit for a FIFO as OUT" $rc 1
grep -q 'no regular file' "$TMP/err" || fail "no reason for the FIFO: $(cat "$TMP/err")"
rc=0
$SCOPE export "$TMP/t.h5" -f folded -o "$TMP/t.h5" 2>/dev/null || rc=$?
expect_eq "exit for the profile as OUT" $rc 1
h5dump -H "$TMP/t.h5" >/dev/null || fail "the profile was overwritten"
rc=0
$SCOPE export "$TMP/t.h5" -f csv -o "$TMP/out.folded" 2>/dev/null || rc=$?
expect_eq "exit for a file as the CSV directory" $rc 1
ls "$TMP" | grep -q '\.tmp\.' && fail "a temporary file was left"

# exit codes: 1 for a bad file, 2 for usage (perfetto and otf2:
# test_export_perfetto.sh, test_export_otf2.sh)
echo "no profile" >"$TMP/bad.h5"
rc=0
$SCOPE export "$TMP/bad.h5" -f folded >/dev/null 2>&1 || rc=$?
expect_eq "exit for a file that is no profile" $rc 1
for args in "-f folded" "$TMP/t.h5" "$TMP/t.h5 -f png" "$TMP/t.h5 -f svg --threads" \
	"$TMP/t.h5 -f json --raw" "$TMP/t.h5 -f folded --weight="; do
	rc=0
	# shellcheck disable=SC2086
	$SCOPE export $args >/dev/null 2>&1 || rc=$?
	expect_eq "exit for: export $args" $rc 2
done
$SCOPE export --help | grep -q 'flamegraph.pl' || fail "--help has no examples"
echo "ok: outputs, refusals and exit codes"
