"""Typed Xiaowei client: one method per resource / info type of the seed.

Methods return payload models; paging, models and user-facing meaning live in the
provider. Calls that change state on the service (favourites, quality, login
registration, reports) are marked non-idempotent so the transport never sends them twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import IntEnum
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ktvdesk.catalog.http import ApiCall, ProviderTransport
from ktvdesk.catalog.xiaowei import payloads as p
from ktvdesk.errors import ProviderError, UserMessage

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

_SHAPE = UserMessage(
    "QQ音乐曲库返回了无法识别的数据。", "The QQ Music service sent data we do not understand."
)


class QrKind(IntEnum):
    """`get_qr_code` login_type."""

    QQ_MUSIC = 0
    WECHAT = 1
    QQ = 2


class PlayState(IntEnum):
    ENDED = 3
    SKIPPED = 11


class PlayMode(IntEnum):
    SEQUENTIAL = 0
    LIST_LOOP = 1
    SHUFFLE_ONCE = 2
    SHUFFLE_LOOP = 3
    SINGLE_LOOP = 4


class Quality(IntEnum):
    FLUENT = 0
    STANDARD = 1
    HIGH = 2
    LOSSLESS = 3


class SquareOrder(IntEnum):
    NEWEST = 2
    HOTTEST = 5


# new_song_recommendation tags
NEW_SONG_REGIONS = {"mainland": 12, "korea": 9, "hk_tw": 13, "western": 3, "japan": 8}


class XiaoweiApi:
    def __init__(self, transport: ProviderTransport) -> None:
        self.transport = transport

    async def raw(
        self, action: str, params: Mapping[str, Any] | None = None, *, idempotent: bool = True
    ) -> dict[str, Any]:
        reply = await self.transport.call(ApiCall(action, dict(params or {}), idempotent=idempotent))
        return reply.data

    async def _data(
        self, action: str, params: Mapping[str, Any], parse: Callable[[Any], T], *, idempotent: bool = True
    ) -> T:
        document = await self.raw(action, params, idempotent=idempotent)
        try:
            return parse(document.get("data"))
        except ValidationError as exc:
            raise ProviderError(
                f"xiaowei {action}: unexpected response shape: {exc.error_count()} errors",
                user_message=_SHAPE,
                request_id=document.get("request_id"),
                code="BadResponse",
            ) from None

    @staticmethod
    def _model(model: type[M]) -> Callable[[Any], M]:
        return model.model_validate

    @staticmethod
    def _list(model: type[M]) -> Callable[[Any], list[M]]:
        adapter = TypeAdapter(list[model])  # type: ignore[valid-type]

        def parse(data: Any) -> list[M]:
            result: list[M] = adapter.validate_python(data or [])
            return result

        return parse

    # -- charts, categories, squares ------------------------------------------------------

    async def top_list(self) -> list[p.TopGroup]:
        return await self._data("resources.top_list", {}, self._list(p.TopGroup))

    async def top_detail(self, top_id: int, page: int, num: int) -> p.TopDetail:
        params = {"top_id": top_id, "page": page, "num": num}
        return await self._data("resources.top_detail", params, self._model(p.TopDetail))

    async def tag_detail(self, tag: str) -> list[p.XwSong]:
        return await self._data("resources.tag_detail", {"tag": tag}, self._list(p.XwSong))

    async def song_square(
        self, page: int, num: int, order: SquareOrder = SquareOrder.HOTTEST
    ) -> list[p.Diss]:
        params = {"page": page, "num": num, "order": int(order)}
        return await self._data("resources.song_square", params, self._list(p.Diss))

    async def favorite_diss_list(self) -> list[p.Diss]:
        return await self._data("resources.favorite_diss_list", {}, self._list(p.Diss))

    async def diss_detail(self, diss_id: int, page: int, num: int) -> tuple[list[p.XwSong], int | None]:
        document = await self.raw("resources.diss_detail", {"diss_id": diss_id, "page": page, "num": num})
        songs = self._parse_songs("resources.diss_detail", document.get("data"))
        return songs, _int(document.get("total_num"))

    # -- search ----------------------------------------------------------------------------

    async def search(self, word: str, page: int, num: int) -> p.SearchData:
        return await self._search("resources.search", word, page, num)

    async def search_singer(self, word: str, page: int, num: int) -> p.SearchData:
        return await self._search("resources.search_singer", word, page, num)

    async def search_song_list(self, word: str, page: int, num: int) -> p.SearchData:
        return await self._search("resources.search_song_list", word, page, num)

    async def search_album(self, word: str, page: int, num: int) -> p.SearchData:
        return await self._search("resources.search_album", word, page, num)

    async def _search(self, action: str, word: str, page: int, num: int) -> p.SearchData:
        params = {"word": word, "page": page, "num": num}
        return await self._data(action, params, self._model(p.SearchData))

    # -- albums, songs, tags ----------------------------------------------------------------

    async def album_detail(self, album_id: int, page: int, num: int) -> list[p.AlbumDetail]:
        params = {"album_id": album_id, "page": page, "num": num}
        return await self._data("resources.album_detail", params, self._list(p.AlbumDetail))

    async def song_detail(self, song_ids: list[int]) -> list[p.XwSong]:
        return await self._data("resources.song_detail", {"song_id_list": song_ids}, self._list(p.XwSong))

    async def tag_list(self) -> list[p.TagGroupPayload]:
        return await self._data("resources.get_tag_list", {}, self._list(p.TagGroupPayload))

    async def tag_song_list(self, tag_id: int, page: int, num: int) -> list[p.Diss]:
        params = {"id": tag_id, "page": page, "num": num}
        return await self._data("resources.get_tag_song_list", params, self._list(p.Diss))

    async def favorite_list(
        self, page: int | None = None, num: int | None = None
    ) -> tuple[list[p.XwSong], int | None]:
        params = {} if page is None or num is None else {"page": page, "num": num}
        document = await self.raw("resources.favorite_list", params)
        return self._parse_songs("resources.favorite_list", document.get("data")), _int(
            document.get("total_num")
        )

    async def set_favorite(self, song_id: int, favorite: bool) -> None:
        await self.raw("resources.set_favorite", {"song_id": song_id, "favorite": favorite}, idempotent=True)

    async def song_lyric(self, song_id: int) -> str:
        return await self._data("resources.song_lyric", {"song_id": song_id}, _text)

    async def daily_30(self) -> list[p.XwSong]:
        return await self._data("resources.rec_30_everyday", {}, self._list(p.XwSong))

    async def refresh_res_url(self, res_ids: list[str]) -> list[p.Resource]:
        return await self._data("resources.refresh_res_url", {"res_id_list": res_ids}, _resources)

    async def new_songs(self, region_tag: int) -> list[p.XwSong]:
        return await self._data(
            "resources.new_song_recommendation", {"tag": region_tag}, self._list(p.XwSong)
        )

    async def get_quality(self) -> Quality:
        value = await self._data("resources.quality", {"type": 1}, _quality)
        return Quality(value)

    async def set_quality(self, quality: Quality) -> None:
        await self.raw("resources.quality", {"type": 0, "quality": int(quality)})

    # -- login state --------------------------------------------------------------------------

    async def get_qr_code(self, kind: QrKind) -> p.QrCode:
        return await self._data("register_info.get_qr_code", {"login_type": int(kind)}, self._model(p.QrCode))

    async def get_register_status(self, session: str) -> p.RegisterStatus:
        params = {"session": session}
        return await self._data("register_info.get_register_status", params, self._model(p.RegisterStatus))

    async def release(self) -> None:
        await self.raw("register_info.release_qr_authorization", {}, idempotent=True)

    async def member_info(self) -> p.MemberInfo:
        return await self._data("register_info.member_info", {}, self._model(p.MemberInfo))

    async def device_membership(self) -> p.DeviceMembership:
        return await self._data("register_info.base_dev_mem_info", {}, self._model(p.DeviceMembership))

    # -- reporting ----------------------------------------------------------------------------

    async def report_music(self, state_info: Mapping[str, Any]) -> None:
        # A duplicated play report would count a play twice for the rights holder.
        await self.raw("report.music", {"state_info": dict(state_info)}, idempotent=False)

    def _parse_songs(self, action: str, data: Any) -> list[p.XwSong]:
        try:
            return self._list(p.XwSong)(data)
        except ValidationError as exc:
            raise ProviderError(
                f"xiaowei {action}: unexpected response shape: {exc.error_count()} errors",
                user_message=_SHAPE,
                code="BadResponse",
            ) from None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None


def _text(data: Any) -> str:
    if not isinstance(data, str):
        raise ProviderError("xiaowei song_lyric: data is not text", user_message=_SHAPE, code="BadResponse")
    return data


def _quality(data: Any) -> int:
    value = data.get("quality") if isinstance(data, dict) else None
    if not isinstance(value, int) or value not in {q.value for q in Quality}:
        raise ProviderError("xiaowei quality: no quality in reply", user_message=_SHAPE, code="BadResponse")
    return value


_RESOURCES = TypeAdapter(list[p.Resource])


def _resources(data: Any) -> list[p.Resource]:
    items = data.get("resources") if isinstance(data, dict) else None
    result: list[p.Resource] = _RESOURCES.validate_python(items or [])
    return result
