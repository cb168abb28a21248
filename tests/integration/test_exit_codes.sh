#!/bin/bash
# run's exit codes for a command that cannot run, as env(1), timeout(1) and
# sudo give them (127 not found, 126 not executable), decided before the
# fork with one clear line; -h is help in every subcommand.
source "$(dirname "$0")/lib.sh"

# expect_exit WHAT CODE PATTERN CMD...
expect_exit() {
	local what=$1 code=$2 pattern=$3 rc=0
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	[ "$rc" -eq "$code" ] || fail "$what: exit $rc, expected $code: $(cat "$TMP/err")"
	grep -q -- "$pattern" "$TMP/err" "$TMP/out" || fail "$what: no '$pattern' in the output"
	echo "ok: $what: $code"
}

expect_exit "not on PATH" 127 "scope-bpf: error: no-such-cmd-xyz: command not found" \
	$SCOPE run -o "$TMP/x.h5" -- no-such-cmd-xyz
expect_exit "no such file" 127 "no-such-program: No such file or directory" \
	$SCOPE run -o "$TMP/x.h5" -- ./no-such-program
printf '#!/bin/sh\necho ran\n' >"$TMP/script"
chmod 644 "$TMP/script"
expect_exit "not executable" 126 "Permission denied" \
	$SCOPE run -o "$TMP/x.h5" -- "$TMP/script"
expect_exit "a directory" 126 "Is a directory" \
	$SCOPE run -o "$TMP/x.h5" -- "$TMP"
printf 'echo ran\n' >"$TMP/noformat"
chmod 755 "$TMP/noformat"
expect_exit "neither ELF nor #!" 126 "not an executable" \
	$SCOPE run -o "$TMP/x.h5" -- "$TMP/noformat"
grep -q ran "$TMP/out" && fail "a command that cannot run ran"
[ -e "$TMP/x.h5" ] && fail "a file was written for a command that never ran"

for cmd in run attach list report export; do
	expect_exit "$cmd -h" 0 "Usage: scope-bpf $cmd" $SCOPE $cmd -h
	grep -q "Usage:" "$TMP/out" || fail "$cmd -h: the help is not on stdout"
done
# options stop at the command: -h is the command's
expect_exit "run -- CMD -h" 0 "ticks 0" \
	$SCOPE run -q -o "$TMP/h.h5" -- $PROGS/ticker -h
grep -q "Usage:" "$TMP/out" && fail "run -- CMD -h printed scope-bpf's help"
echo "ok: -h after the command is the command's"
