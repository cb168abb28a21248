#!/bin/bash
# The live status line: under a pseudo-terminal (script(1)), run and attach
# redraw it about once a second with its fields and a plausible rate, and
# erase it before their closing lines; -q, --no-status and a stderr that is
# no terminal have none.
source "$(dirname "$0")/lib.sh"

command -v script >/dev/null || skip "no script(1) (util-linux)"

# in_pty OUT CMD: CMD's terminal output (stdout and stderr) into OUT
in_pty() {
	local out=$1
	shift
	script -qfec "$*" /dev/null >"$out" </dev/null
}

# The status lines of a capture, one a line: each redraw starts with \r.
status_lines() {
	tr '\r' '\n' <"$1" | grep -aE '^scope-bpf: [0-9.hms]+  [0-9.]+[kMGTP]? regions/s  [0-9.]+[kMGTP]? regions  [0-9.]+[kMGTP]? lost  mem [0-9.]+ MiB' || true
}

# expect_status WHAT OUT MIN_UPDATES: the line's fields, redrawn, a rate
# the ticker (a 1 ms region in a loop) can have, and erased before the
# agent's closing line
expect_status() {
	local what=$1 out=$2 min=$3 n rate
	n=$(status_lines "$out" | wc -l)
	[ "$n" -ge "$min" ] || fail "$what: $n status updates, expected >= $min: $(cat -A "$out")"
	rate=$(status_lines "$out" | sed -n 2p | awk '{ print $3 }')
	case $rate in
	*k) fail "$what: $rate regions/s from a 1 ms region" ;;
	esac
	[ "${rate%.*}" -ge 200 ] && [ "${rate%.*}" -le 1100 ] ||
		fail "$what: $rate regions/s, expected about 900"
	tr '\r' '\n' <"$out" | grep -a 'scope-bpf: wrote' | grep -aq 'regions/s' &&
		fail "$what: the closing line shares a line with the status"
	# the first closing line, "wrote" or another
	grep -aq $'\r\e\\[Kscope-bpf: ' "$out" ||
		fail "$what: the status line was not erased before the closing lines"
	echo "ok: $what: $n updates, $rate regions/s"
}

# expect_none WHAT FILE
expect_none() {
	grep -aq 'regions/s' "$2" && fail "$1: a status line: $(cat -A "$2")"
	grep -aq 'scope-bpf: wrote' "$2" || fail "$1: no closing line: $(cat -A "$2")"
	echo "ok: $1: no status line"
}

run="$SCOPE run -o $TMP/p.h5 --no-calibrate"

in_pty "$TMP/run" "$run -- $PROGS/ticker 3.5"
expect_status "run" "$TMP/run" 2
grep -aq 'ticks [0-9]' "$TMP/run" || fail "run: the command's output is missing"

SCOPE_BPF_AGGREGATE=ring in_pty "$TMP/ring" "$run -- $PROGS/ticker 2.5"
expect_status "run, regions through the ring" "$TMP/ring" 2

in_pty "$TMP/quiet" "$run -q -- $PROGS/ticker 2.5"
grep -aq 'regions/s' "$TMP/quiet" && fail "-q: a status line: $(cat -A "$TMP/quiet")"
echo "ok: -q: no status line"

in_pty "$TMP/nostatus" "$run --no-status -- $PROGS/ticker 2.5"
expect_none "--no-status" "$TMP/nostatus"

# stderr into a file, stdout still the terminal
in_pty "$TMP/tty" "$run -- $PROGS/ticker 2.5 2>$TMP/stderr"
expect_none "stderr not a terminal" "$TMP/stderr"

$PROGS/ticker 6 >/dev/null &
target=$!
wait_for_mapped "$target" "$PROGS/ticker" 5 || fail "ticker did not start"
in_pty "$TMP/attach" "$SCOPE attach -p $target -d 2.5 -o $TMP/a.h5 --no-calibrate"
expect_status "attach" "$TMP/attach" 2
kill "$target"
