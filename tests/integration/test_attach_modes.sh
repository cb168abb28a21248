#!/bin/bash
# SCOPE_BPF_ATTACH picks the attach path, seen in the agent's own link file
# descriptors: per-site is one perf-event link per site (kernels before
# 6.10), multi one uprobe_multi link per program; unset picks multi here.
# Either way one more perf-event link is the dynamic linker's probe
# (_dl_debug_state, for libraries loaded later).
source "$(dirname "$0")/lib.sh"

# link_types PID: "TYPE COUNT" per BPF link type among PID's descriptors
link_types() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 == "link_type:" { n[$2]++ } END { for (t in n) print t, n[t] }' |
		sort
}

nsites=$($SCOPE list --sites --format csv $PROGS/ticker | tail -n +2 | wc -l)
[ "$nsites" -ge 2 ] || fail "ticker has $nsites sites"

# attached_links MODE: the agent's links while attached to a ticker
attached_links() {
	local tp ap
	$PROGS/ticker 30 >/dev/null &
	tp=$!
	wait_for_mapped $tp $PROGS/ticker
	# --no-calibrate and a forced site: no start-up pass, whose own links
	# (on the agent, kept until the end) are not the target's
	SCOPE_BPF_ATTACH=$1 $SCOPE attach -v --no-calibrate --site-mode=trap \
		--pid $tp -o "$TMP/$1.h5" 2>"$TMP/$1.err" &
	ap=$!
	wait_for_attached "$TMP/$1.err" $ap
	link_types $ap >"$TMP/$1.links"
	kill -INT $ap
	wait $ap || fail "$1: attach exited with $?"
	kill $tp
	wait $tp 2>/dev/null || true
	grep -q "^perf \|^uprobe_multi " "$TMP/$1.links" || fail "$1: no uprobe link in $(cat "$TMP/$1.links")"
}

attached_links per-site
cat "$TMP/per-site.links"
expect_eq "per-site: perf-event links" "$(awk '$1 == "perf" { print $2 }' "$TMP/per-site.links")" "$((nsites + 1))"
expect_eq "per-site: uprobe_multi links" "$(grep -c '^uprobe_multi ' "$TMP/per-site.links")" 0
grep -q "probes: one perf-event link per site" "$TMP/per-site.err" || fail "per-site: -v does not say so"
echo "ok: per-site: -v says one perf-event link per site"

attached_links multi
cat "$TMP/multi.links"
expect_eq "multi: uprobe_multi links (begin, end)" "$(awk '$1 == "uprobe_multi" { print $2 }' "$TMP/multi.links")" 2
expect_eq "multi: perf-event links (the linker's)" "$(awk '$1 == "perf" { print $2 }' "$TMP/multi.links")" 1
grep -q "probes: uprobe_multi links" "$TMP/multi.err" || fail "multi: -v does not say so"

attached_links ""
IFS=. read -r major minor _ < <(uname -r)
auto=per-site
[ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 10 ]; } && auto=multi
expect_eq "unset: the links of $auto on $(uname -r)" "$(cat "$TMP/.links")" "$(cat "$TMP/$auto.links")"

# both paths count the same, exactly
for mode in per-site multi; do
	SCOPE_BPF_ATTACH=$mode $SCOPE run -q -o "$TMP/c-$mode.h5" -- $PROGS/counts 2 500 3 >/dev/null
	out=$($SCOPE report --format csv --threads "$TMP/c-$mode.h5")
	expect_eq "$mode: outer calls per thread" "$(column "$out" outer calls | sort -u)" 500
	expect_eq "$mode: rec calls per thread" "$(column "$out" rec calls | sort -u)" 1500
done

# a value it does not know: one clear line, nothing run
rc=0
SCOPE_BPF_ATTACH=perhaps $SCOPE run -o "$TMP/x.h5" -- $PROGS/ident >"$TMP/out" 2>"$TMP/err" || rc=$?
cat "$TMP/err"
expect_eq "SCOPE_BPF_ATTACH=perhaps: exit" $rc 1
grep -q "SCOPE_BPF_ATTACH=perhaps: expected per-site, multi or auto" "$TMP/err" || fail "no clear line"
[ -s "$TMP/out" ] && fail "the command ran"
echo "ok: an unknown SCOPE_BPF_ATTACH is refused"
