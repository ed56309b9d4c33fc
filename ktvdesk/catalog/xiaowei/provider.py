"""`XiaoweiProvider`: the Tencent Xiaowei music resources (QQ Music) behind `CatalogProvider`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import Clock, ProviderTransport, RetryPolicy
from ktvdesk.catalog.http.cache import ExpiringCache
from ktvdesk.catalog.http.paging import PageNumbers, batched
from ktvdesk.catalog.xiaowei import mapping
from ktvdesk.catalog.xiaowei import payloads as p
from ktvdesk.catalog.xiaowei.api import (
    NEW_SONG_REGIONS,
    PlayMode,
    PlayState,
    QrKind,
    Quality,
    SquareOrder,
    XiaoweiApi,
)
from ktvdesk.catalog.xiaowei.login import SESSION_TTL, QrLogin, RegisterState, expired_error, state_error
from ktvdesk.catalog.xiaowei.messages import unplayable_error
from ktvdesk.catalog.xiaowei.settings import XiaoweiSettings
from ktvdesk.catalog.xiaowei.wire import NO_MORE_DATA, XiaoweiWire
from ktvdesk.errors import NotFoundError, ProviderError, RightsError, UserMessage
from ktvdesk.logs import register_secret
from ktvdesk.models import MediaSource, Page, PlaylistInfo, Song, SongDetail, TagGroup, VocalLayout
from ktvdesk.models import PlayMode as QueueMode

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics

log = logging.getLogger(__name__)

T = TypeVar("T")

# Paging rules of the seed: num ≤ 50 everywhere, search pages ≤ 4, ≤ 100 playlists per tag,
# the song square counts pages from 0, everything else from 1.
SEARCH_PAGING = PageNumbers(first=1, max_size=50, max_page=4)
LIST_PAGING = PageNumbers(first=1, max_size=50)
TAG_PLAYLIST_PAGING = PageNumbers(first=1, max_size=50, max_items=100)
SQUARE_PAGING = PageNumbers(first=0, max_size=50)
DETAILS_BATCH = 50  # no limit is documented; stay at the paging cap
# Refresh a link this long before it expires: VLC may still be buffering.
# The `quality` API's numbers for the configured link quality (refresh_res_url follows it).
ACCOUNT_QUALITY: dict[str, Quality] = {
    "standard": Quality.STANDARD,
    "hq": Quality.HIGH,
    "sq": Quality.LOSSLESS,
}
SONGS_KEPT = 2048  # listing pages hold 20–50 songs: dozens of screens back

# The session's queue modes in the report's play_mode numbers (Shuffle draws each upcoming
# song once, so it is the seed's "shuffle once").
_REPORT_MODES = {
    QueueMode.ORDER: PlayMode.SEQUENTIAL,
    QueueMode.REPEAT_PLAYLIST: PlayMode.LIST_LOOP,
    QueueMode.SHUFFLE: PlayMode.SHUFFLE_ONCE,
    QueueMode.REPEAT_SINGLE: PlayMode.SINGLE_LOOP,
}

_NO_LINK = UserMessage("这首歌暂无可用的播放链接。", "There is no playable link for this song.")
_NO_SONG = UserMessage("歌曲不存在或已下架。", "The song does not exist any more.")
_BAD_ID = UserMessage("歌曲编号无效。", "That song id is not valid.")


def _numeric(value: str, what: str = "song") -> int:
    """Ids are integers on the wire; playlist ids may be negative (tag playlists)."""
    if not value.removeprefix("-").isdigit():
        raise NotFoundError(f"xiaowei: {what} id {value!r} is not a number", user_message=_BAD_ID)
    return int(value)


class XiaoweiProvider:
    name = "xiaowei"

    def __init__(
        self,
        settings: XiaoweiSettings,
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = settings
        wire = XiaoweiWire(settings.endpoint, settings.base_info(), settings.client_ip)
        self.transport = ProviderTransport(
            wire, retry=retry, clock=clock, timeout_s=settings.timeout_s, client=client
        )
        self.api = XiaoweiApi(self.transport)
        # What the listings said about each song (durations, chorus) for `refresh_res_url`,
        # which answers with bare links. Bounded: a kiosk browses all night. Links themselves
        # are FreshMedia's to keep.
        self._songs: ExpiringCache[str, p.XwSong] = ExpiringCache(SONGS_KEPT, clock=clock)
        self._account_quality: Quality | None = None  # what the account was last set to

    async def aclose(self) -> None:
        await self.transport.aclose()

    # -- paging --------------------------------------------------------------------------------

    async def _page(
        self,
        paging: PageNumbers,
        cursor: str | None,
        limit: int,
        fetch: Callable[[int, int], Awaitable[tuple[list[T], int | None]]],
    ) -> Page[T]:
        page = paging.page(cursor)
        size = paging.size(limit)
        if paging.max_page is not None and page > paging.max_page:
            return Page[T](items=())
        try:
            items, total = await fetch(page, size)
        except NotFoundError as exc:
            if exc.code == NO_MORE_DATA:  # 52018: paged past the end
                return Page[T](items=())
            raise
        return Page[T](
            items=tuple(items), cursor=paging.next_cursor(page, size, len(items), total), total=total
        )

    def _remember(self, infos: list[p.XwSong]) -> tuple[Song, ...]:
        for info in infos:
            self._songs.put(str(info.song_id), info)
        return mapping.songs(infos)

    # -- browsing ------------------------------------------------------------------------------

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
            data = await self.api.search(query, page, num)
            return list(
                self._remember([p.XwSong.model_validate(item) for item in data.items])
            ), data.total_num

        result = await self._page(SEARCH_PAGING, cursor, limit, fetch)
        if filters is not None and (filters.playable_only or filters.singable_only):
            # Filtered after paging, so the cursor still follows the service's pages.
            kept = tuple(s for s in result.items if s.rights.can_play)
            return Page[Song](items=kept, cursor=result.cursor, total=result.total)
        return result

    async def search_singers(self, query: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        """`search_singer` answers with the singer's songs."""

        async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
            data = await self.api.search_singer(query, page, num)
            return list(self._remember([p.XwSong.model_validate(i) for i in data.items])), data.total_num

        return await self._page(LIST_PAGING, cursor, limit, fetch)

    async def search_playlists(
        self, query: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]:
        async def fetch(page: int, num: int) -> tuple[list[PlaylistInfo], int | None]:
            data = await self.api.search_song_list(query, page, num)
            return [mapping.playlist(p.Diss.model_validate(i)) for i in data.items], data.total_num

        return await self._page(SEARCH_PAGING, cursor, limit, fetch)

    async def search_albums(
        self, query: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]:
        """Albums as playlists (id = album_id); `album_songs` lists one."""

        async def fetch(page: int, num: int) -> tuple[list[PlaylistInfo], int | None]:
            data = await self.api.search_album(query, page, num)
            albums = [p.Album.model_validate(i) for i in data.items]
            return [
                PlaylistInfo(id=str(a.album_id), title=a.album_name, cover_url=a.album_pic or None)
                for a in albums
            ], data.total_num

        return await self._page(SEARCH_PAGING, cursor, limit, fetch)

    async def album_songs(self, album_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        number = _numeric(album_id, "album")

        async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
            albums = await self.api.album_detail(number, page, num)
            infos = [s for album in albums for s in album.songlist]
            return list(self._remember(infos)), None

        return await self._page(LIST_PAGING, cursor, limit, fetch)

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        """No suggestion API: the titles of the first search page stand in for one."""
        if not prefix.strip():
            return []
        page = await self.search(prefix, limit=limit)
        return list(dict.fromkeys(s.title for s in page.items))[:limit]

    async def tags(self) -> list[TagGroup]:
        """The document's song categories (`tag_detail`) and the charts (`top_list`)."""
        charts = await self.api.top_list()
        return [mapping.recommend_group(), mapping.category_group(), *mapping.chart_group(charts)]

    async def songs_by_tag(self, tag_id: str, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        if tag_id.startswith(mapping.RECOMMEND_PREFIX):
            which = tag_id.removeprefix(mapping.RECOMMEND_PREFIX)
            if which == "daily":
                picked = await self.daily_30()
            else:
                picked = await self.new_songs(which.removeprefix("new:"))
            return Page[Song](items=tuple(picked[: max(1, limit)]), total=len(picked))
        if tag_id.startswith(mapping.TOP_PREFIX):
            top_id = _numeric(tag_id.removeprefix(mapping.TOP_PREFIX), "chart")

            async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
                detail = await self.api.top_detail(top_id, page, num)
                return list(self._remember(detail.songlist)), detail.total_num

            return await self._page(LIST_PAGING, cursor, limit, fetch)
        # A category answers one list, without paging.
        name = tag_id.removeprefix(mapping.CATEGORY_PREFIX)
        infos = await self.api.tag_detail(name)
        songs = self._remember(infos)[: max(1, limit)]
        return Page[Song](items=songs, total=len(infos))

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        """The song square (歌单广场), hottest first."""

        async def fetch(page: int, num: int) -> tuple[list[PlaylistInfo], int | None]:
            items = await self.api.song_square(page, num, SquareOrder.HOTTEST)
            return [mapping.playlist(d) for d in items], None

        return await self._page(SQUARE_PAGING, cursor, limit, fetch)

    async def playlist_tags(self) -> list[TagGroup]:
        return mapping.playlist_tag_groups(await self.api.tag_list())

    async def tag_playlists(
        self, tag_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[PlaylistInfo]:
        number = _numeric(tag_id, "tag")

        async def fetch(page: int, num: int) -> tuple[list[PlaylistInfo], int | None]:
            return [mapping.playlist(d) for d in await self.api.tag_song_list(number, page, num)], None

        return await self._page(TAG_PLAYLIST_PAGING, cursor, limit, fetch)

    async def my_playlists(self) -> list[PlaylistInfo]:
        """我喜欢 and the user's own playlists (needs the login state)."""
        return [mapping.playlist(d) for d in await self.api.favorite_diss_list()]

    async def playlist_songs(
        self, playlist_id: str, *, cursor: str | None = None, limit: int = 30
    ) -> Page[Song]:
        diss_id = _numeric(playlist_id, "playlist")

        async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
            infos, total = await self.api.diss_detail(diss_id, page, num)
            return list(self._remember(infos)), total

        return await self._page(LIST_PAGING, cursor, limit, fetch)

    async def favorites(self, *, cursor: str | None = None, limit: int = 30) -> Page[Song]:
        async def fetch(page: int, num: int) -> tuple[list[Song], int | None]:
            infos, total = await self.api.favorite_list(page, num)
            return list(self._remember(infos)), total

        return await self._page(LIST_PAGING, cursor, limit, fetch)

    async def set_favorite(self, song_id: str, favorite: bool = True) -> None:
        await self.api.set_favorite(_numeric(song_id), favorite)

    async def daily_30(self) -> list[Song]:
        return list(self._remember(await self.api.daily_30()))

    async def new_songs(self, region: str = "mainland") -> list[Song]:
        tag = NEW_SONG_REGIONS.get(region)
        if tag is None:
            raise ProviderError(f"xiaowei: unknown new-song region {region!r}", code="BadRegion")
        return list(self._remember(await self.api.new_songs(tag)))

    async def _ensure_account_quality(self) -> None:
        wanted = ACCOUNT_QUALITY[self.settings.quality]
        if self._account_quality is wanted:
            return
        if await self.api.get_quality() != wanted:
            await self.api.set_quality(wanted)
        self._account_quality = wanted

    async def quality(self) -> Quality:
        return await self.api.get_quality()

    async def set_quality(self, quality: Quality) -> None:
        await self.api.set_quality(quality)
        self._account_quality = quality

    # -- details, media, lyrics ----------------------------------------------------------------

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        """Song details, in the order asked; unknown ids are left out."""
        unique = list(dict.fromkeys(song_ids))
        numbers = [_numeric(i) for i in unique]
        replies = await asyncio.gather(*(self.api.song_detail(b) for b in batched(numbers, DETAILS_BATCH)))
        found = {str(info.song_id): info for reply in replies for info in reply}
        for song_id, info in found.items():
            self._songs.put(song_id, info)
        return [mapping.detail(found[i]) for i in unique if i in found]

    async def _fresh_info(self, song_id: str) -> p.XwSong:
        infos = await self.api.song_detail([_numeric(song_id)])
        if not infos:
            raise NotFoundError(f"xiaowei: song {song_id} does not exist", user_message=_NO_SONG)
        self._songs.put(song_id, infos[0])
        return infos[0]

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        """The song's URL at the configured quality (from `song_detail`, which is fresh)."""
        request = request or MediaRequest()
        info = await self._fresh_info(song.id)
        error = unplayable_error(info.unplayable_code, song.id, info.unplayable_msg)
        if error is not None:
            raise error
        url = mapping.media_url(info, self.settings.quality)
        if url is None:
            # Listings may leave the URL out; the refresh call always carries one.
            return (await self.refresh_media([song.id], clip=request.clip))[song.id]
        clock = self.transport.clock
        expires = mapping.url_expiry(info.url_expiry_time, clock.now_datetime(), self.settings.url_ttl_s)
        return self._source(info, url, clock.to_local(expires), request.clip)

    def _source(self, info: p.XwSong, url: str, expires_local: datetime, clip: bool) -> MediaSource:
        segment = mapping.chorus(info) if clip else None
        return MediaSource(
            url=url,
            expires_at=expires_local,
            container=mapping.container(url),
            layout=VocalLayout.MIXED,
            clip=segment,
            duration_ms=mapping.song(info).duration_ms,
        )

    async def refresh_media(self, song_ids: list[str], *, clip: bool = False) -> dict[str, MediaSource]:
        """`refresh_res_url` for expired links: song id → fresh `MediaSource`.

        Its one link (`res_content`) comes at the account's quality setting, not per call:
        the account is set to the configured quality first, so a refresh never changes the
        quality the user chose.
        """
        await self._ensure_account_quality()
        resources = await self.api.refresh_res_url([p.res_id(_numeric(i)) for i in song_ids])
        clock = self.transport.clock
        fresh: dict[str, MediaSource] = {}
        for resource in resources:
            song_id = p.song_id_of(resource.res_id)
            if song_id is None or not resource.res_content or not resource.playable:
                continue
            info = self._songs.get(song_id) or p.XwSong(
                song_id=int(song_id), song_play_time=resource.duration
            )
            expires = mapping.url_expiry(
                resource.expiry_time(), clock.now_datetime(), self.settings.url_ttl_s
            )
            fresh[song_id] = self._source(info, resource.res_content, clock.to_local(expires), clip)
        missing = [i for i in song_ids if i not in fresh]
        if missing:
            raise RightsError(
                f"xiaowei refresh_res_url: no link for {', '.join(missing)}", user_message=_NO_LINK
            )
        return fresh

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        from ktvdesk.lyrics import parse_lyrics

        text = await self.api.song_lyric(_numeric(song.id))
        if not text.strip():
            return None
        return parse_lyrics(text.encode("utf-8"), "lrc")

    # -- login state ---------------------------------------------------------------------------

    async def start_qr_login(self, kind: QrKind = QrKind.QQ_MUSIC) -> QrLogin:
        code = await self.api.get_qr_code(kind)
        register_secret(code.session)
        expires = _local_now(self.transport.clock.base) + SESSION_TTL
        return QrLogin(kind=kind, qr_code_url=code.qr_code_url, session=code.session, expires_at=expires)

    async def login_state(self, login: QrLogin | str) -> RegisterState:
        session = login.session if isinstance(login, QrLogin) else login
        status = await self.api.get_register_status(session)
        try:
            return RegisterState(status.state)
        except ValueError:
            raise ProviderError(f"xiaowei get_register_status: unknown state {status.state}") from None

    async def wait_for_login(self, login: QrLogin, *, poll_s: float = 2.0) -> None:
        """Poll until the user authorised; AuthError when it failed, was cancelled or expired."""
        base = self.transport.clock.base
        while True:
            if login.expired(_local_now(base)):
                raise expired_error("xiaowei QR session expired before authorisation")
            state = await self.login_state(login)
            if state == RegisterState.AUTHORISED:
                return
            error = state_error(state, f"xiaowei QR login ended in state {state.name}")
            if error is not None:
                raise error
            await base.sleep(poll_s)

    async def release_login(self) -> None:
        await self.api.release()

    async def member_info(self) -> p.MemberInfo:
        return await self.api.member_info()

    async def device_membership(self) -> p.DeviceMembership:
        return await self.api.device_membership()

    # -- playback reporting (required by the rights holder) ------------------------------------

    async def report_played(
        self, song: Song, *, url: str, listened_ms: int, completed: bool, play_mode: QueueMode
    ) -> None:
        """`PlaybackReporter`, as the document says: play_state 3 "歌曲结束" for a song that
        ended (sung to its end, or given up on after `listened_ms`), 11 "主动切歌" only for
        the user's skip."""
        mode = _REPORT_MODES[play_mode]
        if completed:
            await self.report_end(song, url, listened_ms, mode)
        else:
            await self.report_skip(song, url, listened_ms, mode)

    async def report_end(
        self, song: Song, url: str, listened_ms: int, mode: PlayMode = PlayMode.SEQUENTIAL
    ) -> None:
        await self._report(PlayState.ENDED, song, url, listened_ms, mode)

    async def report_skip(
        self, song: Song, url: str, listened_ms: int, mode: PlayMode = PlayMode.SEQUENTIAL
    ) -> None:
        await self._report(PlayState.SKIPPED, song, url, listened_ms, mode)

    async def _report(self, state: PlayState, song: Song, url: str, listened_ms: int, mode: PlayMode) -> None:
        await self.api.report_music(
            {
                "play_state": int(state),
                "play_mode": int(mode),
                "client_ip": self.settings.client_ip,
                "cur_res_info": {
                    "res_singer": song.singers_text,
                    "res_name": song.title,
                    "content": url,
                    "res_id": p.res_id(song.id),
                    "time_offset_ms": max(0, int(listened_ms)),
                },
            }
        )


def _local_now(clock: Clock) -> datetime:
    return datetime.fromtimestamp(clock.time(), UTC)
