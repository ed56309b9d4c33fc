"""FreshMedia on a FakeClock: queue-driven prefetch, refresh, recovery and resume, no sleeping.

The scheduler, its loop and FreshMedia are the real ones. The catalog is an in-memory
provider (`ScriptedCatalog`) because these tests are about when links are fetched, not about
HTTP (the soak test in tests/integration/soak runs the real providers against cloudsim).
The engine in the resume tests is a recorder of the two calls FreshMedia makes; the real
swap through `PlaybackEngine.resume_on` runs in the soak with libVLC.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

import pytest

from ktvdesk.catalog.base import MediaRequest
from ktvdesk.errors import KtvError, NetworkError, RightsError, UserMessage
from ktvdesk.lyrics import Lyrics, parse_lyrics
from ktvdesk.models import ClipSegment, MediaSource, Song
from ktvdesk.playback import PlaybackEngine, PlayerState
from ktvdesk.refresh import Priority, RefreshPolicy, RefreshScheduler
from ktvdesk.refresh.media import FreshMedia, media_key, play_token_source, token_key
from tests.support.fake_clock import FakeClock, settle

URL_TTL_MS = 20_000
TOKEN_TTL_MS = 30_000
POLICY = RefreshPolicy(jitter_fraction=0.0, backoff_jitter=0.0)
LRC = b"[00:01.00]first line\n[00:03.00]second line\n"


@dataclass
class Detail:
    play_token: str | None
    play_token_expires_at: datetime | None


@dataclass
class ScriptedCatalog:
    """Hands out numbered links valid for URL_TTL_MS; can be taken offline or refuse a song."""

    clock: FakeClock
    name: str = "sim"
    offline: bool = False
    no_rights: set[str] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)
    lyric_calls: list[str] = field(default_factory=list)
    token_calls: list[str] = field(default_factory=list)
    gate: asyncio.Event | None = None

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        if self.gate is not None:
            await self.gate.wait()
        if self.offline:
            raise NetworkError("connection refused (scripted)")
        if song.id in self.no_rights:
            raise RightsError(f"no rights for {song.id}", user_message=UserMessage("无版权", "No rights"))
        self.calls.append(song.id)
        n = len(self.calls)
        clip = ClipSegment(begin_ms=1000, end_ms=9000) if request and request.clip else None
        return MediaSource(
            url=f"http://cdn.test/{song.id}/v{n}.m4a?sign=s{n}",
            expires_at=self.clock.now() + timedelta(milliseconds=URL_TTL_MS),
            clip=clip,
        )

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        self.lyric_calls.append(song.id)
        if self.offline:
            raise NetworkError("connection refused (scripted)")
        return parse_lyrics(LRC)

    async def detail(self, song_id: str, *, fresh: bool = False) -> Detail:
        self.token_calls.append(song_id)
        return Detail(
            f"tok-{song_id}-{len(self.token_calls)}", self.clock.now() + timedelta(milliseconds=TOKEN_TTL_MS)
        )


def song(n: int) -> Song:
    return Song(provider="sim", id=f"s{n}", title=f"Song {n}", duration_ms=30_000)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def catalog(clock: FakeClock) -> ScriptedCatalog:
    return ScriptedCatalog(clock)


@pytest.fixture
async def fresh(clock: FakeClock, catalog: ScriptedCatalog) -> AsyncIterator[FreshMedia]:
    scheduler = RefreshScheduler(clock=clock, sleep=clock.sleep_ms, policy=POLICY, rng=random.Random(3))
    scheduler.start()
    media = FreshMedia(
        {"sim": cast(Any, catalog)},
        scheduler,
        tokens={"sim": play_token_source(catalog)},
        sleep=clock.sleep_ms,
    )
    yield media
    await media.aclose()
    await scheduler.aclose()


def priorities(media: FreshMedia) -> dict[str, Priority]:
    return {row.key: row.priority for row in media.entries()}


# -- resolve ------------------------------------------------------------------------------------


async def test_ten_concurrent_resolves_make_one_provider_call(
    fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.gate = asyncio.Event()
    waiters = [asyncio.ensure_future(fresh.resolve(song(1))) for _ in range(10)]
    await settle()
    catalog.gate.set()
    sources = await asyncio.gather(*waiters)

    assert catalog.calls == ["s1"]
    assert {s.url for s in sources} == {"http://cdn.test/s1/v1.m4a?sign=s1"}


async def test_a_resolved_link_is_refreshed_ahead_of_expiry_in_the_background(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    first = await fresh.resolve(song(1))

    await clock.advance(URL_TTL_MS // 2 - 1)  # the floor: half the life of a 20 s link
    assert catalog.calls == ["s1"]
    await clock.advance(1)
    assert catalog.calls == ["s1", "s1"]

    again = await fresh.resolve(song(1))
    assert again.url != first.url
    assert again.expires_at is not None and again.expires_at > clock.now()


async def test_resolve_waits_out_a_network_outage_instead_of_failing(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.offline = True
    waiting = asyncio.ensure_future(fresh.resolve(song(1)))
    await clock.advance(10_000)
    assert not waiting.done()

    catalog.offline = False
    await clock.advance(fresh.retry_ms)
    source = await waiting
    assert source.url.startswith("http://cdn.test/s1/")


async def test_resolve_gives_up_after_its_patience(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.offline = True
    waiting = asyncio.ensure_future(fresh.resolve(song(1)))
    await clock.advance(fresh.patience_ms + fresh.retry_ms)
    with pytest.raises(NetworkError):
        await waiting


async def test_a_song_without_rights_fails_at_once(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.no_rights.add("s1")
    with pytest.raises(RightsError) as info:
        await fresh.resolve(song(1))
    assert info.value.user_message is not None and info.value.user_message.en == "No rights"


async def test_an_unknown_provider_is_a_clear_error(fresh: FreshMedia) -> None:
    with pytest.raises(KtvError) as info:
        await fresh.resolve(Song(provider="nowhere", id="x", title="x"))
    assert info.value.code == "no_provider"


# -- the queue ----------------------------------------------------------------------------------


async def test_queue_change_prefetches_current_and_next_with_lyrics_and_tokens(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    queue = [song(n) for n in range(1, 9)]
    fresh.on_queue_changed(queue[0], queue[1:])
    await clock.advance(0)
    await settle()

    # PrefetchPolicy(eager_count=2): playing + next + one more; the rest stays lazy.
    assert sorted(catalog.calls) == ["s1", "s2", "s3"]
    assert priorities(fresh) == {
        media_key(queue[0]): Priority.PLAYING,
        media_key(queue[1]): Priority.NEXT,
        media_key(queue[2]): Priority.QUEUED,
        token_key(queue[0]): Priority.PLAYING,
        token_key(queue[1]): Priority.NEXT,
    }
    assert sorted(catalog.lyric_calls) == ["s1", "s2"]

    # "Next" starts at once: its link and lyrics are already there.
    calls_before = len(catalog.calls)
    source = await fresh.resolve(queue[1])
    lyrics = await fresh.fetch_lyrics(queue[1])
    assert len(catalog.calls) == calls_before
    assert source.url.startswith("http://cdn.test/s2/")
    assert lyrics is not None and lyrics.lines[0].text == "first line"
    assert sorted(catalog.lyric_calls) == ["s1", "s2"]


async def test_advancing_the_queue_reprioritises_and_releases_the_finished_song(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    queue = [song(n) for n in range(1, 6)]
    fresh.on_queue_changed(queue[0], queue[1:])
    await clock.advance(0)

    fresh.on_queue_changed(queue[1], queue[2:])
    await clock.advance(0)

    rows = priorities(fresh)
    assert media_key(queue[0]) not in rows and token_key(queue[0]) not in rows
    assert rows[media_key(queue[1])] is Priority.PLAYING
    assert rows[media_key(queue[2])] is Priority.NEXT
    assert rows[token_key(queue[2])] is Priority.NEXT

    # Released means no more refreshes for it, however long the night.
    await clock.advance(10 * URL_TTL_MS)
    assert "s1" not in catalog.calls[1:]


async def test_a_removed_song_is_released_and_its_lyrics_fetch_cancelled(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    queue = [song(n) for n in range(1, 4)]
    catalog.gate = asyncio.Event()  # keep the media fetches in flight
    fresh.on_queue_changed(queue[0], queue[1:])
    await settle()
    fresh.on_queue_changed(queue[0], [queue[2]])  # the singer removed song 2
    catalog.gate.set()
    await clock.advance(0)

    assert media_key(queue[1]) not in fresh.scheduler
    assert token_key(queue[1]) not in fresh.scheduler
    assert "s2" not in catalog.calls  # its in-flight fetch was cancelled, nothing stored


async def test_a_long_queue_keeps_the_work_bounded(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    queue = [song(n) for n in range(300)]
    fresh.on_queue_changed(queue[0], queue[1:])
    await clock.advance(60 * URL_TTL_MS)

    assert len(fresh.scheduler) <= 1 + fresh.prefetch.keep_count + 2  # + two tokens
    # Each resolved link is refreshed about twice per lifetime (the 50 % floor), no more.
    per_song = {sid: catalog.calls.count(sid) for sid in set(catalog.calls)}
    assert set(per_song) == {"s0", "s1", "s2"}
    assert max(per_song.values()) <= 2 * 60 + 1


# -- recovery and resume --------------------------------------------------------------------------


async def test_recovery_resolver_forces_a_new_link_even_before_expiry(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    playing = song(1)
    stale = await fresh.resolve(playing)
    resolver = fresh.recovery_resolver(playing)

    fresh_source = await resolver(stale)

    assert fresh_source.url != stale.url
    assert catalog.calls == ["s1", "s1"]


async def test_recovery_during_an_outage_waits_for_the_network(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    playing = song(1)
    stale = await fresh.resolve(playing)
    catalog.offline = True
    recovering = asyncio.ensure_future(fresh.recovery_resolver(playing)(stale))
    await clock.advance(15_000)
    assert not recovering.done()
    catalog.offline = False
    await clock.advance(fresh.retry_ms)
    assert (await recovering).url != stale.url


async def test_recovery_keeps_the_clip_of_the_stale_source(
    fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    playing = song(1)
    stale = await fresh.resolve(playing, MediaRequest(clip=True))
    recovered = await fresh.recovery_resolver(playing)(stale)
    assert recovered.clip == stale.clip and recovered.clip is not None


@dataclass
class EngineRecorder:
    source: MediaSource | None
    state: PlayerState = PlayerState.PAUSED
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def resume(self) -> None:
        self.calls.append(("resume", None))

    def resume_on(self, fresh: MediaSource) -> None:
        self.calls.append(("resume_on", fresh.url))


async def test_a_pause_longer_than_the_link_resumes_on_a_fresh_link(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    playing = song(1)
    fresh.on_queue_changed(playing, [])
    source = await fresh.resolve(playing)
    engine = EngineRecorder(source)

    await clock.advance(60_000)  # a 60 s break; the scheduler kept the link fresh meanwhile
    swapped = await fresh.resume(cast(PlaybackEngine, engine), playing)

    assert swapped
    assert engine.calls[0][0] == "resume_on"
    new_url = engine.calls[0][1]
    assert new_url != source.url and new_url == (await fresh.resolve(playing)).url
    assert fresh.fresh_resumes == 1


async def test_a_short_pause_resumes_on_the_same_link(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    playing = song(1)
    source = await fresh.resolve(playing)
    engine = EngineRecorder(source)
    await clock.advance(3_000)

    assert not await fresh.resume(cast(PlaybackEngine, engine), playing)
    assert engine.calls == [("resume", None)]


# -- tokens and observability ---------------------------------------------------------------------


async def test_play_tokens_of_playing_and_next_are_kept_fresh(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    queue = [song(n) for n in range(1, 5)]
    fresh.on_queue_changed(queue[0], queue[1:])
    await clock.advance(0)
    assert sorted(catalog.token_calls) == ["s1", "s2"]

    # A 30 s token is refreshed at half its life (min_lead_ms does not fit in it).
    await clock.advance(TOKEN_TTL_MS - 1)
    assert sorted(catalog.token_calls) == ["s1", "s1", "s2", "s2"]
    expiries = {row.key: row.expires_in_ms for row in fresh.entries() if row.key.startswith("token:")}
    assert all(left is not None and left > 0 for left in expiries.values())


async def test_debug_table_shows_times_to_expiry_without_the_signature(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog, caplog: pytest.LogCaptureFixture
) -> None:
    await fresh.resolve(song(1))
    table = fresh.debug_table()
    assert "media:sim:s1" in table and "20.0s" in table
    assert "sign=s1" not in table and "http://cdn.test/s1/v1.m4a?***" in table

    with caplog.at_level(logging.DEBUG, logger="ktvdesk.refresh.media"):
        fresh.log_schedule()
    assert "scheduled refreshes" in caplog.text and "sign=s1" not in caplog.text


async def test_lyrics_prefetch_waits_out_an_outage(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.offline = True
    fresh.on_queue_changed(song(1), [])
    await clock.advance(2 * fresh.retry_ms)
    catalog.offline = False
    await clock.advance(fresh.retry_ms)
    lyrics = await fresh.fetch_lyrics(song(1))
    assert lyrics is not None and catalog.lyric_calls == ["s1"] * 4


async def test_a_failed_lyrics_prefetch_is_tried_again_when_asked(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    catalog.offline = True
    fresh.on_queue_changed(song(1), [])
    await clock.advance(fresh.patience_ms + fresh.retry_ms)  # the prefetch gave up
    catalog.offline = False
    lyrics = await fresh.fetch_lyrics(song(1))
    assert lyrics is not None and catalog.lyric_calls[-1] == "s1"


async def test_close_releases_everything(
    clock: FakeClock, fresh: FreshMedia, catalog: ScriptedCatalog
) -> None:
    fresh.on_queue_changed(song(1), [song(2)])
    await clock.advance(0)
    await fresh.aclose()
    registered = fresh.scheduler.keys()
    assert [k for k in registered if k.startswith("media:")] == []
    calls = len(catalog.calls)
    await clock.advance(5 * URL_TTL_MS)
    assert len(catalog.calls) == calls
