"""MIDI karaoke: the wild .kar/.mid files against their expected values, and our own."""

from __future__ import annotations

import io
from typing import Any

import mido
import pytest

from ktvdesk.errors import LyricsError
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.lyrics.midi import read_karaoke, track_names
from ktvdesk.lyrics.smf import TempoMap, read_midi
from ktvdesk.singing.melody import MelodySource
from tests.unit.formats.wild import corpus_paths, wild_bytes


@pytest.mark.parametrize("path", corpus_paths("kar"))
def test_wild_file_reads_as_expected(path: str, expected: dict[str, Any]) -> None:
    entry = expected[path]
    data = wild_bytes(path, entry)
    song = read_karaoke(data)
    assert song.soft_karaoke is entry["soft_karaoke"]
    assert song.headers == entry["soft_karaoke_headers"]
    assert track_names(data) == entry["track_names"]
    assert len(song.syllables) == entry["syllable_count"]
    assert sorted({s.track for s in song.syllables}) == entry["syllable_tracks"]
    for syllable, (at, text) in zip(song.syllables, entry["first5_syllables_clean"], strict=False):
        assert abs(syllable.start_ms - at) <= 1 and syllable.text == text
    assert abs(song.syllables[-1].start_ms - entry["last_syllable_ms"]) <= 1
    assert abs(song.duration_ms - entry["total_duration_ms"]) <= 1
    tempo = TempoMap(read_midi(data))
    for tick, bpm, at in entry["tempo_changes"]:
        assert abs(tempo.ms_float(tick) - at) < 0.01
        assert any(t == tick and abs(b - bpm) < 0.01 for t, b in tempo.changes())
    # Lines: one per paragraph or line mark, the first syllable opening the first line.
    lyrics = parse_lyrics(data)
    assert lyrics.format == "midi"
    marks = entry["new_paragraph_marks"] + entry["new_line_marks"]
    first_marked = entry["first5_syllables"][0][1][:1] in "/\\"
    assert len(lyrics.lines) == marks + (0 if first_marked else 1)
    assert lyrics.melody is not None and lyrics.melody.source is MelodySource.MIDI
    # The melody follows the syllables: most syllables start a note.
    texts = [n.text for n in lyrics.melody.notes if n.text]
    assert len(texts) >= 0.9 * entry["syllable_count"]


def _soft_karaoke(truncate: int | None = None) -> bytes:
    """Our own Soft Karaoke file: tempo change mid-song, lyrics in track 2, melody in 3."""
    song = mido.MidiFile(type=1, ticks_per_beat=480)
    conductor = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=500000, time=0),
                                mido.MetaMessage("set_tempo", tempo=1000000, time=1920)])  # fmt: skip
    headers = mido.MidiTrack([mido.MetaMessage("text", text=t) for t in
                              ("@KMIDI KARAOKE FILE", "@LDEUT", "@TSonnenlied", "@TText: Testchor")])  # fmt: skip
    words = mido.MidiTrack()
    melody = mido.MidiTrack([mido.Message("program_change", program=73, channel=1)])
    drums = mido.MidiTrack()
    syllables = ["\\Son", "ne ", "scheint", "/hel", "ler ", "Tag"]
    for k, text in enumerate(syllables):
        words.append(mido.MetaMessage("text", text=text, time=480 if k else 960))
        melody.append(mido.Message("note_on", note=60 + k, velocity=90, channel=1, time=480 if k else 960))
        melody[-1].time = 480 if k else 960
        drums.append(mido.Message("note_on", note=36, velocity=90, channel=9, time=240 if k else 960))
    # Note-offs right before the next note-on: rebuild the melody with explicit lengths.
    melody = mido.MidiTrack([mido.Message("program_change", program=73, channel=1)])
    now = 0
    for k in range(len(syllables)):
        start = 960 + 480 * k
        melody.append(mido.Message("note_on", note=60 + k, velocity=90, channel=1, time=start - now))
        melody.append(mido.Message("note_off", note=60 + k, velocity=0, channel=1, time=400))
        now = start + 400
    song.tracks.extend([conductor, headers, words, melody, drums])
    buffer = io.BytesIO()
    song.save(file=buffer)
    data = buffer.getvalue()
    return data if truncate is None else data[:truncate]


def test_own_soft_karaoke_file() -> None:
    lyrics = parse_lyrics(_soft_karaoke())
    assert lyrics.meta["title"] == "Sonnenlied" and lyrics.meta["language"] == "DEUT"
    assert [line.text for line in lyrics.lines] == ["Sonne scheint", "heller Tag"]
    # 120 BPM until tick 1920 (2 s), then 60 BPM: tick 2400 is 3 s.
    assert [w.start_ms for w in lyrics.lines[0].words] == [1000, 1500, 2000]
    assert [w.start_ms for w in lyrics.lines[1].words] == [3000, 4000, 5000]
    melody = lyrics.melody
    assert melody is not None
    assert [(n.pitch, n.text) for n in melody.notes] == [(60.0 + k, t) for k, t in
            enumerate(["Son", "ne ", "scheint", "hel", "ler ", "Tag"])]  # fmt: skip
    assert [n.line for n in melody.notes] == [0, 0, 0, 1, 1, 1]
    assert melody.notes[3].end_ms - melody.notes[3].start_ms == 833  # 400 of 480 ticks at 60 BPM


def test_plain_lyric_events_with_cr_breaks() -> None:
    song = mido.MidiFile(type=0, ticks_per_beat=96)
    track = mido.MidiTrack()
    for k, text in enumerate(["Ein ", "Lied\r", "noch ", "eins\n"]):
        track.append(mido.MetaMessage("lyrics", text=text, time=96 if k else 0))
        track.append(mido.Message("note_on", note=64, velocity=80, time=0))
        track.append(mido.Message("note_off", note=64, velocity=0, time=48))
        track[-1].time = 48
    song.tracks.append(track)
    buffer = io.BytesIO()
    song.save(file=buffer)
    lyrics = parse_lyrics(buffer.getvalue(), "kar")
    assert [line.text for line in lyrics.lines] == ["Ein Lied", "noch eins"]


@pytest.mark.parametrize("cut", [10, 22, 60, 200, -3])
def test_truncated_kar_raises_lyrics_error(cut: int) -> None:
    data = _soft_karaoke()
    with pytest.raises(LyricsError) as caught:
        parse_lyrics(data[:cut], "midi")
    assert "truncated" in caught.value.detail or "MIDI" in caught.value.detail
