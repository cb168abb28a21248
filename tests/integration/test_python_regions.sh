#!/bin/bash
# Python regions under attach, started mid-run (the module imported and
# used before): exact counts per thread for decorated functions, nested with
# regions, recursion, 4 threads, a region left by an exception, by return
# and by break, begin/end, a generator and a coroutine (a region per
# resumption); the nesting in /paths (a C extension's marker region under
# the Python region around its call); time.sleep within bounds; the Python
# file:line of each region in /regions; the docs' pandas example on the
# file. test_python_run.sh does the same under run.
# attach-modes: both
# site-modes: all
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/python_lib.sh"

# attach: the program imports the module and runs one round before it waits
# (those regions are not in the profile), the agent attaches, then the
# counted run
$PY "$PROG" $N $T $SLEEP_MS --signal >"$TMP/a.out" 2>&1 &
pid=$!
wait_for_line "$TMP/a.out" '^ready$' 20 || fail "the program is not ready: $(cat "$TMP/a.out")"
$SCOPE attach --pid $pid -o "$TMP/a.h5" 2>"$TMP/a.err" &
agent=$!
wait_for_attached "$TMP/a.err" $agent
kill -USR1 $pid
wait $pid || fail "the program failed: $(cat "$TMP/a.out")"
wait $agent || fail "attach failed: $(cat "$TMP/a.err")"
expect_eq "attach: the program saw attached()" "$(tail -n 1 "$TMP/a.out")" "done attached=True"
check "$TMP/a.h5" attach
expect_site_mode "$TMP/a.h5"

# the docs' example: a DataFrame of per-region statistics, the same calls
# as scope-bpf report's
$PY -c 'import pandas' 2>/dev/null || fail "no pandas: make deps (python3-pandas)"
awk '/^```python$/ { f = 1; next } /^```$/ { f = 0 } f' docs/python.md |
	sed "s|\"run.h5\"|\"$TMP/a.h5\"|" >"$TMP/example.py"
ex=$($PY "$TMP/example.py") || fail "the docs' pandas example fails"
echo "$ex"
rep=$(csv "$TMP/a.h5")
for r in py.outer __main__.leaf cwork py.sleep; do
	expect_eq "pandas example: $r calls" \
		"$(awk -v r="$r" '$1 == r { print $5 }' <<<"$ex")" "$(column "$rep" "$r" calls)"
done
