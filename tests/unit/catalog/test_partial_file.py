"""Whole-song lyrics on the timeline of a file holding only part of the song."""

from __future__ import annotations

from ktvdesk.catalog.partial_file import lyrics_for_segment
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.models import ClipSegment

# Invented filler text, word-timed WebVTT as Yinsuda's LyricsUrl serves it.
VTT = b"""WEBVTT

1
00:00:01.000 --> 00:00:04.000
<00:00:01.000>one <00:00:02.000>two <00:00:03.000>three

2
00:00:09.000 --> 00:00:12.000
<00:00:09.000>four <00:00:10.000>five <00:00:11.000>six

3
00:00:15.000 --> 00:00:18.000
<00:00:15.000>seven <00:00:16.000>eight

4
00:00:30.000 --> 00:00:33.000
<00:00:30.000>nine
"""


def test_lines_inside_the_segment_shifted_by_its_begin() -> None:
    lyrics = lyrics_for_segment(parse_lyrics(VTT, "vtt"), ClipSegment(begin_ms=10_000, end_ms=16_500))
    assert [line.text.split() for line in lyrics.lines] == [["five", "six"], ["seven", "eight"]]
    words = [(w.text.strip(), w.start_ms, w.end_ms) for line in lyrics.lines for w in line.words]
    # "four" ends where the segment begins: not in the file. "eight" is cut at the file's end.
    assert words == [("five", 0, 1000), ("six", 1000, 2000), ("seven", 5000, 6000), ("eight", 6000, 6500)]
    assert (lyrics.lines[0].start_ms, lyrics.lines[-1].end_ms) == (0, 6500)
    assert lyrics.meta["segment"] == "10000-16500"


def test_a_segment_between_lines_has_no_lines() -> None:
    lyrics = lyrics_for_segment(parse_lyrics(VTT, "vtt"), ClipSegment(begin_ms=20_000, end_ms=25_000))
    assert lyrics.lines == []
