"""Real libVLC playback of the new kinds: CD+G drawn into a snapshot of the lyric area,
MIDI through FluidSynth into a WAV with sound in it, an UltraStar folder with its video,
an ASS file over a video. Nothing is mocked; pictures are decoded into memory (vmem)."""

from __future__ import annotations

import asyncio
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from ktvdesk.catalog.local.provider import LocalLibraryProvider
from ktvdesk.errors import PlaybackError
from ktvdesk.lyrics import LyricsIndex
from ktvdesk.models import MediaSource
from ktvdesk.playback import PlaybackEngine
from ktvdesk.playback.backend import MediaOptions
from ktvdesk.playback.vlc_backend import VideoFrames, VlcBackend, find_soundfont
from tests.integration.formats.library_tree import VIDEO_RGB, Library
from tests.unit.formats.cdg_encoder import BACKGROUND, TITLE, palette_rgb, tile_center

# libVLC's CD+G decoder shows the 288 × 192 area inside the border (from pixel 6, 12).
CDG_W, CDG_H = 288, 192


def on_screen(row: int, column: int) -> tuple[int, int]:
    x, y = tile_center(row, column)
    return x - 6, y - 12


async def until(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Wait for a condition libVLC's threads make true (the timeout only guards a hang)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def near(actual: tuple[int, int, int], wanted: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - w) <= tolerance for a, w in zip(actual, wanted, strict=True))


def check_cdg_drawing(frames: VideoFrames) -> None:
    from tests.unit.formats.cdg_encoder import make_cdg

    drawing = make_cdg()
    background = palette_rgb(BACKGROUND)
    title = palette_rgb(TITLE)
    assert near(frames.pixel(5, 5), background), frames.pixel(5, 5)
    for row, column in drawing.title_tiles:
        assert near(frames.pixel(*on_screen(row, column)), title), (row, column)
    # The wipe turned the whole bar from background to the wipe colour (red dominant).
    for row, column in drawing.wipe_tiles[1:-1]:
        r, g, b = frames.pixel(*on_screen(row, column))
        assert not near((r, g, b), background) and r > g, (row, column, (r, g, b))


async def source_of(provider: LocalLibraryProvider, query: str) -> MediaSource:
    (song,) = (await provider.search(query)).items
    return await provider.resolve_media(song)


@pytest.mark.parametrize("query", ["Morgenrot", "Mittagslicht"])  # the pair and the zipped pair
async def test_mp3g_graphics_drawn_in_the_lyric_area(scanned: LocalLibraryProvider, query: str) -> None:
    source = await source_of(scanned, query)
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(CDG_W, CDG_H)
    engine = PlaybackEngine(backend)
    try:
        engine.load(source)
        # The wipe ends 0.1 s × 17 tiles after the title: wait for 2.5 s of song.
        await until(lambda: backend.get_time() >= 2500 and frames.count > 0)
        check_cdg_drawing(frames)
    finally:
        await engine.aclose()
        backend.close()


def test_cdg_plays_either_way_round(library: Library) -> None:
    """Verified: the .cdg as input with the audio as slave works too; the app uses the reverse."""
    audio = str(library.cdg_pair.with_suffix(".wav"))
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(CDG_W, CDG_H)
    try:
        backend.open(str(library.cdg_pair), MediaOptions(slave_audio_url=audio))
        backend.play()
        deadline = time.monotonic() + 30
        while backend.get_time() < 2500 and time.monotonic() < deadline:
            frames.wait(0.1)
        check_cdg_drawing(frames)
        assert len(backend.audio_track_ids()) >= 1  # the slave's audio is there
    finally:
        backend.close()


def wav_rms(path: Path) -> float:
    with wave.open(str(path)) as rendered:
        data = np.frombuffer(rendered.readframes(rendered.getnframes()), dtype="<i2")
    return float(np.sqrt(np.mean((data.astype(np.float64) / 32768) ** 2))) if data.size else 0.0


async def test_kar_rendered_through_fluidsynth_has_sound(
    scanned: LocalLibraryProvider, tmp_path: Path
) -> None:
    assert find_soundfont() is not None, "the GM soundfont is missing (make installs it)"
    source = await source_of(scanned, "Twinkle")
    out = tmp_path / "twinkle.wav"
    backend = VlcBackend(audio_out_file=out)
    assert backend.midi_problem is None, backend.midi_problem
    engine = PlaybackEngine(backend)
    try:
        engine.load(source)
        await until(lambda: backend.get_time() >= 3000)
    finally:
        await engine.aclose()
        backend.close()
    assert wav_rms(out) > 0.01  # music, not silence


async def test_ultrastar_folder_plays_its_audio_under_its_video(
    scanned: LocalLibraryProvider, tmp_path: Path
) -> None:
    source = await source_of(scanned, "Wolkenlied")
    out = tmp_path / "wolkenlied.wav"
    backend = VlcBackend(audio_out_file=out, video=True)
    frames = backend.capture_video(160, 96)
    engine = PlaybackEngine(backend)
    try:
        engine.load(source)
        await until(lambda: backend.get_time() >= 1500 and frames.count > 0)
        assert near(frames.pixel(80, 48), VIDEO_RGB), frames.pixel(80, 48)
    finally:
        await engine.aclose()
        backend.close()
    assert wav_rms(out) > 0.05


async def test_ass_lyrics_over_a_video(scanned: LocalLibraryProvider) -> None:
    (song,) = (await scanned.search("Sternschnuppe")).items
    source = await scanned.resolve_media(song)
    lyrics = await scanned.fetch_lyrics(song)
    assert lyrics is not None and lyrics.format == "ass"
    index = LyricsIndex(lyrics)
    backend = VlcBackend(aout="dummy", video=True)
    frames = backend.capture_video(160, 96)
    engine = PlaybackEngine(backend)
    try:
        engine.load(source)
        await until(lambda: backend.get_time() >= 1000 and frames.count > 0)
        at = backend.get_time()
        assert near(frames.pixel(80, 48), (200, 40, 40)), frames.pixel(80, 48)
    finally:
        await engine.aclose()
        backend.close()
    position = index.at(at)
    assert position.active and position.line is not None and position.line.text == "Sternschnuppe"


def test_midi_without_soundfont_says_so(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KTVDESK_SOUNDFONT", str(tmp_path / "missing.sf2"))
    backend = VlcBackend(aout="dummy")
    try:
        assert backend.midi_problem == "no General MIDI soundfont (.sf2) is installed"
        with pytest.raises(PlaybackError) as caught:
            backend.open(str(library.kar), MediaOptions())
        assert "soundfont" in caught.value.user_message.en and caught.value.user_message.zh
        backend.open(str(library.cdg_pair.with_suffix(".wav")), MediaOptions())  # other media still open
    finally:
        backend.close()
