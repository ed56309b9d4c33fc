"""A small CD+G encoder for tests: tile blocks drawing a title, then a colour wipe.

CD+G (the "+G" of MP3+G) is a stream of 24-byte packets, 300 a second: byte 0 is the
command (0x09 = CD+G), byte 1 the instruction, bytes 4..19 its data. The screen is
300 × 216 pixels in tiles of 6 × 12, 50 columns × 18 rows, the outer tiles a border.
"""

from __future__ import annotations

from dataclasses import dataclass

PACKET = 24
MEMORY_PRESET, BORDER_PRESET, TILE_BLOCK, LOAD_COLORS_LOW, TILE_BLOCK_XOR = 1, 2, 6, 30, 38
TILE_W, TILE_H = 6, 12

# 5 × 7 glyphs: one glyph pixel becomes one whole tile, so the title is large and crisp.
GLYPHS = {
    "K": ["X...X", "X..X.", "X.X..", "XX...", "X.X..", "X..X.", "X...X"],
    "T": ["XXXXX", "..X..", "..X..", "..X..", "..X..", "..X..", "..X.."],
    "V": ["X...X", "X...X", "X...X", "X...X", ".X.X.", ".X.X.", "..X.."],
}

# The palette the tests look for (12-bit colours, 0..15 per channel).
BACKGROUND, TITLE, WIPE = 0, 1, 2
PALETTE = [(0, 0, 12), (15, 15, 0), (15, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0)]
TITLE_ROW, TITLE_COLUMN = 4, 16
WIPE_ROW = 14


def packet(instruction: int, data: bytes = b"") -> bytes:
    body = data.ljust(16, b"\x00")[:16]
    return bytes([0x09, instruction, 0, 0]) + body + bytes(4)


def empty_packet() -> bytes:
    return bytes(PACKET)


def load_colors_low(colors: list[tuple[int, int, int]]) -> bytes:
    data = bytearray()
    for r, g, b in colors:
        data.append(((r & 15) << 2) | ((g & 15) >> 2))
        data.append(((g & 3) << 4) | (b & 15))
    return packet(LOAD_COLORS_LOW, bytes(data))


def tile(
    row: int, column: int, color0: int, color1: int, *, xor: bool = False, rows: list[int] | None = None
) -> bytes:
    bitmap = rows if rows is not None else [0x3F] * TILE_H
    data = bytes([color0, color1, row, column, *bitmap])
    return packet(TILE_BLOCK_XOR if xor else TILE_BLOCK, data)


@dataclass(frozen=True)
class Drawing:
    data: bytes
    title_tiles: list[tuple[int, int]]  # (row, column) of every tile in the title
    wipe_tiles: list[tuple[int, int]]


def make_cdg(seconds: float = 4.0, text: str = "KTV") -> Drawing:
    out = [load_colors_low(PALETTE)]
    out += [packet(MEMORY_PRESET, bytes([BACKGROUND, repeat])) for repeat in range(16)]
    out.append(packet(BORDER_PRESET, bytes([BACKGROUND])))
    title: list[tuple[int, int]] = []
    for k, char in enumerate(text):
        for dy, line in enumerate(GLYPHS[char]):
            for dx, pixel in enumerate(line):
                if pixel == "X":
                    title.append((TITLE_ROW + dy, TITLE_COLUMN + k * 6 + dx))
    out += [tile(row, column, BACKGROUND, TITLE) for row, column in title]
    # The wipe: XOR tiles turn the bar under the title red, one tile every 0.1 s.
    wipe = [(WIPE_ROW, column) for column in range(TITLE_COLUMN, TITLE_COLUMN + 17)]
    for row, column in wipe:
        out += [empty_packet()] * 29
        out.append(tile(row, column, 0, BACKGROUND ^ WIPE, xor=True))
    total = int(seconds * 300)
    out += [empty_packet()] * max(0, total - len(out))
    return Drawing(b"".join(out), title, wipe)


def palette_rgb(index: int) -> tuple[int, int, int]:
    r, g, b = PALETTE[index]
    return r * 17, g * 17, b * 17


def tile_center(row: int, column: int) -> tuple[int, int]:
    """Pixel (x, y) of a tile's centre on the 300 × 216 CD+G screen."""
    return column * TILE_W + TILE_W // 2, row * TILE_H + TILE_H // 2
