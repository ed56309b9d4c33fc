"""`LyricsIndex`: what is being sung at a given time, for the lyric view's every frame.

Lookups are two `bisect` calls over lists of ints built once; a lookup allocates only
its result tuple.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from ktvdesk.lyrics.model import LyricLine, Lyrics, LyricWord


class LyricsPosition(NamedTuple):
    """Where `t_ms` falls. Index -1 / None means "none".

    `line` is the last line that has started (it may have ended: see `active`), so the
    view can keep it on screen during an interlude. `word_fraction` is how much of
    `word` is sung (0.0 to 1.0). `until_next_ms` counts down to the next line.
    """

    line_index: int
    line: LyricLine | None
    active: bool
    word_index: int
    word: LyricWord | None
    word_fraction: float
    next_line_index: int
    next_line: LyricLine | None
    until_next_ms: int


# NamedTuple's generated __new__ is a Python-level call; building the tuple directly
# halves the cost of a lookup (measured in tests/bench/bench_lyrics.py).
_new = tuple.__new__


class LyricsIndex:
    """A snapshot index of `lyrics`; build a new one if the lines change."""

    __slots__ = ("_empty", "_ends", "_lines", "_starts", "_word_starts")

    def __init__(self, lyrics: Lyrics) -> None:
        self._lines = list(lyrics.lines)
        self._starts = [line.start_ms for line in self._lines]
        self._ends = [line.end_ms for line in self._lines]
        self._word_starts = [[word.start_ms for word in line.words] for line in self._lines]
        self._empty = LyricsPosition(-1, None, False, -1, None, 0.0, -1, None, -1)

    def __len__(self) -> int:
        return len(self._lines)

    @property
    def lines(self) -> list[LyricLine]:
        return self._lines

    def at(self, t_ms: int) -> LyricsPosition:
        starts = self._starts
        i = bisect_right(starts, t_ms) - 1
        count = len(starts)
        if i + 1 < count:
            next_index = i + 1
            nxt: LyricLine | None = self._lines[next_index]
            until = starts[next_index] - t_ms
        else:
            next_index = -1
            nxt = None
            until = -1
        if i < 0:
            if not count:
                return self._empty
            return _new(LyricsPosition, (-1, None, False, -1, None, 0.0, next_index, nxt, until))
        line = self._lines[i]
        words = line.words
        active = t_ms < self._ends[i]
        if not words:
            return _new(LyricsPosition, (i, line, active, -1, None, 0.0, next_index, nxt, until))
        j = bisect_right(self._word_starts[i], t_ms) - 1
        if j < 0:
            return _new(LyricsPosition, (i, line, active, 0, words[0], 0.0, next_index, nxt, until))
        word = words[j]
        end = word.end_ms
        # t_ms >= word start here, so the division only runs with end > start.
        fraction = 1.0 if t_ms >= end else (t_ms - word.start_ms) / (end - word.start_ms)
        return _new(LyricsPosition, (i, line, active, j, word, fraction, next_index, nxt, until))
