#!/bin/bash
# The report's views on a real profile: --format json for the summary,
# --threads, --meta and --percentiles read by python and equal to the CSV;
# --sort, --top, --region and --thread in the table, CSV and JSON alike
# (issue 11, point 7).
source "$(dirname "$0")/lib.sh"

F=$TMP/v.h5
$SCOPE run -q -o "$F" -- $PROGS/counts 2 10 2 >/dev/null
$SCOPE run -q -o "$TMP/t.h5" -- $PROGS/twospeed >/dev/null

# every view is one valid JSON document
for opts in "" "--threads" "--meta" "--percentiles" "--threads --meta --percentiles" \
	"--sort calls --top 2" "--region in* --thread counts"; do
	# shellcheck disable=SC2086
	$SCOPE report --format json $opts "$F" | python3 -m json.tool >/dev/null ||
		fail "report --format json $opts is no JSON"
	echo "ok: --format json $opts parses"
done

# the JSON's numbers are the CSV's
$SCOPE report -f csv --percentiles "$F" >"$TMP/s.csv"
$SCOPE report -f json --percentiles "$F" >"$TMP/s.json"
$SCOPE report -f csv --threads --percentiles "$F" >"$TMP/t.csv"
$SCOPE report -f json --threads --percentiles --meta "$F" >"$TMP/t.json"
python3 - "$TMP" <<'PY' || fail "JSON against CSV"
import csv, json, sys
t = sys.argv[1]
s = json.load(open(t + "/s.json"))
assert s["format"] == "scope-bpf-report" and s["version"] == 1
assert s["view"] == "summary" and s["units"]["*_ns"] == "ns"
rows = list(csv.DictReader(open(t + "/s.csv")))
assert [r["region"] for r in rows] == [r["region"] for r in s["regions"]]
for c, j in zip(rows, s["regions"]):
    for k, v in c.items():
        assert str(j[k]) == v, (k, j[k], v)
byname = {r["region"]: r for r in s["regions"]}
assert byname["inner"]["calls"] == 40 and byname["outer"]["threads"] == 2
assert s["run"]["wall_ns"] > 0 and s["run"]["losses"]["dropped"] == 0
th = json.load(open(t + "/t.json"))
assert th["view"] == "threads" and th["meta"]["pid"] == th["run"]["pid"]
flat = {(r["region"], str(x["tid"])): (x, r) for x in th["threads"] for r in x["regions"]}
rows = list(csv.DictReader(open(t + "/t.csv")))
assert len(rows) == len(flat), (len(rows), len(flat))
for c in rows:
    x, r = flat[(c["region"], c["tid"])]
    assert str(x["pid"]) == c["pid"] and x["comm"] == c["comm"]
    for k in ("calls", "total_ns", "p50_ns", "p90_ns", "p99_ns", "mean_comp_ns"):
        assert str(r[k]) == c[k], (k, r[k], c[k])
print("ok: the JSON holds the CSV's rows and numbers")
PY

# percentiles of twospeed's regions: durations spread over [0.5, 1.5) of
# 1, 2 and 1.5 ms, so p50 near the middle, p99 <= max, p50 <= p90 <= p99
pct=$($SCOPE report -f csv --percentiles "$TMP/t.h5")
echo "$pct"
for r in a:1000000 b:2000000 c:1500000; do
	name=${r%%:*} mid=${r#*:}
	p50=$(column "$pct" "$name" p50_ns) p90=$(column "$pct" "$name" p90_ns)
	p99=$(column "$pct" "$name" p99_ns) max=$(column "$pct" "$name" max_ns)
	expect_between "$name: p50" "$p50" $((mid * 7 / 10)) $((mid * 13 / 10))
	[ "$p50" -le "$p90" ] && [ "$p90" -le "$p99" ] && [ "$p99" -le "$max" ] ||
		fail "$name: p50 $p50, p90 $p90, p99 $p99, max $max out of order"
done
grep -q 'p50 .* p90 .* p99' <<<"$($SCOPE report --percentiles "$TMP/t.h5")" ||
	fail "the table has no percentile columns"
echo "ok: percentile columns in the table"

# --sort and --top
expect_eq "--sort calls" "$($SCOPE report -f csv --sort calls "$F" | awk -F, 'NR > 1 { print $3 }' | paste -sd' ')" \
	"$($SCOPE report -f csv "$F" | awk -F, 'NR > 1 { print $3 }' | sort -rn | paste -sd' ')"
expect_eq "--sort name" "$($SCOPE report -f csv --sort name "$F" | awk -F, 'NR > 1 { print $1 }' | paste -sd' ')" \
	"blockr inner main_region outer rec"
expect_eq "--sort mean" "$($SCOPE report -f csv --sort mean "$TMP/t.h5" | awk -F, 'NR > 1 { print $1 }' | paste -sd' ')" "b c a"
expect_eq "--top 2" "$($SCOPE report -f csv --top 2 "$F" | wc -l)" 3
expect_eq "--top 1 --threads: one row per thread" \
	"$($SCOPE report -f csv --threads --top 1 "$F" | awk 'NR > 1' | wc -l)" 3
table=$($SCOPE report --top 1 --sort name "$F")
grep -qE '^blockr\*? ' <<<"$table" && ! grep -qE '^inner\*? ' <<<"$table" ||
	fail "table: --top 1 --sort name"
echo "ok: the table is sorted and cut"
if $SCOPE report --sort nosuch "$F" 2>"$TMP/err"; then
	fail "--sort nosuch accepted"
fi
grep -q "no column 'nosuch'" "$TMP/err" || fail "--sort nosuch: $(cat "$TMP/err")"
echo "ok: an unknown --sort column is refused"

# --region: globs, repeatable
expect_eq "--region 'in*' --region rec" \
	"$($SCOPE report -f csv --sort name --region 'in*' --region rec "$F" | awk -F, 'NR > 1 { print $1 }' | paste -sd' ')" \
	"inner rec"
# --thread: a tid keeps that thread's rows only, in the sums too
per=$($SCOPE report -f csv --threads "$F")
tid=$(column "$per" inner tid | head -1)
one=$($SCOPE report -f csv --thread "$tid" "$F")
expect_eq "--thread $tid: inner calls" "$(column "$one" inner calls)" 20
expect_eq "--thread $tid: no main_region" "$(column "$one" main_region calls)" ""
expect_eq "--thread $tid --threads: one thread" \
	"$($SCOPE report -f csv --threads --thread "$tid" "$F" | awk -F, 'NR > 1 { print $2 }' | sort -u)" "$tid"
comm=$(column "$per" inner comm | head -1)
expect_eq "--thread $comm (a name): every thread of that name" \
	"$(column "$($SCOPE report -f csv --thread "$comm" "$F")" inner calls)" \
	"$(sum_column "$per" inner calls)"
expect_eq "--thread nosuch: no rows" "$($SCOPE report -f csv --thread nosuch "$F" | wc -l)" 1
