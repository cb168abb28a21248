#!/bin/bash
# -o placeholders (%p, %h, %t, %%) and the option values checked before a
# run: --duration with units and a bound, --ringbuf-size with a bound.
source "$(dirname "$0")/lib.sh"

# expect_usage WHAT PATTERN CMD...: exit 2 and PATTERN on stderr
expect_usage() {
	local what=$1 pattern=$2 rc=0
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	expect_eq "$what: exit status" "$rc" 2
	grep -q -- "$pattern" "$TMP/err" || fail "$what: no '$pattern' in stderr"
	grep -q "uid=" "$TMP/out" && fail "$what: the command ran anyway"
	return 0
}

# %p is the target's real pid, read back from the file's /meta/pid
$SCOPE run -q -o "$TMP/run-%p.h5" -- $PROGS/counts 1 3 1 >/dev/null
files=$(cd "$TMP" && ls run-*.h5)
pid=$(h5attr "$TMP/$files" /meta pid)
expect_eq "file named after the pid" "$files" "run-$pid.h5"

# %h, %t and %% under attach
$PROGS/ticker 2 >/dev/null &
tpid=$!
$SCOPE attach -q -p $tpid -d 300ms -o "$TMP/a-%h-%p-%t-100%%.h5"
host=$(uname -n | cut -d. -f1)
ls "$TMP" | grep -Eq "^a-$host-$tpid-[0-9]{8}T[0-9]{6}Z-100%\.h5$" ||
	fail "attach: no file a-$host-$tpid-TIME-100%.h5 in: $(ls "$TMP")"
echo "ok: %h, %p, %t and %% expanded"
wait $tpid

expect_usage "unknown placeholder" "unknown placeholder '%x'" \
	$SCOPE run -o "$TMP/x-%x.h5" -- $PROGS/ident
expect_usage "placeholder cut short" "unknown placeholder" \
	$SCOPE run -o "$TMP/x-%" -- $PROGS/ident
expect_usage "duration 1e300" "at most 1 year" \
	$SCOPE attach -p $$ -d 1e300 -o "$TMP/x.h5"
expect_usage "duration with a bad unit" "invalid duration" \
	$SCOPE attach -p $$ -d 10parsecs -o "$TMP/x.h5"
expect_usage "ring buffer of 2 GiB" "at most 256 MiB" \
	$SCOPE run --ringbuf-size 2048 -o "$TMP/x.h5" -- $PROGS/ident
# help text: argp wraps lines anywhere
helptext() { "$@" --help | tr -s ' \n' '  '; }
helptext $SCOPE run | grep -q "%p is the target's pid" || fail "--help says nothing of %p"
helptext $SCOPE attach | grep -q "500ms" || fail "--help says nothing of duration units"
helptext $SCOPE attach | grep -q "twice this resident" || fail "--help says nothing of the ring buffer's memory"
echo "ok: --help"

# units as typed: 1.5s of a ticker that runs 5 s
$PROGS/ticker 5 >/dev/null &
tpid=$!
start=$(date +%s%N)
$SCOPE attach -q -p $tpid -d 1.5s -o "$TMP/d.h5"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_between "attach -d 1.5s took (ms)" "$ms" 1400 4000
kill $tpid
