"""KaraokeSession with `FreshMedia` plugged in: prefetch, recovery and resume on fresh links.

The session, the engine, `FreshMedia` and `RefreshScheduler` are the real ones; the scheduler
runs on a `FakeClock`, so "an hour of pause" is one `advance()` and nothing sleeps.

Two stand-ins, because this is the unit level:
- `LinkCatalog` is an in-memory provider handing out numbered expiring links: the tests are
  about *which* link the session asks for and when, not about HTTP (the providers' own
  refresh runs against cloudsim in tests/integration and in the soak);
- `ScriptedPlayer` replaces libVLC: the test must decide when a stream breaks and when the
  media ends, which a real player on real media cannot be told to do on cue. The real
  libVLC path (a pause past the link's life, then the song to its end) is the end-to-end
  test in tests/integration/refresh/test_app_fresh_links.py.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

import pytest

from ktvdesk.catalog.base import MediaRequest
from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import Channel, MediaSource, Song
from ktvdesk.playback import PlayerState, RecoveryPolicy
from ktvdesk.playback.backend import AudioFilters, BackendEvent, EventSink, FadeEnvelope, MediaOptions
from ktvdesk.refresh import RefreshPolicy, RefreshScheduler
from ktvdesk.refresh.media import FreshMedia
from ktvdesk.session import KaraokeSession, SessionEvent, SessionEventKind
from tests.support.fake_clock import FakeClock, settle

URL_TTL_MS = 60_000
SONG_MS = 30_000
LRC = b"[00:01.00]first line\n[00:03.00]second line\n"


@dataclass
class LinkCatalog:
    """Numbered links (`.../s1/v3.m4a`) valid for URL_TTL_MS of the fake clock."""

    clock: FakeClock
    name: str = "fake"
    calls: list[str] = field(default_factory=list)
    lyric_calls: list[str] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        self.calls.append(song.id)
        self.changed.set()
        return MediaSource(
            url=f"http://cdn.test/{song.id}/v{len(self.calls)}.m4a",
            expires_at=self.clock.now() + timedelta(milliseconds=URL_TTL_MS),
            duration_ms=SONG_MS,
        )

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        self.lyric_calls.append(song.id)
        self.changed.set()
        return parse_lyrics(LRC)

    async def until(self, predicate: Callable[[], bool]) -> None:
        async def wait() -> None:
            while not predicate():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), 10)  # the timeout only guards a hang

    async def aclose(self) -> None:
        pass


class ScriptedPlayer:
    """The `PlayerBackend` calls the engine makes, answered at once; `fail`/`finish` on cue."""

    def __init__(self) -> None:
        self.sink: EventSink | None = None
        self.opened: list[str] = []
        self.time_ms = 0

    def _send(self, kind: BackendEvent, value: int = 0) -> None:
        assert self.sink is not None
        self.sink(kind, value)

    # the test's cues
    def fail(self) -> None:
        self._send(BackendEvent.ERROR)

    def finish(self) -> None:
        self.time_ms = SONG_MS
        self._send(BackendEvent.TIME, SONG_MS)
        self._send(BackendEvent.END)

    def at(self, ms: int) -> None:
        self.time_ms = ms
        self._send(BackendEvent.TIME, ms)

    # PlayerBackend
    def set_event_sink(self, sink: EventSink) -> None:
        self.sink = sink

    def open(self, url: str, options: MediaOptions) -> None:
        self.opened.append(url)
        self.time_ms = options.start_ms

    def play(self) -> None:
        self._send(BackendEvent.PLAYING)
        self._send(BackendEvent.TIME, self.time_ms)

    def pause(self) -> None:
        self._send(BackendEvent.PAUSED)

    def resume(self) -> None:
        self._send(BackendEvent.PLAYING)

    def stop(self) -> None:
        pass

    def seek(self, ms: int) -> None:
        self.time_ms = ms

    def get_time(self) -> int:
        return self.time_ms

    def is_playing(self) -> bool:
        return True

    def get_length(self) -> int:
        return SONG_MS

    def set_volume(self, percent: int) -> None:
        pass

    def set_fade(self, envelope: FadeEnvelope | None) -> bool:
        return False

    def set_mute(self, muted: bool) -> None:
        pass

    def set_rate(self, rate: float) -> None:
        pass

    def audio_track_ids(self) -> list[int]:
        return []

    def set_audio_track(self, track_id: int) -> None:
        pass

    def set_stereo_channel(self, channel: Channel | None) -> None:
        pass

    def set_audio_filters(self, filters: AudioFilters) -> None:
        pass

    def set_window(self, handle: int | None) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class Rig:
    clock: FakeClock
    catalog: LinkCatalog
    player: ScriptedPlayer
    fresh: FreshMedia
    session: KaraokeSession
    events: list[SessionEvent] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.session.subscribe(self._on_event)

    def _on_event(self, event: SessionEvent) -> None:
        self.events.append(event)
        self.changed.set()

    def errors(self) -> list[str]:
        return [e.error.detail for e in self.events if e.kind is SessionEventKind.ERROR and e.error]

    async def until(self, predicate: Callable[[], bool]) -> None:
        """Re-checked after every session event (the timeout only guards a hang)."""

        async def wait() -> None:
            while not predicate():
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(wait(), 10)

    async def until_state(self, state: PlayerState) -> None:
        await self.until(lambda: self.session.state is state)


def song(n: int) -> Song:
    return Song(provider="fake", id=f"s{n}", title=f"Song {n}", duration_ms=SONG_MS)


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    clock = FakeClock()
    catalog = LinkCatalog(clock)
    scheduler = RefreshScheduler(
        clock=clock,
        sleep=clock.sleep_ms,
        policy=RefreshPolicy(jitter_fraction=0.0, backoff_jitter=0.0),
        rng=random.Random(5),
    )
    scheduler.start()
    fresh = FreshMedia({"fake": cast(Any, catalog)}, scheduler, sleep=clock.sleep_ms)
    player = ScriptedPlayer()
    session = KaraokeSession(
        {"fake": cast(Any, catalog)},
        player,
        freshness=fresh,
        recovery=RecoveryPolicy(backoff_ms=(0,)),
    )
    yield Rig(clock, catalog, player, fresh, session)
    await session.aclose()
    await fresh.aclose()
    await scheduler.aclose()


async def test_the_next_song_is_prefetched_and_starts_on_its_prefetched_link(rig: Rig) -> None:
    rig.session.enqueue(song(1))
    await rig.until_state(PlayerState.PLAYING)
    assert rig.catalog.calls == ["s1"]

    rig.session.enqueue(song(2))  # a queue change: s2 is next now
    await rig.catalog.until(lambda: "s2" in rig.catalog.calls and "s2" in rig.catalog.lyric_calls)
    assert rig.player.opened == ["http://cdn.test/s1/v1.m4a"]  # prefetched, not played

    rig.player.finish()
    await rig.until(lambda: len(rig.player.opened) == 2)
    await settle()
    assert rig.player.opened[-1] == "http://cdn.test/s2/v2.m4a"  # the prefetched link
    assert rig.catalog.calls.count("s2") == 1 and rig.catalog.lyric_calls.count("s2") == 1
    assert rig.session.now_playing is not None and rig.session.now_playing.song.id == "s2"
    assert rig.errors() == []


async def test_a_stream_error_recovers_on_a_fresh_link_not_the_cached_one(rig: Rig) -> None:
    rig.session.enqueue(song(1))
    await rig.until_state(PlayerState.PLAYING)
    rig.player.at(12_000)
    cached = rig.player.opened[-1]

    rig.player.fail()  # the CDN refused the link mid-song
    await rig.until(lambda: len(rig.player.opened) == 2)
    await rig.until_state(PlayerState.PLAYING)

    assert rig.player.opened[-1] != cached
    assert rig.player.opened[-1] == "http://cdn.test/s1/v2.m4a"  # refreshed out of band
    assert rig.player.time_ms == 12_000  # reopened where it broke
    now = rig.session.now_playing
    assert now is not None and now.source.url == rig.player.opened[-1]
    assert rig.errors() == []


async def test_a_resume_after_a_long_pause_uses_a_fresh_link(rig: Rig) -> None:
    rig.session.enqueue(song(1))
    await rig.until_state(PlayerState.PLAYING)
    rig.player.at(8_000)
    rig.session.pause()
    await rig.until_state(PlayerState.PAUSED)
    old = rig.player.opened[-1]

    await rig.clock.advance(10 * URL_TTL_MS)  # a long break: the link died long ago
    await rig.session.play()
    await rig.until_state(PlayerState.PLAYING)

    assert rig.player.opened[-1] != old and rig.player.opened[-1].startswith("http://cdn.test/s1/")
    assert rig.player.time_ms == 8_000  # same position
    assert rig.fresh.fresh_resumes == 1
    now = rig.session.now_playing
    assert now is not None and now.source.url == rig.player.opened[-1]
    assert now.source.expires_at is not None and now.source.expires_at > rig.clock.now()
    rig.player.finish()
    await rig.until(lambda: rig.session.now_playing is None)
    assert rig.errors() == []


async def test_a_short_pause_resumes_on_the_same_link(rig: Rig) -> None:
    rig.session.enqueue(song(1))
    await rig.until_state(PlayerState.PLAYING)
    rig.session.pause()
    await rig.until_state(PlayerState.PAUSED)

    await rig.session.play()
    await rig.until_state(PlayerState.PLAYING)

    assert rig.player.opened == ["http://cdn.test/s1/v1.m4a"] and rig.fresh.fresh_resumes == 0


async def test_clip_mode_reaches_the_refresh_requests(rig: Rig) -> None:
    rig.session.set_clip_mode(True)
    assert rig.fresh.request.clip
    rig.session.set_clip_mode(False)
    assert not rig.fresh.request.clip
