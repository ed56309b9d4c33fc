"""Pieces every format parser shares: header tags, offsets, and the final tidy-up."""

from __future__ import annotations

import re

from ktvdesk.lyrics.model import LyricLine, LyricWord

# A line whose time is within this of an earlier line's is that line's translation.
# Converters round differently, so translations land a few ms off their line.
TRANSLATION_TOLERANCE_MS = 20

# Short header tags mapped to the names the rest of the app reads; the writer maps back.
META_NAMES = {"ti": "title", "ar": "artist", "al": "album", "au": "author", "re": "editor", "ve": "version"}

# `[key:value]` header tags (ti, ar, al, by, offset, length, language, hash …). The key
# must start with a letter so time tags like `[01:02.03]` never match.
META_RE = re.compile(r"\[\s*([A-Za-z#][\w#-]*)\s*:(.*)\]\s*$")

# Digits are bounded everywhere: an unbounded `\d+` lets hostile input build numbers
# Python refuses to convert (int_max_str_digits) and makes no sense as a time anyway.
_OFFSET_RE = re.compile(r"^\s*([+-]?)\s*(\d{1,9})\s*(?:ms)?\s*$", re.I)


def parse_meta_line(line: str, meta: dict[str, str]) -> bool:
    """Record `line` in `meta` if it is a header tag; say whether it was one."""
    m = META_RE.match(line)
    if m is None:
        return False
    key = m.group(1).lower()
    meta[META_NAMES.get(key, key)] = m.group(2).strip()
    return True


def offset_from_meta(meta: dict[str, str]) -> int:
    """The `[offset:]` value in ms with its sign; 0 when absent or malformed."""
    raw = meta.get("offset")
    if raw is None:
        return 0
    m = _OFFSET_RE.match(raw)
    if m is None:
        return 0
    value = int(m.group(2))
    return -value if m.group(1) == "-" else value


def finish_lines(lines: list[LyricLine], offset_ms: int) -> list[LyricLine]:
    """Apply the file offset, sort stably by start, and give word-less lines a word.

    The offset makes lyrics appear earlier: effective = tag - offset. Times are clamped
    at 0 because nothing can be sung before the media starts.
    """
    if offset_ms:
        for line in lines:
            line.start_ms = max(0, line.start_ms - offset_ms)
            line.end_ms = max(0, line.end_ms - offset_ms)
            for word in line.words:
                word.start_ms = max(0, word.start_ms - offset_ms)
                word.end_ms = max(0, word.end_ms - offset_ms)
    lines.sort(key=_start_key)
    for line in lines:
        line.end_ms = max(line.end_ms, line.start_ms)
        words = line.words
        if not words:
            words.append(LyricWord(line.start_ms, line.end_ms, line.text))
        elif len(words) > 1:
            # LyricsIndex bisects word starts, so they must be ordered.
            starts = [word.start_ms for word in words]
            if starts != sorted(starts):
                words.sort(key=_word_start_key)
    return lines


def _start_key(line: LyricLine) -> int:
    return line.start_ms


def _word_start_key(word: LyricWord) -> int:
    return word.start_ms


def merge_translations(lines: list[LyricLine]) -> list[LyricLine]:
    """Lines in file order in, lines sorted by start out, translations folded in.

    Lines whose starts are within the tolerance of the first of a group are one line:
    the earliest in the file is the line, the later ones (joined) its translation.
    """
    order = sorted(range(len(lines)), key=lambda k: lines[k].start_ms)
    merged: list[LyricLine] = []
    count = len(order)
    i = 0
    while i < count:
        limit = lines[order[i]].start_ms + TRANSLATION_TOLERANCE_MS
        j = i + 1
        while j < count and lines[order[j]].start_ms <= limit:
            j += 1
        if j == i + 1:
            merged.append(lines[order[i]])
        else:
            group = sorted(order[i:j])
            primary = lines[group[0]]
            primary.translation = " / ".join(lines[k].text for k in group[1:])
            merged.append(primary)
        i = j
    return merged
