"""The session reports every play of a Xiaowei song to the rights holder (issue 7).

Real parts end to end: cloudsim over loopback serving the demo songs (real media),
the real `XiaoweiProvider`, a `KaraokeSession` on real libVLC with the dummy audio output.
One song is sung to the end (play_state 3), the next one is skipped (11).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.catalog.xiaowei.settings import load_xiaowei_settings
from ktvdesk.cloudsim.server import SimHandle, start_in_thread
from ktvdesk.models import PlayMode, Song
from ktvdesk.playback import PlayerState
from ktvdesk.playback.vlc_backend import VlcBackend, probe_vlc
from ktvdesk.session import KaraokeSession, SessionEvent

_available, _reason = probe_vlc()
pytestmark = pytest.mark.skipif(not _available, reason=f"libVLC unavailable: {_reason}")


class CountingProvider(XiaoweiProvider):
    """The real provider; the test only needs to know when a background report is done."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reports_done = 0
        self.report_finished = asyncio.Event()

    async def report_played(
        self, song: Song, *, url: str, listened_ms: int, completed: bool, play_mode: PlayMode
    ) -> None:
        try:
            await super().report_played(
                song, url=url, listened_ms=listened_ms, completed=completed, play_mode=play_mode
            )
        finally:
            self.reports_done += 1
            self.report_finished.set()


@pytest.fixture
def demo_sim() -> Iterator[SimHandle]:
    # The bundled demo songs have real media of their real length: the generated catalog
    # serves 30 s tones for songs that claim minutes, which would end "early".
    with start_in_thread(catalog_size=20) as handle:
        yield handle


@pytest.fixture
async def reporting_provider(demo_sim: SimHandle) -> AsyncIterator[CountingProvider]:
    settings = load_xiaowei_settings(
        {},
        endpoint=demo_sim.base_url,
        use_keyring=False,
        device_id="SN-TEST-0001",
        client_ip="127.0.0.1",
        product_id="ktvdesk-test",
        user_id="singer-1",
    )
    provider = CountingProvider(settings, retry=RetryPolicy(base_delay_s=0.01, max_delay_s=0.05))
    yield provider
    await provider.aclose()


async def _until(session: KaraokeSession, predicate: Callable[[], bool], timeout_s: float = 30) -> None:
    changed = asyncio.Event()

    def listener(_event: SessionEvent) -> None:
        changed.set()

    unsubscribe = session.subscribe(listener)
    try:
        async with asyncio.timeout(timeout_s):
            while not predicate():
                changed.clear()
                await changed.wait()
    finally:
        unsubscribe()


async def _reports_done(provider: CountingProvider, count: int) -> None:
    async with asyncio.timeout(20):
        while provider.reports_done < count:
            provider.report_finished.clear()
            await provider.report_finished.wait()


async def test_song_end_and_skip_are_reported(
    demo_sim: SimHandle, reporting_provider: CountingProvider
) -> None:
    demo = [s for s in demo_sim.state.catalog.songs if s.media_path is not None][:2]
    assert len(demo) == 2
    ids = [str(demo_sim.state.xiaowei.song_id(s)) for s in demo]
    first, second = [d.song for d in await reporting_provider.details(ids)]
    backend = VlcBackend(aout="dummy")
    session = KaraokeSession({"xiaowei": reporting_provider}, backend)
    session.queue.mode = PlayMode.REPEAT_PLAYLIST
    try:
        session.enqueue(first)
        session.enqueue(second)
        await _until(session, lambda: session.state is PlayerState.PLAYING and session.position_ms() > 0)
        now = session.now_playing
        assert now is not None and now.song.key == first.key
        first_url = now.source.url
        duration_ms = session.duration_ms()
        assert duration_ms is not None
        session.seek(duration_ms - 1500)  # sing the last bars: the song ends by itself

        def second_is_on() -> bool:
            on = session.now_playing
            return on is not None and on.song.key == second.key and session.position_ms() > 1200

        await _until(session, second_is_on)
        now = session.now_playing
        assert now is not None
        second_url = now.source.url
        second_ms = session.duration_ms()
        assert second_ms is not None
        await session.next()  # 切歌
        await _reports_done(reporting_provider, 2)
    finally:
        await session.aclose()
        backend.close()

    async with httpx.AsyncClient() as client:
        listed = (await client.get(f"{demo_sim.base_url}/_admin/xiaowei/reports")).json()
    ended, skipped = listed
    assert (ended["play_state"], skipped["play_state"]) == (3, 11)
    assert ended["play_mode"] == skipped["play_mode"] == 1  # the queue repeats: list loop
    for report, song, url in ((ended, first, first_url), (skipped, second, second_url)):
        assert report["client_ip"] == "127.0.0.1"
        info = report["cur_res_info"]
        assert info["res_id"] == f"unique_id={song.id}&type=cur"
        assert (info["res_name"], info["res_singer"], info["content"]) == (song.title, song.singers_text, url)
    assert ended["cur_res_info"]["time_offset_ms"] >= duration_ms - 2500
    assert 1200 <= skipped["cur_res_info"]["time_offset_ms"] < second_ms - 2500
