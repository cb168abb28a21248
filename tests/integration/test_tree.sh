#!/bin/bash
# The call tree from the call-path aggregates: exact calls per path, each
# path under its parent, times that add up (a parent's inclusive time is its
# exclusive time plus its children's inclusive times, as measured), --depth
# and --min-percent (a file without call paths: tests/unit/test_tree.c).
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/t.h5" -- $PROGS/counts 2 1000 3 >/dev/null
tree=$($SCOPE report --tree --raw -f csv "$TMP/t.h5")
echo "$tree"
# node REGION DEPTH FIELD: a field of the merged tree's node
node() {
	awk -F, -v r="$1" -v d="$2" -v f="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == r && $2 == d { print $c[f] }' <<<"$tree"
}
expect_eq "nodes" "$(($(wc -l <<<"$tree") - 1))" 7
expect_eq "main_region calls" "$(node main_region 0 calls)" 1
expect_eq "outer calls (a root of each worker)" "$(node outer 0 calls)" 2000
expect_eq "inner under outer" "$(node inner 1 parent_path)" "$(node outer 0 path)"
expect_eq "inner calls" "$(node inner 1 calls)" 4000
expect_eq "blockr under outer" "$(node blockr 1 parent_path)" "$(node outer 0 path)"
expect_eq "rec under outer" "$(node rec 1 parent_path)" "$(node outer 0 path)"
expect_eq "rec under rec" "$(node rec 2 parent_path)" "$(node rec 1 path)"
expect_eq "rec under rec under rec" "$(node rec 3 parent_path)" "$(node rec 2 path)"
expect_eq "rec calls at each depth" "$(node rec 1 calls) $(node rec 2 calls) $(node rec 3 calls)" \
	"2000 2000 2000"
# measured times add up exactly: self is the duration less the children's
children=$(($(node inner 1 total_ns) + $(node blockr 1 total_ns) + $(node rec 1 total_ns)))
expect_eq "outer total = self + children's totals" "$(node outer 0 total_ns)" \
	$(($(node outer 0 self_ns) + children))
expect_eq "rec total = self + rec below" "$(node rec 1 total_ns)" \
	$(($(node rec 1 self_ns) + $(node rec 2 total_ns)))

# per thread: one outer tree per worker, same shape
threads=$($SCOPE report --tree --threads -f csv "$TMP/t.h5")
expect_eq "outer roots per thread" "$(awk -F, '$1 == "outer" && $2 == 0' <<<"$threads" | wc -l)" 2
expect_eq "per-thread outer calls" \
	"$(awk -F, '$1 == "outer" && $2 == 0 { print $7 }' <<<"$threads" | sort -u)" 1000

# the table: indented by depth, cut by --depth and --min-percent
out=$($SCOPE report --tree "$TMP/t.h5")
echo "$out"
grep -Eq '^ .* {6}rec$' <<<"$out" || fail "rec at depth 2 is not indented"
out=$($SCOPE report --tree --depth 2 "$TMP/t.h5")
grep -Eq ' {6}rec$' <<<"$out" && fail "--depth 2 shows depth 2"
grep -Eq ' {4}rec$' <<<"$out" || fail "--depth 2 hides depth 1"
out=$($SCOPE report --tree --min-percent 50 -f csv "$TMP/t.h5")
echo "$out"
expect_eq "nodes over 50%" "$(($(wc -l <<<"$out") - 1))" 1
echo "ok: --depth and --min-percent"

