#!/bin/bash
# --func on programs nobody here wrote: Debian's sqlite3 and zstd (stripped
# PIE executables) and their shared libraries, attached at once by
# scope-bpf and by bpftrace (Debian's), which counts the same functions'
# entries on the same run: the calls must be equal, exactly.
# attach-modes: both
source "$(dirname "$0")/lib.sh"

for tool in bpftrace sqlite3 zstd; do
	command -v $tool >/dev/null ||
		skip "$tool is not installed (scripts/install-deps.sh bench)"
done

# compare NAME FEED CMD...: CMD reads FEED through a FIFO that stays open
# until both tools are attached to it; PROBES (LIB:FUNC words, set by the
# caller) are counted by both. The counts must be non-zero and equal.
compare() {
	local name=$1 feed=$2 pid bt agent bt_script="" spec lib fn path got want
	local funcs=()
	shift 2
	rm -f "$TMP/fifo"
	mkfifo "$TMP/fifo"
	# read-write: opening does not block, and the command gets its EOF
	# when this shell closes it (every child is started without it)
	exec 3<>"$TMP/fifo"
	"$@" <"$TMP/fifo" >"$TMP/$name.out" 3>&- &
	pid=$!
	for spec in $PROBES; do
		lib=${spec%%:*}
		fn=${spec#*:}
		wait_for 10 grep -q "/$lib\.so" /proc/$pid/maps ||
			fail "$name: $lib is not mapped"
		path=$(awk -v l="/$lib.so" 'index($6, l) { print $6; exit }' /proc/$pid/maps)
		bt_script+="uprobe:$path:$fn /pid == $pid/ { @c[\"$fn\"] = count(); } "
		funcs+=(--func "$spec")
	done
	bpftrace -p $pid -e "BEGIN { printf(\"ready\\n\"); } $bt_script" \
		>"$TMP/bt.out" 2>&1 3>&- &
	bt=$!
	# BEGIN runs once every other probe is attached
	wait_for_line "$TMP/bt.out" '^ready' 30 ||
		fail "bpftrace did not start: $(cat "$TMP/bt.out")"
	$SCOPE attach --no-status --pid $pid -o "$TMP/$name.h5" "${funcs[@]}" \
		2>"$TMP/agent.err" 3>&- &
	agent=$!
	wait_for 30 attached_or_dead "$TMP/agent.err" $agent ||
		fail "$name: the agent has not attached: $(cat "$TMP/agent.err")"
	if exited $agent; then
		# say what became of the command, which should be waiting
		local status=0
		exited $pid && { wait $pid || status=$?; }
		fail "$name: the agent did not attach (command $(exited $pid && echo "exited, status $status" || echo alive)): $(cat "$TMP/agent.err")"
	fi
	cat "$feed" >&3
	exec 3>&-
	wait $pid || fail "$name: the command failed"
	wait $agent || fail "$name: the agent failed: $(cat "$TMP/agent.err")"
	# bpftrace -p ends with its process; SIGINT if it has not yet
	wait_for_exit $bt 10 || kill -INT $bt
	wait $bt || true
	cat "$TMP/bt.out"
	out=$(csv "$TMP/$name.h5")
	echo "$out"
	for spec in $PROBES; do
		fn=${spec#*:}
		want=$(sed -n "s/^@c\[$fn\]: //p" "$TMP/bt.out")
		got=$(sum_column "$out" "$fn" calls)
		[ "${want:-0}" -gt 0 ] || fail "$name: bpftrace counted no $fn"
		expect_eq "$name: $fn calls (bpftrace's count)" "$got" "$want"
	done
}

# sqlite3: every statement is prepared, stepped and finalized
{
	echo "create table t(a, b);"
	for i in $(seq 300); do echo "insert into t values($i, $((i * i)));"; done
	echo "select count(*), sum(b) from t;"
	echo "select a from t where a % 50 = 0;"
} >"$TMP/feed.sql"
PROBES="libsqlite3:sqlite3_step libsqlite3:sqlite3_prepare_v2 libsqlite3:sqlite3_finalize libsqlite3:sqlite3_column_count libc:malloc"
compare sqlite3 "$TMP/feed.sql" /usr/bin/sqlite3 "$TMP/db.sqlite"
expect_eq "sqlite3: its output" "$(head -n 1 "$TMP/sqlite3.out")" "300|9045050"

# under run, a library's functions are probed before the loader maps it:
# the same input to a fresh database makes the same calls
$SCOPE run -q -o "$TMP/run.h5" --func 'libsqlite3:sqlite3_step' \
	--func 'libsqlite3:sqlite3_prepare_v2' -- /usr/bin/sqlite3 "$TMP/db2.sqlite" \
	<"$TMP/feed.sql" >/dev/null
attached=$(csv "$TMP/sqlite3.h5")
out=$(csv "$TMP/run.h5")
for fn in sqlite3_step sqlite3_prepare_v2; do
	expect_eq "run: $fn calls" "$(column "$out" $fn calls)" "$(column "$attached" $fn calls)"
done

# zstd writing gzip (libz) and xz (liblzma)
seq 1 300000 >"$TMP/feed.txt"
PROBES="libz:deflate libz:crc32 libz:deflateEnd libc:fwrite libc:fread"
compare zstd-gz "$TMP/feed.txt" /usr/bin/zstd -q --format=gzip -c
expect_eq "zstd-gz: decompresses" "$(gzip -dc <"$TMP/zstd-gz.out" | cmp - "$TMP/feed.txt" && echo same)" same
PROBES="liblzma:lzma_code liblzma:lzma_end libc:fwrite"
compare zstd-xz "$TMP/feed.txt" /usr/bin/zstd -q --format=xz -c
