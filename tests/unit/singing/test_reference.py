"""Reference melodies behind one interface: notes, the pitch file, the vocal track (cached)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ktvdesk.catalog.local.index import LibraryIndex
from ktvdesk.catalog.local.melody_cache import MelodyCache
from ktvdesk.cloudsim.catalog import SimSong, pitch_bytes
from ktvdesk.errors import KtvError
from ktvdesk.lyrics import Lyrics
from ktvdesk.models import Channel, VocalLayout
from ktvdesk.singing.extract import MelodyExtractor, VocalSource
from ktvdesk.singing.melody import Melody, MelodySource, Note
from ktvdesk.singing.reference import NoReference, PitchFileError, ReferenceFinder, read_pitch_file
from tests.unit.singing.demo_truth import DEMO


def _sim_song() -> SimSong:
    return SimSong(id="s1", title="t", singers=("a",), album="x", duration_ms=60_000, duration_wire=60_000)


def test_reads_cloudsims_pitch_file() -> None:
    melody = read_pitch_file(pitch_bytes(_sim_song()))
    assert melody.source is MelodySource.PITCH_FILE
    assert len(melody.notes) == 80
    first = melody.notes[0]
    assert (first.start_ms, first.end_ms - first.start_ms) == (10_000, 280)
    assert all(55 <= n.pitch < 75 for n in melody.notes)


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"1,2\n", b"a,b,c\n", b"0,-5,60\n", b"0,100,300\n"])
def test_a_corrupt_pitch_file_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(PitchFileError) as caught:
        read_pitch_file(data)
    assert caught.value.message("zh") and caught.value.message("en")


@given(st.binary(max_size=200))
@settings(max_examples=200, deadline=None)
def test_arbitrary_bytes_raise_only_pitch_file_errors(data: bytes) -> None:
    with contextlib.suppress(PitchFileError):
        read_pitch_file(data)


def _lyrics_with(melody: Melody | None) -> Lyrics:
    return Lyrics(lines=[], meta={}, format="txt", melody=melody)


async def test_notes_come_first_then_the_pitch_file() -> None:
    notes = Melody((Note(0, 100, 60.0),), MelodySource.MIDI)
    finder = ReferenceFinder()

    async def pitch() -> bytes | None:
        return b"0,100,62\n"

    assert await finder.find(lyrics=_lyrics_with(notes), fetch_pitch=pitch) is notes
    from_pitch = await finder.find(lyrics=_lyrics_with(None), fetch_pitch=pitch)
    assert from_pitch.source is MelodySource.PITCH_FILE


async def test_a_corrupt_pitch_file_falls_through_to_no_reference_with_the_reason() -> None:
    async def pitch() -> bytes | None:
        return b"garbage"

    with pytest.raises(NoReference) as caught:
        await ReferenceFinder().find(fetch_pitch=pitch)
    assert "corrupt pitch file" in caught.value.detail
    assert "No score for this song" in caught.value.message("en")
    assert "本曲无法评分" in caught.value.message("zh")


async def test_accompaniment_only_media_has_no_reference() -> None:
    source = VocalSource(str(DEMO / "separate" / "两只老虎_伴奏.opus"), VocalLayout.ACCOMPANIMENT_ONLY)
    with pytest.raises(NoReference, match="no original vocal track"):
        await ReferenceFinder().find(vocal=source)


@pytest.fixture(scope="module")
def extractor() -> Iterator[MelodyExtractor]:
    pool = MelodyExtractor()
    yield pool
    pool.close()


async def test_vocal_track_extracted_in_a_worker_and_cached_in_the_library(
    tmp_path: Path, extractor: MelodyExtractor
) -> None:
    db = tmp_path / "library.db"
    LibraryIndex(db).close()
    cache = MelodyCache(db)
    source = VocalSource(
        str(DEMO / "split" / "Twinkle Twinkle Little Star-Jane Taylor.ogg"),
        VocalLayout.LEFT_RIGHT,
        vocal_channel=Channel.LEFT,
    )
    finder = ReferenceFinder(cache=cache, extractor=extractor)
    melody = await finder.find(vocal=source)
    assert melody.source is MelodySource.VOCAL_TRACK
    assert {round(n.pitch) for n in melody.notes} <= {60, 62, 64, 65, 67, 69}  # the tune's notes
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM vocal_melodies").fetchone()[0] == 1

    class Refuses(MelodyExtractor):
        async def extract(self, source: VocalSource) -> list[tuple[int, int, float]]:
            raise AssertionError("the cached melody should have been used")

    again = await ReferenceFinder(cache=cache, extractor=Refuses()).find(vocal=source)
    assert again.notes == melody.notes


def test_cache_misses_when_the_file_changes(tmp_path: Path) -> None:
    media = tmp_path / "song.ogg"
    media.write_bytes((DEMO / "split" / "Twinkle Twinkle Little Star-Jane Taylor.ogg").read_bytes())
    cache = MelodyCache(tmp_path / "new.db")  # a bare database gets the library schema
    source = VocalSource(str(media), VocalLayout.LEFT_RIGHT)
    cache.put(source, [(0, 100, 60.0)])
    assert cache.get(source) == [(0, 100, 60.0)]
    media.write_bytes(media.read_bytes() + b"\0")
    assert cache.get(source) is None


def test_reading_a_missing_file_is_a_ktv_error(tmp_path: Path) -> None:
    from ktvdesk.singing.audio import decode

    with pytest.raises(KtvError):
        decode(tmp_path / "nope.wav")
    (tmp_path / "bad.wav").write_bytes(b"RIFF0000WAVEjunk")
    with pytest.raises(KtvError):
        decode(tmp_path / "bad.wav")
