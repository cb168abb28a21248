# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Helpers for the integration tests: each test is a bash script that runs the
# real scope-bpf (real BPF, real HDF5) as root and exits non-zero on failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
OUTPUT=${OUTPUT:-.output}
SCOPE=${SCOPE:-./scope-bpf}
# absolute: pkill -f "$PROGS/..." must not match the programs of another
# checkout's tests running beside these
PROGS=$(realpath -m "$OUTPUT/tests/progs")
TMP=$(mktemp -d /tmp/scope-bpf-test.XXXXXX)
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip REASON: this test cannot run here (tests/run.sh counts it as SKIP,
# exit 77 as in automake)
skip() {
	echo "SKIP: $*"
	exit 77
}

# Waits on conditions, never on guessed delays: a loaded machine only makes
# them slower, and an idle one does not pay for the worst case.

# wait_for TIMEOUT_S CMD...: runs CMD until it succeeds, every 10 ms for
# the first 100 ms (most waits are short) then every 50 ms; returns 1 if it
# has not succeeded after TIMEOUT_S seconds (fractions allowed)
wait_for() {
	local us end tries=0
	us=$(awk -v t="$1" 'BEGIN { printf "%d", t * 1000000 }')
	end=$((${EPOCHREALTIME/./} + us))
	shift
	until "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		tries=$((tries + 1))
		if [ $tries -le 10 ]; then sleep 0.01; else sleep 0.05; fi
	done
}

# wait_for_line FILE REGEX TIMEOUT_S: until a line of FILE matches (ERE)
wait_for_line() {
	wait_for "$3" grep -Eq -- "$2" "$1"
}

# exited PID: gone, or a zombie (kill -0 still succeeds on a zombie child)
exited() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	[ "${stat%% *}" = Z ]
}

# wait_for_exit PID TIMEOUT_S
wait_for_exit() {
	wait_for "$2" exited "$1"
}

# wait_for_mapped PID FILE [TIMEOUT_S]: until process PID maps FILE (its exec
# or its loader is done): what attach needs to find the regions in FILE
wait_for_mapped() {
	local path
	path=$(realpath "$2")
	wait_for "${3:-10}" grep -qF -- "$path" "/proc/$1/maps" ||
		fail "pid $1 has not mapped $path"
}

# wait_for_attached ERRFILE PID [TIMEOUT_S]: until the agent PID writing its
# stderr to ERRFILE says it attached; fails at once if the agent died
wait_for_attached() {
	local err=$1 pid=$2
	wait_for "${3:-30}" attached_or_dead "$err" "$pid" ||
		fail "the agent has not attached: $(cat "$err")"
	exited "$pid" && fail "the agent died before attaching: $(cat "$err")"
	return 0
}
attached_or_dead() {
	grep -q "attached" "$1" || exited "$2"
}

# wait_for_command AGENT_PID PROG [TIMEOUT_S]: under `run`, "attached" comes
# just before the agent lets its child exec the command: this waits until a
# child of the agent maps PROG, i.e. the command runs
wait_for_command() {
	local path
	path=$(realpath "$2")
	wait_for "${3:-10}" child_maps "$1" "$path" ||
		fail "agent $1 has not started $path"
}
child_maps() {
	local c
	for c in $(pgrep -P "$1"); do
		grep -qF -- "$2" "/proc/$c/maps" 2>/dev/null && return 0
	done
	return 1
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

# csv_threads FILE: one row per region and thread (tid, pid, comm)
csv_threads() {
	$SCOPE report --format csv --threads "$1"
}

# column CSVTEXT REGION NAME: values of column NAME for REGION, one per thread
# (a column the CSV lacks prints "no-column-NAME", so no check passes on it)
column() {
	awk -F, -v r="$2" -v c="$3" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
			  if (!(c in col)) { print "no-column-" c; exit } ; next }
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

# h5str FILE PATH ATTR: a string attribute read by h5dump
h5str() {
	h5dump -a "$2/$3" "$1" | sed -n 's/^ *(0): "\(.*\)"$/\1/p' | head -n 1
}

# expect_site_mode FILE: under a site mode forced by SCOPE_BPF_SITE_MODE
# (tests/run.sh's "# site-modes: all"), the profile says it used that mode
expect_site_mode() {
	local got
	got=$(h5str "$1" /meta site_mode)
	case ${SCOPE_BPF_SITE_MODE:-auto} in
	trap | nop5) expect_eq "/meta/site_mode" "$got" "$SCOPE_BPF_SITE_MODE" ;;
	*) [[ $got == trap || $got == nop5 ]] ||
		fail "/meta/site_mode: got '$got', expected trap or nop5" ;;
	esac
	# and the report says it
	$SCOPE report "$1" | grep -q "^sites     $got" ||
		fail "report names no site mode $got"
}
