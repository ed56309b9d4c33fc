"""LRC, with A2 enhanced `<mm:ss.xx>` and ESLyric `[mm:ss.xx]word` word timing.

The parse runs in two passes: the scan turns each text line into timed entries and
break times, then the assembly merges translations, fills end times and builds words.
"""

from __future__ import annotations

from bisect import bisect_right

from ktvdesk.lyrics.common import finish_lines, merge_translations, offset_from_meta, parse_meta_line
from ktvdesk.lyrics.decoding import split_lines
from ktvdesk.lyrics.lrc_tags import LEADING_TAGS_RE, TIME_TAG_RE, WORD_TAG_RE, tag_ms
from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord

# How long the last line lasts when nothing in the file says.
LAST_LINE_MS = 5000

# `.x` is tenths, `.xx` hundredths, `.xxx` ms: the multiplier by digit count.
_FRACTION_SCALE = (0, 100, 10, 1)

# A word-timed line's segments, built straight as words whose end is filled in later.
# Empty text marks where the previous word ends (a trailing tag, or a gap before the
# next word); those markers are dropped once the ends are known.
_Segments = list[LyricWord]


def parse_lrc_text(text: str) -> Lyrics:
    meta: dict[str, str] = {}
    # Lines in file order; a word-timed line's words are its raw segments until the end
    # times are known.
    entries: list[LyricLine] = []
    breaks: list[int] = []
    leading_match = LEADING_TAGS_RE.match
    for raw in split_lines(text):
        line = raw.strip()
        if not line:
            continue
        lead = leading_match(line)
        if lead is None:
            if line[0] == "[":
                parse_meta_line(line, meta)
            continue
        tags_end = lead.end()
        rest = line[tags_end:]
        if line.find("]") + 1 == tags_end:
            # The common case, one tag: the match's groups are that tag's.
            starts = [tag_ms(lead)]
        else:
            starts = [tag_ms(m) for m in TIME_TAG_RE.finditer(line, 0, tags_end)]
        parts = WORD_TAG_RE.split(rest) if ("<" in rest or "[" in rest) else None
        if parts is not None and len(parts) > 1:
            # The texts between tags, joined, are the line's text.
            words_text = "".join(parts[::4]).strip()
            if not words_text:
                breaks.extend(starts)
                continue
            base = starts[0]
            segments = _word_segments(parts, base)
            for start in starts:
                shift = start - base
                shifted = (
                    segments
                    if not shift
                    else [LyricWord(w.start_ms + shift, w.start_ms + shift, w.text) for w in segments]
                )
                entries.append(LyricLine(start, start, words_text, shifted))
            continue
        rest = rest.strip()
        if not rest:
            breaks.extend(starts)
            continue
        for start in starts:
            entries.append(LyricLine(start, start, rest))
    offset_ms = offset_from_meta(meta)
    lines = _assemble(entries, breaks)
    return Lyrics(lines=finish_lines(lines, offset_ms), meta=meta, offset_ms=offset_ms, format="lrc")


def _word_segments(parts: list[str], base_ms: int) -> _Segments:
    """Segments from `WORD_TAG_RE.split` output: [text, min, sec, frac, text, …].

    Splitting runs the scan in C; on word-timed files this is most of the parse time.
    """
    count = len(parts)
    segments: _Segments = []
    head = parts[0]
    if head:
        _add_segment(segments, base_ms, head)
    scale = _FRACTION_SCALE
    for k in range(1, count, 4):
        fraction = parts[k + 2]
        ms = int(parts[k]) * 60000 + int(parts[k + 1]) * 1000
        if fraction:
            ms += int(fraction) * scale[len(fraction)] if len(fraction) <= 3 else int(fraction[:3])
        piece = parts[k + 3]
        if piece and piece.isspace():
            _add_segment(segments, ms, piece)
        else:
            segments.append(LyricWord(ms, ms, piece))
    return segments


def _add_segment(segments: _Segments, start_ms: int, piece: str) -> None:
    if piece and piece.isspace():
        # Space between two tags belongs to the previous word's text; the tag still
        # ends that word there.
        if segments and segments[-1].text:
            segments[-1].text += piece
        piece = ""
    segments.append(LyricWord(start_ms, start_ms, piece))


def _assemble(entries: list[LyricLine], breaks: list[int]) -> list[LyricLine]:
    primaries = merge_translations(entries)
    breaks.sort()
    count = len(primaries)
    for i, entry in enumerate(primaries):
        start = entry.start_ms
        boundary = primaries[i + 1].start_ms if i + 1 < count else None
        # A break (empty timed line) before the next line ends this one explicitly.
        b = bisect_right(breaks, start)
        explicit_end = breaks[b] if b < len(breaks) and (boundary is None or breaks[b] <= boundary) else None
        segments = entry.words
        words_end = segments[-1].start_ms if segments and not segments[-1].text else None
        if explicit_end is not None:
            end = explicit_end
        elif words_end is not None:
            end = words_end
        elif boundary is not None:
            end = boundary
        elif segments:
            end = max(segments[-1].start_ms, start) + LAST_LINE_MS
        else:
            end = start + LAST_LINE_MS
        entry.end_ms = end
        if segments:
            entry.words = _words(segments, end)
    return primaries


def _words(segments: _Segments, line_end_ms: int) -> list[LyricWord]:
    """Fill each word's end from the next segment (or the line end); drop the markers."""
    last = len(segments) - 1
    for k, word in enumerate(segments):
        end = segments[k + 1].start_ms if k < last else line_end_ms
        if end > word.start_ms:
            word.end_ms = end
    return [word for word in segments if word.text]
