"""ASS/SSA karaoke: the wild Aegisub files against their expected values, and our own."""

from __future__ import annotations

from typing import Any

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.ass import read_ass, syllables
from tests.unit.formats.wild import corpus_paths, wild_bytes


@pytest.mark.parametrize("path", corpus_paths("ass"))
def test_wild_file_parses_as_expected(path: str, expected: dict[str, Any]) -> None:
    entry = expected[path]
    data = wild_bytes(path, entry)
    lyrics = parse_lyrics(data)
    assert lyrics.format == "ass"
    _, events = read_ass(data.decode("utf-8"))
    assert sum(e.type == "Dialogue" for e in events) == entry["dialogue_events"]
    assert sum(e.type == "Comment" for e in events) == entry["comment_events"]
    assert len(lyrics.lines) == entry["karaoke_events"]  # comments and template lines left out
    first = entry["first_event"]
    line = lyrics.lines[0]
    assert (line.start_ms, line.end_ms) == (first["start_ms"], first["end_ms"])
    # Our syllables, raw, as Aegisub cuts them.
    raw = [(s.start_ms, s.end_ms, s.text) for s in syllables(first["raw_text"], first["start_ms"])]
    assert raw == [tuple(s) for s in first["syllables"]]
    assert [s.tag for s in syllables(first["raw_text"], 0)] == [
        t.lstrip("\\") for t in first["syllable_tags"]
    ]
    # The words shown: furigana `漢字|よみ` becomes text + reading, `#|…` continues the kanji.
    shown = [s for s in first["syllables_nonempty"] if not s[2].startswith("#|")]
    assert [(w.start_ms, w.text) for w in line.words] == [(s[0], s[2].split("|")[0]) for s in shown]
    readings = "".join(s[2].split("|")[1] for s in first["syllables_nonempty"] if "|" in s[2])
    assert "".join(w.romanization or "" for w in line.words) == readings
    assert line.words[-1].end_ms == first["syllables"][-1][1]


OWN = """\ufeff[Script Info]
Title: Übungslied
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,40,&H00FFFFFF,&H0000FFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1

[Events]
Format: Start, End, Style, Layer, Effect, Name, MarginL, MarginR, MarginV, Text
Comment: 0:00:01.00,0:00:04.00,Default,0,karaoke,,0,0,0,{\\k50}com{\\k50}ment
Dialogue: 0:00:05.00,0:00:09.00,Default,0,,,0,0,0,{\\fad(200,0)\\k25}{\\kf50\\1c&HFF&}Mor{\\K40}gen\\N{\\ko30}rot {\\k20}
Dialogue: 0:00:01.00,0:00:04.00,Default,0,,,0,0,0,{\\k100}Früh{\\k100}ling
Dialogue: 0:00:01.00,0:00:04.00,Default,1,fx,,0,0,0,{\\pos(10,10)\\k100}FX
Dialogue: 0:00:20.00,0:00:21.00,Default,0,,,0,0,0,Credits only
"""


def test_own_file_any_column_order_comments_and_effect_layers() -> None:
    lyrics = parse_lyrics(OWN.encode())
    assert lyrics.meta["title"] == "Übungslied"
    # Sorted by time; the comment, the fx layer and the plain credits line are no lyrics.
    assert [line.text for line in lyrics.lines] == ["Frühling", "Morgen\nrot"]
    line = lyrics.lines[1]
    # {\k25} opens an empty lead-in (hidden), \kf \K \ko time like \k, tags are removed.
    assert [(w.start_ms, w.end_ms, w.text) for w in line.words] == [
        (5250, 5750, "Mor"),
        (5750, 6150, "gen\n"),
        (6150, 6450, "rot "),
    ]


def test_commented_karaoke_is_used_when_nothing_else_is_timed() -> None:
    # Aegisub's templater comments the originals out (Effect "karaoke") once applied.
    text = OWN.split("Dialogue:", maxsplit=1)[0]
    lyrics = parse_lyrics(text.encode())
    assert [line.text for line in lyrics.lines] == ["comment"]


def test_plain_ass_without_karaoke_is_timed_lines() -> None:
    text = OWN.replace("\\k", "\\bord").replace("\\K", "\\bord")
    lyrics = parse_lyrics(text.encode(), "ssa")
    assert "Credits only" in [line.text for line in lyrics.lines]
    assert all(len(line.words) == 1 for line in lyrics.lines)


def test_ass_without_events_is_an_error() -> None:
    with pytest.raises(LyricsError):
        parse_lyrics(b"[Script Info]\nTitle: x\n", "ass")
