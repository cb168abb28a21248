# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The harness's parts, sourced by bench/run.sh: how one run of each
# configuration is made, and each figure as a function.

B=.output/bench
SCOPE=./scope-bpf
W=$PWD/$B/workload
W_OFF=$PWD/$B/workload-off
FLOOR=$B/bench-floor
MAXRSS=$B/maxrss
MANY=$PWD/$B/regions1000
NESTED=$PWD/$B/nested_bias
SPIN=$PWD/$B/spin_threads
TRACE_WRITE=$B/trace_write
PYTHON=/usr/bin/python3
PY_COST=$PWD/bench/python_cost.py
PY_PATH=$PWD/.output/python
PYMARKED_DIR=$PWD/.output/tests/progs
WARMUP=1000
ROWS=()	 # table rows: figure, median, min, max, unit
LINES=() # bench: lines

log() { echo "bench: $*" >&2; }

bench__setup() {
	local b
	for b in $W $W_OFF $FLOOR $MAXRSS $MANY $NESTED $SPIN $TRACE_WRITE $SCOPE; do
		[ -x "$b" ] || { log "$b is missing: run make bench-progs"; exit 1; }
	done
	[ -f "$PY_PATH/scope_bpf/__init__.py" ] ||
		{ log "$PY_PATH/scope_bpf is missing: run make python"; exit 1; }
	[ -f "$PYMARKED_DIR/pymarked.so" ] ||
		{ log "$PYMARKED_DIR/pymarked.so is missing: run make bench-progs"; exit 1; }
	OUT=$(mktemp -d /tmp/scope-bench.XXXXXX)
	# bpf_stats_enabled adds 70-95 ns to every BPF run: record it, run
	# with it off, put it back
	STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null || echo unknown)
	[ "$STATS_WAS" = 1 ] && sysctl -qw kernel.bpf_stats_enabled=0
	trap bench__cleanup EXIT
	WCPU=()
	TCPU=()
	if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
		WCPU=(taskset -c 1)
		TCPU=(taskset -c 0)
	fi
	log "kernel $(uname -r), $(nproc) CPUs, bpf_stats_enabled was $STATS_WAS (off while measuring), $RUNS rounds"
	list_sites
}

bench__cleanup() {
	kill -9 $(jobs -p) 2>/dev/null || true
	[ "$STATS_WAS" = 1 ] && sysctl -qw kernel.bpf_stats_enabled=1
	rm -rf "$OUT"
}

# summary: median, min and max of the numbers on stdin
summary() {
	sort -g | awk '{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

# row NAME UNIT VALUE...: a table row from the values of the rounds; the
# median is left in MED
row() {
	local name=$1 unit=$2 min max
	shift 2
	read -r MED min max < <(printf '%s\n' "$@" | summary)
	ROWS+=("$(printf "%-48s %12s %12s %12s  %s" "$name" "$MED" "$min" "$max" "$unit" | sed "s/\.000\b/    /g")")
}

# figure NAME VALUE UNIT: the machine-readable line
figure() {
	LINES+=("bench: $1=${2%.000} $3")
}

# pairwise OP A... -- B...: a[i] OP b[i] for each round
pairwise() {
	local op=$1 i
	shift
	local -a a=() b=()
	while [ "$1" != -- ]; do a+=("$1"); shift; done
	shift
	b=("$@")
	for i in "${!a[@]}"; do
		awk -v x="${a[$i]}" -v y="${b[$i]}" -v op="$op" 'BEGIN {
			if (op == "-") printf "%.3f\n", x - y
			else printf "%.4f\n", y ? x / y : 0 }'
	done
}

# compare NAME UNIT OP A B: a row of A[i] OP B[i] over the rounds, A and B
# named arrays; the values are left in PAIRS, the median in MED
compare() {
	local -n xa=$4 xb=$5
	mapfile -t PAIRS < <(pairwise "$3" "${xa[@]}" -- "${xb[@]}")
	row "$1" "$2" "${PAIRS[@]}"
}

bench__print() {
	echo
	printf '%-48s %12s %12s %12s  %s\n' figure median min max unit
	printf '%s\n' "${ROWS[@]}"
	echo
	printf '%s\n' "${LINES[@]}"
}

field() { # field NAME: NAME=value from the workload's line on stdin
	tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# wait_exec PID EXE: until PID runs EXE (attach must not see the shell)
wait_exec() {
	local i
	for i in $(seq 500); do
		[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.01
	done
	log "pid $1 never ran $2"
	exit 1
}

# wait_line PID FILE PATTERN: until the tool PID prints PATTERN to FILE
wait_line() {
	while ! grep -q "$3" "$2" 2>/dev/null; do
		if ! kill -0 "$1" 2>/dev/null; then
			log "tool exited before it was ready:"
			cat "$2" >&2
			exit 1
		fi
		sleep 0.005
	done
}

# wait_settled FILE: until scope-bpf's site trial said its choice in FILE
# (the agent's stderr), at most 5 s
wait_settled() {
	local i
	for ((i = 0; i < 1000; i++)); do
		grep -q "site trial" "$1" 2>/dev/null && return 0
		sleep 0.005
	done
	log "no site trial within 5 s"
}

# sym_offset BINARY SYMBOL: the symbol's file offset, where uprobes go
sym_offset() {
	local vaddr type off va _fa _fs msz
	vaddr=$((16#$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }')))
	while read -r type off va _fa _fs msz _; do
		[ "$type" = LOAD ] || continue
		if ((va <= vaddr && vaddr < va + msz)); then
			printf '%#x\n' $((vaddr - va + off))
			return 0
		fi
	done < <(readelf -lW "$1")
	log "$2 is in no segment of $1"
	exit 1
}

# list_sites: the workload's marker sites from `scope-bpf list --sites`,
# once, into SITES_CSV. Its region begins in one function and ends in
# another on purpose (the symbols bpftrace attaches to split marker_regions),
# which list warns about: those warnings are dropped, any other is shown.
list_sites() {
	local known='(BEGIN|END)\(empty\) at bench/workload\.c:[0-9]+ has no (END|BEGIN)\(empty\) in the same function'
	local note='a region that begins in one function and ends in another on purpose is fine'
	SITES_CSV=$($SCOPE list --sites --format csv "$W" 2>"$OUT/list.err") ||
		{ log "scope-bpf list failed:"; cat "$OUT/list.err" >&2; exit 1; }
	grep -Ev "$known" "$OUT/list.err" >"$OUT/list.rest" || true
	# the note goes with the warnings it explains
	grep -qv "$note" "$OUT/list.rest" && cat "$OUT/list.rest" >&2
	return 0
}

# sites FORM: the begin and end offsets of the workload's FORM regions;
# marker is the identifier markers' 1-byte nops (trap sites), marker-nop5
# their 5-byte nops (trampoline sites); the run-time named sites (begin-rt
# and end-rt) are not these
sites() {
	case $1 in
	marker) awk -F, '$2 == "begin" || $2 == "end" { print $5 }' <<<"$SITES_CSV" ;;
	marker-nop5) awk -F, '$2 == "begin" || $2 == "end" { print $8 }' <<<"$SITES_CSV" ;;
	*) sym_offset "$W" "bench_$1_begin"; sym_offset "$W" "bench_$1_end" ;;
	esac
}

# wform FORM: the workload's --form for a site FORM (both marker sites are
# in the same marker)
wform() {
	echo "${1%-nop5}"
}

# bpftrace's job, equal to the agent's: per-thread start time at begin,
# count and duration histogram at end; at the marker sites, by symbol
bpftrace_script() {
	cat <<-EOF
	BEGIN { printf("ready\n"); }
	uprobe:$W:bench_marker_begin { @start[tid] = nsecs; }
	uprobe:$W:bench_marker_end /@start[tid]/ {
		@ns = hist(nsecs - @start[tid]); @n = count(); delete(@start[tid]);
	}
	EOF
}

# attached TOOL FORM: one timed single-thread run of the FORM workload with
# TOOL attached; prints its ns per region
attached() {
	local tool=$1 form=$2 wp tp="" ready=ready hold=()
	# scope-bpf settles its sites on the running regions first (the site
	# trial, docs/markers.md): timed once it has, like the floors' steady
	# state
	[ "$tool" = scope ] && hold=(--hold)
	"${WCPU[@]}" "$W" --wait "${hold[@]}" --form "$(wform "$form")" \
		--count $N_ATTACHED --warmup $WARMUP >"$OUT/w.out" &
	wp=$!
	wait_exec $wp "$W"
	rm -f "$OUT/t.out"
	case $tool in
	none) ;;
	scope)
		"${TCPU[@]}" $SCOPE attach --pid $wp -o "$OUT/a.h5" 2>"$OUT/t.out" &
		tp=$!
		ready=attached ;;
	floor)
		"${TCPU[@]}" $FLOOR $wp "$W" $(sites "$form") >"$OUT/t.out" &
		tp=$! ;;
	floor-perf)
		"${TCPU[@]}" $FLOOR --perf-links $wp "$W" $(sites "$form") >"$OUT/t.out" &
		tp=$! ;;
	cost_*)
		"${TCPU[@]}" $FLOOR --prog "$tool" $wp "$W" $(sites "$form") >"$OUT/t.out" &
		tp=$! ;;
	scope-func)
		# the function of the form, probed after any endbr64
		"${TCPU[@]}" $SCOPE attach --pid $wp -o "$OUT/a.h5" \
			--func "$(func_of "$form")" 2>"$OUT/t.out" &
		tp=$!
		ready=attached ;;
	scope-func-at-endbr)
		SCOPE_BPF_FUNC_ENTRY=endbr "${TCPU[@]}" $SCOPE attach --pid $wp \
			-o "$OUT/a.h5" --func "$(func_of "$form")" 2>"$OUT/t.out" &
		tp=$!
		ready=attached ;;
	bpftrace-func)
		bpftrace_func_script "$(func_of "$form")" >"$OUT/regions.bt"
		"${TCPU[@]}" bpftrace -p $wp "$OUT/regions.bt" >"$OUT/t.out" 2>&1 &
		tp=$! ;;
	bpftrace)
		bpftrace_script >"$OUT/regions.bt"
		"${TCPU[@]}" bpftrace -p $wp "$OUT/regions.bt" >"$OUT/t.out" 2>&1 &
		tp=$! ;;
	esac
	[ -n "$tp" ] && wait_line $tp "$OUT/t.out" "$ready"
	kill -USR1 $wp
	if [ ${#hold[@]} -gt 0 ]; then
		wait_settled "$OUT/t.out"
		kill -USR2 $wp
	fi
	wait $wp
	if [ -n "$tp" ]; then
		wait $tp || { log "$tool failed:"; cat "$OUT/t.out" >&2; exit 1; }
	fi
	field ns_per_region <"$OUT/w.out"
	[[ $tool != scope* ]] ||
		check_count "$OUT/a.h5" $((N_ATTACHED + $(field warmup <"$OUT/w.out")))
}

func_of() { # func_of FORM: the function a func form calls
	[ "$1" = func ] && echo bench_func || echo bench_func_endbr
}

# bpftrace's job for a function, the agent's too: the start time at entry,
# count and duration histogram at return
bpftrace_func_script() {
	cat <<-EOF
	BEGIN { printf("ready\n"); }
	uprobe:$W:$1 { @start[tid] = nsecs; }
	uretprobe:$W:$1 /@start[tid]/ {
		@ns = hist(nsecs - @start[tid]); @n = count(); delete(@start[tid]);
	}
	EOF
}

h5str() { # h5str FILE ATTR: a string attribute of /meta
	h5dump -a "/meta/$2" "$1" | sed -n 's/^ *(0): "\(.*\)"$/\1/p' | head -n 1
}

# min_of A B: per round, the smaller of the two named arrays' values
min_of() {
	local -n xa=$1 xb=$2
	local i
	for i in "${!xa[@]}"; do
		awk -v x="${xa[$i]}" -v y="${xb[$i]}" 'BEGIN { print (x < y ? x : y) }'
	done
}

# check_count FILE N: the profile holds exactly N regions (a bench that
# loses records measures nothing)
check_count() {
	local got
	got=$($SCOPE report --format csv "$1" | awk -F, 'NR > 1 { s += $3 } END { print s + 0 }')
	[ "$got" = "$2" ] || { log "profile counted $got regions, ran $2"; exit 1; }
}

h5attr() { # h5attr FILE ATTR: an integer attribute of /meta
	h5dump -a "/meta/$2" "$1" | awk '/\(0\)/ { print $2; exit }'
}

figure__detached() {
	local -a on=() off=()
	local i
	log "detached: markers (nop; lea; nop5; lea) against -DSCOPE_BPF_DISABLE, $N_DETACHED regions x $RUNS"
	for i in $(seq $RUNS); do
		# the mean over the run: a slice of nops is too short to time
		on+=("$("${WCPU[@]}" "$W" --count $N_DETACHED | field ns_mean)")
		off+=("$("${WCPU[@]}" "$W_OFF" --count $N_DETACHED | field ns_mean)")
	done
	row "detached: markers (ns/region)" ns "${on[@]}"
	row "detached: -DSCOPE_BPF_DISABLE (ns/region)" ns "${off[@]}"
	compare "detached cost (ns/region)" ns - on off
	figure detached_cost "$MED" ns/region
	figure__detached_named
}

# Names computed at run time: the same sites, the address loaded into %rdi.
figure__detached_named() {
	local -a on=() off=()
	local i
	log "detached: scope_bpf_begin_named/end_named against -DSCOPE_BPF_DISABLE, $N_DETACHED regions x $RUNS"
	for i in $(seq $RUNS); do
		on+=("$("${WCPU[@]}" "$W" --form named --count $N_DETACHED | field ns_mean)")
		off+=("$("${WCPU[@]}" "$W_OFF" --form named --count $N_DETACHED | field ns_mean)")
	done
	row "detached: named markers (ns/region)" ns "${on[@]}"
	row "detached: named, -DSCOPE_BPF_DISABLE (ns/region)" ns "${off[@]}"
	compare "detached named cost (ns/region)" ns - on off
	figure detached_named_cost "$MED" ns/region
}

# Each round measures the floor every ratio of that round is taken against,
# between the runs it divides.
figure__attached() {
	local -a sc=() ts=() fl=() m5=() fast=() n5=() en=() kt=() sg=() rb=() modes=()
	local i
	log "attached: scope-bpf against the empty-program floor, $N_ATTACHED regions x $RUNS"
	for i in $(seq $RUNS); do
		sc+=("$(attached scope marker)")
		modes+=("$(h5str "$OUT/a.h5" site_mode)")
		ts+=("$(SCOPE_BPF_FAST_STACKS=0 attached scope marker)")
		fl+=("$(attached floor marker)")
		m5+=("$(attached floor marker-nop5)")
		n5+=("$(attached floor nop5)")
		en+=("$(attached floor entry)")
		kt+=("$(attached cost_ktime marker)")
		sg+=("$(attached cost_storage marker)")
		rb+=("$(attached cost_ringbuf marker)")
	done
	row "floor: marker's 1-byte nop, trap (ns/region)" ns "${fl[@]}"
	figure floor_trap "$MED" ns/region
	row "floor: marker's 5-byte nop, trampoline" ns "${m5[@]}"
	figure floor_marker_nop5 "$MED" ns/region
	compare "floor marker nop5 / floor marker trap" x / m5 fl
	figure floor_site_nop5_ratio "$MED" x
	row "floor: 5-byte nop at function entry" ns "${n5[@]}"
	row "floor: function entry (push %rbp)" ns "${en[@]}"
	row "scope-bpf attached (ns/region)" ns "${sc[@]}"
	compare "scope-bpf above the floor (ns/region)" ns - sc fl
	figure attached_added "$MED" ns/region
	compare "  of which 2 timestamps (floor + ktime)" ns - kt fl
	compare "  2 task-storage lookups (reference)" ns - sg fl
	row "scope-bpf, thread stacks in task storage" ns "${ts[@]}"
	compare "  what the stack slots save (ns/region)" ns - ts sc
	figure slots_saved "$MED" ns/region
	compare "  2 unbatched ring-buffer records (reference)" ns - rb fl
	compare "scope-bpf / floor" x / sc fl
	figure attached_ratio "$MED" x
	mapfile -t fast < <(min_of fl m5)
	compare "scope-bpf (auto) / the fastest floor" x / sc fast
	figure attached_vs_fastest_floor "$MED" x
	# the mode auto took most often over the rounds
	figure auto_site_mode "$(printf '%s\n' "${modes[@]}" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')" \
		"($(printf '%s\n' "${modes[@]}" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }'))"
	compare "floor nop5 / floor marker" x / n5 fl
	figure floor_nop5_ratio "$MED" x
	compare "floor function entry / floor marker" x / en fl
	figure floor_entry_ratio "$MED" x
}

figure__bpftrace() {
	local -a sc=() fl=() fp=() bt=() as ab
	local i
	if ! command -v bpftrace >/dev/null; then
		log "bpftrace: not installed (make bench-deps): figure skipped"
		ROWS+=("bpftrace: not installed (make bench-deps)")
		return 0
	fi
	# bpftrace takes a symbol where scope-bpf takes a file offset: the
	# workload puts one at each marker site; both must be the same place
	[ "$(sym_offset "$W" bench_marker_begin) $(sym_offset "$W" bench_marker_end)" = \
		"$(sites marker | tr '\n' ' ' | sed 's/ $//')" ] ||
		{ log "the marker symbols are not at the marker sites"; exit 1; }
	log "bpftrace: the same job on the same sites, $N_ATTACHED regions x $RUNS"
	for i in $(seq $RUNS); do
		bt+=("$(attached bpftrace marker)")
		sc+=("$(attached scope marker)")
		fl+=("$(attached floor marker)")
		fp+=("$(attached floor-perf marker)")
	done
	row "bpftrace attached (ns/region)" ns "${bt[@]}"
	row "floor with perf-event links, bpftrace's (ns)" ns "${fp[@]}"
	compare "scope-bpf above the floor (ns/region)" ns - sc fl
	as=("${PAIRS[@]}")
	compare "bpftrace above the floor (ns/region)" ns - bt fl
	ab=("${PAIRS[@]}")
	figure bpftrace_added "$MED" ns/region
	compare "scope-bpf added / bpftrace added" x / as ab
	figure added_vs_bpftrace "$MED" x
}

# --func: a call of a probed function (entry + return probe) with scope-bpf
# and with bpftrace's uprobe + uretprobe pair, each above the unprobed call;
# and the entry probe on a leading endbr64 (single-stepped) against past it
figure__func() {
	local -a none=() sc=() bt=() ne=() after=() at=()
	local i
	if ! command -v bpftrace >/dev/null; then
		log "func: bpftrace not installed (make bench-deps): figure skipped"
		ROWS+=("func: bpftrace not installed (make bench-deps)")
		return 0
	fi
	log "func: --func against bpftrace's uprobe+uretprobe, $N_ATTACHED calls x $RUNS"
	for i in $(seq $RUNS); do
		none+=("$(attached none func)")
		sc+=("$(attached scope-func func)")
		bt+=("$(attached bpftrace-func func)")
		ne+=("$(attached none func-endbr)")
		after+=("$(attached scope-func func-endbr)")
		at+=("$(attached scope-func-at-endbr func-endbr)")
	done
	row "func: unprobed call (ns)" ns "${none[@]}"
	row "func: scope-bpf --func (ns/call)" ns "${sc[@]}"
	figure func_per_call "$MED" ns/call
	row "func: bpftrace uprobe+uretprobe (ns/call)" ns "${bt[@]}"
	compare "func: scope-bpf above unprobed (ns/call)" ns - sc none
	local -a sa=("${PAIRS[@]}")
	compare "func: bpftrace above unprobed (ns/call)" ns - bt none
	local -a ba=("${PAIRS[@]}")
	compare "func: scope-bpf added / bpftrace added" x / sa ba
	figure func_vs_bpftrace "$MED" x
	row "func: endbr64 first, probe past it (ns/call)" ns "${after[@]}"
	row "func: endbr64 first, probe on it (ns/call)" ns "${at[@]}"
	compare "func: probe on endbr64 / past it" x / at after
	figure func_endbr_vs_after "$MED" x
}

# profile2 SECONDS RATE FILE: the two-thread workload for SECONDS (RATE
# regions/s per thread, 0 = as fast as it can) under scope-bpf attach, run
# by maxrss; prints "regions_per_s maxrss_kib"
profile2() {
	local wp ap regions rss
	"$W" --wait --threads 2 --seconds "$1" --rate "$2" --warmup $WARMUP >"$OUT/w.out" &
	wp=$!
	wait_exec $wp "$W"
	rm -f "$OUT/t.out"
	$MAXRSS $SCOPE attach --pid $wp -o "$3" 2>"$OUT/t.out" &
	ap=$!
	wait_line $ap "$OUT/t.out" attached
	kill -USR1 $wp
	wait $wp
	wait $ap || { log "scope-bpf failed:"; cat "$OUT/t.out" >&2; exit 1; }
	regions=$(field regions <"$OUT/w.out")
	check_count "$3" $((regions + 2 * WARMUP))
	rss=$(awk -F= '/^maxrss_kib=/ { print $2 }' "$OUT/t.out")
	echo "$(field regions_per_s <"$OUT/w.out") $rss"
}

figure__lossless() {
	local -a rate=() drops=() rss=()
	local i r m
	log "lossless: 2 threads as fast as they can for $LOSSLESS_S s x $RUNS"
	for i in $(seq $RUNS); do
		read -r r m < <(profile2 $LOSSLESS_S 0 "$OUT/l.h5")
		rate+=("$r")
		rss+=("$m")
		drops+=("$(h5attr "$OUT/l.h5" dropped)")
	done
	row "lossless: regions recorded per second" 1/s "${rate[@]}"
	figure lossless_rate "$MED" regions/s
	row "lossless: records dropped" records "${drops[@]}"
	# the worst round: one lossy round is one too many
	figure lossless_drops "$(printf '%s\n' "${drops[@]}" | sort -n | tail -1)" records
	row "lossless: agent peak RSS (KiB)" KiB "${rss[@]}"
}

figure__memory() {
	local r1 m1 r10 m10
	log "memory: agent peak RSS, ${MEMORY_S} s at $MEMORY_RATE and 10x that, regions/s per thread"
	read -r r1 m1 < <(profile2 "$MEMORY_S" $MEMORY_RATE "$OUT/m.h5")
	read -r r10 m10 < <(profile2 "$MEMORY_S" $((MEMORY_RATE * 10)) "$OUT/m.h5")
	row "memory: run 1, regions/s" 1/s "$r1"
	row "memory: run 2, regions/s" 1/s "$r10"
	row "memory: agent peak RSS, run 1 (KiB)" KiB "$m1"
	row "memory: agent peak RSS, run 2: 10x regions (KiB)" KiB "$m10"
	figure agent_rss "$(((m1 > m10 ? m1 : m10) / 1024))" MiB
	figure agent_rss_growth "$(awk -v a="$m1" -v b="$m10" 'BEGIN { printf "%.3f", b / a }')" x
}

# one attach to the 1000-region program: seconds from exec to "attached"
attach_once() {
	local tp t0 t1 line
	"$MANY" &
	tp=$!
	wait_exec $tp "$MANY"
	rm -f "$OUT/fifo"
	mkfifo "$OUT/fifo"
	t0=$(date +%s%N)
	$SCOPE attach --pid $tp -o "$OUT/many.h5" 2>"$OUT/fifo" &
	exec 3<"$OUT/fifo"
	line=""
	while [[ $line != *attached* ]]; do
		read -r line <&3 || { log "scope-bpf attach failed"; kill $tp; exit 1; }
	done
	t1=$(date +%s%N)
	cat <&3 >/dev/null &
	exec 3<&-
	kill $tp
	wait
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}

# the start-up pass's own time, as `scope-bpf calibrate` prints it (the
# BPF program's load, which a profile needs anyway, apart)
calibration_once() {
	$SCOPE calibrate | awk '$1 == "time" { print $2 }'
}

figure__attach() {
	local -a t=() c=()
	local i
	log "attach: scope-bpf attach to a program with 1000 regions, x $RUNS"
	[ "$($SCOPE list --sites --format csv "$MANY" | tail -n +2 | wc -l)" = 2000 ] ||
		{ log "$MANY has not 2000 sites"; exit 1; }
	for i in $(seq $RUNS); do
		t+=("$(attach_once)")
		c+=("$(calibration_once)")
	done
	row "attach: 1000 regions, start to ready (s)" s "${t[@]}"
	figure attach_time "$MED" s
	row "start-up pass, scope-bpf calibrate (ms)" ms "${c[@]}"
	figure calibration_ms "$MED" ms
}

# nested_shares: bench/bias.sh, which bench/run.sh sources

# One round of the nested program (issue 9, point 7): a ~8 us parent of
# ten ~20 ns children, with its unmarked copies timed in the same run. A
# traced run, whose marked instances' medians are set against the truths'
# (its nested_shares line), then a run as by default, the report's means
# alone (its mean_ words).
compensation_once() {
	local truth
	truth=$("${WCPU[@]}" $SCOPE run -q --trace -o "$OUT/n.h5" -- "$NESTED" $N_NESTED)
	nested_shares "$OUT/n.h5" "$truth" | tr ' ' '\n' | grep -v '^mean_' | tr '\n' ' '
	truth=$("${WCPU[@]}" $SCOPE run -q -o "$OUT/n.h5" -- "$NESTED" $N_NESTED)
	nested_shares "$OUT/n.h5" "$truth"
}

# The figure is the smaller of the two shares, round by round, with the
# numbers behind them, and the report's means in a profile without
# --trace, which a preemption moves (docs/compensation.md).
figure__compensation() {
	local -a lo=()
	local -A v=()
	local i k line
	local keys="truth_child raw_child comp_child truth_self raw_self comp_self
		cal_in paid_in cal_pair paid_pair mean_self mean_comp_self
		mean_child_pct mean_parent_pct child_pct parent_pct"
	log "compensation: the nested program's bias removed, $N_NESTED parents x $RUNS"
	for i in $(seq $RUNS); do
		line=$(compensation_once) || { log "compensation: no shares"; exit 1; }
		for k in $keys; do v[$k]+="$(kv $k <<<"$line") "; done
		lo+=("$(awk -v x="$(kv child_pct <<<"$line")" -v y="$(kv parent_pct <<<"$line")" \
			'BEGIN { print x < y ? x : y }')")
	done
	row "compensation: child truth, median (ns)" ns ${v[truth_child]}
	row "compensation: child raw, median (ns)" ns ${v[raw_child]}
	row "compensation: child comp., median (ns)" ns ${v[comp_child]}
	row "compensation: parent self truth, median (ns)" ns ${v[truth_self]}
	row "compensation: parent self raw, median (ns)" ns ${v[raw_self]}
	row "compensation: parent self comp., median (ns)" ns ${v[comp_self]}
	row "compensation: in-region share, calibrated (ns)" ns ${v[cal_in]}
	row "compensation: in-region share, paid (ns)" ns ${v[paid_in]}
	row "compensation: pair, calibrated (ns)" ns ${v[cal_pair]}
	row "compensation: pair, paid (ns)" ns ${v[paid_pair]}
	row "compensation: parent self raw, mean (ns)" ns ${v[mean_self]}
	row "compensation: parent self comp., mean (ns)" ns ${v[mean_comp_self]}
	row "compensation: child bias removed, report mean" % ${v[mean_child_pct]}
	row "compensation: parent self bias removed, mean" % ${v[mean_parent_pct]}
	row "compensation: child bias removed, medians" % ${v[child_pct]}
	row "compensation: parent self bias removed, medians" % ${v[parent_pct]}
	row "compensation: bias removed (the smaller)" % "${lo[@]}"
	figure compensation_bias_removed "$MED" %
}

# The thread counts of the scaling table: SCALING_THREADS, or 1 2 4 ... below
# the online CPUs, one less than them (a core left to the agent) and all of them
scaling_threads() {
	local n t=1
	if [ -n "${SCALING_THREADS:-}" ]; then
		echo "$SCALING_THREADS"
		return 0
	fi
	n=$(nproc)
	{
		while ((t < n)); do
			echo $t
			t=$((t * 2))
		done
		((n > 2)) && echo $((n - 1))
		echo "$n"
	} | sort -nu | tr '\n' ' ' | sed 's/ $//'
}

# The aggregation modes the table runs in (SCOPE_BPF_AGGREGATE):
# SCALING_MODES, or kernel and ring where the agent reads the variable, else
# ring alone (the only path an agent without it has)
scaling_modes() {
	if [ -n "${SCALING_MODES:-}" ]; then
		echo "$SCALING_MODES"
	elif grep -qa SCOPE_BPF_AGGREGATE "$SCOPE"; then
		echo kernel ring
	else
		echo ring
	fi
}

# scaling_once MODE THREADS: THREADS threads as fast as they can for
# SCALING_S seconds under `scope-bpf run` with SCOPE_BPF_AGGREGATE=MODE;
# prints "rate drops exact agent_cpu%"
scaling_once() {
	local mode=$1 n=$2 s got exact drops cpu
	SCOPE_BPF_AGGREGATE=$mode $SCOPE run -q -o "$OUT/s.h5" -- \
		"$SPIN" -p -s "$SCALING_S" "$n" >"$OUT/s.out" 2>"$OUT/s.err" ||
		{ log "scope-bpf run failed:"; cat "$OUT/s.err" >&2; exit 1; }
	s=$(grep '^threads=' "$OUT/s.out" | field seconds)
	# each thread's count, the program's and the profile's, by tid
	$SCOPE report --format csv --threads "$OUT/s.h5" |
		awk -F, 'NR > 1 && $1 == "spin" { n[$2] += $3 } END { for (t in n) print t, n[t] }' |
		sort >"$OUT/s.got"
	sed -n 's/^thread tid=\([0-9]*\) regions=\([0-9]*\)$/\1 \2/p' "$OUT/s.out" |
		sort >"$OUT/s.ran"
	exact=no
	cmp -s "$OUT/s.got" "$OUT/s.ran" && exact=yes
	got=$(awk '{ s += $2 } END { print s + 0 }' "$OUT/s.got")
	drops=$(h5attr "$OUT/s.h5" dropped)
	cpu=$(grep '^threads=' "$OUT/s.out" | field agent_cpu_ns)
	awk -v g="$got" -v s="$s" -v d="$drops" -v e="$exact" -v c="$cpu" 'BEGIN {
		printf "%.0f %s %s %.1f\n", g / s, d, e, c < 0 ? -1 : c / (s * 1e9) * 100 }'
}

# The thread-scaling table (issue 9, point 6): regions/s recorded, drops,
# exactness and the agent's CPU, per aggregation mode and thread count; one
# run each. The agent shares the cores with the threads: nothing is pinned.
figure__scaling() {
	local mode n rate drops exact cpu max=0 total=0
	log "scaling: threads ($(scaling_threads)) as fast as they can for $SCALING_S s, modes $(scaling_modes)"
	for mode in $(scaling_modes); do
		for n in $(scaling_threads); do
			read -r rate drops exact cpu < <(scaling_once "$mode" "$n")
			row "scaling: $mode, threads=$n, regions/s" 1/s "$rate"
			row "scaling: $mode, threads=$n, agent CPU (%)" % "$cpu"
			LINES+=("bench: scaling threads=$n mode=$mode rate=$rate/s drops=$drops exact=$exact agent_cpu=$cpu%")
			((rate > max)) && max=$rate
			total=$((total + drops))
		done
	done
	figure scaling_max_rate "$max" regions/s
	figure scaling_drops_total "$total" records
}

# Trace mode for TRACE_MEM_S seconds at the highest rate the cores make
# (issue 11, point 3): every CPU runs spin_threads' empty regions under
# `run --trace`, the agent's RSS sampled each second. Prints "rate
# written dropped rss_early_kib rss_late_kib": intervals/s offered, rows
# in the file, intervals dropped (writer or ring), RSS after a tenth of
# the run and at its end.
trace_memory_once() {
	local agent n s rss early=0 late=0 t=0 written dropped
	n=$(nproc)
	$SCOPE run -q --trace -o "$OUT/tm.h5" -- "$SPIN" -s "$TRACE_MEM_S" "$n" \
		>"$OUT/tm.out" 2>"$OUT/tm.err" &
	agent=$!
	while kill -0 $agent 2>/dev/null; do
		rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$agent/status 2>/dev/null || true)
		[ -n "$rss" ] && late=$rss
		# the early sample: once the run is a tenth through
		if ((early == 0)) && awk -v t="$t" -v s="$TRACE_MEM_S" 'BEGIN { exit !(t >= s / 10) }'; then
			early=${rss:-0}
		fi
		sleep 0.5
		t=$(awk -v t="$t" 'BEGIN { print t + 0.5 }')
	done
	wait $agent || { log "scope-bpf run --trace failed:"; cat "$OUT/tm.err" >&2; exit 1; }
	s=$(grep '^threads=' "$OUT/tm.out" | field regions_per_s)
	written=$(h5dump -a /trace/intervals "$OUT/tm.h5" 2>/dev/null | awk '/\(0\)/ { print $2; exit }')
	dropped=$(( $(h5attr "$OUT/tm.h5" trace_dropped) + $(h5attr "$OUT/tm.h5" dropped) ))
	rm -f "$OUT/tm.h5"
	echo "${s%.*} ${written:-0} $dropped ${early:-0} $late"
}

figure__tracemem() {
	local rate written dropped early late
	log "tracemem: --trace at the cores' highest rate for $TRACE_MEM_S s, the agent's RSS"
	read -r rate written dropped early late < <(trace_memory_once)
	row "tracemem: regions/s offered" 1/s "$rate"
	row "tracemem: intervals in the file" count "$written"
	row "tracemem: intervals dropped" count "$dropped"
	row "tracemem: agent RSS at a tenth of the run (KiB)" KiB "$early"
	row "tracemem: agent RSS at the end (KiB)" KiB "$late"
	figure trace_memory_rss "$((late / 1024))" MiB
	figure trace_memory_growth "$(awk -v a="$early" -v b="$late" 'BEGIN { printf "%.3f", a ? b / a : 0 }')" x
	figure trace_sustained_rate "$rate" regions/s
	figure trace_sustained_dropped "$dropped" intervals
}

# The trace writer alone (bench/trace_write.c): synthetic intervals into
# a trace file with the defaults (docs/performance.md), no BPF; its rate
# and the file's bytes per interval
figure__trace() {
	local -a rate=() size=()
	local i line
	log "trace: $N_TRACE intervals into a trace file x $RUNS"
	for i in $(seq $RUNS); do
		line=$("$TRACE_WRITE" "$OUT/trace.h5" "$N_TRACE")
		rate+=("$(sed -E 's/.*trace_write_rate=([0-9.]+).*/\1/' <<<"$line")")
		size+=("$(sed -E 's/.*bytes_per_interval=([0-9.]+).*/\1/' <<<"$line")")
		rm -f "$OUT/trace.h5"
	done
	row "trace: intervals written per second" 1/s "${rate[@]}"
	figure trace_write_rate "${MED%.*}" intervals/s
	row "trace: file bytes per interval" bytes "${size[@]}"
	figure trace_bytes_per_interval "$MED" bytes
	trace__exports
}

# The exports of a trace stream it: their peak memory (the reader's child
# included) stays flat however long the trace, while their output grows.
# One run each: a peak resident set is not noisy as times are.
trace__exports() {
	local fmt rss bytes
	"$TRACE_WRITE" "$OUT/trace.h5" "$N_TRACE" >/dev/null
	for fmt in perfetto perfetto-proto csv otf2; do
		log "trace: export -f $fmt of $N_TRACE intervals"
		$MAXRSS $SCOPE export "$OUT/trace.h5" -f $fmt -o "$OUT/export.$fmt" \
			2>"$OUT/export.err" || { cat "$OUT/export.err" >&2; exit 1; }
		rss=$(awk -F= '/^maxrss_kib=/ { print $2 }' "$OUT/export.err")
		bytes=$(du -sb "$OUT/export.$fmt" | cut -f1)
		row "trace: export -f $fmt, peak memory" KiB "$rss"
		figure "export_${fmt//-/_}_maxrss" "$rss" KiB
		row "trace: export -f $fmt, output bytes per interval" bytes \
			"$(awk -v b="$bytes" -v n="$N_TRACE" 'BEGIN { printf "%.1f", b / n }')"
		figure "export_${fmt//-/_}_bytes_per_interval" "$MED" bytes
		rm -rf "$OUT/export.$fmt"
	done
	rm -f "$OUT/trace.h5"
}

# The Python module: a call of a function decorated with scope_bpf.profile,
# detached, against one decorated with a no-op pure-Python decorator, both
# timed in one process, alternating.
figure__python() {
	local -a ratio=() noop=() prof=() with=()
	local i line
	log "python: scope_bpf.profile against a no-op decorator, detached, $N_PY_DETACHED calls x $RUNS"
	for i in $(seq $RUNS); do
		line=$(PYTHONPATH=$PY_PATH "${WCPU[@]}" $PYTHON "$PY_COST" detached --count $N_PY_DETACHED)
		ratio+=("$(field ratio <<<"$line")")
		noop+=("$(field noop_ns <<<"$line")")
		prof+=("$(field profiled_ns <<<"$line")")
		with+=("$(field with_ns <<<"$line")")
	done
	row "python: no-op decorator, detached (ns/call)" ns "${noop[@]}"
	row "python: scope_bpf.profile, detached (ns/call)" ns "${prof[@]}"
	row "python: with scope_bpf.region(), detached (ns)" ns "${with[@]}"
	row "python: profile / no-op decorator, detached" x "${ratio[@]}"
	figure python_detached_vs_noop_decorator "$MED" x
	python_import
	python_attached
}

# Attached: a call of the profiled empty function with scope-bpf attached,
# next to the C marker's region in the same rounds (the workload above),
# and to a C extension's marker region called from Python (pymarked.work(0),
# in the same process as the profiled calls)
python_attached() {
	local -a py=() c=() pc=()
	local i line
	log "python: attached, a profiled call against a C marker region, $N_PY_ATTACHED regions x $RUNS"
	for i in $(seq $RUNS); do
		line=$(python_attached_run)
		py+=("$(field ns_per_region <<<"$line")")
		pc+=("$(field cmarker_ns <<<"$line")")
		c+=("$(attached scope marker)")
	done
	row "python: scope_bpf.profile, attached (ns/region)" ns "${py[@]}"
	figure python_attached "$MED" ns/region
	row "C marker, attached (ns/region)" ns "${c[@]}"
	figure attached_marker "$MED" ns/region
	compare "python: attached, above the C marker (ns/region)" ns - py c
	figure python_attached_above_marker "$MED" ns/region
	row "python: a C extension's marker region (ns/call)" ns "${pc[@]}"
	figure python_attached_cmarker "$MED" ns/region
}

# python_attached_run: one attached run of the Python workload; its line
# (the profile must hold every region it ran)
python_attached_run() {
	local wp tp
	rm -f "$OUT/p.out" "$OUT/pt.out"
	PYTHONPATH=$PY_PATH "${WCPU[@]}" $PYTHON "$PY_COST" attached \
		--count $N_PY_ATTACHED --warmup $WARMUP --cmarker "$PYMARKED_DIR" \
		>"$OUT/p.out" &
	wp=$!
	wait_line $wp "$OUT/p.out" ready
	"${TCPU[@]}" $SCOPE attach --pid $wp -o "$OUT/p.h5" 2>"$OUT/pt.out" &
	tp=$!
	wait_line $tp "$OUT/pt.out" attached
	kill -USR1 $wp
	wait $wp
	wait $tp || { log "scope-bpf attach failed:"; cat "$OUT/pt.out" >&2; exit 1; }
	grep -q attached=True "$OUT/p.out" || { log "scope_bpf.attached() said False"; exit 1; }
	cat "$OUT/p.out"
	check_count "$OUT/p.h5" $((2 * N_PY_ATTACHED + WARMUP))
}

# python -X importtime: the import's cumulative time, in a fresh interpreter
# each round (its .pyc written by a first, untimed, import)
python_import() {
	local -a ms=()
	local i
	PYTHONPATH=$PY_PATH $PYTHON -c 'import scope_bpf'
	for i in $(seq $RUNS); do
		ms+=("$(PYTHONPATH=$PY_PATH $PYTHON -X importtime -c 'import scope_bpf' 2>&1 |
			awk -F'|' '$3 ~ /^ scope_bpf$/ { printf "%.3f\n", $2 / 1000 }')")
	done
	row "python: import scope_bpf (ms, -X importtime)" ms "${ms[@]}"
	figure python_import_ms "$MED" ms
}
