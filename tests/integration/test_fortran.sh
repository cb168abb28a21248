#!/bin/bash
# Fortran: a gfortran program marked with the scope_bpf module
# (fortran/scope_bpf.f90, its C side libscope_bpf_fortran.a): literal names,
# names written into a character variable at run time, a region in a module
# procedure; exact counts and nesting.
# aggregate-modes: both
source "$(dirname "$0")/lib.sh"

[ -x $PROGS/fsolver ] || skip "no gfortran: tests/progs/fsolver was not built"
N=3000
$SCOPE run -q -o "$TMP/f.h5" -- $PROGS/fsolver $N >"$TMP/out"
grep -q "^fsolver: $N " "$TMP/out" || fail "fsolver did not finish: $(cat "$TMP/out")"
out=$(csv "$TMP/f.h5")
echo "$out"
expect_eq "solve calls" "$(sum_column "$out" solve calls)" 1
expect_eq "relax calls" "$(sum_column "$out" relax calls)" $N
for k in 0 1 2; do
	expect_eq "level_$k calls" "$(sum_column "$out" level_$k calls)" $((N / 3))
done
expect_eq "regions" "$(($(wc -l <<<"$out") - 1))" 5
expect_eq "named_unreadable" "$(h5attr "$TMP/f.h5" /meta named_unreadable)" 0
expect_eq "unmatched_end" "$(h5attr "$TMP/f.h5" /meta unmatched_end)" 0
tree=$($SCOPE report --tree "$TMP/f.h5")
echo "$tree"
awk '$NF == "solve" { s = 1 } s && $NF == "relax" && $(NF - 2) == n { ok = 1 }
     END { exit !ok }' n=$N <<<"$tree" || fail "relax is not under solve with $N calls"
echo "ok: relax nested under solve"

# the sites are the C side's: two, each standing for every Fortran call
sites=$($SCOPE list --sites --format csv $PROGS/fsolver)
expect_eq "run-time named sites" "$(grep -c 'rdi' <<<"$sites")" 2

# --func: gfortran's module procedure __solver_MOD_relax is solver::relax,
# listed and profiled by that name (the raw one matches too), around the
# marker region inside it
out=$($SCOPE list --func 'solver::*' $PROGS/fsolver)
echo "$out"
expect_eq "list --func solver::*" "$(awk 'NR == 2 { print $1 }' <<<"$out")" "solver::relax"
expect_eq "list --func __solver_MOD_relax" \
	"$($SCOPE list --func '__solver_MOD_relax' $PROGS/fsolver | awk 'NR == 2 { print $1 }')" \
	"solver::relax"
$SCOPE run -q -o "$TMP/func.h5" --func 'solver::*' -- $PROGS/fsolver $N >"$TMP/out"
grep -q "^fsolver: $N " "$TMP/out" || fail "fsolver did not finish under --func: $(cat "$TMP/out")"
out=$(csv "$TMP/func.h5")
echo "$out"
expect_eq "--func solver::relax calls" "$(sum_column "$out" solver::relax calls)" $N
expect_eq "--func solver::relax child calls" "$(sum_column "$out" solver::relax child_calls)" $N
expect_eq "--func relax calls" "$(sum_column "$out" relax calls)" $N
expect_eq "--func solve child calls" "$(sum_column "$out" solve child_calls)" $((2 * N))
expect_eq "--func abandoned" "$(h5attr "$TMP/func.h5" /meta abandoned)" 0
echo "ok: --func on a Fortran module procedure"
