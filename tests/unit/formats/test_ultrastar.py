"""UltraStar `.txt`: every wild corpus file against its expected values, plus our own songs."""

from __future__ import annotations

from typing import Any

import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.ultrastar import decode_ultrastar, parse_ultrastar, song_header
from ktvdesk.singing.melody import MelodySource, NoteKind
from tests.unit.formats.wild import corpus_paths, wild_bytes

ULTRASTAR = corpus_paths("ultrastar")
KIND_NAMES = {"normal": NoteKind.NORMAL, "golden": NoteKind.GOLDEN, "freestyle": NoteKind.FREESTYLE,
              "rap": NoteKind.RAP, "golden_rap": NoteKind.GOLDEN_RAP}  # fmt: skip


def _close(actual: int, wanted: float) -> bool:
    return abs(actual - wanted) <= 1  # the corpus keeps 3 decimals; we keep whole ms


@pytest.mark.parametrize("path", ULTRASTAR)
def test_wild_file_parses_as_expected(path: str, expected: dict[str, Any]) -> None:
    entry = expected[path]
    data = wild_bytes(path, entry)
    lyrics = parse_lyrics(data)  # through the auto-detecting entry point
    assert lyrics.format == "ultrastar"
    assert decode_ultrastar(data)[1] == entry["encoding"]
    assert lyrics.meta.get("title") == entry["title"]
    assert lyrics.meta.get("artist") == entry["artist"]
    header = song_header(lyrics.meta)
    assert header.bpm == entry["bpm"]
    assert header.gap_ms == entry["gap"]
    assert header.relative is entry["relative"]
    melody = lyrics.melody
    assert melody is not None and melody.source is MelodySource.NOTES
    assert len(melody.notes) == entry["total_note_count"]
    kinds = {name: sum(1 for n in melody.notes if n.kind is KIND_NAMES[name]) for name in KIND_NAMES}
    assert {k: v for k, v in kinds.items() if v} == entry["note_types"]
    assert len(lyrics.lines) == entry["sung_lines"]
    duet = len(entry["players"]) > 1
    for name, player_entry in entry["players"].items():
        player = int(name[1:])
        notes = melody.for_player(player).notes
        assert len(notes) == player_entry["note_count"]
        for note, (start, end, pitch, text) in zip(notes, player_entry["first3_notes"], strict=False):
            assert _close(note.start_ms, start) and _close(note.end_ms, end)
            assert note.pitch == pitch + 60  # USDX pitch 0 = C4 = MIDI 60
            assert note.text == text  # spaces included
        assert _close(max(n.end_ms for n in notes), player_entry["last_note_end_ms"])
        lines = [line for line in lyrics.lines if (line.player or 1) == player]
        assert len(lines) == player_entry["sung_lines"]
        assert all((line.player is not None) is duet for line in lines)
    # Words are the notes' syllables, lines cover their words.
    for line in lyrics.lines:
        assert line.start_ms == line.words[0].start_ms and line.end_ms >= line.words[-1].end_ms


def test_relative_mode_duet_cp1252_and_decimal_comma() -> None:
    # Our own song: relative beats, both players, CP1252 bytes and a decimal-comma BPM.
    text = (
        "#TITLE:Über den Fluss\n#ARTIST:Testchor\n#BPM:150,5\n#GAP:1000\n#RELATIVE:yes\n"
        "#DUETSINGERP1:Anna\n#DUETSINGERP2:Björn\n"
        "P1\n: 0 4 5 Wel\n* 4 4 7 len \n- 10 12\n: 0 2 -3 flie\nF 2 2 0 ßen\n"
        "P2\nR 6 2 0 ja \n- 10 10\nG 2 3 12 ~\nE\nignored after E\n"
    ).encode("cp1252")
    lyrics = parse_ultrastar(text)
    assert lyrics.meta["encoding_detected"] == "cp1252"
    assert lyrics.meta["title"] == "Über den Fluss" and lyrics.meta["p2"] == "Björn"
    beat = 60000 / (150.5 * 4)
    melody = lyrics.melody
    assert melody is not None
    starts = {(n.player, n.text): n.start_ms for n in melody.notes}
    assert starts[(1, "flie")] == round(1000 + 12 * beat)  # 0 + Rel(12)
    assert starts[(1, "ßen")] == round(1000 + 14 * beat)
    assert starts[(2, "~")] == round(1000 + 12 * beat)  # player 2 keeps its own offset (10)
    pitches = {n.text: n.pitch for n in melody.notes}
    assert pitches["flie"] == 57 and pitches["~"] == 72
    kinds = {n.text: n.kind for n in melody.notes}
    assert (
        kinds["ßen"] is NoteKind.FREESTYLE
        and kinds["ja "] is NoteKind.RAP
        and kinds["~"] is NoteKind.GOLDEN_RAP
    )
    assert {line.player for line in lyrics.lines} == {1, 2}
    assert [line.text for line in lyrics.lines if line.player == 1] == ["Wellen", "fließen"]
    # A note's line is the index of its lyric line in the (time-sorted) lines.
    for note in melody.notes:
        assert note.text in "".join(w.text for w in lyrics.lines[note.line].words)


def test_headers_become_typed_song_values() -> None:
    text = (
        "\ufeff#TITLE:Morgenlied\n#ARTIST:Wir\n#MP3:a.mp3\n#AUDIO:b.ogg\n#VOCALS:v.ogg\n#INSTRUMENTAL:i.ogg\n"
        "#VIDEO:v.mp4\n#VIDEOGAP:1,5\n#COVER:c.jpg\n#BACKGROUND:bg.jpg\n#BPM:300\n#GAP:500\n#START:2,25\n"
        "#END:90000\n#MEDLEYSTARTBEAT:40\n#MEDLEYENDBEAT:80\n#LANGUAGE:German\n#GENRE:Folk\n#YEAR:2024\n"
        "#EDITION:Test\n#VERSION:1.1.0\n: 0 4 0 la\nE\n"
    ).encode()
    lyrics = parse_ultrastar(text)
    header = song_header(lyrics.meta)
    assert header.audio == "b.ogg"  # #AUDIO wins over #MP3 (format 1.1)
    assert (header.vocals, header.instrumental, header.video, header.cover, header.background) == (
        "v.ogg", "i.ogg", "v.mp4", "c.jpg", "bg.jpg",
    )  # fmt: skip
    assert header.video_gap_ms == 1500 and header.start_ms == 2250 and header.end_ms == 90000
    assert (header.medley_start_ms, header.medley_end_ms) == (500 + 40 * 50, 500 + 80 * 50)
    assert (header.language, header.genre, header.year) == ("German", "Folk", "2024")
    assert lyrics.meta["edition"] == "Test" and lyrics.meta["version"] == "1.1.0"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("#TITLE:x\n#ARTIST:y\n: 0 1 0 a\n", "no BPM"),
        ("#TITLE:x\n#BPM:abc\n: 0 1 0 a\n", "BPM not a number"),
        ("#TITLE:x\n#BPM:0\n: 0 1 0 a\n", "BPM zero"),
        ("#TITLE:x\n#BPM:100\n: zero 1 0 a\n", "bad note"),
        ("#TITLE:x\n#BPM:100\nP7\n: 0 1 0 a\n", "unknown player"),
        ("#TITLE:x\n#BPM:100\nE\n", "no notes"),
    ],
)
def test_bad_files_raise_lyrics_error(text: str, why: str) -> None:
    with pytest.raises(LyricsError) as caught:
        parse_lyrics(text.encode(), "ultrastar")
    assert caught.value.user_message.en, why
