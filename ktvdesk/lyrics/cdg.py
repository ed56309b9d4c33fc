"""CD+G graphics streams (the `.cdg` of an MP3+G pair): checked and measured, not drawn.

libVLC draws CD+G itself; the library only needs to know that a `.cdg` is one (24-byte
packets, 300 a second, some of them CD+G commands) and how long it runs. In such songs
the graphics are the lyrics: there is no text to parse.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ktvdesk.errors import LyricsError, UserMessage
from ktvdesk.lyrics.errors import lyrics_error

PACKET_BYTES = 24
PACKETS_PER_SECOND = 300
CDG_COMMAND = 0x09
INSTRUCTIONS = {
    1: "memory_preset",
    2: "border_preset",
    6: "tile_block",
    20: "scroll_preset",
    24: "scroll_copy",
    28: "define_transparent",
    30: "load_colors_low",
    31: "load_colors_high",
    38: "tile_block_xor",
}
NOT_CDG = UserMessage("不是 CD+G 图形文件。", "This is not a CD+G graphics file.")
GRAPHICS_ONLY = UserMessage(
    "CD+G 歌词是图形，没有文字可读。", "CD+G lyrics are graphics: there is no text to read."
)


@dataclass(frozen=True, slots=True)
class CdgInfo:
    packets: int
    duration_ms: int
    command_packets: int
    instructions: dict[str, int]  # command packets by instruction name


def read_cdg_info(data: bytes) -> CdgInfo:
    """Measure a CD+G stream; LyricsError when it holds no CD+G drawing at all."""
    packets = len(data) // PACKET_BYTES
    counts: Counter[str] = Counter()
    commands = 0
    for offset in range(0, packets * PACKET_BYTES, PACKET_BYTES):
        if data[offset] & 0x3F != CDG_COMMAND:
            continue
        commands += 1
        counts[INSTRUCTIONS.get(data[offset + 1] & 0x3F, "unknown")] += 1
    drawing = sum(n for name, n in counts.items() if name in ("tile_block", "tile_block_xor"))
    if packets == 0 or drawing == 0:
        raise lyrics_error("no CD+G drawing commands in the file", NOT_CDG)
    return CdgInfo(packets, packets * 1000 // PACKETS_PER_SECOND, commands, dict(counts))


def is_cdg(data: bytes) -> bool:
    try:
        read_cdg_info(data)
    except LyricsError:
        return False
    return len(data) % PACKET_BYTES == 0
