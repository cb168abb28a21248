#!/bin/bash
# run -- WRAPPER ...: the wrapper has no markers; the error says what to do.
source "$(dirname "$0")/lib.sh"

# expect_refused WHAT PATTERN CMD...
expect_refused() {
	local what=$1 pattern=$2 rc=0
	shift 2
	$SCOPE run -o "$TMP/x.h5" -- "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" -eq 1 ] || fail "$what: exit $rc, expected 1"
	grep -q -- "$pattern" "$TMP/err" || fail "$what: no '$pattern' in: $(cat "$TMP/err")"
	grep -q "run your program directly" "$TMP/err" || fail "$what: no advice in: $(cat "$TMP/err")"
	grep -q "attach --pid" "$TMP/err" || fail "$what: attach not suggested"
	grep -q "ticks" "$TMP/out" && fail "$what: the command ran anyway"
	echo "ok: $what"
}

expect_refused "sh -c" "sh: no scope-bpf markers: it is a wrapper" \
	sh -c "$PROGS/ticker 0.1"
expect_refused "env" "env: no scope-bpf markers: it is a wrapper" \
	env FOO=1 $PROGS/ticker 0.1
printf '#!/bin/sh\nexec %s 0.1\n' "$PROGS/ticker" >"$TMP/script.sh"
chmod 755 "$TMP/script.sh"
expect_refused "a #! script" "script.sh: no scope-bpf markers: it is a script" \
	"$TMP/script.sh"
# an unmarked program that is no wrapper keeps the build advice
rc=0
$SCOPE run -o "$TMP/x.h5" -- $PROGS/plain >/dev/null 2>"$TMP/err" || rc=$?
grep -q "build it with #include <scope_bpf.h>" "$TMP/err" || fail "plain: $(cat "$TMP/err")"
echo "ok: an unmarked program is told how to add markers"
