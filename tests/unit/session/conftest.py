"""KaraokeSession without Qt: real libVLC (dummy audio output) on short generated tones.

The catalog is an in-memory provider written for these tests: it lets a test decide per
song what the provider answers (a file, a rights refusal, a network failure) — the cloud
providers' own error mapping is tested in their packages against cloudsim.
"""

from __future__ import annotations

import array
import asyncio
import math
import wave
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.errors import KtvError
from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import ClipSegment, MediaSource, Page, PlaylistInfo, Song, SongDetail, TagGroup
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind

_available, _reason = probe_vlc()
needs_vlc = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")

LRC = b"""[00:00.20]<00:00.20>one <00:00.50>two<00:00.90>
[00:01.00]<00:01.00>three <00:01.30>four<00:01.60>
"""


def write_tone(path: Path, seconds: float, freq: float = 440.0, rate: int = 22_050) -> Path:
    frames = array.array("h")
    for i in range(int(seconds * rate)):
        sample = int(12000 * math.sin(2 * math.pi * freq * i / rate))
        frames.extend((sample, sample))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames.tobytes())
    return path


class MemoryProvider:
    """A catalog held in a dict; `failures[song_id]` makes resolve_media raise."""

    name = "mem"

    def __init__(self, media: dict[str, Path]) -> None:
        self.media = media
        self.failures: dict[str, KtvError] = {}
        self.lyrics_failures: dict[str, KtvError] = {}
        self.resolved: list[tuple[str, bool]] = []

    def song(self, song_id: str, duration_ms: int = 1500) -> Song:
        return Song(provider=self.name, id=song_id, title=f"Song {song_id}", duration_ms=duration_ms)

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        return Page[Song](items=tuple(self.song(i) for i in self.media if query in i))

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        return []

    async def tags(self) -> list[TagGroup]:
        return []

    async def songs_by_tag(self, tag_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        return Page[Song]()

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        return Page[PlaylistInfo]()

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        return Page[Song]()

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        return []

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        clip = bool(request and request.clip)
        self.resolved.append((song.id, clip))
        if song.id in self.failures:
            raise self.failures[song.id]
        return MediaSource(
            url=str(self.media[song.id]),
            duration_ms=song.duration_ms,
            clip=ClipSegment(begin_ms=300, end_ms=1200) if clip else None,
        )

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        if song.id in self.lyrics_failures:
            raise self.lyrics_failures[song.id]
        return parse_lyrics(LRC)

    async def aclose(self) -> None:
        pass


class SessionLog:
    """Collects session events and lets a test await a condition on the session."""

    def __init__(self, session: KaraokeSession) -> None:
        self.session = session
        self.events: list[SessionEvent] = []
        self._changed = asyncio.Event()
        session.subscribe(self)

    def __call__(self, event: SessionEvent) -> None:
        self.events.append(event)
        self._changed.set()

    def errors(self) -> list[KtvError]:
        return [e.error for e in self.events if e.kind is SessionEventKind.ERROR and e.error is not None]

    async def until(self, predicate: Callable[[], bool], timeout_s: float = 20) -> None:
        """Re-checked after every session event (the timeout only guards a hang)."""

        async def wait() -> None:
            while not predicate():
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(wait(), timeout_s)


@pytest.fixture(scope="session")
def tones(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tones")
    return {
        name: write_tone(root / f"{name}.wav", 1.5, freq)
        for name, freq in (("a", 440), ("b", 550), ("c", 660))
    }


@pytest.fixture
def provider(tones: dict[str, Path]) -> MemoryProvider:
    return MemoryProvider(dict(tones))


@pytest.fixture
async def make_session(
    provider: MemoryProvider,
) -> AsyncIterator[Callable[..., tuple[KaraokeSession, SessionLog]]]:
    made: list[tuple[KaraokeSession, VlcBackend]] = []

    def make(**kwargs: object) -> tuple[KaraokeSession, SessionLog]:
        backend = VlcBackend(aout="dummy")
        session = KaraokeSession({provider.name: provider}, backend, **kwargs)  # type: ignore[arg-type]
        made.append((session, backend))
        return session, SessionLog(session)

    yield make
    for session, backend in made:
        await session.aclose()
        backend.close()
