#!/bin/bash
# The CSV for scripts: summed by default, per thread with --threads, units in
# every number's column name, the run's metadata in a '#' block with --meta
# equal to the file's /meta; the file's units attributes (issue 8, point 16).
source "$(dirname "$0")/lib.sh"

$SCOPE run -q -o "$TMP/c.h5" -- $PROGS/counts 2 10 1 >/dev/null
sum=$($SCOPE report --format csv "$TMP/c.h5")
per=$($SCOPE report --format csv --threads "$TMP/c.h5")
echo "$sum"
expect_eq "summed header" "$(head -1 <<<"$sum")" \
	"region,threads,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,child_calls,total_comp_ns,self_comp_ns,mean_comp_ns"
expect_eq "per-thread header" "$(head -1 <<<"$per")" \
	"region,tid,calls,total_ns,self_ns,min_ns,max_ns,mean_ns,pid,comm,child_calls,total_comp_ns,self_comp_ns,mean_comp_ns"
expect_eq "outer: one summed row" "$(column "$sum" outer calls)" 20
expect_eq "outer: over two threads" "$(column "$sum" outer threads)" 2
expect_eq "outer total_ns: sum of the thread rows" \
	"$(column "$sum" outer total_ns)" "$(sum_column "$per" outer total_ns)"
# calls is $3 in both layouts, for positional awk scripts
expect_eq "calls at \$3" \
	"$(awk -F, '$1 == "inner" { s += $3 } END { print s }' <<<"$per")" \
	"$(awk -F, '$1 == "inner" { print $3 }' <<<"$sum")"

# --meta: '#' lines, then the same CSV; each value is the /meta attribute
meta=$($SCOPE report --format csv --meta "$TMP/c.h5")
expect_eq "CSV after the # block" "$(grep -v '^#' <<<"$meta")" "$sum"
n=0
while IFS= read -r line; do
	key=${line#\# }
	key=${key%%:*}
	value=${line#\# "$key": }
	h5=$(h5dump -a "/meta/$key" "$TMP/c.h5" |
		sed -n 's/^ *(0): "\{0,1\}\(.*\)"\{0,1\}$/\1/p' | sed 's/"$//')
	expect_eq "# $key" "$value" "$h5"
	n=$((n + 1))
done < <(grep '^#' <<<"$meta")
expect_eq "# lines" $n $(($(h5dump -A -g /meta "$TMP/c.h5" |
	grep -c 'ATTRIBUTE "') - $(h5dump -A -g /meta "$TMP/c.h5" |
	grep -c 'ATTRIBUTE "units_')))

# units in the file, read by h5dump rather than by scope-bpf
units=$(h5dump -a /stats/units "$TMP/c.h5" | sed -n 's/^ *(0): //p')
expect_eq "/stats units" "$units" '"", "", "", "count", "ns", "ns", "ns", "ns", "count"'
expect_eq "/stats_hist units" \
	"$(h5dump -a /stats_hist/units "$TMP/c.h5" | sed -n 's/^ *(0): //p')" '"count"'
for a in start_ns:ns end_ns:ns records:count dropped:count ringbuf_bytes:bytes; do
	expect_eq "/meta/units_${a%%:*}" \
		"$(h5dump -a "/meta/units_${a%%:*}" "$TMP/c.h5" | sed -n 's/^ *(0): //p')" \
		"\"${a#*:}\""
done
