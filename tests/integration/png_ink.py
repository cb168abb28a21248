#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# png_ink.py FILE: prints "WIDTH HEIGHT INK COLOURED" for an 8-bit PNG (what
# rsvg-convert writes): INK the pixels that are not white (nor transparent),
# COLOURED those whose red and blue differ by more than 64 (the flame
# graph's frames; text and background are grey). The standard library only:
# zlib for the pixels, PNG's five row filters undone by hand.
import struct
import sys
import zlib


def rows(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if depth != 8 or not channels or interlace:
        sys.exit("unsupported PNG: depth %d, colour type %d" % (depth, ctype))
    raw, stride, prev, out = zlib.decompress(idat), w * channels, None, []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        prev = prev or bytearray(stride)
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line)
        prev = line
    return w, h, channels, out


def main():
    w, h, ch, lines = rows(open(sys.argv[1], "rb").read())
    ink = coloured = 0
    for line in lines:
        for x in range(w):
            px = line[x * ch:(x + 1) * ch]
            rgb = px[:3] if ch >= 3 else px[:1] * 3
            if ch in (2, 4) and px[-1] == 0:
                continue
            if min(rgb) < 245:
                ink += 1
            if abs(rgb[0] - rgb[2]) > 64:
                coloured += 1
    print(w, h, ink, coloured)


main()
