#!/bin/bash
# Bad input: a clear one-line error and a non-zero exit, nothing half-written.
source "$(dirname "$0")/lib.sh"

# expect_error WHAT CODE PATTERN CMD...
expect_error() {
	local what=$1 code=$2 pattern=$3 rc=0
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	[ "$rc" -eq "$code" ] || fail "$what: exit $rc, expected $code"
	grep -q -- "$pattern" "$TMP/err" || fail "$what: no '$pattern' in stderr"
	echo "ok: $what"
}

pid_max=$(cat /proc/sys/kernel/pid_max)
expect_error "wrong pid" 1 "no such process" \
	$SCOPE attach --pid $((pid_max - 1)) -o "$TMP/x.h5"
expect_error "pid not a number" 2 "invalid PID" $SCOPE attach --pid abc
expect_error "attach without --pid" 2 "pid PID is required" $SCOPE attach
expect_error "run without command" 2 "no command" $SCOPE run
expect_error "bad ring buffer size" 2 "ring buffer size" \
	$SCOPE run --ringbuf-size 3 -- /bin/true
expect_error "unknown command" 2 "unknown command" $SCOPE frobnicate
expect_error "no markers" 1 "no scope-bpf markers" \
	$SCOPE run -o "$TMP/x.h5" -- $PROGS/plain
grep -q "plain ran" "$TMP/out" && fail "the unmarked program was run anyway"
[ -e "$TMP/x.h5" ] && fail "a file was written for a failed run"
expect_error "output in a missing directory" 1 "cannot write the profile there" \
	$SCOPE run -o "$TMP/no/such/dir/x.h5" -- $PROGS/ident
grep -q "uid=" "$TMP/out" && fail "the command ran although its profile could not be written"
expect_error "output is a directory" 1 "Is a directory" \
	$SCOPE run -o "$TMP" -- $PROGS/ident
expect_error "missing command" 127 "No such file" \
	$SCOPE run -o "$TMP/x.h5" -- ./no-such-program
expect_error "report of a text file" 1 "error" $SCOPE report /etc/passwd
expect_error "report of a missing file" 1 "No such file" $SCOPE report "$TMP/none.h5"
head -c 3000 /dev/urandom >"$TMP/garbage.h5"
expect_error "report of random bytes" 1 "error" $SCOPE report "$TMP/garbage.h5"

# a real profile, truncated: an error, never a crash
$SCOPE run -q -o "$TMP/ok.h5" -- $PROGS/counts 1 10 1 >/dev/null
size=$(stat -c %s "$TMP/ok.h5")
head -c $((size / 2)) "$TMP/ok.h5" >"$TMP/trunc.h5"
expect_error "report of a truncated file" 1 "error" $SCOPE report "$TMP/trunc.h5"
$SCOPE --help | grep -q "attach" || fail "--help lists no commands"
$SCOPE --version | grep -q "scope-bpf [0-9]" || fail "--version"
echo "ok: --help, --version"

# damaged bytes anywhere: a report or one error line, exit 0 or 1, never a
# crash of scope-bpf itself (libhdf5 may crash: report reads in a child).
# libhdf5 1.10 may also loop for ever on a damaged global heap (the vlen
# strings): report's child then spins until its CPU-time limit (10 s plus
# 1 s per MiB of file) sends it SIGXCPU. A report of this small file takes
# milliseconds, so after 5 s the test sends that SIGXCPU itself: the same
# path, sooner.
RANDOM=7
hung=0
for i in $(seq 40); do
	cp "$TMP/ok.h5" "$TMP/fuzz.h5"
	for _ in 1 2 3 4; do
		printf "\\x$(printf %02x $((RANDOM % 256)))" |
			dd of="$TMP/fuzz.h5" bs=1 seek=$((RANDOM * 32768 % size + RANDOM % 2)) conv=notrunc status=none
	done
	rc=0 reader=
	$SCOPE report "$TMP/fuzz.h5" >/dev/null 2>"$TMP/err" &
	rp=$!
	if ! wait_for_exit $rp 5; then
		reader=$(pgrep -P $rp) || fail "damaged file $i: report hung in its parent"
		kill -XCPU $reader
		hung=$((hung + 1))
	fi
	wait $rp || rc=$?
	[ "$reader" ] && { grep -q "did not finish reading it" "$TMP/err" || fail "damaged file $i: hang not reported"; }
	[ $rc -le 1 ] || fail "damaged file $i: exit $rc: $(cat "$TMP/err")"
	[ $rc -eq 0 ] || [ "$(grep -c "scope-bpf: error" "$TMP/err")" -ge 1 ] ||
		fail "damaged file $i: exit 1 without an error line"
done
echo "ok: 40 damaged files, no crash ($hung hung libhdf5 and were cut short)"

# a FIFO (or a device) would block the read for ever: refused at once
mkfifo "$TMP/fifo.h5"
expect_error "report of a FIFO" 1 "not a regular file" timeout 10 $SCOPE report "$TMP/fifo.h5"

