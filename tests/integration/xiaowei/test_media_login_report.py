"""Playable links, expiry and refresh, unplayable codes, the QR login flow, play reports."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ktvdesk.catalog.base import MediaRequest
from ktvdesk.catalog.xiaowei.api import PlayMode, QrKind
from ktvdesk.catalog.xiaowei.login import RegisterState
from ktvdesk.catalog.xiaowei.messages import UNPLAYABLE
from ktvdesk.catalog.xiaowei.provider import XiaoweiProvider
from ktvdesk.cloudsim.catalog import media_bytes
from ktvdesk.cloudsim.server import SimHandle
from ktvdesk.cloudsim.xiaowei import UNPLAYABLE_BASE
from ktvdesk.errors import AuthError, MediaExpiredError, RightsError
from ktvdesk.models import Song
from tests.support.first_bytes import first_bytes

from .conftest import URL_TTL_S, OffsetClock


async def _song(provider: XiaoweiProvider, sim: SimHandle, index: int = 70) -> Song:
    [detail] = await provider.details([str(sim.state.xiaowei.song_id(sim.state.catalog.songs[index]))])
    return detail.song


async def test_resolve_media_gives_the_quality_link_with_its_expiry(
    provider: XiaoweiProvider, sim: SimHandle
) -> None:
    song = await _song(provider, sim)
    source = await provider.resolve_media(song)
    assert source.url.startswith(sim.base_url) and "fromtag=1" in source.url  # _standard
    assert source.expires_at is not None
    remaining = source.expires_at - datetime.now(UTC)
    assert timedelta(seconds=URL_TTL_S - 120) < remaining <= timedelta(seconds=URL_TTL_S)
    assert source.clip is None and source.duration_ms == song.duration_ms
    clip = await provider.resolve_media(song, MediaRequest(clip=True))
    chorus = sim.state.catalog.songs[70].chorus_ms
    assert clip.clip is not None and (clip.clip.begin_ms, clip.clip.end_ms) == chorus


async def test_quality_setting_picks_the_lossless_link(provider: XiaoweiProvider, sim: SimHandle) -> None:
    provider.settings = provider.settings.model_copy(update={"quality": "sq"})
    source = await provider.resolve_media(await _song(provider, sim))
    assert "fromtag=3" in source.url


async def test_link_plays_with_range(provider: XiaoweiProvider, sim: SimHandle) -> None:
    song = await _song(provider, sim)
    source, head = await first_bytes(provider, song, size=4096)
    expected = media_bytes(sim.state.catalog.songs[70])
    assert head == expected[:4096] and head[:4] == b"RIFF"
    uses = sim.access_log.uses_of(source.url)
    assert uses and uses[-1].status == 206 and uses[-1].range == "bytes=0-4095"


async def test_an_expired_link_is_never_handed_out_again(provider: XiaoweiProvider, sim: SimHandle) -> None:
    song = await _song(provider, sim)
    old, _ = await first_bytes(provider, song, size=1024)
    sim.clock.advance(URL_TTL_S + 120)  # the CDN now refuses the old link
    with pytest.raises(MediaExpiredError):
        await provider.transport.fetch(old.url, first_bytes=16)
    # No link cache in the provider (FreshMedia keeps the one copy): a resolve is fresh.
    source, head = await first_bytes(provider, song, size=2048)
    assert "resources.refresh_res_url" not in sim.state.xiaowei.calls
    assert source.url != old.url
    assert head == media_bytes(sim.state.catalog.songs[70])[:2048]  # playback continues
    assert source.expires_at is not None and old.expires_at is not None
    assert source.expires_at > old.expires_at


@pytest.mark.parametrize(("quality", "fromtag"), [("standard", 1), ("hq", 2), ("sq", 3)])
async def test_refresh_res_url_keeps_the_configured_quality(
    provider: XiaoweiProvider, sim: SimHandle, quality: str, fromtag: int
) -> None:
    provider.settings = provider.settings.model_copy(update={"quality": quality})
    song = await _song(provider, sim)
    first = await provider.resolve_media(song)
    fresh = (await provider.refresh_media([song.id]))[song.id]
    # Same quality before and after the refresh: no silent change.
    assert f"fromtag={fromtag}" in first.url and f"fromtag={fromtag}" in fresh.url
    again = (await provider.refresh_media([song.id]))[song.id]
    assert f"fromtag={fromtag}" in again.url
    assert sim.state.xiaowei.calls["resources.quality"] <= 2  # asked (and set) once, not per refresh


async def test_refresh_media_directly(provider: XiaoweiProvider, sim: SimHandle) -> None:
    ids = [str(sim.state.xiaowei.song_id(s)) for s in sim.state.catalog.songs[80:82]]
    fresh = await provider.refresh_media(ids)
    assert set(fresh) == set(ids)
    async with httpx.AsyncClient() as client:
        for source in fresh.values():
            assert (await client.get(source.url, headers={"Range": "bytes=0-3"})).content == b"RIFF"


@pytest.mark.parametrize("code", range(1, 11))
async def test_unplayable_codes_become_user_messages(provider: XiaoweiProvider, code: int) -> None:
    [detail] = await provider.details([str(UNPLAYABLE_BASE + code)])
    assert not detail.song.rights.can_play
    with pytest.raises(RightsError) as info:
        await provider.resolve_media(detail.song)
    assert info.value.code == f"unplayable{code}"
    if code in UNPLAYABLE:
        assert info.value.user_message == UNPLAYABLE[code]
    assert info.value.message("zh") and info.value.message("en")


async def test_qr_login_end_to_end(provider: XiaoweiProvider, sim: SimHandle) -> None:
    login = await provider.start_qr_login(QrKind.QQ_MUSIC)
    assert login.qr_code_url.startswith("qqmusic://") and not login.is_image
    assert await provider.login_state(login) == RegisterState.WAITING
    waiting = asyncio.create_task(provider.wait_for_login(login, poll_s=0.02))
    # The user scans: the emulator's admin endpoint plays the phone's part.
    async with httpx.AsyncClient() as client:
        answer = await client.post(f"{sim.base_url}/_admin/xiaowei/qr/{login.session}", params={"state": 1})
    assert answer.json() == {"ok": True}
    await asyncio.wait_for(waiting, timeout=10)
    member = await provider.member_info()
    assert member.is_green_vip and member.nickname
    assert (await provider.device_membership()).end
    await provider.release_login()
    with pytest.raises(Exception) as info:
        await provider.member_info()
    assert getattr(info.value, "code", None) == "40100"


async def test_wechat_qr_is_an_image_and_qq_is_a_page(provider: XiaoweiProvider) -> None:
    wechat = await provider.start_qr_login(QrKind.WECHAT)
    assert wechat.is_image and (wechat.image_bytes() or b"").startswith(b"\x89PNG")
    qq = await provider.start_qr_login(QrKind.QQ)
    assert qq.qr_code_url.startswith("http") and qq.image_bytes() is None


@pytest.mark.parametrize(("state", "code"), [(2, "qr-failed"), (3, "qr-cancelled")])
async def test_qr_login_refused(provider: XiaoweiProvider, sim: SimHandle, state: int, code: str) -> None:
    login = await provider.start_qr_login(QrKind.QQ)
    assert sim.state.xiaowei.authorise(login.session, state)
    with pytest.raises(AuthError) as info:
        await provider.wait_for_login(login, poll_s=0.01)
    assert info.value.code == code and info.value.user_message.en


async def test_qr_session_expires_after_five_minutes(
    provider: XiaoweiProvider, sim: SimHandle, clock: OffsetClock
) -> None:
    login = await provider.start_qr_login(QrKind.QQ_MUSIC)
    assert login.expires_at - datetime.now(UTC) <= timedelta(minutes=5)
    sim.clock.advance(301)
    assert await provider.login_state(login) == RegisterState.FAILED  # the service gave up
    clock.offset_s = 301  # and locally we do not even ask any more
    calls = sim.state.xiaowei.calls["register_info.get_register_status"]
    with pytest.raises(AuthError) as info:
        await provider.wait_for_login(login)
    assert info.value.code == "qr-expired"
    assert sim.state.xiaowei.calls["register_info.get_register_status"] == calls


async def test_reports_on_end_and_skip(provider: XiaoweiProvider, sim: SimHandle) -> None:
    song = await _song(provider, sim)
    source = await provider.resolve_media(song)
    await provider.report_end(song, source.url, song.duration_ms or 0, PlayMode.LIST_LOOP)
    await provider.report_skip(song, source.url, 42_500, PlayMode.SHUFFLE_LOOP)
    ended, skipped = sim.state.xiaowei.reports_snapshot()
    res_id = f"unique_id={song.id}&type=cur"
    assert (ended["play_state"], ended["play_mode"]) == (3, 1)
    assert (skipped["play_state"], skipped["play_mode"]) == (11, 3)
    for report, listened in ((ended, song.duration_ms), (skipped, 42_500)):
        assert report["client_ip"] == "127.0.0.1"
        info = report["cur_res_info"]
        assert info == {
            "res_singer": song.singers_text,
            "res_name": song.title,
            "content": source.url,
            "res_id": res_id,
            "time_offset_ms": listened,
        }
    async with httpx.AsyncClient() as client:
        listed = (await client.get(f"{sim.base_url}/_admin/xiaowei/reports")).json()
    assert [r["play_state"] for r in listed] == [3, 11]


async def test_injected_faults_are_retried(provider: XiaoweiProvider, sim: SimHandle) -> None:
    sim.faults.rng.seed(7)
    sim.faults.error_rate = 0.25
    for _ in range(6):
        assert (await provider.search("月亮", limit=5)).items
    assert provider.transport.stats.retries > 0
    assert sim.faults.injected_errors > 0
