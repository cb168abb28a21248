#!/bin/bash
# Exact call counts per thread: several threads, nesting, recursion.
# attach-modes: both
# site-modes: all
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/c.h5" -- $PROGS/counts 3 2000 4 >/dev/null
# one row per region and thread (report --threads)
out=$($SCOPE report --format csv --threads "$TMP/c.h5")
echo "$out"

expect_eq "outer rows (threads)" "$(column "$out" outer calls | wc -l)" 3
expect_eq "outer calls per thread" "$(column "$out" outer calls | sort -u)" 2000
expect_eq "inner calls per thread" "$(column "$out" inner calls | sort -u)" 4000
expect_eq "rec calls per thread" "$(column "$out" rec calls | sort -u)" 8000
expect_eq "blockr calls per thread" "$(column "$out" blockr calls | sort -u)" 2000
expect_eq "main_region calls" "$(column "$out" main_region calls)" 1
# main_region's thread is the process itself (tid == pid)
expect_eq "main_region on the main thread" \
	"$(awk -F, '$1 == "main_region" { print ($2 == $9) }' <<<"$out")" 1

# self time of outer excludes its children; totals are consistent
for tid in $(column "$out" outer tid); do
	row=$(awk -F, -v t="$tid" '$1 == "outer" && $2 == t' <<<"$out")
	total=$(cut -d, -f4 <<<"$row")
	self=$(cut -d, -f5 <<<"$row")
	[ "$self" -lt "$total" ] || fail "outer self $self not below total $total"
	[ "$self" -gt 0 ] || fail "outer self is 0"
done
echo "ok: outer self < total on every thread"

# the same numbers, read by h5dump rather than by scope-bpf
expect_eq "dropped (h5dump)" "$(h5attr "$TMP/c.h5" meta dropped)" 0
expect_eq "records (h5dump)" "$(h5attr "$TMP/c.h5" meta records)" \
	$((3 * (2000 + 4000 + 8000 + 2000) + 1))
expect_site_mode "$TMP/c.h5"
