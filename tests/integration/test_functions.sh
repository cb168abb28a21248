#!/bin/bash
# --func: functions of an unmodified binary as regions, with exact counts
# per thread, nesting under marker regions, recursion up to the kernel's
# 64 pending return probes (the rest counted), and longjmp'd frames said.
# tests/progs/funcs prints nothing about its calls: their counts follow
# from its arguments (see its header).
# attach-modes: both
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

P=$PROGS/funcs

# what would be probed, without root or a process
out=$($SCOPE list --func 'fn_*' $P)
echo "$out"
expect_eq "list: last line" "$(tail -n 1 <<<"$out")" "5 functions"
for f in fn_inner fn_outer fn_recurse fn_thrower fn_jumper; do
	grep -qE "^$f +0x[0-9a-f]+ +[0-9]+ +$P\$" <<<"$out" ||
		fail "list: no row for $f"
done
out=$($SCOPE list --format csv --func 'fn_o*' --func 'fn_rec*' $P)
expect_eq "list csv: rows" "$(tail -n +2 <<<"$out" | cut -d, -f3 | sort | tr '\n' ' ')" \
	"fn_outer fn_recurse "
$SCOPE list --func 'nosuch*' $P 2>"$TMP/err" >/dev/null
grep -q "nosuch\* matches no function" "$TMP/err" || fail "list: unmatched pattern not said"

# 1000 iterations in each of two threads, recursion 10 deep, 3 longjmps
$SCOPE run -q -o "$TMP/f.h5" --func 'fn_*' -- $P 1000 10 3 >/dev/null 2>"$TMP/err"
cat "$TMP/err"
out=$(csv_threads "$TMP/f.h5")
echo "$out"
expect_eq "fn_outer calls per thread" "$(column "$out" fn_outer calls | tr '\n' ' ')" "1000 1000 "
expect_eq "fn_inner calls per thread" "$(column "$out" fn_inner calls | tr '\n' ' ')" "2000 2000 "
expect_eq "fn_recurse calls" "$(column "$out" fn_recurse calls)" 11
expect_eq "marked calls" "$(column "$out" marked calls)" 1000
# each fn_outer's two fn_inner are its children
expect_eq "fn_outer child calls" "$(sum_column "$out" fn_outer child_calls)" 4000
# the jumper and the thrower never return: no call of theirs is timed;
# the two pairs left behind are dropped at the next entries, the last
# pair is open at exit
expect_eq "fn_jumper rows" "$(column "$out" fn_jumper calls)" ""
expect_eq "abandoned" "$(h5attr "$TMP/f.h5" /meta abandoned)" 4
expect_eq "unfinished" "$(h5attr "$TMP/f.h5" /meta unfinished)" 2
grep -q "4 regions never reached their END" "$TMP/err" ||
	fail "the longjmp'd frames are not said"

# nesting: a function called inside a marker region is its child
tree=$($SCOPE report --tree "$TMP/f.h5")
echo "$tree"
grep -qE "^ +[0-9.]+ [mun]?s +[0-9.]+ [mun]?s +1000 +[0-9.]+ +marked$" <<<"$tree" ||
	fail "tree: no marked"
grep -qE "^ +[0-9.]+ [mun]?s +[0-9.]+ [mun]?s +1000 +[0-9.]+    fn_outer$" <<<"$tree" ||
	fail "tree: no fn_outer under marked"
grep -qE "^ +[0-9.]+ [mun]?s +[0-9.]+ [mun]?s +2000 +[0-9.]+      fn_inner$" <<<"$tree" ||
	fail "tree: no fn_inner under fn_outer under marked"

# 100 deep: the kernel keeps 64 return probes pending per thread; the
# other 37 calls are counted, not timed
$SCOPE run -q -o "$TMP/r.h5" --func fn_recurse -- $P 1 100 >/dev/null 2>"$TMP/err"
out=$(csv "$TMP/r.h5")
echo "$out"
expect_eq "fn_recurse calls at depth 101" "$(column "$out" fn_recurse calls)" 64
expect_eq "returns_omitted" "$(h5attr "$TMP/r.h5" /meta returns_omitted)" 37
grep -q "37 function calls were not timed" "$TMP/err" ||
	fail "the omitted returns are not said: $(cat "$TMP/err")"
$SCOPE report "$TMP/r.h5" | grep -q "warning: 37 function calls untimed" ||
	fail "report does not warn of the omitted returns"

# patterns from a file, one a line, comments skipped
printf '# the two of them\nfn_outer\n\n  fn_inner  \n' >"$TMP/pats"
$SCOPE run -q -o "$TMP/p.h5" --func-file "$TMP/pats" -- $P 10 0 >/dev/null
out=$(csv "$TMP/p.h5")
expect_eq "--func-file: fn_outer" "$(column "$out" fn_outer calls)" 20
expect_eq "--func-file: fn_inner" "$(column "$out" fn_inner calls)" 40
expect_eq "--func-file: fn_recurse not probed" "$(column "$out" fn_recurse calls)" ""

# a pattern that matches nothing is said; with no marker left either, refused
$SCOPE run -q -o "$TMP/n.h5" --func nosuch -- $P 1 0 >/dev/null 2>"$TMP/err" || true
grep -q "no function of the executable matches" "$TMP/err" ||
	fail "an unmatched --func is not said: $(cat "$TMP/err")"

# thousands of functions: refused past the documented limit (5000), before
# any probe of theirs goes in and before the command runs
status=0
$SCOPE run -q -o "$TMP/big.h5" --func 'libc:*' --func 'libstdc++:*' \
	-- $PROGS/cxx_solver 1 0 >"$TMP/out" 2>"$TMP/err" || status=$?
cat "$TMP/err"
[ $status -ne 0 ] || fail "more than 5000 functions were not refused"
grep -qE "^scope-bpf: error: --func matches [0-9]+ functions, more than 5000: .*--force" "$TMP/err" ||
	fail "the refusal does not say the count and --force"
expect_eq "the command did not run" "$(cat "$TMP/out")" ""
[ ! -e "$TMP/big.h5" ] || fail "a profile was written"

# a function inlined everywhere has no symbol: the DWARF says why
$SCOPE list --func 'fn_inl*' $P 2>"$TMP/err" >/dev/null
grep -q "fn_inl\* matches only inlined functions (fn_inlined in $P)" "$TMP/err" ||
	fail "list: the inlined function is not said: $(cat "$TMP/err")"
$SCOPE run -q -o "$TMP/i.h5" --func 'fn_inl*' -- $P 1 0 >/dev/null 2>"$TMP/err"
grep -q "fn_inl\*: matches only inlined function (fn_inlined in $P)" "$TMP/err" ||
	fail "run: the inlined function is not said: $(cat "$TMP/err")"
