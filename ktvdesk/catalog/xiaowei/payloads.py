"""Xiaowei payload shapes, lenient: every field the seed shows, each with a default.

The same song record comes back from a dozen resource types with different subsets of
fields (a top-list entry has five), so nothing here is required except what identifies.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


class OtherSinger(_Payload):
    singer_name: str = ""
    singer_id: int | None = None


class XwSong(_Payload):
    song_id: int
    song_name: str = ""
    song_mid: str = ""
    singer_id: int | None = None
    singer_name: str = ""
    singer_pic: str = ""
    other_singer_list: list[OtherSinger] = []
    album_id: int | None = None
    album_name: str = ""
    album_pic: str = ""
    album_pic_150x150: str = ""
    album_pic_300x300: str = ""
    album_pic_500x500: str = ""
    song_play_time: int = 0  # seconds
    genre: str = ""
    language: str = ""
    playable: int | None = None
    vip: int = 0
    try_begin: int = 0
    try_end: int = 0
    song_play_url: str = ""
    song_play_url_standard: str = ""
    song_play_url_hq: str = ""
    song_play_url_sq: str = ""
    song_size: int = 0
    song_size_standard: int = 0
    song_size_hq: int = 0
    song_size_sq: int = 0
    url_expiry_time: int = 0
    unplayable_code: int = 0
    unplayable_msg: str = ""
    user_own_rule: int | None = None
    rank: int | None = None

    _lists = field_validator("other_singer_list", mode="before")(_none_to_empty_list)


class SearchData(_Payload):
    cur_num: int = 0
    cur_page: int = 0
    keyword: str = ""
    items: list[dict[str, Any]] = Field(default_factory=list, alias="list")
    total_num: int | None = None

    _lists = field_validator("items", mode="before")(_none_to_empty_list)


class TopList(_Payload):
    top_id: int
    top_name: str = ""
    top_type: int = 0
    top_desc: str = ""
    top_header_pic: str = ""
    top_banner_pic: str = ""
    total_num: int | None = None
    listen_num: int | None = None
    show_time: str = ""
    song_list: list[XwSong] = []


class TopGroup(_Payload):
    group_id: int = 0
    group_name: str = ""
    group_top_list: list[TopList] = []


class TopDetail(_Payload):
    top_id: int | None = None
    top_name: str = ""
    top_desc: str = ""
    songlist: list[XwSong] = []
    total_num: int | None = None


class Diss(_Payload):
    """A playlist in any of its five spellings (diss_id / dissid, diss_pic / pic_url / logo…)."""

    diss_id: int | str | None = None
    dissid: str | None = None
    diss_name: str = ""
    dissname: str = ""
    diss_pic: str = ""
    pic_url: str = ""
    logo: str = ""
    diss_desc: str = ""
    introduction: str = ""
    song_num: int | None = None
    songnum: int | None = None
    listen_num: int | None = None
    listennum: int | None = None
    nickname: str = ""

    @property
    def id(self) -> str:
        return str(self.diss_id if self.diss_id is not None else self.dissid or "")

    @property
    def title(self) -> str:
        return self.diss_name or self.dissname

    @property
    def cover(self) -> str:
        return self.diss_pic or self.pic_url or self.logo

    @property
    def count(self) -> int | None:
        return self.song_num if self.song_num is not None else self.songnum

    @property
    def description(self) -> str:
        return self.diss_desc or self.introduction


class Album(_Payload):
    album_id: int
    album_mid: str = ""
    album_name: str = ""
    album_pic: str = ""


class AlbumDetail(_Payload):
    album_id: int
    album_name: str = ""
    album_desc: str = ""
    company_name: str = ""
    songlist: list[XwSong] = []


class Label(_Payload):
    id: int
    name: str


class TagGroupPayload(_Payload):
    group_name: str = ""
    label: list[Label] = []


class Resource(_Payload):
    """An entry of `refresh_res_url` / `page_load`."""

    res_id: str
    res_content: str = ""  # the media URL
    duration: int = 0  # seconds
    extend_buf: str = ""  # base64 JSON {"expiry_time": unix s}
    mid: str = ""
    music_name: str = ""
    music_singer: str = ""
    music_album_name: str = ""
    music_cover_url: str = ""
    playable: int = 1

    def expiry_time(self) -> int | None:
        if not self.extend_buf:
            return None
        try:
            doc = json.loads(base64.b64decode(self.extend_buf + "=" * (-len(self.extend_buf) % 4)))
        except (binascii.Error, ValueError):
            return None
        value = doc.get("expiry_time") if isinstance(doc, dict) else None
        return int(value) if isinstance(value, int | float) and value > 0 else None


class QrCode(_Payload):
    qr_code_url: str
    session: str


class RegisterStatus(_Payload):
    state: int
    state_msg: str = ""


class MemberInfo(_Payload):
    nickname: str = ""
    head_url: str = ""
    is_green_vip: bool = False
    green_vip_start_time: str = ""
    green_vip_end_time: str = ""
    is_super_green_vip: bool = False
    super_green_vip_start_time: str = ""
    super_green_vip_end_time: str = ""
    is_eight_pay_package: bool = False
    eight_start_time: str = ""
    eight_end_time: str = ""
    is_twelve_pay_package: bool = False
    twelve_start_time: str = ""
    twelve_end_time: str = ""


class DeviceMembership(_Payload):
    count: int = 0
    end: str = ""
    is_renew: bool = False


def res_id(song_id: str | int) -> str:
    """The seed's rule: res_id = "unique_id=" + song_id + "&type=cur"."""
    return f"unique_id={song_id}&type=cur"


def song_id_of(resource_id: str) -> str | None:
    """The number between `unique_id=` and `&` (the document's own recipe)."""
    _head, sep, rest = resource_id.partition("unique_id=")
    if not sep:
        return None
    number = rest.split("&", 1)[0]
    return number if number.isdigit() else None
