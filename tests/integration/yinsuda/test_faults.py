"""The provider against a misbehaving emulator: rate limits, injected errors, cut
connections, clock skew, slow answers and cancellation."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.yinsuda.v20220527 import models

from ktvdesk.catalog.http import RetryPolicy
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.cloudsim import SimHandle
from ktvdesk.errors import NetworkError, ProviderError
from tests.integration.yinsuda import vendor_actions as vendor
from tests.support.first_bytes import first_bytes

from .conftest import APP, USER


@pytest.fixture
def calm(sim: SimHandle) -> Iterator[SimHandle]:
    """Whatever a test turns on is turned off again."""
    yield sim
    sim.faults.latency_ms = 0
    sim.faults.error_rate = 0.0
    sim.faults.drop_rate = 0.0
    sim.clock.set_skew(0)


async def test_twice_the_allowed_rate_never_surfaces_request_limit_exceeded(
    provider: YinsudaProvider, calm: SimHandle
) -> None:
    limiter = calm.state.yinsuda.limiter
    refused_before = limiter.refused
    # A 20/s Action asked 40 times at once: twice its budget for a second, all at the same
    # moment (the worst case of any pace above the limit).
    results = await asyncio.gather(*(provider.tags() for _ in range(40)))
    assert all(groups for groups in results)
    assert provider.transport.stats.limiter_wait_s > 0  # our bucket held calls back
    assert limiter.refused == refused_before  # and the server never had to refuse one


async def test_the_emulator_does_enforce_the_limit(sdk: Any, calm: SimHandle) -> None:
    """Control: the official SDK has no client-side limiter and gets refused."""
    request = models.DescribeKTVSuggestionsRequest()
    request.AppName, request.UserId, request.KeyWord = APP, USER, "等"
    results = await asyncio.gather(
        *(sdk.DescribeKTVSuggestions(request) for _ in range(80)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, TencentCloudSDKException)]
    assert refused and all(r.code == "RequestLimitExceeded" for r in refused)


async def test_injected_errors_are_retried_on_reads(provider: YinsudaProvider, calm: SimHandle) -> None:
    calm.faults.rng.seed(6)  # requests are sequential: the same faults every run
    calm.faults.error_rate = 0.3
    before = calm.faults.injected_errors
    pages = [await provider.search("夏天", limit=5) for _ in range(20)]
    assert all(len(page.items) == 5 for page in pages)
    assert calm.faults.injected_errors > before
    stats = provider.transport.stats
    assert stats.retries >= calm.faults.injected_errors - before
    # Envelope errors and a gateway's bare 502 alike.
    assert set(stats.failures_by_code) == {"InternalError", "ServiceUnavailable", "HTTP502"}


async def test_cut_connections_are_retried_for_api_and_downloads(
    provider: YinsudaProvider, calm: SimHandle
) -> None:
    songs = [s for s in calm.state.catalog.songs[200:260] if s.has_lyrics and s.has_pitch][:6]
    details = await provider.details([s.id for s in songs])
    calm.faults.rng.seed(7)
    calm.faults.drop_rate = 0.3
    before = calm.faults.dropped
    for detail in details:
        lyrics = await provider.fetch_lyrics(detail.song)
        assert lyrics is not None and lyrics.lines
        _source, audio = await first_bytes(provider, detail.song, size=4096)
        assert len(audio) == 4096
    assert calm.faults.dropped > before
    assert provider.transport.stats.retries > 0


async def test_payments_are_never_resent(
    make_provider: Callable[..., YinsudaProvider], calm: SimHandle
) -> None:
    provider = make_provider(user_id="no-resend", room_id="r9")
    calm.faults.error_rate = 1.0
    before = calm.faults.injected_errors
    with pytest.raises(ProviderError) as err:
        await provider.recharge_live_vip(31, trade_serial_no="serial-no-resend")
    assert err.value.retryable  # a server error: the user may try again, with the same serial
    assert calm.faults.injected_errors - before == 1
    with pytest.raises(ProviderError):
        await provider.api.call(
            vendor.ApplyChorusRequest(RoomId="r", MusicId=calm.state.catalog.songs[0].id),
            vendor.ApplyChorusResponse,
        )
    assert calm.faults.injected_errors - before == 2
    calm.faults.error_rate = 0.0
    serial, _reply = await provider.recharge_live_vip(31, trade_serial_no="serial-no-resend")
    assert serial == "serial-no-resend"


async def test_clock_skew_is_learned_from_the_date_header(
    make_provider: Callable[..., YinsudaProvider], calm: SimHandle
) -> None:
    provider = make_provider(user_id="skewed", room_id="r7")
    calm.clock.set_skew(900)  # the server is 15 minutes ahead of us
    groups = await provider.tags()
    assert groups
    stats = provider.transport.stats
    assert stats.clock_corrections == 1
    assert abs(provider.transport.clock.offset_s - 900) < 2
    # Non-idempotent calls are fine too: the refusal happened before anything was done.
    _serial, reply = await provider.recharge_live_vip(31)
    assert reply.LiveVipUserInfo is not None
    assert stats.clock_corrections == 1  # learned once, not per call
    # Expiries are converted back to our clock.
    page = await provider.search("夏天", limit=1)
    source = await provider.resolve_media(page.items[0])
    assert source.expires_at is not None and not source.expired()
    assert not source.expired(margin_ms=(calm.config.url_ttl_s - 120) * 1000)


async def test_slow_answers_time_out_with_a_network_error(
    make_provider: Callable[..., YinsudaProvider], calm: SimHandle, caplog: pytest.LogCaptureFixture
) -> None:
    provider = make_provider(
        timeout_s=0.2, retry=RetryPolicy(max_attempts=2, base_delay_s=0.01, max_delay_s=0.02)
    )
    calm.faults.latency_ms = 1000
    with (
        caplog.at_level(logging.INFO, logger="ktvdesk.catalog.http.transport"),
        pytest.raises(NetworkError) as err,
    ):
        await provider.tags()
    assert err.value.retryable and "超时" in err.value.message("zh")
    assert provider.transport.stats.requests == 2
    assert "DescribeKTVTags attempt 2 failed" in caplog.text
    assert calm.config.secret_key not in caplog.text


async def test_request_id_is_logged_for_provider_errors(
    provider: YinsudaProvider, calm: SimHandle, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.INFO, logger="ktvdesk.catalog.http.transport"),
        pytest.raises(ProviderError) as err,
    ):
        await provider.playlist_songs("pid-none")
    assert err.value.request_id and err.value.request_id in caplog.text


async def test_cancelled_calls_leave_the_provider_usable(provider: YinsudaProvider, calm: SimHandle) -> None:
    calm.faults.latency_ms = 300  # the emulator holds the request: cancelled in flight
    sent = asyncio.Event()

    async def on_request(request: httpx.Request) -> None:
        sent.set()

    client = provider.transport.client
    hooks = client.event_hooks
    client.event_hooks = {**hooks, "request": [*hooks["request"], on_request]}
    try:
        task = asyncio.create_task(provider.search("月亮"))
        await sent.wait()  # the request is being sent
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        client.event_hooks = hooks
    calm.faults.latency_ms = 0
    assert (await provider.search("月亮", limit=3)).items
