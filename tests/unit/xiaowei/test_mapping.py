"""Xiaowei payloads → models: songs, chorus clips, quality links, expiries, res ids."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ktvdesk.catalog.xiaowei import mapping
from ktvdesk.catalog.xiaowei import payloads as p
from ktvdesk.catalog.xiaowei.settings import LinkQuality
from ktvdesk.models import ClipSegment

# Field values shaped like the seed's search example (URLs shortened, invented names).
SEARCH_ITEM = {
    "album_id": 8220,
    "album_name": "测试专辑",
    "album_pic": "http://img.example/120.jpg",
    "album_pic_150x150": "http://img.example/150.jpg",
    "album_pic_300x300": "http://img.example/300.jpg",
    "album_pic_500x500": "http://img.example/500.jpg",
    "genre": "Pop 流行",
    "language": "国语",
    "other_singer_list": [],
    "playable": 1,
    "singer_name": "测试歌手",
    "song_id": 102065755,
    "song_name": "晴朗的一天",
    "song_play_time": 269,
    "song_play_url": "http://cdn.example/C200x.m4a?vkey=A",
    "song_play_url_hq": "http://cdn.example/C600x.m4a?vkey=B",
    "song_play_url_sq": "http://cdn.example/F000x.flac?vkey=C",
    "song_play_url_standard": "http://cdn.example/C400x.m4a?vkey=D",
    "try_begin": 84339,
    "try_end": 144339,
    "unplayable_code": 0,
    "unplayable_msg": "",
    "url_expiry_time": 1665735924,
    "vip": 1,
}


def test_song_fields() -> None:
    song = mapping.song(p.XwSong.model_validate(SEARCH_ITEM))
    assert song.provider == "xiaowei" and song.id == "102065755"
    assert song.title == "晴朗的一天" and song.singers == ("测试歌手",)
    assert song.album == "测试专辑"
    assert song.duration_ms == 269_000
    assert song.covers == {
        "small": "http://img.example/150.jpg",
        "medium": "http://img.example/300.jpg",
        "large": "http://img.example/500.jpg",
    }
    assert song.rights.can_play and song.rights.can_sing


def test_other_singers_join_the_main_one() -> None:
    info = p.XwSong.model_validate(
        {
            "song_id": 1,
            "singer_name": "甲",
            "other_singer_list": [{"singer_name": "乙"}, {"singer_name": "甲"}],
        }
    )
    assert mapping.singers(info) == ("甲", "乙")


def test_null_other_singer_list_is_accepted() -> None:
    assert p.XwSong.model_validate({"song_id": 1, "other_singer_list": None}).other_singer_list == []


@pytest.mark.parametrize(
    ("code", "playable", "expected"), [(0, 1, True), (8, 0, False), (2, 1, False), (0, 0, False)]
)
def test_rights_follow_unplayable_code_and_playable(code: int, playable: int, expected: bool) -> None:
    info = p.XwSong.model_validate({"song_id": 1, "unplayable_code": code, "playable": playable})
    assert mapping.song(info).rights.can_play is expected


def test_chart_entry_without_rights_fields_is_not_blocked() -> None:
    info = p.XwSong.model_validate({"rank": 1, "song_id": 300836597, "song_name": "x", "singer_name": "y"})
    song = mapping.song(info)
    assert song.rights.can_play and song.recommended


@pytest.mark.parametrize(
    ("begin", "end", "clip"),
    [
        (84339, 144339, (84339, 144339)),  # the examples: milliseconds
        (90, 150, (90_000, 150_000)),  # the documentation: seconds
        (0, 60000, (0, 60000)),  # starts at 0: the end decides the unit
        (0, 0, None),
        (150, 90, None),
    ],
)
def test_chorus_clip_in_seconds_or_ms(begin: int, end: int, clip: tuple[int, int] | None) -> None:
    got = mapping.chorus(p.XwSong.model_validate({"song_id": 1, "try_begin": begin, "try_end": end}))
    assert got == (ClipSegment(begin_ms=clip[0], end_ms=clip[1]) if clip else None)


@pytest.mark.parametrize(
    ("quality", "expected"),
    [("standard", "C400x.m4a"), ("hq", "C600x.m4a"), ("sq", "F000x.flac")],
)
def test_quality_picks_its_link(quality: LinkQuality, expected: str) -> None:
    url = mapping.media_url(p.XwSong.model_validate(SEARCH_ITEM), quality)
    assert url is not None and expected in url


def test_quality_falls_back_to_any_link() -> None:
    info = p.XwSong.model_validate({"song_id": 1, "song_play_url": "http://cdn.example/C200y.m4a?vkey=Z"})
    assert mapping.media_url(info, "sq") == "http://cdn.example/C200y.m4a?vkey=Z"
    assert mapping.media_url(p.XwSong.model_validate({"song_id": 1}), "hq") is None


def test_container_from_path_not_query() -> None:
    assert mapping.container("http://cdn.example/F000x.flac?vkey=a.b") == "flac"
    assert mapping.container("http://cdn.example/stream") is None


def test_url_expiry_uses_the_reply_or_the_promised_minimum() -> None:
    now = datetime(2026, 11, 22, tzinfo=UTC)
    assert mapping.url_expiry(1665735924, now, 14400) == datetime.fromtimestamp(1665735924, UTC)
    assert (mapping.url_expiry(0, now, 14400) - now).total_seconds() == 14400


def test_res_id_round_trip() -> None:
    assert p.res_id(104220502) == "unique_id=104220502&type=cur"
    assert p.song_id_of("unique_id=7091652&type=cur") == "7091652"
    assert p.song_id_of("type=cur") is None
    assert p.song_id_of("unique_id=abc&type=cur") is None


def test_refresh_resource_expiry_from_extend_buf() -> None:
    # The seed's own extend_buf: base64 of {"expiry_time":1599040840}.
    resource = p.Resource(res_id="unique_id=1&type=cur", extend_buf="eyJleHBpcnlfdGltZSI6MTU5OTA0MDg0MH0=")
    assert resource.expiry_time() == 1599040840
    assert p.Resource(res_id="x", extend_buf="!!notbase64").expiry_time() is None


def test_playlists_in_their_various_spellings() -> None:
    square = mapping.playlist(
        p.Diss.model_validate({"diss_id": 7534460048, "diss_name": "甲", "pic_url": "u"})
    )
    assert (square.id, square.title, square.cover_url) == ("7534460048", "甲", "u")
    searched = mapping.playlist(
        p.Diss.model_validate({"dissid": "7629833961", "dissname": "乙", "logo": "l", "songnum": 65})
    )
    assert (searched.id, searched.title, searched.song_count) == ("7629833961", "乙", 65)
    tagged = mapping.playlist(
        p.Diss.model_validate({"diss_id": -507157344, "diss_name": "丙", "diss_desc": "d"})
    )
    assert tagged.id == "-507157344" and tagged.description == "d"


def test_tag_groups() -> None:
    categories = mapping.category_group()
    assert any(t.id == "cat:流行" for t in categories.tags)
    charts = mapping.chart_group(
        [
            p.TopGroup.model_validate(
                {
                    "group_id": 0,
                    "group_name": "巅峰榜",
                    "group_top_list": [{"top_id": 62, "top_name": "飙升榜"}],
                }
            )
        ]
    )
    assert charts[0].tags[0].id == "top:62"
