"""LRC and enhanced-LRC output, written so that parsing it gives the same model back.

Times are written as `mm:ss.xxx` (exact ms), the offset is already applied so no
`[offset:]` is written, a translation follows its line with the same time, and an
empty timed line marks a line end that the next line's start would not imply.
Romanization has no LRC form and is not written.
"""

from __future__ import annotations

from ktvdesk.lyrics.common import META_NAMES
from ktvdesk.lyrics.lrc_tags import format_tag
from ktvdesk.lyrics.model import LyricLine, Lyrics

# Header tags that describe the source file rather than the song.
_SKIPPED_META = frozenset({"offset", "language", "hash", "sign", "total", "id", "qq"})
_LRC_TAGS = {name: tag for tag, name in META_NAMES.items()}


def write_lrc(lyrics: Lyrics, enhanced: bool) -> str:
    out: list[str] = []
    for key, value in lyrics.meta.items():
        if key in _SKIPPED_META or not key or not key[0].isalpha():
            continue
        out.append(f"[{_LRC_TAGS.get(key, key)}:{_one_line(value).strip()}]")
    lines = lyrics.lines
    count = len(lines)
    for i, line in enumerate(lines):
        tag = format_tag(line.start_ms)
        word_timed = enhanced and not _spans_line(line)
        if word_timed:
            out.append(f"[{tag}]{_word_text(line)}")
        else:
            out.append(f"[{tag}]{_one_line(line.text)}")
        if line.translation:
            out.append(f"[{tag}]{_one_line(line.translation)}")
        next_start = lines[i + 1].start_ms if i + 1 < count else None
        implied_end = line.words[-1].end_ms if word_timed else next_start
        if line.end_ms != implied_end and (next_start is None or line.end_ms <= next_start):
            out.append(f"[{format_tag(line.end_ms)}]")
    return "\n".join(out) + "\n"


def _spans_line(line: LyricLine) -> bool:
    words = line.words
    if not words:
        return True
    if len(words) > 1:
        return False
    word = words[0]
    # A zero-length line needs its word tags: a plain line's end is never its start.
    return (
        line.end_ms > line.start_ms
        and word.start_ms == line.start_ms
        and word.end_ms == line.end_ms
        and word.text == line.text
    )


def _word_text(line: LyricLine) -> str:
    parts: list[str] = []
    words = line.words
    last = len(words) - 1
    for k, word in enumerate(words):
        parts.append(f"<{format_tag(word.start_ms)}>{_one_line(word.text)}")
        # An explicit end tag where the next word does not start right away; the last
        # word always gets one (the A2 trailing tag).
        if k == last or words[k + 1].start_ms > word.end_ms:
            parts.append(f"<{format_tag(word.end_ms)}>")
    return "".join(parts)


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
