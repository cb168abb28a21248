#!/bin/bash
# Libraries dlopen'ed after the probes were attached: the agent's probe on
# the dynamic linker's r_brk (_dl_debug_state) wakes it at each change of the
# link map, with the target stopped until the new object is attached, so
# every region in it counts, from its first call; a dlclose and a second
# dlopen keep the probes (they belong to the file). Under run and attach.
# attach-modes: both
# site-modes: all
source "$(dirname "$0")/lib.sh"
P=$(realpath "$PROGS")

# run: the command dlopens libmarked.so (it does not link it) a second after
# it starts, calls it 40 times, dlcloses it, opens it again and calls it 40
# times more
$SCOPE run -o "$TMP/r.h5" -- $P/dlopener $P/libmarked.so 40 "$TMP/go" - "$TMP/again" \
	>"$TMP/out" 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
wait_for_command $agent $P/dlopener
sleep 1
touch "$TMP/go"
wait_for_line "$TMP/err" "mapped libmarked.so after attach: 2 sites probed" 20 ||
	fail "run: the library was not attached: $(cat "$TMP/err")"
touch "$TMP/again"
wait $agent || fail "run exited with $?: $(cat "$TMP/err")"
cat "$TMP/err"
out=$(csv "$TMP/r.h5")
expect_eq "run: call calls" "$(sum_column "$out" call calls)" 80
expect_eq "run: lib_work calls (the dlopen'ed library)" "$(sum_column "$out" lib_work calls)" 80
grep -q "loaded after attach and could not be profiled" "$TMP/err" &&
	fail "run: the library is said unprofiled"
expect_eq "run: /meta late_libraries" "$(h5attr "$TMP/r.h5" /meta late_libraries)" 0
expect_eq "run: unmatched_end" "$(h5attr "$TMP/r.h5" /meta unmatched_end)" 0
$SCOPE report --tree "$TMP/r.h5" | awk '$NF == "call" { c = 1 } c && $NF == "lib_work" { ok = 1 }
	END { exit !ok }' || fail "run: lib_work is not under call"
echo "ok: run profiles the dlopen'ed library exactly, nested"

# attach: another marked library, built here, dlopen'ed a second after the
# agent is there; the agent stops while the target still runs
gcc -shared -fPIC -O2 -Iinclude tests/progs/lib/marked.c -o "$TMP/libextra.so" ||
	fail "cannot build libextra.so"
$P/dlopener "$TMP/libextra.so" 25 "$TMP/ago" "$TMP/end" "$TMP/aagain" >"$TMP/aout" &
pid=$!
wait_for_mapped $pid $P/dlopener
$SCOPE attach --pid $pid -o "$TMP/a.h5" 2>"$TMP/aerr" &
agent=$!
wait_for_attached "$TMP/aerr" $agent
sleep 1
touch "$TMP/ago"
wait_for_line "$TMP/aerr" "mapped libextra.so after attach: 2 sites probed" 20 ||
	fail "attach: the library was not attached: $(cat "$TMP/aerr")"
touch "$TMP/aagain"
wait_for_line "$TMP/aout" "dlopener: 25" 20 || fail "the target did not call the library"
kill -INT $agent
wait $agent || true
touch "$TMP/end"
wait $pid || fail "the target exited with $?"
out=$(csv "$TMP/a.h5")
expect_eq "attach: call calls" "$(sum_column "$out" call calls)" 50
expect_eq "attach: lib_work calls" "$(sum_column "$out" lib_work calls)" 50
expect_eq "attach: /meta late_libraries" "$(h5attr "$TMP/a.h5" /meta late_libraries)" 0

# a library linked at start is probed from the start, not found later
$SCOPE run -o "$TMP/u.h5" -- $P/uselib 10 >/dev/null 2>"$TMP/err"
grep -q "after attach" "$TMP/err" && fail "a linked library said late: $(cat "$TMP/err")"
expect_eq "/meta late_libraries without dlopen" "$(h5attr "$TMP/u.h5" /meta late_libraries)" 0

# --func in a dlopen'ed library: dlopener opens libmarked.so and libplain.so
# (no markers) a second after start; each `call` runs both lib_work, and
# libplain's calls plain_step once. The functions are searched when the
# library is mapped, and probed before its code runs: exact counts, under
# run (40 calls, a dlclose and 40 more: the probes stay with the file) and
# under attach (25).
LIBS=$P/libmarked.so+$P/libplain.so
$SCOPE run -o "$TMP/fr.h5" --func 'libplain:plain_*' -- $P/dlopener $LIBS 40 \
	"$TMP/fgo" - "$TMP/fagain" >"$TMP/fout" 2>"$TMP/ferr" &
agent=$!
wait_for_attached "$TMP/ferr" $agent
wait_for_command $agent $P/dlopener
sleep 1
touch "$TMP/fgo"
wait_for_line "$TMP/ferr" "libplain.so: mapped after attach: 1 function probed \(--func\)" 20 ||
	fail "run --func: libplain.so's function was not probed: $(cat "$TMP/ferr")"
touch "$TMP/fagain"
wait $agent || fail "run --func exited with $?: $(cat "$TMP/ferr")"
cat "$TMP/ferr"
grep -q "mapped libmarked.so after attach: 2 sites probed" "$TMP/ferr" ||
	fail "run --func: libmarked.so was not attached"
out=$(csv "$TMP/fr.h5")
echo "$out"
expect_eq "run --func: call calls" "$(sum_column "$out" call calls)" 80
expect_eq "run --func: lib_work calls (markers)" "$(sum_column "$out" lib_work calls)" 80
expect_eq "run --func: plain_step calls (--func)" "$(sum_column "$out" plain_step calls)" 80
expect_eq "run --func: call child calls" "$(sum_column "$out" call child_calls)" 160
expect_eq "run --func: unmatched_end" "$(h5attr "$TMP/fr.h5" /meta unmatched_end)" 0
expect_eq "run --func: abandoned" "$(h5attr "$TMP/fr.h5" /meta abandoned)" 0

$P/dlopener $LIBS 25 "$TMP/fago" "$TMP/fend" >"$TMP/faout" &
pid=$!
wait_for_mapped $pid $P/dlopener
$SCOPE attach --pid $pid -o "$TMP/fa.h5" --func 'libplain:plain_*' 2>"$TMP/faerr" &
agent=$!
wait_for_attached "$TMP/faerr" $agent
sleep 1
touch "$TMP/fago"
wait_for_line "$TMP/faerr" "libplain.so: mapped after attach: 1 function probed \(--func\)" 20 ||
	fail "attach --func: libplain.so's function was not probed: $(cat "$TMP/faerr")"
wait_for_line "$TMP/faout" "dlopener: 25" 20 || fail "the target did not call the libraries"
kill -INT $agent
wait $agent || true
touch "$TMP/fend"
wait $pid || fail "the target exited with $?"
out=$(csv "$TMP/fa.h5")
echo "$out"
expect_eq "attach --func: call calls" "$(sum_column "$out" call calls)" 25
expect_eq "attach --func: lib_work calls" "$(sum_column "$out" lib_work calls)" 25
expect_eq "attach --func: plain_step calls" "$(sum_column "$out" plain_step calls)" 25
echo "ok: --func patterns apply to libraries dlopen'ed after attach"
