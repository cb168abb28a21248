#!/bin/bash
# A library with markers dlopen'ed after the probes were attached runs
# unprobed: the agent finds it in the target's mappings (every second, and
# at the end while the target lives), says so and stores the count in /meta.
# attach-modes: both
# site-modes: all
source "$(dirname "$0")/lib.sh"
P=$(realpath "$PROGS")

# run: the command dlopens libmarked.so (it does not link it), calls it 40
# times, and waits until the agent has seen the library
$SCOPE run -o "$TMP/r.h5" -- $P/dlopener $P/libmarked.so 40 - "$TMP/done" \
	>"$TMP/out" 2>"$TMP/err" &
agent=$!
wait_for_line "$TMP/err" "mapped libmarked.so after attach" 20 ||
	fail "run: the library was not seen: $(cat "$TMP/err")"
touch "$TMP/done"
wait $agent || fail "run exited with $?: $(cat "$TMP/err")"
expect_eq "run: call calls" "$(sum_column "$(csv "$TMP/r.h5")" call calls)" 40
grep -q "1 library with markers was loaded after attach and not profiled: libmarked.so (1 region); dlopen support comes later" "$TMP/err" ||
	fail "run: no warning on the late library: $(cat "$TMP/err")"
echo "ok: run names libmarked.so"
expect_eq "run: /meta late_libraries (h5dump)" "$(h5attr "$TMP/r.h5" /meta late_libraries)" 1
$SCOPE report "$TMP/r.h5" | grep -q "note: 1 library with markers loaded after attach, not profiled" ||
	fail "report does not note it"
echo "ok: report notes it"

# attach: another marked library, built here, dlopen'ed once the agent is
# there; the agent stops while the target still runs
gcc -shared -fPIC -O2 -Iinclude tests/progs/lib/marked.c -o "$TMP/libextra.so" ||
	fail "cannot build libextra.so"
$P/dlopener "$TMP/libextra.so" 25 "$TMP/go" "$TMP/end" >"$TMP/aout" &
pid=$!
wait_for_mapped $pid $P/dlopener
$SCOPE attach --pid $pid -o "$TMP/a.h5" 2>"$TMP/aerr" &
agent=$!
wait_for_attached "$TMP/aerr" $agent
touch "$TMP/go"
wait_for_line "$TMP/aout" "dlopener: 25" 20 || fail "the target did not call the library"
kill -INT $agent
wait $agent || true
touch "$TMP/end"
wait $pid || fail "the target exited with $?"
expect_eq "attach: call calls" "$(sum_column "$(csv "$TMP/a.h5")" call calls)" 25
grep -q "1 library with markers was loaded after attach and not profiled: libextra.so (1 region)" "$TMP/aerr" ||
	fail "attach: no warning on the late library: $(cat "$TMP/aerr")"
echo "ok: attach names libextra.so"
expect_eq "attach: /meta late_libraries (h5dump)" "$(h5attr "$TMP/a.h5" /meta late_libraries)" 1

# a library linked at start is probed, not late
$SCOPE run -o "$TMP/u.h5" -- $P/uselib 10 >/dev/null 2>"$TMP/err"
grep -q "after attach" "$TMP/err" && fail "a linked library said late: $(cat "$TMP/err")"
expect_eq "/meta late_libraries without dlopen" "$(h5attr "$TMP/u.h5" /meta late_libraries)" 0
