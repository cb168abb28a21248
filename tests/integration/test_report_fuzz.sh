#!/bin/bash
# Damaged profiles: report says "corrupt" (exit 1, one error line) or reports
# (exit 0); never a signal, and its memory stays within a small multiple of
# the file's size, whatever size a flipped bit claims (issue 8, point 13: a
# one-bit flip made report take 4.3 GB and 18 s).
# ~100-110 s of report runs on an idle 2-vCPU VM: the default 120 s limit
# timed it out on a loaded one
# timeout: 300
source "$(dirname "$0")/lib.sh"

MAXRSS=$OUTPUT/bench/maxrss
[ -x "$MAXRSS" ] || fail "$MAXRSS missing: build it with make integration"

# with counters: /counters and its matrices are damaged too
$SCOPE run -q --counters task-clock,page-faults -o "$TMP/ok.h5" -- \
	$PROGS/counts 2 10 1 >/dev/null
size=$(stat -c %s "$TMP/ok.h5")
rss() { # FILE: peak RSS (KiB) of report, its reading child included
	{ "$MAXRSS" $SCOPE report --threads "$1" 2>&1 >/dev/null || true; } |
		sed -n 's/^maxrss_kib=//p'
}
healthy=$(rss "$TMP/ok.h5")
# the child's cap: 64 MiB for the library's caches + 32 x the file
max_kib=$((healthy + 65536 + 32 * size / 1024))
vmem_kib=$((100 * 1024 + 10 * size / 1024))

# flip BYTE MASK: a copy of the profile with bits MASK of byte BYTE flipped
flip() {
	local old
	old=$(od -An -tu1 -j "$1" -N1 "$TMP/ok.h5" | tr -d ' ')
	cp "$TMP/ok.h5" "$TMP/fuzz.h5"
	printf "\\x$(printf %02x $((old ^ $2)))" |
		dd of="$TMP/fuzz.h5" bs=1 seek="$1" conv=notrunc status=none
}

check() { # WHAT
	local rc=0 kib
	(ulimit -v $vmem_kib; exec $SCOPE report --threads "$TMP/fuzz.h5") \
		>/dev/null 2>"$TMP/err" || rc=$?
	[ $rc -le 1 ] || fail "$1: exit $rc under ulimit -v: $(cat "$TMP/err")"
	[ $rc -eq 0 ] || grep -q "scope-bpf: error: " "$TMP/err" ||
		fail "$1: exit 1 without an error line"
	kib=$(rss "$TMP/fuzz.h5")
	[ "$kib" -le $max_kib ] || fail "$1: $kib KiB, more than $max_kib"
}

# Lengths, counts and extents are little-endian words with small values:
# a bit set high in one claims hundreds of megabytes.
n=0
while read -r off value; do
	[ -n "$value" ] && [ "$value" -ge 1 ] && [ "$value" -le 4096 ] || continue
	off=$((10#$off))
	flip $((off + 3)) 16
	check "word at $off ($value) + 2^28"
	n=$((n + 1))
done < <(od -An -Ad -tu4 -v -w4 "$TMP/ok.h5")
echo "ok: $n length-like words made huge, memory under $max_kib KiB"

RANDOM=11
for i in $(seq 150); do
	flip $(((RANDOM * 32768 + RANDOM) % size)) $((1 << (RANDOM % 8)))
	check "random bit $i"
done
echo "ok: 150 random bits flipped, no signal, memory under $max_kib KiB"
