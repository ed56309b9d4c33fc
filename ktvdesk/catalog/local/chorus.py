"""The chorus of a local song, from its lyrics: what "Preview the chorus" and clip mode play.

Cloud catalogs hand out chorus clips; local files have none. Two sources, in order:

1. UltraStar medley markers (`#MEDLEYSTARTBEAT` / `#MEDLEYENDBEAT`): the author marked it.
2. The most repeated lyric section: the run of consecutive lines that comes back most,
   weighted by how long it lasts (occurrences × duration), so the four-line refrain of
   Auld Lang Syne wins over its one-line "for auld lang syne". Where two sections tie (a
   strophic song whose halves both repeat), the later one wins: verses open a song and
   the refrain follows them.

A song whose lyrics repeat nothing (a hymn of distinct verses) has no chorus: the caller
says so instead of playing the song from 0:00. A clip lasts 20–30 s from the start of the
section (a refrain and its tail, like the clouds' clips). Loudness analysis is not used
(yet): lyrics answer without decoding the audio, and songs without lyrics have no clip.
Measured on the demo library: tests/unit/library/test_chorus.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ktvdesk.lyrics import LyricLine, Lyrics
from ktvdesk.models import ClipSegment

CLIP_MAX_MS = 30_000
CLIP_MIN_MS = 20_000  # like the clouds' clips (Yinsuda's example: 28 s): a refrain and its tail


@dataclass(frozen=True, slots=True)
class Chorus:
    clip: ClipSegment
    source: str  # "medley" or "repeat": how it was found


def find_chorus(lyrics: Lyrics | None, *, duration_ms: int | None = None) -> Chorus | None:
    if lyrics is None or not lyrics.lines:
        return None
    medley = _medley(lyrics)
    if medley is not None:
        return Chorus(medley, "medley")
    clip = _repeated_section(lyrics.lines, duration_ms)
    return Chorus(clip, "repeat") if clip is not None else None


def _medley(lyrics: Lyrics) -> ClipSegment | None:
    if lyrics.format != "ultrastar":
        return None
    from ktvdesk.lyrics.ultrastar import song_header

    try:
        header = song_header(lyrics.meta)
    except Exception:  # a header the parser accepted but cannot type: no markers then
        return None
    start, end = header.medley_start_ms, header.medley_end_ms
    if start is None or end is None or end <= start:
        return None
    return ClipSegment(begin_ms=start, end_ms=end)


def _key(text: str) -> str:
    """Line text without case, spaces or punctuation ("auld lang syne!" = "Auld lang syne.")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _repeated_section(lines: list[LyricLine], duration_ms: int | None) -> ClipSegment | None:
    keys = [_key(line.text) for line in lines]
    count = len(lines)

    def sung_ms(start: int, length: int) -> int:
        return max(0, lines[start + length - 1].end_ms - lines[start].start_ms)

    def section_ms(start: int, length: int) -> int:  # up to the next line: the tail too
        end = lines[start + length].start_ms if start + length < count else lines[-1].end_ms
        return max(0, end - lines[start].start_ms)

    best: tuple[int, int, int, int] | None = None  # (score, first start, start index, length)
    for start in range(count):
        if not keys[start]:
            continue
        for length in range(1, count - start):
            pattern = keys[start : start + length]
            if not all(pattern):
                break
            occurrences = _occurrences(keys, pattern, start)
            if occurrences < 2:
                break  # a longer run cannot repeat more often
            score = occurrences * sung_ms(start, length)
            candidate = (score, start, start, length)
            if best is None or (score, start) > (best[0], best[1]):
                best = candidate
    if best is None:
        return None
    _, _, start, length = best
    begin_ms = lines[start].start_ms
    end_ms = begin_ms + min(CLIP_MAX_MS, max(CLIP_MIN_MS, section_ms(start, length)))
    end_ms = min(end_ms, duration_ms or max(lines[-1].end_ms, begin_ms + section_ms(start, length)))
    return ClipSegment(begin_ms=begin_ms, end_ms=end_ms) if end_ms > begin_ms else None


def _occurrences(keys: list[str], pattern: list[str], first: int) -> int:
    """Non-overlapping places where `pattern` occurs, counting from its first one."""
    found, index, length = 0, first, len(pattern)
    while index + length <= len(keys):
        if keys[index : index + length] == pattern:
            found += 1
            index += length
        else:
            index += 1
    return found
