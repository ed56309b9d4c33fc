"""`YinsudaProvider`: the Tencent Cloud 音速达 catalog behind `CatalogProvider`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

import httpx

from ktvdesk.catalog.base import MediaRequest, SearchFilters
from ktvdesk.catalog.http import Clock, ProviderTransport, RateLimits, RetryPolicy
from ktvdesk.catalog.http.paging import batched
from ktvdesk.catalog.yinsuda import mapping
from ktvdesk.catalog.yinsuda import payloads as p
from ktvdesk.catalog.yinsuda.api import YinsudaApi
from ktvdesk.catalog.yinsuda.settings import YinsudaSettings
from ktvdesk.catalog.yinsuda.tc3 import Credentials
from ktvdesk.catalog.yinsuda.wire import DEFAULT_RATE_LIMIT_PER_S, RATE_LIMITS_PER_S, YinsudaWire
from ktvdesk.errors import KtvError, MediaExpiredError, NotFoundError, ProviderError, RightsError, UserMessage
from ktvdesk.logs import redact
from ktvdesk.models import (
    ClipSegment,
    MediaSource,
    Page,
    PlaylistInfo,
    Song,
    SongDetail,
    TagGroup,
    VocalLayout,
)

if TYPE_CHECKING:
    from ktvdesk.lyrics import Lyrics

log = logging.getLogger(__name__)

MAX_LIMIT = 50  # Limit ≤ 50 on every paged Action
DETAILS_BATCH = 20
# Refresh a link this long before the CDN would refuse it: VLC may still be buffering.
EXPIRY_MARGIN = timedelta(seconds=60)

_NO_LINK = UserMessage("这首歌暂无可用的播放链接。", "There is no playable link for this song.")
_BAD_CURSOR = UserMessage(
    "翻页位置无效，请重新搜索。", "That page position is no longer valid. Search again."
)


def _limit(limit: int) -> int:
    return max(1, min(MAX_LIMIT, limit))


K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: dict[K, V], key: K, value: V, bound: int) -> None:
    """Insert, evicting the oldest entries beyond `bound` (a session browses thousands of songs)."""
    cache.pop(key, None)
    cache[key] = value
    while len(cache) > bound:
        del cache[next(iter(cache))]


class YinsudaProvider:
    name = "yinsuda"

    def __init__(
        self,
        settings: YinsudaSettings,
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.settings = settings
        credentials = Credentials(
            settings.secret_id.get_secret_value(), settings.secret_key.get_secret_value()
        )
        wire = YinsudaWire(credentials, settings.endpoint, settings.language)
        limits = RateLimits(RATE_LIMITS_PER_S, default_per_s=DEFAULT_RATE_LIMIT_PER_S, clock=clock)
        self.transport = ProviderTransport(
            wire, limits=limits, retry=retry, clock=clock, timeout_s=settings.timeout_s, client=client
        )
        self.api = YinsudaApi(self.transport, settings.app_name, settings.user_id)
        self._details: dict[str, SongDetail] = {}
        self._media: dict[tuple[str, bool, bool], MediaSource] = {}
        self.pitch: dict[str, bytes] = {}  # MidiUrl contents, kept for scoring

    async def aclose(self) -> None:
        await self.transport.aclose()

    # -- browsing ----------------------------------------------------------------------------

    async def search(
        self, query: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        if not query.strip():
            return Page[Song]()
        reply = await self.api.search_musics(
            p.SearchKTVMusicsRequest(
                KeyWord=query,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
                PlayScene=self.settings.play_scene,
            )
        )
        return mapping.song_page(reply, filters)

    async def suggest(self, prefix: str, *, limit: int = 10) -> list[str]:
        if not prefix.strip():
            return []
        reply = await self.api.suggestions(p.DescribeKTVSuggestionsRequest(KeyWord=prefix))
        return [s.Suggestion for s in reply.KTVSuggestionInfoSet][:limit]

    async def tags(self) -> list[TagGroup]:
        reply = await self.api.tags(p.DescribeKTVTagsRequest())
        return mapping.tag_groups(reply.TagGroupInfoSet)

    async def songs_by_tag(
        self, tag_id: str, *, cursor: str | None = None, limit: int = 30, filters: SearchFilters | None = None
    ) -> Page[Song]:
        reply = await self.api.musics_by_tag(
            p.DescribeKTVMusicsByTagRequest(
                TagId=tag_id,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
            )
        )
        return mapping.song_page(reply, filters)

    async def playlists(self, *, cursor: str | None = None, limit: int = 30) -> Page[PlaylistInfo]:
        offset = self._offset(cursor)
        reply = await self.api.playlists(
            p.DescribeKTVPlaylistsRequest(Types=["OfficialRec"], Offset=offset, Limit=_limit(limit))
        )
        items = tuple(mapping.playlist(info) for info in reply.PlaylistBaseInfoSet)
        end = offset + len(items)
        more = items and reply.TotalCount is not None and end < reply.TotalCount
        return Page[PlaylistInfo](items=items, cursor=str(end) if more else None, total=reply.TotalCount)

    async def playlist_songs(
        self,
        playlist_id: str,
        *,
        cursor: str | None = None,
        limit: int = 30,
        filters: SearchFilters | None = None,
    ) -> Page[Song]:
        reply = await self.api.playlist_detail(
            p.DescribeKTVPlaylistDetailRequest(
                PlaylistId=playlist_id,
                ScrollToken=cursor,
                Limit=_limit(limit),
                RightFilters=mapping.right_filters(filters),
                MaterialFilters=mapping.material_filters(filters),
                PlayScene=self.settings.play_scene,
            )
        )
        return mapping.song_page(reply, filters)

    @staticmethod
    def _offset(cursor: str | None) -> int:
        if cursor is None:
            return 0
        if not cursor.isdigit():
            raise ProviderError(f"yinsuda: bad playlist cursor {cursor!r}", user_message=_BAD_CURSOR)
        return int(cursor)

    # -- details, media, lyrics --------------------------------------------------------------

    async def details(self, song_ids: list[str]) -> list[SongDetail]:
        """Batched by 20; unknown ids are left out (the service lists them separately)."""
        unique = list(dict.fromkeys(song_ids))
        batches = batched(unique, DETAILS_BATCH)
        replies = await asyncio.gather(
            *(
                self.api.music_details(
                    p.BatchDescribeKTVMusicDetailsRequest(
                        MusicIds=batch, PlayScene=self.settings.play_scene, RoomId=self.settings.room_id
                    )
                )
                for batch in batches
            )
        )
        found: dict[str, SongDetail] = {}
        for reply in replies:
            for info in reply.KTVMusicDetailInfoSet:
                item = mapping.detail(info)
                found[item.song.id] = item
        for song_id, item in found.items():
            _remember(self._details, song_id, item, 512)
        return [found[i] for i in unique if i in found]

    async def detail(self, song_id: str, *, fresh: bool = False) -> SongDetail:
        cached = self._details.get(song_id)
        now = datetime.now(UTC)
        if (
            not fresh
            and cached is not None
            and (cached.play_token_expires_at is None or cached.play_token_expires_at - EXPIRY_MARGIN > now)
        ):
            return cached
        found = await self.details([song_id])
        if not found:
            raise NotFoundError(
                f"yinsuda: song {song_id} does not exist",
                user_message=UserMessage("歌曲不存在或已下架。", "The song does not exist any more."),
            )
        return found[0]

    async def resolve_media(self, song: Song, request: MediaRequest | None = None) -> MediaSource:
        request = request or MediaRequest()
        key = (song.id, request.vip, request.clip)
        cached = self._media.get(key)
        if cached is not None and not cached.expired(margin_ms=int(EXPIRY_MARGIN.total_seconds() * 1000)):
            return cached
        source = await self._segment(song, request)
        _remember(self._media, key, source, 256)
        return source

    def forget_media(self, song: Song) -> None:
        """Drop cached links of a song (after the CDN refused one)."""
        for key in [k for k in self._media if k[0] == song.id]:
            del self._media[key]

    async def _segment(self, song: Song, request: MediaRequest) -> MediaSource:
        settings = self.settings
        if request.vip:
            vip = await self.api.segment_url_vip(
                p.DescribeKTVMusicAccompanySegmentUrlVipRequest(MusicId=song.id, RoomId=settings.room_id)
            )
            status, url, ext, begin, end = vip.Status, vip.Url, vip.ExtName, vip.SegmentBegin, vip.SegmentEnd
            request_id = vip.RequestId
        else:
            seg = await self.api.segment_url(
                p.DescribeKTVMusicAccompanySegmentUrlRequest(
                    MusicId=song.id, PlayScene=settings.play_scene, RoomId=settings.room_id
                )
            )
            status, url, ext, begin, end = seg.Status, seg.Url, seg.ExtName, seg.SegmentBegin, seg.SegmentEnd
            request_id = seg.RequestId
        error = mapping.status_error(status, song.id, vip=request.vip)
        if error is not None:
            error.request_id = request_id
            log.info("%s (RequestId %s)", error.detail, request_id)
            raise error
        if not url:
            raise RightsError(
                f"yinsuda segment {song.id}: no Url", user_message=_NO_LINK, request_id=request_id
            )
        clock = self.transport.clock
        expires = mapping.cdn_expiry(
            url, settings.url_ttl_s, settings.cdn_utc_offset_min, clock.now_datetime()
        )
        clip = None
        if request.clip and begin is not None and end is not None and 0 <= begin < end:
            clip = ClipSegment(begin_ms=begin, end_ms=end)
        return MediaSource(
            url=url,
            expires_at=clock.to_local(expires),
            container=ext or None,
            layout=VocalLayout.ACCOMPANIMENT_ONLY,
            clip=clip,
            duration_ms=song.duration_ms,
        )

    async def first_audio(
        self, song: Song, request: MediaRequest | None = None, *, size: int = 64 * 1024
    ) -> tuple[MediaSource, bytes]:
        """Resolve and read the first bytes; a link the CDN refuses is replaced once."""
        source = await self.resolve_media(song, request)
        try:
            fetched = await self.transport.fetch(source.url, first_bytes=size)
        except MediaExpiredError:
            log.info("yinsuda: link for %s refused by the CDN, resolving again", song.id)
            self.forget_media(song)
            source = await self.resolve_media(song, request)
            fetched = await self.transport.fetch(source.url, first_bytes=size)
        return source, fetched.content

    async def _download(self, song_id: str, which: str) -> bytes | None:
        """LyricsUrl / MidiUrl content; a refused signed link gets fresh details once."""
        for fresh in (False, True):
            info = await self.detail(song_id, fresh=fresh)
            url = info.lyrics_url if which == "lyrics" else info.pitch_url
            if not url:
                return None
            try:
                return (await self.transport.fetch(url)).content
            except MediaExpiredError:
                if fresh:
                    raise
        return None

    async def fetch_pitch(self, song: Song) -> bytes | None:
        data = self.pitch.get(song.id)
        if data is None:
            data = await self._download(song.id, "pitch")
            if data is not None:
                _remember(self.pitch, song.id, data, 64)
        return data

    async def fetch_lyrics(self, song: Song) -> Lyrics | None:
        """The WebVTT from LyricsUrl, parsed; the pitch file is fetched alongside and kept."""
        from ktvdesk.lyrics import parse_lyrics

        lyrics_bytes, pitch = await asyncio.gather(
            self._download(song.id, "lyrics"), self.fetch_pitch(song), return_exceptions=True
        )
        if isinstance(pitch, BaseException):
            if not isinstance(pitch, KtvError):
                raise pitch
            log.info("yinsuda pitch for %s unavailable: %s", song.id, redact(pitch.detail))
        if isinstance(lyrics_bytes, BaseException):
            raise lyrics_bytes
        if lyrics_bytes is None:
            return None
        return parse_lyrics(lyrics_bytes, "auto")

    # -- account -----------------------------------------------------------------------------

    async def recharge_live_vip(
        self, vip_days: int, *, room_id: str | None = None, trade_serial_no: str | None = None
    ) -> tuple[str, p.RechargeLiveVipResponse]:
        """Never resent by the transport; a caller retrying by hand must pass the same serial."""
        serial = trade_serial_no or uuid.uuid4().hex
        room = room_id or self.settings.room_id
        if not room:
            raise ProviderError("yinsuda RechargeLiveVip needs a RoomId", user_message=_NO_ROOM)
        reply = await self.api.recharge_live_vip(
            p.RechargeLiveVipRequest(TradeSerialNo=serial, RoomId=room, VipDays=vip_days, PlayScene="Live")
        )
        return serial, reply


_NO_ROOM = UserMessage("请先设置房间号。", "Set the room id first.")
