#!/bin/bash
# Regions inside a shared library: found before start by `run` (through the
# loader's list) and in the mappings of a running process by `attach`.
# attach-modes: both
# site-modes: all
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/r.h5" -- $PROGS/uselib 700 >/dev/null
out=$(csv "$TMP/r.h5")
expect_site_mode "$TMP/r.h5"
echo "$out"
expect_eq "run: lib_work calls" "$(column "$out" lib_work calls)" 700
expect_eq "run: app_loop calls" "$(column "$out" app_loop calls)" 700

# long enough to outlive a per-site agent's detach (links go one by one)
$PROGS/uselib 6000 1000 >/dev/null &
pid=$!
# the loader maps the library after exec: attach looks for it in the maps
wait_for_mapped $pid $PROGS/libmarked.so
$SCOPE attach -q --pid $pid --duration 1 -o "$TMP/a.h5"
out=$(csv "$TMP/a.h5")
expect_site_mode "$TMP/a.h5"
echo "$out"
lib=$(column "$out" lib_work calls)
app=$(column "$out" app_loop calls)
expect_between "attach: lib_work calls in 1 s" "$lib" 200 1000
# each app_loop holds one lib_work; detaching can split at most one pair
expect_between "attach: app_loop - lib_work" $((app - lib)) -1 1
kill $pid
