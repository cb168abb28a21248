#!/bin/bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The benchmark harness. Each timing figure is a ratio or a difference taken
# inside one run: the configurations alternate (A B A B ...), RUNS rounds, and
# the median, min and max over the rounds are printed. One table at the end,
# then one "bench: name=value unit" line per figure.
#
# Usage: bench/run.sh [--quick] [FIGURE...]
#   FIGURE: detached attached bpftrace func lossless memory attach
#   compensation scaling trace tracemem python (default: all; `BENCH_ONLY="scaling" make bench` passes its
#   words here)
#   --quick: tiny sizes and one round, to check that the harness works
#   RUNS=N in the environment: rounds per figure (default 7)
#   SCALING_THREADS="1 2 ...": the scaling table's thread counts (default 1 2
#   4 ... below the online CPUs, one less than them, and all of them)
#   SCALING_MODES="kernel ring": its SCOPE_BPF_AGGREGATE modes (default both
#   where the agent reads the variable, else ring)
#   SCALING_S=S: seconds per scaling run (default 3)
#
# The attached figure times the empty-program floor at both sites of the
# marker (its 1-byte nop: a trap; its 5-byte nop: the kernel's trampoline
# where it optimises it), says which one scope-bpf's --site-mode=auto took,
# and divides scope-bpf attached by the cheaper floor.
#
# Timed single-thread workloads run on CPU 1 and the tools on CPU 0 (when
# there are two CPUs), so that the agent never shares the workload's CPU.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bias.sh
source bench/lib.sh

RUNS=${RUNS:-7}
N_DETACHED=200000000	# regions per detached run (~0.1 s of nops)
N_ATTACHED=1000000	# regions per attached run (~1 s)
LOSSLESS_S=10		# seconds of both cores producing regions
MEMORY_S=60		# seconds of each memory run
MEMORY_RATE=50000	# regions/s per thread in the small memory run (x10 in the other)
N_NESTED=2000		# parents (of 10 children) per compensation run
SCALING_S=${SCALING_S:-3}	# seconds per scaling run (one per row)
N_TRACE=20000000	# intervals per trace_write run
TRACE_MEM_S=${TRACE_MEM_S:-60}	# seconds of the --trace memory run
N_PY_DETACHED=2000000	# calls per detached Python run (of each kind)
N_PY_ATTACHED=300000	# regions per attached Python run
if [ "${1:-}" = --quick ]; then
	shift
	RUNS=1
	N_DETACHED=1000000
	N_ATTACHED=20000
	LOSSLESS_S=0.5
	MEMORY_S=0.5
	N_NESTED=200
	SCALING_S=0.3
	N_TRACE=200000
	TRACE_MEM_S=1
	N_PY_DETACHED=20000
	N_PY_ATTACHED=5000
fi
FIGURES=${*:-detached attached bpftrace func lossless memory attach compensation scaling trace tracemem python}

bench__setup

for fig in $FIGURES; do
	case $fig in
	detached | attached | bpftrace | func | lossless | memory | attach | compensation | scaling | trace | tracemem | python)
		"figure__$fig" ;;
	*)
		echo "bench: unknown figure '$fig'" >&2
		exit 2 ;;
	esac
done

bench__print
