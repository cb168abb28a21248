#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs the unit tests (cmocka) and the integration tests (real BPF, needs root)
# and prints one closing line: "N passed, N failed".
# Usage: tests/run.sh [unit|integration]   (default: both)
set -u
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-.output}
what=${1:-all}
passed=0
failed=0
failures=()

run_one() { # name, command...
	local name=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		printf '  PASS  %s\n' "$name"
	else
		failed=$((failed + 1))
		failures+=("$name")
		printf '  FAIL  %s\n' "$name"
		sed 's/^/        | /' "$log" | tail -n 40
	fi
	rm -f "$log"
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	echo "== unit tests"
	for t in "$OUTPUT"/tests/test_*; do
		[ -x "$t" ] || continue
		run_one "unit/$(basename "$t")" "$t"
	done
fi

if [ "$what" = all ] || [ "$what" = integration ]; then
	echo "== integration tests"
	if [ "$(id -u)" -ne 0 ]; then
		echo "integration tests load BPF programs: run them as root" >&2
		failed=$((failed + 1))
	else
		for t in tests/integration/test_*.sh; do
			run_one "integration/$(basename "$t" .sh)" bash "$t"
		done
	fi
fi

echo
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
