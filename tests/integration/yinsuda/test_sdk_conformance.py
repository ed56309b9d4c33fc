"""The official tencentcloud-sdk-python-yinsuda client against the emulator.

If the real SDK signs, sends, parses and raises exactly as with the real service, the
emulator's protocol is faithful. Results are checked against the emulator's catalog.
"""

from __future__ import annotations

import base64
import io
import json
import wave
from typing import Any

import httpx
import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.yinsuda.v20220527 import models

from ktvdesk.cloudsim import SimHandle

from .conftest import APP, USER, sdk_client


def req(cls: type[Any], **fields: Any) -> Any:
    request = cls()
    request.AppName = APP
    request.UserId = USER
    for key, value in fields.items():
        setattr(request, key, value)
    return request


async def test_search_pages_through_every_match_with_scroll_tokens(sdk: Any, sim: SimHandle) -> None:
    expected = [s.id for s in sim.state.catalog.search("月亮")]
    assert len(expected) > 50  # several pages
    seen: list[str] = []
    token = None
    while True:
        r = await sdk.SearchKTVMusics(
            req(models.SearchKTVMusicsRequest, KeyWord="月亮", Limit=50, ScrollToken=token)
        )
        assert r.RequestId
        seen += [m.MusicId for m in r.KTVMusicInfoSet]
        for music in r.KTVMusicInfoSet:
            assert "月亮" in music.Name or any("月亮" in s for s in music.SingerSet)
            assert {c.Dimension for c in music.AlbumInfo.CoverInfoSet} == {"Mini", "Small", "Medium"}
        if not r.ScrollToken:
            break
        assert set(json.loads(base64.b64decode(r.ScrollToken))) == {"CurPageNum", "CurIndex"}
        token = r.ScrollToken
    assert seen == expected


async def test_search_filters_rights_and_materials(sdk: Any, sim: SimHandle) -> None:
    r = await sdk.SearchKTVMusics(
        req(
            models.SearchKTVMusicsRequest,
            KeyWord="夏天",
            Limit=50,
            RightFilters=["Sing"],
            MaterialFilters=["Midi"],
        )
    )
    assert r.KTVMusicInfoSet
    for music in r.KTVMusicInfoSet:
        song = sim.state.catalog.by_id[music.MusicId]
        assert "Sing" in music.RightSet and song.can_sing and song.has_pitch


async def test_suggestions_start_with_the_keyword(sdk: Any) -> None:
    r = await sdk.DescribeKTVSuggestions(req(models.DescribeKTVSuggestionsRequest, KeyWord="等"))
    suggestions = [s.Suggestion for s in r.KTVSuggestionInfoSet]
    assert 0 < len(suggestions) <= 10
    assert all("等" in s for s in suggestions)


async def test_tags_and_songs_by_tag(sdk: Any, sim: SimHandle) -> None:
    tags = await sdk.DescribeKTVTags(req(models.DescribeKTVTagsRequest))
    groups = {g.Name: g for g in tags.TagGroupInfoSet}
    assert {"风格", "语种", "年代"} <= set(groups)
    folk = next(t for t in groups["风格"].TagInfoSet if t.Name == "民谣")
    r = await sdk.DescribeKTVMusicsByTag(
        req(models.DescribeKTVMusicsByTagRequest, TagId=folk.TagId, Limit=20)
    )
    assert len(r.KTVMusicInfoSet) == 20 and r.ScrollToken
    assert all(folk.TagId in sim.state.catalog.by_id[m.MusicId].tags for m in r.KTVMusicInfoSet)


async def test_playlists_and_playlist_detail(sdk: Any) -> None:
    r = await sdk.DescribeKTVPlaylists(req(models.DescribeKTVPlaylistsRequest, Limit=3))
    assert r.TotalCount >= 4 and len(r.PlaylistBaseInfoSet) == 3
    assert r.PlaylistBaseInfoSet[0].PlaylistId == "pid-8888" and r.PlaylistBaseInfoSet[0].Title == "热歌推荐"
    detail = await sdk.DescribeKTVPlaylistDetail(
        req(models.DescribeKTVPlaylistDetailRequest, PlaylistId="pid-8888")
    )
    assert len(detail.KTVMusicInfoSet) == 20 and detail.ScrollToken
    with pytest.raises(TencentCloudSDKException) as missing:
        await sdk.DescribeKTVPlaylistDetail(
            req(models.DescribeKTVPlaylistDetailRequest, PlaylistId="pid-none")
        )
    assert missing.value.code == "ResourceNotFound" and missing.value.requestId


async def test_details_tokens_lyrics_and_pitch(sdk: Any, sim: SimHandle) -> None:
    song = next(s for s in sim.state.catalog.songs[10:] if s.has_lyrics and s.has_pitch)
    r = await sdk.BatchDescribeKTVMusicDetails(
        req(models.BatchDescribeKTVMusicDetailsRequest, MusicIds=[song.id, "mid-missing"])
    )
    assert r.NotExistMusicIdSet == ["mid-missing"]
    (info,) = r.KTVMusicDetailInfoSet
    assert info.KTVMusicBaseInfo.MusicId == song.id
    assert [(c.StartTime, c.EndTime) for c in info.ChorusClipSet] == [song.chorus_ms]
    claims = json.loads(base64.urlsafe_b64decode(info.PlayToken.split(".")[1] + "=="))
    assert claims["MusicId"] == song.id and claims["ExpireTime"] - claims["CurTime"] == sim.config.token_ttl_s
    async with httpx.AsyncClient() as http:
        lyrics = await http.get(info.LyricsUrl)
        pitch = await http.get(info.MidiUrl)
    assert lyrics.status_code == 200 and lyrics.text.startswith("WEBVTT")
    assert pitch.status_code == 200 and pitch.content.count(b"\n") == 80


async def test_details_refuse_more_than_twenty_ids(sdk: Any, sim: SimHandle) -> None:
    ids = [s.id for s in sim.state.catalog.songs[:21]]
    with pytest.raises(TencentCloudSDKException) as err:
        await sdk.BatchDescribeKTVMusicDetails(req(models.BatchDescribeKTVMusicDetailsRequest, MusicIds=ids))
    assert err.value.code == "InvalidParameterValue"


async def test_segment_url_is_an_expiring_cdn_link_with_range_support(sdk: Any, sim: SimHandle) -> None:
    song = sim.state.catalog.songs[20]
    r = await sdk.DescribeKTVMusicAccompanySegmentUrl(
        req(models.DescribeKTVMusicAccompanySegmentUrlRequest, MusicId=song.id)
    )
    assert r.Status == 0 and r.ExtName == "wav"
    assert (r.SegmentBegin, r.SegmentEnd) == song.chorus_ms
    path = r.Url.split(sim.base_url, 1)[1]
    stamp, digest, file = path.strip("/").split("/")
    assert len(stamp) == 12 and len(digest) == 32 and file == f"{song.id}-seg.wav"
    async with httpx.AsyncClient() as http:
        head = await http.get(r.Url, headers={"Range": "bytes=0-11"})
        assert head.status_code == 206 and head.content[:4] == b"RIFF" and len(head.content) == 12
        assert head.headers["content-range"] == f"bytes 0-11/{r.FileSize}"
        whole = await http.get(r.Url)
        # Only the segment: FileSize bytes lasting SegmentEnd − SegmentBegin, not the song.
        assert len(whole.content) == r.FileSize
        with wave.open(io.BytesIO(whole.content)) as segment:
            length_ms = segment.getnframes() * 1000 // segment.getframerate()
        assert length_ms == r.SegmentEnd - r.SegmentBegin < song.duration_ms
        sim.clock.advance(sim.config.url_ttl_s + 120)
        try:
            expired = await http.get(r.Url)
        finally:
            sim.clock.advance(-(sim.config.url_ttl_s + 120))
    assert expired.status_code == 403
    assert [u.status for u in sim.access_log.uses_of(r.Url)] == [206, 200, 403]


@pytest.mark.parametrize(
    ("music_id", "status"), [("mid-offline1", 1), ("mid-norights1", 2), ("mid-noaccomp1", 3)]
)
async def test_segment_status_codes(sdk: Any, music_id: str, status: int) -> None:
    r = await sdk.DescribeKTVMusicAccompanySegmentUrl(
        req(models.DescribeKTVMusicAccompanySegmentUrlRequest, MusicId=music_id)
    )
    assert r.Status == status and not r.Url


async def test_vip_segment_needs_a_recharge(sdk: Any) -> None:
    vip_req = req(models.DescribeKTVMusicAccompanySegmentUrlVipRequest, MusicId="mid-vip1")
    vip_req.UserId = "vip-user"
    assert (await sdk.DescribeKTVMusicAccompanySegmentUrlVip(vip_req)).Status == 3
    info_req = req(models.DescribeVipUserInfoRequest)
    info_req.UserId = "vip-user"
    assert (await sdk.DescribeVipUserInfo(info_req)).Status == -1
    recharge = req(models.RechargeVipRequest, RoomId="908", VipDays=31, AnchorId="a1")
    recharge.UserId = "vip-user"
    order = await sdk.RechargeVip(recharge)
    assert order.OrderNo and order.CreateTime
    info = await sdk.DescribeVipUserInfo(info_req)
    assert (info.IsVip, info.Status, info.RoomId) == (1, 1, "908")
    ok = await sdk.DescribeKTVMusicAccompanySegmentUrlVip(vip_req)
    assert ok.Status == 0 and ok.Url


async def test_match_musics_by_each_rule_kind(sdk: Any, sim: SimHandle) -> None:
    song = sim.state.catalog.songs[30]
    rules = []
    for fields in (
        {"AMEMusicId": song.ame_id},
        {"MusicIdToMatchAME": song.id},
        {"MusicInfo": {"MusicName": song.title, "SingerSet": list(song.singers)}},
        {"AMEMusicId": "ame-unknown"},
    ):
        rule = models.KTVMatchRule()
        rule._deserialize(fields)
        rules.append(rule)
    r = await sdk.DescribeKTVMatchMusics(req(models.DescribeKTVMatchMusicsRequest, Rules=rules))
    assert len(r.MatchMusicSet) == 3 and all(m.KTVMusicBaseInfo.Name == song.title for m in r.MatchMusicSet)
    assert r.MatchMusicSet[1].AMEMusicBaseInfo.MusicId == song.ame_id
    assert [x.AMEMusicId for x in r.NotMatchRuleSet] == ["ame-unknown"]


async def test_apply_chorus(sdk: Any, sim: SimHandle) -> None:
    r = await sdk.ApplyChorus(
        req(models.ApplyChorusRequest, RoomId="100832", MusicId=sim.state.catalog.songs[5].id, MaxChorusNum=8)
    )
    assert r.ChorusToken.startswith("chid-")


async def test_live_vip_recharge_is_idempotent_by_trade_serial(sdk: Any) -> None:
    recharge = req(models.RechargeLiveVipRequest, TradeSerialNo="serial-1", RoomId="123", VipDays=31)
    r = await sdk.RechargeLiveVip(recharge)
    assert r.LiveVipUserInfo.LiveVipStatus == "Valid" and r.LiveVipUserInfo.RoomId == "123"
    with pytest.raises(TencentCloudSDKException) as dup:
        await sdk.RechargeLiveVip(recharge)
    assert dup.value.code == "FailedOperation.DuplicateTradeSerialNo"
    user = await sdk.DescribeUserInfo(req(models.DescribeUserInfoRequest))
    assert user.UserInfo.UserType == "LiveVip" and user.UserInfo.LiveVipUserInfo.RoomId == "123"
    trades_req = models.DescribeLiveVipTradeInfosRequest()
    trades_req.AppName = APP
    trades_req.TradeSerialNos = ["serial-1"]
    trades = await sdk.DescribeLiveVipTradeInfos(trades_req)
    assert trades.TotalCount == 1 and trades.LiveVipTradeInfoSet[0].VipDays == 31


async def test_robot_lifecycle_with_all_ten_commands(sdk: Any, sim: SimHandle) -> None:
    ids = [s.id for s in sim.state.catalog.songs[40:43]]
    create = models.CreateKTVRobotRequest()
    create._deserialize(
        {
            "AppName": APP,
            "UserId": USER,
            "RTCSystem": "TRTC",
            "JoinRoomInput": {"TRTCJoinRoomInput": {"Sign": "s", "RoomId": "12345", "SdkAppId": "1400", "UserId": "t"}},
            "SyncRobotCommands": [{"Command": "SetPlaylist", "SetPlaylistCommandInput": {"Type": "Add", "MusicIds": ids, "Index": -1}}],
        }
    )  # fmt: skip
    robot_id = (await sdk.CreateKTVRobot(create)).RobotId
    commands = [
        {"Command": "Play", "PlayCommandInput": {"Index": 1}},
        {"Command": "Pause"},
        {"Command": "SwitchNext"},
        {"Command": "SwitchPrevious"},
        {"Command": "SetPlayMode", "SetPlayModeCommandInput": {"PlayMode": "Shuffle"}},
        {"Command": "Seek", "SeekCommandInput": {"Position": 120000}},
        {
            "Command": "SetPlaylist",
            "SetPlaylistCommandInput": {"Type": "Move", "Index": 0, "ChangedIndex": 2},
        },
        {"Command": "SetAudioParam", "SetAudioParamCommandInput": {"Type": "Accompaniment"}},
        {"Command": "SendMessage", "SendMessageCommandInput": {"Message": '{"k":"v"}', "Repeat": 2}},
        {
            "Command": "SetDestroyMode",
            "SetDestroyModeCommandInput": {"DestroyMode": "Expire", "DestroyExpireTime": 120},
        },
        {"Command": "Play"},
    ]
    sync = models.SyncKTVRobotCommandRequest()
    sync._deserialize({"AppName": APP, "UserId": USER, "RobotId": robot_id, "SyncRobotCommands": commands})
    assert (await sdk.SyncKTVRobotCommand(sync)).RequestId
    listing = await sdk.DescribeKTVRobots(req(models.DescribeKTVRobotsRequest, RobotIds=[robot_id]))
    (info,) = listing.KTVRobotInfoSet
    assert info.Status == "Play" and info.CurIndex == 1 and info.Position == 120000
    assert info.Playlists == [ids[1], ids[2], ids[0]]
    assert info.SetPlayModeInput.PlayMode == "Shuffle" and info.SetAudioParamInput.Type == "Accompaniment"
    assert info.JoinRoomInput.TRTCJoinRoomInput.RoomId == "12345"
    assert sim.state.yinsuda.robots[robot_id].messages == ['{"k":"v"}'] * 2
    await sdk.DestroyKTVRobot(req(models.DestroyKTVRobotRequest, RobotId=robot_id))
    with pytest.raises(TencentCloudSDKException) as gone:
        await sdk.SyncKTVRobotCommand(sync)
    assert gone.value.code == "ResourceUnavailable"


async def test_wrong_key_and_unknown_secret_id_are_rejected(sim: SimHandle) -> None:
    for kwargs, code in (
        ({"secret_key": "not-the-key"}, "AuthFailure.SignatureFailure"),
        ({"secret_id": "AKIDunknown"}, "AuthFailure.SecretIdNotFound"),
    ):
        client = sdk_client(sim, **kwargs)
        try:
            with pytest.raises(TencentCloudSDKException) as err:
                await client.DescribeKTVTags(req(models.DescribeKTVTagsRequest))
        finally:
            await client.close()
        assert err.value.code == code and err.value.requestId


async def test_clock_skew_beyond_five_minutes_is_refused(sdk: Any, sim: SimHandle) -> None:
    sim.clock.advance(400)
    try:
        with pytest.raises(TencentCloudSDKException) as err:
            await sdk.DescribeKTVTags(req(models.DescribeKTVTagsRequest))
    finally:
        sim.clock.advance(-400)
    assert err.value.code == "AuthFailure.SignatureExpire"


async def test_bad_parameters(sdk: Any) -> None:
    missing = models.SearchKTVMusicsRequest()
    missing.KeyWord = "x"
    with pytest.raises(TencentCloudSDKException) as err:
        await sdk.SearchKTVMusics(missing)
    assert err.value.code == "MissingParameter" and "AppName" in err.value.message
    with pytest.raises(TencentCloudSDKException) as err:
        await sdk.SearchKTVMusics(req(models.SearchKTVMusicsRequest, KeyWord="x", Limit=51))
    assert err.value.code == "InvalidParameterValue"
    with pytest.raises(TencentCloudSDKException) as err:
        await sdk.SearchKTVMusics(req(models.SearchKTVMusicsRequest, KeyWord="x", ScrollToken="%%%"))
    assert err.value.code == "InvalidParameterValue"
