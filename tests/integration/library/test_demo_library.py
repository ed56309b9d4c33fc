"""The bundled demo library: it indexes, every song resolves with its layout, lyrics parse."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from ktvdesk.catalog.local import LibraryIndex, LocalLibraryProvider, bundled_demo_dir
from ktvdesk.lyrics import parse_lyrics
from ktvdesk.models import Channel, MediaSource, Song, VocalLayout

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"

EXPECTED_LAYOUTS = {
    "茉莉花": VocalLayout.TWO_TRACKS,
    "送别": VocalLayout.TWO_TRACKS,
    "Amazing Grace": VocalLayout.TWO_TRACKS,
    "Auld Lang Syne": VocalLayout.TWO_TRACKS,
    "两只老虎": VocalLayout.SEPARATE_FILE,
    "Twinkle Twinkle Little Star": VocalLayout.LEFT_RIGHT,
}


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory):
    with LibraryIndex(tmp_path_factory.mktemp("demo") / "library.db") as index:
        report = index.scan(DEMO)
        assert report.skipped == ()
        yield index


@pytest.fixture
async def provider(demo_index: LibraryIndex):
    provider = LocalLibraryProvider(demo_index)
    yield provider
    await provider.aclose()


def all_songs(index: LibraryIndex) -> list[Song]:
    return index.songs(range(1, 100))


def test_demo_folder_is_found_and_small() -> None:
    assert bundled_demo_dir() == DEMO
    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert total <= 20_000_000


def test_every_demo_song_is_indexed_once(demo_index: LibraryIndex) -> None:
    songs = all_songs(demo_index)
    assert sorted(s.title for s in songs) == sorted(EXPECTED_LAYOUTS)
    for song in songs:
        assert song.singers and song.has_lyrics and song.covers
        assert song.duration_ms is not None and 45_000 <= song.duration_ms <= 120_000


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("jasmine", "茉莉花"),
        ("mlh", "茉莉花"),
        ("茉莉", "茉莉花"),
        ("sb", "送别"),
        ("送別", "送别"),  # traditional input
        ("小星星", "Twinkle Twinkle Little Star"),
        ("奇异恩典", "Amazing Grace"),
        ("友誼地久天長", "Auld Lang Syne"),
        ("lzlh", "两只老虎"),
        ("two tigers", "两只老虎"),
    ],
)
def test_demo_search(demo_index: LibraryIndex, query: str, title: str) -> None:
    assert demo_index.search(query)[0].title == title


def _audio_streams(path: str) -> list[int]:
    with av.open(path) as container:
        return [stream.channels for stream in container.streams.audio]


async def test_every_demo_song_resolves_with_its_layout(provider: LocalLibraryProvider) -> None:
    for song in all_songs(provider.index):
        media = await provider.resolve_media(song)
        assert media.layout is EXPECTED_LAYOUTS[song.title], song.title
        assert media.duration_ms == song.duration_ms
        _check_media(media)


def _check_media(media: MediaSource) -> None:
    assert Path(media.url).is_file()
    streams = _audio_streams(media.url)  # checked by ffmpeg, not by our own probe
    if media.layout is VocalLayout.TWO_TRACKS:
        assert len(streams) == 2
        assert (media.original_track, media.accompaniment_track) == (0, 1)
    elif media.layout is VocalLayout.SEPARATE_FILE:
        assert media.accompaniment_url is not None and "_伴奏" in media.accompaniment_url
        assert _audio_streams(media.accompaniment_url) == [2]
    else:
        assert streams == [2] and media.vocal_channel is Channel.LEFT


def _rms(path: str, stream_index: int, start_s: float, seconds: float) -> list[float]:
    """Per-channel RMS of a stretch of decoded audio."""
    import numpy as np

    with av.open(path) as container:
        stream = container.streams.audio[stream_index]
        chunks = []
        for frame in container.decode(stream):
            t = float(frame.pts * stream.time_base) if frame.pts is not None else 0.0
            if t >= start_s + seconds:
                break
            if t >= start_s:
                chunks.append(frame.to_ndarray())
    data = np.concatenate(chunks, axis=1)
    return [float(np.sqrt(np.mean(channel**2))) for channel in data]


async def test_the_original_carries_the_voice_and_the_accompaniment_does_not(
    provider: LocalLibraryProvider,
) -> None:
    pytest.importorskip("numpy")
    by_title = {s.title: s for s in all_songs(provider.index)}
    lyrics = await provider.fetch_lyrics(by_title["Amazing Grace"])
    assert lyrics is not None
    sung_from = lyrics.lines[0].start_ms / 1000
    grace = await provider.resolve_media(by_title["Amazing Grace"])
    original = _rms(grace.url, grace.original_track, sung_from, 4)
    accompaniment = _rms(grace.url, grace.accompaniment_track, sung_from, 4)
    assert original[0] > 1.5 * accompaniment[0]
    twinkle = await provider.resolve_media(by_title["Twinkle Twinkle Little Star"])
    left, right = _rms(twinkle.url, 0, 4, 4)
    assert left > 1.5 * right  # the vocal mix is on the declared (left) channel


async def test_every_demo_lyric_parses_and_krc_matches_lrc(provider: LocalLibraryProvider) -> None:
    for song in all_songs(provider.index):
        lyrics = await provider.fetch_lyrics(song)
        assert lyrics is not None and lyrics.format == "krc", song.title
        assert len(lyrics.lines) >= 8
        assert all(len(line.words) >= 3 for line in lyrics.lines)
        assert song.duration_ms is not None and lyrics.lines[-1].end_ms < song.duration_ms
        row = provider.index.media_row(song.id)
        assert row is not None and row.lyrics_path is not None
        lrc = parse_lyrics(Path(row.lyrics_path).with_suffix(".lrc").read_bytes())
        krc_words = [(w.start_ms, w.end_ms, w.text.strip()) for line in lyrics.lines for w in line.words]
        lrc_words = [(w.start_ms, w.end_ms, w.text.strip()) for line in lrc.lines for w in line.words]
        assert krc_words == lrc_words, song.title
