"""Yinsuda payloads → ktvdesk models, using the document's own example responses."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from ktvdesk.catalog.base import SearchFilters
from ktvdesk.catalog.yinsuda import mapping
from ktvdesk.catalog.yinsuda import payloads as p

# From the BatchDescribeKTVMusicDetails example of the API document (shortened URLs).
DETAIL_EXAMPLE = {
    "ChorusClipSet": [{"EndTime": 55206, "StartTime": 37988}],
    "KTVMusicBaseInfo": {
        "AlbumInfo": {
            "CoverInfoSet": [
                {"Dimension": "Mini", "Url": "http://img/150.jpg"},
                {"Dimension": "Small", "Url": "http://img/240.jpg"},
                {"Dimension": "Medium", "Url": "http://img/480.jpg"},
            ],
            "Name": "予·君",
        },
        "Duration": 210051,
        "MusicId": "mid-47n6qwV1",
        "Name": "踏雪",
        "RightSet": ["Play", "Sing"],
        "SingerSet": ["等什么君(邓寓君)", "FOX胡天渝"],
        "RecommendType": "Other",
    },
    "LyricsUrl": "https://x/download?sign=x&source=%2FLyrics%2F47n6qwV1%2Fsubtitle.vtt&t=1653897260",
    "MidiUrl": "https://x/download?sign=x&source=%2FPitch%2F47n6qwV1%2Fmusic.pitch&t=1653897260",
    "PlayToken": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBcHBJZCI6MTMwMDA1NDc2NywiQXBwTmFtZSI6InRlc3QiLCJDdXJU"
    "aW1lIjowLCJFeHBpcmVUaW1lIjoxNjUzOTA0NDYwLCJNdXNpY0lkIjoibWlkLTQ3bjZxd1YxIiwiVXNlcklkIjoiMTExMSJ9.xxxxxiwlc",
    "GenreSet": ["fg"],
    "PreludeInterval": 12,
    "BPMInfo": {"Type": "axx", "Value": 12},
}


def test_detail_example_maps_to_song_detail() -> None:
    detail = mapping.detail(p.KTVMusicDetailInfo.model_validate(DETAIL_EXAMPLE))
    song = detail.song
    assert (song.provider, song.id, song.title) == ("yinsuda", "mid-47n6qwV1", "踏雪")
    assert song.singers == ("等什么君(邓寓君)", "FOX胡天渝") and song.album == "予·君"
    assert song.covers == {
        "small": "http://img/150.jpg",
        "medium": "http://img/240.jpg",
        "large": "http://img/480.jpg",
    }
    assert song.duration_ms == 210051 and song.rights.can_play and song.rights.can_sing
    assert song.has_lyrics and song.has_pitch and not song.recommended
    assert [(c.begin_ms, c.end_ms) for c in detail.chorus_clips] == [(37988, 55206)]
    assert detail.prelude_ms == 12000 and detail.bpm == 12 and detail.genres == ("fg",)
    # The document's token: ExpireTime 1653904460.
    assert detail.play_token_expires_at == datetime.fromtimestamp(1653904460, UTC)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (216000, 216000),
        (120, 120_000),
        (9_999, 9_999_000),
        (10_000, 10_000),
        (0, None),
        (None, None),
        (-5, None),
    ],
)
def test_duration_seconds_or_milliseconds(wire: int | None, expected: int | None) -> None:
    assert mapping.duration_ms(wire) == expected


def test_rights_recommendation_and_missing_album() -> None:
    info = p.KTVMusicBaseInfo(MusicId="m", Name="n", RightSet=["Sing"], RecommendType="Featured")
    song = mapping.song(info)
    assert not song.rights.can_play and song.rights.can_sing and song.recommended
    assert song.album is None and song.covers == {}


def test_filters_become_right_and_material_filters() -> None:
    assert mapping.right_filters(None) is None and mapping.material_filters(SearchFilters()) is None
    both = SearchFilters(playable_only=True, singable_only=True, with_lyrics=True, with_pitch=True)
    assert mapping.right_filters(both) == ["Play", "Sing"]
    assert mapping.material_filters(both) == ["Lyrics", "Midi"]
    songs = mapping.songs([p.KTVMusicBaseInfo(MusicId="a")], SearchFilters(with_lyrics=True))
    assert songs[0].has_lyrics and not songs[0].has_pitch


def test_scroll_token_is_the_cursor_and_empty_means_last_page() -> None:
    assert (
        mapping.cursor("eyJDdXJQYWdlTnVtIjozLCJDdXJJbmRleCI6MH0=")
        == "eyJDdXJQYWdlTnVtIjozLCJDdXJJbmRleCI6MH0="
    )
    assert mapping.cursor("") is None and mapping.cursor(None) is None


def _jwt(claims: dict[str, object]) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"eyJhbGciOiJIUzI1NiJ9.{part}.sig"


def test_jwt_expiry() -> None:
    assert mapping.jwt_expiry(_jwt({"ExpireTime": 1700000000})) == datetime.fromtimestamp(1700000000, UTC)
    assert mapping.jwt_expiry(_jwt({"exp": 1700000001})) == datetime.fromtimestamp(1700000001, UTC)
    assert mapping.jwt_expiry(_jwt({"MusicId": "x"})) is None
    assert mapping.jwt_expiry("4g8jfa9bjz") is None  # the document's non-JWT sample value
    assert mapping.jwt_expiry("a.!!!.c") is None
    assert mapping.jwt_expiry(None) is None


def test_cdn_issue_time_from_the_url_path() -> None:
    url = "http://cdn.example/202306151716/0db8f1208ee298295cc6c81bac448751/0db8f1208ee298295cc6c81bac448751"
    # 17:16 Beijing time is 09:16 UTC.
    assert mapping.cdn_issued_at(url, 480) == datetime(2023, 6, 15, 9, 16, tzinfo=UTC)
    assert mapping.cdn_issued_at(url, 0) == datetime(2023, 6, 15, 17, 16, tzinfo=UTC)
    now = datetime(2023, 6, 15, 9, 20, tzinfo=UTC)
    assert mapping.cdn_expiry(url, 3600, 480, now) == datetime(2023, 6, 15, 10, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    "url",
    [
        "http://cdn.example/song.mkv",
        "http://cdn.example/202313321716/0db8f1208ee298295cc6c81bac448751/x",  # month 13
        "http://cdn.example/2023061517/0db8f1208ee298295cc6c81bac448751/x",
        "http://cdn.example/202306151716/not-md5/x",
    ],
)
def test_links_without_a_valid_stamp_use_the_configured_ttl(url: str) -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert mapping.cdn_issued_at(url, 480) is None
    assert mapping.cdn_expiry(url, 600, 480, now) == datetime(2024, 1, 1, 0, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "vip", "zh", "en"),
    [
        (1, False, "下架", "offline"),
        (2, False, "版权", "rights"),
        (3, False, "伴奏", "accompaniment"),
        (3, True, "会员", "membership"),
        (4, True, "链接", "link"),
        (9, False, "无法播放", "cannot be played"),
    ],
)
def test_segment_status_messages(status: int, vip: bool, zh: str, en: str) -> None:
    error = mapping.status_error(status, "mid-x", vip=vip)
    assert error is not None and error.code == f"Status{status}"
    assert zh in error.message("zh_CN") and en in error.message("en_US")


def test_status_zero_is_playable() -> None:
    assert mapping.status_error(0, "mid-x") is None


def test_playlist_music_num_may_be_text() -> None:
    assert mapping.playlist(p.KTVPlaylistBaseInfo(PlaylistId="p", Title="t", MusicNum="12")).song_count == 12
    assert (
        mapping.playlist(p.KTVPlaylistBaseInfo(PlaylistId="p", Title="t", MusicNum="MusicNum")).song_count
        is None
    )


def test_tag_groups() -> None:
    groups = mapping.tag_groups(
        [p.KTVTagGroupInfo(GroupId="1", Name="风格", TagInfoSet=[p.KTVTagInfo(TagId="ID1", Name="嘻哈")])]
    )
    assert groups[0].name == "风格" and groups[0].tags[0].id == "ID1"
