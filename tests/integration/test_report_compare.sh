#!/bin/bash
# report --compare of two runs of tests/progs/twospeed, the second with
# region b made 2x slower, c skipped and d added: b, and only b, is
# reported as changed (speedup ~0.5), c as vanished and d as appeared, in
# the table, the CSV and the JSON alike (issue 11, point 6).
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/old.h5" -- $PROGS/twospeed >/dev/null
$SCOPE run -q -o "$TMP/new.h5" -- $PROGS/twospeed slow no-c with-d >/dev/null
$SCOPE run -q -o "$TMP/again.h5" -- $PROGS/twospeed >/dev/null

cmp=$($SCOPE report --format csv --compare "$TMP/old.h5" "$TMP/new.h5")
echo "$cmp"
expect_eq "header" "$(head -1 <<<"$cmp")" \
	"region,status,old_calls,new_calls,calls_change,old_total_ns,new_total_ns,total_change_ns,old_mean_ns,new_mean_ns,speedup,noise_ns"
expect_eq "b" "$(column "$cmp" b status)" slower
expect_eq "a" "$(column "$cmp" a status)" within_noise
expect_eq "c" "$(column "$cmp" c status)" vanished
expect_eq "d" "$(column "$cmp" d status)" appeared
expect_eq "c: calls change" "$(column "$cmp" c calls_change)" -50
expect_eq "d: calls change" "$(column "$cmp" d calls_change)" 50
expect_eq "b: calls change" "$(column "$cmp" b calls_change)" 0
speedup=$(column "$cmp" b speedup)
awk -v s="$speedup" 'BEGIN { exit !(s > 0.4 && s < 0.6) }' ||
	fail "b: speedup $speedup, expected about 0.5"
echo "ok: b: speedup $speedup"
# by absolute change in total time: b (+100 ms) before c (-75 ms), d, a
expect_eq "order" "$(awk -F, 'NR > 1 { printf "%s ", $1 }' <<<"$cmp")" "b c d a "
expect_eq "only b changed" \
	"$(awk -F, 'NR > 1 && ($2 == "slower" || $2 == "faster") { print $1 }' <<<"$cmp")" b

# two runs of the same program: nothing changed, nothing came or went
same=$($SCOPE report --format csv --compare "$TMP/old.h5" "$TMP/again.h5")
expect_eq "same program: every region within the noise" \
	"$(awk -F, 'NR > 1 { printf "%s:%s ", $1, $2 }' <<<"$same" | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"a:within_noise b:within_noise c:within_noise "

# the table says the same
table=$($SCOPE report --compare "$TMP/old.h5" "$TMP/new.h5")
echo "$table"
grep -qE '^b .* 0\.[456][0-9]x +slower$' <<<"$table" || fail "table: b not slower"
grep -qE '^c .* vanished$' <<<"$table" || fail "table: c not vanished"
grep -qE '^d .* appeared$' <<<"$table" || fail "table: d not appeared"
echo "ok: the table"

# and the JSON, read by python
$SCOPE report --format json --compare "$TMP/old.h5" "$TMP/new.h5" >"$TMP/c.json"
python3 - "$TMP/c.json" <<'PY' || fail "compare JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format"] == "scope-bpf-report" and d["view"] == "compare", d
r = {x["region"]: x for x in d["regions"]}
assert [x["region"] for x in d["regions"]] == ["b", "c", "d", "a"], list(r)
assert r["b"]["status"] == "slower" and 0.4 < r["b"]["speedup"] < 0.6, r["b"]
assert r["a"]["status"] == "within_noise", r["a"]
assert r["c"]["status"] == "vanished" and r["c"]["new"] is None
assert r["c"]["speedup"] is None and r["c"]["calls_change"] == -50
assert r["d"]["status"] == "appeared" and r["d"]["old"] is None
assert r["b"]["old"]["calls"] == r["b"]["new"]["calls"] == 50
assert r["b"]["total_change_ns"] == r["b"]["new"]["total_ns"] - r["b"]["old"]["total_ns"]
assert d["old"]["command"].endswith("twospeed")
assert d["new"]["command"].endswith("twospeed slow no-c with-d")
print("ok: compare JSON")
PY

# --region narrows it, --top cuts it
expect_eq "--region b" "$($SCOPE report -f csv --compare --region b "$TMP/old.h5" "$TMP/new.h5" | awk -F, 'NR > 1 { print $1 }')" b
expect_eq "--top 1" "$($SCOPE report -f csv --compare --top 1 "$TMP/old.h5" "$TMP/new.h5" | wc -l)" 2
# --compare takes two files
if $SCOPE report --compare "$TMP/old.h5" 2>/dev/null; then
	fail "--compare with one file"
fi
echo "ok: --compare needs two files"
