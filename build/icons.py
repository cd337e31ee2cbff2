"""The app icon ("K" on a rounded blue square), drawn from one set of polygons into SVG, PNG, .ico and
.icns with the standard library only (no Pillow, no iconutil), so every platform's build makes its own.

`python build/icons.py OUT_DIR` writes kayako-desktop.{png,ico,icns}; `--svg PATH` writes the SVG
(installer/linux/kayako-desktop.svg is this file's output; a packaging test checks it is fresh)."""

from __future__ import annotations

import argparse
import math
import struct
import zlib
from pathlib import Path

Point = tuple[float, float]
GRID = 256  # all shapes are drawn on a 256 x 256 grid
BLUE, WHITE = (31, 115, 183), (255, 255, 255)
GLYPH: list[list[Point]] = [
    [(56, 52), (96, 52), (96, 204), (56, 204)],  # stem
    [(96, 118), (152, 52), (202, 52), (96, 176)],  # upper arm (its left end hides in the stem)
    [(108, 146), (136, 118), (206, 204), (156, 204)],  # lower leg (its top end hides in the arm)
]


def rounded_square(margin: float = 8, radius: float = 48, steps: int = 12) -> list[Point]:
    lo, hi = margin + radius, GRID - margin - radius
    corners = [(hi, hi, 0), (lo, hi, 90), (lo, lo, 180), (hi, lo, 270)]
    return [(cx + radius * math.cos(math.radians(a0 + 90 * i / steps)),
             cy + radius * math.sin(math.radians(a0 + 90 * i / steps)))
            for cx, cy, a0 in corners for i in range(steps + 1)]


def svg_text() -> str:
    def path(poly: list[Point]) -> str:
        return "M" + " L".join(f"{x:.2f} {y:.2f}" for x, y in poly) + " Z"

    hexes = ["#" + "".join(f"{c:02x}" for c in rgb) for rgb in (BLUE, WHITE)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}" width="{GRID}" height="{GRID}">\n'
            f'  <title>Kayako Desktop</title>\n'
            f'  <path fill="{hexes[0]}" d="{path(rounded_square())}"/>\n'
            f'  <path fill="{hexes[1]}" d="{" ".join(path(p) for p in GLYPH)}"/>\n'
            f'</svg>\n')


def _spans(polys: list[list[Point]], y: float) -> list[tuple[float, float]]:
    """The union of the polygons' inside intervals on the horizontal line at y."""
    spans = []
    for poly in polys:
        xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True)
                    if (y0 <= y < y1) or (y1 <= y < y0))
        spans += list(zip(xs[::2], xs[1::2], strict=True))
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _coverage(polys: list[list[Point]], size: int, sub: int = 4) -> list[list[float]]:
    """Exact horizontal coverage per pixel, `sub` sample lines per pixel row (anti-aliased edges)."""
    scale = size / GRID
    rows = [[0.0] * size for _ in range(size)]
    for py in range(size):
        row = rows[py]
        for s in range(sub):
            y = (py + (s + 0.5) / sub) / scale
            for a, b in _spans(polys, y):
                a, b = max(0.0, a * scale), min(float(size), b * scale)
                for px in range(int(a), min(size, math.ceil(b))):
                    row[px] += (min(b, px + 1) - max(a, px)) / sub
    return rows


def rgba(size: int) -> list[bytes]:
    bg, fg = _coverage([rounded_square()], size), _coverage(GLYPH, size)
    out = []
    for py in range(size):
        line = bytearray()
        for px in range(size):
            alpha, k = min(1.0, bg[py][px]), min(1.0, fg[py][px])
            line += bytes(round(c0 + (c1 - c0) * k) for c0, c1 in zip(BLUE, WHITE, strict=True))
            line.append(round(255 * max(alpha, k)))
        out.append(bytes(line))
    return out


def png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + line for line in rgba(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _dib(size: int) -> bytes:
    """A classic 32-bit BMP icon image (BGRA, bottom-up, plus the 1-bit AND mask) for the small sizes."""
    pixels = b"".join(bytes(b for i in range(0, len(line), 4) for b in (line[i + 2], line[i + 1], line[i], line[i + 3]))
                      for line in reversed(rgba(size)))
    mask = bytes(((size + 31) // 32) * 4 * size)  # all zero: the alpha channel decides
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0)
    return header + pixels + mask


def ico(sizes: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256)) -> bytes:
    images = [png(s) if s >= 256 else _dib(s) for s in sizes]
    offset = 6 + 16 * len(sizes)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    for s, data in zip(sizes, images, strict=True):
        head += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return head + b"".join(images)


def icns() -> bytes:
    # PNG payloads: ic11 32 (16@2x), ic12 64 (32@2x), ic07 128, ic08 256, ic13 256 (128@2x), ic09 512, ic14 512
    kinds = [(b"ic11", 32), (b"ic12", 64), (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512),
             (b"ic14", 512)]
    cache: dict[int, bytes] = {}
    body = b"".join(k + struct.pack(">I", 8 + len(cache.setdefault(s, png(s)))) + cache[s] for k, s in kinds)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write_all(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {"png": out / "kayako-desktop.png", "ico": out / "kayako-desktop.ico", "icns": out / "kayako-desktop.icns"}
    files["png"].write_bytes(png(256))
    files["ico"].write_bytes(ico())
    files["icns"].write_bytes(icns())
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, help="folder for kayako-desktop.{png,ico,icns}")
    parser.add_argument("--svg", type=Path, help="write the SVG to this path")
    args = parser.parse_args()
    if args.svg:
        args.svg.write_text(svg_text(), encoding="utf-8")
    if args.out:
        write_all(args.out)


if __name__ == "__main__":
    main()
