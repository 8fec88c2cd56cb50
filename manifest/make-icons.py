#!/usr/bin/env python3
"""Draws the Teams app icons (color.png 192x192, outline.png 32x32) with the standard library only.

The symbol is a speech bubble with a check mark: "someone speaks up, and the decision is checked".
color.png:   a white bubble with a check in the accent colour, on the accent colour (opaque RGB).
outline.png: the same bubble as a white outline with a white check, on transparent (RGBA; every pixel is
             either fully transparent or pure white with some alpha, as Teams requires).

Run from anywhere: python3 manifest/make-icons.py  (writes next to this file; the output is deterministic).
"""
import math
import os
import struct
import zlib

ACCENT = (0x5B, 0x5F, 0xC7)  # keep equal to manifest.json's accentColor
WHITE = (255, 255, 255)
SUPERSAMPLE = 6


def png(path, width, height, rows, alpha):
    """rows: list of bytes per scanline (RGB or RGBA), written with filter type 0."""
    raw = b"".join(b"\x00" + row for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    color_type = 6 if alpha else 2
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def rounded_rect(x, y, left, top, right, bottom, radius):
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2 and left <= x <= right and top <= y <= bottom


def triangle(x, y, a, b, c):
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def near_segment(x, y, a, b, half_width):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= half_width


# The symbol in unit coordinates (0..1 across the icon), shared by both icons.
BUBBLE = (0.16, 0.20, 0.84, 0.70, 0.14)  # left, top, right, bottom, corner radius
TAIL = ((0.30, 0.66), (0.46, 0.66), (0.26, 0.86))
CHECK = ((0.33, 0.45), (0.45, 0.57), (0.67, 0.33))


def in_bubble(x, y, inset=0.0):
    left, top, right, bottom, radius = BUBBLE
    body = rounded_rect(x, y, left + inset, top + inset, right - inset, bottom - inset, max(radius - inset, 0.0))
    a, b, c = TAIL
    if inset:
        # Shrink the tail towards its centroid so the outline keeps an even stroke along it.
        gx, gy = (a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3
        k = 1 - inset * 3.2
        a, b, c = ((gx + (p[0] - gx) * k, gy + (p[1] - gy) * k - inset) for p in (a, b, c))
    return body or triangle(x, y, a, b, c)


def in_check(x, y, half_width):
    a, b, c = CHECK
    return near_segment(x, y, a, b, half_width) or near_segment(x, y, b, c, half_width)


def coverage(size, px, py, inside):
    hits = 0
    for sy in range(SUPERSAMPLE):
        for sx in range(SUPERSAMPLE):
            x = (px + (sx + 0.5) / SUPERSAMPLE) / size
            y = (py + (sy + 0.5) / SUPERSAMPLE) / size
            hits += inside(x, y)
    return hits / (SUPERSAMPLE * SUPERSAMPLE)


def blend(under, over, amount):
    return tuple(round(u + (o - u) * amount) for u, o in zip(under, over))


def color_icon(path, size=192):
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            bubble = coverage(size, px, py, in_bubble)
            check = coverage(size, px, py, lambda x, y: in_check(x, y, 0.055))
            pixel = blend(ACCENT, WHITE, bubble)
            pixel = blend(pixel, ACCENT, check)
            row += bytes(pixel)
        rows.append(bytes(row))
    png(path, size, size, rows, alpha=False)


def outline_icon(path, size=32):
    stroke = 2.2 / size
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            ring = coverage(size, px, py, lambda x, y: in_bubble(x, y) and not in_bubble(x, y, stroke))
            check = coverage(size, px, py, lambda x, y: in_check(x, y, 1.1 / size))
            alpha = round(255 * max(ring, check))
            row += bytes((255, 255, 255, alpha)) if alpha else bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    png(path, size, size, rows, alpha=True)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    color_icon(os.path.join(here, "color.png"))
    outline_icon(os.path.join(here, "outline.png"))
