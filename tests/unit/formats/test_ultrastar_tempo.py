"""UltraStar `B beat bpm` lines: a mid-song tempo change, as the format spec and USDX read it.

Our own fixture: #BPM 300 (50 ms a beat) after a 1000 ms #GAP, then from beat 20 on
`B 20 150` (100 ms a beat). A note after the change starts where the old tempo left the
change's beat, plus its distance from the change at the new tempo.
"""

from __future__ import annotations

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.ultrastar import parse_ultrastar, song_header
from ktvdesk.lyrics.writer import write_ultrastar

TEMPO_SONG = (
    "#TITLE:Zweierlei Takt\n#ARTIST:Testchor\n#MP3:takt.ogg\n#BPM:300\n#GAP:1000\n"
    "#MEDLEYSTARTBEAT:30\n#MEDLEYENDBEAT:44\n"
    ": 0 4 0 Schnell\n: 10 4 2 zug\n- 16\nB 20 150\n: 20 4 4 Lang\n: 30 4 5 sam\n* 40 4 7 ende\nE\n"
)


def starts(text: str) -> dict[str, int]:
    melody = parse_ultrastar(text.encode()).melody
    assert melody is not None
    return {note.text: note.start_ms for note in melody.notes}


def test_times_after_a_bpm_change_follow_the_new_tempo() -> None:
    found = starts(TEMPO_SONG)
    assert found["Schnell"] == 1000 and found["zug"] == 1500  # before the change: 50 ms a beat
    assert found["Lang"] == 1000 + 20 * 50  # the change's beat keeps the old tempo's time
    assert found["sam"] == 2000 + 10 * 100  # 3000, not 2500 at the old tempo
    assert found["ende"] == 2000 + 20 * 100


def test_medley_markers_follow_the_tempo_change() -> None:
    header = song_header(parse_ultrastar(TEMPO_SONG.encode()).meta)
    assert (header.medley_start_ms, header.medley_end_ms) == (3000, 2000 + 24 * 100)


def test_relative_mode_moves_the_change_with_the_line_offset() -> None:
    text = (
        "#TITLE:Relativ\n#ARTIST:Testchor\n#BPM:300\n#GAP:0\n#RELATIVE:yes\n"
        ": 0 4 0 eins\n- 8 20\nB 0 150\n: 0 4 0 zwei\n: 10 4 0 drei\nE\n"
    )
    found = starts(text)
    # The change sits at relative beat 0 of the second line, absolute beat 20 (1000 ms).
    assert found["zwei"] == 1000 and found["drei"] == 1000 + 10 * 100


def test_a_header_cannot_pose_as_tempo_changes() -> None:
    text = TEMPO_SONG.replace("#GAP:1000\n", "#GAP:1000\n#BPMCHANGES:x:y\n").replace("B 20 150\n", "")
    lyrics = parse_ultrastar(text.encode())
    assert "bpmchanges" not in lyrics.meta
    assert song_header(lyrics.meta).medley_start_ms == 1000 + 30 * 50


@pytest.mark.parametrize("row", ["B", "B 20", "B x 150", "B 20 0", "B 20 fast"])
def test_bad_bpm_change_lines_raise_lyrics_error(row: str) -> None:
    with pytest.raises(LyricsError):
        parse_lyrics(TEMPO_SONG.replace("B 20 150", row).encode(), "ultrastar")


def test_a_file_with_tempo_changes_converts_with_its_times_kept() -> None:
    lyrics = parse_ultrastar(TEMPO_SONG.encode())
    again = parse_ultrastar(write_ultrastar(lyrics).encode())
    assert again.melody is not None and lyrics.melody is not None
    for before, after in zip(lyrics.melody.notes, again.melody.notes, strict=True):
        assert abs(before.start_ms - after.start_ms) <= 10 and abs(before.end_ms - after.end_ms) <= 10
