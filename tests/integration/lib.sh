# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Helpers for the integration tests: each test is a bash script that runs the
# real scope-bpf (real BPF, real HDF5) as root and exits non-zero on failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUTPUT=${OUTPUT:-.output}
SCOPE=./scope-bpf
PROGS=$OUTPUT/tests/progs
TMP=$(mktemp -d /tmp/scope-bpf-test.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	echo "ok: $1 = $3"
}

# expect_between WHAT VALUE LOW HIGH (integers)
expect_between() {
	[ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		fail "$1: $2 not in [$3, $4]"
	echo "ok: $1 = $2 in [$3, $4]"
}

# csv FILE: the per-thread CSV of a profile
csv() {
	$SCOPE report --format csv "$1"
}

# column CSVTEXT REGION NAME: values of column NAME for REGION, one per thread
column() {
	awk -F, -v r="$2" -v c="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == r { print $col[c] }' <<<"$1"
}

# sum_column CSVTEXT REGION NAME
sum_column() {
	column "$1" "$2" "$3" | awk '{ s += $1 } END { print s + 0 }'
}

# h5attr FILE PATH ATTR: an integer attribute read by h5dump (not our code)
h5attr() {
	h5dump -a "$2/$3" "$1" | awk '/\(0\)/ { print $2; exit }'
}
