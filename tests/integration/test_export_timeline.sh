#!/bin/bash
# scope-bpf export --format svg of a trace (docs/export.md): below the flame
# graph, a timeline with a lane per thread. tests/progs/twospeed runs a, b
# and c 50 times each, 0.5-3 ms a call, ~0.25 s in all: every interval is
# wider than a pixel, so each is a box of its own, in the row of its
# depth, inside the time axis, ordered as the trace; the picture renders.
# Also drawn from a trace whose agent was killed.
source "$(dirname "$0")/lib.sh"

command -v rsvg-convert >/dev/null ||
	fail "rsvg-convert missing (scripts/install-deps.sh installs librsvg2-bin)"
$SCOPE run --trace -q -o "$TMP/t.h5" -- $PROGS/twospeed >/dev/null
$SCOPE export "$TMP/t.h5" -f svg -o "$TMP/t.svg" || fail "export -f svg failed"
rsvg-convert -o "$TMP/t.png" "$TMP/t.svg" || fail "rsvg-convert cannot render the SVG"
read -r w h ink coloured < <(/usr/bin/python3 tests/integration/png_ink.py "$TMP/t.png")
echo "png: ${w}x$h, $ink pixels not white, $coloured coloured"
[ "$w" -eq 1200 ] && [ "$h" -gt 100 ] || fail "PNG of ${w}x$h"
[ "$coloured" -gt $((w * 20)) ] || fail "the PNG is blank: $coloured coloured pixels"

/usr/bin/python3 - "$TMP/t.svg" <<'PY' || fail "the timeline is wrong"
import re, sys
import xml.etree.ElementTree as ET

svg = open(sys.argv[1]).read()
root = ET.fromstring(svg)  # well-formed XML
ns = "{http://www.w3.org/2000/svg}"
# the timeline's boxes: a <g> whose title holds ", from " (the flame
# graph's frames say "inclusive")
boxes = []
for g in root.iter(ns + "g"):
    t = g.find(ns + "title")
    r = g.find(ns + "rect")
    if t is None or r is None or ", from " not in t.text:
        continue
    name = t.text.split("\n")[0]
    boxes.append((name, float(r.get("x")), float(r.get("width")), float(r.get("y"))))
count = {}
for b in boxes:
    count[b[0]] = count.get(b[0], 0) + 1
assert count == {"a": 50, "b": 50, "c": 50}, count
# one thread, all at depth 0: one row; inside the axis; in time order
assert len({b[3] for b in boxes}) == 1, "rows %s" % {b[3] for b in boxes}
xs = [b[1] for b in boxes]
assert all(10 <= b[1] and b[1] + b[2] <= 1190.01 and b[2] >= 1 for b in boxes)
assert xs == sorted(xs), "boxes out of time order"
assert len(re.findall(r"twospeed \(tid \d+, pid \d+\)", svg)) == 1, "no lane label"
print("ok: %d boxes, a row, in order" % len(boxes))
PY

# a killed agent's trace draws too
$SCOPE run --trace -o "$TMP/k.h5" -- $PROGS/ticker 8 >/dev/null 2>"$TMP/err" &
agent=$!
wait_for_attached "$TMP/err" $agent
sleep 2.5
kill -KILL $agent
wait $agent 2>/dev/null || true
pkill -f "$PROGS/ticker" || true
$SCOPE export "$TMP/k.h5" -f svg -o "$TMP/k.svg" 2>"$TMP/kerr" ||
	fail "export -f svg of a killed trace failed: $(cat "$TMP/kerr")"
grep -q "an unfinished trace" "$TMP/kerr" || fail "export did not say the trace is unfinished"
rsvg-convert -o "$TMP/k.png" "$TMP/k.svg" || fail "rsvg-convert cannot render the killed trace's SVG"
grep -q "intervals shorter than a pixel\|, from " "$TMP/k.svg" ||
	fail "the killed trace's timeline is empty"
echo "ok: timeline of a trace and of a killed one"
