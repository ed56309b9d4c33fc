"""Media files that hold only part of a song, and the lyrics that go with them.

A Yinsuda accompaniment segment link (`DescribeKTVMusicAccompanySegmentUrl`) is a file
of just `SegmentBegin`–`SegmentEnd`: its own 0 ms is the song's `SegmentBegin`. The
player keeps file times (a seek or a resume after a cut lands in the same file), so the
whole-song lyrics are moved onto the file's timeline here: shifted by the segment begin,
cut to the segment, so that the first word sung in the file lights up when it is heard.
"""

from __future__ import annotations

from dataclasses import replace

from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord
from ktvdesk.models import ClipSegment
from ktvdesk.singing.melody import Melody


def lyrics_for_segment(lyrics: Lyrics, segment: ClipSegment) -> Lyrics:
    """`lyrics` (song times) on the timeline of a file holding only `segment`.

    Lines wholly outside the segment are left out; a line that straddles an edge keeps
    the words inside it (times clamped to the file). The file's offset tag is already in
    every time, so it is not applied again.
    """
    length_ms = segment.duration_ms
    lines: list[LyricLine] = []
    for line in lyrics.lines:
        if line.end_ms <= segment.begin_ms or line.start_ms >= segment.end_ms:
            continue
        words = [
            _moved_word(word, segment.begin_ms, length_ms)
            for word in line.words
            if word.end_ms > segment.begin_ms and word.start_ms < segment.end_ms
        ]
        if line.words and not words:
            continue
        start = _clamp(line.start_ms - segment.begin_ms, length_ms)
        end = _clamp(line.end_ms - segment.begin_ms, length_ms)
        # A word cut off at an edge leaves the line's text too: show only what is sung here.
        text = "".join(w.text for w in words).strip() if len(words) < len(line.words) else line.text
        lines.append(replace(line, start_ms=start, end_ms=max(start, end), text=text, words=words))
    melody = None
    if lyrics.melody is not None:
        moved = lyrics.melody.shifted(-segment.begin_ms)
        melody = Melody(
            tuple(n for n in moved.notes if n.end_ms > 0 and n.start_ms < length_ms), moved.source
        )
    meta = {**lyrics.meta, "segment": f"{segment.begin_ms}-{segment.end_ms}"}
    return replace(lyrics, lines=lines, meta=meta, melody=melody)


def _moved_word(word: LyricWord, begin_ms: int, length_ms: int) -> LyricWord:
    start = _clamp(word.start_ms - begin_ms, length_ms)
    end = _clamp(word.end_ms - begin_ms, length_ms)
    return replace(word, start_ms=start, end_ms=max(start, end))


def _clamp(ms: int, length_ms: int) -> int:
    return max(0, min(length_ms, ms))
