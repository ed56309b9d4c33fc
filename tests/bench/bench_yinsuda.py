"""Yinsuda provider latency against cloudsim with 50 ms injected per HTTP round trip.

Scenarios (median of N runs):
1. time to first search results (SearchKTVMusics, 20 songs);
2. "resolve + first audio": the accompaniment segment link, then the first 64 KiB of media.

Each is measured cold (a new client per run: TLS context, TCP connect) and warm (one
client kept, as the app does; the provider keeps no media links, so every run resolves).
Side by side in the same run: the official tencentcloud SDK (async client, default
profile, i.e. no keep-alive) making the same calls, and ours with no injected latency.
Round trips are HTTP requests. Run with `make bench` (pytest -s); nothing asserts a time.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.yinsuda.v20220527 import models, yinsuda_client_async

from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.cloudsim import SimHandle, start_in_thread
from ktvdesk.models import Song
from tests.support.first_bytes import first_bytes

RUNS = 10
LATENCY_MS = 50
FIRST_BYTES = 64 * 1024
KEYWORD = "月亮"


@pytest.fixture(scope="module")
def sims() -> Iterator[dict[int, SimHandle]]:
    handles = {latency: start_in_thread(catalog_size=3000, latency_ms=latency) for latency in (LATENCY_MS, 0)}
    try:
        yield handles
    finally:
        for handle in handles.values():
            handle.stop()


def _provider(sim: SimHandle) -> YinsudaProvider:
    settings = YinsudaSettings.model_validate(
        {
            "secret_id": sim.config.secret_id,
            "secret_key": sim.config.secret_key,
            "app_name": "bench",
            "user_id": "bench",
            "endpoint": sim.base_url,
        }
    )
    return YinsudaProvider(settings)


def _sdk(sim: SimHandle) -> Any:
    profile = ClientProfile(
        httpProfile=HttpProfile(protocol="http", endpoint=sim.base_url.split("://", 1)[1])
    )
    cred = credential.Credential(sim.config.secret_id, sim.config.secret_key)
    return yinsuda_client_async.YinsudaClient(cred, "", profile)


def _request(cls: type[Any], **fields: Any) -> Any:
    request = cls()
    request.AppName, request.UserId = "bench", "bench"
    for key, value in fields.items():
        setattr(request, key, value)
    return request


class Ours:
    def __init__(self, sim: SimHandle) -> None:
        self.provider = _provider(sim)

    async def search(self) -> int:
        before = self.provider.transport.stats.requests
        page = await self.provider.search(KEYWORD, limit=20)
        assert len(page.items) == 20
        return self.provider.transport.stats.requests - before

    async def play(self, song: Song) -> int:
        before = self.provider.transport.stats.requests
        _source, data = await first_bytes(self.provider, song, size=FIRST_BYTES)
        assert len(data) == FIRST_BYTES
        return self.provider.transport.stats.requests - before

    async def aclose(self) -> None:
        await self.provider.aclose()


class Sdk:
    def __init__(self, sim: SimHandle) -> None:
        self.client = _sdk(sim)
        self.http = httpx.AsyncClient()

    async def search(self) -> int:
        reply = await self.client.SearchKTVMusics(
            _request(models.SearchKTVMusicsRequest, KeyWord=KEYWORD, Limit=20)
        )
        assert len(reply.KTVMusicInfoSet) == 20
        return 1

    async def play(self, song: Song) -> int:
        reply = await self.client.DescribeKTVMusicAccompanySegmentUrl(
            _request(models.DescribeKTVMusicAccompanySegmentUrlRequest, MusicId=song.id)
        )
        media = await self.http.get(reply.Url, headers={"Range": f"bytes=0-{FIRST_BYTES - 1}"})
        assert len(media.content) == FIRST_BYTES
        return 2

    async def aclose(self) -> None:
        await self.client.close()
        await self.http.aclose()


Client = Ours | Sdk


async def _median(
    make: Callable[[], Client], call: Callable[[Client], Awaitable[int]], *, warm: bool
) -> tuple[float, int]:
    times: list[float] = []
    trips = 0
    kept = make() if warm else None
    if kept is not None:
        await call(kept)  # connect and warm up outside the measurement
    try:
        for _ in range(RUNS):
            client = kept or make()
            start = time.perf_counter()
            trips = await call(client)
            times.append((time.perf_counter() - start) * 1000)
            if kept is None:
                await client.aclose()
            # Pause between runs: back to back they would measure our rate limiter (16/s
            # for the segment Action), not latency.
            await asyncio.sleep(0.1)
    finally:
        if kept is not None:
            await kept.aclose()
    return statistics.median(times), trips


async def test_time_to_first_results_and_first_audio(sims: dict[int, SimHandle]) -> None:
    slow, fast = sims[LATENCY_MS], sims[0]
    probe = Ours(slow)
    song = (await probe.provider.search(KEYWORD, limit=1)).items[0]
    await probe.aclose()

    def search(c: Client) -> Awaitable[int]:
        return c.search()

    def play(c: Client) -> Awaitable[int]:
        return c.play(song)

    print(f"\nYinsuda against cloudsim: {LATENCY_MS} ms injected per round trip, median of {RUNS} runs")
    print(f"{'scenario':58} {'ms':>8} {'trips':>6} {'vs SDK':>7}")
    for label, call in (("first search results", search), ("resolve + first 64 KiB audio", play)):
        for warm in (False, True):
            mode = "warm" if warm else "cold"
            sdk_ms, sdk_trips = await _median(lambda: Sdk(slow), call, warm=warm)
            ours_ms, ours_trips = await _median(lambda: Ours(slow), call, warm=warm)
            zero_ms, zero_trips = await _median(lambda: Ours(fast), call, warm=warm)
            for who, ms, trips in (
                ("official SDK", sdk_ms, sdk_trips),
                ("ktvdesk", ours_ms, ours_trips),
                ("ktvdesk, 0 ms latency", zero_ms, zero_trips),
            ):
                print(f"{label + ', ' + mode + ': ' + who:58} {ms:8.1f} {trips:6d} {ms / sdk_ms:7.2f}")
