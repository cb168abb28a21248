# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The compensation figure, shared by the bench (bench/lib.sh) and its test
# (tests/integration/test_compensation.sh) so both judge it alike.

# bias_removed TRUTH RAW COMP [DECIMALS]: the share of RAW's distance to
# TRUTH that COMP removes, in % (DECIMALS places, default 1)
bias_removed() {
	awk -v t="$1" -v r="$2" -v c="$3" -v d="${4:-1}" 'BEGIN {
		rb = r - t; cb = c - t
		if (rb < 0) rb = -rb
		if (cb < 0) cb = -cb
		printf "%.*f\n", d, rb ? 100 * (1 - cb / rb) : 0 }'
}
