#!/bin/bash
# A failed BPF load says why without -v: libbpf's own warnings (and the
# verifier's log, which libbpf prints as a warning) reach stderr; libbpf's
# info and debug lines stay behind -v. An unprivileged user makes bpf() fail.
source "$(dirname "$0")/lib.sh"

command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
chmod 777 "$TMP"
nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}
# the checkout may be out of uid 65534's reach: its own copies
cp $SCOPE $PROGS/counts "$TMP/"
nobody "$TMP/scope-bpf" --version >/dev/null || skip "uid 65534 cannot run programs in $TMP"

rc=0
nobody "$TMP/scope-bpf" run -o "$TMP/x.h5" -- "$TMP/counts" 1 1 1 >"$TMP/out" 2>"$TMP/err" || rc=$?
cat "$TMP/err"
expect_eq "exit" $rc 1
grep -q "error: cannot load the BPF programs: Operation not permitted" "$TMP/err" ||
	fail "no error line"
grep -q "warning: libbpf: " "$TMP/err" || fail "libbpf's warnings are hidden without -v"
echo "ok: libbpf's warnings without -v"
grep -q "debug: " "$TMP/err" && fail "debug lines without -v"
echo "ok: no debug lines without -v"
[ -s "$TMP/out" ] && fail "the command ran"
[ -e "$TMP/x.h5" ] && fail "a file was written"

# -q keeps warnings too: they say why it failed
rc=0
nobody "$TMP/scope-bpf" run -q -o "$TMP/x.h5" -- "$TMP/counts" 1 1 1 >/dev/null 2>"$TMP/err" || rc=$?
expect_eq "exit with -q" $rc 1
grep -q "warning: libbpf: " "$TMP/err" || fail "libbpf's warnings are hidden with -q"
echo "ok: libbpf's warnings with -q"

# and -v adds libbpf's debug lines
nobody "$TMP/scope-bpf" run -v -o "$TMP/x.h5" -- "$TMP/counts" 1 1 1 >/dev/null 2>"$TMP/err" || true
grep -q "debug: libbpf: " "$TMP/err" || fail "-v shows no libbpf debug line"
echo "ok: libbpf's debug lines with -v"
