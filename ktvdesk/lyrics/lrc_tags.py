"""LRC time tags, shared by the parser and the writer.

Forms: `[mm:ss.x]`, `.xx`, `.xxx`, `[mm:ss:xx]`, `[mm:ss]`; minutes may exceed 99. The
fraction scales by its digit count (`.1` = 100 ms, `.12` = 120 ms, `.123` = 123 ms).
"""

from __future__ import annotations

import re

_TIME = r"\s*(\d{1,6}):(\d{1,2})(?:[.:](\d{1,6}))?\s*"
TIME_TAG_RE = re.compile(r"\[" + _TIME + r"\]")
LEADING_TAGS_RE = re.compile(r"(?:\[" + _TIME + r"\])+")
# Inline word tags: A2 `<mm:ss.xx>` or ESLyric `[mm:ss.xx]`.
WORD_TAG_RE = re.compile(r"[<\[]" + _TIME + r"[>\]]")


def tag_ms(m: re.Match[str]) -> int:
    minutes, seconds, fraction = m.group(1, 2, 3)
    ms = int(minutes) * 60000 + int(seconds) * 1000
    if fraction:
        ms += int((fraction + "00")[:3])
    return ms


def format_tag(ms: int) -> str:
    """`mm:ss.xxx` (no brackets); milliseconds so the writer loses nothing."""
    minutes, rest = divmod(max(0, ms), 60000)
    seconds, millis = divmod(rest, 1000)
    return f"{minutes:02d}:{seconds:02d}.{millis:03d}"
