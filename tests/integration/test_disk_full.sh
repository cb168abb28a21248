#!/bin/bash
# A full disk: one error line that names the file and says "No space left
# on device", exit status 1 (or the command's own under run), no crash, no
# file and no temporary left, the command itself untouched.
source "$(dirname "$0")/lib.sh"

FULL=$TMP/full
mkdir "$FULL"
mount -t tmpfs -o size=64k tmpfs "$FULL"
trap 'umount "$FULL" 2>/dev/null; kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT
# leave a few KiB: less than any profile (about 15 KiB)
dd if=/dev/zero of="$FULL/fill" bs=1k count=60 status=none 2>/dev/null || true

# expect_full WHAT CODE CMD...
expect_full() {
	local what=$1 code=$2 rc=0
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
	cat "$TMP/err"
	[ "$rc" -ne 139 ] && [ "$rc" -lt 128 ] || fail "$what: crashed (exit $rc)"
	expect_eq "$what: exit status" "$rc" "$code"
	grep -q "$FULL/x.h5.*No space left on device" "$TMP/err" ||
		fail "$what: no 'No space left on device' naming the file"
	grep -q "partial file was removed" "$TMP/err" ||
		fail "$what: the removal of the partial file is not said"
	expect_eq "$what: files left" "$(ls -A "$FULL")" fill
}

expect_full "run" 1 $SCOPE run -o "$FULL/x.h5" -- $PROGS/counts 2 50 3
grep -q "threads=2" "$TMP/out" || fail "run: the command did not run to its end"
# the command's own failure is still its exit status
expect_full "run, command exits 3" 3 $SCOPE run -o "$FULL/x.h5" -- $PROGS/doomed exit

$PROGS/ticker 3 >/dev/null &
pid=$!
expect_full "attach" 1 $SCOPE attach -p $pid -d 300ms -o "$FULL/x.h5"
kill -0 $pid || fail "attach: the target died"
wait $pid || fail "attach: the target exited with $?"
