"""Our `YinsudaProvider` through the same scenarios as the official SDK, plus the mapping
to ktvdesk models, lyrics, pitch and expiring media links."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ktvdesk.catalog.base import CatalogProvider, MediaRequest, SearchFilters
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.catalog.yinsuda.provider import YinsudaProvider
from ktvdesk.cloudsim import SimHandle
from ktvdesk.errors import AuthError, NotFoundError, ProviderError, RightsError
from ktvdesk.models import VocalLayout
from tests.integration.yinsuda import vendor_actions as vendor
from tests.support.first_bytes import first_bytes


def test_provider_satisfies_the_catalog_protocol(provider: YinsudaProvider) -> None:
    assert isinstance(provider, CatalogProvider)


async def test_search_pages_with_opaque_cursors(provider: YinsudaProvider, sim: SimHandle) -> None:
    expected = [s.id for s in sim.state.catalog.search("月亮")]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await provider.search("月亮", cursor=cursor, limit=50)
        pages += 1
        seen += [song.id for song in page.items]
        if not page.has_more:
            break
        cursor = page.cursor
    assert seen == expected and pages == -(-len(expected) // 50)
    first = (await provider.search("月亮", limit=5)).items[0]
    truth = sim.state.catalog.by_id[first.id]
    assert first.provider == "yinsuda" and first.title == truth.title and first.singers == truth.singers
    assert first.duration_ms == truth.duration_ms
    assert set(first.covers) == {"small", "medium", "large"}
    assert first.rights.can_play == truth.can_play and first.rights.can_sing == truth.can_sing


async def test_durations_sent_in_seconds_are_normalised(provider: YinsudaProvider, sim: SimHandle) -> None:
    in_seconds = [s for s in sim.state.catalog.songs if s.duration_wire < 10_000][:5]
    assert in_seconds
    details = await provider.details([s.id for s in in_seconds])
    assert [d.song.duration_ms for d in details] == [s.duration_wire * 1000 for s in in_seconds]


async def test_filters_map_to_right_and_material_filters(provider: YinsudaProvider, sim: SimHandle) -> None:
    page = await provider.search("夏天", limit=50, filters=SearchFilters(singable_only=True, with_pitch=True))
    assert page.items
    for song in page.items:
        truth = sim.state.catalog.by_id[song.id]
        assert song.rights.can_sing and truth.can_sing and truth.has_pitch and song.has_pitch


async def test_suggest_tags_playlists(provider: YinsudaProvider) -> None:
    assert all("等" in s for s in await provider.suggest("等", limit=5))
    assert await provider.suggest("   ") == []
    groups = await provider.tags()
    tag = groups[0].tags[0]
    by_tag = await provider.songs_by_tag(tag.id, limit=10)
    assert len(by_tag.items) == 10 and by_tag.has_more
    first = await provider.playlists(limit=3)
    assert len(first.items) == 3 and first.cursor == "3" and first.total is not None
    rest = await provider.playlists(cursor=first.cursor, limit=50)
    assert rest.cursor is None and len(first.items) + len(rest.items) == first.total
    # Both playlist Types: the official recommendations and the venue's own (Customize).
    assert "我的KTV必点" in {pl.title for pl in first.items + rest.items}
    # Tag pages take the same right/material filters as search.
    from ktvdesk.catalog.base import SearchFilters as Filters

    singable = await provider.songs_by_tag(
        tag.id, limit=50, filters=Filters(singable_only=True, with_lyrics=True)
    )
    assert singable.items and all(s.rights.can_sing and s.has_lyrics for s in singable.items)
    songs = await provider.playlist_songs("pid-8888", limit=10)
    assert len(songs.items) == 10
    with pytest.raises(NotFoundError) as missing:
        await provider.playlist_songs("pid-none")
    assert missing.value.request_id and missing.value.message("zh")


async def test_details_batches_of_twenty(provider: YinsudaProvider, sim: SimHandle) -> None:
    ids = [s.id for s in sim.state.catalog.songs[100:145]] + ["mid-missing"]
    before = provider.transport.stats.requests
    details = await provider.details(ids)
    assert provider.transport.stats.requests - before == 3
    assert [d.song.id for d in details] == ids[:-1]
    detail = details[0]
    truth = sim.state.catalog.by_id[detail.song.id]
    assert detail.play_token_expires_at is not None
    ttl = (detail.play_token_expires_at - datetime.now(UTC)).total_seconds()
    assert sim.config.token_ttl_s - 60 < ttl <= sim.config.token_ttl_s
    assert [(c.begin_ms, c.end_ms) for c in detail.chorus_clips] == [truth.chorus_ms]
    assert detail.prelude_ms == truth.prelude_s * 1000 and detail.bpm == truth.bpm


async def test_fetch_lyrics_are_the_songs_webvtt_on_the_segments_timeline(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    from ktvdesk.cloudsim.catalog import lyrics_bytes
    from ktvdesk.lyrics import parse_lyrics

    truth = next(s for s in sim.state.catalog.songs[50:] if s.has_lyrics and s.has_pitch)
    begin, end = truth.chorus_ms
    whole = parse_lyrics(lyrics_bytes(truth))  # the song's own VTT, song times
    (detail,) = await provider.details([truth.id])
    lyrics = await provider.fetch_lyrics(detail.song)
    sung = [w for line in whole.lines for w in line.words if begin <= w.start_ms < end]
    assert lyrics is not None and sung
    words = [w for line in lyrics.lines for w in line.words]
    # The first word sung inside the segment lights up at its time inside the segment file.
    first_inside = next(w for w in words if w.start_ms > 0 or w.text == sung[0].text)
    assert (first_inside.text, first_inside.start_ms) == (sung[0].text, sung[0].start_ms - begin)
    assert all(0 <= w.start_ms <= w.end_ms <= end - begin for w in words)
    assert provider.pitch.get(truth.id) is not None
    assert (provider.pitch.get(truth.id) or b"").count(b"\n") == 80
    no_lyrics = next(s for s in sim.state.catalog.songs[50:] if not s.has_lyrics)
    (plain,) = await provider.details([no_lyrics.id])
    assert await provider.fetch_lyrics(plain.song) is None


async def test_resolve_media_is_the_segment_file_on_its_own_timeline(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    truth = sim.state.catalog.songs[60]
    begin, end = truth.chorus_ms
    (detail,) = await provider.details([truth.id])
    for request in (MediaRequest(), MediaRequest(clip=True)):  # the segment is already the clip
        source = await provider.resolve_media(detail.song, request)
        assert source.layout is VocalLayout.ACCOMPANIMENT_ONLY and source.container == "wav"
        assert source.clip is None  # the whole file plays: it holds only the segment
        assert (source.song_offset_ms, source.duration_ms) == (begin, end - begin)
        assert [(s.begin_ms, s.end_ms) for s in source.other_segments] == list(truth.other_segments_ms)
    assert source.expires_at is not None
    # The link carries its issue minute: it expires url_ttl after that minute.
    remaining = (source.expires_at - datetime.now(UTC)).total_seconds()
    assert sim.config.url_ttl_s - 61 <= remaining <= sim.config.url_ttl_s
    calls = sim.state.yinsuda.calls["DescribeKTVMusicAccompanySegmentUrl"]
    await provider.resolve_media(detail.song)
    # No link cache in the provider: FreshMedia's scheduler keeps the one copy.
    assert sim.state.yinsuda.calls["DescribeKTVMusicAccompanySegmentUrl"] == calls + 1


async def test_the_segment_file_holds_only_the_segment(provider: YinsudaProvider, sim: SimHandle) -> None:
    import io
    import wave

    truth = sim.state.catalog.songs[64]
    (detail,) = await provider.details([truth.id])
    source = await provider.resolve_media(detail.song)
    reply = await provider.api.segment_url(p.DescribeKTVMusicAccompanySegmentUrlRequest(MusicId=truth.id))
    data = (await provider.transport.fetch(source.url)).content
    assert len(data) == reply.FileSize
    with wave.open(io.BytesIO(data)) as segment:
        length_ms = segment.getnframes() * 1000 // segment.getframerate()
    assert length_ms == truth.chorus_ms[1] - truth.chorus_ms[0] == source.duration_ms


async def test_expired_segment_link_is_replaced_by_a_fresh_one(
    provider: YinsudaProvider, sim: SimHandle
) -> None:
    from ktvdesk.errors import MediaExpiredError

    (detail,) = await provider.details([sim.state.catalog.songs[61].id])
    song = detail.song
    source, first = await first_bytes(provider, song, size=1024)
    assert first[:4] == b"RIFF" and len(first) == 1024
    jump = sim.config.url_ttl_s + 120
    sim.clock.advance(jump)  # the CDN now refuses the link
    try:
        with pytest.raises(MediaExpiredError):
            await provider.transport.fetch(source.url, first_bytes=1024)
        fresh, data = await first_bytes(provider, song, size=1024)
    finally:
        sim.clock.advance(-jump)
    assert fresh.url != source.url and data == first
    assert [u.status for u in sim.access_log.uses_of(source.url)] == [206, 403]
    assert any(u.path in source.url for u in sim.access_log.late_uses())
    assert [u.status for u in sim.access_log.uses_of(fresh.url)] == [206]


@pytest.mark.parametrize(
    ("music_id", "zh", "en"),
    [
        ("mid-offline1", "下架", "offline"),
        ("mid-norights1", "版权", "rights"),
        ("mid-noaccomp1", "伴奏", "accompaniment"),
    ],
)
async def test_status_1_2_3_become_user_messages(
    provider: YinsudaProvider, music_id: str, zh: str, en: str
) -> None:
    (detail,) = await provider.details([music_id])
    with pytest.raises(RightsError) as err:
        await provider.resolve_media(detail.song)
    assert zh in err.value.message("zh_CN") and en in err.value.message("en")
    assert err.value.request_id


async def test_vip_segment_status_message_then_recharge(
    make_provider: Callable[..., YinsudaProvider],
) -> None:
    provider = make_provider(user_id="provider-vip")
    (detail,) = await provider.details(["mid-vip1"])
    with pytest.raises(RightsError) as err:
        await provider.resolve_media(detail.song, MediaRequest(vip=True))
    assert "会员" in err.value.message("zh")
    await provider.api.call(
        vendor.RechargeVipRequest(RoomId="1", VipDays=31, AnchorId="a"), vendor.RechargeVipResponse
    )
    source = await provider.resolve_media(detail.song, MediaRequest(vip=True))
    assert source.url.startswith("http://127.0.0.1")


async def test_monthly_members_are_served_the_member_links(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> None:
    provider = make_provider(user_id="member-links")
    (detail,) = await provider.details(["mid-vip1"])
    with pytest.raises(RightsError):  # members-only song, and not a member yet
        await provider.resolve_media(detail.song)
    await provider.api.call(
        vendor.RechargeVipRequest(RoomId="1", VipDays=31, AnchorId="a"), vendor.RechargeVipResponse
    )
    member = make_provider(user_id="member-links")  # a new session learns the membership
    before = sim.state.yinsuda.calls.get("DescribeKTVMusicAccompanySegmentUrlVip", 0)
    source = await member.resolve_media(detail.song)  # no vip flag: the membership decides
    assert source.url.endswith("mid-vip1-seg.wav")
    assert sim.state.yinsuda.calls["DescribeKTVMusicAccompanySegmentUrlVip"] == before + 1
    assert await member.is_member() and sim.state.yinsuda.calls["DescribeVipUserInfo"] >= 1


async def test_live_scene_needs_live_vip(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> None:
    provider = make_provider(user_id="live-user", play_scene="Live", room_id="r1")
    song_id = sim.state.catalog.songs[70].id
    with pytest.raises(RightsError) as err:
        await provider.details([song_id])
    assert err.value.code == "FailedOperation.UserNotLiveVip" and "直播会员" in err.value.message("zh")
    serial, reply = await provider.recharge_live_vip(31)
    assert reply.LiveVipUserInfo is not None and reply.LiveVipUserInfo.LiveVipStatus == "Valid"
    with pytest.raises(ProviderError) as dup:
        await provider.recharge_live_vip(31, trade_serial_no=serial)
    assert dup.value.code == "FailedOperation.DuplicateTradeSerialNo" and "重复" in dup.value.message("zh")
    assert [d.song.id for d in await provider.details([song_id])] == [song_id]


async def test_wrong_key_is_an_auth_error_with_a_user_message(
    make_provider: Callable[..., YinsudaProvider],
) -> None:
    provider = make_provider(secret_key="wrong-key")
    with pytest.raises(AuthError) as err:
        await provider.tags()
    assert err.value.code == "AuthFailure.SignatureFailure" and not err.value.retryable
    assert "SecretKey" in err.value.message("zh") and err.value.request_id
    assert provider.transport.stats.requests == 1  # not retried


async def test_robot_and_match_calls_through_the_api(provider: YinsudaProvider, sim: SimHandle) -> None:
    song = sim.state.catalog.songs[80]
    match = await provider.api.match_musics(
        p.DescribeKTVMatchMusicsRequest(
            Rules=[
                p.KTVMatchRule(
                    MusicInfo=p.KTVMatchRuleMusicInfo(MusicName=song.title, SingerSet=list(song.singers))
                )
            ]
        )
    )
    assert match.MatchMusicSet[0].KTVMusicBaseInfo.MusicId == song.id
    created = await provider.api.create_robot(
        p.CreateKTVRobotRequest(
            JoinRoomInput=p.JoinRoomInput(
                TRTCJoinRoomInput=p.TRTCJoinRoomInput(Sign="s", RoomId="1", SdkAppId="2", UserId="u")
            )
        )
    )
    assert created.RobotId
    await provider.api.robot_command(
        p.SyncKTVRobotCommandRequest(
            RobotId=created.RobotId,
            SyncRobotCommands=[
                p.SyncRobotCommand(
                    Command="SetPlaylist",
                    SetPlaylistCommandInput=p.SetPlaylistCommandInput(
                        Type="Add", MusicIds=[song.id], Index=-1
                    ),
                ),
                p.SyncRobotCommand(Command="Play", PlayCommandInput=p.PlayCommandInput(Index=0)),
            ],
        )
    )
    robots = await provider.api.robots(p.DescribeKTVRobotsRequest(RobotIds=[created.RobotId]))
    assert robots.KTVRobotInfoSet[0].Status == "Play" and robots.KTVRobotInfoSet[0].Playlists == [song.id]
    await provider.api.destroy_robot(p.DestroyKTVRobotRequest(RobotId=created.RobotId))


async def test_demo_songs_play_with_their_own_lyrics(provider: YinsudaProvider, sim: SimHandle) -> None:
    demo = [s for s in sim.state.catalog.songs if s.demo]
    if not demo:
        pytest.skip("resources/demo is not generated in this checkout")
    from ktvdesk.lyrics import parse_lyrics

    truth = next(s for s in demo if s.lyrics_path is not None)
    page = await provider.search(truth.title, limit=5)
    song = next(s for s in page.items if s.id == truth.id)
    assert song.singers == truth.singers
    lyrics = await provider.fetch_lyrics(song)
    assert truth.lyrics_path is not None
    begin, end = truth.chorus_ms
    original = parse_lyrics(truth.lyrics_path.read_bytes())
    inside = [line for line in original.lines if line.end_ms > begin and line.start_ms < end]
    assert lyrics is not None and len(lyrics.lines) == len(inside)
    # A line straddling the segment's begin or end keeps only the words sung inside it.
    ours = [line.text.strip() for line in lyrics.lines]
    theirs = [line.text.strip() for line in inside]
    assert ours[1:-1] == theirs[1:-1]
    assert theirs[0].endswith(ours[0]) and theirs[-1].startswith(ours[-1])
    assert lyrics.lines[-1].start_ms == inside[-1].start_ms - begin
    source, head = await first_bytes(provider, song, size=4)
    # The demo's accompaniment track, cut to the segment (decoded: Opus cannot be cut exactly).
    assert source.container == "wav" and head == b"RIFF"


async def test_account_calls_through_the_api(
    make_provider: Callable[..., YinsudaProvider], sim: SimHandle
) -> None:
    provider = make_provider(user_id="account-user", room_id="room-5")
    before = await provider.api.user_info(p.DescribeUserInfoRequest())
    assert before.UserInfo is not None and before.UserInfo.UserType == "Normal"
    serial, _ = await provider.recharge_live_vip(93)
    after = await provider.api.user_info(p.DescribeUserInfoRequest())
    assert after.UserInfo is not None and after.UserInfo.UserType == "LiveVip"
    assert after.UserInfo.LiveVipUserInfo is not None and after.UserInfo.LiveVipUserInfo.RoomId == "room-5"
    trades = await provider.api.call(
        vendor.DescribeLiveVipTradeInfosRequest(UserIds=["account-user"]),
        vendor.DescribeLiveVipTradeInfosResponse,
    )
    assert [(t.TradeSerialNo, t.VipDays, t.Status) for t in trades.LiveVipTradeInfoSet] == [
        (serial, 93, "Success")
    ]
    vip = await provider.api.vip_user_info(p.DescribeVipUserInfoRequest())
    assert (vip.IsVip, vip.Status) == (0, -1)


async def test_details_are_kept_until_their_play_token_nears_expiry_on_the_injected_clock(
    sim: SimHandle,
) -> None:
    from tests.integration.xiaowei.conftest import OffsetClock

    from .conftest import FAST_RETRY, settings_for

    clock = OffsetClock()
    provider = YinsudaProvider(settings_for(sim), retry=FAST_RETRY, clock=clock)
    try:
        song_id = sim.state.catalog.songs[70].id

        def calls() -> int:
            return sim.state.yinsuda.calls.get("BatchDescribeKTVMusicDetails", 0)

        first = await provider.detail(song_id)
        before = calls()
        assert await provider.detail(song_id) is first and calls() == before
        # Only this provider's clock moves: within a minute of the token's expiry it asks again.
        clock.offset_s = sim.config.token_ttl_s - 30
        again = await provider.detail(song_id)
        assert again is not first and calls() > before
    finally:
        await provider.aclose()
