#!/bin/bash
# -o never clobbers what it must not (docs/output.md): devices, FIFOs and
# directories are refused before the command runs, a file that is not a
# profile needs --force, a profile is kept as NAME.old, and no temporary
# file outlives the agent (SIGINT, SIGKILL, a killed agent's leftovers).
source "$(dirname "$0")/lib.sh"

# refused WHAT PATTERN SCOPE-ARGS...: exit 1, PATTERN said, command not run
refused() {
	local what=$1 pattern=$2 rc=0
	shift 2
	$SCOPE run "$@" -- $PROGS/ident >"$TMP/out" 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	[ "$rc" -eq 1 ] || fail "$what: exit $rc, expected 1"
	grep -q -- "$pattern" "$TMP/err" || fail "$what: no '$pattern' in stderr"
	grep -q "uid=" "$TMP/out" && fail "$what: the command ran anyway"
	echo "ok: $what refused before the run"
}

no_temp() {
	if ls -A "$1" | grep -q 'scope-bpf-tmp'; then
		ls -la "$1"
		fail "$2: a temporary file was left in $1"
	fi
	echo "ok: $2: no temporary left"
}

refused "/dev/null" "character device" -o /dev/null
[ -c /dev/null ] || fail "/dev/null is no longer a character device"
refused "/dev/stdout to a file" "leads to /proc" -o /dev/stdout
refused "/dev/fd/1" "in /proc" -o /dev/fd/1
rc=0
$SCOPE run -o /dev/stdout -- $PROGS/ident 2>"$TMP/err" | cat >/dev/null || rc=${PIPESTATUS[0]}
grep -q "leads to /proc" "$TMP/err" || fail "/dev/stdout to a pipe: $(cat "$TMP/err")"
[ -L /dev/stdout ] || fail "/dev/stdout was replaced"
echo "ok: /dev/stdout to a pipe refused"
mkfifo "$TMP/fifo"
refused "a FIFO" "FIFO" -o "$TMP/fifo"
[ -p "$TMP/fifo" ] || fail "the FIFO was replaced"
mkdir "$TMP/dir"
refused "a directory" "Is a directory" -o "$TMP/dir"

# a file that is not a profile: refused, intact; --force replaces it
printf 'int main(void) { return 0; }\n' >"$TMP/main.c"
sum=$(md5sum <"$TMP/main.c")
refused "a C source file" "not a scope-bpf profile.*--force" -o "$TMP/main.c"
expect_eq "source file intact" "$(md5sum <"$TMP/main.c")" "$sum"
$SCOPE run -q --force -o "$TMP/main.c" -- $PROGS/counts 1 5 1 >/dev/null
expect_eq "--force: outer calls" "$(column "$(csv "$TMP/main.c")" outer calls)" 5
[ -e "$TMP/main.c.old" ] && fail "--force kept a non-profile as .old"

# a profile is kept as NAME.old, both readable by h5dump
$SCOPE run -q -o "$TMP/p.h5" -- $PROGS/counts 1 3 1 >/dev/null
$SCOPE run -o "$TMP/p.h5" -- $PROGS/counts 1 7 1 >/dev/null 2>"$TMP/err"
grep -q "kept the previous profile as $TMP/p.h5.old" "$TMP/err" ||
	fail "no info line about p.h5.old: $(cat "$TMP/err")"
h5dump -H "$TMP/p.h5.old" >/dev/null || fail "h5dump cannot read p.h5.old"
h5dump -H "$TMP/p.h5" >/dev/null || fail "h5dump cannot read p.h5"
expect_eq "old profile: outer calls" "$(column "$(csv "$TMP/p.h5.old")" outer calls)" 3
expect_eq "new profile: outer calls" "$(column "$(csv "$TMP/p.h5")" outer calls)" 7
no_temp "$TMP" "rotation"

# an output name of 250 bytes: the temporary name must fit NAME_MAX too
long=$TMP/$(printf 'n%.0s' $(seq 250))
$SCOPE run -q -o "$long" -- $PROGS/counts 1 2 1 >/dev/null ||
	fail "a 250-byte output name failed"
expect_eq "long name: outer calls" "$(column "$(csv "$long")" outer calls)" 2
refused "a 256-byte output name" "File name too long" -o "${long}nnnnnn"

# SIGKILL while profiling: nothing at all is left
mkdir "$TMP/kill"
$SCOPE run -o "$TMP/kill/k.h5" -- $PROGS/ticker 3 >/dev/null 2>"$TMP/err" &
agent=$!
for _ in $(seq 100); do grep -q attached "$TMP/err" && break; sleep 0.1; done
grep -q attached "$TMP/err" || fail "the agent never attached: $(cat "$TMP/err")"
kill -KILL $agent
wait $agent || true
expect_eq "files after SIGKILL" "$(ls -A "$TMP/kill")" ""

# a killed agent's leftover (dead pid) is removed by the next run there;
# one of a live process is not
sleep 60 &
live=$!
: >"$TMP/kill/.k.h5.scope-bpf-tmp.$live.AbCdEf"
sh -c 'exit 0' &
dead=$!
wait $dead
: >"$TMP/kill/.k.h5.scope-bpf-tmp.$dead.XyZ123"
$SCOPE run -o "$TMP/kill/k.h5" -- $PROGS/counts 1 2 1 >/dev/null 2>"$TMP/err"
grep -q "removed .*scope-bpf-tmp.$dead" "$TMP/err" || fail "no word of the leftover: $(cat "$TMP/err")"
[ -e "$TMP/kill/.k.h5.scope-bpf-tmp.$dead.XyZ123" ] && fail "a dead agent's temporary was left"
[ -e "$TMP/kill/.k.h5.scope-bpf-tmp.$live.AbCdEf" ] || fail "a live process's temporary was removed"
echo "ok: a dead agent's leftover removed, a live one's kept"
kill $live
rm "$TMP/kill/.k.h5.scope-bpf-tmp.$live.AbCdEf"

# SIGINT (twice under run: the first goes to the command): a valid file,
# no temporary
mkdir "$TMP/int"
$SCOPE run -o "$TMP/int/i.h5" -- $PROGS/ticker 30 >/dev/null 2>"$TMP/err" &
agent=$!
for _ in $(seq 100); do grep -q attached "$TMP/err" && break; sleep 0.1; done
sleep 0.5
kill -INT $agent
sleep 0.2
kill -INT $agent 2>/dev/null || true
wait $agent || true
h5dump -H "$TMP/int/i.h5" >/dev/null || fail "no valid file after SIGINT"
calls=$(column "$(csv "$TMP/int/i.h5")" tick calls)
expect_between "ticks before SIGINT" "$calls" 10 10000
no_temp "$TMP/int" "SIGINT"
