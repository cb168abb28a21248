#!/bin/bash
# `list` finds regions, files and lines from the ELF file alone, stripped too.
source "$(dirname "$0")/lib.sh"

HEAT=$OUTPUT/examples/heat
out=$($SCOPE list $HEAT)
echo "$out"
for r in init step halo reduce output; do
	grep -qw "^$r" <<<"$out" || fail "region $r not listed"
done
line=$(grep -n 'SCOPE_BPF_BEGIN(halo)' examples/heat.c | cut -d: -f1)
grep -w "^halo" <<<"$out" | grep -q "heat.c:$line" || fail "halo not at heat.c:$line"
echo "ok: halo at heat.c:$line"

strip -o "$TMP/heat.stripped" $HEAT
expect_eq "stripped binary lists the same" "$($SCOPE list "$TMP/heat.stripped")" "$out"

# and a stripped binary can be profiled
$SCOPE run -q -o "$TMP/s.h5" -- "$TMP/heat.stripped" 2 20 >/dev/null
expect_eq "halo calls (stripped)" "$(sum_column "$(csv "$TMP/s.h5")" halo calls)" 40

rc=0
$SCOPE list $PROGS/plain 2>"$TMP/err" || rc=$?
expect_eq "list of an unmarked binary exits" "$rc" 1
grep -q "no scope-bpf markers" "$TMP/err" || fail "no clear message"

# --sites: one row per site, each offset a nop in the file itself
sites=$($SCOPE list --sites --format csv $HEAT)
echo "$sites"
expect_eq "a begin site per region" "$(grep -c '^[^,]*,begin,' <<<"$sites")" \
	"$(tail -n +2 <<<"$out" | grep -vc '^+')"
grep -q ",begin,halo,.*heat.c,$line,0x[0-9a-f]*\$" <<<"$sites" || fail "halo's begin site not at heat.c:$line"
while IFS=, read -r _ kind _ _ off _; do
	byte=$(od -An -tx1 -j $((off)) -N1 $HEAT | tr -d ' ')
	[ "$byte" = 90 ] || fail "$kind site at $off holds $byte, not a nop"
done < <(tail -n +2 <<<"$sites")
echo "ok: every site offset holds a nop"

# A BEGIN or an END without a partner in its function is a warning that
# names the region, the site and the function; the exit status stays 0
# unless --strict. Pairs that are fine (two ENDs, END first in the code, an
# inlined BEGIN, block and scope forms) draw none.
UNPAIRED=$PROGS/unpaired
rc=0
$SCOPE list $UNPAIRED >"$TMP/out" 2>"$TMP/err" || rc=$?
cat "$TMP/err"
expect_eq "list with unpaired markers exits" "$rc" 0
at() { echo "tests/progs/unpaired.c:$(grep -n "$1" tests/progs/unpaired.c | cut -d: -f1)"; }
grep -q "BEGIN(solve) at $(at 'BEGIN(solve)') has no END(solve) in the same function, typo()" "$TMP/err" ||
	fail "no warning for BEGIN(solve)"
grep -q "END(slove) at $(at 'END(slove)') has no BEGIN(slove) in the same function, typo()" "$TMP/err" ||
	fail "no warning for END(slove)"
grep -q "END(orphan) at $(at 'END(orphan)') has no BEGIN(orphan) in the same function, orphan_end()" "$TMP/err" ||
	fail "no warning for END(orphan)"
expect_eq "unpaired warnings" "$(grep -c 'in the same function' "$TMP/err")" 3
for r in good twice rolling inlined scoped block; do
	grep -q "($r)" "$TMP/err" && fail "warning for the fine region $r"
	grep -qw "^$r" "$TMP/out" || fail "region $r not listed"
done
echo "ok: warnings name solve, slove and orphan, and no fine region"
rc=0
$SCOPE list --strict $UNPAIRED >/dev/null 2>"$TMP/err" || rc=$?
expect_eq "list --strict with unpaired markers exits" "$rc" 1
rc=0
$SCOPE list --strict $HEAT >/dev/null 2>"$TMP/err" || rc=$?
expect_eq "list --strict of heat exits" "$rc" 0
expect_eq "warnings for heat" "$(cat "$TMP/err")" ""
# without symbols there is nothing to pair: no warning, a note under -v
strip -o "$TMP/unpaired.stripped" $UNPAIRED
expect_eq "stripped: no warnings" "$($SCOPE list $TMP/unpaired.stripped 2>&1 >/dev/null)" ""
$SCOPE list -v "$TMP/unpaired.stripped" 2>&1 >/dev/null | grep -q "pairs not checked" ||
	fail "no note that a stripped binary is not checked"
echo "ok: a stripped binary is listed without pair warnings"
