"""WebVTT (Yinsuda `LyricsUrl`): one cue per lyric line, optional inline word times.

Cue text may carry `<HH:MM:SS.mmm>` karaoke timestamps (each starts a word) and markup
(`<c>`, `<v Name>`, `<i>` …) that is dropped; cue settings, NOTE, STYLE and REGION
blocks carry nothing a lyric view needs.
"""

from __future__ import annotations

import html
import re

from ktvdesk.lyrics.common import finish_lines, merge_translations
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

_TS = r"(?:(\d{1,6}):)?(\d{1,2}):(\d{1,2})[.,](\d{1,3})"
_TIMING_RE = re.compile(r"^\s*" + _TS + r"\s*-->\s*" + _TS)
_INLINE_TS_RE = re.compile(r"<" + _TS + r">")
# `[^<>]` rather than `[^>]`: a run of unclosed `<` must not make stripping quadratic.
_TAG_RE = re.compile(r"<[^<>]*>")


def _ms(hours: str | None, minutes: str, seconds: str, fraction: str) -> int:
    ms = int(minutes) * 60000 + int(seconds) * 1000 + int((fraction + "00")[:3])
    return ms + int(hours) * 3600000 if hours else ms


def _clean(text: str) -> str:
    if "<" in text:
        text = _TAG_RE.sub("", text)
    return html.unescape(text) if "&" in text else text


def parse_vtt_text(text: str) -> Lyrics:
    meta: dict[str, str] = {}
    lines: list[LyricLine] = []
    rows = split_lines(text)
    first = rows[0].strip() if rows else ""
    count = len(rows)
    i = 0
    if first.startswith("WEBVTT") and first[6:7] in ("", " ", "\t"):
        header = first[6:].strip()
        if header:
            meta["webvtt"] = header
        # Header lines (`Kind: captions`, `Language: zh`) run up to the first blank line.
        i = 1
        while i < count and rows[i].strip() and "-->" not in rows[i]:
            key, sep, value = rows[i].partition(":")
            if sep and key.strip():
                meta[key.strip().lower()] = value.strip()
            i += 1
    while i < count:
        m = _TIMING_RE.match(rows[i])
        if m is None:
            i += 1
            continue
        # NOTE and STYLE blocks cannot contain "-->", so any timing line is a cue.
        start = _ms(*m.group(1, 2, 3, 4))
        end = _ms(*m.group(5, 6, 7, 8))
        i += 1
        payload: list[str] = []
        while i < count and rows[i].strip():
            payload.append(rows[i].strip())
            i += 1
        cue = " ".join(payload)
        words = _words(cue, start, end)
        line_text = "".join(w.text for w in words).strip() if words else _clean(cue).strip()
        if line_text:
            lines.append(LyricLine(start, max(start, end), line_text, words))
    # Bilingual files carry the translation as a second cue at the same time.
    return Lyrics(lines=finish_lines(merge_translations(lines), 0), meta=meta, offset_ms=0, format="vtt")


def _words(cue: str, start: int, end: int) -> list[LyricWord]:
    if "<" not in cue:
        return []
    marks = list(_INLINE_TS_RE.finditer(cue))
    if not marks:
        return []
    segments: list[tuple[int, str]] = []
    head = _clean(cue[: marks[0].start()])
    if head:
        segments.append((start, head))
    for k, m in enumerate(marks):
        stop = marks[k + 1].start() if k + 1 < len(marks) else len(cue)
        segments.append((_ms(*m.group(1, 2, 3, 4)), _clean(cue[m.end() : stop])))
    words: list[LyricWord] = []
    last = len(segments) - 1
    for k, (w_start, w_text) in enumerate(segments):
        if not w_text:
            continue
        w_end = segments[k + 1][0] if k < last else end
        words.append(LyricWord(w_start, max(w_start, w_end), w_text))
    return words
