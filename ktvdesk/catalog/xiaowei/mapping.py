"""Xiaowei payloads → `ktvdesk.models`: songs, clips, playlists, tags and media links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from ktvdesk.catalog.http.units import seconds_or_ms, span_ms
from ktvdesk.catalog.xiaowei import payloads as p
from ktvdesk.catalog.xiaowei.settings import LinkQuality
from ktvdesk.expiry import ttl_validity, unix_validity
from ktvdesk.models import ClipSegment, PlaylistInfo, Rights, Song, SongDetail, Tag, TagGroup

PROVIDER = "xiaowei"

# The document's categories for `tag_detail` ("目前支持的tag有…").
CATEGORIES = (
    "睡前", "起床", "旅行", "健身", "门店", "夜店", "胎教", "雨天", "咖啡馆", "工作", "学习", "忧伤",
    "快乐", "平静", "寂寞", "治愈", "兴奋", "电音", "流行", "古风", "民谣", "轻音乐", "欧美", "中国风",
    "Hip-Hop", "R&B", "民歌", "乡村", "摇滚", "嘻哈", "舞曲", "爵士", "古典", "英语", "粤语", "日语",
    "国语", "韩语",
)  # fmt: skip

# Cursor-free tag ids: "cat:<name>" → tag_detail, "top:<id>" → top_detail.
CATEGORY_PREFIX = "cat:"
TOP_PREFIX = "top:"

_QUALITY_ORDER: dict[LinkQuality, tuple[str, ...]] = {
    "standard": ("song_play_url_standard", "song_play_url", "song_play_url_hq", "song_play_url_sq"),
    "hq": ("song_play_url_hq", "song_play_url_standard", "song_play_url", "song_play_url_sq"),
    "sq": ("song_play_url_sq", "song_play_url_hq", "song_play_url_standard", "song_play_url"),
}


def singers(info: p.XwSong) -> tuple[str, ...]:
    names = [info.singer_name] if info.singer_name else []
    names += [s.singer_name for s in info.other_singer_list if s.singer_name]
    return tuple(dict.fromkeys(names))


def covers(info: p.XwSong) -> dict[str, str]:
    out: dict[str, str] = {}
    for label, url in (
        ("small", info.album_pic_150x150 or info.album_pic),
        ("medium", info.album_pic_300x300),
        ("large", info.album_pic_500x500),
    ):
        if url:
            out[label] = url
    return out


def playable(info: p.XwSong) -> bool:
    """`unplayable_code` decides; `playable` 0 also blocks; a bare chart entry says neither."""
    return info.unplayable_code == 0 and info.playable != 0


def song(info: p.XwSong) -> Song:
    can_play = playable(info)
    return Song(
        provider=PROVIDER,
        id=str(info.song_id),
        title=info.song_name or str(info.song_id),
        singers=singers(info),
        album=info.album_name or None,
        covers=covers(info),
        duration_ms=seconds_or_ms(info.song_play_time),
        # A QQ Music recording is a full mix: singing along is playing it.
        rights=Rights(can_play=can_play, can_sing=can_play),
        # No listing field says whether lyrics exist: only `song_lyric`, one call per song.
        lyrics_known=False,
        recommended=info.rank is not None,
    )


def songs(infos: list[p.XwSong]) -> tuple[Song, ...]:
    return tuple(song(info) for info in infos)


def chorus(info: p.XwSong) -> ClipSegment | None:
    """`try_begin/try_end`: documented in seconds, some examples are milliseconds."""
    span = span_ms(info.try_begin, info.try_end)
    return ClipSegment(begin_ms=span[0], end_ms=span[1]) if span else None


def detail(info: p.XwSong) -> SongDetail:
    clip = chorus(info)
    return SongDetail(
        song=song(info),
        chorus_clips=(clip,) if clip else (),
        genres=(info.genre,) if info.genre else (),
        language=info.language or None,
    )


def media_url(info: p.XwSong, quality: LinkQuality) -> str | None:
    for name in _QUALITY_ORDER[quality]:
        url: str = getattr(info, name)
        if url:
            return url
    return None


def container(url: str) -> str | None:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else None


def url_expiry(unix_time: int | None, server_now: datetime, default_ttl_s: int) -> datetime:
    """When the link stops working (server time): the reply's time, or the promised minimum."""
    if unix_time is None or unix_time <= 0:
        return ttl_validity(server_now, ttl_s=default_ttl_s).expires_at
    return unix_validity(unix_time, server_now).expires_at


def playlist(diss: p.Diss) -> PlaylistInfo:
    return PlaylistInfo(
        id=diss.id,
        title=diss.title or diss.id,
        cover_url=diss.cover or None,
        song_count=diss.count,
        description=diss.description or None,
    )


RECOMMEND_PREFIX = "rec:"  # rec:daily → rec_30_everyday, rec:new:<region> → new songs
_NEW_SONG_NAMES = {
    "mainland": "内地新歌",
    "hk_tw": "港台新歌",
    "western": "欧美新歌",
    "korea": "韩国新歌",
    "japan": "日本新歌",
}


def recommend_group() -> TagGroup:
    """Daily recommendations and new songs, reachable wherever tags are browsed."""
    return TagGroup(
        id="recommend",
        name="推荐",
        tags=(
            Tag(id=f"{RECOMMEND_PREFIX}daily", name="每日30首"),
            *(
                Tag(id=f"{RECOMMEND_PREFIX}new:{region}", name=name)
                for region, name in _NEW_SONG_NAMES.items()
            ),
        ),
    )


def category_group() -> TagGroup:
    return TagGroup(
        id="categories",
        name="分类",
        tags=tuple(Tag(id=CATEGORY_PREFIX + name, name=name) for name in CATEGORIES),
    )


def chart_group(groups: list[p.TopGroup]) -> list[TagGroup]:
    return [
        TagGroup(
            id=f"charts:{g.group_id}",
            name=g.group_name or "排行榜",
            tags=tuple(Tag(id=f"{TOP_PREFIX}{t.top_id}", name=t.top_name) for t in g.group_top_list),
        )
        for g in groups
    ]


def playlist_tag_groups(groups: list[p.TagGroupPayload]) -> list[TagGroup]:
    """`get_tag_list`: tags of playlists (`get_tag_song_list`), not of songs."""
    return [
        TagGroup(
            id=f"playlist-tags:{i}",
            name=g.group_name,
            tags=tuple(Tag(id=str(label.id), name=label.name) for label in g.label),
        )
        for i, g in enumerate(groups)
    ]
