"""The one lyrics model every format parses into.

Plain slotted dataclasses, not pydantic: the lyric view walks these every frame and a
100k-song library scan parses thousands of files, so construction cost matters.
Every time is an integer in milliseconds and already includes the file's offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ktvdesk.singing.melody import Melody


@dataclass(slots=True)
class LyricWord:
    start_ms: int
    end_ms: int
    text: str
    # KRC carries romanization per word; other formats leave it empty.
    romanization: str | None = None


@dataclass(slots=True)
class LyricLine:
    start_ms: int
    end_ms: int
    text: str
    # Never empty once parsed: a line without word timing has one word spanning it.
    words: list[LyricWord] = field(default_factory=list)
    translation: str | None = None
    romanization: str | None = None
    # The singer in a duet (1 or 2); None where the format has no players.
    player: int | None = None


@dataclass(slots=True)
class Lyrics:
    lines: list[LyricLine] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    # The file's own offset tag value (already applied to every time above).
    offset_ms: int = 0
    # "lrc", "krc", "qrc", "vtt", "ultrastar", "ass" or "midi": what the parser recognised.
    format: str = ""
    # The notes to sing, where the format has them (UltraStar, MIDI/KAR).
    melody: Melody | None = None
