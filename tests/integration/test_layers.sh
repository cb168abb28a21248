#!/bin/bash
# The layering of userspace/ (docs/architecture.md), checked on the sources:
# each folder includes only folders below it, argv is cli/'s alone, <hdf5.h>
# is hdf5/'s alone, and the log's names live beside <syslog.h>.
source "$(dirname "$0")/lib.sh"

# lower rank = lower layer; a folder may include its own or lower ones
declare -A rank=([common]=0 [profile]=1 [discover]=2 [output]=2
	[counters]=2 [aggregate]=3 [hdf5]=3 [report]=3 [agent]=4 [export]=4
	[cli]=5)

bad=0
while IFS=: read -r file _ inc; do
	from=${file#userspace/}
	from=${from%%/*}
	to=$(sed -E 's|#include "([a-z0-9_]+)/.*|\1|' <<<"$inc")
	[ -n "${rank[$from]:-}" ] || fail "$file: folder $from has no layer in this test"
	[ -n "${rank[$to]:-}" ] || continue # a generated header (regions.skel.h)
	if [ "$from" != "$to" ] && [ "${rank[$to]}" -ge "${rank[$from]}" ]; then
		echo "layering: $file includes $to/, which is not below $from/" >&2
		bad=$((bad + 1))
	fi
done < <(grep -rn '^#include "[a-z0-9_]*/' userspace)
expect_eq "includes that run up or across a layer" $bad 0

expect_eq "files outside cli/ that include <argp.h>" \
	"$(grep -rl '#include <argp.h>' userspace | grep -v '^userspace/cli/' | wc -l)" 0
expect_eq "files outside hdf5/ that include <hdf5.h>" \
	"$(grep -rl '#include <hdf5.h>' userspace | grep -v '^userspace/hdf5/' | wc -l)" 0

# the log's level names once collided with <syslog.h>'s LOG_INFO
printf '#include <syslog.h>\n#include "common/log.h"\nint main(void) { pr_info("x\\n"); return LOG_INFO; }\n' \
	>"$TMP/syslog.c"
gcc -fsyntax-only -Wall -Werror -Iuserspace "$TMP/syslog.c" ||
	fail "common/log.h and <syslog.h> do not compile together"
echo "ok: common/log.h and <syslog.h> compile together"

# one table of losses: every row reaches /meta and the report's CSV header
# block under its own name (checked on a real profile)
$SCOPE run -q -o "$TMP/l.h5" -- $PROGS/counts 1 10 1 >/dev/null
meta=$($SCOPE report --format csv --meta "$TMP/l.h5")
names=$(tr -d '\n\t' <userspace/profile/losses.c |
	grep -oE '\[LOSS_[A-Z_]+\] = \{ *"[a-z_]+"' | sed -E 's/.*"([a-z_]+)"/\1/')
rows=$(sed -n '/^enum loss {/,/LOSS__COUNT/p' userspace/profile/losses.h |
	grep -cE '^\s*LOSS_[A-Z]+[A-Z_]*,')
expect_eq "names read from the loss table" "$(wc -w <<<"$names")" "$rows"
for name in $names; do
	h5dump -a "/meta/$name" "$TMP/l.h5" >/dev/null 2>&1 ||
		fail "loss $name is no /meta attribute"
	grep -q "^# $name: " <<<"$meta" || fail "loss $name is not in report --meta"
done
echo "ok: every row of the loss table is in /meta and in report --meta"
