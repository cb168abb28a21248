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
grep -q ",begin,halo,.*heat.c,$line\$" <<<"$sites" || fail "halo's begin site not at heat.c:$line"
while IFS=, read -r _ kind _ _ off _; do
	byte=$(od -An -tx1 -j $((off)) -N1 $HEAT | tr -d ' ')
	[ "$byte" = 90 ] || fail "$kind site at $off holds $byte, not a nop"
done < <(tail -n +2 <<<"$sites")
echo "ok: every site offset holds a nop"
